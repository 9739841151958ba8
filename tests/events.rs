//! `events schema|validate|send` end to end: exact `FILE:LINE` messages, the generated schemas
//! against sample payloads, and sending to a `sandbox serve` process (faults, rejects, resume
//! after a kill, refusal of a changed input). Every server binds 127.0.0.1:0.

mod support;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Cli, Run, Served};

const CONFIG: &str = r#"
events:
  - name: signed-up
    description: A contact created an account
    metadata:
      source: {type: string, required: true}
  - name: upgraded-plan
    metadata:
      plan: {type: string, required: true}
      seats: {type: number}
      renewal_date: {type: date}
      invoice: {type: link}
      doc: {type: rich_link}
      amount: {type: money}
"#;

/// The sandbox's default contacts with a `user_id` (see `src/sandbox/seed.rs`).
const USERS: [&str; 4] = ["user-1001", "user-1002", "user-1003", "user-1004"];

/// A directory with the configuration in `cfg.yaml`.
struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    fn new() -> Workdir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("cfg.yaml"), CONFIG).unwrap();
        Workdir { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, body: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    /// The binary in this directory with `-c cfg.yaml` and a token.
    fn cli(&self, args: &[&str]) -> Cli {
        Cli::new(self.dir.path())
            .args(args)
            .args(["-c", "cfg.yaml"])
            .env("INTERCOM_ACCESS_TOKEN", "test-token")
    }

    fn command(&self, args: &[&str]) -> Command {
        self.cli(args).command()
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        self.cli(args).stdin(stdin).run()
    }
}

/// The `FILE:LINE: …` lines of stderr.
fn problems(r: &Run, file: &str) -> Vec<String> {
    r.stderr
        .lines()
        .filter(|l| l.starts_with(&format!("{file}:")) && !l.starts_with(&format!("{file}: ")))
        .map(str::to_string)
        .collect()
}

fn event(name: &str, created_at: i64, user: &str, metadata: Value) -> String {
    json!({"event_name": name, "created_at": created_at, "user_id": user, "metadata": metadata})
        .to_string()
}

