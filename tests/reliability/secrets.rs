//! Secrets: with a distinctive token, every command the suite runs (plan with a saved plan
//! file, apply of that file, export, drift, and a call refused with 401), at `-vv` and at
//! `RUST_LOG=trace`, leaves the token out of stdout, stderr, the saved plan and the exported
//! files, while the trace output really holds HTTP-level logs.

use std::path::Path;

use crate::fixtures::write_config;
use crate::support::{Cli, Run, Served};

const TOKEN: &str = "rel_SECRET_7f3a9c2e41d8b6055aa1";

const CONFIG: &str = r#"
version: 1
workspace:
  app_id: sbx4c0de
data_attributes:
  contact:
    - {name: secret_check_tier, type: list, options: [free, pro], description: Tier}
tags:
  - name: Secret check
  - name: Another secret check
audiences:
  - name: Secret audience
    predicates:
      - {attribute: email, type: string, comparison: contains, value: example.com}
office_hours:
  - name: Secret hours
    time_zone: Europe/Dublin
    hours:
      mon-fri: ["09:00-17:00"]
    exceptions:
      - {date: 2026-12-25, closed: true, name: Christmas}
"#;

/// Every file below `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[track_caller]
fn assert_clean(what: &str, run: &Run) {
    assert!(
        !run.stdout.contains(TOKEN),
        "{what}: the token is on stdout:\n{}",
        run.stdout
    );
    assert!(
        !run.stderr.contains(TOKEN),
        "{what}: the token is on stderr:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
}

/// Runs every command at one log level; returns the concatenated stderr.
fn every_command(logging: &[(&str, &str)], flags: &[&str]) -> String {
    let served =
        Served::start_quiet(&["--token", TOKEN, "--fault-rate", "0.1", "--fault-seed", "5"]);
    let refusing = Served::start_quiet(&["--token", "other"]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_config(d, CONFIG);
    let cli = |url: &str| {
        let mut c = Cli::against(d, url, TOKEN)
            .args(["--timeout", "2"])
            .args(flags);
        for (k, v) in logging {
            c = c.env(k, v);
        }
        c
    };
    let mut stderr = String::new();
    let mut step = |what: &str, run: Run, code: i32| {
        run.code(code);
        assert_clean(what, &run);
        stderr.push_str(&run.stderr);
    };

    step(
        "plan --out",
        cli(&served.url).args(["plan", "--out", "plan.json"]).run(),
        0,
    );
    step(
        "apply PLANFILE",
        cli(&served.url).args(["apply", "plan.json"]).run(),
        0,
    );
    step(
        "plan --detailed-exitcode",
        cli(&served.url).args(["plan", "--detailed-exitcode"]).run(),
        0,
    );
    step(
        "export --out",
        cli(&served.url).args(["export", "--out", "exported"]).run(),
        0,
    );
    step("export", cli(&served.url).args(["export"]).run(), 0);
    step("drift", cli(&served.url).args(["drift"]).run(), 0);
    let refused = cli(&refusing.url).args(["plan"]).run();
    assert!(
        refused.stderr.contains("401") && refused.stderr.contains("INTERCOM_ACCESS_TOKEN"),
        "the refusal names the status and the variable:\n{}",
        refused.stderr
    );
    step("plan refused with 401", refused, 1);

    let plan = std::fs::read_to_string(d.join("plan.json")).unwrap();
    assert!(plan.contains("tag[\\\"Secret check\\\"]"), "{plan}");
    assert!(!plan.contains(TOKEN), "the saved plan holds the token");
    let exported = files(&d.join("exported"));
    assert!(!exported.is_empty());
    for file in exported {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(TOKEN), "{} holds the token", file.display());
    }
    stderr
}

/// The logs must be HTTP-level, or the absence of the token proves nothing.
#[track_caller]
fn assert_http_logs(stderr: &str) {
    assert!(
        stderr.contains("hyper") || stderr.contains("reqwest"),
        "no HTTP library logs at trace:\n{}",
        &stderr[..stderr.len().min(4000)]
    );
    for needle in ["/me", "/tags", "POST", "response body", "status=401"] {
        assert!(
            stderr.contains(needle),
            "`{needle}` is not in the logs:\n{}",
            &stderr[..stderr.len().min(4000)]
        );
    }
}

#[test]
fn the_token_is_in_no_output_or_file_at_vv() {
    assert_http_logs(&every_command(&[], &["-vv"]));
}

#[test]
fn the_token_is_in_no_output_or_file_at_rust_log_trace() {
    assert_http_logs(&every_command(&[("RUST_LOG", "trace")], &[]));
}

/// With environments, the token comes from `INTERCOM_ACCESS_TOKEN_<ENV>`, and a configuration
/// cannot pull it in through `${env:…}`: neither the refusal nor any output of a run that uses
/// it (at trace level) holds it.
#[test]
fn an_environment_token_never_reaches_output_plans_or_exports() {
    let served = Served::start_quiet(&["--token", TOKEN]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let env_config = "environments:\n  staging:\n    app_id: sbx4c0de\n    overlays: [environments/staging.yaml]\ntags:\n  - name: Secret check\n";
    write_config(d, env_config);
    std::fs::create_dir_all(d.join("intercom/environments")).unwrap();
    let overlay = d.join("intercom/environments/staging.yaml");
    let run = |args: &[&str]| {
        Cli::new(d)
            .args([
                "--endpoint",
                &served.url,
                "--env",
                "staging",
                "--timeout",
                "2",
            ])
            .args(args)
            .env("INTERCOM_ACCESS_TOKEN_STAGING", TOKEN)
            .env("RUST_LOG", "trace")
            .run()
    };

    std::fs::write(
        &overlay,
        "tags:\n  - name: \"${env:INTERCOM_ACCESS_TOKEN_STAGING}\"\n",
    )
    .unwrap();
    let refused = run(&["plan", "--out", "plan.json"]);
    refused.code(1);
    assert_clean("a variable reading the token", &refused);
    assert!(
        refused.stderr.contains("would put the access token"),
        "{}",
        refused.stderr
    );
    assert!(!d.join("plan.json").exists());

    std::fs::write(&overlay, "tags:\n  - name: Staging check\n").unwrap();
    let planned = run(&["plan", "--out", "plan.json"]);
    planned.code(0);
    assert_clean("plan --env staging", &planned);
    let applied = run(&["apply", "plan.json"]);
    applied.code(0);
    assert_clean("apply --env staging", &applied);
    let exported = run(&["export", "--out", "exported"]);
    exported.code(0);
    assert_clean("export --env staging", &exported);
    for file in files(d) {
        let text = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&text).contains(TOKEN),
            "{} holds the token",
            file.display()
        );
    }
    assert_http_logs_lite(&planned.stderr);
}

/// The trace output really holds HTTP-level logs of the environment's calls.
#[track_caller]
fn assert_http_logs_lite(stderr: &str) {
    assert!(
        stderr.contains("/me") && (stderr.contains("hyper") || stderr.contains("reqwest")),
        "no HTTP logs at trace:\n{}",
        &stderr[..stderr.len().min(4000)]
    );
}
