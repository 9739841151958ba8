//! `audit` (the admin activity log by security category and admin) and the recent activity
//! `drift` shows, end to end against a served sandbox: its own log entries for the writes it
//! receives, and entries of other admins and types added through `POST /_sandbox/activity_logs`
//! (some of types outside the 2.16 enum, so this file never runs under the conformance check).

mod support;

use serde_json::{Value, json};
use support::{Project, Served};

/// Seconds since the epoch, now (the sandbox stamps its log with the real time).
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Adds an entry through the sandbox's test hook.
fn add_entry(served: &Served, entry: Value) {
    let (status, body) = served.api("POST", "/_sandbox/activity_logs", Some(entry));
    assert_eq!(status, 200, "{body}");
}

/// IP addresses the hook gives entries; no output may show them.
const IPS: [&str; 3] = ["203.0.113.77", "198.51.100.23", "192.0.2.5"];

fn assert_no_ip(text: &str) {
    for ip in IPS {
        assert!(!text.contains(ip), "{ip} appears in:\n{text}");
    }
}

/// A sandbox with a data export by bob, an identity-verification change by the token's admin,
/// an event type no table knows, and an export from 40 days ago.
fn audited_sandbox() -> Served {
    let served = Served::start(&[]);
    add_entry(
        &served,
        json!({"activity_type": "app_data_export", "admin_email": "bob@example.com",
               "ip": IPS[0], "description": "Bob exported data from 203.0.113.77."}),
    );
    add_entry(
        &served,
        json!({"activity_type": "app_identity_verification_change", "ip": IPS[1]}),
    );
    add_entry(
        &served,
        json!({"activity_type": "quantum_teleport_change", "admin_email": "carol@example.com",
               "ip": IPS[2]}),
    );
    add_entry(
        &served,
        json!({"activity_type": "bulk_export", "admin_email": "erin@example.com",
               "ip": IPS[2], "created_at": now() - 40 * 86_400}),
    );
    served
}

#[test]
fn audit_lists_an_export_and_an_identity_verification_change_by_category() {
    let served = audited_sandbox();
    let p = Project::served(&served);
    let run = p.run(&["audit", "--since", "7d"]);
    run.code(0)
        .stdout_has("entries.")
        .stdout_has("[data-access]: 1\n")
        .stdout_has("app_data_export  by bob@example.com")
        .stdout_has("[messenger-security]: 1\n")
        .stdout_has("app_identity_verification_change  by alice@example.com")
        .stdout_has("[other]: 1\n")
        .stdout_has("quantum_teleport_change  by carol@example.com")
        .stdout_has("By admin:\n")
        .stdout_has("  bob@example.com: 1 (data-access 1)\n");
    assert!(!run.stdout.contains("bulk_export"), "{}", run.stdout);
    assert_no_ip(&run.all());

    p.run(&["audit", "--since", "7d", "--fail-on", "data-access"])
        .code(2)
        .stdout_has("--fail-on data-access: 1 entry (exit 2).");
    p.run(&["audit", "--since", "7d", "--fail-on", "integrations"])
        .code(0)
        .stdout_has("--fail-on integrations: nothing happened.");
    p.run(&["audit", "--since", "7d", "--fail-on", "other"])
        .code(2);
    // The older export counts over a longer period.
    p.run(&["audit", "--since", "60d", "--fail-on", "data-access"])
        .code(2)
        .stdout_has("bulk_export  by erin@example.com")
        .stdout_has("--fail-on data-access: 2 entries (exit 2).");
}

