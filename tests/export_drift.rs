//! `export` round-trips (export → validate → plan shows no changes) and `drift` reports what
//! changed outside intercom-iac, failing only where it should.

mod support;

use std::path::Path;

use support::{Cli, Run, Served};

/// Runs the binary in `dir` with extra environment variables.
fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    env.iter()
        .fold(Cli::new(dir).args(args), |cli, (k, v)| cli.env(k, v))
        .run()
}

/// Applies `yaml` from another configuration to the sandbox in `s.json`: a change made outside
/// the configuration under test.
fn change_by_hand(dir: &Path, yaml: &str) {
    std::fs::write(dir.join("other.yaml"), yaml).unwrap();
    run(
        dir,
        &[
            "apply",
            "--sandbox=s.json",
            "-c",
            "other.yaml",
            "--auto-approve",
        ],
        &[],
    )
    .code(0);
}

#[test]
fn export_of_the_default_sandbox_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run(d, &["export", "--sandbox=s.json", "--out", "intercom"], &[])
        .code(0)
        .stderr
        .clone();
    assert!(r.contains("wrote intercom/tags.yaml"), "{r}");
    let tags = std::fs::read_to_string(d.join("intercom/tags.yaml")).unwrap();
    assert!(
        tags.starts_with("# yaml-language-server: $schema=../schemas/intercom-iac.schema.json\n"),
        "{tags}"
    );
    assert!(tags.contains("- name: VIP"), "{tags}");
    run(d, &["validate", "-c", "intercom", "--deny-warnings"], &[]).code(0);
    let plan = run(
        d,
        &[
            "plan",
            "--sandbox=s.json",
            "-c",
            "intercom",
            "--detailed-exitcode",
        ],
        &[],
    )
    .code(0)
    .stdout
    .clone();
    assert!(
        plan.ends_with("No changes. The workspace matches the configuration.\n"),
        "{plan}"
    );
    // Without --out: one document on stdout, stable across runs.
    let a = run(d, &["export", "--sandbox=s.json"], &[])
        .code(0)
        .stdout
        .clone();
    let b = run(d, &["export", "--sandbox=s.json"], &[])
        .code(0)
        .stdout
        .clone();
    assert_eq!(a, b);
    std::fs::write(d.join("one.yaml"), &a).unwrap();
    run(
        d,
        &[
            "plan",
            "--sandbox=s.json",
            "-c",
            "one.yaml",
            "--detailed-exitcode",
        ],
        &[],
    )
    .code(0);
}

#[test]
fn export_of_the_large_sandbox_round_trips() {
    let served = Served::start_quiet(&["--seed", "large"]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let env = [("INTERCOM_ACCESS_TOKEN", "export-test-token")];
    run(
        d,
        &["export", "--endpoint", &served.url, "--out", "intercom"],
        &env,
    )
    .code(0);
    run(d, &["validate", "-c", "intercom"], &[]).code(0);
    let r = run(
        d,
        &[
            "plan",
            "--endpoint",
            &served.url,
            "-c",
            "intercom",
            "--detailed-exitcode",
        ],
        &env,
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let tags = std::fs::read_to_string(d.join("intercom/tags.yaml")).unwrap();
    assert!(
        tags.matches("- name:").count() >= 5000,
        "the large seed has 5,000 tags"
    );
}

#[test]
fn unusual_names_survive_the_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("names.yaml"),
        "tags:\n  - name: \"yes\"\n  - name: \"1.0\"\n  - name: \"null\"\n  - name: \"Say \\\"hi\\\" ✨\"\n  - name: \"a*b?\"\n  - name: \"#hash\"\n  - name: \"colon: here\"\n  - name: \"two\\nlines\"\naudiences:\n  - name: \"Émoji 🎉 audience\"\n    predicates: [{attribute: x, type: string, comparison: eq, value: \"'quoted'\"}]\n",
    )
    .unwrap();
    run(
        d,
        &[
            "apply",
            "--sandbox=s.json",
            "-c",
            "names.yaml",
            "--auto-approve",
        ],
        &[],
    )
    .code(0);
    run(d, &["export", "--sandbox=s.json", "--out", "out"], &[]).code(0);
    run(d, &["validate", "-c", "out"], &[]).code(0);
    let r = run(
        d,
        &[
            "plan",
            "--sandbox=s.json",
            "-c",
            "out",
            "--detailed-exitcode",
        ],
        &[],
    )
    .code(0)
    .stdout
    .clone();
    assert!(r.contains("No changes."), "{r}");
    let tags = std::fs::read_to_string(d.join("out/tags.yaml")).unwrap();
    for name in ["Say \"hi\" ✨", "a*b?", "colon: here"] {
        assert!(tags.contains(name), "{name} missing from:\n{tags}");
    }
}

