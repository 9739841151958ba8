//! Environments end to end: one configuration, overlays and variables per environment, `--env`
//! on every command, located errors for broken overlays and undefined variables, and one token
//! per environment.

mod support;

use serde_json::Value;
use support::{Cli, Project, Served, TOKEN};

const BASE: &str = r#"
environments:
  staging:
    variables:
      SUPPORT_EMAIL: support-staging@example.com
    overlays: [environments/staging.yaml]
  production:
    variables:
      SUPPORT_EMAIL: support@example.com
    overlays: [environments/production.yaml]
tags:
  - name: VIP
  - name: Beta tester
data_attributes:
  contact:
    - name: support_contact
      type: string
      description: "Write to ${SUPPORT_EMAIL} first"
teams:
  - name: Support
    members: [alice@example.com, bob@example.com]
"#;

const STAGING: &str = r#"
tags:
  - name: Staging only
override:
  team["Support"].members: [alice@example.com]
remove:
  - tag["Beta tester"]
"#;

const PRODUCTION: &str =
    "override:\n  contact_attribute[\"support_contact\"]:\n    messenger_writable: true\n";

fn project() -> Project {
    let p = Project::in_process();
    p.write("intercom/main.yaml", BASE)
        .write("intercom/environments/staging.yaml", STAGING)
        .write("intercom/environments/production.yaml", PRODUCTION);
    p
}

/// The plan's changes as (address, action).
fn changes(plan: &Value) -> Vec<(String, String)> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_string(),
                c["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(plan: &Value, address: &str, action: &str) -> bool {
    changes(plan)
        .iter()
        .any(|(a, x)| a == address && x == action)
}

