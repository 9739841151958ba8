//! A temporary project for the end-to-end CLI tests: the binary runs in its directory against
//! the in-process sandbox (`--sandbox=state.json`, whose state persists between invocations)
//! or against a `sandbox serve` child process (`--endpoint`, for injected faults and call
//! counting through `GET /_sandbox/stats`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::cli::{Cli, Run};
use super::sandbox::{Served, TOKEN};

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

    /// A served sandbox (default seed, with any extra `sandbox serve` flags) and a project
    /// talking to it with [`TOKEN`].
    pub fn with_served(extra: &[&str]) -> (Served, Project) {
        let server = Served::start(extra);
        let project = Project::served(&server);
        (server, project)
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

    /// Replaces `from`, which must be there, with `to` in a file of the project.
    #[track_caller]
    pub fn edit(&self, name: &str, from: &str, to: &str) -> &Project {
        let text = self.read(name);
        assert!(text.contains(from), "{name} lacks {from:?}:\n{text}");
        self.write(name, &text.replace(from, to))
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
        let cli = self.cli(args);
        match &self.target {
            Target::InProcess => cli.arg("--sandbox=state.json"),
            Target::Served { url, token } => cli
                .args(["--endpoint", url])
                .env("INTERCOM_ACCESS_TOKEN", token),
        }
        .run()
    }

    /// Runs the binary in the project directory without target flags (`show`, usage errors).
    pub fn run_bare(&self, args: &[&str]) -> Run {
        self.cli(args).run()
    }

    /// `export --out OUT`, which must succeed.
    #[track_caller]
    pub fn export(&self, out: &str) -> Run {
        let run = self.run(&["export", "--out", out]);
        run.code(0);
        run
    }

    /// `plan -c CONFIG --detailed-exitcode` (exit 0: no changes, 2: changes).
    pub fn plan(&self, config: &str) -> Run {
        self.run(&["plan", "-c", config, "--detailed-exitcode"])
    }

    /// `apply -c CONFIG --auto-approve`, which must succeed.
    #[track_caller]
    pub fn apply(&self, config: &str) -> Run {
        let run = self.run(&["apply", "-c", config, "--auto-approve"]);
        run.code(0);
        run
    }

    /// `validate -c CONFIG`, without target flags (it reads no workspace).
    pub fn validate(&self, config: &str) -> Run {
        self.run_bare(&["validate", "-c", config])
    }

    /// Removes a file or a folder (with its contents) of the project.
    pub fn remove(&self, name: &str) -> &Project {
        let path = self.path(name);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
        self
    }

    fn cli(&self, args: &[&str]) -> Cli {
        Cli::new(self.dir()).args(args).colour_flag().strict_utf8()
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

/// Writes `text` to `name` below `dir`, creating the folders it needs (for tests that build a
/// configuration directory by hand instead of through [`Project`]).
pub fn write_file(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A YAML alias bomb ("billion laughs"): nine anchors, each a list of nine aliases of the one
/// before, the first of nine strings (9^9 strings once expanded).
pub fn alias_bomb() -> String {
    let mut bomb = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        bomb.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    bomb
}