/// `n` valid, distinct events (distinct `created_at`, so de-duplication cannot hide a loss).
fn valid_events(n: usize) -> String {
    (0..n)
        .map(|i| {
            let line = if i % 2 == 0 {
                event("signed-up", 1_700_000_000 + i as i64, USERS[i % 4], json!({"source": "web"}))
            } else {
                event(
                    "upgraded-plan",
                    1_700_000_000 + i as i64,
                    USERS[i % 4],
                    json!({"plan": "pro", "seats": 3, "amount": {"amount": 4900, "currency": "eur"}}),
                )
            };
            line + "\n"
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// validate

#[test]
fn validate_reports_every_problem_with_its_line() {
    let w = Workdir::new();
    let long = format!("{{\"event_name\":\"{}\"}}", "x".repeat(1024 * 1024 + 1));
    let lines: Vec<Vec<u8>> = vec![
        event("signed-up", 1_700_000_000, "user-1001", json!({"source": "web"})).into(),
        b"".to_vec(),
        event("sign-up", 1_700_000_000, "user-1001", json!({})).into(),
        event("upgraded-plan", 1_700_000_000, "user-1001", json!({"seats": 2})).into(),
        event("upgraded-plan", 1_700_000_000, "user-1001", json!({"plan": "pro", "colour": "red"})).into(),
        event("upgraded-plan", 1_700_000_000, "user-1001", json!({"plan": "pro", "seats": "3", "invoice": "ftp://x", "amount": {"amount": 9.99, "currency": "EUR"}})).into(),
        json!({"event_name": "signed-up", "created_at": 1_700_000_000, "metadata": {"source": "web"}}).to_string().into(),
        json!({"event_name": "signed-up", "created_at": 1_700_000_000, "user_id": "user-1001", "email": "ada@example.com", "metadata": {"source": "web"}}).to_string().into(),
        event("signed-up", 4_102_444_800, "user-1001", json!({"source": "web"})).into(),
        event("signed-up", 1_700_000_000_000, "user-1001", json!({"source": "web"})).into(),
        b"{\"event_name\": \"signed-up\",".to_vec(),
        event("upgraded-plan", 1_700_000_000, "user-1002", json!({"plan": "pro", "seats": 2.5, "renewal_date": 1_800_000_000, "invoice": "https://example.com/i/1", "doc": {"url": "https://example.com/d", "value": "Doc"}, "amount": {"amount": 4900, "currency": "eur"}})).into(),
        long.into_bytes(),
        b"\xff\xfe".to_vec(),
        b"   ".to_vec(),
    ];
    let mut body = lines.join(&b'\n');
    body.push(b'\n');
    w.write("events.ndjson", body);

    let r = w.run(&["events", "validate", "events.ndjson"]);
    assert_eq!(
        problems(&r, "events.ndjson"),
        [
            r#"events.ndjson:3: event "sign-up": not a declared event; did you mean "signed-up"?"#,
            r#"events.ndjson:4: event "upgraded-plan": missing required metadata key `plan`"#,
            r#"events.ndjson:5: event "upgraded-plan": unknown metadata key `colour`; declared keys: `plan`, `seats`, `renewal_date`, `invoice`, `doc`, `amount`"#,
            r#"events.ndjson:6: event "upgraded-plan": metadata `seats` must be a number, not the string "3""#,
            r#"events.ndjson:6: event "upgraded-plan": metadata `invoice` must be an http(s) URL, not the string "ftp://x""#,
            r#"events.ndjson:6: event "upgraded-plan": metadata `amount.amount` must be an integer number of cents, not the number 9.99"#,
            r#"events.ndjson:6: event "upgraded-plan": metadata `amount.currency` must be a lower-case ISO 4217 code such as "eur", not the string "EUR""#,
            r#"events.ndjson:7: event "signed-up": no contact identifier; give exactly one of `id`, `user_id` or `email`"#,
            r#"events.ndjson:8: event "signed-up": several contact identifiers (`user_id`, `email`); give exactly one of `id`, `user_id` or `email`"#,
            r#"events.ndjson:9: event "signed-up": `created_at` 4102444800 (2100-01-01T00:00:00Z) is in the future"#,
            r#"events.ndjson:10: event "signed-up": `created_at` 1700000000000 looks like milliseconds; Intercom wants Unix seconds (1700000000)"#,
            r#"events.ndjson:11: invalid JSON at column 27: EOF while parsing a value"#,
            r#"events.ndjson:13: the line is longer than 1 MiB; an event is far smaller, is this newline-delimited JSON?"#,
            r#"events.ndjson:14: the line is not UTF-8 text"#,
        ],
        "stderr:\n{}",
        r.stderr
    );
    r.code(1);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    r.stderr_has("events.ndjson: 13 event(s): 2 valid, 11 invalid");
    let row = |name: &str| {
        r.stderr
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert_eq!(row("signed-up"), "signed-up 1 valid 4 invalid");
    assert_eq!(row("upgraded-plan"), "upgraded-plan 1 valid 3 invalid");
    assert_eq!(
        row("(undeclared"),
        "(undeclared or unreadable) 0 valid 4 invalid"
    );
    assert_eq!(
        r.stderr.lines().last().unwrap(),
        "error: 11 of 13 event(s) in events.ndjson are invalid"
    );
}

#[test]
fn validate_reads_stdin_and_passes_a_clean_file() {
    let w = Workdir::new();
    let mut input = valid_events(5);
    input.push_str("\n{\"event_name\": \"upgraded-plan\"}\n");
    let r = w.run_with_stdin(&["events", "validate", "-"], &input);
    assert_eq!(
        problems(&r, "<stdin>"),
        [
            "<stdin>:7: event \"upgraded-plan\": missing `created_at` (Unix seconds)",
            "<stdin>:7: event \"upgraded-plan\": no contact identifier; give exactly one of `id`, `user_id` or `email`",
            "<stdin>:7: event \"upgraded-plan\": missing required metadata key `plan`",
        ],
        "{}",
        r.stderr
    );
    r.code(1);

    let r = w.run_with_stdin(&["events", "validate", "-"], &valid_events(5));
    r.code(0);
    assert!(problems(&r, "<stdin>").is_empty(), "{}", r.stderr);
    r.stderr_has("<stdin>: 5 event(s): 5 valid, 0 invalid");
}

#[test]
fn validate_refuses_a_missing_file_and_an_invalid_config() {
    let w = Workdir::new();
    let r = w.run(&["events", "validate", "nope.ndjson"]);
    r.code(1);
    r.stderr_has("error: cannot open nope.ndjson");

    w.write(
        "cfg.yaml",
        "events:\n  - name: x\n    metadata:\n      when: {type: date}\n",
    );
    let r = w.run(&["events", "validate", "nope.ndjson"]);
    r.code(1);
    r.stderr_has("does not end in `_date`");
    r.stderr_has("the event definitions cannot be used");
}

#[test]
fn constraint_declarations_are_checked_where_they_are_written() {
    let w = Workdir::new();
    w.write(
        "cfg.yaml",
        "events:\n  - name: x\n    metadata:\n      seats: {type: number, enum: [a]}\n      plan: {type: string, pattern: '(unclosed'}\n      size: {type: number, min: 5, max: 1}\n      tier: {type: string, enum: [a, a], min: 1}\n",
    );
    let r = w.run(&["events", "validate", "nope.ndjson"]);
    r.code(1);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "cfg.yaml:4:35: error: metadata key `seats` has `enum` but type `number`; `enum` applies to `string` keys",
            "cfg.yaml:5:37: error: metadata key `plan` has an invalid `pattern`: error: unclosed group",
            "cfg.yaml:6:33: error: metadata key `size` has `min` 5 greater than `max` 1; no value can pass",
            "cfg.yaml:7:38: error: metadata key `tier` lists the `enum` value \"a\" twice",
            "cfg.yaml:7:47: error: metadata key `tier` has `min` but type `string`; `min` applies to `number` keys",
        ],
        "{}",
        r.stderr
    );
}

#[test]
fn deprecated_events_and_keys_warn_and_fail_under_deny_warnings() {
    let w = Workdir::new();
    w.write(
        "cfg.yaml",
        "events:\n  - name: trial-started\n    deprecated: send signed-up\n  - name: signed-up\n    owner: growth\n    metadata:\n      plan: {type: string, enum: [free, pro]}\n      source: {type: string, deprecated: use plan}\n",
    );
    let body = [
        event("trial-started", 1_700_000_000, "user-1001", json!({})),
        event(
            "signed-up",
            1_700_000_000,
            "user-1001",
            json!({"plan": "pro", "source": "ads"}),
        ),
        event(
            "signed-up",
            1_700_000_000,
            "user-1001",
            json!({"plan": "gold"}),
        ),
    ]
    .join("\n");
    w.write("e.ndjson", body);
    let r = w.run(&["events", "validate", "e.ndjson"]);
    r.code(1);
    assert_eq!(
        problems(&r, "e.ndjson"),
        [
            r#"e.ndjson:1: event "trial-started": warning: the event is deprecated: send signed-up"#,
            r#"e.ndjson:2: event "signed-up": warning: metadata key `source` is deprecated: use plan"#,
            r#"e.ndjson:3: event "signed-up": metadata `plan` is "gold", not one of "free", "pro""#,
        ]
    );
    r.stderr_has("2 valid, 1 invalid");
    let r = w.run(&["events", "validate", "--deny-warnings", "e.ndjson"]);
    r.code(1);
    r.stderr_has("0 valid, 3 invalid");
    r.stderr_has(r#"e.ndjson:1: event "trial-started": the event is deprecated: send signed-up (--deny-warnings)"#);
}

// ---------------------------------------------------------------------------------------------
// schema

fn samples() -> Vec<(bool, Value)> {
    let ok = |v: Value| (true, v);
    let bad = |v: Value| (false, v);
    let up = |metadata: Value| json!({"event_name": "upgraded-plan", "created_at": 1_700_000_000, "user_id": "user-1001", "metadata": metadata});
    vec![
        ok(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000, "email": "ada@example.com", "metadata": {"source": "web"}}),
        ),
        ok(up(
            json!({"plan": "pro", "seats": 2.5, "renewal_date": 1_800_000_000, "invoice": "https://example.com/i", "doc": {"url": "http://example.com", "value": "Doc"}, "amount": {"amount": 4900, "currency": "eur"}}),
        )),
        ok(
            json!({"event_name": "upgraded-plan", "created_at": 0, "id": "5f1", "metadata": {"plan": "x"}}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000, "email": "ada@example.com"}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000, "metadata": {"source": "web"}}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000, "id": "1", "user_id": "u", "metadata": {"source": "web"}}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000_000_i64, "id": "1", "metadata": {"source": "web"}}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": "2024-01-01", "id": "1", "metadata": {"source": "web"}}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000, "id": "1", "metadata": {"source": "web"}, "extra": 1}),
        ),
        bad(
            json!({"event_name": "signed-up", "created_at": 1_700_000_000, "email": "not-an-email", "metadata": {"source": "web"}}),
        ),
        bad(up(json!({"plan": "x".repeat(256)}))),
        bad(up(json!({"plan": "pro", "other": 1}))),
        bad(up(json!({"plan": "pro", "seats": "3"}))),
        bad(up(json!({"plan": "pro", "renewal_date": 1.5}))),
        bad(up(
            json!({"plan": "pro", "renewal_date": 1_800_000_000_000_i64}),
        )),
        bad(up(json!({"plan": "pro", "invoice": "example.com"}))),
        bad(up(
            json!({"plan": "pro", "doc": {"url": "https://example.com"}}),
        )),
        bad(up(
            json!({"plan": "pro", "amount": {"amount": 49.5, "currency": "eur"}}),
        )),
        bad(up(
            json!({"plan": "pro", "amount": {"amount": 4900, "currency": "EUR"}}),
        )),
        bad(up(
            json!({"plan": "pro", "amount": {"amount": 4900, "currency": "euro"}}),
        )),
    ]
}

