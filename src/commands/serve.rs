//! `sandbox serve`: serves the embedded Intercom emulator over HTTP until interrupted.

use std::collections::BTreeSet;
use std::str::FromStr;

use anyhow::bail;

use super::ExitStatus;
use crate::cli::ServeArgs;
use crate::sandbox::{self, SandboxOptions};

/// Checks the flags and serves.
pub(super) async fn run(args: &ServeArgs) -> anyhow::Result<ExitStatus> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        bail!(
            "--fault-rate must be between 0 and 1, not {}",
            args.fault_rate
        );
    }
    let opts = SandboxOptions {
        state_file: args.state.clone(),
        token: args.token.clone(),
        latency: std::time::Duration::from_millis(args.latency_ms),
        fault_rate: args.fault_rate,
        fault_seed: args.fault_seed,
        rate_limit: args.rate_limit,
        rate_window: std::time::Duration::from_secs(args.rate_window_secs.max(1)),
        seed: args
            .seed
            .parse()
            .map_err(|e| anyhow::anyhow!("--seed: {e}"))?,
        app_id: args.app_id.clone(),
        identity_verification: args.identity_verification,
        deny_scopes: parse_each(&args.deny_scope, "--deny-scope")?,
        restrict: parse_each(&args.restrict, "--restrict")?,
        team_conflicts: args.team_conflicts,
        refuse_options_form: args.refuse_options_form,
    };
    sandbox::serve(args.addr, opts).await?;
    Ok(ExitStatus::Success)
}

/// Parses every value of a repeatable flag, naming the flag in the error.
fn parse_each<T>(values: &[String], flag: &str) -> anyhow::Result<BTreeSet<T>>
where
    T: FromStr + Ord,
    T::Err: std::fmt::Display,
{
    values
        .iter()
        .map(|v| v.parse().map_err(|e| anyhow::anyhow!("{flag}: {e}")))
        .collect()
}
