//! `validate`: checks the configuration (schema and semantic checks) without touching the
//! network, and sums up its diagnostics.

use super::ExitStatus;
use super::diagnostics::print_diagnostics;
use crate::cli::ValidateArgs;
use crate::config;
use crate::output::{Printer, Style};
use crate::settings::Settings;

/// Prints every diagnostic and whether the configuration is valid.
pub(super) fn run(
    settings: &Settings,
    args: &ValidateArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    // Without --env, a configuration with environments is checked in each of them.
    let environments = match settings.env.as_deref() {
        Some(env) if env != config::environments::ALL => vec![Some(env.to_string())],
        _ => {
            let names = config::environment_names(&settings.config);
            if names.is_empty() {
                vec![None]
            } else {
                names.into_iter().map(Some).collect()
            }
        }
    };
    let mut diagnostics: Vec<config::Diagnostic> = Vec::new();
    let mut files = 0;
    for env in &environments {
        let selection = match env {
            Some(env) => config::Selection::env(env),
            None => config::Selection::base(),
        };
        let found = match config::load_with(&settings.config, &selection) {
            Ok(loaded) => {
                files = files.max(loaded.desired.files.len());
                loaded.warnings
            }
            Err(e) => e.diagnostics,
        };
        // A problem of the base shows once, not once per environment.
        for d in found {
            if !diagnostics.contains(&d) {
                diagnostics.push(d);
            }
        }
    }
    let failed = print_diagnostics(&diagnostics, args.format, args.deny_warnings, printer)?;
    let (errors, warnings) = config::summary(&diagnostics);
    let (errors, warnings) = if args.deny_warnings {
        (errors + warnings, 0)
    } else {
        (errors, warnings)
    };
    if failed {
        printer.err(&format!(
            "{}: the configuration is invalid: {errors} error(s), {warnings} warning(s)",
            printer.paint_err(Style::Red, "error")
        ));
        Ok(ExitStatus::Failure)
    } else {
        let each = match environments.len() {
            1 if environments[0].is_none() => String::new(),
            1 => format!(
                " for environment {}",
                environments[0].as_deref().unwrap_or_default()
            ),
            n => format!(" in each of its {n} environments"),
        };
        printer.note(&format!(
            "The configuration is valid{each}: {files} file(s), {warnings} warning(s)."
        ));
        Ok(ExitStatus::Success)
    }
}
