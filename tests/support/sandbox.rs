//! The sandbox from the outside: a `sandbox serve` child process on `127.0.0.1:0` ([`Served`],
//! killed and reaped on drop) and the one reader of its `GET /_sandbox/stats` hook ([`stats`],
//! which also serves in-process sandboxes through [`stats_async`]).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

use super::api::Api;
use super::cli::BIN;

/// The token [`Served::api`] sends (a served sandbox accepts any token unless started with
/// `--token`).
pub const TOKEN: &str = "e2e-token";

/// A `sandbox serve` child process on `127.0.0.1:0`, killed when dropped.
pub struct Served {
    child: Child,
    /// Kept open so the server never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Holds the `--state` file of [`Served::start_with_state`].
    dir: tempfile::TempDir,
}

impl Served {
    /// Serves the default seed with any extra `sandbox serve` flags; its stderr goes to the
    /// test's.
    pub fn start(extra: &[&str]) -> Served {
        Served::spawn(extra, false, true)
    }

    /// Like [`Served::start`], persisting the state in a file readable with [`Served::state`].
    pub fn start_with_state(extra: &[&str]) -> Served {
        Served::spawn(extra, true, true)
    }

    /// Like [`Served::start`], with the server's stderr discarded.
    pub fn start_quiet(extra: &[&str]) -> Served {
        Served::spawn(extra, false, false)
    }

    fn spawn(extra: &[&str], with_state: bool, show_stderr: bool) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.args(["sandbox", "serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if show_stderr {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        if with_state {
            cmd.arg("--state").arg(dir.path().join("state.json"));
        }
        let mut child = cmd.spawn().expect("sandbox serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        let read = stdout.read_line(&mut line);
        let Some(url) = read
            .ok()
            .and_then(|_| line.trim().strip_prefix("listening on "))
        else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected first line from sandbox serve: {line:?}");
        };
        Served {
            url: url.to_string(),
            child,
            _stdout: stdout,
            dir,
        }
    }

    /// `GET /_sandbox/stats`.
    pub fn stats(&self) -> Value {
        stats(&self.url)
    }

    /// The write calls (POST, PUT, DELETE, PATCH) the sandbox has seen so far.
    pub fn writes(&self) -> u64 {
        self.stats().write_calls()
    }

    /// Events recorded once each (accepted minus duplicates).
    pub fn unique_events(&self) -> u64 {
        self.stats().unique_events()
    }

    /// Calls the sandbox's Intercom API with [`TOKEN`]; returns status and JSON body.
    pub fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let api = Api::new(&self.url, TOKEN);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let reply = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(api.send(method, path, body));
        (reply.status.as_u16(), reply.body)
    }

    /// `GET path` through [`Served::api`], which must answer 200: its body.
    #[track_caller]
    pub fn get(&self, path: &str) -> Value {
        self.expect("GET", path, None, 200)
    }

    /// `PUT path` through [`Served::api`], which must answer 200: its body.
    #[track_caller]
    pub fn put(&self, path: &str, body: Value) -> Value {
        self.expect("PUT", path, Some(body), 200)
    }

    /// A call through [`Served::api`] that must answer `status`: its body.
    #[track_caller]
    pub fn expect(&self, method: &str, path: &str, body: Option<Value>, status: u16) -> Value {
        let (got, body) = self.api(method, path, body);
        assert_eq!(got, status, "{method} {path}: {body}");
        body
    }

    /// The persisted state (servers started with [`Served::start_with_state`]).
    pub fn state(&self) -> Value {
        let text = std::fs::read_to_string(self.dir.path().join("state.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET /_sandbox/stats` of the sandbox at `url` (`http://127.0.0.1:PORT`), served or in
/// process: its counters as JSON. Blocking; from async code use [`stats_async`].
pub fn stats(url: &str) -> Value {
    let addr = url
        .trim_end_matches('/')
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("not a sandbox URL: {url}"));
    let mut stream = TcpStream::connect(addr).expect("the sandbox accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a timeout can be set");
    write!(
        stream,
        "GET /_sandbox/stats HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("the request is sent");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("the answer is read");
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "GET /_sandbox/stats: {head}"
    );
    serde_json::from_str(body).unwrap_or_else(|e| panic!("GET /_sandbox/stats: {e}: {body}"))
}

/// [`stats`] from async code (on a blocking thread, so an in-process sandbox on the same
/// runtime keeps answering).
pub async fn stats_async(url: &str) -> Value {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || stats(&url))
        .await
        .expect("the stats are read")
}

/// Typed readings of the stats JSON.
pub trait StatsExt {
    /// A top-level counter (`rate_limited`, `faults_injected`, `total_calls`, …).
    fn counter(&self, name: &str) -> u64;

    /// The write calls (POST, PUT, DELETE, PATCH), whatever their answer.
    fn write_calls(&self) -> u64;

    /// Successful writes per operation (`"POST /tags"`).
    fn successful_writes(&self) -> BTreeMap<String, u64>;

    /// Events recorded once each (accepted minus duplicates).
    fn unique_events(&self) -> u64;
}

impl StatsExt for Value {
    fn counter(&self, name: &str) -> u64 {
        self[name]
            .as_u64()
            .unwrap_or_else(|| panic!("no counter {name} in {self}"))
    }

    fn write_calls(&self) -> u64 {
        self["calls"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(op, _)| {
                ["POST ", "PUT ", "DELETE ", "PATCH "]
                    .iter()
                    .any(|m| op.starts_with(m))
            })
            .map(|(_, n)| n.as_u64().unwrap())
            .sum()
    }

    fn successful_writes(&self) -> BTreeMap<String, u64> {
        self["succeeded"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| !k.starts_with("GET "))
                    .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn unique_events(&self) -> u64 {
        self.counter("events_received") - self.counter("events_deduplicated")
    }
}