#[test]
fn schemas_accept_valid_and_reject_invalid_payloads_like_validate() {
    let w = Workdir::new();
    let r = w.run(&["events", "schema"]);
    r.code(0);
    let schemas: Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&String> = schemas.as_object().unwrap().keys().collect();
    assert_eq!(names, ["signed-up", "upgraded-plan"]);

    let mut file = String::new();
    let mut expected_invalid = Vec::new();
    for (i, (valid, payload)) in samples().iter().enumerate() {
        let name = payload["event_name"].as_str().unwrap();
        let schema = &schemas[name];
        assert_eq!(schema["additionalProperties"], false);
        let validator = jsonschema::options().build(schema).unwrap();
        assert_eq!(
            validator.is_valid(payload),
            *valid,
            "schema of {name} on sample {i}: {payload}"
        );
        // A payload for the other event never passes this event's schema.
        let other = if name == "signed-up" {
            "upgraded-plan"
        } else {
            "signed-up"
        };
        let other = jsonschema::options().build(&schemas[other]).unwrap();
        assert!(
            !other.is_valid(payload),
            "sample {i} passed the other schema"
        );
        file.push_str(&payload.to_string());
        file.push('\n');
        if !valid {
            expected_invalid.push(format!("samples.ndjson:{}:", i + 1));
        }
    }
    // `events validate` agrees with the schemas, line for line.
    w.write("samples.ndjson", &file);
    let r = w.run(&["events", "validate", "samples.ndjson"]);
    let mut invalid: Vec<String> = problems(&r, "samples.ndjson")
        .iter()
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            format!("{}:{}:", parts.next().unwrap(), parts.next().unwrap())
        })
        .collect();
    invalid.dedup();
    assert_eq!(invalid, expected_invalid, "{}", r.stderr);
    r.code(1);
}

