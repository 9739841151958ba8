//! Conformance scenarios: every sandbox endpoint and quirk, one after another, against ONE
//! server.
//!
//! - With `INTERCOM_ENDPOINT` set (by `conformance/run`), traffic goes there (the
//!   validating proxy) and state is reset between scenarios with `POST $SANDBOX_URL/_sandbox/reset`
//!   (the sandbox's direct address). `INTERCOM_TOKEN` is the token the sandbox accepts
//!   (default `sandbox-token`).
//! - Without it, an in-process sandbox is started and the same scenarios run.
//!
//! `CONFORMANCE_SPEC=preview` runs only the Preview scenarios (`PUT /teams/{id}`, and brands
//! under `Intercom-Version: Preview`), `2.16` only the others; unset runs both.
//! `CONFORMANCE_SPEC=refusals` runs only `refusal_scenarios`, against a sandbox served with
//! `--deny-scope office_hours --deny-scope macros --restrict team-membership
//! --refuse-options-form` (validated against Preview); unset runs it on its own in-process
//! sandbox with the same options. Requests stay inside the description (valid bodies,
//! parameters and versions), so that each finding is about the sandbox's answer. See
//! `scripts/conformance.sh`.

#[path = "conformance/knowledge.rs"]
mod knowledge;
mod support;

use intercom_iac::sandbox::{Sandbox, SandboxOptions};
use serde_json::{Value, json};
use support::{Api, find, has, id_of};

/// Scenarios validated against the 2.16 description.
const SCENARIOS_2_16: &[&str] = &[
    "me_and_admins",
    "teams",
    "auth_and_versions",
    "data_attributes",
    "data_attribute_refusals",
    "conversation_attributes",
    "tags",
    "segments",
    "audiences",
    "office_hours",
    "contacts",
    "away_status_reasons",
    "brands",
    "macros",
    "subscription_types",
    "events",
    "help_center",
    "help_center_translations",
    "ip_allowlist",
    "ticket_types",
    "activity_logs",
    "data_export",
    "internal_articles",
    "content_snippets",
];

/// Scenarios validated against the Preview description.
const SCENARIOS_PREVIEW: &[&str] = &[
    "team_members",
    "brands_preview",
    "team_activity",
    "internal_articles_preview",
    "content_snippets_preview",
];

async fn run(name: &str, api: &Api) {
    match name {
        "me_and_admins" => me_and_admins(api).await,
        "teams" => teams(api).await,
        "auth_and_versions" => auth_and_versions(api).await,
        "data_attributes" => data_attributes(api).await,
        "data_attribute_refusals" => data_attribute_refusals(api).await,
        "conversation_attributes" => conversation_attributes(api).await,
        "tags" => tags(api).await,
        "segments" => segments(api).await,
        "audiences" => audiences(api).await,
        "office_hours" => office_hours(api).await,
        "contacts" => contacts(api).await,
        "away_status_reasons" => away_status_reasons(api).await,
        "brands" => brands(api).await,
        "macros" => macros(api).await,
        "subscription_types" => subscription_types(api).await,
        "events" => events(api).await,
        "help_center" => help_center(api).await,
        "help_center_translations" => help_center_translations(api).await,
        "ip_allowlist" => ip_allowlist(api).await,
        "ticket_types" => ticket_types(api).await,
        "activity_logs" => activity_logs(api).await,
        "data_export" => data_export(api).await,
        "team_activity" => team_activity(&api.with_version(Some("Preview"))).await,
        "team_members" => team_members(api).await,
        "brands_preview" => brands(&api.with_version(Some("Preview"))).await,
        "internal_articles" => knowledge::internal_articles(api).await,
        "content_snippets" => knowledge::content_snippets(api).await,
        "internal_articles_preview" => {
            knowledge::internal_articles(&api.with_version(Some("Preview"))).await
        }
        "content_snippets_preview" => {
            knowledge::content_snippets(&api.with_version(Some("Preview"))).await
        }
        other => panic!("unknown scenario {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_scenarios() {
    let selected: Vec<&str> = match std::env::var("CONFORMANCE_SPEC").as_deref() {
        Ok("preview") => SCENARIOS_PREVIEW.to_vec(),
        Ok("2.16") => SCENARIOS_2_16.to_vec(),
        Ok("refusals") => return,
        _ => SCENARIOS_2_16
            .iter()
            .chain(SCENARIOS_PREVIEW)
            .copied()
            .collect(),
    };
    let token = std::env::var("INTERCOM_TOKEN").unwrap_or_else(|_| "sandbox-token".to_string());
    let (endpoint, reset_base, sandbox) = match std::env::var("INTERCOM_ENDPOINT") {
        Ok(endpoint) => {
            let direct = std::env::var("SANDBOX_URL").expect(
                "SANDBOX_URL (the sandbox's direct address) must be set with INTERCOM_ENDPOINT",
            );
            (endpoint, direct, None)
        }
        Err(_) => {
            let sandbox = Sandbox::start(SandboxOptions {
                token: Some(token.clone()),
                ..SandboxOptions::default()
            })
            .await
            .unwrap();
            (sandbox.url(), sandbox.url(), Some(sandbox))
        }
    };
    let api = Api::new(&endpoint, &token);
    let reset = reqwest::Client::new();
    for name in selected {
        let answer = reset
            .post(format!("{reset_base}/_sandbox/reset"))
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "reset before {name} failed");
        eprintln!("scenario {name}");
        run(name, &api).await;
    }
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await.unwrap();
    }
}

