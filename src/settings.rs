//! Turns raw flags, environment and configuration into the checked target of a run: the
//! embedded sandbox or an Intercom host with a token. After this nothing re-reads env vars.

use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::intercom::{Target, Token};
use crate::model::Region;

/// The environment variable that holds the access token.
pub const TOKEN_VAR: &str = "INTERCOM_ACCESS_TOKEN";

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

/// Chooses where to send requests: `--sandbox`, `--endpoint`, `--region`, the configuration's
/// `workspace.region`, then the US host.
pub fn destination(
    global: &GlobalArgs,
    config_region: Option<Region>,
    token: Option<String>,
) -> Result<Destination, SettingsError> {
    if let Some(state_file) = &global.sandbox {
        return Ok(Destination::Sandbox {
            state_file: state_file.clone(),
        });
    }
    let token = token
        .filter(|t| !t.trim().is_empty())
        .ok_or(SettingsError::MissingToken)?;
    let target = match (&global.endpoint, global.region) {
        (Some(url), _) => Target::Endpoint(
            url.parse()
                .map_err(|_| SettingsError::BadEndpoint(url.clone()))?,
        ),
        (None, Some(region)) => Target::Region(region),
        (None, None) => Target::Region(config_region.unwrap_or(Region::Us)),
    };
    Ok(Destination::Remote {
        target,
        token: Token::new(token),
    })
}
