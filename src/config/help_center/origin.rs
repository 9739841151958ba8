//! Where a Markdown body was written: the line of its file it starts on, and the variables
//! substituted in it, so that a position in the body as read (variables expanded, perhaps
//! normalised) is reported where it is in the file, however many lines a variable added.

use super::source::Position;
use super::vars::Substitution;

/// Where a body was written in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyOrigin {
    /// The line of its file where the body starts (after the front matter).
    pub first_line: usize,
    /// The body as written, when variables were substituted in it.
    written: Option<String>,
    /// Those substitutions, in order.
    substitutions: Vec<Substitution>,
}

impl BodyOrigin {
    /// A body starting at line `first_line` of its file; `expanded`: the body as written and
    /// its substitutions, when variables were substituted.
    pub fn new(first_line: usize, expanded: Option<(String, Vec<Substitution>)>) -> Self {
        let (written, substitutions) = match expanded {
            Some((w, s)) => (Some(w), s),
            None => (None, Vec::new()),
        };
        BodyOrigin {
            first_line,
            written,
            substitutions,
        }
    }

    /// The position in the file of byte `offset` of `body`: the body as read (`read`) or a
    /// normalisation of it that keeps its lines and the start of each (trailing spaces and
    /// line endings aside). A position inside a variable's value is the variable's.
    pub fn position(&self, read: &str, body: &str, offset: usize) -> Position {
        let before = &body[..floor(body, offset)];
        let line = before.matches('\n').count();
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
        // The same line and column in the body as read.
        let line_start = read
            .match_indices('\n')
            .nth(line.wrapping_sub(1))
            .filter(|_| line > 0)
            .map_or(0, |(i, _)| i + 1);
        let at = floor(read, line_start + col);
        let mut written_at = at;
        for s in &self.substitutions {
            if s.read.start > at {
                break;
            }
            written_at = if at < s.read.end {
                s.written.start
            } else {
                at - s.read.end + s.written.end
            };
        }
        let text = self.written.as_deref().unwrap_or(read);
        let before = &text[..floor(text, written_at)];
        Position {
            line: self.first_line + before.matches('\n').count(),
            col: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        }
    }
}

/// The largest char boundary of `s` at or before `i`.
fn floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_after_a_variable_of_several_lines_are_where_they_are_written() {
        let written = "Intro ${NOTE} end.\n\nSee [x](x.md).\n";
        let read = "Intro one\ntwo\nthree end.\n\nSee [x](x.md).\n";
        let subs = vec![Substitution {
            written: 6..13,
            read: 6..19,
        }];
        let origin = BodyOrigin::new(4, Some((written.to_string(), subs)));
        let link = read.find("x.md").unwrap();
        assert_eq!(
            origin.position(read, read, link),
            Position { line: 6, col: 9 }
        );
        // Inside the value: the variable's own position.
        let two = read.find("two").unwrap();
        assert_eq!(
            origin.position(read, read, two),
            Position { line: 4, col: 7 }
        );
        // A normalised body (trailing spaces dropped) maps line by line.
        let crlf = "a  \r\nb [y](y.md)\r\n";
        let plain = BodyOrigin::new(3, None);
        let normalised = "a\nb [y](y.md)\n";
        assert_eq!(
            plain.position(crlf, normalised, normalised.find("y.md").unwrap()),
            Position { line: 4, col: 7 }
        );
    }
}
