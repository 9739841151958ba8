//! `events validate`: one streaming pass over an event file that checks every line against the
//! contract, reports each problem as `FILE:LINE: event "name": message`, counts valid and
//! invalid events per event name, and hashes the input. `events send` runs the same pass first.

use std::collections::BTreeMap;
use std::io::Read;

use super::check::{Checked, Contract};
use super::lines::{Line, Lines, MAX_LINE_BYTES};
use crate::output::{Printer, Style};

/// Valid and invalid events of one name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines that passed.
    pub valid: u64,
    /// Lines with a problem.
    pub invalid: u64,
}

/// Counts per event name; lines without a declared name count under `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Declared events seen.
    pub declared: BTreeMap<String, Counts>,
    /// Invalid JSON, no name, or a name that is not declared.
    pub other: Counts,
}

impl Tally {
    /// Counts one checked line.
    pub fn add(&mut self, checked: &Checked) {
        let counts = match (&checked.name, checked.declared) {
            (Some(name), true) => self.declared.entry(name.clone()).or_default(),
            _ => &mut self.other,
        };
        if checked.outcome.is_ok() {
            counts.valid += 1;
        } else {
            counts.invalid += 1;
        }
    }

    /// All lines.
    pub fn total(&self) -> Counts {
        self.declared
            .values()
            .chain(std::iter::once(&self.other))
            .fold(Counts::default(), |a, c| Counts {
                valid: a.valid + c.valid,
                invalid: a.invalid + c.invalid,
            })
    }
}

/// What a validation pass found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Counts per event.
    pub tally: Tally,
    /// The blake3 hash of the whole input.
    pub hash: String,
    /// Valid events after the line the pass started counting from.
    pub pending: u64,
}

/// Checks one line; `None` for a blank line.
pub fn check_line(contract: &Contract, line: Line<'_>) -> Option<Checked> {
    match line {
        Line::Text(text) if text.trim().is_empty() => None,
        Line::Text(text) => Some(contract.check(text)),
        Line::TooLong => Some(Checked::invalid(
            None,
            false,
            format!(
                "the line is longer than {} MiB; an event is far smaller, is this newline-delimited JSON?",
                MAX_LINE_BYTES / (1024 * 1024)
            ),
        )),
        Line::NotUtf8 => Some(Checked::invalid(
            None,
            false,
            "the line is not UTF-8 text".to_string(),
        )),
    }
}

/// Formats one problem: `FILE:LINE: event "name": message`.
pub fn format_problem(
    file: &str,
    line: u64,
    name: Option<&str>,
    message: &str,
    printer: &Printer,
) -> String {
    let location = printer.paint_err(Style::Bold, &format!("{file}:{line}:"));
    match name {
        Some(name) => format!("{location} event {name:?}: {message}"),
        None => format!("{location} {message}"),
    }
}

/// Reads every line of `reader`, printing each problem when `report`; returns the counts, the
/// hash, and how many valid events follow line `from_line`.
pub fn scan(
    reader: impl Read,
    file: &str,
    contract: &Contract,
    from_line: u64,
    report: bool,
    printer: &Printer,
) -> std::io::Result<Scan> {
    let mut lines = Lines::new(reader, MAX_LINE_BYTES);
    let mut tally = Tally::default();
    let mut pending = 0;
    while let Some((number, line)) = lines.next_line()? {
        let Some(checked) = check_line(contract, line) else {
            continue;
        };
        tally.add(&checked);
        if number > from_line && checked.outcome.is_ok() {
            pending += 1;
        }
        if report {
            for w in &checked.warnings {
                let w = format!("{}: {w}", printer.paint_err(Style::Yellow, "warning"));
                printer.err(&format_problem(
                    file,
                    number,
                    checked.name.as_deref(),
                    &w,
                    printer,
                ));
            }
        }
        if let Err(problems) = &checked.outcome
            && report
        {
            for p in problems {
                printer.err(&format_problem(
                    file,
                    number,
                    checked.name.as_deref(),
                    p,
                    printer,
                ));
            }
        }
    }
    let hash = lines.finish()?;
    Ok(Scan {
        tally,
        hash,
        pending,
    })
}

/// Prints the per-event counts (a note) and, when lines are invalid, an error line.
pub fn print_summary(file: &str, tally: &Tally, printer: &Printer) {
    let total = tally.total();
    printer.note(&format!(
        "{file}: {} event(s): {} valid, {} invalid",
        total.valid + total.invalid,
        total.valid,
        total.invalid
    ));
    let width = tally
        .declared
        .keys()
        .map(|k| k.chars().count())
        .chain(std::iter::once(OTHER.len()))
        .max()
        .unwrap_or(0);
    let rows = tally
        .declared
        .iter()
        .map(|(k, c)| (k.as_str(), c))
        .chain((tally.other != Counts::default()).then_some((OTHER, &tally.other)));
    for (name, c) in rows {
        printer.note(&format!(
            "  {name:<width$}  {:>7} valid  {:>7} invalid",
            c.valid, c.invalid
        ));
    }
}

const OTHER: &str = "(undeclared or unreadable)";
