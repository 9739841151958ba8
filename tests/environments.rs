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
  team["Support"].members: [alice@example.com, carol@example.com]
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
    // The override replaced the members: carol instead of bob in staging.
    let team = staging["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "team[\"Support\"]")
        .expect("a change of the Support team");
    let members = team["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "members")
        .expect("a members field");
    let new = members["new"].to_string();
    assert!(
        new.contains("carol@example.com") && !new.contains("bob@example.com"),
        "{team:#}"
    );

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
    p.run_bare(&["validate", "--env", "production"])
        .one_error(
            "environments/production.yaml:3:15: error: the variable `RUNBOOK_OWNER` is not defined",
        )
        .stderr_has("declare it under `environments.production.variables`");
}

#[test]
fn a_broken_overlay_is_one_located_error() {
    let p = project();
    p.write(
        "intercom/environments/staging.yaml",
        "override:\n  tag[\"Nope\"]:\n    name: x\n",
    );
    p.run_bare(&["validate", "--env", "staging"])
        .one_error("environments/staging.yaml:2:3: error: `tag[\"Nope\"]` is not declared in the base configuration")
        .stderr_has("declare it under `tags:` in this file");
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
    // Staging's app_id is the guard: the served sandbox is another app, so nothing is read.
    let server = Served::start(&[]);
    Cli::new(p.dir())
        .args(["plan", "--env", "staging", "--endpoint", &server.url])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
        .run()
        .code(1)
        .stderr_has("not-the-sandbox");
}

/// Two sandboxes standing for two workspaces, and a configuration whose environments guard
/// them by app id.
struct TwoWorkspaces {
    staging: Served,
    production: Served,
    project: Project,
}

impl TwoWorkspaces {
    fn new() -> TwoWorkspaces {
        let staging = Served::start(&["--app-id", "stg-app", "--token", TOKEN]);
        let production = Served::start(&["--app-id", "prod-app", "--token", TOKEN]);
        let project = project();
        let base = BASE
            .replace("  staging:\n", "  staging:\n    app_id: stg-app\n")
            .replace("  production:\n", "  production:\n    app_id: prod-app\n");
        project.write("intercom/main.yaml", &base);
        TwoWorkspaces {
            staging,
            production,
            project,
        }
    }

    fn run(&self, args: &[&str]) -> support::Run {
        against_both(
            Cli::new(self.project.dir()).args(args),
            &self.staging,
            &self.production,
        )
        .run()
    }
}

/// `cli` with each environment's endpoint (`staging`, `production`) and the token.
fn against_both(cli: Cli, staging: &Served, production: &Served) -> Cli {
    cli.args(["--endpoint", &format!("staging={}", staging.url)])
        .args(["--endpoint", &format!("production={}", production.url)])
        .env("INTERCOM_ACCESS_TOKEN", TOKEN)
}

/// Promotes staging to production: `apply --env production --require-clean staging`.
const PROMOTE: &[&str] = &[
    "apply",
    "--env",
    "production",
    "--require-clean",
    "staging",
    "--auto-approve",
];

#[test]
fn plan_and_drift_of_every_environment_show_one_section_each() {
    let w = TwoWorkspaces::new();
    let r = w.run(&["plan", "--env", "all", "--detailed-exitcode"]);
    r.code(2);
    let staging = r
        .stdout
        .find("=== environment staging ===")
        .expect("staging section");
    let production = r
        .stdout
        .find("=== environment production ===")
        .expect("production section");
    assert!(staging < production);
    assert_eq!(r.stdout.matches("Digest: ").count(), 2, "{}", r.stdout);
    assert!(r.stdout[staging..production].contains("Staging only"));
    assert!(!r.stdout[production..].contains("Staging only"));

    let json = w.run(&["plan", "--env", "all", "--format", "json"]).json();
    assert!(has(
        &json["environments"]["staging"],
        "tag[\"Staging only\"]",
        "create"
    ));
    assert!(!has(
        &json["environments"]["production"],
        "tag[\"Staging only\"]",
        "create"
    ));
    assert_eq!(
        json["environments"]["production"]["target"]["app_id"],
        "prod-app"
    );

    let md = w.run(&["plan", "--env", "all", "--format", "markdown"]);
    md.code(0)
        .stdout_has("## Environment `staging`")
        .stdout_has("## Environment `production`");
    // One marker names each environment's digest, as the text plans show them.
    let first = md.stdout.lines().next().unwrap();
    let digest = |env: &str| {
        let text = w.run(&["plan", "--env", env]).stdout;
        let line = text
            .lines()
            .find(|l| l.starts_with("Digest: "))
            .unwrap()
            .to_string();
        line["Digest: ".len()..].to_string()
    };
    assert_eq!(
        first,
        format!(
            "<!-- intercom-iac plan digests: staging={} production={} -->",
            digest("staging"),
            digest("production")
        )
    );

    // Nothing was written anywhere by planning.
    assert_eq!(w.staging.writes() + w.production.writes(), 0);

    w.run(&["apply", "--env", "staging", "--auto-approve"])
        .code(0);
    w.run(PROMOTE).code(0).stderr_has("staging is clean");
    w.run(&["drift", "--env", "all"]).code(0);
    w.run(&["plan", "--env", "all", "--detailed-exitcode"])
        .code(0);
}

#[test]
fn the_promotion_guard_refuses_while_staging_is_dirty_and_writes_nothing() {
    let w = TwoWorkspaces::new();
    w.run(PROMOTE)
        .code(1)
        .stderr_has("staging is not clean: its plan has")
        .stderr_has("nothing was written to production");
    assert_eq!(w.production.writes(), 0);
    assert_eq!(w.staging.writes(), 0);
    // The guard needs an environment to apply, and another one.
    w.run(&[
        "apply",
        "--env",
        "staging",
        "--require-clean",
        "staging",
        "--auto-approve",
    ])
    .code(1)
    .stderr_has("that is the environment being applied");
    w.run(&["apply", "--env", "all", "--auto-approve"])
        .code(1)
        .stderr_has("--env all works with plan, drift, validate and audit only");
}

#[test]
fn each_environment_has_its_own_embedded_sandbox() {
    let p = project();
    let base = BASE.replace("  staging:\n", "  staging:\n    app_id: stg-app\n");
    p.write("intercom/main.yaml", &base);
    p.run(&["apply", "--env", "staging", "--auto-approve"])
        .code(0);
    assert!(p.path("state.staging.json").exists());
    assert!(!p.path("state.production.json").exists());
    p.run(&["plan", "--env", "staging", "--detailed-exitcode"])
        .code(0);
    p.run(&["plan", "--env", "production", "--detailed-exitcode"])
        .code(2);
}

#[test]
fn adopting_a_second_workspace_is_one_export() {
    let w = TwoWorkspaces::new();
    // Production has never been managed: its export becomes its overlay …
    w.run(&["export", "--env", "production", "--out", "intercom"])
        .code(0)
        .stderr_has("environments/production.yaml");
    let overlay = w.project.read("intercom/environments/production.yaml");
    assert!(overlay.contains("remove:"), "{overlay}");
    assert!(
        overlay.contains("contact_attribute[\"support_contact\"]"),
        "{overlay}"
    );
    assert!(overlay.contains("Churn risk"), "{overlay}");
    // … which adds nothing the base already says.
    assert!(
        !overlay.lines().any(|l| l.trim() == "- name: VIP"),
        "{overlay}"
    );
    // The environment now plans empty, staging is unchanged, and nothing was written.
    w.run(&["plan", "--env", "production", "--detailed-exitcode"])
        .code(0);
    w.run(&["plan", "--env", "staging", "--detailed-exitcode"])
        .code(2);
    assert_eq!(w.production.writes() + w.staging.writes(), 0);
}

#[test]
fn markdown_takes_the_environment_variables_with_located_errors() {
    let p = project();
    let base = BASE.replace(
        "      SUPPORT_EMAIL: support-staging@example.com\n",
        "      SUPPORT_EMAIL: support-staging@example.com\n      PRODUCT: Acme (staging)\n",
    );
    p.write("intercom/main.yaml", &base);
    p.write(
        "intercom/help_center/Guides/start.md",
        "---\ntitle: Start with ${PRODUCT}\n---\nWrite to ${SUPPORT_EMAIL}.\n",
    );
    let plan = p
        .run(&["plan", "--env", "staging", "--format", "json"])
        .json();
    // A new article in a new collection is created by the collection's change.
    let article = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["ops"].as_array().unwrap())
        .find(|op| op["op"] == "create_article")
        .expect("the article's create");
    assert_eq!(article["title"], "Start with Acme (staging)", "{article:#}");
    assert!(
        plan.to_string()
            .contains("Write to support-staging@example.com.")
    );
    // Production declares no PRODUCT: one error, at the variable in the front matter.
    p.run_bare(&["validate", "--env", "production"])
        .code(1)
        .stderr_has(
            "help_center/Guides/start.md:2:19: error: the variable `PRODUCT` is not defined",
        );
    // In the body, the position is the body's line and column.
    p.write(
        "intercom/help_center/Guides/start.md",
        "---\ntitle: Start\n---\nFirst line.\nThen ${NOPE} here.\n",
    );
    p.run_bare(&["validate", "--env", "staging"])
        .code(1)
        .stderr_has("help_center/Guides/start.md:5:6: error: the variable `NOPE` is not defined");
}

