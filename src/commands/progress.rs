//! Progress on stderr while a command waits: a bar for apply's changes and a spinner for
//! reads, both only on a terminal.

use std::io::IsTerminal;

use crate::cli::ReportFormat;
use crate::output::Printer;

/// A bar over `len` changes, for a text report on a terminal.
pub(super) fn changes_bar(len: u64, format: ReportFormat) -> Option<indicatif::ProgressBar> {
    if format != ReportFormat::Text || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} changes  {elapsed_precise}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// A spinner with a message, on a terminal unless quiet.
pub(super) fn spinner(message: &str, printer: &Printer) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || printer.is_quiet() {
        return None;
    }
    let s = indicatif::ProgressBar::new_spinner();
    s.set_message(message.to_string());
    s.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(s)
}
