//! Running the binary under test: [`Cli`] builds one command line, [`Run`] is how it ended.
//!
//! By default a command runs with colour off (`NO_COLOR=1`), stdin empty, and neither
//! `RUST_LOG` nor `INTERCOM_ACCESS_TOKEN` leaking in from the caller's environment.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_intercom-iac");

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

    /// Asserts a failed run (exit 1) whose stderr reports exactly one error, and that it is
    /// `error` (a located one is `FILE:LINE:COL: error: message`, or a start of it).
    #[track_caller]
    pub fn one_error(&self, error: &str) -> &Run {
        self.code(1).stderr_has(error);
        assert_eq!(
            self.stderr.matches(": error: ").count(),
            1,
            "not exactly one error\n--- stderr\n{}",
            self.stderr
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

    /// Both streams, for searching.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// The result of a finished process; `strict`: both streams must be UTF-8 (otherwise
    /// invalid bytes are replaced).
    fn from_output(out: Output, strict: bool) -> Run {
        let text = |bytes: Vec<u8>, stream: &str| {
            if strict {
                String::from_utf8(bytes).unwrap_or_else(|e| panic!("{stream} is not UTF-8: {e}"))
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: text(out.stdout, "stdout"),
            stderr: text(out.stderr, "stderr"),
        }
    }
}

/// A command line of the binary: working directory, arguments, environment and stdin.
#[derive(Debug, Clone)]
pub struct Cli {
    dir: PathBuf,
    args: Vec<OsString>,
    env: Vec<(String, String)>,
    /// `None`: stdin is empty (`/dev/null`); `Some`: these bytes through a pipe.
    stdin: Option<Vec<u8>>,
    /// Colour is turned off with a `--color never` argument rather than `NO_COLOR=1`.
    colour_flag: bool,
    /// Both output streams must be UTF-8.
    strict_utf8: bool,
}

impl Cli {
    /// A command run in `dir`.
    pub fn new(dir: &Path) -> Cli {
        Cli {
            dir: dir.to_path_buf(),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            colour_flag: false,
            strict_utf8: false,
        }
    }

    /// A command against a served sandbox: `--endpoint URL` and the token in the environment.
    pub fn against(dir: &Path, url: &str, token: &str) -> Cli {
        Cli::new(dir)
            .args(["--endpoint", url])
            .env("INTERCOM_ACCESS_TOKEN", token)
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cli {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Cli
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Cli {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Feeds `input` to stdin through a pipe (for [`Cli::run`]).
    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Cli {
        self.stdin = Some(input.as_ref().to_vec());
        self
    }

    /// Turns colour off with `--color never` here, unless an argument so far is `--color`,
    /// instead of `NO_COLOR=1` (which is removed from the environment, so `--color always`
    /// works).
    pub fn colour_flag(mut self) -> Cli {
        if !self.args.iter().any(|a| a == "--color") {
            self = self.args(["--color", "never"]);
        }
        self.colour_flag = true;
        self
    }

    /// Requires both output streams to be UTF-8 (a panic otherwise) instead of replacing
    /// invalid bytes.
    pub fn strict_utf8(mut self) -> Cli {
        self.strict_utf8 = true;
        self
    }

    /// The command, stdin `/dev/null` or piped (see [`Cli::stdin`]), stdout and stderr as
    /// [`Command`] leaves them.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(&self.args)
            .current_dir(&self.dir)
            .env_remove("RUST_LOG")
            .env_remove("INTERCOM_ACCESS_TOKEN");
        if self.colour_flag {
            cmd.env_remove("NO_COLOR");
        } else {
            cmd.env("NO_COLOR", "1");
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd
    }

    /// Runs to completion.
    pub fn run(&self) -> Run {
        let mut cmd = self.command();
        let out = match &self.stdin {
            None => cmd.output(),
            Some(input) => {
                let mut child = cmd
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the binary runs");
                let mut pipe = child.stdin.take().expect("piped");
                let input = input.clone();
                let writer = std::thread::spawn(move || {
                    let _ = pipe.write_all(&input);
                });
                let out = child.wait_with_output();
                writer.join().expect("stdin is written");
                out
            }
        };
        Run::from_output(out.expect("the binary runs"), self.strict_utf8)
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
