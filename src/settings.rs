//! Merges the flags, the environment and the defaults into the checked `Settings` of a run,
//! once: after `Settings::resolve` nothing re-reads env vars or global flags.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::intercom::{Target, Token};
use crate::model::Region;
use crate::output::Colors;

/// The environment variable that holds the access token.
pub const TOKEN_VAR: &str = "INTERCOM_ACCESS_TOKEN";

/// What the process was started with, read in one place: the environment variables the tool
/// heeds and which output streams are terminals.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `INTERCOM_ACCESS_TOKEN`.
    pub token: Option<Token>,
    /// `INTERCOM_ACCESS_TOKEN_<ENV>` for each environment that has one, by variable name.
    pub env_tokens: std::collections::BTreeMap<String, Token>,
    /// `NO_COLOR`.
    pub no_color: Option<String>,
    /// `TERM`.
    pub term: Option<String>,
    /// `RUST_LOG`.
    pub rust_log: Option<String>,
    /// Whether stdout is a terminal.
    pub stdout_is_terminal: bool,
    /// Whether stderr is a terminal.
    pub stderr_is_terminal: bool,
}

impl Environment {
    /// Reads this process's environment and streams.
    pub fn of_process() -> Self {
        let var = |name: &str| std::env::var(name).ok();
        Environment {
            token: var(TOKEN_VAR).map(Token::new),
            env_tokens: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .filter(|(k, _)| k.starts_with(TOKEN_VAR) && k != TOKEN_VAR)
                .map(|(k, v)| (k, Token::new(v)))
                .collect(),
            no_color: var("NO_COLOR"),
            term: var("TERM"),
            rust_log: var("RUST_LOG"),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
        }
    }
}

/// Where requests go, as the flags chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `--sandbox`: the embedded sandbox, in process, with its state in this file.
    Sandbox {
        /// The state file.
        state_file: PathBuf,
    },
    /// `--endpoint URL`.
    Endpoint(Url),
    /// An `--endpoint` that is not a URL: an error only for a command that connects.
    BadEndpoint(String),
    /// `--region`, or (`None`) the configuration's `workspace.region`, else us.
    Region(Option<Region>),
}

/// The checked settings of one run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration file or directory.
    pub config: PathBuf,
    /// `-v` count.
    pub verbose: u8,
    /// `RUST_LOG`, which overrides `-v`.
    pub rust_log: Option<String>,
    /// Hide progress and notes.
    pub quiet: bool,
    /// Which output streams get colour.
    pub color: Colors,
    /// Where requests go.
    pub route: Route,
    /// The access token, when set and not blank: the environment's
    /// (`INTERCOM_ACCESS_TOKEN_<ENV>`) with `--env`, else `INTERCOM_ACCESS_TOKEN`.
    pub token: Option<Token>,
    /// `--env NAME`: the environment of a configuration that declares several.
    pub env: Option<String>,
    /// `INTERCOM_ACCESS_TOKEN`, for environments without a token of their own.
    default_token: Option<Token>,
    /// Where requests go without an environment of its own.
    base_route: Route,
    /// `--endpoint ENV=URL`, by environment.
    env_endpoints: std::collections::BTreeMap<String, Route>,
    /// The environments' own tokens, by variable name.
    env_tokens: std::collections::BTreeMap<String, Token>,
    /// Longest wait for one API answer.
    pub timeout: Duration,
}

impl Settings {
    /// Checks the global flags against the environment.
    pub fn resolve(global: &GlobalArgs, env: Environment) -> Settings {
        // `--endpoint URL` for every environment, `--endpoint ENV=URL` for one.
        let mut env_endpoints = std::collections::BTreeMap::new();
        let mut endpoint = None;
        for value in &global.endpoint {
            match value.split_once('=') {
                Some((env, url)) if is_env_name(env) => {
                    env_endpoints.insert(env.to_string(), endpoint_route(url));
                }
                _ => endpoint = Some(endpoint_route(value)),
            }
        }
        let route = match (&global.sandbox, endpoint) {
            (Some(state_file), _) => Route::Sandbox {
                state_file: state_file.clone(),
            },
            (None, Some(route)) => route,
            (None, None) => Route::Region(global.region),
        };
        let color = |is_terminal| {
            use_color(
                global.color,
                is_terminal,
                env.no_color.as_deref(),
                env.term.as_deref(),
            )
        };
        Settings {
            config: global.config.clone(),
            verbose: global.verbose,
            quiet: global.quiet,
            color: Colors {
                stdout: color(env.stdout_is_terminal),
                stderr: color(env.stderr_is_terminal),
            },
            route: route.clone(),
            token: None,
            env: None,
            base_route: route,
            env_endpoints,
            default_token: env.token.filter(|t| !t.is_blank()),
            env_tokens: env.env_tokens,
            rust_log: env.rust_log,
            timeout: Duration::from_secs(global.timeout),
        }
        .for_env(global.env.as_deref())
    }

