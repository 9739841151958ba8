//! `events codegen`: `--check` against committed modules, and the generated TypeScript and
//! Python type-checked (`tsc --strict`, `mypy --strict`, with must-fail fixtures that an
//! `any`-typed module cannot pass), then run against a `sandbox serve` on 127.0.0.1 whose
//! received bodies `events validate` accepts.
//!
//! The type checkers come from the environment: `INTERCOM_IAC_TSC` (a `tsc`) and
//! `INTERCOM_IAC_MYPY_PYTHON` (a Python with mypy), which scripts/test sets up. Without them
//! those tests say so and pass, unless `INTERCOM_IAC_REQUIRE_CODEGEN_TOOLS=1` (set by
//! scripts/test), where a missing tool fails the test.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{Cli, Run, Served, StatsExt, TOKEN};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/codegen");

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

/// A directory with `cfg.yaml` (the fixture contract) and the generated module in `gen/`.
fn generated(lang: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("events.yaml"), dir.path().join("cfg.yaml")).unwrap();
    let r = cli(
        dir.path(),
        &["events", "codegen", "--lang", lang, "--out", "gen"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    dir
}

fn cli(dir: &Path, args: &[&str]) -> Run {
    Cli::new(dir).args(args).args(["-c", "cfg.yaml"]).run()
}

/// The tool named by `var`, or `None` (after saying why) when it is not set up.
fn tool(var: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            assert!(
                std::env::var("INTERCOM_IAC_REQUIRE_CODEGEN_TOOLS").as_deref() != Ok("1"),
                "{var} is not set, and INTERCOM_IAC_REQUIRE_CODEGEN_TOOLS=1 requires it (scripts/test sets it up)"
            );
            eprintln!("not type-checked: {var} is not set (scripts/test sets it up)");
            None
        }
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Checks the bodies a producer printed with `events validate` and against the sandbox's
/// record of what it received.
fn assert_delivered(dir: &Path, stdout: &str, sandbox: &Served) {
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    std::fs::write(dir.join("sent.ndjson"), stdout).unwrap();
    let r = cli(dir, &["events", "validate", "sent.ndjson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("3 event(s): 3 valid, 0 invalid"),
        "{}",
        r.stderr
    );
    let upgraded: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(
        upgraded["metadata"]["renewal_date"], 1_893_456_000,
        "{upgraded}"
    );
    let stats = sandbox.stats();
    assert_eq!(stats.unique_events(), 3, "{stats}");
    assert_eq!(
        stats["event_names"],
        serde_json::json!({
            "logged-in": [],
            "signed-up": ["plan"],
            "upgraded-plan": ["amount", "doc", "invoice", "plan-tier", "renewal_date", "seats"],
        })
    );
}

#[test]
fn check_passes_when_current_and_fails_when_stale_or_missing() {
    let dir = generated("python");
    let check = |dir: &Path| {
        cli(
            dir,
            &[
                "events", "codegen", "--lang", "python", "--out", "gen", "--check",
            ],
        )
    };
    let r = check(dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("gen/intercom_events.py is up to date"),
        "{}",
        r.stderr
    );

    // Another kind's change leaves the events contract, and so the module, as it was.
    let cfg = dir.path().join("cfg.yaml");
    let original = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{original}tags:\n  - name: VIP\n")).unwrap();
    assert_eq!(check(dir.path()).code, 0);

    std::fs::write(&cfg, original.replace("[free, pro]", "[free, pro, team]")).unwrap();
    let r = check(dir.path());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("error: gen/intercom_events.py is stale: the events contract changed since it was generated"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("help: run `intercom-iac events codegen --lang python --out gen`"),
        "{}",
        r.stderr
    );
    let before = std::fs::read(dir.path().join("gen/intercom_events.py")).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("gen/intercom_events.py")).unwrap(),
        before,
        "--check writes nothing"
    );

    let r = cli(
        dir.path(),
        &[
            "events",
            "codegen",
            "--lang",
            "typescript",
            "--out",
            "gen",
            "--check",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("gen/intercom_events.ts does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn codegen_refuses_events_that_share_an_identifier() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cfg.yaml"),
        "events:\n  - name: signed-up\n  - name: signed_up\n",
    )
    .unwrap();
    let r = cli(
        dir.path(),
        &["events", "codegen", "--lang", "python", "--out", "gen"],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "events \"signed-up\" and \"signed_up\" both become the Python identifier `signed_up`"
        ),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("gen").exists());
}