#[test]
fn each_environment_plans_its_own_resolved_configuration() {
    let p = project();
    let staging = p
        .run(&["plan", "--env", "staging", "--format", "json"])
        .json();
    assert!(
        has(&staging, "tag[\"Staging only\"]", "create"),
        "{staging:#}"
    );
    assert!(
        has(&staging, "contact_attribute[\"support_contact\"]", "create"),
        "{staging:#}"
    );
    assert!(!has(&staging, "tag[\"Beta tester\"]", "create"));
    let text = staging.to_string();
    assert!(text.contains("support-staging@example.com"), "{text}");
    assert!(!text.contains("${SUPPORT_EMAIL}"));
    // The override took alice alone: bob leaves the team in staging.
    let team = staging["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "team[\"Support\"]")
        .expect("a change of the Support team");
    assert!(!team.to_string().contains("bob@example.com\"]"), "{team:#}");

    let production = p
        .run(&["plan", "--env", "production", "--format", "json"])
        .json();
    assert!(!has(&production, "tag[\"Staging only\"]", "create"));
    let attribute = production["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "contact_attribute[\"support_contact\"]")
        .expect("the attribute's create");
    assert_eq!(
        attribute["ops"][0]["messenger_writable"], true,
        "{attribute:#}"
    );
    assert!(production.to_string().contains("support@example.com"));
    assert!(!production.to_string().contains("support-staging@"));
}

#[test]
fn without_env_a_command_names_the_environments_and_does_nothing() {
    let p = project();
    p.run(&["plan"])
        .code(1)
        .stderr_has("declares environments (staging, production): choose one with --env NAME");
    p.run(&["plan", "--env", "qa"])
        .code(1)
        .stderr_has("--env qa: no such environment")
        .stderr_has("declared: staging, production");
}

#[test]
fn validate_checks_every_environment_and_reports_base_problems_once() {
    let p = project();
    p.run_bare(&["validate"])
        .code(0)
        .stderr_has("valid in each of its 2 environments");
    p.write("intercom/extra.yaml", "tags:\n  - name: [not, a, string]\n");
    let r = p.run_bare(&["validate"]);
    r.code(1);
    assert_eq!(
        r.stderr.matches("intercom/extra.yaml:2:").count(),
        1,
        "{}",
        r.stderr
    );
}

#[test]
fn an_undefined_variable_is_one_located_error() {
    let p = project();
    p.write(
        "intercom/environments/production.yaml",
        "teams:\n  - name: Sales\n    members: [\"${RUNBOOK_OWNER}\"]\n",
    );
    let r = p.run_bare(&["validate", "--env", "production"]);
    r.code(1)
        .stderr_has(
            "environments/production.yaml:3:15: error: the variable `RUNBOOK_OWNER` is not defined",
        )
        .stderr_has("declare it under `environments.production.variables`");
    assert_eq!(r.stderr.matches(": error: ").count(), 1, "{}", r.stderr);
}

#[test]
fn a_broken_overlay_is_one_located_error() {
    let p = project();
    p.write(
        "intercom/environments/staging.yaml",
        "override:\n  tag[\"Nope\"]:\n    name: x\n",
    );
    let r = p.run_bare(&["validate", "--env", "staging"]);
    r.code(1)
        .stderr_has("environments/staging.yaml:2:3: error: `tag[\"Nope\"]` is not declared in the base configuration")
        .stderr_has("declare it under `tags:` in this file");
    assert_eq!(r.stderr.matches(": error: ").count(), 1, "{}", r.stderr);
}

#[test]
fn a_bad_overridden_value_is_reported_in_the_overlay() {
    let p = project();
    p.write(
        "intercom/environments/staging.yaml",
        "override:\n  team[\"Support\"].members: 42\n",
    );
    let r = p.run_bare(&["validate", "--env", "staging"]);
    r.code(1)
        .stderr_has("environments/staging.yaml:2:")
        .stderr_has("members");
    assert!(!r.stderr.contains("main.yaml:2:"), "{}", r.stderr);
}

#[test]
fn overlay_keys_in_a_base_file_and_missing_overlay_files_are_errors() {
    let p = project();
    p.write("intercom/other.yaml", "remove: ['tag[\"VIP\"]']\n");
    p.run_bare(&["validate", "--env", "staging"])
        .code(1)
        .stderr_has("other.yaml:1:1: error: `remove` belongs in an environment's overlay file");
    std::fs::remove_file(p.path("intercom/other.yaml")).unwrap();
    std::fs::remove_file(p.path("intercom/environments/production.yaml")).unwrap();
    p.run_bare(&["validate", "--env", "production"])
        .code(1)
        .stderr_has(
            "the overlay file `environments/production.yaml` of `production` does not exist",
        );
}

#[test]
fn a_variable_cannot_read_the_token() {
    let p = project();
    p.write(
        "intercom/environments/production.yaml",
        "tags:\n  - name: ${env:INTERCOM_ACCESS_TOKEN_PRODUCTION}\n",
    );
    let r = Cli::new(p.dir())
        .args(["validate", "--env", "production"])
        .env("INTERCOM_ACCESS_TOKEN_PRODUCTION", "tok-very-secret")
        .run();
    r.code(1)
        .stderr_has("would put the access token into the configuration");
    assert!(!r.all().contains("tok-very-secret"));
}

#[test]
fn each_environment_uses_its_own_token() {
    let server = Served::start(&[]);
    let p = project();
    let run = |token_var: &str| {
        Cli::new(p.dir())
            .args(["plan", "--env", "staging", "--detailed-exitcode"])
            .args(["--endpoint", &server.url])
            .env(token_var, TOKEN)
            .env(
                if token_var == "INTERCOM_ACCESS_TOKEN" {
                    "INTERCOM_ACCESS_TOKEN_PRODUCTION"
                } else {
                    "INTERCOM_ACCESS_TOKEN"
                },
                "wrong-token",
            )
            .run()
    };
    // The environment's own token wins over INTERCOM_ACCESS_TOKEN …
    run("INTERCOM_ACCESS_TOKEN_STAGING").code(2);
    // … and INTERCOM_ACCESS_TOKEN serves an environment without one.
    run("INTERCOM_ACCESS_TOKEN").code(2);
}

#[test]
fn an_environment_guards_its_own_workspace_and_overrides_workspace_settings() {
    let p = project();
    let base = BASE.replace("  staging:\n", "  staging:\n    app_id: not-the-sandbox\n");
    p.write(
        "intercom/main.yaml",
        &format!("{base}workspace:\n  ip_allowlist: {{enabled: false}}\n"),
    );
    p.write(
        "intercom/environments/production.yaml",
        "workspace:\n  ip_allowlist: {enabled: false, ranges: [10.0.0.0/8]}\n",
    );
    // The overlay's allowlist replaces the base's instead of clashing with it.
    p.run_bare(&["validate", "--env", "production"]).code(0);
    // Staging's app_id is the guard: the sandbox is another app, so nothing is read.
    p.run(&["plan", "--env", "staging"])
        .code(1)
        .stderr_has("not-the-sandbox");
}