#[test]
fn audit_json_and_markdown_carry_the_categories_and_never_the_ip() {
    let served = audited_sandbox();
    let p = Project::served(&served);
    let run = p.run(&["audit", "--format", "json", "--fail-on", "data-access"]);
    run.code(2);
    assert_no_ip(&run.all());
    let doc = run.json();
    assert_eq!(doc["format_version"], "1");
    assert_eq!(doc["failed"], true);
    assert_eq!(doc["total"], 3);
    let categories: Vec<&str> = doc["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(categories, ["data-access", "messenger-security", "other"]);
    assert_eq!(
        doc["categories"][0]["entries"][0]["description"],
        "Bob exported data from [IP address hidden]."
    );
    let bob = doc["admins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "bob@example.com")
        .unwrap();
    assert_eq!(bob["categories"]["data-access"], 1);

    let md = p.run(&["audit", "--format", "markdown"]);
    md.code(0)
        .stdout_has("### intercom-iac audit\n")
        .stdout_has("(`data-access`): 1")
        .stdout_has("(`other`): 1")
        .stdout_has("| bob@example.com | 1 | data-access 1 |");
    assert_no_ip(&md.all());
}

#[test]
fn bad_flags_are_clear_errors_and_read_nothing() {
    let (served, p) = Project::with_served(&[]);
    let run = p.run(&["audit", "--since", "7days"]);
    run.code(1).stderr_has("did you mean `7d`?");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    p.run(&["audit", "--since", "2026/11/01"])
        .code(1)
        .stderr_has("did you mean `2026-11-01`?");
    p.run(&["audit", "--fail-on", "data-acess"])
        .code(1)
        .stderr_has("did you mean `data-access`?")
        .stderr_has("use one of: data-access, access-control");
    p.config("tags: [{ name: VIP }]\n");
    p.run(&["drift", "--since", "lastweek"])
        .code(1)
        .stderr_has("--since `lastweek`");
    p.run(&["drift", "--since", "3 days", "--no-activity"])
        .code(1)
        .stderr_has("did you mean `3d`?");
    let calls = served.stats()["total_calls"].as_u64().unwrap();
    assert_eq!(calls, 0, "{}", served.stats());
}

const TEAMS: &str = "teams:\n  - name: Sales\n    members: [dave@example.com, erin@example.com, frank@example.com]\n";

#[test]
fn a_team_membership_change_shows_in_drift_as_recent_activity() {
    let (served, p) = Project::with_served(&[]);
    p.config(TEAMS);
    p.run(&["apply", "--auto-approve"]).code(0);
    add_entry(
        &served,
        json!({"activity_type": "app_team_membership_modification",
               "admin_email": "bob@example.com", "ip": IPS[0],
               "created_at": now() - 90 * 86_400}),
    );

    let run = p.run(&["drift"]);
    run.code(0)
        .stdout_has("Recent activity (Intercom's activity log since ")
        .stdout_has(
            "  teams:\n    recent activity: 1 team-membership change by alice@example.com (last ",
        );
    // Older than the default 30 days: not shown; with a longer --since it is.
    assert!(!run.stdout.contains("bob@example.com"), "{}", run.stdout);
    p.run(&["drift", "--since", "120d"])
        .code(0)
        .stdout_has("recent activity: 1 team-membership change by bob@example.com (last ");

    let json = p.run(&["drift", "--format", "json"]);
    json.code(0);
    let doc = json.json();
    assert_eq!(doc["activity"]["kinds"][0]["kind"], "teams");
    let line = &doc["activity"]["kinds"][0]["recent"][0];
    assert_eq!(line["event_type"], "app_team_membership_modification");
    assert_eq!(line["admin_email"], "alice@example.com");
    assert_eq!(line["count"], 1);

    let md = p.run(&["drift", "--format", "markdown"]);
    md.code(0).stdout_has("#### Recent activity").stdout_has(
        "- `teams`\n  - recent activity: 1 team-membership change by alice@example.com",
    );
    for out in [run.all(), json.all(), md.all()] {
        assert_no_ip(&out);
    }
}

#[test]
fn drift_reads_the_log_once_and_not_at_all_with_no_activity() {
    let (served, p) = Project::with_served(&[]);
    p.config(TEAMS);
    let search = |s: &Value| s["calls"]["POST /admins/activity_logs/search"].as_u64();
    p.run(&["drift", "--no-activity"]).code(2);
    let stats = served.stats();
    assert_eq!(search(&stats), None, "{stats}");
    let run = p.run(&["drift"]);
    run.code(2).stdout_has("none recorded for teams");
    assert_eq!(search(&served.stats()), Some(1));
    // A kind the log does not cover: no read.
    p.config("tags: [{ name: VIP }]\n");
    let run = p.run(&["drift"]);
    assert!(!run.stdout.contains("Recent activity"), "{}", run.stdout);
    assert_eq!(search(&served.stats()), Some(1));
}

#[test]
fn drift_says_the_activity_is_unavailable_when_the_log_is_refused() {
    let (_served, p) = Project::with_served(&["--deny-scope", "activity_logs"]);
    p.config(TEAMS);
    p.run(&["apply", "--auto-approve"]).code(0);
    let run = p.run(&["drift"]);
    run.code(0)
        .stdout_has("  unavailable: the activity log cannot be read (")
        .stdout_has("drift is reported without it");
    let doc = p.run(&["drift", "--format", "json"]).json();
    assert!(
        doc["activity"]["unavailable"]
            .as_str()
            .unwrap()
            .contains("cannot be read"),
        "{doc}"
    );
    // audit needs the log: the refusal is its error.
    p.run(&["audit"])
        .code(1)
        .stderr_has("cannot audit the workspace")
        .stderr_has("help:");
}

#[test]
fn audit_runs_on_each_environment_of_the_embedded_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/acme");
    let run = support::Cli::new(dir.path())
        .args(["audit", "--sandbox", "-c", config, "--env", "all"])
        .run();
    run.code(0)
        .stdout_has("=== environment staging ===\nActivity log of ")
        .stdout_has("=== environment production ===\nActivity log of ");
    // The sandbox records its own writes: an apply's team change is in the next audit.
    support::Cli::new(dir.path())
        .args([
            "apply",
            "--sandbox",
            "-c",
            config,
            "--env",
            "staging",
            "--auto-approve",
        ])
        .run()
        .code(0);
    support::Cli::new(dir.path())
        .args(["audit", "--sandbox", "-c", config, "--env", "staging"])
        .run()
        .code(0)
        .stdout_has("app_team_membership_modification  by alice@example.com");
}

#[test]
fn the_sandbox_refuses_bad_activity_log_requests() {
    let served = Served::start(&[]);
    for (method, path, body) in [
        ("GET", "/admins/activity_logs", None),
        ("GET", "/admins/activity_logs?created_at_after=soon", None),
        (
            "POST",
            "/admins/activity_logs/search",
            Some(json!({"created_at_before": 10})),
        ),
        (
            "POST",
            "/admins/activity_logs/search",
            Some(json!({"created_at_after": 0, "per_page": 251})),
        ),
        (
            "POST",
            "/admins/activity_logs/search",
            Some(json!({"created_at_after": 0, "page": 0})),
        ),
        (
            "POST",
            "/admins/activity_logs/search",
            Some(json!({"created_at_after": 0, "event_types": "app_data_export"})),
        ),
        (
            "POST",
            "/_sandbox/activity_logs",
            Some(json!({"admin_email": "x@example.com"})),
        ),
    ] {
        let (status, answer) = served.api(method, path, body);
        assert_eq!(status, 400, "{method} {path}: {answer}");
        assert_eq!(answer["errors"][0]["code"], "parameter_invalid", "{answer}");
    }
    // Nothing was added by the refused hook call.
    let (_, all) = served.api("GET", "/admins/activity_logs?created_at_after=0", None);
    assert_eq!(all["activity_logs"], json!([]));
}

#[test]
fn drift_prints_a_kinds_activity_under_its_changes() {
    let (_served, p) = Project::with_served(&[]);
    p.config(TEAMS);
    p.run(&["apply", "--auto-approve"]).code(0);
    p.config(&TEAMS.replace(", frank@example.com", ""));

    let run = p.run(&["drift"]);
    run.code(2);
    let out = &run.stdout;
    let change = out.find("team[\"Sales\"]").expect(out);
    let line = out
        .find("\n      recent activity: 1 team-membership change by alice@example.com (last ")
        .expect(out);
    let section = out.find("Recent activity (").expect(out);
    assert!(change < line && line < section, "{out}");
    run.stdout_has("  teams: under its changes above");
}

#[test]
fn a_data_export_made_through_the_sandbox_is_audited_as_data_access() {
    let (served, p) = Project::with_served(&[]);
    p.run(&["audit", "--since", "7d", "--fail-on", "data-access"])
        .code(0);

    let (status, job) = served.api(
        "POST",
        "/export/content/data",
        Some(json!({"created_at_after": 1_734_519_776, "created_at_before": 1_734_537_776})),
    );
    assert_eq!(status, 200, "{job}");
    p.run(&["audit", "--since", "7d", "--fail-on", "data-access"])
        .code(2)
        .stdout_has("[data-access]: 1\n")
        .stdout_has("app_data_export  by alice@example.com")
        .stdout_has("--fail-on data-access: 1 entry (exit 2).");

    // Bad requests are refused and recorded nowhere.
    for (method, path, body) in [
        (
            "POST",
            "/export/content/data",
            Some(json!({"created_at_after": 1})),
        ),
        (
            "POST",
            "/export/content/data",
            Some(json!({"created_at_after": 9, "created_at_before": 1})),
        ),
        ("GET", "/export/content/data/unknown", None),
        ("POST", "/export/cancel/unknown", None),
    ] {
        let (status, body) = served.api(method, path, body);
        assert!(
            status == 400 || status == 404,
            "{method} {path}: {status} {body}"
        );
    }
    let run = p.run(&["audit", "--since", "7d", "--format", "json"]);
    run.code(0);
    assert_eq!(run.json()["total"], 1, "{}", run.stdout);
}