#[test]
fn drift_reports_out_of_band_changes_and_unmanaged_objects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, &["export", "--sandbox=s.json", "--out", "intercom"], &[]).code(0);
    let clean = run(d, &["drift", "--sandbox=s.json", "-c", "intercom"], &[])
        .code(0)
        .stdout
        .clone();
    assert!(clean.starts_with("No drift in managed objects."), "{clean}");

    // Someone changes the workspace outside this configuration: a new tag and a new audience.
    change_by_hand(
        d,
        "tags:\n  - name: agent-made\naudiences:\n  - name: Ad hoc\n",
    );
    // Unmanaged objects of kinds that are not pruned are listed without failing the run…
    let r = run(d, &["drift", "--sandbox=s.json", "-c", "intercom"], &[])
        .code(0)
        .stdout
        .clone();
    assert!(r.contains("Unmanaged objects (2;"), "{r}");
    assert!(
        r.contains("  ? tag[\"agent-made\"]\n") && r.contains("  ? audience[\"Ad hoc\"]\n"),
        "{r}"
    );
    // …unless asked,
    let unmanaged = &[
        "drift",
        "--sandbox=s.json",
        "-c",
        "intercom",
        "--fail-on-unmanaged",
    ];
    run(d, unmanaged, &[]).code(2);
    // …and an ignore pattern hides them.
    std::fs::write(
        d.join("intercom/ignore.yaml"),
        "ignore:\n  tags: [\"agent-*\"]\n  audiences: [\"ad hoc\"]\n",
    )
    .unwrap();
    let r = run(d, unmanaged, &[]).code(0).stdout.clone();
    assert!(!r.contains("Unmanaged"), "{r}");
    std::fs::remove_file(d.join("intercom/ignore.yaml")).unwrap();

    // In a pruned kind an unmanaged object is drift (exit 2), shown as the deletion that would fix it.
    let ws = std::fs::read_to_string(d.join("intercom/workspace.yaml")).unwrap();
    std::fs::write(
        d.join("intercom/workspace.yaml"),
        format!("{ws}prune: [tags]\n"),
    )
    .unwrap();
    let r = run(
        d,
        &[
            "drift",
            "--sandbox=s.json",
            "-c",
            "intercom",
            "--format",
            "json",
        ],
        &[],
    );
    r.code(2);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["drift"], true);
    assert_eq!(doc["plan"]["changes"][0]["address"], "tag[\"agent-made\"]");
    assert_eq!(doc["plan"]["changes"][0]["action"], "delete");
    assert_eq!(
        doc["unmanaged"],
        serde_json::json!(["audience[\"Ad hoc\"]"])
    );

    // A managed object changed by hand: drift names it.
    change_by_hand(
        d,
        "teams:\n  - name: Sales\n    members: [dave@example.com]\n",
    );
    let r = run(d, &["drift", "--sandbox=s.json", "-c", "intercom"], &[]);
    r.code(2);
    r.stdout_has("  ~ team[\"Sales\"]\n      ~ members\n          + \"erin@example.com\"\n");
    // Markdown for an issue body.
    let r = run(
        d,
        &[
            "drift",
            "--sandbox=s.json",
            "-c",
            "intercom",
            "--format",
            "markdown",
        ],
        &[],
    );
    r.code(2);
    assert!(
        r.stdout.starts_with("### intercom-iac drift\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let r = run(dir.path(), &["completions", shell], &[])
            .code(0)
            .stdout
            .clone();
        assert!(r.contains("intercom-iac"), "{shell}: {r}");
        assert!(r.contains("validate") && r.contains("apply"), "{shell}");
    }
    assert_eq!(
        run(dir.path(), &["completions", "powershelly"], &[]).code,
        1
    );
}