#[test]
fn schema_out_writes_one_file_per_event() {
    let w = Workdir::new();
    let r = w.run(&["events", "schema", "--out", "schemas"]);
    r.code(0);
    assert!(r.stdout.is_empty());
    let printed: Value = serde_json::from_str(&w.run(&["events", "schema"]).stdout).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(w.path("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["signed-up.schema.json", "upgraded-plan.schema.json"]
    );
    for (name, schema) in printed.as_object().unwrap() {
        let text =
            std::fs::read_to_string(w.path("schemas").join(format!("{name}.schema.json"))).unwrap();
        let written: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(&written, schema);
        assert_eq!(written["properties"]["event_name"]["const"], name.as_str());
        assert_eq!(written["properties"]["metadata"]["maxProperties"], 10);
    }
    let up = &printed["upgraded-plan"]["properties"]["metadata"];
    assert_eq!(up["required"], json!(["plan"]));
    assert_eq!(
        up["properties"]["amount"]["required"],
        json!(["amount", "currency"])
    );
}

// ---------------------------------------------------------------------------------------------
// send

fn send(w: &Workdir, server: &Served, args: &[&str]) -> Run {
    let mut all = vec!["events", "send"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--endpoint", &server.url]);
    w.run(&all)
}

#[test]
fn send_delivers_each_valid_line_once_despite_faults() {
    // Seed 2064 injects 5xx answers and connection resets in the first 350 requests, but none of
    // the slow answers that would only end with the client's 30 s timeout.
    let server = Served::start_quiet(&["--fault-rate", "0.2", "--fault-seed", "2064"]);
    let w = Workdir::new();
    w.write("events.ndjson", valid_events(200));
    let r = send(
        &w,
        &server,
        &["events.ndjson", "--rate", "2000", "--concurrency", "16"],
    );
    r.code(0);
    assert!(r.stdout.is_empty());
    r.stderr_has("sent 200 event(s)");
    let stats = server.stats();
    assert!(stats["faults_injected"].as_u64().unwrap() >= 10, "{stats}");
    assert_eq!(stats["events_received"], 200, "{stats}");
    assert_eq!(stats["events_deduplicated"], 0, "{stats}");
    // Each fault cost exactly one more call: nothing was sent twice once it got through.
    assert_eq!(
        stats["total_calls"].as_u64().unwrap(),
        1 + 200 + stats["faults_injected"].as_u64().unwrap(),
        "{stats}"
    );
    let checkpoint: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("events.ndjson.checkpoint")).unwrap())
            .unwrap();
    assert_eq!(checkpoint["line"], 200);
    assert_eq!(
        checkpoint["input_hash"],
        blake3::hash(valid_events(200).as_bytes()).to_hex().as_str()
    );
    assert!(!w.path("events.ndjson.rejects").exists());
}

