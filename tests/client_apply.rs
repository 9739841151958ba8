//! End to end through the client: load a configuration, read the sandbox, plan, apply the plan
//! with `Client` as the writer, read again, and find nothing left to do.

mod support;

use std::sync::Arc;
use std::time::Duration;

use intercom_iac::apply::{ApplyOptions, Outcome, apply};
use intercom_iac::config::load_sources;
use intercom_iac::intercom::{ClientOptions, check_workspace};
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::plan::{Filter, diff};
use intercom_iac::sandbox::{Sandbox, SandboxOptions};
use support::endpoint_client;

const CONFIG: &str = r#"
version: 1
workspace:
  app_id: sbx4c0de
prune: [tags, audiences]
data_attributes:
  contact:
    - name: plan_tier
      type: list
      options: [free, pro, enterprise, partner]
      description: Billing plan tier
    - name: onboarding_step
      type: list
      options: [signed_up, connected, done]
      description: Furthest onboarding step
    - name: seats
      type: integer
      description: Paid seats
      archived: true
  company:
    - name: mrr_cents
      type: integer
      description: Monthly recurring revenue in cents
conversation_attributes:
  - name: Issue type
    type: list
    options: [Bug, Billing, How-to]
    visible_to_teams: [Support]
  - name: Deal size
    type: decimal
tags:
  - name: VIP
  - name: trial-expiring
teams:
  - name: Support
    members: [alice@example.com, bob@example.com, carol@example.com, frank@example.com]
    secondary: [carol@example.com, frank@example.com]
office_hours:
  - name: Weekend hours
    time_zone: Europe/Dublin
    hours:
      sat-sun: ["10:00-14:00"]
    exceptions:
      - {date: 2026-12-26, closed: true, name: St Stephen's Day, recurring: true}
      - {date: 2026-12-27, hours: ["11:00-13:00"], name: Short day}
audiences:
  - name: Trial users
    predicates:
      - {attribute: company.plan_tier, type: string, comparison: eq, value: trial}
    role_predicates:
      - {attribute: role, type: role, comparison: eq, value: user}
"#;

async fn converge(opts: SandboxOptions) {
    let sandbox = Sandbox::start(opts).await.unwrap();
    let client = endpoint_client(
        &sandbox.url(),
        "sbx_apply_token",
        ClientOptions {
            timeout: Duration::from_secs(2),
            backoff_base: Duration::from_millis(20),
            backoff_max: Duration::from_millis(200),
            ..ClientOptions::default()
        },
    );
    let loaded = load_sources(vec![("workspace.yaml".into(), CONFIG.as_bytes().to_vec())]);
    let desired = loaded.unwrap().desired;
    let me = client.me().await.unwrap();
    let app_id = desired.workspace.app_id.as_ref().map(|a| a.value.as_str());
    check_workspace(&me, app_id).unwrap();

    let live = fetch_live(&client, &Scope::all()).await.unwrap();
    let plan = diff(&desired, &live, &Filter::default(), &[]).unwrap();
    assert!(
        plan.changes.len() > 10,
        "too little to apply: {:?}",
        plan.summary()
    );
    let report = apply(
        &plan,
        Arc::new(client.clone()),
        ApplyOptions::default(),
        |_| {},
    )
    .await;
    for change in &report.changes {
        assert!(
            matches!(change.outcome, Outcome::Applied),
            "{}: {:?}",
            change.address,
            change.outcome
        );
    }

    let live = fetch_live(&client, &Scope::all()).await.unwrap();
    let again = diff(&desired, &live, &Filter::default(), &[]).unwrap();
    let left: Vec<String> = again
        .changes
        .iter()
        .map(|c| c.address.to_string())
        .collect();
    assert!(left.is_empty(), "still to change after apply: {left:?}");
}

#[tokio::test]
async fn a_plan_applied_through_the_client_converges() {
    converge(SandboxOptions::default()).await;
}

#[tokio::test]
async fn a_plan_applied_through_the_client_converges_despite_faults() {
    converge(SandboxOptions {
        fault_rate: 0.2,
        fault_seed: 11,
        ..SandboxOptions::default()
    })
    .await;
}