/// What a restricted workspace answers: a token without the office-hours scope (401
/// `token_unauthorized`, rate-limit headers included) and a plan without team membership (403
/// `api_plan_restricted`) and a list data attribute in the `options` form where only the older
/// form is accepted (400 "Data Type isn't an option"), under Preview, whose description has
/// these answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusal_scenarios() {
    let token = std::env::var("INTERCOM_TOKEN").unwrap_or_else(|_| "sandbox-token".to_string());
    let (endpoint, sandbox) = match std::env::var("CONFORMANCE_SPEC").as_deref() {
        Ok("refusals") => (
            std::env::var("INTERCOM_ENDPOINT")
                .expect("INTERCOM_ENDPOINT is set with CONFORMANCE_SPEC=refusals"),
            None,
        ),
        // Under the harness for another spec: the served sandbox has no refusal flags.
        Ok(_) => return,
        Err(_) => {
            let sandbox = Sandbox::start(SandboxOptions {
                token: Some(token.clone()),
                deny_scopes: ["office_hours".parse().unwrap(), "macros".parse().unwrap()].into(),
                restrict: ["team-membership".parse().unwrap()].into(),
                refuse_options_form: true,
                ..SandboxOptions::default()
            })
            .await
            .unwrap();
            (sandbox.url(), Some(sandbox))
        }
    };
    let preview = Api::new(&endpoint, &token).with_version(Some("Preview"));

    let denied = preview.get("/office_hours_schedules").await;
    denied.assert_error(401, "token_unauthorized");
    assert_eq!(denied.message(), "Not authorized to access resource");
    assert!(denied.header("x-ratelimit-limit").is_some(), "{denied:?}");
    preview
        .post(
            "/office_hours_schedules",
            json!({"name": "Weekdays", "time_zone_name": "Europe/Dublin", "time_intervals": [{"start_minute": 540, "end_minute": 1020}]}),
        )
        .await
        .assert_error(401, "token_unauthorized");

    let teams = preview.get("/teams").await.expect(200);
    let support = find(&teams["teams"], "name", "Support");
    let id = support["id"].as_str().unwrap();
    let restricted = preview
        .put(
            &format!("/teams/{id}"),
            json!({"admin_ids": support["admin_ids"]}),
        )
        .await;
    restricted.assert_error(403, "api_plan_restricted");
    let macros = preview.get("/macros").await;
    macros.assert_error(403, "forbidden");
    assert_eq!(
        macros.message(),
        "You do not have the required scope (read_conversations) to access this resource"
    );
    assert_eq!(
        restricted.message(),
        "Updating team memberships via the API is not available for this workspace"
    );

    let options = json!([{"value": "gold"}, {"value": "silver"}]);
    let refused = preview
        .post(
            "/data_attributes",
            json!({"name": "tier", "model": "contact", "data_type": "options", "options": options}),
        )
        .await;
    refused.assert_error(400, "parameter_invalid");
    assert_eq!(refused.message(), "Data Type isn't an option");
    let older = preview
        .post(
            "/data_attributes",
            json!({"name": "tier", "model": "contact", "data_type": "string", "options": options}),
        )
        .await
        .expect(200);
    assert_eq!(older["options"], json!(["gold", "silver"]));
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await.unwrap();
    }
}

async fn me_and_admins(api: &Api) {
    let me = api.get("/me").await.expect(200);
    assert_eq!(me["type"], "admin");
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["app"]["id_code"], "sbx4c0de");
    assert_eq!(me["app"]["region"], "US");

    let admins = api.get("/admins").await.expect(200);
    assert_eq!(admins["type"], "admin.list");
    assert_eq!(admins["admins"].as_array().unwrap().len(), 6);
    let with_avatar = api.get("/admins?display_avatar=true").await.expect(200);
    assert!(with_avatar["admins"][0]["avatar"].is_string());

    let bob = id_of(&admins["admins"], "email", "bob@example.com");
    let one = api.get(&format!("/admins/{bob}")).await.expect(200);
    assert_eq!(one["email"], "bob@example.com");
    assert!(one["team_ids"][0].is_u64());
    api.get("/admins/999999")
        .await
        .assert_error(404, "admin_not_found");
}

async fn teams(api: &Api) {
    let teams = api.get("/teams").await.expect(200);
    assert_eq!(teams["type"], "team.list");
    let support = find(&teams["teams"], "name", "Support");
    assert_eq!(support["distribution_method"], "load_balanced");
    assert!(support["id"].is_string());
    assert!(support["admin_ids"][0].is_u64());
    let id = support["id"].as_str().unwrap();
    let one = api.get(&format!("/teams/{id}")).await.expect(200);
    assert_eq!(one["name"], "Support");
    api.get("/teams/999999")
        .await
        .assert_error(404, "team_not_found");
    // PUT /teams/{id} exists only under Preview.
    let sales = id_of(&teams["teams"], "name", "Sales");
    api.put(&format!("/teams/{sales}"), json!({"admin_ids": [1004]}))
        .await
        .assert_error(400, "intercom_version_invalid");
}

async fn auth_and_versions(api: &Api) {
    let wrong = api.with_token(Some("not-the-token")).get("/tags").await;
    wrong.assert_unauthorized();

    api.get("/tags").await.assert_ok_with_rate_limit_headers();
    // An older published version is accepted, but 2.16-only endpoints are not in it.
    api.with_version(Some("2.15"))
        .get("/tags")
        .await
        .expect(200);
    let old = api.with_version(Some("2.15")).get("/audiences").await;
    old.assert_not_in_version();
}

