//! Prints configuration and plan diagnostics: compiler-style lines on stderr, or GitHub
//! workflow commands on stdout.

use crate::cli::DiagnosticFormat;
use crate::config::{Diagnostic, Severity};
use crate::output::{Printer, Style};

/// Prints diagnostics in the chosen format; returns whether any is (or counts as) an error.
pub(super) fn print_diagnostics(
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

/// Prints diagnostics as text on stderr, then an error line: `error: {what}: {n} error(s)…`.
pub(super) fn print_errors(
    diagnostics: &[Diagnostic],
    summary: &str,
    printer: &Printer,
) -> anyhow::Result<()> {
    print_diagnostics(diagnostics, DiagnosticFormat::Text, false, printer)?;
    printer.err(&format!(
        "{}: {summary}",
        printer.paint_err(Style::Red, "error")
    ));
    Ok(())
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
