//! A workspace that says no, end to end against `sandbox serve`: a token without a scope
//! (`--deny-scope`), a plan without team membership (`--restrict team-membership`), a
//! membership write that loses a race (`--team-conflicts`), and levels on a team that has
//! none (the sandbox answers `secondary_admin_ids` there with a 400, as the description says).

mod support;

use serde_json::Value;
use support::{Project, Run, Served, StatsExt, TOKEN};

/// How often the sandbox was called with `op` (`"GET /office_hours_schedules"`).
fn calls(server: &Served, op: &str) -> u64 {
    server.stats()["calls"][op].as_u64().unwrap_or(0)
}

/// How often `op` succeeded.
fn succeeded(server: &Served, op: &str) -> u64 {
    server.stats()["succeeded"][op].as_u64().unwrap_or(0)
}

/// The sorted member e-mails of a team in a served sandbox's state file.
fn members(state: &Value, team: &str) -> Vec<String> {
    let t = state["teams"]
        .as_object()
        .unwrap()
        .values()
        .find(|t| t["name"] == team)
        .unwrap_or_else(|| panic!("no team {team}"));
    let mut emails: Vec<String> = t["admin_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            state["admins"][id.to_string()]["email"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    emails.sort();
    emails
}

/// The token reaches no output.
#[track_caller]
fn no_token(run: &Run) {
    assert!(
        !run.all().contains(TOKEN),
        "the token leaked:\n{}",
        run.all()
    );
}

#[test]
fn a_denied_scope_answers_like_intercom() {
    let server = Served::start(&["--deny-scope", "office_hours", "--deny-scope", "tags"]);
    for path in ["/office_hours_schedules", "/tags"] {
        let (status, body) = server.api("GET", path, None);
        assert_eq!(status, 401, "{path}: {body}");
        assert_eq!(body["type"], "error.list", "{body}");
        assert!(body["request_id"].is_string(), "{body}");
        assert_eq!(body["errors"][0]["code"], "token_unauthorized", "{body}");
        assert_eq!(
            body["errors"][0]["message"],
            "Not authorized to access resource"
        );
    }
    // The rest of the workspace, and the token itself, still work.
    assert_eq!(server.api("GET", "/me", None).0, 200);
    assert_eq!(server.api("GET", "/teams", None).0, 200);
    assert_eq!(server.stats().counter("unauthorized"), 2);
}

#[test]
fn sandbox_serve_refuses_unknown_scope_and_restriction_names() {
    let dir = tempfile::tempdir().unwrap();
    let r = support::Cli::new(dir.path())
        .args(["sandbox", "serve", "--deny-scope", "office_hour"])
        .run();
    r.code(1)
        .stderr_has("--deny-scope: unknown scope `office_hour`");
    r.stderr_has("help: use one of: admins, teams,");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let r = support::Cli::new(dir.path())
        .args(["sandbox", "serve", "--restrict", "teams"])
        .run();
    r.code(1)
        .stderr_has("--restrict: unknown restriction `teams`\n  help: use: team-membership");
}

const OFFICE_HOURS_LIST: &str = "GET /office_hours_schedules";

const OFFICE_HOURS: &str = "office_hours:\n  - name: Standard Support Hours\n    time_zone: America/New_York\n    hours:\n      mon-fri: [\"09:00-17:00\"]\n";

#[test]
fn export_writes_every_kind_it_can_read_and_names_the_missing_scope() {
    let server = Served::start(&["--deny-scope", "office_hours"]);
    let p = Project::served(&server);
    let r = p.run(&["export", "--out", "intercom"]);
    r.code(0)
        .stderr_has("note: office_hours cannot be read (HTTP 401 token_unauthorized)")
        .stderr_has("`read_write_office_hours` OAuth scope")
        .stderr_has("help: office_hours is left out of the export");
    no_token(&r);
    assert!(p.read("intercom/tags.yaml").contains("- name: VIP"));
    assert!(p.read("intercom/teams.yaml").contains("- name: Support"));
    assert!(
        !p.path("intercom/office_hours.yaml").exists(),
        "nothing is exported for a kind that could not be read"
    );
    assert_eq!(calls(&server, OFFICE_HOURS_LIST), 1);

    // The export is a configuration that plans clean, without reading office hours again.
    let r = p.run(&["plan", "--detailed-exitcode"]);
    r.code(0)
        .stdout_has("No changes. The workspace matches the configuration.");
    assert_eq!(calls(&server, OFFICE_HOURS_LIST), 1);

    // On stdout too; -q hides the note but not the data.
    let r = p.run(&["export", "-q"]);
    r.code(0).stdout_has("tags:\n");
    assert!(!r.stdout.contains("office_hours"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn export_only_a_kind_the_token_may_not_read_fails() {
    let server = Served::start(&["--deny-scope", "office_hours"]);
    let p = Project::served(&server);
    for only in [
        &["--only", "office_hours"][..],
        &["--only", "tags", "--only", "office_hours"],
    ] {
        let r = p.run(&[&["export"][..], only].concat());
        r.code(1)
            .stderr_has("error: office_hours cannot be read (HTTP 401 token_unauthorized)")
            .stderr_has("`read_write_office_hours` OAuth scope")
            .stderr_has("help: grant the token the missing permission, or export without --only office_hours");
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        no_token(&r);
    }
    // A kind it may read is exported as asked.
    p.run(&["export", "--only", "tags"])
        .code(0)
        .stdout_has("- name: VIP");
}

#[test]
fn plan_reads_no_undeclared_kind_and_refuses_a_declared_one_it_may_not_read() {
    let server = Served::start(&["--deny-scope", "office_hours"]);
    let p = Project::served(&server);
    p.config("tags:\n  - name: VIP\n");
    p.run(&["plan", "--detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
    assert_eq!(calls(&server, OFFICE_HOURS_LIST), 0, "never read");

    p.config(&format!("tags:\n  - name: VIP\n{OFFICE_HOURS}"));
    for args in [&["plan"][..], &["apply", "--auto-approve"]] {
        let r = p.run(args);
        r.code(1)
            .stderr_has("office_hours cannot be read (HTTP 401 token_unauthorized)")
            .stderr_has("`read_write_office_hours` OAuth scope");
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        no_token(&r);
    }
    assert_eq!(server.writes(), 0);
}

#[test]
fn drift_notes_an_undeclared_kind_it_may_not_read_and_refuses_a_declared_one() {
    let server = Served::start(&["--deny-scope", "office_hours"]);
    let p = Project::served(&server);
    p.config("tags:\n  - name: VIP\n  - name: Beta tester\n  - name: Churn risk\n");
    let r = p.run(&["drift"]);
    r.code(0)
        .stderr_has("note: office_hours cannot be read (HTTP 401 token_unauthorized)")
        .stderr_has("its unmanaged objects are not reported");

    p.config(OFFICE_HOURS);
    let r = p.run(&["drift"]);
    r.code(1)
        .stderr_has("office_hours cannot be read (HTTP 401 token_unauthorized)")
        .stderr_has("`read_write_office_hours` OAuth scope")
        .stderr_has("help: grant the token the missing permission to check drift of office_hours");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    no_token(&r);
}

const TWO_TEAMS: &str = "teams:\n  - name: Support\n    members: [alice@example.com, bob@example.com, carol@example.com, erin@example.com]\n  - name: Onboarding\n    members: [alice@example.com, frank@example.com, dave@example.com]\n";

#[test]
fn restricted_team_membership_turns_into_manual_steps() {
    let server = Served::start_with_state(&["--restrict", "team-membership"]);
    let p = Project::served(&server);
    p.config(TWO_TEAMS);
    // One change at a time, so the second is known to be turned manual without a call.
    let r = p.run(&["apply", "--auto-approve", "--concurrency", "1"]);
    r.code(0)
        .stderr_has("team[\"Onboarding\"]: manual step:")
        .stderr_has("team[\"Support\"]: manual step:")
        .stderr_has("api_plan_restricted")
        .stderr_has("2 manual step(s) pending.");
    no_token(&r);
    assert_eq!(calls(&server, "PUT /teams/{id}"), 1);
    assert_eq!(succeeded(&server, "PUT /teams/{id}"), 0);
    let state = server.state();
    assert_eq!(
        members(&state, "Support"),
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
    assert_eq!(
        members(&state, "Onboarding"),
        ["alice@example.com", "frank@example.com"]
    );
    // Still pending: the next plan shows the same changes.
    p.run(&["plan", "--detailed-exitcode"])
        .code(2)
        .stdout_has("~ team[\"Support\"]");
}

#[test]
fn a_membership_conflict_is_read_again_and_retried() {
    let server = Served::start_with_state(&["--team-conflicts", "1"]);
    let p = Project::served(&server);
    p.config("teams:\n  - name: Support\n    members: [alice@example.com, bob@example.com, carol@example.com, erin@example.com]\n");
    let r = p.run(&["apply", "--auto-approve"]);
    r.code(0).stderr_has("Apply finished: 1 applied, 0 failed");
    assert_eq!(
        calls(&server, "PUT /teams/{id}"),
        2,
        "the 409, then the retry"
    );
    assert_eq!(succeeded(&server, "PUT /teams/{id}"), 1);
    assert_eq!(
        calls(&server, "GET /teams/{id}"),
        1,
        "read again before the retry"
    );
    assert_eq!(
        members(&server.state(), "Support"),
        [
            "alice@example.com",
            "bob@example.com",
            "carol@example.com",
            "erin@example.com"
        ]
    );
    p.run(&["plan", "--detailed-exitcode"]).code(0);
}

#[test]
fn membership_conflicts_that_do_not_stop_fail_the_change() {
    let server = Served::start_with_state(&["--team-conflicts", "100"]);
    let p = Project::served(&server);
    p.config("teams:\n  - name: Support\n    members: [alice@example.com, bob@example.com, carol@example.com, erin@example.com]\n");
    let r = p.run(&["apply", "--auto-approve"]);
    r.code(1)
        .stderr_has("Intercom answered 409 conflict")
        .stderr_has("Apply finished: 0 applied, 1 failed");
    no_token(&r);
    let puts = calls(&server, "PUT /teams/{id}");
    assert!(
        (2..100).contains(&puts),
        "a bounded number of retries: {puts}"
    );
    assert_eq!(succeeded(&server, "PUT /teams/{id}"), 0);
    assert_eq!(
        members(&server.state(), "Support"),
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
}

#[test]
fn no_secondary_members_on_a_team_without_levels_sends_no_levels() {
    let server = Served::start_with_state(&[]);
    // The sandbox refuses the shape the tool used to send.
    let (status, body) = server.api("GET", "/teams", None);
    assert_eq!(status, 200);
    let sales = support::id_of(&body["teams"], "name", "Sales");
    let (_, admins) = server.api("GET", "/admins", None);
    let id = |email: &str| -> u64 {
        support::id_of(&admins["admins"], "email", email)
            .parse()
            .unwrap()
    };
    let (dave, erin) = (id("dave@example.com"), id("erin@example.com"));
    let reply = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(
            support::Api::new(&server.url, TOKEN)
                .with_version(Some("Preview"))
                .put(
                    &format!("/teams/{sales}"),
                    serde_json::json!({"admin_ids": [dave, erin], "admin_priority_level": {"primary_admin_ids": [dave, erin], "secondary_admin_ids": []}}),
                ),
        );
    reply.assert_error(400, "parameter_invalid");

    let p = Project::served(&server);
    p.config("teams:\n  - name: Sales\n    members: [alice@example.com, dave@example.com, erin@example.com]\n    secondary: []\n");
    p.run(&["apply", "--auto-approve"])
        .code(0)
        .stderr_has("Apply finished: 1 applied, 0 failed");
    assert_eq!(
        members(&server.state(), "Sales"),
        ["alice@example.com", "dave@example.com", "erin@example.com"]
    );
    p.run(&["plan", "--detailed-exitcode"]).code(0);
}
