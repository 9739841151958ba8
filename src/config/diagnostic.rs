//! Located problems in a configuration, printed like a compiler's:
//! `FILE:LINE:COL: error: MESSAGE` and an indented `help:` line.

use std::fmt;

use super::source::Position;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The configuration cannot be used.
    Error,
    /// Worth fixing; `--deny-warnings` makes it an error.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given on the command line or found in the directory.
    pub file: String,
    /// Where in the file, when the problem has a place.
    pub pos: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The JSON pointer of the offending value, for schema errors.
    pub pointer: Option<String>,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(file: &str, pos: Option<Position>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            pos,
            message: message.into(),
            help: None,
            pointer: None,
        }
    }

    /// A warning at a position.
    pub fn warning(file: &str, pos: Option<Position>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `FILE:LINE:COL` (or `FILE` without a position).
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.file, p.line, p.col),
            None => self.file.clone(),
        }
    }

    /// A GitHub Actions workflow command that annotates the line.
    pub fn to_github(&self) -> String {
        let mut props = format!("file={}", escape_property(&self.file));
        if let Some(p) = self.pos {
            props.push_str(&format!(",line={},col={}", p.line, p.col));
        }
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!(
            "::{} {}::{}",
            self.severity.as_str(),
            props,
            escape_data(&message)
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity.as_str(),
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

// GitHub's workflow-command escaping (actions/toolkit `command.ts`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Counts for the one-line summary after a list of diagnostics.
pub fn summary(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diagnostics.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let d = Diagnostic::error("a.yaml", Some(Position { line: 3, col: 7 }), "bad")
            .with_help("fix it");
        assert_eq!(d.to_string(), "a.yaml:3:7: error: bad\n  help: fix it");
        let w = Diagnostic::warning("a.yaml", None, "meh");
        assert_eq!(w.to_string(), "a.yaml: warning: meh");
    }

    #[test]
    fn renders_github_annotations_escaped() {
        let d = Diagnostic::error(
            "dir/a,b.yaml",
            Some(Position { line: 2, col: 1 }),
            "50% off\nnow",
        )
        .with_help("x");
        assert_eq!(
            d.to_github(),
            "::error file=dir/a%2Cb.yaml,line=2,col=1::50%25 off%0Anow%0Ahelp: x"
        );
    }
}
