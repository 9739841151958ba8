//! Conformance scenarios of internal articles (`/internal_articles`) and content snippets
//! (`/content_snippets`): every endpoint the sandbox serves, their errors and paging, run for
//! 2.16 and for Preview (see `tests/conformance.rs`).

use serde_json::{Value, json};

use crate::support::{Api, find, id_of};

/// The token's admin id and another teammate's, as the integers the bodies take.
async fn two_admins(api: &Api) -> (u64, u64) {
    let me = api.get("/me").await.expect(200);
    let me: u64 = me["id"].as_str().unwrap().parse().unwrap();
    let admins = api.get("/admins").await.expect(200);
    let other = admins["admins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().parse::<u64>().unwrap())
        .find(|id| *id != me)
        .unwrap();
    (me, other)
}

pub async fn internal_articles(api: &Api) {
    let list = api.get("/internal_articles").await.expect(200);
    assert_eq!(list["type"], "list");
    assert_eq!(list["pages"]["type"], "pages");
    assert_eq!(list["total_count"], 2);
    let html_only = find(&list["data"], "title", "Refund exceptions");
    assert_eq!(html_only["type"], "internal_article");
    assert!(html_only["body_markdown"].is_null());
    assert!(html_only["body"].as_str().unwrap().starts_with("<p>"));
    let seeded = id_of(&list["data"], "title", "Escalation policy");
    let one = api
        .get(&format!("/internal_articles/{seeded}"))
        .await
        .expect(200);
    assert_eq!(one["title"], "Escalation policy");

    let (me, other) = two_admins(api).await;
    let created = api
        .post(
            "/internal_articles",
            json!({"title": "VPN setup", "body_markdown": "# VPN\n\nUse WireGuard.\n",
                   "author_id": me, "owner_id": other}),
        )
        .await
        .expect(200);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["body"], "<h1>VPN</h1><p>Use WireGuard.</p>");
    assert_eq!(created["owner_id"], other);
    api.post(
        "/internal_articles",
        json!({"title": "Both", "author_id": me, "owner_id": me, "body": "<p>x</p>",
               "body_markdown": "x"}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    let updated = api
        .put(
            &format!("/internal_articles/{id}"),
            json!({"title": "VPN", "body": "<p>Edited in HTML</p>", "owner_id": me}),
        )
        .await
        .expect(200);
    assert_eq!(updated["title"], "VPN");
    assert!(updated["body_markdown"].is_null());
    assert_eq!(updated["owner_id"], me);
    api.put("/internal_articles/999999", json!({"title": "Gone"}))
        .await
        .assert_error(404, "not_found");
    let deleted = api
        .delete(&format!("/internal_articles/{id}"))
        .await
        .expect(200);
    assert_eq!(
        deleted,
        json!({"id": id, "object": "internal_article", "deleted": true})
    );
    api.get(&format!("/internal_articles/{id}"))
        .await
        .assert_error(404, "not_found");
    api.delete(&format!("/internal_articles/{id}"))
        .await
        .assert_error(404, "not_found");
}

pub async fn content_snippets(api: &Api) {
    let list = api.get("/content_snippets").await.expect(200);
    assert_eq!(list["type"], "list");
    assert_eq!(list["total_count"], 2);
    assert_eq!(list["per_page"], 50);
    let french = find(&list["data"], "title", "Horaires du support");
    assert_eq!(french["locale"], "fr");
    assert_eq!(french["json_blocks"][0]["type"], "paragraph");

    let created = api
        .post(
            "/content_snippets",
            json!({"title": "Shipping", "body_markdown": "Three days.\n\nFree over $50.\n",
                   "locale": "en"}),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["type"], "content_snippet");
    assert_eq!(created["json_blocks"].as_array().unwrap().len(), 2);
    let blocks = api
        .post(
            "/content_snippets",
            json!({"title": "Returns", "json_blocks": [{"type": "paragraph", "text": "Thirty days."}]}),
        )
        .await
        .expect(201);
    assert_eq!(blocks["body_markdown"], "Thirty days.");
    assert_eq!(blocks["locale"], "en");
    api.post(
        "/content_snippets",
        json!({"title": "Both", "body_markdown": "x", "json_blocks": [{"type": "paragraph", "text": "x"}]}),
    )
    .await
    .assert_error(422, "validation_error");
    api.post(
        "/content_snippets",
        json!({"title": "Klingon", "body_markdown": "x", "locale": "tlh"}),
    )
    .await
    .assert_error(422, "validation_error");
    api.post(
        "/content_snippets",
        json!({"title": "Targeted", "body_markdown": "x", "audience_ids": [999_999]}),
    )
    .await
    .assert_error(404, "parameter_invalid");

    let page = api
        .get("/content_snippets?page=2&per_page=2")
        .await
        .expect(200);
    assert_eq!(page["page"], 2);
    assert_eq!(page["total_pages"], 2);
    assert_eq!(page["total_count"], 4);
    assert_eq!(page["data"].as_array().unwrap().len(), 2);

    let one = api
        .get(&format!("/content_snippets/{id}"))
        .await
        .expect(200);
    assert_eq!(one["title"], "Shipping");
    let audiences = api.get("/audiences").await.expect(200);
    let audience: u64 = audiences["data"][0]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let updated = api
        .put(
            &format!("/content_snippets/{id}"),
            json!({"title": "Shipping times", "audience_ids": [audience]}),
        )
        .await
        .expect(200);
    assert_eq!(updated["title"], "Shipping times");
    assert_eq!(updated["body_markdown"], "Three days.\n\nFree over $50.\n");
    assert_eq!(updated["audience_ids"], json!([audience]));
    let deleted = api.delete(&format!("/content_snippets/{id}")).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, Value::Null);
    api.get(&format!("/content_snippets/{id}"))
        .await
        .assert_error(404, "not_found");
    api.put(&format!("/content_snippets/{id}"), json!({"title": "Gone"}))
        .await
        .assert_error(404, "not_found");
    // Snippets are 2.16 and later.
    api.with_version(Some("2.15"))
        .get("/content_snippets")
        .await
        .assert_error(400, "intercom_version_invalid");
}