async fn data_attributes(api: &Api) {
    let contact = api.get("/data_attributes?model=contact").await.expect(200);
    assert_eq!(contact["type"], "list");
    let email = find(&contact["data"], "name", "email");
    assert_eq!(email["custom"], false);
    assert!(email.get("id").is_none());
    let company = api.get("/data_attributes?model=company").await.expect(200);
    assert!(
        company["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["model"] == "company")
    );
    let all = api.get("/data_attributes").await.expect(200);
    assert!(all["data"].as_array().unwrap().len() > contact["data"].as_array().unwrap().len());

    let created = api
        .post(
            "/data_attributes",
            json!({"name": "Mithril Shirt", "model": "company", "data_type": "string", "description": "Armour"}),
        )
        .await
        .expect(200);
    assert!(created["id"].is_u64());
    assert_eq!(created["full_name"], "custom_attributes.Mithril Shirt");

    // Both list forms read back as `string` + options.
    let listed = api
        .post(
            "/data_attributes",
            json!({"name": "tier", "model": "contact", "data_type": "options",
                   "options": [{"value": "gold"}, {"value": "silver"}]}),
        )
        .await
        .expect(200);
    assert_eq!(listed["data_type"], "string");
    assert_eq!(listed["options"], json!(["gold", "silver"]));
    let older = api
        .post(
            "/data_attributes",
            json!({"name": "region_code", "model": "contact", "data_type": "string",
                   "options": [{"value": "eu"}, {"value": "us"}]}),
        )
        .await
        .expect(200);
    assert_eq!(older["options"], json!(["eu", "us"]));

    let id = created["id"].as_u64().unwrap();
    let updated = api
        .put(
            &format!("/data_attributes/{id}"),
            json!({"description": "Light armour", "messenger_writable": true}),
        )
        .await
        .expect(200);
    assert_eq!(updated["description"], "Light armour");
    let archived = api
        .put(&format!("/data_attributes/{id}"), json!({"archived": true}))
        .await
        .expect(200);
    assert_eq!(archived["archived"], true);
    let visible = api.get("/data_attributes?model=company").await.expect(200);
    assert!(!has(&visible["data"], "id", id));
    let with_archived = api
        .get("/data_attributes?model=company&include_archived=true")
        .await
        .expect(200);
    assert_eq!(
        find(&with_archived["data"], "name", "Mithril Shirt")["archived"],
        true
    );

    let tier = listed["id"].as_u64().unwrap();
    let options = api
        .put(
            &format!("/data_attributes/{tier}"),
            json!({"options": [{"value": "gold"}, {"value": "bronze"}]}),
        )
        .await
        .expect(200);
    assert_eq!(options["options"], json!(["gold", "bronze"]));

    api.put("/data_attributes/999999", json!({"description": "x"}))
        .await
        .assert_error(404, "field_not_found");
}

async fn data_attribute_refusals(api: &Api) {
    // `plan_tier` is a contact attribute in the seed: the name is taken for companies too.
    let duplicate = api
        .post(
            "/data_attributes",
            json!({"name": "plan_tier", "model": "company", "data_type": "string"}),
        )
        .await;
    duplicate.assert_error(400, "parameter_invalid");
    assert!(
        duplicate.message().contains("already have"),
        "{}",
        duplicate.text
    );
    api.post(
        "/data_attributes",
        json!({"name": "email", "model": "contact", "data_type": "string"}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    api.post(
        "/data_attributes",
        json!({"name": "!nv@l!d n@me", "model": "company", "data_type": "string"}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    api.post(
        "/data_attributes",
        json!({"name": "one_option", "model": "contact", "data_type": "options", "options": [{"value": "only"}]}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    api.get("/data_attributes?model=conversation")
        .await
        .assert_error(422, "parameter_invalid");
}

async fn conversation_attributes(api: &Api) {
    let list = api.get("/conversations/attributes").await.expect(200);
    assert_eq!(list["type"], "list");
    let reason = find(&list["data"], "name", "Contact reason");
    assert!(reason["id"].is_u64());
    assert!(reason["options"][0]["id"].as_str().unwrap().len() == 36);

    let created = api
        .post(
            "/conversations/attributes",
            json!({"name": "api_test_attr", "data_type": "string", "description": "Created via API test"}),
        )
        .await
        .expect(200);
    assert_eq!(created["multiline"], false);
    let id = created["id"].as_u64().unwrap();
    let shown = api
        .get(&format!("/conversations/attributes/{id}"))
        .await
        .expect(200);
    assert_eq!(shown["name"], "api_test_attr");
    let renamed = api
        .put(
            &format!("/conversations/attributes/{id}"),
            json!({"name": "api_test_renamed", "description": "Updated via API"}),
        )
        .await
        .expect(200);
    assert_eq!(renamed["name"], "api_test_renamed");
    let archived = api
        .delete(&format!("/conversations/attributes/{id}"))
        .await
        .expect(200);
    assert_eq!(archived["archived"], true);
    let active = api.get("/conversations/attributes").await.expect(200);
    assert!(!has(&active["data"], "id", id));
    let everything = api
        .get("/conversations/attributes?include_archived=true")
        .await
        .expect(200);
    assert!(has(&everything["data"], "id", id));

    let list_attr = api
        .post(
            "/conversations/attributes",
            json!({"name": "Severity", "data_type": "list", "options": [{"label": "Low"}, {"label": "High"}]}),
        )
        .await
        .expect(200);
    let lid = list_attr["id"].as_u64().unwrap();
    let added = api
        .post(
            &format!("/conversations/attributes/{lid}/options"),
            json!({"label": "Critical"}),
        )
        .await
        .expect(200);
    assert_eq!(added["options"].as_array().unwrap().len(), 3);
    let low = id_of(&added["options"], "label", "Low");
    let high = id_of(&added["options"], "label", "High");
    let renamed = api
        .put(
            &format!("/conversations/attributes/{lid}/options/{low}"),
            json!({"label": "Minor"}),
        )
        .await
        .expect(200);
    assert_eq!(find(&renamed["options"], "id", &low)["label"], "Minor");
    let archived = api
        .delete(&format!("/conversations/attributes/{lid}/options/{low}"))
        .await
        .expect(200);
    assert_eq!(find(&archived["options"], "id", &low)["archived"], true);
    api.delete(&format!("/conversations/attributes/{lid}/options/{high}"))
        .await
        .assert_error(422, "parameter_invalid");
    api.put(
        &format!("/conversations/attributes/{lid}/options/00000000-0000-4000-8000-000000000000"),
        json!({"label": "x"}),
    )
    .await
    .assert_error(404, "conversation_attribute_not_found");
    api.post(
        &format!("/conversations/attributes/{id}/options"),
        json!({"label": "x"}),
    )
    .await
    .assert_error(422, "parameter_invalid");
    api.get("/conversations/attributes/999999")
        .await
        .assert_error(404, "conversation_attribute_not_found");
    api.post(
        "/conversations/attributes",
        json!({"name": "bad", "data_type": "invalid_type"}),
    )
    .await
    .assert_error(422, "parameter_invalid");
}

async fn tags(api: &Api) {
    let list = api.get("/tags").await.expect(200);
    assert_eq!(list["type"], "list");
    assert!(list["data"][0]["id"].is_string());

    let created = api
        .post("/tags", json!({"name": "Independent"}))
        .await
        .expect(200);
    assert_eq!(created["type"], "tag");
    let id = created["id"].as_str().unwrap().to_string();
    // Upsert: the same name in another case returns the same tag.
    let again = api
        .post("/tags", json!({"name": "INDEPENDENT"}))
        .await
        .expect(200);
    assert_eq!(again["id"], id.as_str());
    assert_eq!(again["name"], "Independent");
    let renamed = api
        .post("/tags", json!({"id": id, "name": "Independent Co"}))
        .await
        .expect(200);
    assert_eq!(renamed["name"], "Independent Co");
    let shown = api.get(&format!("/tags/{id}")).await.expect(200);
    assert_eq!(shown["name"], "Independent Co");

    let deleted = api.delete(&format!("/tags/{id}")).await;
    assert_eq!(deleted.status, 200);
    assert!(deleted.text.is_empty());
    api.get(&format!("/tags/{id}"))
        .await
        .assert_error(404, "not_found");
    api.delete(&format!("/tags/{id}"))
        .await
        .assert_error(404, "not_found");

    let vip = id_of(&list["data"], "name", "VIP");
    let refused = api.delete(&format!("/tags/{vip}")).await;
    refused.assert_error(400, "tag_has_dependent_objects");
    assert!(
        refused.message().contains("VIP customers"),
        "{}",
        refused.text
    );
    api.post("/tags", json!({"name": ""}))
        .await
        .assert_error(400, "parameter_invalid");
}

async fn segments(api: &Api) {
    let list = api.get("/segments").await.expect(200);
    assert_eq!(list["type"], "segment.list");
    assert_eq!(list["pages"], json!({}));
    let names: Vec<&str> = list["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Active trials", "Churned", "VIP customers"]);
    let counted = api.get("/segments?include_count=true").await.expect(200);
    assert!(counted["segments"][0]["count"].is_i64());
    let id = id_of(&list["segments"], "name", "Churned");
    api.get(&format!("/segments/{id}")).await.expect(200);
    api.get("/segments/0000000000000000000000ff")
        .await
        .assert_error(404, "not_found");
}

async fn audiences(api: &Api) {
    for name in ["A1", "A2", "A3"] {
        let created = api
            .post(
                "/audiences",
                json!({"name": name, "predicates": [{"attribute": "company.name", "type": "string", "comparison": "contains", "value": "Acme"}]}),
            )
            .await
            .expect(201);
        assert_eq!(created["type"], "audience");
        assert!(created["id"].is_string());
    }
    let page2 = api.get("/audiences?page=2&per_page=2").await.expect(200);
    assert_eq!(page2["type"], "list");
    assert_eq!(page2["total_count"], 4);
    assert_eq!(page2["total_pages"], 2);
    assert_eq!(page2["page"], 2);
    assert_eq!(page2["per_page"], 2);
    assert_eq!(page2["data"].as_array().unwrap().len(), 2);

    let all = api.get("/audiences").await.expect(200);
    let id = id_of(&all["data"], "name", "A1");
    let updated = api
        .put(&format!("/audiences/{id}"), json!({"name": "A1 renamed"}))
        .await
        .expect(200);
    assert_eq!(updated["name"], "A1 renamed");
    assert_eq!(updated["predicates"][0]["value"], "Acme");
    api.put(&format!("/audiences/{id}"), json!({"name": "  "}))
        .await
        .assert_error(422, "validation_error");
    api.post("/audiences", json!({"name": ""}))
        .await
        .assert_error(422, "validation_error");
    api.get(&format!("/audiences/{id}")).await.expect(200);
    let deleted = api.delete(&format!("/audiences/{id}")).await;
    assert_eq!(deleted.status, 204);
    api.get(&format!("/audiences/{id}"))
        .await
        .assert_error(404, "not_found");
}

async fn office_hours(api: &Api) {
    let list = api.get("/office_hours_schedules").await.expect(200);
    assert_eq!(list["type"], "office_hours_schedule.list");
    let created = api
        .post(
            "/office_hours_schedules",
            json!({"name": "Weekend", "time_zone_name": "Europe/Dublin",
                   "time_intervals": [{"start_minute": 7200, "end_minute": 7800}]}),
        )
        .await
        .expect(201);
    assert_eq!(created["time_intervals"][0]["day_of_week"], 5);
    let id = created["id"].as_str().unwrap().to_string();
    api.post(
        "/office_hours_schedules",
        json!({"name": "Odd", "time_zone_name": "Europe/Dublin",
               "time_intervals": [{"start_minute": 7, "end_minute": 60}]}),
    )
    .await
    .assert_error(422, "data_invalid");
    api.get(&format!("/office_hours_schedules/{id}"))
        .await
        .expect(200);
    let updated = api
        .put(
            &format!("/office_hours_schedules/{id}"),
            json!({"name": "Weekend shift"}),
        )
        .await
        .expect(200);
    assert_eq!(updated["name"], "Weekend shift");
    assert_eq!(updated["time_zone_name"], "Europe/Dublin");

    let base = format!("/office_hours_schedules/{id}/office_hours_exceptions");
    let closed = api
        .post(
            &base,
            json!({"exception_date": "2026-12-25", "exception_type": "closed", "name": "Christmas Day", "recurring_annually": true}),
        )
        .await
        .expect(201);
    assert!(closed["time_intervals"].is_null());
    let custom = api
        .post(
            &base,
            json!({"exception_date": "2026-12-24", "exception_type": "custom_hours", "name": "Christmas Eve",
                   "time_intervals": [{"start_minute": 540, "end_minute": 780}]}),
        )
        .await
        .expect(201);
    assert_eq!(custom["time_intervals"][0]["day_of_week"], 3);
    let listed = api.get(&base).await.expect(200);
    assert_eq!(listed["type"], "office_hours_exception.list");
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);
    let eid = closed["id"].as_str().unwrap();
    api.get(&format!("{base}/{eid}")).await.expect(200);
    let changed = api
        .put(
            &format!("{base}/{eid}"),
            json!({"exception_type": "custom_hours", "time_intervals": [{"start_minute": 540, "end_minute": 780}]}),
        )
        .await
        .expect(200);
    assert_eq!(changed["exception_type"], "custom_hours");
    let gone = api.delete(&format!("{base}/{eid}")).await.expect(200);
    assert_eq!(
        gone,
        json!({"id": eid, "object": "office_hours_exception", "deleted": true})
    );
    api.get(&format!("{base}/{eid}"))
        .await
        .assert_error(404, "not_found");

    let deleted = api
        .delete(&format!("/office_hours_schedules/{id}"))
        .await
        .expect(200);
    assert_eq!(deleted["deleted"], true);
    api.get(&format!("/office_hours_schedules/{id}"))
        .await
        .assert_error(404, "not_found");
}

async fn contacts(api: &Api) {
    let first = api.get("/contacts?per_page=2").await.expect(200);
    assert_eq!(first["type"], "list");
    assert_eq!(first["total_count"], 5);
    assert_eq!(first["pages"]["type"], "pages");
    let cursor = first["pages"]["next"]["starting_after"]
        .as_str()
        .unwrap()
        .to_string();
    let second = api
        .get(&format!("/contacts?per_page=2&starting_after={cursor}"))
        .await
        .expect(200);
    assert_eq!(second["pages"]["page"], 2);
    assert_ne!(first["data"][0]["id"], second["data"][0]["id"]);
    assert_eq!(first["data"][0]["email"], "ada@example.com");
}

async fn away_status_reasons(api: &Api) {
    let list = api.get("/away_status_reasons").await.expect(200);
    assert_eq!(list["type"], "list");
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["deleted"] == true)
    );
    assert!(list["data"][0]["id"].is_string());
}

async fn brands(api: &Api) {
    let list = api.get("/brands").await.expect(200);
    assert_eq!(list["type"], "list");
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    // The default brand comes first; its id is the workspace's id_code.
    assert_eq!(data[0]["id"], "sbx4c0de");
    assert_eq!(data[0]["is_default"], true);
    assert_eq!(data[1]["is_default"], false);
    for brand in data {
        let id = brand["id"].as_str().unwrap();
        let one = api.get(&format!("/brands/{id}")).await.expect(200);
        assert_eq!(&one, brand);
    }
    let missing = api.get("/brands/999999").await;
    missing.assert_error(404, "not_found");
    assert_eq!(missing.message(), "Brand not found");
}

async fn macros(api: &Api) {
    let all = api.get("/macros").await.expect(200);
    assert_eq!(all["type"], "list");
    assert_eq!(all["pages"]["type"], "pages");
    assert!(all["pages"]["next"].is_null(), "{all}");
    let data = all["data"].as_array().unwrap();
    // Newest first; the macro visible only to Sales (alice is not in it) is not listed.
    let names: Vec<&str> = data.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Welcome Aboard", "Refund Process", "Thank You Response"]
    );
    assert!(
        data[1]["body"]
            .as_str()
            .unwrap()
            .contains("<attribute key=\"user.first_name\" default=\"there\"/>")
    );
    assert!(data[0]["created_at"].as_str().unwrap().ends_with(".000Z"));
    // Cursor pages of one.
    let first = api.get("/macros?per_page=1").await.expect(200);
    assert_eq!(first["data"][0]["name"], "Welcome Aboard");
    let cursor = first["pages"]["next"]["starting_after"].as_str().unwrap();
    let second = api
        .get(&format!("/macros?per_page=1&starting_after={cursor}"))
        .await
        .expect(200);
    assert_eq!(second["data"][0]["name"], "Refund Process");
    let since = api
        .get("/macros?updated_since=1766000000")
        .await
        .expect(200);
    assert_eq!(since["data"].as_array().unwrap().len(), 1, "{since}");
    let id = data[0]["id"].as_str().unwrap();
    let one = api.get(&format!("/macros/{id}")).await.expect(200);
    assert_eq!(&one, &data[0]);
    let hidden = api.get("/macros/70004").await;
    hidden.assert_error(404, "not_found");
    assert_eq!(hidden.message(), "Macro not found");
}

async fn subscription_types(api: &Api) {
    let list = api.get("/subscription_types").await.expect(200);
    assert_eq!(list["type"], "list");
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(data[0]["type"], "subscription");
    assert_eq!(data[0]["default_translation"]["name"], "Newsletters");
    assert_eq!(data[0]["translations"][1]["locale"], "fr");
    assert_eq!(data[2]["state"], "archived");
}

async fn help_center(api: &Api) {
    let centers = api.get("/help_center/help_centers").await.expect(200);
    assert_eq!(centers["type"], "list");
    let hc = centers["data"][0]["id"].as_str().unwrap().to_string();
    let one = api
        .get(&format!("/help_center/help_centers/{hc}"))
        .await
        .expect(200);
    assert_eq!(one, centers["data"][0]);
    api.get("/help_center/help_centers/999999")
        .await
        .assert_error(404, "not_found");

    // The seed: four collections, one nested, one in the second help center; sections answer
    // a null help_center_id.
    assert_eq!(centers["data"].as_array().unwrap().len(), 2);
    let collections = api.get("/help_center/collections").await.expect(200);
    assert_eq!(collections["total_count"], 4);
    let premium = find(&collections["data"], "name", "Premium support");
    assert_eq!(premium["help_center_id"], 502);
    assert_eq!(collections["pages"]["type"], "pages");
    let billing = id_of(&collections["data"], "name", "Billing");
    let invoices = find(&collections["data"], "name", "Invoices");
    assert_eq!(invoices["parent_id"], billing.as_str());
    assert!(invoices["help_center_id"].is_null());
    let page2 = api
        .get("/help_center/collections?page=2&per_page=2")
        .await
        .expect(200);
    assert_eq!(page2["pages"]["page"], 2);
    assert_eq!(page2["pages"]["total_pages"], 2);
    assert_eq!(page2["data"].as_array().unwrap().len(), 2);

    let created = api
        .post(
            "/help_center/collections",
            json!({"name": "Security", "description": "Keeping data safe", "parent_id": billing}),
        )
        .await
        .expect(200);
    let security = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["parent_id"], billing.as_str());
    api.post(
        "/help_center/collections",
        json!({"description": "no name"}),
    )
    .await
    .assert_error(400, "parameter_not_found");
    let moved = api
        .put(
            &format!("/help_center/collections/{security}"),
            json!({"name": "Security and privacy", "parent_id": null}),
        )
        .await
        .expect(200);
    assert_eq!(moved["name"], "Security and privacy");
    assert!(moved["parent_id"].is_null());
    assert_eq!(moved["help_center_id"].as_u64().unwrap().to_string(), hc);

    // Articles: Markdown kept beside its HTML; HTML-only ones have a null body_markdown.
    let articles = api.get("/articles").await.expect(200);
    assert_eq!(articles["total_count"], 5);
    let html_only = find(&articles["data"], "title", "Invite your team");
    assert!(html_only["body_markdown"].is_null());
    assert!(html_only["body"].as_str().unwrap().starts_with("<h2>"));
    let draft = find(&articles["data"], "title", "Refund policy");
    assert_eq!(draft["state"], "draft");
    let nested = find(&articles["data"], "title", "Download an invoice");
    assert_eq!(
        nested["parent_ids"],
        json!([
            billing.parse::<u64>().unwrap(),
            invoices["id"].as_str().unwrap().parse::<u64>().unwrap()
        ])
    );
    let me = api.get("/me").await.expect(200);
    let author: u64 = me["id"].as_str().unwrap().parse().unwrap();
    let article = api
        .post(
            "/articles",
            json!({"title": "Two-factor login", "description": "Turn it on", "author_id": author,
                   "state": "published", "body_markdown": "# Two-factor\n\nTurn it on.\n",
                   "parent_id": security.parse::<u64>().unwrap(), "parent_type": "collection"}),
        )
        .await
        .expect(200);
    let article_id = article["id"].as_str().unwrap().to_string();
    assert_eq!(article["body_markdown"], "# Two-factor\n\nTurn it on.\n");
    assert_eq!(article["body"], "<h1>Two-factor</h1><p>Turn it on.</p>");
    api.post("/articles", json!({"title": "No author"}))
        .await
        .assert_error(400, "parameter_not_found");
    api.post(
        "/articles",
        json!({"title": "Both", "author_id": author, "body": "<p>x</p>", "body_markdown": "x"}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    let updated = api
        .put(
            &format!("/articles/{article_id}"),
            json!({"state": "draft", "body": "<p>Edited in HTML</p>"}),
        )
        .await
        .expect(200);
    assert_eq!(updated["state"], "draft");
    assert!(updated["body_markdown"].is_null());
    // A draft has a URL too; a new title changes its slug, never its id (links use it).
    let url = article["url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/en/articles/{article_id}-two-factor-login")),
        "{url}"
    );
    let retitled = api
        .put(
            &format!("/articles/{article_id}"),
            json!({"title": "Two-factor sign-in"}),
        )
        .await
        .expect(200);
    let shown = api
        .get(&format!("/articles/{article_id}"))
        .await
        .expect(200);
    for a in [&retitled, &shown] {
        assert_eq!(
            a["url"],
            url.replace("two-factor-login", "two-factor-sign-in"),
            "{a}"
        );
    }
    let page = api.get("/articles?page=2&per_page=4").await.expect(200);
    assert_eq!(page["pages"]["total_pages"], 2);
    assert_eq!(page["data"].as_array().unwrap().len(), 2);

    let deleted = api
        .delete(&format!("/articles/{article_id}"))
        .await
        .expect(200);
    assert_eq!(
        deleted,
        json!({"id": article_id, "object": "article", "deleted": true})
    );
    api.get(&format!("/articles/{article_id}"))
        .await
        .assert_error(404, "not_found");
    let deleted = api
        .delete(&format!("/help_center/collections/{security}"))
        .await
        .expect(200);
    assert_eq!(deleted["deleted"], true);
    api.get(&format!("/help_center/collections/{security}"))
        .await
        .assert_error(404, "not_found");
}

/// Translations on the multilingual default help center (`en`, `fr`, `de`): articles and
/// collections answer `default_locale` and `translated_content` (the default locale's content
/// and each translation); writes take `translated_content` per locale; the English-only
/// premium help center answers neither; unsupported and disabled locales are refused.
async fn help_center_translations(api: &Api) {
    let centers = api.get("/help_center/help_centers").await.expect(200);
    let default = find(&centers["data"], "identifier", "sandbox-co");
    assert_eq!(default["locales"], json!(["en", "fr", "de"]));
    let me = api.get("/me").await.expect(200);
    let author: u64 = me["id"].as_str().unwrap().parse().unwrap();

    let created = api
        .post(
            "/help_center/collections",
            json!({"name": "Guides", "description": "How-to guides",
                   "translated_content": {"fr": {"name": "Guides pratiques", "description": "Comment faire"}}}),
        )
        .await
        .expect(200);
    assert_eq!(created["default_locale"], "en");
    assert_eq!(
        created["translated_content"]["type"],
        "group_translated_content"
    );
    assert_eq!(created["translated_content"]["en"]["name"], "Guides");
    assert_eq!(
        created["translated_content"]["fr"]["name"],
        "Guides pratiques"
    );
    let guides = created["id"].as_str().unwrap().to_string();
    let renamed = api
        .put(
            &format!("/help_center/collections/{guides}"),
            json!({"translated_content": {"de": {"name": "Anleitungen"}, "fr": {"description": "Mode d'emploi"}}}),
        )
        .await
        .expect(200);
    assert_eq!(renamed["translated_content"]["de"]["name"], "Anleitungen");
    assert_eq!(
        renamed["translated_content"]["fr"]["name"],
        "Guides pratiques"
    );
    assert_eq!(
        renamed["translated_content"]["fr"]["description"],
        "Mode d'emploi"
    );
    // Refusals (400 is documented for the creates only).
    api.post(
        "/help_center/collections",
        json!({"name": "Guida", "translated_content": {"it": {"name": "Guida"}}}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    api.post(
        "/help_center/collections",
        json!({"name": "Premium guides", "help_center_id": 502,
               "translated_content": {"fr": {"name": "Guides premium"}}}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    api.post(
        "/help_center/collections",
        json!({"name": "Unnamed", "translated_content": {"fr": {"description": "Sans nom"}}}),
    )
    .await
    .assert_error(400, "parameter_not_found");

    let article = api
        .post(
            "/articles",
            json!({"title": "Start here", "author_id": author, "state": "published",
                   "body_markdown": "Welcome.\n", "parent_id": guides.parse::<u64>().unwrap(),
                   "parent_type": "collection",
                   "translated_content": {"fr": {"title": "Commencez ici", "description": "Le début",
                       "body_markdown": "Bienvenue.\n", "author_id": author, "state": "published"}}}),
        )
        .await
        .expect(200);
    assert_eq!(article["default_locale"], "en");
    let content = &article["translated_content"];
    assert_eq!(content["type"], "article_translated_content");
    assert_eq!(content["en"]["title"], "Start here");
    assert_eq!(content["fr"]["type"], "article_content");
    assert_eq!(content["fr"]["title"], "Commencez ici");
    assert_eq!(content["fr"]["body_markdown"], "Bienvenue.\n");
    assert_eq!(content["fr"]["body"], "<p>Bienvenue.</p>");
    let id = article["id"].as_str().unwrap().to_string();
    let updated = api
        .put(
            &format!("/articles/{id}"),
            json!({"translated_content": {"fr": {"title": "Commencer"}, "de": {"title": "Anfangen", "body": "<p>Hallo</p>"}}}),
        )
        .await
        .expect(200);
    assert_eq!(updated["translated_content"]["fr"]["title"], "Commencer");
    assert_eq!(
        updated["translated_content"]["fr"]["description"],
        "Le début"
    );
    assert_eq!(updated["translated_content"]["de"]["state"], "draft");
    assert!(updated["translated_content"]["de"]["body_markdown"].is_null());
    let listed = api.get("/articles").await.expect(200);
    let listed = find(&listed["data"], "title", "Start here");
    assert_eq!(listed["translated_content"]["de"]["title"], "Anfangen");
    api.post(
        "/articles",
        json!({"title": "Non", "author_id": author,
               "translated_content": {"fr-FR": {"title": "Non"}}}),
    )
    .await
    .assert_error(400, "parameter_invalid");
    api.post(
        "/articles",
        json!({"title": "Untitled", "author_id": author,
               "translated_content": {"de": {"body_markdown": "Ohne Titel"}}}),
    )
    .await
    .assert_error(400, "parameter_not_found");

    // The English-only premium help center: no locale fields; French is not turned on.
    let collections = api.get("/help_center/collections").await.expect(200);
    let premium = find(&collections["data"], "name", "Premium support");
    assert!(premium.get("translated_content").is_none(), "{premium}");
    assert!(premium.get("default_locale").is_none(), "{premium}");
}

async fn events(api: &Api) {
    let event = json!({"event_name": "invited-friend", "created_at": 1767225600,
                       "user_id": "user-1001", "metadata": {"invite_code": "ADDAFRIEND"}});
    let first = api.post("/events", event.clone()).await;
    assert_eq!(first.status, 202);
    assert!(first.text.is_empty());
    assert_eq!(api.post("/events", event).await.status, 202);
    let by_email = api
        .post(
            "/events",
            json!({"event_name": "updated-plan", "created_at": 1767225601, "email": "grace@example.com"}),
        )
        .await;
    assert_eq!(by_email.status, 202);
    let unknown = api
        .post(
            "/events",
            json!({"event_name": "updated-plan", "created_at": 1767225601, "user_id": "nobody"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["type"], "error.list");
    let summary = api
        .get("/events?type=user&user_id=user-1001&summary=true")
        .await
        .expect(200);
    assert_eq!(summary["type"], "event.summary");
    assert_eq!(summary["events"][0]["name"], "invited-friend");
    assert_eq!(summary["events"][0]["count"], 1);
}

async fn team_members(api: &Api) {
    let preview = api.with_version(Some("Preview"));
    let teams = preview.get("/teams").await.expect(200);
    let support = find(&teams["teams"], "name", "Support").clone();
    let id = support["id"].as_str().unwrap();
    let members: Vec<u64> = support["admin_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let admins = preview.get("/admins").await.expect(200);
    let frank: u64 = id_of(&admins["admins"], "email", "frank@example.com")
        .parse()
        .unwrap();

    let mut wanted = members.clone();
    wanted.push(frank);
    let updated = preview
        .put(
            &format!("/teams/{id}"),
            json!({"admin_ids": wanted, "admin_priority_level": {"secondary_admin_ids": [frank]}}),
        )
        .await
        .expect(200);
    assert_eq!(
        updated["admin_ids"].as_array().unwrap().len(),
        members.len() + 1
    );
    let secondary = updated["admin_priority_level"]["secondary_admin_ids"]
        .as_array()
        .unwrap();
    assert!(secondary.contains(&json!(frank)));

    // A team read back can be sent back whole.
    let mut whole = updated.clone();
    whole["admin_ids"] = json!(members);
    preview
        .put(&format!("/teams/{id}"), whole)
        .await
        .expect(200);

    let changed_name = preview
        .put(
            &format!("/teams/{id}"),
            json!({"admin_ids": members, "name": "Renamed"}),
        )
        .await;
    changed_name.assert_error(400, "parameter_invalid");

    let sales = find(&teams["teams"], "name", "Sales");
    let sales_id = sales["id"].as_str().unwrap();
    let sales_members = sales["admin_ids"].clone();
    let first = sales_members[0].clone();
    preview
        .put(
            &format!("/teams/{sales_id}"),
            json!({"admin_ids": sales_members, "admin_priority_level": {"secondary_admin_ids": [first]}}),
        )
        .await
        .assert_error(400, "parameter_invalid");
    // Even an empty list: "`secondary_admin_ids` returns a 400 on any other team".
    preview
        .put(
            &format!("/teams/{sales_id}"),
            json!({"admin_ids": sales_members, "admin_priority_level": {"secondary_admin_ids": []}}),
        )
        .await
        .assert_error(400, "parameter_invalid");
    let set = preview
        .put(&format!("/teams/{sales_id}"), json!({"admin_ids": [first]}))
        .await
        .expect(200);
    assert_eq!(set["admin_ids"], json!([first]));
    assert!(set.get("admin_priority_level").is_none());

    preview
        .put("/teams/999999", json!({"admin_ids": [frank]}))
        .await
        .assert_error(404, "team_not_found");
    let shown: Value = preview.get(&format!("/teams/{id}")).await.expect(200);
    assert_eq!(shown["admin_ids"], json!(members));
}

/// `GET`/`PUT /ip_allowlist`: the seeded (disabled) list, a list that holds the caller saved, and
/// one that would lock the caller out refused with the description's 422.
async fn ip_allowlist(api: &Api) {
    let seeded = api.get("/ip_allowlist").await.expect(200);
    assert_eq!(seeded["type"], "ip_allowlist");
    assert_eq!(seeded["enabled"], false);
    assert_eq!(
        seeded["ip_allowlist"],
        json!(["203.0.113.0/24", "198.51.100.7"])
    );
    let saved = api
        .put(
            "/ip_allowlist",
            json!({"enabled": true, "ip_allowlist": ["127.0.0.0/8", "10.0.0.1"]}),
        )
        .await
        .expect(200);
    assert_eq!(saved["enabled"], true);
    assert_eq!(saved["ip_allowlist"], json!(["127.0.0.0/8", "10.0.0.1"]));
    let refused = api
        .put(
            "/ip_allowlist",
            json!({"enabled": true, "ip_allowlist": ["192.168.1.0/24"]}),
        )
        .await;
    refused.assert_error(422, "parameter_invalid");
    assert!(
        refused
            .message()
            .contains("is not on the allowlist. Saving would lock you out of this workspace."),
        "{}",
        refused.text
    );
    let after = api.get("/ip_allowlist").await.expect(200);
    assert_eq!(after["ip_allowlist"], json!(["127.0.0.0/8", "10.0.0.1"]));
    // Switched off, any list is accepted.
    api.put(
        "/ip_allowlist",
        json!({"enabled": false, "ip_allowlist": ["192.168.1.0/24"]}),
    )
    .await
    .expect(200);
}

/// The attributes of a ticket type as the sandbox sends them: the schema's
/// `ticket_type_attributes.list` (what Intercom's Node SDK parses), not the examples' `list`.
fn ticket_attributes(t: &Value) -> &Value {
    assert_eq!(
        t["ticket_type_attributes"]["type"], "ticket_type_attributes.list",
        "{t}"
    );
    &t["ticket_type_attributes"]["ticket_type_attributes"]
}

/// `/ticket_types` and their attributes: the seeded types with their default attributes, a
/// type created and given a list and a string attribute, the type and an attribute updated,
/// both archived, and the 404 of an unknown type and attribute.
async fn ticket_types(api: &Api) {
    let list = api.get("/ticket_types").await.expect(200);
    assert_eq!(list["type"], "list");
    let bug = find(&list["data"], "name", "Bug Report");
    assert_eq!(bug["category"], "Customer");
    assert_eq!(bug["is_internal"], false);
    let seeded = ticket_attributes(bug);
    assert_eq!(find(seeded, "name", "_default_title_")["default"], true);
    assert_eq!(find(seeded, "name", "Severity")["data_type"], "list");
    let dispute_id = id_of(&list["data"], "name", "Billing Dispute");
    let dispute = api
        .get(&format!("/ticket_types/{dispute_id}"))
        .await
        .expect(200);
    assert_eq!(dispute["category"], "Back-office");

    let created = api
        .post(
            "/ticket_types",
            json!({"name": "Feature Request", "description": "Ideas", "category": "Tracker",
                   "icon": "\u{1F4A1}", "is_internal": false}),
        )
        .await
        .expect(200);
    assert_eq!(created["type"], "ticket_type");
    let names: Vec<&Value> = ticket_attributes(&created)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["name"])
        .collect();
    assert_eq!(
        names,
        [&json!("_default_title_"), &json!("_default_description_")]
    );
    let id = created["id"].as_str().unwrap().to_string();
    let area = api
        .post(
            &format!("/ticket_types/{id}/attributes"),
            json!({"name": "Area", "description": "Product area", "data_type": "list",
                   "list_items": "Inbox,Messenger", "required_to_create": true}),
        )
        .await
        .expect(200);
    assert_eq!(area["type"], "ticket_type_attribute");
    assert_eq!(area["ticket_type_id"].to_string(), id);
    let notes = api
        .post(
            &format!("/ticket_types/{id}/attributes"),
            json!({"name": "Notes", "description": "Anything else", "data_type": "string",
                   "multiline": true, "visible_to_contacts": false}),
        )
        .await
        .expect(200);
    assert_eq!(notes["input_options"]["multiline"], true);
    let notes_id = notes["id"].as_str().unwrap();
    let updated = api
        .put(
            &format!("/ticket_types/{id}/attributes/{notes_id}"),
            json!({"description": "Other details", "visible_on_create": false}),
        )
        .await
        .expect(200);
    assert_eq!(updated["description"], "Other details");
    assert_eq!(updated["visible_on_create"], false);
    let renamed = api
        .put(
            &format!("/ticket_types/{id}"),
            json!({"description": "Ideas from customers", "category": "Customer"}),
        )
        .await
        .expect(200);
    assert_eq!(renamed["category"], "Customer");
    assert_eq!(ticket_attributes(&renamed).as_array().unwrap().len(), 4);
    let archived = api
        .put(
            &format!("/ticket_types/{id}/attributes/{notes_id}"),
            json!({"archived": true}),
        )
        .await
        .expect(200);
    assert_eq!(archived["archived"], true);
    let gone = api
        .put(&format!("/ticket_types/{id}"), json!({"archived": true}))
        .await
        .expect(200);
    assert_eq!(gone["archived"], true);
    let shown = api.get(&format!("/ticket_types/{id}")).await.expect(200);
    assert_eq!(shown["archived"], true);

    api.get("/ticket_types/999999")
        .await
        .assert_error(404, "not_found");
    api.put(
        &format!("/ticket_types/{id}/attributes/999999"),
        json!({"description": "x"}),
    )
    .await
    .assert_error(404, "not_found");
}

/// The admin activity log: the entries the sandbox records for an office-hours write and an IP
/// allowlist change, listed by `GET /admins/activity_logs` in a time range and found by
/// `POST /admins/activity_logs/search` with an event-type filter and page numbers; an invalid
/// token gets the description's 401.
async fn activity_logs(api: &Api) {
    let empty = api
        .get("/admins/activity_logs?created_at_after=0")
        .await
        .expect(200);
    assert_eq!(empty["type"], "activity_log.list");
    assert_eq!(empty["activity_logs"], json!([]));
    api.post(
        "/office_hours_schedules",
        json!({"name": "Audited", "time_zone_name": "Europe/Dublin",
               "time_intervals": [{"start_minute": 540, "end_minute": 1020}]}),
    )
    .await
    .expect(201);
    api.put(
        "/ip_allowlist",
        json!({"enabled": false, "ip_allowlist": ["10.0.0.1"]}),
    )
    .await
    .expect(200);

    let all = api
        .get("/admins/activity_logs?created_at_after=0&created_at_before=4102444800")
        .await
        .expect(200);
    let logs = all["activity_logs"].as_array().unwrap();
    let types: Vec<&str> = logs
        .iter()
        .map(|l| l["activity_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["security_settings_change", "office_hours_change"]);
    assert_eq!(logs[0]["performed_by"]["type"], "admin");
    assert_eq!(logs[0]["performed_by"]["email"], "alice@example.com");
    assert_eq!(all["pages"]["total_pages"], 1);
    // Entries are stamped with the real time: none is in the future.
    let in_future = api
        .get("/admins/activity_logs?created_at_after=4102444800")
        .await
        .expect(200);
    assert_eq!(in_future["activity_logs"], json!([]));

    let found = api
        .post(
            "/admins/activity_logs/search",
            json!({"created_at_after": 0, "event_types": ["office_hours_change"]}),
        )
        .await
        .expect(200);
    assert_eq!(found["activity_logs"].as_array().unwrap().len(), 1);
    assert_eq!(
        found["activity_logs"][0]["activity_type"],
        "office_hours_change"
    );
    let first = api
        .post(
            "/admins/activity_logs/search",
            json!({"created_at_after": 0, "created_at_before": 4_102_444_800_i64,
                   "page": 1, "per_page": 1}),
        )
        .await
        .expect(200);
    assert_eq!(first["pages"]["total_pages"], 2);
    assert_eq!(first["pages"]["per_page"], 1);
    let second = api
        .post(
            "/admins/activity_logs/search",
            json!({"created_at_after": 0, "page": 2, "per_page": 1}),
        )
        .await
        .expect(200);
    assert_eq!(second["pages"]["page"], 2);
    assert_ne!(
        first["activity_logs"][0]["id"],
        second["activity_logs"][0]["id"]
    );

    api.with_token(Some("not-the-token"))
        .post(
            "/admins/activity_logs/search",
            json!({"created_at_after": 0}),
        )
        .await
        .assert_error(401, "unauthorized");
}

/// A content data export (2.16): pending when created, completed once read, then canceled;
/// the activity log records it as the token's admin's `app_data_export`.
async fn data_export(api: &Api) {
    // The types the log may hold, as the description lists them.
    let types = api
        .get("/admins/activity_log_event_types")
        .await
        .expect(200);
    assert_eq!(types["type"], "activity_log_event_type.list");
    let types = types["event_types"].as_array().unwrap();
    assert!(types.contains(&json!("app_data_export")), "{types:?}");
    assert!(types.len() > 100, "{}", types.len());

    let job = api
        .post(
            "/export/content/data",
            json!({"created_at_after": 1_734_519_776, "created_at_before": 1_734_537_776}),
        )
        .await
        .expect(200);
    assert_eq!(job["status"], "pending");
    assert_eq!(job["download_url"], "");
    let id = job["job_identifier"].as_str().unwrap();
    let shown = api
        .get(&format!("/export/content/data/{id}"))
        .await
        .expect(200);
    assert_eq!(shown["status"], "completed");
    assert!(shown["download_url"].as_str().unwrap().ends_with(id));
    let canceled = api
        .send(reqwest::Method::POST, &format!("/export/cancel/{id}"), None)
        .await
        .expect(200);
    assert_eq!(canceled["status"], "canceled");
    let found = api
        .post(
            "/admins/activity_logs/search",
            json!({"created_at_after": 0, "event_types": ["app_data_export"]}),
        )
        .await
        .expect(200);
    assert_eq!(found["activity_logs"].as_array().unwrap().len(), 1);
    assert_eq!(
        found["activity_logs"][0]["performed_by"]["email"],
        "alice@example.com"
    );
}

/// A team-membership write (Preview) is in the activity log as the token's admin, with the
/// members before and after.
async fn team_activity(api: &Api) {
    let teams = api.get("/teams").await.expect(200);
    let sales = find(&teams["teams"], "name", "Sales").clone();
    let id = sales["id"].as_str().unwrap();
    let before = sales["admin_ids"].clone();
    let mut after: Vec<Value> = before.as_array().unwrap().clone();
    after.pop();
    api.put(&format!("/teams/{id}"), json!({"admin_ids": after}))
        .await
        .expect(200);
    let found = api
        .post(
            "/admins/activity_logs/search",
            json!({"created_at_after": 0,
                   "event_types": ["app_team_membership_modification"]}),
        )
        .await
        .expect(200);
    let entry = &found["activity_logs"][0];
    assert_eq!(entry["activity_type"], "app_team_membership_modification");
    assert_eq!(entry["performed_by"]["email"], "alice@example.com");
    assert_eq!(entry["metadata"]["before"]["admin_ids"], before);
    assert_eq!(entry["metadata"]["after"]["admin_ids"], json!(after));
    assert_eq!(entry["metadata"]["team"]["name"], "Sales");
}