    /// These settings for environment `env` (or for none): its token is
    /// `INTERCOM_ACCESS_TOKEN_<ENV>` when set and not blank, else `INTERCOM_ACCESS_TOKEN`.
    pub fn for_env(&self, env: Option<&str>) -> Settings {
        let own = env
            .and_then(|e| {
                self.env_tokens
                    .get(&crate::config::environments::token_var(e))
            })
            .filter(|t| !t.is_blank());
        let route = match (&self.base_route, env) {
            (_, Some(env)) if self.env_endpoints.contains_key(env) => {
                self.env_endpoints[env].clone()
            }
            // Each environment has a sandbox of its own: `state.json` → `state.staging.json`.
            (Route::Sandbox { state_file }, Some(env)) => Route::Sandbox {
                state_file: per_environment(state_file, env),
            },
            (route, _) => route.clone(),
        };
        Settings {
            env: env.map(str::to_string),
            token: own.or(self.default_token.as_ref()).cloned(),
            route,
            ..self.clone()
        }
    }

    /// The log directives that `-v` asks for (when `RUST_LOG` is unset or invalid).
    pub fn log_directives(&self) -> &'static str {
        match self.verbose {
            0 => "warn",
            1 => "warn,intercom_iac=debug",
            _ => "trace",
        }
    }

    /// Chooses where to send requests: `--sandbox`, `--endpoint`, `--region`, the
    /// configuration's `workspace.region`, then the US host.
    pub fn destination(&self, config_region: Option<Region>) -> Result<Destination, SettingsError> {
        let target = match &self.route {
            Route::Sandbox { state_file } => {
                return Ok(Destination::Sandbox {
                    state_file: state_file.clone(),
                });
            }
            Route::Endpoint(url) => Ok(Target::Endpoint(url.clone())),
            Route::BadEndpoint(url) => Err(SettingsError::BadEndpoint(url.clone())),
            Route::Region(region) => Ok(Target::Region(
                region.or(config_region).unwrap_or(Region::Us),
            )),
        };
        let token = self.token.clone().ok_or(SettingsError::MissingToken)?;
        let target = target?;
        Ok(Destination::Remote { target, token })
    }
}

fn endpoint_route(url: &str) -> Route {
    match url.parse() {
        Ok(url) => Route::Endpoint(url),
        Err(_) => Route::BadEndpoint(url.to_string()),
    }
}

/// An environment's name: what `environments:` accepts as a key.
fn is_env_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The sandbox state file of one environment: `NAME.ENV.EXT` beside `NAME.EXT`.
fn per_environment(state_file: &std::path::Path, env: &str) -> PathBuf {
    let stem = state_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match state_file.extension() {
        Some(ext) => format!("{stem}.{env}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{env}"),
    };
    state_file.with_file_name(name)
}

/// Whether a stream gets colour: an explicit choice wins; `auto` means a terminal without
/// `NO_COLOR` (non-empty) or `TERM=dumb`.
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&str>,
    term: Option<&str>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && no_color.is_none_or(str::is_empty) && term != Some("dumb")
        }
    }
}

/// Where a run sends its requests.
#[derive(Debug, Clone)]
pub enum Destination {
    /// The embedded sandbox, in process, with its state in this file.
    Sandbox {
        /// The state file.
        state_file: PathBuf,
    },
    /// Intercom (or an explicit endpoint).
    Remote {
        /// Host and checks.
        target: Target,
        /// The access token.
        token: Token,
    },
}