#[test]
fn send_sends_nothing_when_a_line_is_invalid() {
    let server = Served::start_quiet(&[]);
    let w = Workdir::new();
    let mut input = valid_events(4);
    input.push_str("{\"event_name\":\"nope\",\"created_at\":1,\"user_id\":\"user-1001\"}\n");
    w.write("events.ndjson", &input);
    let r = send(&w, &server, &["events.ndjson"]);
    r.code(1);
    assert_eq!(
        problems(&r, "events.ndjson"),
        [
            "events.ndjson:5: event \"nope\": not a declared event; declare it under `events:` in the configuration"
        ]
    );
    r.stderr_has("1 of 5 event(s) in events.ndjson are invalid; nothing was sent");
    assert_eq!(server.stats()["events_received"], 0);
    assert!(!w.path("events.ndjson.checkpoint").exists());
}

#[test]
fn send_skips_invalid_lines_and_rejects_unknown_contacts() {
    let server = Served::start_quiet(&[]);
    let w = Workdir::new();
    let mut input = valid_events(3);
    input.push_str("not json\n");
    input.push_str(&event(
        "signed-up",
        1_700_000_100,
        "no-such-user",
        json!({"source": "web"}),
    ));
    input.push('\n');
    input.push_str(&event(
        "signed-up",
        1_700_000_101,
        "user-1001",
        json!({"source": "web"}),
    ));
    input.push('\n');
    w.write("events.ndjson", &input);
    let r = send(
        &w,
        &server,
        &["events.ndjson", "--skip-invalid", "--rejects", "bad.ndjson"],
    );
    r.code(1);
    assert!(problems(&r, "events.ndjson").is_empty(), "{}", r.stderr);
    assert!(
        r.stderr.contains("sent 4 event(s)")
            && r.stderr
                .contains("1 refused by Intercom, 1 invalid skipped"),
        "{}",
        r.stderr
    );
    r.stderr_has("error: Intercom refused 1 event(s); they are in bad.ndjson");
    assert_eq!(server.unique_events(), 4);
    let rejects: Vec<Value> = std::fs::read_to_string(w.path("bad.ndjson"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejects.len(), 2);
    assert_eq!(rejects[0]["line"], 4);
    assert_eq!(rejects[0]["text"], "not json");
    assert!(
        rejects[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON")
    );
    assert_eq!(rejects[1]["line"], 5);
    assert!(
        rejects[1]["reason"].as_str().unwrap().contains("404"),
        "{}",
        rejects[1]
    );
    assert!(
        rejects[1]["text"]
            .as_str()
            .unwrap()
            .contains("no-such-user")
    );
    // Every line was acknowledged, refused ones included.
    let checkpoint: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("events.ndjson.checkpoint")).unwrap())
            .unwrap();
    assert_eq!(checkpoint["line"], 6);
}

