//! The embedded Intercom emulator ("sandbox"): an axum server that speaks the subset of
//! Intercom's REST API that intercom-iac uses, with Intercom's paths, JSON shapes, status
//! codes, error bodies, list wrappers, versioning and rate-limit headers (API 2.16, plus
//! `PUT /teams/{id}` under `Intercom-Version: Preview`).
//!
//! It is the tool's default target and the test double of the client. It never shares types
//! with the client (`crate::intercom`): it is checked against Intercom's OpenAPI description
//! instead (`scripts/conformance.sh`).
//!
//! State lives in memory, optionally loaded from and saved to a JSON state file (see
//! [`SandboxOptions::state_file`]). It starts from a [`Seed`] (see `seed.rs` for what each
//! holds). The default seed's app is `Sandbox Co` (`id_code` `sbx4c0de`, region US) and the
//! token acts for `alice@example.com`. The clock is fixed (2026-01-01T00:00:00Z, advanced one
//! second per write) and ids are sequential, so runs are reproducible; only the admin activity
//! log (`activity_log.rs`) is stamped with the real time.
//!
//! What a real workspace refuses can be switched on (`permissions.rs`): scopes the token lacks,
//! features the plan lacks, and conflicting team-membership writes.
//!
//! Test hooks outside Intercom's namespace, without auth: `GET /_sandbox/stats` (counters and
//! the timeline of calls), `POST /_sandbox/reset` (back to the seed, stats cleared) and
//! `POST /_sandbox/activity_logs` (adds an activity-log entry; `activity_log.rs`).

mod activity_log;
mod admins;
mod attributes;
mod audiences;
mod brands;
mod conn;
mod contacts;
mod content_snippets;
mod data_export;
mod help_center;
mod internal_articles;
mod limits;
mod office_hours;
mod paging;
mod permissions;
mod references;
mod routes;
mod security;
mod seed;
mod stats;
mod store;
mod tags;
mod ticket_types;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use self::limits::{FaultPlan, RateLimiter};
use self::permissions::Conflicts;
pub use self::permissions::{Restriction, TokenScope};
use self::stats::Stats;
use self::store::{State, StateFile};

/// Which workspace a sandbox starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seed {
    /// A small, realistic workspace (six admins, three teams, a few of everything).
    #[default]
    Default,
    /// The default plus thousands of objects, for paging and performance work.
    Large,
    /// Only the app, its owner `alice@example.com` and the built-in attributes.
    Empty,
}

impl FromStr for Seed {
    type Err = SandboxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "default" => Ok(Seed::Default),
            "large" => Ok(Seed::Large),
            "empty" => Ok(Seed::Empty),
            other => Err(SandboxError::UnknownSeed(other.to_string())),
        }
    }
}

impl std::fmt::Display for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Seed::Default => "default",
            Seed::Large => "large",
            Seed::Empty => "empty",
        })
    }
}

/// How a sandbox behaves.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Load from and persist to this JSON file. An exclusive lock on `<file>.lock` keeps a
    /// second sandbox off it; writes are atomic and follow every successful write request.
    pub state_file: Option<PathBuf>,
    /// `None`: any non-empty bearer token is accepted; `Some`: only this one.
    pub token: Option<String>,
    /// Added to every response.
    pub latency: Duration,
    /// Fraction (0.0..=1.0) of API requests that get an injected 5xx, a connection reset or a
    /// response slower than a client's timeout.
    pub fault_rate: f64,
    /// Makes the injected faults reproducible.
    pub fault_seed: u64,
    /// Requests per window; `None` never refuses but still reports Intercom's 1666.
    pub rate_limit: Option<u32>,
    /// The rate-limit window (Intercom: 10 s).
    pub rate_window: Duration,
    /// The workspace to start from (when no state file exists yet) and to reset to.
    pub seed: Seed,
    /// The app `id_code` of the seeded workspace instead of the seed's (`--app-id`), so that
    /// two sandboxes stand for two workspaces.
    pub app_id: Option<String>,
    /// The seeded workspace has identity verification on (`--identity-verification`; the
    /// seeds have it off, as a new workspace does).
    pub identity_verification: bool,
    /// Endpoint families the token may not use: 401 `token_unauthorized` (`--deny-scope`).
    pub deny_scopes: BTreeSet<TokenScope>,
    /// Features the workspace's plan lacks: 403 `api_plan_restricted` (`--restrict`).
    pub restrict: BTreeSet<Restriction>,
    /// How many team-membership writes that would succeed get a 409 `conflict` first
    /// (`--team-conflicts`; again after a reset).
    pub team_conflicts: u32,
    /// Refuse a list data attribute created as `data_type: "options"` with 400
    /// `parameter_invalid` "Data Type isn't an option", accepting only the older `"string"` +
    /// options form (`--refuse-options-form`).
    pub refuse_options_form: bool,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            state_file: None,
            token: None,
            latency: Duration::ZERO,
            fault_rate: 0.0,
            fault_seed: 0,
            rate_limit: None,
            rate_window: Duration::from_secs(10),
            seed: Seed::Default,
            app_id: None,
            identity_verification: false,
            deny_scopes: BTreeSet::new(),
            restrict: BTreeSet::new(),
            team_conflicts: 0,
            refuse_options_form: false,
        }
    }
}