/// The example itself, on two served sandboxes standing for its two workspaces (with identity
/// verification on, which the example requires and the API cannot switch on).
#[test]
fn the_example_promotes_staging_to_production_and_then_has_no_drift() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let staging = Served::start(&["--token", TOKEN, "--identity-verification"]);
    let production = Served::start(&[
        "--token",
        TOKEN,
        "--app-id",
        "acmeprod",
        "--identity-verification",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let cli = Cli::new(dir.path()).arg("-c").arg(&example).args(args);
        against_both(cli, &staging, &production).run()
    };
    let both = run(&["plan", "--env", "all", "--detailed-exitcode"]);
    both.code(2)
        .stdout_has("=== environment staging ===")
        .stdout_has("=== environment production ===")
        .stdout_has("qa-test-account")
        .stdout_has("Linear (staging project)");
    // Production cannot be promoted while staging has changes.
    run(PROMOTE).code(1).stderr_has("staging is not clean");
    assert_eq!(production.writes(), 0);
    run(&["apply", "--env", "staging", "--auto-approve"]).code(0);
    run(PROMOTE).code(0);
    run(&["drift", "--env", "all"]).code(0);
    run(&["plan", "--env", "all", "--detailed-exitcode"]).code(0);
}

#[test]
fn env_on_a_configuration_without_environments_names_it() {
    let p = Project::in_process();
    p.config("tags:\n  - name: VIP\n");
    p.run_bare(&["validate", "--env", "staging"])
        .code(1)
        .stderr_has("intercom: error: --env staging: the configuration declares no environments")
        .stderr_has("help: declare them under `environments:`, or leave out --env");
}