#[test]
fn send_resumes_after_a_checkpoint_and_refuses_a_changed_input() {
    let server = Served::start_quiet(&[]);
    let w = Workdir::new();
    let input = valid_events(10);
    w.write("events.ndjson", &input);
    let checkpoint = json!({
        "format_version": 1,
        "input_hash": blake3::hash(input.as_bytes()).to_hex().as_str(),
        "line": 6,
    });
    w.write("events.ndjson.checkpoint", checkpoint.to_string());

    // Without --resume an existing checkpoint is not silently ignored.
    let r = send(&w, &server, &["events.ndjson"]);
    r.code(1);
    r.stderr_has("was sent up to line 6");
    r.stderr_has("help: pass --resume");
    assert_eq!(server.stats()["events_received"], 0);

    let r = send(&w, &server, &["events.ndjson", "--resume"]);
    r.code(0);
    r.stderr_has("Resuming events.ndjson after line 6: 4 event(s) left to send.");
    r.stderr_has("sent 4 event(s)");
    assert_eq!(server.stats()["events_received"], 4);

    // Resuming a finished file sends nothing.
    let r = send(&w, &server, &["events.ndjson", "--resume"]);
    r.code(0);
    r.stderr_has("sent 0 event(s)");
    assert_eq!(server.stats()["events_received"], 4);

    // A changed input is refused before it is validated, and nothing is sent.
    w.write("events.ndjson", valid_events(10) + "not json\n");
    let r = send(&w, &server, &["events.ndjson", "--resume"]);
    r.code(1);
    r.stderr_has("error: events.ndjson changed since events.ndjson.checkpoint was written");
    assert!(problems(&r, "events.ndjson").is_empty(), "{}", r.stderr);
    assert_eq!(server.stats()["events_received"], 4);
}

/// `events send` of 40 events at 5 a second against `server`, started in the background with
/// stdout discarded and stderr as given.
fn start_slow_send(w: &Workdir, server: &Served, stderr: Stdio) -> Child {
    w.write("events.ndjson", valid_events(40));
    w.command(&[
        "events",
        "send",
        "events.ndjson",
        "--rate",
        "5",
        "--endpoint",
        &server.url,
    ])
    .stdout(Stdio::null())
    .stderr(stderr)
    .spawn()
    .unwrap()
}