/// Why no destination could be chosen.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// No token in the environment.
    #[error(
        "{TOKEN_VAR} is not set\n  help: export the workspace's access token (Intercom Developer Hub → your app → Authentication), or try the tool on the embedded sandbox with --sandbox"
    )]
    MissingToken,
    /// A bad `--endpoint`.
    #[error("`{0}` is not a URL\n  help: give a base URL such as https://api.intercom.io")]
    BadEndpoint(String),
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn settings(args: &[&str], env: Environment) -> Settings {
        let cli = Cli::try_parse_from([&["intercom-iac"], args, &["validate"]].concat()).unwrap();
        Settings::resolve(&cli.global, env)
    }

    fn with_token(token: &str) -> Environment {
        Environment {
            token: Some(Token::new(token)),
            ..Environment::default()
        }
    }

    fn target(s: &Settings, config_region: Option<Region>) -> Target {
        match s.destination(config_region).unwrap() {
            Destination::Remote { target, .. } => target,
            Destination::Sandbox { .. } => panic!("not remote"),
        }
    }

    #[test]
    fn color_rules() {
        assert!(use_color(ColorChoice::Auto, true, None, Some("xterm")));
        assert!(!use_color(ColorChoice::Auto, false, None, None));
        assert!(!use_color(ColorChoice::Auto, true, Some("1"), None));
        assert!(use_color(ColorChoice::Auto, true, Some(""), None));
        assert!(!use_color(ColorChoice::Auto, true, None, Some("dumb")));
        assert!(use_color(ColorChoice::Always, false, Some("1"), None));
        assert!(!use_color(ColorChoice::Never, true, None, None));
    }

    #[test]
    fn the_flag_region_wins_over_the_configuration_then_us() {
        let s = settings(&["--region", "au"], with_token("t"));
        assert_eq!(target(&s, Some(Region::Eu)), Target::Region(Region::Au));
        let s = settings(&[], with_token("t"));
        assert_eq!(target(&s, Some(Region::Eu)), Target::Region(Region::Eu));
        assert_eq!(target(&s, None), Target::Region(Region::Us));
    }

    #[test]
    fn a_blank_token_is_missing_but_the_sandbox_needs_none() {
        let s = settings(&[], with_token("  "));
        assert!(matches!(
            s.destination(None),
            Err(SettingsError::MissingToken)
        ));
        let s = settings(&["--sandbox=state.json"], Environment::default());
        assert!(matches!(
            s.destination(None),
            Ok(Destination::Sandbox { .. })
        ));
    }

    #[test]
    fn an_environment_uses_its_own_token_else_the_default() {
        let mut env = with_token("default");
        env.env_tokens
            .insert("INTERCOM_ACCESS_TOKEN_EU_PROD".into(), Token::new("eu"));
        env.env_tokens
            .insert("INTERCOM_ACCESS_TOKEN_STAGING".into(), Token::new(" "));
        let s = settings(&["--env", "eu-prod"], env);
        let token = |s: &Settings| match s.destination(None).unwrap() {
            Destination::Remote { token, .. } => token,
            Destination::Sandbox { .. } => panic!("not remote"),
        };
        assert_eq!(token(&s), Token::new("eu"));
        assert_eq!(s.env.as_deref(), Some("eu-prod"));
        // A blank environment token falls back to the default one.
        assert_eq!(token(&s.for_env(Some("staging"))), Token::new("default"));
        assert_eq!(token(&s.for_env(None)), Token::new("default"));
    }

    #[test]
    fn an_environment_may_have_its_own_endpoint_or_sandbox() {
        let s = settings(
            &[
                "--endpoint",
                "http://127.0.0.1:1/",
                "--endpoint",
                "staging=http://127.0.0.1:2/",
            ],
            with_token("t"),
        );
        let url = |s: &Settings| match s.for_env(Some("staging")).route {
            Route::Endpoint(u) => u.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(url(&s), "http://127.0.0.1:2/");
        assert_eq!(
            s.for_env(Some("production")).route,
            Route::Endpoint("http://127.0.0.1:1/".parse().unwrap())
        );
        let s = settings(&["--sandbox=dir/state.json"], Environment::default());
        assert_eq!(
            s.for_env(Some("staging")).route,
            Route::Sandbox {
                state_file: "dir/state.staging.json".into()
            }
        );
        assert_eq!(s.for_env(None).route, s.route);
    }

    #[test]
    fn a_bad_endpoint_is_reported_after_the_token_only_when_connecting() {
        let s = settings(&["--endpoint", "not a url"], Environment::default());
        assert_eq!(s.route, Route::BadEndpoint("not a url".into()));
        assert!(matches!(
            s.destination(None),
            Err(SettingsError::MissingToken)
        ));
        let s = settings(&["--endpoint", "not a url"], with_token("t"));
        assert!(matches!(
            s.destination(None),
            Err(SettingsError::BadEndpoint(_))
        ));
    }
}
