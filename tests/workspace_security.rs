//! Workspace security end to end against `sandbox serve` (seeded with a disabled allowlist of
//! `203.0.113.0/24` and `198.51.100.7`, identity verification off): canonical ranges, the
//! warning on enabling, the lock-out refusal that leaves the rest of the run applied, the
//! identity-verification manual step in plan and drift, and export that plans empty.

mod support;

use support::{Cli, Served, TOKEN, write_file};

#[test]
fn a_bad_range_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "w.yaml",
        "workspace:\n  ip_allowlist:\n    enabled: true\n    ranges: [10.0.0.1, 10.0.0.300/8]\n",
    );
    Cli::new(dir.path())
        .args(["validate", "-c", "w.yaml"])
        .run()
        .code(1)
        .stderr_has("w.yaml:4:24: error: `10.0.0.300/8` is not an IP address or CIDR range");
    write_file(dir.path(), "p.yaml", "prune: [workspace]\n");
    Cli::new(dir.path())
        .args(["validate", "-c", "p.yaml"])
        .run()
        .code(1)
        .stderr_has("`workspace` cannot be pruned");
}

#[test]
fn equal_ranges_in_another_spelling_plan_nothing() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "w.yaml",
        "workspace:\n  ip_allowlist:\n    enabled: false\n    ranges: [198.51.100.7/32, 203.0.113.9/24]\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "w.yaml", "--detailed-exitcode"])
        .run()
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn an_allowlist_that_locks_the_caller_out_is_refused_and_the_rest_applies() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "w.yaml",
        "workspace:\n  ip_allowlist: {enabled: true, ranges: [203.0.113.0/24]}\ntags:\n  - name: Security reviewed\n",
    );
    let plan = Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "w.yaml", "--detailed-exitcode"])
        .run();
    plan.code(2)
        .stdout_has("~ workspace[\"ip_allowlist\"]")
        .stdout_has("enabled = false -> true");
    assert!(
        plan.all().contains("cannot know its own public address"),
        "{}",
        plan.all()
    );
    let r = Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["apply", "-c", "w.yaml", "--auto-approve"])
        .run();
    r.code(1);
    assert!(
        r.all()
            .contains("Your IP (127.0.0.1) is not on the allowlist. Saving would lock you out"),
        "{}",
        r.all()
    );
    // The tag was written; the allowlist was not.
    let (_, live) = sb.api("GET", "/ip_allowlist", None);
    assert_eq!(live["enabled"], false, "{live}");
    let (_, tags) = sb.api("GET", "/tags", None);
    assert!(tags.to_string().contains("Security reviewed"), "{tags}");

    // A list that holds the caller is saved, after the other changes.
    write_file(
        dir.path(),
        "w.yaml",
        "workspace:\n  ip_allowlist: {enabled: true, ranges: [127.0.0.1, 203.0.113.0/24]}\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["apply", "-c", "w.yaml", "--auto-approve"])
        .run()
        .code(0);
    let (_, live) = sb.api("GET", "/ip_allowlist", None);
    assert_eq!(live["enabled"], true, "{live}");
    assert_eq!(live["ip_allowlist"][0], "127.0.0.1", "{live}");
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "w.yaml", "--detailed-exitcode"])
        .run()
        .code(0);
}

#[test]
fn identity_verification_off_is_a_manual_step_in_plan_and_drift() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "w.yaml",
        "workspace:\n  require_identity_verification: true\n",
    );
    let r = Cli::new(dir.path())
        .args([
            "plan",
            "--sandbox=s.json",
            "-c",
            "w.yaml",
            "--detailed-exitcode",
        ])
        .run();
    r.code(2)
        .stdout_has("! workspace[\"identity_verification\"]: turn on identity verification")
        .stdout_has("impersonate a user in the Messenger");
    // Switched on in Intercom: nothing to do; switched off later: drift reports it.
    let state = dir.path().join("s.json");
    let set = |on: bool| {
        let mut s: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
        s["app"]["identity_verification"] = on.into();
        std::fs::write(&state, s.to_string()).unwrap();
    };
    set(true);
    Cli::new(dir.path())
        .args(["drift", "--sandbox=s.json", "-c", "w.yaml"])
        .run()
        .code(0);
    set(false);
    Cli::new(dir.path())
        .args(["drift", "--sandbox=s.json", "-c", "w.yaml"])
        .run()
        .code(2)
        .stdout_has("workspace[\"identity_verification\"]");
}

#[test]
fn export_writes_the_allowlist_and_plans_empty() {
    let sb = Served::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["export", "--out", "intercom"])
        .run()
        .code(0);
    let ws = std::fs::read_to_string(dir.path().join("intercom/workspace.yaml")).unwrap();
    assert!(ws.contains("ip_allowlist:\n    enabled: false\n    ranges:\n    - 203.0.113.0/24\n    - \"198.51.100.7\"\n"), "{ws}");
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "intercom", "--detailed-exitcode"])
        .run()
        .code(0);
}

#[test]
fn a_token_without_the_allowlist_scope_is_told_which_scope() {
    let sb = Served::start(&["--deny-scope", "ip_allowlist"]);
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "w.yaml",
        "workspace:\n  ip_allowlist: {enabled: false}\n",
    );
    Cli::against(dir.path(), &sb.url, TOKEN)
        .args(["plan", "-c", "w.yaml"])
        .run()
        .code(1)
        .stderr_has("manage_ip_allowlist");
}