#[test]
fn typescript_type_checks_refuses_wrong_calls_and_delivers() {
    let Some(tsc) = tool("INTERCOM_IAC_TSC") else {
        return;
    };
    let dir = generated("typescript");
    let g = dir.path().join("gen");
    for f in ["producer.ts", "must_fail.ts"] {
        std::fs::copy(fixture(f), g.join(f)).unwrap();
    }
    let tsc_run = |files: &[&str], out: Option<&str>| {
        let mut cmd = Command::new(&tsc);
        cmd.current_dir(&g).args([
            "--strict",
            "--target",
            "es2022",
            "--module",
            "commonjs",
            "--lib",
            "es2022,dom",
        ]);
        match out {
            Some(o) => cmd.args(["--outDir", o]),
            None => cmd.arg("--noEmit"),
        };
        run(cmd.args(files))
    };
    let out = tsc_run(&["producer.ts", "must_fail.ts"], Some("js"));
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // Without the directives, each refused call is a type error.
    let bare = std::fs::read_to_string(g.join("must_fail.ts"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("@ts-expect-error"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(g.join("bare.ts"), bare).unwrap();
    let out = tsc_run(&["bare.ts"], None);
    let report = text(&out.stdout);
    assert!(!out.status.success(), "{report}");
    let errors: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("bare.ts("))
        .collect();
    assert_eq!(errors.len(), 4, "{report}");
    assert!(
        report.contains("Type '\"gold\"' is not assignable to type '\"free\" | \"pro\"'"),
        "{report}"
    );
    assert!(report.contains("Property 'plan' is missing"), "{report}");

    let sandbox = Served::start(&["--token", TOKEN]);
    let out = run(Command::new("node")
        .arg(g.join("js/producer.js"))
        .args([&sandbox.url, TOKEN]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_delivered(dir.path(), &text(&out.stdout), &sandbox);
}

#[test]
fn python_type_checks_refuses_wrong_calls_and_delivers() {
    let Some(python) = tool("INTERCOM_IAC_MYPY_PYTHON") else {
        return;
    };
    let dir = generated("python");
    let g = dir.path().join("gen");
    for f in ["producer.py", "must_fail.py"] {
        std::fs::copy(fixture(f), g.join(f)).unwrap();
    }
    let mypy = |files: &[&str]| {
        run(Command::new(&python)
            .current_dir(&g)
            .args([
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir",
                "/dev/null",
            ])
            .args(files))
    };
    let out = mypy(&["intercom_events.py", "producer.py", "must_fail.py"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // Without the ignores, each refused call is a type error.
    let bare = std::fs::read_to_string(g.join("must_fail.py"))
        .unwrap()
        .replace("  # type: ignore[arg-type]", "")
        .replace("  # type: ignore[call-arg]", "");
    std::fs::write(g.join("bare.py"), bare).unwrap();
    let out = mypy(&["bare.py"]);
    let report = text(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(report.contains("Found 4 errors in 1 file"), "{report}");
    assert!(
        report.contains(
            "Argument \"plan\" to \"signed_up\" has incompatible type \"Literal['gold']\""
        ),
        "{report}"
    );
    assert!(
        report.contains("Missing named argument \"plan\" for \"signed_up\""),
        "{report}"
    );

    let sandbox = Served::start(&["--token", TOKEN]);
    let out = run(Command::new(&python)
        .current_dir(&g)
        .arg("producer.py")
        .args([&sandbox.url, TOKEN]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_delivered(dir.path(), &text(&out.stdout), &sandbox);
}
