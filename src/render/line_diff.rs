//! Line diffs of multi-line values (article bodies, long descriptions), as a reviewer reads
//! them: changed lines with up to [`CONTEXT`] unchanged lines around each change, and a `…`
//! line where unchanged lines are left out.

use similar::{ChangeTag, TextDiff};

/// Unchanged lines shown before and after each change.
pub const CONTEXT: usize = 3;

/// One line of a line diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    /// Only in the new text.
    Added(String),
    /// Only in the old text.
    Removed(String),
    /// In both (context).
    Same(String),
    /// Unchanged lines left out.
    Skipped,
}

/// The line diff from `old` to `new`, with [`CONTEXT`] lines of context around each change.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = TextDiff::from_lines(old, new);
    let groups = diff.grouped_ops(CONTEXT);
    let mut out = Vec::new();
    for (n, group) in groups.iter().enumerate() {
        let first_old = group.first().map_or(0, |op| op.old_range().start);
        if n > 0 || first_old > 0 {
            out.push(DiffLine::Skipped);
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let line = change.value().trim_end_matches('\n').to_string();
                out.push(match change.tag() {
                    ChangeTag::Delete => DiffLine::Removed(line),
                    ChangeTag::Insert => DiffLine::Added(line),
                    ChangeTag::Equal => DiffLine::Same(line),
                });
            }
        }
    }
    let last_old = groups
        .last()
        .and_then(|g| g.last())
        .map_or(0, |op| op.old_range().end);
    if !groups.is_empty() && last_old < diff.old_len() {
        out.push(DiffLine::Skipped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::DiffLine::{Added, Removed, Same, Skipped};
    use super::*;

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn one_changed_paragraph_shows_with_its_context_only() {
        let old = "a\nb\nc\nd\nold\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nnew\ne\nf\ng\nh\n";
        assert_eq!(
            line_diff(old, new),
            vec![
                Skipped,
                Same(s("b")),
                Same(s("c")),
                Same(s("d")),
                Removed(s("old")),
                Added(s("new")),
                Same(s("e")),
                Same(s("f")),
                Same(s("g")),
                Skipped,
            ]
        );
    }

    #[test]
    fn short_texts_show_whole_and_equal_texts_show_nothing() {
        assert_eq!(
            line_diff("a\n", "a\nb\n"),
            vec![Same(s("a")), Added(s("b"))]
        );
        assert_eq!(line_diff("", "x\n"), vec![Added(s("x"))]);
        assert!(line_diff("same\n", "same\n").is_empty());
    }

    #[test]
    fn distant_changes_are_separate_hunks() {
        let old: String = (0..20).map(|i| format!("{i}\n")).collect();
        let new: String = (0..20)
            .map(|i| match i {
                2 => "two\n".to_string(),
                17 => "seventeen\n".to_string(),
                _ => format!("{i}\n"),
            })
            .collect();
        let lines = line_diff(&old, &new);
        let skipped = lines.iter().filter(|l| **l == Skipped).count();
        assert_eq!(skipped, 1, "{lines:?}");
        let changed: Vec<_> = lines
            .iter()
            .filter(|l| matches!(l, Added(_) | Removed(_)))
            .collect();
        assert_eq!(
            changed,
            [
                &Removed(s("2")),
                &Added(s("two")),
                &Removed(s("17")),
                &Added(s("seventeen"))
            ]
        );
    }
}