#[test]
fn send_resumes_after_being_killed_mid_way() {
    let server = Served::start_quiet(&[]);
    let w = Workdir::new();
    let mut child = start_slow_send(&w, &server, Stdio::null());
    // Wait (bounded) until a checkpoint records some progress, then kill -9.
    let checkpoint = w.path("events.ndjson.checkpoint");
    let killed_at = wait_for_checkpoint(&checkpoint, &mut child, 3);
    child.kill().unwrap();
    child.wait().unwrap();
    let sent_before = server.unique_events();
    assert!(sent_before < 40, "{sent_before}");

    let r = send(
        &w,
        &server,
        &["events.ndjson", "--resume", "--rate", "1000"],
    );
    r.code(0);
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&checkpoint).unwrap()).unwrap();
    let resumed_from = r
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Resuming events.ndjson after line "))
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no resume note in:\n{}", r.stderr));
    assert!(resumed_from >= killed_at, "{resumed_from} < {killed_at}");
    r.stderr_has(&format!("sent {} event(s)", 40 - resumed_from));
    assert_eq!(recorded["line"], 40);
    // Every event arrived exactly once as far as Intercom is concerned.
    assert_eq!(server.unique_events(), 40);
}

/// Waits (bounded) until the checkpoint records at least `min` lines; returns its line.
fn wait_for_checkpoint(path: &std::path::Path, child: &mut Child, min: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .and_then(|c| c["line"].as_u64());
        if let Some(line) = line.filter(|l| *l >= min) {
            return line;
        }
        assert!(Instant::now() < deadline, "no checkpoint progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the slow send finished early"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn send_stops_cleanly_on_ctrl_c_with_an_exact_checkpoint() {
    let server = Served::start_quiet(&[]);
    let w = Workdir::new();
    let mut child = start_slow_send(&w, &server, Stdio::piped());
    let checkpoint = w.path("events.ndjson.checkpoint");
    wait_for_checkpoint(&checkpoint, &mut child, 2);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: events send was interrupted: every event up to line"),
        "{stderr}"
    );
    // In-flight requests were answered before the checkpoint was written: it is exact.
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(&checkpoint).unwrap()).unwrap();
    let line = recorded["line"].as_u64().unwrap();
    assert!(line < 40, "{line}");
    assert_eq!(server.unique_events(), line);
    assert_eq!(server.stats()["events_deduplicated"], 0);
}

#[test]
fn send_from_stdin_cannot_resume() {
    let w = Workdir::new();
    let r = w.run_with_stdin(
        &[
            "events",
            "send",
            "-",
            "--resume",
            "--endpoint",
            "http://127.0.0.1:9",
        ],
        &valid_events(1),
    );
    r.code(1);
    r.stderr_has("error: --resume needs a file");
}

