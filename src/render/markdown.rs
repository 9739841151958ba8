//! The plan as a pull-request comment: a summary table and collapsible details per kind, kept
//! under GitHub's comment limit.

use std::fmt::Write as _;

use super::{summary_line, text::render_text};
use crate::model::Kind;
use crate::plan::Plan;

/// GitHub's limit on a comment's length.
pub const MAX_COMMENT_CHARS: usize = 65_536;

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