/// Why a sandbox could not start, run or stop cleanly.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// `--seed` named no known seed.
    #[error("unknown seed `{0}`\n  help: use one of: default, large, empty")]
    UnknownSeed(String),
    /// `--deny-scope` named no known scope.
    #[error("unknown scope `{0}`\n  help: use one of: {names}", names = TokenScope::names())]
    UnknownScope(String),
    /// `--restrict` named no known feature.
    #[error("unknown restriction `{0}`\n  help: use: team-membership")]
    UnknownRestriction(String),
    /// The listen address could not be bound or read.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Another sandbox holds the state file's lock.
    #[error(
        "{path}: the state file is in use by another sandbox\n  help: stop the other sandbox or use a different --state file"
    )]
    StateLocked {
        /// The lock file.
        path: PathBuf,
    },
    /// The lock file could not be created or locked.
    #[error("{path}: cannot lock the state file")]
    LockFile {
        /// The lock file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The state file exists but could not be read.
    #[error("{path}: cannot read the sandbox state")]
    ReadState {
        /// The state file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The state file is not a sandbox state.
    #[error(
        "{path}: the sandbox state file is not valid\n  help: delete it to start again from the seed"
    )]
    ParseState {
        /// The state file.
        path: PathBuf,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// The state could not be written.
    #[error("{path}: cannot write the sandbox state")]
    WriteState {
        /// The state file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The server stopped with an error, or its task failed.
    #[error("the sandbox server failed")]
    Serve(#[source] std::io::Error),
    /// Writing the `listening on` line or installing the signal handlers failed.
    #[error("cannot set up `sandbox serve`")]
    Setup(#[source] std::io::Error),
}

/// Everything the request handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub opts: SandboxOptions,
    pub state: Mutex<State>,
    pub stats: Mutex<Stats>,
    pub limiter: RateLimiter,
    pub faults: FaultPlan,
    pub conflicts: Conflicts,
    pub file: Option<StateFile>,
    /// Flips to `true` on shutdown, so slow responses and latency stop waiting.
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    /// Runs `f` with the workspace state locked.
    pub fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }

    /// Runs `f` with the stats locked.
    pub fn with_stats<T>(&self, f: impl FnOnce(&mut Stats) -> T) -> T {
        let mut stats = self.stats.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut stats)
    }

    /// Saves the state to the state file, if there is one.
    pub fn persist(&self) -> Result<(), SandboxError> {
        match &self.file {
            Some(file) => {
                let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                file.save(&state)
            }
            None => Ok(()),
        }
    }

    /// Waits for `d`, or less if the sandbox shuts down first.
    pub async fn sleep(&self, d: Duration) {
        if d.is_zero() {
            return;
        }
        let mut rx = self.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep(d) => {}
            _ = rx.wait_for(|stopping| *stopping) => {}
        }
    }
}

/// A running sandbox server.
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` and a free port.
    pub async fn start(opts: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|source| SandboxError::Bind {
                addr: "127.0.0.1:0".to_string(),
                source,
            })?;
        Sandbox::start_on(listener, opts).await
    }

    /// Starts a sandbox on an already bound listener.
    pub async fn start_on(
        listener: TcpListener,
        opts: SandboxOptions,
    ) -> Result<Sandbox, SandboxError> {
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: "listener".to_string(),
            source,
        })?;
        let (file, state) = match &opts.state_file {
            Some(path) => {
                let file = StateFile::lock(path)?;
                let state = match file.load()? {
                    Some(state) => state,
                    None => {
                        let state = seed::fresh(&opts);
                        file.save(&state)?;
                        state
                    }
                };
                (Some(file), state)
            }
            None => (None, seed::fresh(&opts)),
        };
        let (stop, shutdown) = watch::channel(false);
        let shared = Arc::new(Shared {
            limiter: RateLimiter::new(opts.rate_limit, opts.rate_window),
            faults: FaultPlan::new(opts.fault_rate, opts.fault_seed),
            conflicts: Conflicts::new(opts.team_conflicts),
            opts,
            state: Mutex::new(state),
            stats: Mutex::new(Stats::default()),
            file,
            shutdown,
        });
        let app = routes::router(shared.clone())
            .into_make_service_with_connect_info::<conn::Connection>();
        let mut stopping = shared.shutdown.clone();
        let task = tokio::spawn(async move {
            axum::serve(conn::CuttableListener(listener), app)
                .with_graceful_shutdown(async move {
                    let _ = stopping.wait_for(|s| *s).await;
                })
                .await
        });
        tracing::debug!(%addr, "sandbox listening");
        Ok(Sandbox {
            addr,
            shared,
            stop,
            task,
        })
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to point a client at (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests, lets running ones finish, saves the state and releases the
    /// state file's lock.
    pub async fn shutdown(self) -> Result<(), SandboxError> {
        let _ = self.stop.send(true);
        let served = self
            .task
            .await
            .map_err(|e| SandboxError::Serve(std::io::Error::other(e)))?;
        served.map_err(SandboxError::Serve)?;
        self.shared.persist()
    }
}

/// Runs `intercom-iac sandbox serve`: binds `addr`, prints `listening on http://HOST:PORT` as
/// the first line on stdout, serves until SIGINT or SIGTERM, then saves the state and returns.
pub async fn serve(addr: SocketAddr, opts: SandboxOptions) -> Result<(), SandboxError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let sandbox = Sandbox::start_on(listener, opts).await?;
    let mut stdout = tokio::io::stdout();
    stdout
        .write_all(format!("listening on {}\n", sandbox.url()).as_bytes())
        .await
        .map_err(SandboxError::Setup)?;
    stdout.flush().await.map_err(SandboxError::Setup)?;
    wait_for_signal().await?;
    sandbox.shutdown().await
}

#[cfg(unix)]
async fn wait_for_signal() -> Result<(), SandboxError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).map_err(SandboxError::Setup)?;
    let mut int = signal(SignalKind::interrupt()).map_err(SandboxError::Setup)?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> Result<(), SandboxError> {
    tokio::signal::ctrl_c().await.map_err(SandboxError::Setup)
}
