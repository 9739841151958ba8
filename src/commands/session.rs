//! A connection to a workspace for one run: the client for Intercom or for an in-process
//! sandbox, the token checked with `GET /me`, the workspace guard, and reading the live state.

use anyhow::{Context, bail};

use super::ExitStatus;
use super::load::{NOTHING_DONE, load_config};
use crate::config::Desired;
use crate::intercom::{self, Client, ClientOptions, Target, Token, Unavailable};
use crate::kinds::{self, Fetched, Scope};
use crate::model::{Kind, Live, Me};
use crate::output::Printer;
use crate::render::PlanTarget;
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::settings::{Destination, Settings};

/// A connection to a workspace for one run.
pub(super) struct Session {
    /// The client (for the sandbox too).
    pub(super) client: Client,
    sandbox: Option<Sandbox>,
    me: Me,
    endpoint_host: String,
}

impl Session {
    /// Starts the sandbox if asked, builds the client, checks the token with `GET /me` and the
    /// workspace guard.
    pub(super) async fn open(
        settings: &Settings,
        desired: Option<&Desired>,
        expected_app_id: Option<&str>,
    ) -> anyhow::Result<Session> {
        let config_region = desired.and_then(|d| d.workspace.region.as_ref().map(|r| r.value));
        let (target, token, sandbox) = match settings.destination(config_region)? {
            Destination::Sandbox { state_file } => {
                // An environment's own sandbox stands for its workspace: seeded with the app
                // id its guard expects.
                let app_id = settings
                    .env
                    .as_ref()
                    .and(desired.and_then(|d| d.workspace.app_id.as_ref()))
                    .map(|a| a.value.clone());
                let opts = SandboxOptions {
                    state_file: Some(state_file.clone()),
                    app_id,
                    ..SandboxOptions::default()
                };
                let sb = Sandbox::start(opts).await.with_context(|| {
                    format!(
                        "cannot start the embedded sandbox with state file {}",
                        state_file.display()
                    )
                })?;
                let url = sb.url().parse().context("the sandbox URL is not a URL")?;
                (Target::Endpoint(url), Token::new("sandbox"), Some(sb))
            }
            Destination::Remote { target, token } => (target, token, None),
        };
        let options = ClientOptions {
            timeout: settings.timeout,
            ..ClientOptions::default()
        };
        let client = Client::with_options(&target, token, options)?;
        let endpoint_host = client.base_url().host_str().unwrap_or_default().to_string();
        let session_result = async {
            let me = client
                .me()
                .await
                .context("cannot read the workspace (GET /me)")?;
            let expected = expected_app_id.or_else(|| {
                desired.and_then(|d| d.workspace.app_id.as_ref().map(|a| a.value.as_str()))
            });
            intercom::check_workspace(&me, expected)?;
            anyhow::Ok(me)
        }
        .await;
        match session_result {
            Ok(me) => Ok(Session {
                client,
                sandbox,
                me,
                endpoint_host,
            }),
            Err(e) => {
                if let Some(sb) = sandbox {
                    let _ = sb.shutdown().await;
                }
                Err(e)
            }
        }
    }

    /// Stops the sandbox (persisting its state).
    pub(super) async fn close(self) -> anyhow::Result<()> {
        if let Some(sb) = self.sandbox {
            sb.shutdown()
                .await
                .context("cannot save the sandbox state")?;
        }
        Ok(())
    }

    /// The workspace, as `GET /me` described it.
    pub(super) fn me(&self) -> &Me {
        &self.me
    }

    /// The workspace and host, as a plan document records them.
    pub(super) fn target(&self) -> PlanTarget {
        PlanTarget {
            app_id: self.me.app.id_code.clone(),
            app_name: self.me.app.name.clone(),
            region: self.me.app.region.clone(),
            endpoint_host: self.endpoint_host.clone(),
        }
    }

    /// Reads the kinds in scope; a kind the token cannot read is an error naming it.
    pub(super) async fn fetch(&self, scope: &Scope) -> anyhow::Result<Live> {
        let fetched = self.fetch_readable(scope).await?;
        refuse_unavailable(&fetched.unavailable, |kind| {
            format!("leave {kind} out with --only")
        })?;
        Ok(fetched.live)
    }

    /// Reads the kinds in scope that the token may read; the others are listed in
    /// `unavailable` for the caller to decide.
    pub(super) async fn fetch_readable(&self, scope: &Scope) -> anyhow::Result<Fetched> {
        let mut fetched = kinds::fetch_live_partial(&self.client, scope)
            .await
            .context("cannot read the workspace")?;
        fetched.live.me = self.me.clone();
        Ok(fetched)
    }
}

/// The error for kinds the token may not read (none: `Ok`); `instead` says what else the
/// user can do (after "grant the token the missing permission, or").
pub(super) fn refuse_unavailable(
    unavailable: &[Unavailable],
    instead: impl FnOnce(Kind) -> String,
) -> anyhow::Result<()> {
    if let Some(first) = unavailable.first() {
        let all: Vec<String> = unavailable.iter().map(|u| u.to_string()).collect();
        bail!(
            "{}\n  help: grant the token the missing permission, or {}",
            all.join("\n"),
            instead(first.kind)
        );
    }
    Ok(())
}

/// What a command's body gives when the configuration is invalid: exit 1 (and no output).
pub(super) trait Invalid {
    /// The result of a run whose configuration did not load.
    fn invalid() -> Self;
}

impl Invalid for ExitStatus {
    fn invalid() -> Self {
        ExitStatus::Failure
    }
}

impl<T> Invalid for Option<T> {
    fn invalid() -> Self {
        None
    }
}

impl Invalid for (ExitStatus, String) {
    fn invalid() -> Self {
        (ExitStatus::Failure, String::new())
    }
}

/// Loads the configuration (printing its diagnostics) and runs `body` with it and a session on
/// its workspace, always closing the session; exit 1 when the configuration has errors.
pub(super) async fn with_configured_session<T: Invalid>(
    settings: &Settings,
    printer: &Printer,
    body: impl AsyncFnOnce(&Desired, &Session) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let Some(desired) = load_config(settings, NOTHING_DONE, printer)? else {
        return Ok(T::invalid());
    };
    let session = Session::open(settings, Some(&desired), None).await?;
    with_session(session, async |session| body(&desired, session).await).await
}

/// Runs `body` with an open session and always closes it.
pub(super) async fn with_session<T>(
    session: Session,
    body: impl AsyncFnOnce(&Session) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let result = body(&session).await;
    let closed = session.close().await;
    let value = result?;
    closed?;
    Ok(value)
}
