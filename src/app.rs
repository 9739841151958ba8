//! Runs a parsed command line: the edge where typed errors become messages and exit codes.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Cli, Command, DiagnosticFormat, SchemaArgs, ValidateArgs};
use crate::config::{self, Diagnostic, Severity};
use crate::output::{Printer, Style};

/// How a run ended (terraform's contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Success; no changes where that is asked.
    Success,
    /// An error of any kind.
    Failure,
    /// Success with changes (`plan --detailed-exitcode`) or drift.
    Changes,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        match s {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Changes => ExitCode::from(2),
        }
    }
}

/// Runs the command.
pub fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Validate(args) => validate(&cli.global.config, &args, printer),
        Command::Schema(args) => schema(&args, printer),
    }
}

/// Prints diagnostics in the chosen format; returns whether any is (or counts as) an error.
pub fn print_diagnostics(
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
    deny_warnings: bool,
    printer: &Printer,
) -> anyhow::Result<bool> {
    let mut failed = false;
    for d in diagnostics {
        let mut d = d.clone();
        if deny_warnings && d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
        failed |= d.severity == Severity::Error;
        match format {
            DiagnosticFormat::Github => printer.out(&format!("{}\n", d.to_github()))?,
            DiagnosticFormat::Text => printer.err(&render_diagnostic(&d, printer)),
        }
    }
    Ok(failed)
}

fn render_diagnostic(d: &Diagnostic, printer: &Printer) -> String {
    let (style, label) = match d.severity {
        Severity::Error => (Style::Red, "error"),
        Severity::Warning => (Style::Yellow, "warning"),
    };
    let mut s = format!(
        "{}: {}: {}",
        printer.paint_err(Style::Bold, &d.location()),
        printer.paint_err(style, label),
        d.message
    );
    if let Some(help) = &d.help {
        s.push_str(&format!(
            "\n  {}: {help}",
            printer.paint_err(Style::Cyan, "help")
        ));
    }
    s
}

fn validate(
    path: &std::path::Path,
    args: &ValidateArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let (diagnostics, files) = match config::load(path) {
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

fn schema(args: &SchemaArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match &args.out {
        None => printer.out(&config::config_schema_text())?,
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for (name, text) in schema_files() {
                let path = dir.join(name);
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                printer.note(&format!("wrote {}", path.display()));
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// Every schema file that `schemas/` holds, by file name.
pub fn schema_files() -> Vec<(&'static str, String)> {
    vec![("intercom-iac.schema.json", config::config_schema_text())]
}
