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
    let (diagnostics, files) = match config::load(&settings.config) {
        Ok(loaded) => (loaded.warnings, loaded.desired.files.len()),
        Err(e) => (e.diagnostics, 0),
    };
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
        printer.note(&format!(
            "The configuration is valid: {files} file(s), {warnings} warning(s)."
        ));
        Ok(ExitStatus::Success)
    }
}
