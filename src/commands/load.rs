//! Loads the configuration for a command: in full, with its diagnostics printed, or quietly,
//! when it only supplies the region and the workspace guard.

use super::diagnostics::{print_diagnostics, print_errors};
use crate::cli::DiagnosticFormat;
use crate::config::{self, Desired};
use crate::output::Printer;
use crate::settings::Settings;

/// What a configuration error means for a command that reads or writes the workspace.
pub(super) const NOTHING_DONE: &str = "nothing was read or written";

/// Loads the configuration, printing its warnings, or its errors and a summary ending in
/// `consequence` (what the errors prevent); `None` when it has errors.
pub(super) fn load_config(
    settings: &Settings,
    consequence: &str,
    printer: &Printer,
) -> anyhow::Result<Option<Desired>> {
    match config::load_with(&settings.config, &selection(settings)) {
        Ok(loaded) => {
            print_diagnostics(&loaded.warnings, DiagnosticFormat::Text, false, printer)?;
            Ok(Some(loaded.desired))
        }
        Err(e) => {
            let (errors, _) = config::summary(&e.diagnostics);
            print_errors(
                &e.diagnostics,
                &format!("the configuration is invalid: {errors} error(s); {consequence}"),
                printer,
            )?;
            Ok(None)
        }
    }
}

/// The configuration when there is a valid one, for its region and workspace guard only.
pub(super) fn load_guard(settings: &Settings) -> Option<Desired> {
    if settings.config.exists() {
        config::load_with(&settings.config, &selection(settings))
            .ok()
            .map(|l| l.desired)
    } else {
        None
    }
}

/// The environment `--env` chose.
pub(super) fn selection(settings: &Settings) -> config::Selection<'_> {
    match &settings.env {
        Some(env) => config::Selection::env(env),
        None => config::Selection::base(),
    }
}
