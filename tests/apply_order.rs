//! The order of apply's writes, read from the sandbox's own request timeline
//! (`GET /_sandbox/stats` → `timeline`: when each call arrived and was answered): a new
//! schedule's create is answered before any of its exceptions arrives, and when a prerequisite
//! fails its dependents make no call and are reported skipped. Also what the timeline holds.

mod support;

use std::sync::Arc;
use std::time::Duration;

use intercom_iac::apply::{ApplyOptions, ApplyReport, Outcome, apply};
use intercom_iac::config::load_sources;
use intercom_iac::intercom::{Client, ClientOptions};
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::model::change::Op;
use intercom_iac::plan::{Filter, Plan, diff};
use intercom_iac::sandbox::{Sandbox, SandboxOptions};
use serde_json::Value;
use support::{Api, TOKEN, endpoint_client, stats_async};

const CONFIG: &str = r#"
version: 1
tags:
  - name: VIP
  - name: Beta
    renamed_from: Beta tester
  - name: Churn risk
  - name: Fresh tag
office_hours:
  - name: Weekend hours
    time_zone: Europe/Dublin
    hours:
      sat-sun: ["10:00-14:00"]
    exceptions:
      - {date: 2026-12-26, closed: true, name: St Stephen's Day}
      - {date: 2026-12-27, hours: ["11:00-13:00"], name: Short day}
      - {date: 2027-01-01, closed: true, name: New Year}
"#;

async fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let client = endpoint_client(
        &sandbox.url(),
        TOKEN,
        ClientOptions {
            timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        },
    );
    (sandbox, client)
}

async fn plan(client: &Client) -> Plan {
    let loaded = load_sources(vec![("workspace.yaml".into(), CONFIG.as_bytes().to_vec())]);
    let desired = loaded.unwrap().desired;
    client.me().await.unwrap();
    let live = fetch_live(client, &Scope::all()).await.unwrap();
    diff(&desired, &live, &Filter::default(), &[]).unwrap()
}

async fn run(plan: &Plan, client: &Client) -> ApplyReport {
    apply(
        plan,
        Arc::new(client.clone()),
        ApplyOptions { concurrency: 8 },
        |_| {},
    )
    .await
}

/// The timeline's calls of `operation` (`"POST /tags"`).
fn calls<'a>(timeline: &'a [Value], operation: &str) -> Vec<&'a Value> {
    timeline
        .iter()
        .filter(|c| c["operation"] == operation)
        .collect()
}

fn tick(call: &Value, field: &str) -> u64 {
    call[field].as_u64().unwrap()
}

fn outcome<'r>(report: &'r ApplyReport, key: &str) -> &'r Outcome {
    &report
        .changes
        .iter()
        .find(|r| r.address.key == key)
        .unwrap_or_else(|| panic!("no change of {key}: {report:?}"))
        .outcome
}

#[tokio::test]
async fn a_new_schedule_is_created_before_its_exceptions_are_sent() {
    let (sandbox, client) = start().await;
    let plan = plan(&client).await;
    let report = run(&plan, &client).await;
    assert!(!report.failed(), "{report:?}");

    let stats = stats_async(&sandbox.url()).await;
    let timeline = stats["timeline"].as_array().unwrap();
    let created = calls(timeline, "POST /office_hours_schedules");
    assert_eq!(created.len(), 1, "{created:?}");
    let created = created[0];
    assert_eq!(created["status"], 201);
    let exceptions = calls(
        timeline,
        "POST /office_hours_schedules/{id}/office_hours_exceptions",
    );
    assert_eq!(exceptions.len(), 3, "{exceptions:?}");
    for e in exceptions {
        assert!(
            tick(created, "end") < tick(e, "start"),
            "exception sent before its schedule was created: {created} / {e}"
        );
        assert!(tick(e, "start") < tick(e, "end"));
        assert!(
            e["path"]
                .as_str()
                .unwrap()
                .starts_with("/office_hours_schedules/")
        );
    }
}

#[tokio::test]
async fn a_failed_rename_skips_its_kinds_other_changes_without_a_call() {
    let (sandbox, client) = start().await;
    let plan = plan(&client).await;
    // Someone deletes the tag between plan and apply: the rename gets a 404.
    let api = Api::new(&sandbox.url(), TOKEN);
    let tags = api.send(reqwest::Method::GET, "/tags", None).await;
    let beta = tags.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Beta tester")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let deleted = api
        .send(reqwest::Method::DELETE, &format!("/tags/{beta}"), None)
        .await;
    assert_eq!(deleted.status.as_u16(), 200);

    let report = run(&plan, &client).await;
    assert!(
        matches!(outcome(&report, "Beta"), Outcome::Failed { .. }),
        "{report:?}"
    );
    assert_eq!(
        *outcome(&report, "Fresh tag"),
        Outcome::Skipped {
            reason: "tag[\"Beta\"] did not complete".into()
        }
    );
    // Office hours do not depend on tags.
    assert_eq!(*outcome(&report, "Weekend hours"), Outcome::Applied);

    let stats = stats_async(&sandbox.url()).await;
    let timeline = stats["timeline"].as_array().unwrap();
    // One POST /tags: the failed rename. The create of `Fresh tag` was never sent.
    let posts = calls(timeline, "POST /tags");
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0]["status"], 404);
}

#[tokio::test]
async fn a_refused_schedule_create_sends_none_of_its_exceptions() {
    let (sandbox, client) = start().await;
    let mut plan = plan(&client).await;
    let change = plan
        .changes
        .iter_mut()
        .find(|c| c.address.key == "Weekend hours")
        .unwrap();
    // A time zone Intercom does not know: the create is refused with a 422.
    match &mut change.ops[0] {
        Op::CreateOfficeHours(new) => new.time_zone = "Mars/Olympus_Mons".into(),
        other => panic!("not a schedule create: {other:?}"),
    }
    let report = run(&plan, &client).await;
    assert!(
        matches!(
            outcome(&report, "Weekend hours"),
            Outcome::Failed { ops_done: 0, .. }
        ),
        "{report:?}"
    );

    let stats = stats_async(&sandbox.url()).await;
    let timeline = stats["timeline"].as_array().unwrap();
    let created = calls(timeline, "POST /office_hours_schedules");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["status"], 422);
    let exceptions = calls(
        timeline,
        "POST /office_hours_schedules/{id}/office_hours_exceptions",
    );
    assert!(exceptions.is_empty(), "{exceptions:?}");
}

#[tokio::test]
async fn the_timeline_holds_every_call_with_its_query_and_a_strict_order() {
    let (sandbox, _) = start().await;
    let api = Api::new(&sandbox.url(), TOKEN);
    api.send(reqwest::Method::GET, "/audiences?per_page=1&page=2", None)
        .await;
    api.send(reqwest::Method::GET, "/nowhere", None).await;
    let stats = stats_async(&sandbox.url()).await;
    let timeline = stats["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 2, "{timeline:?}");
    let (first, second) = (&timeline[0], &timeline[1]);
    assert_eq!(first["operation"], "GET /audiences");
    assert_eq!(first["path"], "/audiences");
    assert_eq!(first["query"], "per_page=1&page=2");
    assert_eq!(first["status"], 200);
    assert_eq!(second["operation"], "GET (unmatched)");
    assert_eq!(second["status"], 404);
    assert!(tick(first, "start") < tick(first, "end"));
    assert!(tick(first, "end") < tick(second, "start"));
    assert!(tick(second, "start") < tick(second, "end"));
    assert!(tick(first, "start_us") <= tick(first, "end_us"));
    assert_eq!(stats["timeline_dropped"], 0);
}
