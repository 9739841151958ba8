//! The sandbox's HTTP behaviour, endpoint by endpoint: shapes, status codes, error bodies and
//! Intercom's quirks, plus auth, versions, rate limits, fault injection, stats/reset and the
//! state file. Each test starts its own in-process sandbox on 127.0.0.1:0.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use intercom_iac::sandbox::{Sandbox, SandboxError, SandboxOptions, Seed};
use serde_json::{Value, json};
use support::{Api, find, has, id_of, stats_async};

const TOKEN: &str = "test-token";

async fn start_with(opts: SandboxOptions) -> (Sandbox, Api) {
    let sandbox = Sandbox::start(opts).await.unwrap();
    let api = Api::new(&sandbox.url(), TOKEN);
    (sandbox, api)
}

async fn start() -> (Sandbox, Api) {
    start_with(SandboxOptions::default()).await
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

// ---------------------------------------------------------------------------------------------
// Lifecycle, seeds, auth, versions, routing

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_points_at_loopback_and_shutdown_is_clean() {
    let (sandbox, api) = start().await;
    assert_eq!(
        sandbox.url(),
        format!("http://127.0.0.1:{}", sandbox.addr().port())
    );
    assert!(sandbox.addr().ip().is_loopback());
    api.get("/me").await.expect(200);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_on_uses_the_given_listener() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sandbox = Sandbox::start_on(listener, SandboxOptions::default())
        .await
        .unwrap();
    assert_eq!(sandbox.addr(), addr);
    let api = Api::new(&sandbox.url(), TOKEN);
    api.get("/tags").await.expect(200);
    sandbox.shutdown().await.unwrap();
}

#[test]
fn seeds_parse_from_their_names() {
    assert_eq!("default".parse::<Seed>().unwrap(), Seed::Default);
    assert_eq!("large".parse::<Seed>().unwrap(), Seed::Large);
    assert_eq!("empty".parse::<Seed>().unwrap(), Seed::Empty);
    let err = "huge".parse::<Seed>().unwrap_err();
    assert!(matches!(err, SandboxError::UnknownSeed(_)));
    assert!(err.to_string().contains("default, large, empty"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_reports_the_sandbox_app_and_alice() {
    let (sandbox, api) = start().await;
    let me = api.get("/me").await.expect(200);
    assert_eq!(me["type"], "admin");
    assert_eq!(me["email"], "alice@example.com");
    assert!(me["id"].is_string());
    assert_eq!(
        (
            me["app"]["id_code"].as_str(),
            me["app"]["name"].as_str(),
            me["app"]["region"].as_str()
        ),
        (Some("sbx4c0de"), Some("Sandbox Co"), Some("US"))
    );
    assert_eq!(me["avatar"]["type"], "avatar");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_seed_has_the_documented_workspace() {
    let (sandbox, api) = start().await;
    let admins = api.get("/admins").await.expect(200);
    let emails: Vec<&str> = admins["admins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["alice", "bob", "carol", "dave", "erin", "frank"].map(|n| format!("{n}@example.com"))
    );
    let teams = api.get("/teams").await.expect(200);
    assert_eq!(
        find(&teams["teams"], "name", "Support")["distribution_method"],
        "load_balanced"
    );
    assert_eq!(
        find(&teams["teams"], "name", "Sales")["distribution_method"],
        "round_robin"
    );
    find(&teams["teams"], "name", "Onboarding");
    let tags = api.get("/tags").await.expect(200);
    find(&tags["data"], "name", "VIP");
    let segments = api.get("/segments").await.expect(200);
    for name in ["Active trials", "Churned", "VIP customers"] {
        find(&segments["segments"], "name", name);
    }
    let attributes = api.get("/data_attributes?model=contact").await.expect(200);
    for builtin in [
        "name",
        "email",
        "phone",
        "user_id",
        "last_seen_at",
        "signed_up_at",
    ] {
        assert_eq!(find(&attributes["data"], "name", builtin)["custom"], false);
    }
    let company = api.get("/data_attributes?model=company").await.expect(200);
    for builtin in [
        "company_id",
        "plan",
        "monthly_spend",
        "size",
        "website",
        "industry",
    ] {
        let found = company["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == builtin || a["label"] == "Plan" && builtin == "plan");
        assert!(found, "company built-in {builtin} missing");
    }
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_and_empty_seeds() {
    let (large, api) = start_with(SandboxOptions {
        seed: Seed::Large,
        ..SandboxOptions::default()
    })
    .await;
    assert_eq!(
        api.get("/tags").await.expect(200)["data"]
            .as_array()
            .unwrap()
            .len(),
        5000
    );
    assert_eq!(
        api.get("/admins").await.expect(200)["admins"]
            .as_array()
            .unwrap()
            .len(),
        300
    );
    assert_eq!(
        api.get("/teams").await.expect(200)["teams"]
            .as_array()
            .unwrap()
            .len(),
        100
    );
    assert_eq!(api.get("/audiences").await.expect(200)["total_count"], 500);
    assert_eq!(
        api.get("/office_hours_schedules").await.expect(200)["data"]
            .as_array()
            .unwrap()
            .len(),
        50
    );
    assert_eq!(api.get("/contacts").await.expect(200)["total_count"], 1000);
    let attributes = api.get("/data_attributes").await.expect(200);
    let custom = attributes["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["custom"] == true)
        .count();
    assert_eq!(custom, 200);
    large.shutdown().await.unwrap();

    let (empty, api) = start_with(SandboxOptions {
        seed: Seed::Empty,
        ..SandboxOptions::default()
    })
    .await;
    assert_eq!(
        api.get("/me").await.expect(200)["app"]["id_code"],
        "sbx4c0de"
    );
    assert_eq!(
        api.get("/admins").await.expect(200)["admins"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(api.get("/tags").await.expect(200)["data"], json!([]));
    assert_eq!(api.get("/teams").await.expect(200)["teams"], json!([]));
    empty.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_get_401_without_rate_limit_headers() {
    let (sandbox, api) = start_with(SandboxOptions {
        token: Some(TOKEN.to_string()),
        ..SandboxOptions::default()
    })
    .await;
    for reply in [
        api.with_token(None).get("/tags").await,
        api.with_token(Some("")).get("/tags").await,
        api.with_token(Some("wrong")).get("/tags").await,
    ] {
        reply.assert_unauthorized();
    }
    let ok = api.get("/tags").await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("x-ratelimit-limit"), Some("1666"));
    assert_eq!(stats_async(&api.base).await["unauthorized"], 3);
    sandbox.shutdown().await.unwrap();

    // Without a configured token, any non-empty bearer token works.
    let (sandbox, api) = start().await;
    api.with_token(Some("anything-at-all"))
        .get("/tags")
        .await
        .expect(200);
    api.with_token(Some(""))
        .get("/tags")
        .await
        .assert_error(401, "unauthorized");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_default_to_2_16_and_unknown_ones_are_refused() {
    let (sandbox, api) = start().await;
    // No header: the workspace default, 2.16.
    let bare = api.with_version(None);
    bare.get("/conversations/attributes").await.expect(200);
    bare.get("/data_attributes?model=conversation")
        .await
        .assert_error(422, "parameter_invalid");
    let created = bare.post("/tags", json!({"name": "v"})).await.expect(200);
    assert_eq!(created["users"], json!([]));

    for version in ["2.7", "2.10", "2.15", "2.16", "Preview"] {
        api.with_version(Some(version))
            .get("/tags")
            .await
            .expect(200);
    }
    let unknown = api.with_version(Some("9.9")).get("/tags").await;
    unknown.assert_error(400, "intercom_version_invalid");
    assert_eq!(
        unknown.message(),
        "The requested version could not be found"
    );

    // 2.16-only endpoints are missing from older versions.
    let v215 = api.with_version(Some("2.15"));
    for path in [
        "/conversations/attributes",
        "/audiences",
        "/office_hours_schedules",
    ] {
        let reply = v215.get(path).await;
        reply.assert_not_in_version();
    }
    // In 2.15 conversation attributes are still readable through /data_attributes, and a tag
    // create answers the plain tag.
    let conv = v215
        .get("/data_attributes?model=conversation")
        .await
        .expect(200);
    assert_eq!(
        find(&conv["data"], "name", "Contact reason")["model"],
        "conversation"
    );
    let tag = v215.post("/tags", json!({"name": "v"})).await.expect(200);
    assert!(tag.get("users").is_none());
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_methods_and_bodies() {
    let (sandbox, api) = start().await;
    api.get("/inboxes").await.assert_error(404, "not_found");
    api.delete("/teams").await.assert_error(404, "not_found");
    api.send(reqwest::Method::PATCH, "/tags", None)
        .await
        .assert_error(404, "not_found");
    let bad = api
        .client
        .post(format!("{}/tags", api.base))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "parameter_invalid");
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Admins and teams

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_and_teams_read() {
    let (sandbox, api) = start().await;
    let admins = api.get("/admins").await.expect(200);
    assert_eq!(admins["type"], "admin.list");
    assert!(admins["admins"][0].get("avatar").is_none());
    let bob = find(&admins["admins"], "email", "bob@example.com");
    assert!(bob["id"].is_string());
    assert!(
        bob["team_ids"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_u64)
    );
    let one = api
        .get(&format!("/admins/{}", bob["id"].as_str().unwrap()))
        .await
        .expect(200);
    assert_eq!(one["name"], "Bob Brown");
    assert_eq!(one["role"]["type"], "role");
    api.get("/admins/424242")
        .await
        .assert_error(404, "admin_not_found");
    api.get("/admins/nope")
        .await
        .assert_error(404, "admin_not_found");
    let avatars = api.get("/admins?display_avatar=true").await.expect(200);
    assert!(
        avatars["admins"][0]["avatar"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    let teams = api.get("/teams").await.expect(200);
    assert_eq!(teams["type"], "team.list");
    let support = find(&teams["teams"], "name", "Support");
    assert!(support["id"].is_string());
    assert_eq!(support["assignment_limit"], 10);
    assert!(support["admin_priority_level"]["secondary_admin_ids"].is_array());
    let sales = find(&teams["teams"], "name", "Sales");
    assert!(sales.get("admin_priority_level").is_none());
    // Membership is consistent between teams and admins.
    let bob_id: u64 = bob["id"].as_str().unwrap().parse().unwrap();
    assert!(
        support["admin_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(bob_id))
    );
    assert!(bob["team_ids"].as_array().unwrap().contains(&json!(
        support["id"].as_str().unwrap().parse::<u64>().unwrap()
    )));
    let id = support["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/teams/{id}")).await.expect(200)["name"],
        "Support"
    );
    api.get("/teams/1")
        .await
        .assert_error(404, "team_not_found");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_put_is_preview_only_and_writes_membership() {
    let (sandbox, api) = start().await;
    let preview = api.with_version(Some("Preview"));
    let teams = api.get("/teams").await.expect(200);
    let admins = api.get("/admins").await.expect(200);
    let admin = |email: &str| -> u64 { id_of(&admins["admins"], "email", email).parse().unwrap() };
    let (alice, bob, carol, frank) = (
        admin("alice@example.com"),
        admin("bob@example.com"),
        admin("carol@example.com"),
        admin("frank@example.com"),
    );
    let support = id_of(&teams["teams"], "name", "Support");
    let sales = id_of(&teams["teams"], "name", "Sales");
    let path = format!("/teams/{support}");

    for version in [None, Some("2.16"), Some("2.15")] {
        api.with_version(version)
            .put(&path, json!({"admin_ids": [alice]}))
            .await
            .assert_error(400, "intercom_version_invalid");
    }

    // Complete membership; levels are partial: carol stays secondary, frank joins primary.
    let team = preview
        .put(&path, json!({"admin_ids": [alice, carol, frank]}))
        .await
        .expect(200);
    assert_eq!(team["admin_ids"], json!([alice, carol, frank]));
    assert_eq!(
        team["admin_priority_level"]["secondary_admin_ids"],
        json!([carol])
    );
    assert_eq!(
        team["admin_priority_level"]["primary_admin_ids"],
        json!([alice, frank])
    );
    // Naming a level moves only that teammate; a level for a removed member is ignored.
    let team = preview
        .put(
            &path,
            json!({"admin_ids": [alice, carol, frank],
                   "admin_priority_level": {"primary_admin_ids": [carol], "secondary_admin_ids": [frank]}}),
        )
        .await
        .expect(200);
    assert_eq!(
        team["admin_priority_level"]["secondary_admin_ids"],
        json!([frank])
    );
    let team = preview
        .put(
            &path,
            json!({"admin_ids": [alice], "admin_priority_level": {"secondary_admin_ids": [frank]}}),
        )
        .await
        .expect(200);
    assert_eq!(team["admin_ids"], json!([alice]));
    assert_eq!(
        team["admin_priority_level"]["secondary_admin_ids"],
        json!([])
    );
    // The same list again changes nothing; the team read back can be sent back whole.
    let same = preview.put(&path, team.clone()).await.expect(200);
    assert_eq!(same, team);
    let admin_view = api.get(&format!("/admins/{bob}")).await.expect(200);
    assert!(
        !admin_view["team_ids"]
            .as_array()
            .unwrap()
            .contains(&json!(support.parse::<u64>().unwrap()))
    );

    let refusals = [
        (
            json!({"admin_ids": [alice], "admin_priority_level": {"secondary_admin_ids": [alice]}}),
            &sales,
        ),
        (json!({"admin_ids": [alice], "name": "Renamed"}), &support),
        (json!({"admin_ids": [alice], "colour": "red"}), &support),
        (json!({"admin_ids": []}), &support),
        (json!({"admin_ids": ["abc"]}), &support),
        (json!({"admin_ids": [999_999]}), &support),
        (
            json!({"admin_priority_level": {"primary_admin_ids": [alice]}}),
            &support,
        ),
        (
            json!({"admin_ids": [alice], "admin_priority_level": {"primary_admin_ids": [bob]}}),
            &support,
        ),
        (
            json!({"admin_ids": [alice, bob], "admin_priority_level": {"primary_admin_ids": [bob], "secondary_admin_ids": [bob]}}),
            &support,
        ),
    ];
    for (body, team) in refusals {
        preview
            .put(&format!("/teams/{team}"), body.clone())
            .await
            .assert_error(400, "parameter_invalid");
    }
    preview
        .put(
            &format!("/teams/{support}?admin_ids=1"),
            json!({"admin_ids": [alice]}),
        )
        .await
        .assert_error(400, "parameter_invalid");
    let many: Vec<u64> = (0..1001).collect();
    preview
        .put(&path, json!({"admin_ids": many}))
        .await
        .assert_error(400, "parameter_invalid");
    preview
        .put("/teams/1", json!({"admin_ids": [alice]}))
        .await
        .assert_error(404, "team_not_found");
    // Primary levels are accepted on any team, but only load-balanced teams report them.
    let sales_team = preview
        .put(
            &format!("/teams/{sales}"),
            json!({"admin_ids": [alice], "admin_priority_level": {"primary_admin_ids": [alice]}}),
        )
        .await
        .expect(200);
    assert!(sales_team.get("admin_priority_level").is_none());
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn away_status_reasons_include_deleted_ones() {
    let (sandbox, api) = start().await;
    let list = api.get("/away_status_reasons").await.expect(200);
    assert_eq!(list["type"], "list");
    let lunch = find(&list["data"], "label", "Out for lunch");
    assert_eq!(lunch["deleted"], true);
    assert_eq!(lunch["type"], "away_status_reason");
    assert!(lunch["id"].is_string());
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Data attributes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_attribute_lists_filter_by_model_and_archive() {
    let (sandbox, api) = start().await;
    let contact = api.get("/data_attributes?model=contact").await.expect(200);
    assert_eq!(contact["type"], "list");
    assert!(
        contact["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["model"] == "contact")
    );
    let email = find(&contact["data"], "name", "email");
    assert_eq!(email["custom"], false);
    assert!(email.get("id").is_none());
    let tier = find(&contact["data"], "name", "plan_tier");
    assert!(tier["id"].is_u64());
    assert_eq!(tier["full_name"], "custom_attributes.plan_tier");
    assert_eq!(tier["admin_id"], api.get("/me").await.expect(200)["id"]);
    let all = api.get("/data_attributes").await.expect(200);
    assert!(
        all["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["model"] == "company")
    );
    api.get("/data_attributes?model=conversation")
        .await
        .assert_error(422, "parameter_invalid");
    api.get("/data_attributes?model=user")
        .await
        .assert_error(400, "parameter_invalid");

    let seats = id_of(&contact["data"], "name", "seats");
    api.put(
        &format!("/data_attributes/{seats}"),
        json!({"archived": true}),
    )
    .await
    .expect(200);
    let active = api.get("/data_attributes?model=contact").await.expect(200);
    assert!(
        !active["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "seats")
    );
    let archived = api
        .get("/data_attributes?model=contact&include_archived=true")
        .await
        .expect(200);
    assert_eq!(find(&archived["data"], "name", "seats")["archived"], true);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_attributes_read_back_as_string_with_options_in_both_write_forms() {
    let (sandbox, api) = start().await;
    let new_form = api
        .post(
            "/data_attributes",
            json!({"name": "size_band", "model": "company", "data_type": "options",
                   "options": [{"value": "1-10"}, {"value": "11-50"}], "description": "Band"}),
        )
        .await
        .expect(200);
    assert_eq!(new_form["data_type"], "string");
    assert_eq!(new_form["options"], json!(["1-10", "11-50"]));
    assert_eq!(new_form["custom"], true);
    assert_eq!(new_form["messenger_writable"], false);
    let old_form = api
        .post(
            "/data_attributes",
            json!({"name": "colour", "model": "contact", "data_type": "string",
                   "options": [{"value": "red"}, {"value": "blue"}], "messenger_writable": true}),
        )
        .await
        .expect(200);
    assert_eq!(old_form["data_type"], "string");
    assert_eq!(old_form["options"], json!(["red", "blue"]));
    assert_eq!(old_form["messenger_writable"], true);
    let listed = api.get("/data_attributes?model=company").await.expect(200);
    assert_eq!(
        find(&listed["data"], "name", "size_band")["options"],
        json!(["1-10", "11-50"])
    );

    // Options replace the whole list.
    let id = new_form["id"].as_u64().unwrap();
    let updated = api
        .put(
            &format!("/data_attributes/{id}"),
            json!({"options": [{"value": "small"}, {"value": "large"}], "description": "New", "messenger_writable": true}),
        )
        .await
        .expect(200);
    assert_eq!(updated["options"], json!(["small", "large"]));
    assert_eq!(updated["description"], "New");
    assert!(updated["updated_at"].as_i64() > new_form["updated_at"].as_i64());
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_attribute_create_refusals() {
    let (sandbox, api) = start().await;
    let refused = [
        // Unique across models: plan_tier is a contact attribute.
        json!({"name": "plan_tier", "model": "company", "data_type": "string"}),
        json!({"name": "PLAN_TIER", "model": "contact", "data_type": "string"}),
        // Built-in names are reserved for their own model (a contact may be called `website`).
        json!({"name": "email", "model": "contact", "data_type": "string"}),
        json!({"name": "website", "model": "company", "data_type": "string"}),
        // Invalid names, types, models and options.
        json!({"name": "!nv@l!d n@me", "model": "company", "data_type": "string"}),
        json!({"name": "a.b", "model": "company", "data_type": "string"}),
        json!({"name": "", "model": "company", "data_type": "string"}),
        json!({"name": "ok_name", "model": "company", "data_type": "mithril"}),
        json!({"name": "ok_name", "model": "conversation", "data_type": "string"}),
        json!({"name": "ok_name", "model": "contact", "data_type": "options", "options": [{"value": "one"}]}),
        json!({"name": "ok_name", "model": "contact", "data_type": "options"}),
        json!({"name": "ok_name", "model": "contact", "data_type": "options", "options": {"value": "one"}}),
        json!({"name": "ok_name", "model": "contact", "data_type": "integer", "options": [{"value": "1"}, {"value": "2"}]}),
        json!({"name": "ok_name", "model": "contact", "data_type": "string", "archived": true}),
    ];
    for body in refused {
        let reply = api.post("/data_attributes", body.clone()).await;
        reply.assert_error(400, "parameter_invalid");
    }
    let cross = api
        .post(
            "/data_attributes",
            json!({"name": "plan_tier", "model": "company", "data_type": "string"}),
        )
        .await;
    assert_eq!(
        cross.message(),
        "You already have 'plan_tier' in your people data. To save this as new company data, use a different name."
    );
    // Names may hold spaces, hyphens and currency symbols.
    api.post(
        "/data_attributes",
        json!({"name": "Mithril Shirt-€", "model": "company", "data_type": "date"}),
    )
    .await
    .expect(200);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_attribute_cap_counts_only_active_attributes() {
    let (sandbox, api) = start().await;
    let existing = api.get("/data_attributes").await.expect(200)["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["custom"] == true)
        .count();
    let mut last = 0;
    for i in existing..250 {
        let created = api
            .post(
                "/data_attributes",
                json!({"name": format!("cap_{i}"), "model": "contact", "data_type": "string"}),
            )
            .await
            .expect(200);
        last = created["id"].as_u64().unwrap();
    }
    let over = api
        .post(
            "/data_attributes",
            json!({"name": "one_too_many", "model": "company", "data_type": "string"}),
        )
        .await;
    over.assert_error(400, "parameter_invalid");
    assert!(over.message().contains("250"), "{}", over.text);
    // Archiving frees a place; unarchiving needs one.
    api.put(
        &format!("/data_attributes/{last}"),
        json!({"archived": true}),
    )
    .await
    .expect(200);
    api.post(
        "/data_attributes",
        json!({"name": "one_too_many", "model": "company", "data_type": "string"}),
    )
    .await
    .expect(200);
    api.put(
        &format!("/data_attributes/{last}"),
        json!({"archived": false}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_attribute_update_refusals() {
    let (sandbox, api) = start().await;
    let contact = api.get("/data_attributes?model=contact").await.expect(200);
    let tier = id_of(&contact["data"], "name", "plan_tier");
    let seats = id_of(&contact["data"], "name", "seats");
    api.put("/data_attributes/999999", json!({"description": "x"}))
        .await
        .assert_error(404, "field_not_found");
    api.put("/data_attributes/abc", json!({"description": "x"}))
        .await
        .assert_error(404, "field_not_found");
    for body in [
        json!({"name": "renamed"}),
        json!({"data_type": "integer"}),
        json!({"options": [{"value": "only"}]}),
        json!({"options": "gold"}),
        json!({"archived": "yes"}),
        json!({"unknown": 1}),
    ] {
        api.put(&format!("/data_attributes/{tier}"), body)
            .await
            .assert_error(400, "parameter_invalid");
    }
    // Options only on list (string) attributes.
    api.put(
        &format!("/data_attributes/{seats}"),
        json!({"options": [{"value": "1"}, {"value": "2"}]}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    // The seeded audience filters on plan_tier, so it cannot be archived.
    let dependant = api
        .put(
            &format!("/data_attributes/{tier}"),
            json!({"archived": true}),
        )
        .await;
    dependant.assert_error(422, "data_invalid");
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Conversation attributes

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversation_attributes_crud_and_archive() {
    let (sandbox, api) = start().await;
    let list = api.get("/conversations/attributes").await.expect(200);
    assert_eq!(list["type"], "list");
    let escalated = find(&list["data"], "name", "Escalated");
    assert!(escalated["id"].is_u64());
    assert!(escalated["visible_to_team_ids"][0].is_string());

    let string = api
        .post(
            "/conversations/attributes",
            json!({"name": "Summary", "data_type": "string", "multiline": true}),
        )
        .await
        .expect(200);
    assert_eq!(string["multiline"], true);
    assert_eq!(string["description"], "");
    assert_eq!(string["required"], false);
    let relation = api
        .post(
            "/conversations/attributes",
            json!({"name": "Order", "data_type": "relationship", "reference": {"type": "one", "object_type_id": "Order"}}),
        )
        .await
        .expect(200);
    assert_eq!(
        relation["reference"],
        json!({"type": "one", "object_type_id": "Order"})
    );
    let teams = api.get("/teams").await.expect(200);
    let sales = id_of(&teams["teams"], "name", "Sales");
    let number = api
        .post(
            "/conversations/attributes",
            json!({"name": "Refund", "data_type": "decimal", "required": true, "visible_to_team_ids": [sales]}),
        )
        .await
        .expect(200);
    assert_eq!(number["visible_to_team_ids"], json!([sales]));
    assert!(number.get("multiline").is_none());

    let id = string["id"].as_u64().unwrap();
    let path = format!("/conversations/attributes/{id}");
    assert_eq!(api.get(&path).await.expect(200)["name"], "Summary");
    let renamed = api
        .put(&path, json!({"name": "Synopsis", "multiline": false}))
        .await
        .expect(200);
    assert_eq!(
        (renamed["name"].as_str(), renamed["multiline"].as_bool()),
        (Some("Synopsis"), Some(false))
    );
    for body in [
        json!({"data_type": "integer"}),
        json!({"archived": false}),
        json!({"options": []}),
        json!({"reference": {"type": "one"}}),
        json!({"name": ""}),
        json!({"visible_to_team_ids": ["424242"]}),
    ] {
        api.put(&path, body)
            .await
            .assert_error(422, "parameter_invalid");
    }
    let archived = api.delete(&path).await.expect(200);
    assert_eq!(archived["archived"], true);
    assert_eq!(archived["name"], "Synopsis");
    let active = api.get("/conversations/attributes").await.expect(200);
    assert!(!has(&active["data"], "id", id));
    let all = api
        .get("/conversations/attributes?include_archived=true")
        .await
        .expect(200);
    assert_eq!(find(&all["data"], "name", "Synopsis")["archived"], true);

    for body in [
        json!({"name": "x", "data_type": "invalid_type"}),
        json!({"name": "x"}),
        json!({"data_type": "string"}),
        json!({"name": "x", "data_type": "list", "options": [{"label": "only"}]}),
        json!({"name": "x", "data_type": "relationship"}),
        json!({"name": "x", "data_type": "integer", "multiline": true}),
    ] {
        api.post("/conversations/attributes", body)
            .await
            .assert_error(422, "parameter_invalid");
    }
    for missing in [
        "/conversations/attributes/999999",
        "/conversations/attributes/abc",
    ] {
        api.get(missing)
            .await
            .assert_error(404, "conversation_attribute_not_found");
        api.put(missing, json!({"name": "x"}))
            .await
            .assert_error(404, "conversation_attribute_not_found");
        api.delete(missing)
            .await
            .assert_error(404, "conversation_attribute_not_found");
    }
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversation_attribute_options() {
    let (sandbox, api) = start().await;
    let list = api.get("/conversations/attributes").await.expect(200);
    let reason = find(&list["data"], "name", "Contact reason").clone();
    let id = reason["id"].as_u64().unwrap();
    let base = format!("/conversations/attributes/{id}/options");
    let added = api
        .post(&base, json!({"label": "Feature request"}))
        .await
        .expect(200);
    let options = added["options"].as_array().unwrap();
    assert_eq!(options.len(), 4);
    let new_id = id_of(&added["options"], "label", "Feature request");
    assert_eq!(new_id.len(), 36);
    assert_eq!(new_id.matches('-').count(), 4);

    let renamed = api
        .put(&format!("{base}/{new_id}"), json!({"label": "Idea"}))
        .await
        .expect(200);
    assert_eq!(find(&renamed["options"], "id", &new_id)["label"], "Idea");
    for (body, message) in [
        (json!({}), "label is required"),
        (json!({"label": 5}), "label must be a string"),
        (
            json!({"label": "a", "archived": true}),
            "only 'label' is accepted",
        ),
    ] {
        let reply = api.post(&base, body).await;
        reply.assert_error(422, "parameter_invalid");
        assert_eq!(reply.message(), message);
    }
    api.put(&format!("{base}/not-an-option"), json!({"label": "x"}))
        .await
        .assert_error(404, "conversation_attribute_not_found");
    api.delete(&format!("{base}/not-an-option"))
        .await
        .assert_error(404, "conversation_attribute_not_found");

    // Archive down to two active options; the next archive is refused. Archived options stay.
    let ids: Vec<String> = added["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect();
    api.delete(&format!("{base}/{}", ids[0])).await.expect(200);
    let two_left = api.delete(&format!("{base}/{}", ids[1])).await.expect(200);
    assert_eq!(two_left["options"].as_array().unwrap().len(), 4);
    assert_eq!(find(&two_left["options"], "id", &ids[1])["archived"], true);
    let refused = api.delete(&format!("{base}/{}", ids[2])).await;
    refused.assert_error(422, "parameter_invalid");
    assert_eq!(
        refused.message(),
        "A list attribute must have at least 2 active options"
    );

    let boolean = id_of(&list["data"], "name", "Escalated");
    let not_list = api
        .post(
            &format!("/conversations/attributes/{boolean}/options"),
            json!({"label": "x"}),
        )
        .await;
    not_list.assert_error(422, "parameter_invalid");
    assert_eq!(
        not_list.message(),
        "Options can only be managed on list attributes"
    );
    api.post(
        "/conversations/attributes/999999/options",
        json!({"label": "x"}),
    )
    .await
    .assert_error(404, "conversation_attribute_not_found");
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Tags and segments

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_upsert_rename_and_delete() {
    let (sandbox, api) = start().await;
    let created = api
        .post("/tags", json!({"name": "Prospect"}))
        .await
        .expect(200);
    assert_eq!(created["type"], "tag");
    assert_eq!(
        (created["users"].clone(), created["companies"].clone()),
        (json!([]), json!([]))
    );
    let id = created["id"].as_str().unwrap().to_string();
    for same in ["prospect", "PROSPECT", " Prospect "] {
        let again = api.post("/tags", json!({"name": same})).await.expect(200);
        assert_eq!(again["id"], id.as_str());
        assert_eq!(again["name"], "Prospect");
    }
    let vip = api.post("/tags", json!({"name": "vip"})).await.expect(200);
    assert_eq!(vip["name"], "VIP");
    assert_eq!(
        api.get("/tags").await.expect(200)["data"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let renamed = api
        .post("/tags", json!({"id": id, "name": "Lead"}))
        .await
        .expect(200);
    assert_eq!(renamed["name"], "Lead");
    assert_eq!(
        api.get(&format!("/tags/{id}")).await.expect(200),
        json!({"type": "tag", "id": id, "name": "Lead"})
    );
    api.post("/tags", json!({"id": id, "name": "vip"}))
        .await
        .assert_error(400, "parameter_invalid");
    api.post("/tags", json!({"id": "999999", "name": "x"}))
        .await
        .assert_error(404, "not_found");
    for bad in [
        json!({}),
        json!({"name": ""}),
        json!({"name": 5}),
        json!({"test": "invalid"}),
    ] {
        let reply = api.post("/tags", bad).await;
        reply.assert_error(400, "parameter_invalid");
        assert_eq!(reply.message(), "invalid tag parameters");
    }

    // Tagging users by id answers who was tagged; unknown users are skipped.
    let contacts = api.get("/contacts").await.expect(200);
    let ada = contacts["data"][0]["id"].as_str().unwrap().to_string();
    let tagged = api
        .post(
            "/tags",
            json!({"name": "Lead", "users": [{"id": ada}, {"id": "nobody"}]}),
        )
        .await
        .expect(200);
    assert_eq!(tagged["users"], json!([{"id": ada, "tagged": true}]));

    let deleted = api.delete(&format!("/tags/{id}")).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    api.get(&format!("/tags/{id}"))
        .await
        .assert_error(404, "not_found");
    api.delete(&format!("/tags/{id}"))
        .await
        .assert_error(404, "not_found");
    api.get("/tags/abc").await.assert_error(404, "not_found");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_used_by_a_segment_cannot_be_deleted() {
    let (sandbox, api) = start().await;
    let tags = api.get("/tags").await.expect(200);
    let vip = id_of(&tags["data"], "name", "VIP");
    let refused = api.delete(&format!("/tags/{vip}")).await;
    refused.assert_error(400, "tag_has_dependent_objects");
    assert_eq!(
        refused.message(),
        "Unable to delete Tag with dependent objects. Segments: VIP customers."
    );
    api.get(&format!("/tags/{vip}")).await.expect(200);
    let beta = id_of(&tags["data"], "name", "Beta tester");
    assert_eq!(api.delete(&format!("/tags/{beta}")).await.status, 200);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn segments_are_listed_with_an_empty_pages_object() {
    let (sandbox, api) = start().await;
    let list = api.get("/segments").await.expect(200);
    assert_eq!(list["type"], "segment.list");
    assert_eq!(list["pages"], json!({}));
    let vip = find(&list["segments"], "name", "VIP customers");
    assert_eq!(vip["type"], "segment");
    assert_eq!(vip["person_type"], "user");
    assert!(vip.get("count").is_none());
    let counted = api.get("/segments?include_count=true").await.expect(200);
    assert!(find(&counted["segments"], "name", "VIP customers")["count"].is_i64());
    let id = vip["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/segments/{id}")).await.expect(200)["name"],
        "VIP customers"
    );
    api.get("/segments/abc")
        .await
        .assert_error(404, "not_found");
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Audiences

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audiences_page_and_validate() {
    let (sandbox, api) = start().await;
    for i in 0..59 {
        let created = api
            .post("/audiences", json!({"name": format!("Audience {i}")}))
            .await
            .expect(201);
        assert_eq!(created["predicates"], json!([]));
        assert!(created["id"].is_string());
    }
    let first = api.get("/audiences").await.expect(200);
    assert_eq!(first["type"], "list");
    assert_eq!(
        (
            first["total_count"].as_u64(),
            first["page"].as_u64(),
            first["per_page"].as_u64(),
            first["total_pages"].as_u64()
        ),
        (Some(60), Some(1), Some(50), Some(2))
    );
    assert_eq!(first["data"].as_array().unwrap().len(), 50);
    assert!(first.get("pages").is_none());
    let second = api.get("/audiences?page=2").await.expect(200);
    assert_eq!(second["data"].as_array().unwrap().len(), 10);
    let capped = api.get("/audiences?per_page=100").await.expect(200);
    assert_eq!(capped["per_page"], 50);
    let small = api.get("/audiences?per_page=7&page=9").await.expect(200);
    assert_eq!(
        (
            small["total_pages"].as_u64(),
            small["data"].as_array().unwrap().len()
        ),
        (Some(9), 4)
    );
    let beyond = api.get("/audiences?page=10&per_page=7").await.expect(200);
    assert_eq!(beyond["data"], json!([]));
    api.get("/audiences?page=x")
        .await
        .assert_error(400, "parameter_invalid");

    let missing = api.post("/audiences", json!({"predicates": []})).await;
    missing.assert_error(422, "validation_error");
    assert_eq!(missing.message(), "Name is required");
    let blank = api.post("/audiences", json!({"name": "   "})).await;
    blank.assert_error(422, "validation_error");
    assert_eq!(blank.message(), "Name must not be blank");
    api.post(
        "/audiences",
        json!({"name": "x", "predicates": [{"attribute": 1}]}),
    )
    .await
    .assert_error(422, "validation_error");

    let enterprise = find(&first["data"], "name", "Enterprise accounts").clone();
    let id = enterprise["id"].as_str().unwrap();
    let updated = api
        .put(&format!("/audiences/{id}"), json!({"role_predicates": [{"attribute": "role", "type": "role", "comparison": "eq", "value": "lead"}]}))
        .await
        .expect(200);
    assert_eq!(updated["name"], "Enterprise accounts");
    assert_eq!(updated["predicates"], enterprise["predicates"]);
    assert_eq!(updated["role_predicates"][0]["value"], "lead");
    api.put(&format!("/audiences/{id}"), json!({"name": ""}))
        .await
        .assert_error(422, "validation_error");
    let deleted = api.delete(&format!("/audiences/{id}")).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");
    for reply in [
        api.get(&format!("/audiences/{id}")).await,
        api.put(&format!("/audiences/{id}"), json!({"name": "x"}))
            .await,
        api.delete(&format!("/audiences/{id}")).await,
    ] {
        reply.assert_error(404, "not_found");
    }
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Office hours

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_hours_schedules_follow_the_15_minute_rule() {
    let (sandbox, api) = start().await;
    let list = api.get("/office_hours_schedules").await.expect(200);
    assert_eq!(list["type"], "office_hours_schedule.list");
    let created = api
        .post(
            "/office_hours_schedules",
            json!({"name": "Follow the sun", "time_zone_name": "europe/dublin",
                   "time_intervals": [{"start_minute": 1980, "end_minute": 2460}, {"start_minute": 540, "end_minute": 1020}]}),
        )
        .await
        .expect(201);
    assert_eq!(created["type"], "office_hours_schedule");
    assert_eq!(created["time_zone_name"], "Europe/Dublin");
    assert_eq!(
        created["time_intervals"][0],
        json!({"start_minute": 540, "end_minute": 1020, "day_of_week": 0})
    );
    assert_eq!(created["time_intervals"][1]["day_of_week"], 1);
    assert_eq!(created["twenty_four_seven"], false);

    for intervals in [
        json!([{"start_minute": 541, "end_minute": 1020}]),
        json!([{"start_minute": 540, "end_minute": 1021}]),
        json!([{"start_minute": -15, "end_minute": 60}]),
        json!([{"start_minute": 0, "end_minute": 10095}]),
        json!([{"start_minute": 600, "end_minute": 600}]),
        json!([{"start_minute": 0, "end_minute": 600}, {"start_minute": 300, "end_minute": 900}]),
        json!([{"start_minute": "9am", "end_minute": 600}]),
    ] {
        api.post(
            "/office_hours_schedules",
            json!({"name": "Bad", "time_zone_name": "Europe/Dublin", "time_intervals": intervals}),
        )
        .await
        .assert_error(422, "data_invalid");
    }
    for body in [
        json!({"time_zone_name": "Europe/Dublin", "time_intervals": []}),
        json!({"name": "x", "time_zone_name": "Mars/Olympus", "time_intervals": []}),
        json!({"name": "x", "time_zone_name": "Europe/Dublin"}),
        json!({"name": "x", "time_zone_name": "Europe/Dublin", "time_intervals": [], "twenty_four_seven": true}),
    ] {
        api.post("/office_hours_schedules", body)
            .await
            .assert_error(422, "data_invalid");
    }
    // One interval per day: one that spans midnight is refused, the whole week is seven.
    api.post(
        "/office_hours_schedules",
        json!({"name": "Always", "time_zone_name": "UTC", "time_intervals": [{"start_minute": 0, "end_minute": 10080}]}),
    )
    .await
    .assert_error(422, "data_invalid");
    let week: Vec<_> = (0..7)
        .map(|d| json!({"start_minute": d * 1440, "end_minute": (d + 1) * 1440}))
        .collect();
    let always = api
        .post(
            "/office_hours_schedules",
            json!({"name": "Always", "time_zone_name": "UTC", "time_intervals": week}),
        )
        .await
        .expect(201);
    assert_eq!(always["twenty_four_seven"], true);
    assert_eq!(always["time_intervals"][6]["day_of_week"], 6);

    let id = created["id"].as_str().unwrap();
    let path = format!("/office_hours_schedules/{id}");
    let updated = api
        .put(&path, json!({"name": "Follow the moon"}))
        .await
        .expect(200);
    assert_eq!(updated["time_intervals"], created["time_intervals"]);
    assert_eq!(updated["name"], "Follow the moon");
    api.put(
        &path,
        json!({"time_intervals": [{"start_minute": 10, "end_minute": 20}]}),
    )
    .await
    .assert_error(422, "data_invalid");
    assert_eq!(api.get(&path).await.expect(200)["name"], "Follow the moon");
    let deleted = api.delete(&path).await.expect(200);
    assert_eq!(
        deleted,
        json!({"id": id, "object": "office_hours_schedule", "deleted": true})
    );
    api.get(&path).await.assert_error(404, "not_found");
    api.delete(&path).await.assert_error(404, "not_found");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_hours_exceptions() {
    let (sandbox, api) = start().await;
    let list = api.get("/office_hours_schedules").await.expect(200);
    let schedule = id_of(&list["data"], "name", "Standard Support Hours");
    let base = format!("/office_hours_schedules/{schedule}/office_hours_exceptions");
    let seeded = api.get(&base).await.expect(200);
    assert_eq!(seeded["type"], "office_hours_exception.list");
    let christmas = find(&seeded["data"], "exception_date", "2026-12-25");
    assert_eq!(christmas["office_hours_schedule_id"], schedule.as_str());
    assert!(christmas["time_intervals"].is_null());

    let eve = api
        .post(
            &base,
            json!({"exception_date": "2026-12-24", "exception_type": "custom_hours", "name": "Christmas Eve",
                   "time_intervals": [{"start_minute": 540, "end_minute": 780}], "recurring_annually": true}),
        )
        .await
        .expect(201);
    assert_eq!(
        eve["time_intervals"],
        json!([{"start_minute": 540, "end_minute": 780, "day_of_week": 3}])
    );
    assert_eq!(eve["recurring_annually"], true);
    let closed = api
        .post(
            &base,
            json!({"exception_date": "2027-01-01", "exception_type": "closed"}),
        )
        .await
        .expect(201);
    assert!(closed["name"].is_null());
    assert_eq!(closed["recurring_annually"], false);

    for body in [
        json!({"exception_date": "2026-12-24", "exception_type": "closed"}),
        json!({"exception_date": "2026-13-01", "exception_type": "closed"}),
        json!({"exception_date": "tomorrow", "exception_type": "closed"}),
        json!({"exception_date": "2026-11-01", "exception_type": "open"}),
        json!({"exception_date": "2026-11-01", "exception_type": "custom_hours"}),
        json!({"exception_date": "2026-11-01", "exception_type": "custom_hours", "time_intervals": [{"start_minute": 0, "end_minute": 1455}]}),
        json!({"exception_date": "2026-11-01", "exception_type": "closed", "time_intervals": [{"start_minute": 0, "end_minute": 60}]}),
        json!({"exception_type": "closed"}),
    ] {
        api.post(&base, body)
            .await
            .assert_error(422, "data_invalid");
    }

    let eid = eve["id"].as_str().unwrap();
    let path = format!("{base}/{eid}");
    assert_eq!(api.get(&path).await.expect(200)["name"], "Christmas Eve");
    let changed = api
        .put(&path, json!({"exception_type": "closed"}))
        .await
        .expect(200);
    assert!(changed["time_intervals"].is_null());
    assert_eq!(changed["name"], "Christmas Eve");
    api.put(&path, json!({"exception_type": "custom_hours"}))
        .await
        .assert_error(422, "data_invalid");
    let deleted = api.delete(&path).await.expect(200);
    assert_eq!(
        deleted,
        json!({"id": eid, "object": "office_hours_exception", "deleted": true})
    );
    api.get(&path).await.assert_error(404, "not_found");

    // An exception is only reachable under its own schedule.
    let other = api
        .post(
            "/office_hours_schedules",
            json!({"name": "Other", "time_zone_name": "UTC", "time_intervals": []}),
        )
        .await
        .expect(201);
    let other_id = other["id"].as_str().unwrap();
    let cid = closed["id"].as_str().unwrap();
    api.get(&format!(
        "/office_hours_schedules/{other_id}/office_hours_exceptions/{cid}"
    ))
    .await
    .assert_error(404, "not_found");
    api.get("/office_hours_schedules/424242/office_hours_exceptions")
        .await
        .assert_error(404, "not_found");
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Contacts and events

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_use_cursor_pages() {
    let (sandbox, api) = start().await;
    let mut seen = Vec::new();
    let mut path = "/contacts?per_page=2".to_string();
    loop {
        let page = api.get(&path).await.expect(200);
        assert_eq!(page["type"], "list");
        assert_eq!(page["total_count"], 5);
        assert_eq!(page["pages"]["type"], "pages");
        assert_eq!(page["pages"]["total_pages"], 3);
        for contact in page["data"].as_array().unwrap() {
            assert_eq!(contact["type"], "contact");
            seen.push(contact["email"].as_str().unwrap().to_string());
        }
        match page["pages"]["next"]["starting_after"].as_str() {
            Some(cursor) => path = format!("/contacts?per_page=2&starting_after={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert_eq!(seen[0], "ada@example.com");
    let all = api.get("/contacts").await.expect(200);
    let ada = find(&all["data"], "email", "ada@example.com");
    assert_eq!(ada["external_id"], "user-1001");
    assert_eq!(ada["role"], "user");
    assert!(all["pages"].get("next").is_none());
    api.get("/contacts?starting_after=bogus")
        .await
        .assert_error(400, "parameter_invalid");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_accepted_deduplicated_and_recorded() {
    let (sandbox, api) = start().await;
    let contacts = api.get("/contacts").await.expect(200);
    let grace = id_of(&contacts["data"], "email", "grace@example.com");
    let metadata: serde_json::Map<String, Value> = (0..12)
        .map(|i| (format!("key_{i:02}"), json!("v")))
        .collect();
    for body in [
        json!({"event_name": "updated-plan", "created_at": 1767225600, "user_id": "user-1001", "metadata": {"plan": "pro"}}),
        json!({"event_name": "updated-plan", "created_at": 1767225600, "user_id": "user-1001", "metadata": {"seats": 3}}),
        json!({"event_name": "updated-plan", "created_at": 1767225601, "email": "ADA@example.com"}),
        json!({"event_name": "invited-friend", "created_at": 1767225600, "id": grace, "metadata": metadata}),
    ] {
        let reply = api.post("/events", body).await;
        assert_eq!(reply.status, 202, "{}", reply.text);
        assert_eq!(reply.text, "");
    }
    for body in [
        json!({"event_name": "x", "created_at": 1767225600, "user_id": "nobody"}),
        json!({"event_name": "x", "created_at": 1767225600, "email": "nobody@example.com"}),
        json!({"event_name": "x", "created_at": 1767225600, "id": "ffffffffffffffffffffffff"}),
    ] {
        api.post("/events", body)
            .await
            .assert_error(404, "not_found");
    }
    for body in [
        json!({"event_name": "x", "created_at": 1767225600}),
        json!({"event_name": "x", "created_at": 1767225600, "user_id": "user-1001", "email": "ada@example.com"}),
        json!({"created_at": 1767225600, "user_id": "user-1001"}),
        json!({"event_name": "x", "user_id": "user-1001"}),
        json!({"event_name": "x", "created_at": 1767225600, "user_id": "user-1001", "metadata": [1]}),
    ] {
        api.post("/events", body)
            .await
            .assert_error(400, "parameter_invalid");
    }
    let stats = stats_async(&api.base).await;
    assert_eq!(stats["events_received"], 4);
    assert_eq!(stats["events_deduplicated"], 1);
    assert_eq!(
        stats["event_names"]["updated-plan"],
        json!(["plan", "seats"])
    );
    let invited = stats["event_names"]["invited-friend"].as_array().unwrap();
    assert_eq!(
        invited.len(),
        10,
        "only the first 10 metadata keys are kept"
    );
    assert!(!invited.contains(&json!("key_10")));
    sandbox.shutdown().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Brands

/// The default seed's brands, exactly as `GET /brands` lists them.
fn seeded_brands() -> Value {
    json!([
        {
            "type": "brand",
            "id": "sbx4c0de",
            "name": "Sandbox Co",
            "is_default": true,
            "created_at": 1_735_689_600,
            "updated_at": 1_767_225_600,
            "help_center_id": "501",
            "default_address_settings_id": "601"
        },
        {
            "type": "brand",
            "id": "90001",
            "name": "Sandbox Premium",
            "is_default": false,
            "created_at": 1_759_449_600,
            "updated_at": 1_767_225_600,
            "help_center_id": "502",
            "default_address_settings_id": "602"
        }
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brands_list_and_show_with_the_default_first() {
    let (sandbox, api) = start().await;
    let list = api.get("/brands").await.expect(200);
    assert_eq!(list, json!({"type": "list", "data": seeded_brands()}));
    // The default brand's id is the workspace's.
    let app = api.get("/me").await.expect(200)["app"].clone();
    assert_eq!(list["data"][0]["id"], app["id_code"]);

    for brand in seeded_brands().as_array().unwrap() {
        let id = brand["id"].as_str().unwrap();
        assert_eq!(&api.get(&format!("/brands/{id}")).await.expect(200), brand);
    }
    for unknown in ["999999", "SBX4C0DE", "not-a-brand"] {
        let missing = api.get(&format!("/brands/{unknown}")).await;
        missing.assert_error(404, "not_found");
        assert_eq!(missing.message(), "Brand not found");
        assert_eq!(missing.body["errors"].as_array().unwrap().len(), 1);
    }
    // Read-only: no write method exists on either path.
    api.post("/brands", json!({"name": "New"}))
        .await
        .assert_error(404, "not_found");
    api.put("/brands/90001", json!({"name": "Renamed"}))
        .await
        .assert_error(404, "not_found");
    api.delete("/brands/90001")
        .await
        .assert_error(404, "not_found");

    let counted = stats_async(&api.base).await;
    assert_eq!(counted["calls"]["GET /brands"], 1);
    assert_eq!(counted["calls"]["GET /brands/{id}"], 5);
    assert_eq!(counted["succeeded"]["GET /brands/{id}"], 2);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn macros_page_by_cursor_and_refuse_bad_parameters_and_old_versions() {
    let (sandbox, api) = start().await;
    let mut names = Vec::new();
    let mut path = "/macros?per_page=2".to_string();
    loop {
        let page = api.get(&path).await.expect(200);
        assert!(page["data"].as_array().unwrap().len() <= 2, "{page}");
        for m in page["data"].as_array().unwrap() {
            names.push(m["name"].as_str().unwrap().to_string());
        }
        match page["pages"]["next"]["starting_after"].as_str() {
            Some(cursor) => path = format!("/macros?per_page=2&starting_after={cursor}"),
            None => break,
        }
    }
    assert_eq!(
        names,
        ["Welcome Aboard", "Refund Process", "Thank You Response"]
    );
    for bad in [
        "per_page=0",
        "per_page=151",
        "updated_since=yesterday",
        "starting_after=%21%21",
    ] {
        api.get(&format!("/macros?{bad}"))
            .await
            .assert_error(400, "parameter_invalid");
    }
    api.with_version(Some("2.15"))
        .get("/macros")
        .await
        .assert_error(400, "intercom_version_invalid");
    // Subscription types exist in every 2.x version, archived ones included.
    let types = api
        .with_version(Some("2.14"))
        .get("/subscription_types")
        .await
        .expect(200);
    assert_eq!(types["data"].as_array().unwrap().len(), 3);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brands_exist_from_2_15_on() {
    let (sandbox, api) = start().await;
    for version in ["1.4", "2.7", "2.14"] {
        let old = api.with_version(Some(version));
        for path in ["/brands", "/brands/sbx4c0de"] {
            let reply = old.get(path).await;
            reply.assert_not_in_version();
            assert!(reply.header("x-ratelimit-limit").is_some());
        }
    }
    for version in [Some("2.15"), Some("2.16"), Some("Preview"), None] {
        let api = api.with_version(version);
        let list = api.get("/brands").await.expect(200);
        assert_eq!(list["data"], seeded_brands(), "{version:?}");
        api.get("/brands/90001").await.expect(200);
    }
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brands_refuse_bad_tokens_without_rate_limit_headers() {
    let (sandbox, api) = start_with(SandboxOptions {
        token: Some(TOKEN.to_string()),
        ..SandboxOptions::default()
    })
    .await;
    for path in ["/brands", "/brands/sbx4c0de", "/brands/unknown"] {
        for reply in [
            api.with_token(None).get(path).await,
            api.with_token(Some("wrong")).get(path).await,
        ] {
            reply.assert_unauthorized();
        }
    }
    api.get("/brands").await.assert_ok_with_rate_limit_headers();
    assert_eq!(stats_async(&api.base).await["unauthorized"], 6);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_seed_has_its_default_brand() {
    let names = |list: &Value| -> Vec<(String, bool)> {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["name"].as_str().unwrap().to_string(),
                    b["is_default"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let (empty, api) = start_with(SandboxOptions {
        seed: Seed::Empty,
        ..SandboxOptions::default()
    })
    .await;
    let list = api.get("/brands").await.expect(200);
    assert_eq!(list["data"], json!([seeded_brands()[0]]));
    empty.shutdown().await.unwrap();

    let (large, api) = start_with(SandboxOptions {
        seed: Seed::Large,
        ..SandboxOptions::default()
    })
    .await;
    let list = api.get("/brands").await.expect(200);
    assert_eq!(
        names(&list),
        [
            ("Sandbox Co", true),
            ("Sandbox Premium", false),
            ("Brand 01", false),
            ("Brand 02", false),
            ("Brand 03", false),
        ]
        .map(|(n, d)| (n.to_string(), d))
    );
    assert_eq!(list["data"][0], seeded_brands()[0]);
    assert_eq!(list["data"][1], seeded_brands()[1]);
    api.get("/brands/90004").await.expect(200);
    large.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brands_persist_and_old_state_files_get_the_default_brand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.json");
    let opts = SandboxOptions {
        state_file: Some(path.clone()),
        ..SandboxOptions::default()
    };
    let (sandbox, _) = start_with(opts.clone()).await;
    sandbox.shutdown().await.unwrap();
    let mut saved: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["brands"].as_array().unwrap().len(), 2);

    // A state file from before brands existed, with a renamed app: only the default brand,
    // named after the app, with the app's id_code.
    saved.as_object_mut().unwrap().remove("brands");
    saved["app"]["name"] = json!("Renamed Co");
    std::fs::write(&path, serde_json::to_vec(&saved).unwrap()).unwrap();
    let (sandbox, api) = start_with(opts.clone()).await;
    let list = api.get("/brands").await.expect(200);
    let mut default = seeded_brands()[0].clone();
    default["name"] = json!("Renamed Co");
    assert_eq!(list["data"], json!([default]));
    sandbox.shutdown().await.unwrap();
    let upgraded: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(upgraded["brands"][0]["id"], "sbx4c0de");
}

// ---------------------------------------------------------------------------------------------
// Test hooks, rate limits, faults, persistence

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_count_calls_by_template_and_reset_restores_the_seed() {
    let (sandbox, api) = start().await;
    let tags = api.get("/tags").await.expect(200);
    let beta = id_of(&tags["data"], "name", "Beta tester");
    api.get(&format!("/tags/{beta}")).await.expect(200);
    api.delete(&format!("/tags/{beta}")).await;
    api.get("/nowhere").await;
    let counted = stats_async(&api.base).await;
    assert_eq!(counted["calls"]["GET /tags"], 1);
    assert_eq!(counted["calls"]["GET /tags/{id}"], 1);
    assert_eq!(counted["calls"]["DELETE /tags/{id}"], 1);
    assert_eq!(counted["calls"]["GET (unmatched)"], 1);
    assert_eq!(counted["total_calls"], 4);
    // Only 2xx answers count as succeeded: the 404 of the unknown path does not.
    assert_eq!(counted["succeeded"]["DELETE /tags/{id}"], 1);
    assert_eq!(counted["succeeded"]["GET /tags"], 1);
    assert!(
        counted["succeeded"].get("GET (unmatched)").is_none(),
        "{counted}"
    );

    let reset = api
        .with_token(None)
        .post("/_sandbox/reset", json!({}))
        .await
        .expect(200);
    assert_eq!(reset["reset"], true);
    let cleared = stats_async(&api.base).await;
    assert_eq!(cleared["total_calls"], 0);
    assert_eq!(cleared["calls"], json!({}));
    let back = api.get("/tags").await.expect(200);
    assert_eq!(id_of(&back["data"], "name", "Beta tester"), beta);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_429_with_headers() {
    let (sandbox, api) = start_with(SandboxOptions {
        rate_limit: Some(3),
        rate_window: Duration::from_secs(1),
        ..SandboxOptions::default()
    })
    .await;
    let mut limited = None;
    for _ in 0..50 {
        let before = now_secs();
        let reply = api.get("/tags").await;
        let after = now_secs();
        assert_eq!(reply.header("x-ratelimit-limit"), Some("3"));
        let remaining: u32 = reply
            .header("x-ratelimit-remaining")
            .unwrap()
            .parse()
            .unwrap();
        assert!(remaining <= 2);
        let reset: u64 = reply.header("x-ratelimit-reset").unwrap().parse().unwrap();
        // With a 1 s window aligned on whole seconds, the window ends at the next second.
        assert!(
            reset > before && reset <= after + 1,
            "reset {reset} not in ({before}, {}]",
            after + 1
        );
        if reply.status == 429 {
            limited = Some(reply);
            break;
        }
        assert_eq!(reply.status, 200);
    }
    let limited = limited.expect("50 requests in a row never hit a limit of 3 per second");
    limited.assert_error(429, "rate_limit_exceeded");
    assert_eq!(limited.message(), "Exceeded rate limit of 3 in 1_seconds");
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    assert!(
        stats_async(&api.base).await["rate_limited"]
            .as_u64()
            .unwrap()
            >= 1
    );
    // The hooks are not rate limited.
    for _ in 0..5 {
        stats_async(&api.base).await;
    }
    sandbox.shutdown().await.unwrap();
}

/// What a client saw for one request.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Status(u16),
    Dropped,
    TimedOut,
}

async fn outcomes(seed: u64, count: usize) -> (Vec<Outcome>, Value) {
    let (sandbox, mut api) = start_with(SandboxOptions {
        fault_rate: 0.5,
        fault_seed: seed,
        ..SandboxOptions::default()
    })
    .await;
    api.client = reqwest::Client::builder()
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    let mut seen = Vec::new();
    for _ in 0..count {
        let result = api
            .client
            .get(format!("{}/tags", api.base))
            .header("Authorization", format!("Bearer {TOKEN}"))
            .send()
            .await;
        seen.push(match result {
            Ok(resp) if resp.status() == 200 => Outcome::Ok,
            Ok(resp) => {
                let status = resp.status().as_u16();
                let body: Value = resp.json().await.unwrap();
                assert_eq!(body["type"], "error.list");
                Outcome::Status(status)
            }
            Err(e) if e.is_timeout() => Outcome::TimedOut,
            Err(_) => Outcome::Dropped,
        });
    }
    let stats = stats_async(&api.base).await;
    // Shutdown does not wait for the slow answers still sleeping.
    tokio::time::timeout(Duration::from_secs(10), sandbox.shutdown())
        .await
        .expect("shutdown waited for slow responses")
        .unwrap();
    (seen, stats)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_injection_is_deterministic_per_seed() {
    let (first, stats) = outcomes(42, 40).await;
    let (second, _) = outcomes(42, 40).await;
    assert_eq!(first, second);
    let (other, _) = outcomes(43, 40).await;
    assert_ne!(first, other);

    let faults = first.iter().filter(|o| **o != Outcome::Ok).count();
    assert_eq!(stats["faults_injected"].as_u64().unwrap() as usize, faults);
    assert!(
        (8..=32).contains(&faults),
        "{faults} faults in 40 requests at rate 0.5"
    );
    let statuses: Vec<u16> = first
        .iter()
        .filter_map(|o| match o {
            Outcome::Status(s) => Some(*s),
            _ => None,
        })
        .collect();
    assert!(
        statuses.iter().all(|s| [500, 502, 503, 504].contains(s)),
        "{statuses:?}"
    );
    assert!(!statuses.is_empty());
    assert!(first.contains(&Outcome::Dropped), "{first:?}");
    assert!(first.contains(&Outcome::TimedOut), "{first:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_file_persists_and_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.json");
    let opts = SandboxOptions {
        state_file: Some(path.clone()),
        ..SandboxOptions::default()
    };
    let (sandbox, api) = start_with(opts.clone()).await;
    assert!(path.exists(), "the seeded state is written at start");
    api.post("/tags", json!({"name": "Persisted"}))
        .await
        .expect(200);
    // Written after every successful write request, not only at shutdown.
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(on_disk.contains("Persisted"));

    let second = Sandbox::start(opts.clone()).await.unwrap_err();
    assert!(
        matches!(second, SandboxError::StateLocked { .. }),
        "{second:?}"
    );
    assert!(
        second.to_string().contains("in use by another sandbox"),
        "{second}"
    );
    sandbox.shutdown().await.unwrap();

    let (again, api) = start_with(opts.clone()).await;
    let tags = api.get("/tags").await.expect(200);
    find(&tags["data"], "name", "Persisted");
    // Ids keep counting from where the saved state left off.
    let next = api
        .post("/tags", json!({"name": "After restart"}))
        .await
        .expect(200);
    let persisted: u64 = id_of(&tags["data"], "name", "Persisted").parse().unwrap();
    assert!(next["id"].as_str().unwrap().parse::<u64>().unwrap() > persisted);
    again.shutdown().await.unwrap();

    std::fs::write(&path, "{not json").unwrap();
    let broken = Sandbox::start(opts).await.unwrap_err();
    assert!(
        matches!(broken, SandboxError::ParseState { .. }),
        "{broken:?}"
    );
}
