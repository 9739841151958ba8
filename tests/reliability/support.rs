//! Helpers shared by the reliability tests: running the binary, serving the sandbox in its own
//! process, reading its stats hook, generating large configurations and reading the live
//! workspace back through the library.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use intercom_iac::intercom::{Client, ClientOptions, Scope, Target, Token, fetch_live};
use intercom_iac::model::Live;
use reqwest::Url;
use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_intercom-iac");

/// Whether the bigger variants should run (`INTERCOM_IAC_RELIABILITY_LARGE=1`, which
/// `bench/run.py` may set).
pub fn large() -> bool {
    std::env::var("INTERCOM_IAC_RELIABILITY_LARGE").is_ok_and(|v| v == "1")
}

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code and returns the run.
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Both streams, for searching.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A command line of the binary: working directory, arguments and environment. Colour is off,
/// and neither `RUST_LOG` nor the token leak in from the caller's environment.
#[derive(Debug, Clone)]
pub struct Cli {
    dir: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl Cli {
    /// A command run in `dir`.
    pub fn new(dir: &Path) -> Cli {
        Cli {
            dir: dir.to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    /// A command against a served sandbox: `--endpoint URL` and the token in the environment.
    pub fn against(dir: &Path, url: &str, token: &str) -> Cli {
        Cli::new(dir)
            .args(["--endpoint", url])
            .env("INTERCOM_ACCESS_TOKEN", token)
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Cli
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Cli {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(&self.args)
            .current_dir(&self.dir)
            .env_remove("RUST_LOG")
            .env_remove("INTERCOM_ACCESS_TOKEN")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs to completion.
    pub fn run(&self) -> Run {
        let out = self.command().output().expect("the binary runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Starts it with stdout and stderr piped.
    pub fn spawn(&self) -> Child {
        self.command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts")
    }
}

/// `intercom-iac sandbox serve` on a free loopback port, killed on drop.
pub struct Served {
    child: Child,
    pub url: String,
}

impl Served {
    /// Starts the sandbox with extra flags and waits for its `listening on` line.
    pub fn start(args: &[&str]) -> Served {
        let mut child = Command::new(BIN)
            .args(["sandbox", "serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the sandbox prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line names the address: {line:?}"))
            .to_string();
        Served { child, url }
    }

    /// `GET /_sandbox/stats`.
    pub fn stats(&self) -> Stats {
        Stats(http(&self.url, "GET", "/_sandbox/stats"))
    }

    /// `POST /_sandbox/reset`.
    pub fn reset(&self) {
        http(&self.url, "POST", "/_sandbox/reset");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sandbox's counters.
#[derive(Debug, Clone)]
pub struct Stats(pub Value);

impl Stats {
    /// Calls of one operation (`"POST /tags"`), whatever their answer.
    pub fn calls(&self, op: &str) -> u64 {
        self.0["calls"][op].as_u64().unwrap_or(0)
    }

    /// Successful (2xx) answers of one operation.
    pub fn succeeded(&self, op: &str) -> u64 {
        self.0["succeeded"][op].as_u64().unwrap_or(0)
    }

    /// A top-level counter (`rate_limited`, `faults_injected`, `unauthorized`, …).
    pub fn counter(&self, name: &str) -> u64 {
        self.0[name]
            .as_u64()
            .unwrap_or_else(|| panic!("no counter {name} in {}", self.0))
    }

    /// Successful writes per operation (`POST`, `PUT`, `DELETE`).
    pub fn successful_writes(&self) -> BTreeMap<String, u64> {
        self.0["succeeded"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| !k.starts_with("GET "))
                    .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One plain HTTP/1.1 request to a sandbox test hook; returns the JSON body.
fn http(base: &str, method: &str, path: &str) -> Value {
    let url = Url::parse(base).expect("a base URL");
    let addr = format!(
        "{}:{}",
        url.host_str().expect("a host"),
        url.port().expect("a port")
    );
    let mut stream = TcpStream::connect(&addr).expect("the sandbox accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout can be set");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("the request is sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("the answer is read");
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{method} {path}: {head}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{method} {path}: {e}: {body}"))
}

/// Reads every kind of the workspace through the library client.
pub fn read_live(url: &str, token: &str) -> Live {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let client = Client::with_options(
            &Target::Endpoint(Url::parse(url).expect("a URL")),
            Token::new(token),
            ClientOptions {
                timeout: Duration::from_secs(2),
                backoff_base: Duration::from_millis(10),
                backoff_max: Duration::from_millis(100),
                max_attempts: 20,
                rate_window: Duration::from_secs(1),
                ..ClientOptions::default()
            },
        )
        .expect("a client");
        fetch_live(&client, &Scope::all())
            .await
            .expect("the workspace can be read")
    })
}

/// How many live objects carry each name, per kind (`tag`, `audience`, `office_hours`,
/// `contact_attribute`), so duplicates show up as counts above one.
pub fn names(live: &Live) -> BTreeMap<(&'static str, String), usize> {
    let mut out = BTreeMap::new();
    let mut add = |kind: &'static str, name: &str| {
        *out.entry((kind, name.to_string())).or_insert(0) += 1;
    };
    for t in &live.tags {
        add("tag", &t.name);
    }
    for a in &live.audiences {
        add("audience", &a.name);
    }
    for s in &live.office_hours {
        add("office_hours", &s.name);
    }
    for a in live.data_attributes.iter().filter(|a| a.custom) {
        add("data_attribute", &a.name);
    }
    out
}

/// Asserts that no kind holds two objects of one name.
#[track_caller]
pub fn assert_no_duplicates(live: &Live) {
    let dups: Vec<_> = names(live).into_iter().filter(|(_, n)| *n > 1).collect();
    assert!(dups.is_empty(), "duplicate objects: {dups:?}");
}

/// A configuration of many changes against the default seed: `tags` new tags, `audiences` new
/// audiences, `schedules` office-hours schedules (every third with an exception) and
/// `attributes` contact attributes. Returns the YAML text.
pub fn big_config(tags: usize, audiences: usize, schedules: usize, attributes: usize) -> String {
    let mut y = String::from("version: 1\nworkspace:\n  app_id: sbx4c0de\n");
    y.push_str("data_attributes:\n  contact:\n");
    for i in 0..attributes {
        match i % 3 {
            0 => y.push_str(&format!(
                "    - {{name: rel_attr_{i}, type: string, description: \"Reliability attribute {i}\"}}\n"
            )),
            1 => y.push_str(&format!("    - {{name: rel_attr_{i}, type: integer}}\n")),
            _ => y.push_str(&format!(
                "    - {{name: rel_attr_{i}, type: list, options: [a{i}, b{i}, c{i}]}}\n"
            )),
        }
    }
    y.push_str("tags:\n");
    for i in 0..tags {
        y.push_str(&format!("  - name: \"rel tag {i:04}\"\n"));
    }
    y.push_str("audiences:\n");
    for i in 0..audiences {
        y.push_str(&format!(
            "  - name: \"Rel audience {i:03}\"\n    predicates:\n      - {{attribute: custom_attributes.score, type: integer, comparison: gt, value: \"{i}\"}}\n    role_predicates:\n      - {{attribute: role, type: role, comparison: eq, value: user}}\n"
        ));
    }
    y.push_str("office_hours:\n");
    for i in 0..schedules {
        let start = 6 + i % 6;
        y.push_str(&format!(
            "  - name: \"Rel hours {i:03}\"\n    time_zone: Europe/Dublin\n    hours:\n      mon-fri: [\"{start:02}:00-17:15\"]\n"
        ));
        if i % 3 == 0 {
            y.push_str(&format!(
                "    exceptions:\n      - {{date: 2026-12-{:02}, closed: true, name: \"Closed {i}\"}}\n",
                1 + i % 28
            ));
        }
    }
    y
}

/// Writes `text` as `dir/intercom/workspace.yaml` (the default config path).
pub fn write_config(dir: &Path, text: &str) {
    let cfg = dir.join("intercom");
    std::fs::create_dir_all(&cfg).expect("the config dir can be made");
    std::fs::write(cfg.join("workspace.yaml"), text).expect("the config can be written");
}

/// The addresses of a plan in JSON (`plan --format json`).
pub fn plan_addresses(json: &str) -> Vec<String> {
    let doc: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("plan JSON: {e}: {json}"));
    doc["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("plan JSON without changes: {json}"))
        .iter()
        .map(|c| {
            c["address"]
                .as_str()
                .unwrap_or_else(|| panic!("a change without address: {c}"))
                .to_string()
        })
        .collect()
}

/// Another app sharing the workspace's rate limit: it sends `GET /me` every 40 ms
/// (above a small limit) until dropped, so the client under test meets 429 storms.
pub struct Neighbour {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<u64>>,
}

impl Neighbour {
    /// Starts hammering `url` with `token`.
    pub fn start(url: &str, token: &str) -> Neighbour {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let url = format!("{url}/me");
        let token = token.to_string();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async move {
                // The sandbox's injected slow answers hit the neighbour too: give up quickly.
                let http = reqwest::Client::builder()
                    .timeout(Duration::from_millis(300))
                    .build()
                    .expect("an HTTP client");
                let mut tick = tokio::time::interval(Duration::from_millis(10));
                let mut refused = 0;
                while !flag.load(Ordering::SeqCst) {
                    tick.tick().await;
                    if let Ok(r) = http.get(&url).bearer_auth(&token).send().await
                        && r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS
                    {
                        refused += 1;
                    }
                }
                refused
            })
        });
        Neighbour {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops it; returns how many of its requests were refused with 429.
    pub fn stop(mut self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Neighbour {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
