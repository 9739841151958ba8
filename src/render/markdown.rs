//! The plan as a pull-request comment: a summary table and collapsible details per kind, kept
//! under GitHub's comment limit.

use std::fmt::Write as _;

use super::{summary_line, text::render_text};
use crate::model::Kind;
use crate::plan::Plan;

/// GitHub's limit on a comment's length.
pub const MAX_COMMENT_CHARS: usize = 65_536;

/// A line of the text plan for a ```` ```diff ```` block: GitHub colours a line only by its
/// first character, so the change symbol moves in front of the indentation
/// (`  + tag["VIP"]` becomes `+   tag["VIP"]`). Symbols stand only at the indentations of
/// addresses, fields and list items or changed lines (2, 6, 10): an unchanged line of a
/// Markdown body (indented 12) that starts with `- ` stays context.
fn diff_line(line: &str) -> String {
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    for symbol in ["+", "-", "~", "±", "!"] {
        if let Some(rest) = body.strip_prefix(symbol)
            && matches!(indent, 2 | 6 | 10)
            && rest.starts_with(' ')
        {
            return format!("{symbol}{}{rest}", " ".repeat(indent));
        }
    }
    line.to_string()
}

/// Renders the plan as markdown, at most [`MAX_COMMENT_CHARS`] characters.
pub fn render_markdown(plan: &Plan) -> String {
    let digest = plan.digest();
    let mut head = String::new();
    let _ = writeln!(head, "<!-- intercom-iac plan digest: {digest} -->");
    let _ = writeln!(head, "### intercom-iac plan\n");
    let _ = writeln!(head, "**{}**\n", summary_line(plan));
    let s = plan.summary();
    if !plan.is_empty() {
        let _ = writeln!(
            head,
            "| create | update | rename | archive | delete | manual steps |"
        );
        let _ = writeln!(head, "|---:|---:|---:|---:|---:|---:|");
        let _ = writeln!(
            head,
            "| {} | {} | {} | {} | {} | {} |\n",
            s.create, s.update, s.rename, s.archive, s.delete, s.manual
        );
    }
    let mut body = String::new();
    for kind in Kind::ALL {
        let sub = Plan {
            changes: plan
                .changes
                .iter()
                .filter(|c| c.address.kind == kind)
                .cloned()
                .collect(),
            manual_steps: plan
                .manual_steps
                .iter()
                .filter(|m| m.address.kind == kind)
                .cloned()
                .collect(),
            warnings: plan
                .warnings
                .iter()
                .filter(|w| w.address.kind == kind)
                .cloned()
                .collect(),
            notes: plan
                .notes
                .iter()
                .filter(|n| n.address.kind == kind)
                .cloned()
                .collect(),
            contract: Vec::new(),
            live_counts: Default::default(),
        };
        if sub.changes.is_empty() && sub.manual_steps.is_empty() && sub.warnings.is_empty() {
            continue;
        }
        let text = render_text(&sub, false);
        let details: String = text
            .lines()
            .filter(|l| !l.starts_with("Plan:") && !l.starts_with("Digest:"))
            .map(diff_line)
            .collect::<Vec<_>>()
            .join("\n");
        let _ = writeln!(
            body,
            "<details><summary><code>{}</code>: {} change(s), {} manual step(s)</summary>\n\n```diff\n{}\n```\n\n</details>\n",
            kind,
            sub.changes.len(),
            sub.manual_steps.len(),
            details.trim_end()
        );
    }
    if !plan.contract.is_empty() {
        let _ = writeln!(
            body,
            "Event contract: {} declared event(s), documentation only.\n",
            plan.contract.len()
        );
    }
    let footer = format!("Digest: `{digest}`\n");
    let budget = MAX_COMMENT_CHARS - head.chars().count() - footer.chars().count() - 200;
    if body.chars().count() > budget {
        let mut cut: String = body.chars().take(budget).collect();
        if let Some(i) = cut.rfind("</details>") {
            cut.truncate(i + "</details>".len());
        } else {
            cut.clear();
        }
        body = format!(
            "{cut}\n\n> **Truncated**: the plan is too long for a comment. Run `intercom-iac plan` for the full plan.\n\n"
        );
    }
    format!("{head}{body}{footer}")
}

#[cfg(test)]
mod tests {
    use super::diff_line;

    #[test]
    fn change_symbols_lead_their_lines() {
        assert_eq!(diff_line("  + tag[\"VIP\"]"), "+   tag[\"VIP\"]");
        assert_eq!(
            diff_line("      ~ description = \"a\" -> \"b\""),
            "~       description = \"a\" -> \"b\""
        );
        assert_eq!(
            diff_line("          - \"Outage\""),
            "-           \"Outage\""
        );
        assert_eq!(
            diff_line("  ± tag[\"B\"]  # renamed from \"A\""),
            "±   tag[\"B\"]  # renamed from \"A\""
        );
        // Headings, warnings and unchanged context lines stay as they are.
        for same in [
            "Warning: tag[\"x\"]: y",
            "            - a list item of an unchanged Markdown line",
            "            context",
            "Manual steps (…):",
            "",
        ] {
            assert_eq!(diff_line(same), same);
        }
    }
}
