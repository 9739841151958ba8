//! The `Printer`: stdout for data, stderr for people, colour decided per stream.

use std::io::{self, IsTerminal, Write};

use crate::cli::ColorChoice;

/// Where output goes and how it looks.
#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    color_out: bool,
    color_err: bool,
}

/// A style for a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Errors, deletions.
    Red,
    /// Warnings, updates.
    Yellow,
    /// Creations.
    Green,
    /// Help and notes.
    Cyan,
    /// Emphasis.
    Bold,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Red => "\x1b[1;31m",
            Style::Yellow => "\x1b[1;33m",
            Style::Green => "\x1b[32m",
            Style::Cyan => "\x1b[36m",
            Style::Bold => "\x1b[1m",
        }
    }
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

impl Printer {
    /// A printer for this process's streams.
    pub fn new(choice: ColorChoice, quiet: bool) -> Self {
        let no_color = std::env::var("NO_COLOR").ok();
        let term = std::env::var("TERM").ok();
        Printer {
            quiet,
            color_out: use_color(
                choice,
                io::stdout().is_terminal(),
                no_color.as_deref(),
                term.as_deref(),
            ),
            color_err: use_color(
                choice,
                io::stderr().is_terminal(),
                no_color.as_deref(),
                term.as_deref(),
            ),
        }
    }

    /// Whether `-q` was given.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Whether stdout is coloured (renderers take this as a flag).
    pub fn color_stdout(&self) -> bool {
        self.color_out
    }

    /// Styles text for stderr.
    pub fn paint_err(&self, style: Style, text: &str) -> String {
        paint(self.color_err, style, text)
    }

    /// Writes data to stdout. A closed pipe is not an error worth reporting.
    pub fn out(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    }

    /// Writes a message for people to stderr unless quiet.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Writes to stderr even when quiet (errors, diagnostics).
    pub fn err(&self, text: &str) {
        eprintln!("{text}");
    }
}

/// Wraps text in an ANSI style when `on`.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{}{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