#[test]
fn send_from_stdin_delivers_and_writes_no_checkpoint() {
    let server = Served::start_quiet(&[]);
    let w = Workdir::new();
    let r = w.run_with_stdin(
        &["events", "send", "-", "--endpoint", &server.url],
        &valid_events(7),
    );
    r.code(0);
    r.stderr_has("<stdin>: sent 7 event(s)");
    assert_eq!(server.unique_events(), 7);
    let leftovers: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("checkpoint"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------------------------------------
// plan --events-base

#[test]
fn plan_lists_breaking_event_changes_first_and_can_refuse_them() {
    let p = support::Project::in_process();
    let base = "events:\n  - name: signed-up\n    metadata:\n      plan: {type: string, enum: [free, pro]}\n  - name: trial-started\n";
    p.write("base/main.yaml", base);
    p.config("events:\n  - name: signed-up\n    metadata:\n      plan: {type: string, enum: [free, pro, team]}\n      source: {type: string}\n");

    let r = p.run(&["plan", "--events-base", "base"]);
    r.code(0);
    assert!(
        r.stdout.starts_with(
            "Events contract against base: 1 breaking, 2 compatible change(s):\n  BREAKING   event[\"trial-started\"]: event removed: producers that still send it fail validation\n  compatible event[\"signed-up\"]: metadata key `plan` enum value(s) added: team\n  compatible event[\"signed-up\"]: metadata key `source` added\n\n"
        ),
        "{}",
        r.stdout
    );

    let r = p.run(&[
        "plan",
        "--events-base",
        "base",
        "--format",
        "markdown",
        "--deny-breaking-events",
    ]);
    r.code(1).stderr_has(
        "error: the events contract has breaking changes against base (--deny-breaking-events)",
    );
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("<!-- intercom-iac plan digest: "),
        "{}",
        r.stdout
    );
    assert_eq!(lines[1], "### intercom-iac plan");
    assert_eq!(
        lines[3],
        "#### Events contract: 1 breaking, 2 compatible change(s) against `base`"
    );
    assert_eq!(
        lines[5],
        "- **breaking**: `event[\"trial-started\"]` event removed: producers that still send it fail validation"
    );

    // JSON carries the review beside the plan.
    let r = p.run(&["plan", "--events-base", "base", "--format", "json"]);
    r.code(0);
    let doc = r.json();
    assert_eq!(doc["events_review"]["base"], "base");
    assert_eq!(doc["events_review"]["breaking"], true);
    assert_eq!(doc["events_review"]["changes"][0]["breaking"], true);
    assert_eq!(
        doc["events_review"]["changes"][0]["address"],
        "event[\"trial-started\"]"
    );
    assert_eq!(doc["events_review"]["changes"].as_array().unwrap().len(), 3);
    assert!(
        doc["digest"].is_string() && doc["changes"].is_array(),
        "{doc}"
    );

    // Only compatible changes: --deny-breaking-events lets the plan pass.
    p.write("base/main.yaml", "events:\n  - name: signed-up\n");
    p.run(&["plan", "--events-base", "base", "--deny-breaking-events"])
        .code(0)
        .stdout_has("0 breaking, 2 compatible change(s)");

    // A base that does not load is an error, not an empty contract.
    p.write(
        "base/main.yaml",
        "events: [{name: x, metadata: {when: {type: date}}}]\n",
    );
    p.run(&["plan", "--events-base", "base"])
        .code(1)
        .stderr_has("the --events-base configuration base is invalid");
}

// ---------------------------------------------------------------------------------------------
// the sandbox's event summaries

#[test]
fn sandbox_summarises_a_contacts_recorded_events() {
    let sandbox = Served::start(&[]);
    for (name, at) in [
        ("signed-up", 1_700_000_000),
        ("paid", 1_700_000_500),
        ("paid", 1_700_000_100),
        ("paid", 1_700_000_100),
    ] {
        let (status, _) = sandbox.api(
            "POST",
            "/events",
            Some(json!({"event_name": name, "created_at": at, "user_id": "user-1001"})),
        );
        assert_eq!(status, 202);
    }
    let (status, body) = sandbox.api(
        "GET",
        "/events?type=user&user_id=user-1001&summary=true",
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["type"], "event.summary");
    assert_eq!(body["user_id"], "user-1001");
    assert!(
        body["intercom_user_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{body}"
    );
    assert_eq!(
        body["events"],
        json!([
            {"name": "paid", "first": "2023-11-14T22:15:00.000+00:00", "last": "2023-11-14T22:21:40.000+00:00", "count": 2},
            {"name": "signed-up", "first": "2023-11-14T22:13:20.000+00:00", "last": "2023-11-14T22:13:20.000+00:00", "count": 1},
        ])
    );
    let (status, body) = sandbox.api(
        "GET",
        "/events?type=user&user_id=user-1002&summary=true",
        None,
    );
    assert_eq!((status, body["events"].clone()), (200, json!([])));
    let (status, body) = sandbox.api("GET", "/events?type=user&user_id=nobody&summary=true", None);
    assert_eq!(
        (status, body["errors"][0]["code"].clone()),
        (404, json!("not_found"))
    );
    let (status, _) = sandbox.api("GET", "/events?type=user&summary=true", None);
    assert_eq!(status, 400);
}
