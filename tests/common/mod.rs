//! The harness of the end-to-end CLI tests: runs the real `intercom-iac` binary in a temporary
//! project directory, against the in-process sandbox (`--sandbox=state.json`, whose state
//! persists between invocations) or against a `sandbox serve` child process (`--endpoint`,
//! for injected faults and call counting through `GET /_sandbox/stats`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_intercom-iac");

/// The token the served sandbox gets unless a test picks its own.
pub const TOKEN: &str = "e2e-token";

/// How one invocation ended.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn code(&self, want: i32) -> &Run {
        assert_eq!(
            self.code, want,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr\n{}\n--- stdout\n{}",
            self.stderr,
            self.stdout
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Where a project's commands send their requests.
enum Target {
    /// `--sandbox=state.json` inside the project directory.
    InProcess,
    /// `--endpoint URL` with this token in `INTERCOM_ACCESS_TOKEN`.
    Served { url: String, token: String },
}

/// A temporary directory holding the configuration (`intercom/main.yaml`, the default path),
/// saved plans and, for the in-process sandbox, its state file.
pub struct Project {
    dir: tempfile::TempDir,
    target: Target,
}

impl Project {
    /// A project using the in-process sandbox (default seed) in `state.json`.
    pub fn in_process() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            target: Target::InProcess,
        }
    }

    /// A project talking to a served sandbox with [`TOKEN`].
    pub fn served(server: &Served) -> Project {
        Project::served_with_token(server, TOKEN)
    }

    /// A project talking to a served sandbox with the given token.
    pub fn served_with_token(server: &Served, token: &str) -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            target: Target::Served {
                url: server.url.clone(),
                token: token.to_string(),
            },
        }
    }

    /// The project directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the project.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Replaces the configuration (the default `intercom/` directory, one file).
    pub fn config(&self, yaml: &str) -> &Project {
        self.write("intercom/main.yaml", yaml)
    }

    /// Writes a file inside the project.
    pub fn write(&self, name: &str, text: &str) -> &Project {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Reads a file of the project.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    /// The in-process sandbox's state file, parsed.
    pub fn state(&self) -> Value {
        serde_json::from_str(&self.read("state.json")).unwrap()
    }

    /// Runs the binary in the project directory with the target flags and `--color never`
    /// (unless `args` choose a colour).
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        match &self.target {
            Target::InProcess => {
                cmd.arg("--sandbox=state.json");
            }
            Target::Served { url, token } => {
                cmd.args(["--endpoint", url]);
                cmd.env("INTERCOM_ACCESS_TOKEN", token);
            }
        }
        output(cmd)
    }

    /// Runs the binary in the project directory without target flags (`show`, usage errors).
    pub fn run_bare(&self, args: &[&str]) -> Run {
        output(self.command(args))
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.dir.path()).args(args);
        if !args.contains(&"--color") {
            cmd.args(["--color", "never"]);
        }
        cmd.env_remove("INTERCOM_ACCESS_TOKEN")
            .env_remove("RUST_LOG")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        cmd
    }
}

fn output(mut cmd: Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A `sandbox serve` child process on `127.0.0.1:0`, killed when dropped.
pub struct Served {
    child: Child,
    /// Kept open so the server never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Keeps `--state` files alive.
    dir: tempfile::TempDir,
}

impl Served {
    /// Serves the default seed with any extra `sandbox serve` flags.
    pub fn start(extra: &[&str]) -> Served {
        Served::spawn(extra, false)
    }

    /// Like [`Served::start`], persisting the state in a file readable with [`Served::state`].
    pub fn start_with_state(extra: &[&str]) -> Served {
        Served::spawn(extra, true)
    }

    fn spawn(extra: &[&str], with_state: bool) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.args(["sandbox", "serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if with_state {
            cmd.arg("--state").arg(dir.path().join("state.json"));
        }
        let mut child = cmd.spawn().expect("sandbox serve starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
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
        self.request("GET", "/_sandbox/stats", None, None).1
    }

    /// The write calls (POST, PUT, DELETE, PATCH) the sandbox has seen so far.
    pub fn writes(&self) -> u64 {
        let stats = self.stats();
        stats["calls"]
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

    /// Calls the sandbox's Intercom API with [`TOKEN`]; returns status and JSON body.
    pub fn api(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.request(method, path, body, Some(TOKEN))
    }

    /// The persisted state (servers started with [`Served::start_with_state`]).
    pub fn state(&self) -> Value {
        let text = std::fs::read_to_string(self.dir.path().join("state.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.url);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let mut req = reqwest::Client::new().request(method, url);
            if let Some(t) = token {
                req = req.bearer_auth(t).header("Intercom-Version", "2.16");
            }
            if let Some(b) = body {
                req = req.json(&b);
            }
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap();
            (status, serde_json::from_str(&text).unwrap_or(Value::Null))
        })
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The number of write operations of a plan in its JSON form (`changes[].ops`).
pub fn plan_ops(plan: &Value) -> u64 {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ops"].as_array().unwrap().len() as u64)
        .sum()
}

/// The names of a sandbox state's objects of one collection (`tags`, `audiences`,
/// `schedules`, …), sorted, duplicates kept.
pub fn names(state: &Value, collection: &str) -> Vec<String> {
    let mut names: Vec<String> = state[collection]
        .as_object()
        .unwrap_or_else(|| panic!("no `{collection}` in the state"))
        .values()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}
