//! The `Printer`: stdout for data, stderr for people, colour decided per stream.

use std::io::{self, Write};

/// Where output goes and how it looks.
#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    color: Colors,
}

/// Which output streams get colour (resolved in `settings`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Colors {
    /// Colour on stdout.
    pub stdout: bool,
    /// Colour on stderr.
    pub stderr: bool,
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

impl Printer {
    /// A printer for this process's streams.
    pub fn new(color: Colors, quiet: bool) -> Self {
        Printer { quiet, color }
    }

    /// Whether `-q` was given.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Whether stdout is coloured (renderers take this as a flag).
    pub fn color_stdout(&self) -> bool {
        self.color.stdout
    }

    /// Styles text for stderr.
    pub fn paint_err(&self, style: Style, text: &str) -> String {
        paint(self.color.stderr, style, text)
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
