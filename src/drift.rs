//! Drift: the plan computed and reported as what changed outside intercom-iac, never applied,
//! plus the live objects the configuration does not declare ("unmanaged").

use std::fmt::Write as _;

use std::collections::HashSet;

use serde::Serialize;

use crate::audit::RecentActivity;
use crate::config::Desired;
use crate::kinds::engine::fold;
use crate::model::{Address, Kind, Live};
use crate::plan::Plan;
use crate::render::{self, PlanDocument, PlanTarget};

/// What drift found.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// Changes that would bring the workspace back to the configuration (pruned kinds'
    /// unmanaged objects appear here as deletions).
    pub plan: Plan,
    /// Live objects of kinds that are not pruned and that the configuration does not declare.
    pub unmanaged: Vec<Address>,
    /// The recent activity of the declared kinds the activity log covers (`None`: not read).
    pub activity: Option<RecentActivity>,
}

impl Drift {
    /// Whether the run fails (exit 2): changed managed objects, manual steps, pruned
    /// unmanaged objects, and other unmanaged objects when asked.
    pub fn fails(&self, fail_on_unmanaged: bool) -> bool {
        !self.plan.is_empty() || (fail_on_unmanaged && !self.unmanaged.is_empty())
    }
}

/// Live objects of the fetched, non-pruned kinds that no declaration (name or `renamed_from`)
/// claims and no ignore pattern covers.
pub fn unmanaged(desired: &Desired, live: &Live, pruned: &[Kind]) -> Vec<Address> {
    let ignore = crate::plan::ignore_sets(desired);
    let mut out = Vec::new();
    for (kind, spec) in crate::kinds::all() {
        if pruned.contains(&kind) || !live.fetched.contains(&kind) {
            continue;
        }
        let ci = kind.case_insensitive_names();
        let claimed: HashSet<String> = spec
            .claimed_names(desired, kind)
            .into_iter()
            .map(|n| fold(n, ci))
            .collect();
        for name in spec.live_names(live, kind) {
            let covered = claimed.contains(&fold(name, ci))
                || ignore.get(&kind).is_some_and(|g| g.is_match(name));
            if !covered {
                out.push(Address::new(kind, name));
            }
        }
    }
    out.sort_by(|a, b| {
        (a.kind, a.key.to_lowercase(), &a.key).cmp(&(b.kind, b.key.to_lowercase(), &b.key))
    });
    out
}

/// Renders drift as text.
pub fn render_text(d: &Drift, fail_on_unmanaged: bool, color: bool) -> String {
    let mut out = String::new();
    if d.plan.is_empty() {
        out.push_str("No drift in managed objects. The workspace matches the configuration.\n");
    } else {
        out.push_str("Drift: the workspace differs from the configuration (changes made outside intercom-iac).\nApplying the configuration would:\n\n");
        let lines = |kind| {
            d.activity
                .as_ref()
                .map(|a| a.lines(kind))
                .unwrap_or_default()
        };
        out.push_str(&render::render_text_with(&d.plan, color, &lines));
    }
    if !d.unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "\nUnmanaged objects ({}; in Intercom but not in the configuration{}):",
            d.unmanaged.len(),
            if fail_on_unmanaged {
                ""
            } else {
                "; listed, not failing the run"
            }
        );
        for a in &d.unmanaged {
            let _ = writeln!(out, "  ? {a}");
        }
        out.push_str("  Declare them, add them to `ignore:`, or prune their kind.\n");
    }
    if let Some(activity) = &d.activity {
        let shown: Vec<Kind> = d.plan.changes.iter().map(|c| c.address.kind).collect();
        out.push_str(&activity.render_text(&shown));
    }
    out
}

/// Renders drift as markdown (an issue body).
pub fn render_markdown(d: &Drift) -> String {
    let mut out = String::from("### intercom-iac drift\n\n");
    if d.plan.is_empty() {
        out.push_str("No drift in managed objects.\n\n");
    } else {
        out.push_str(
            "The workspace differs from the configuration (changes made outside intercom-iac).\n\n",
        );
        out.push_str(&render::render_markdown(&d.plan));
        out.push('\n');
    }
    if !d.unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} unmanaged object(s)</summary>\n\n```text",
            d.unmanaged.len()
        );
        let mut budget = render::MAX_COMMENT_CHARS.saturating_sub(out.len() + 200);
        for a in &d.unmanaged {
            let line = format!("{a}\n");
            if line.len() > budget {
                out.push_str("… (truncated)\n");
                break;
            }
            budget -= line.len();
            out.push_str(&line);
        }
        out.push_str("```\n\n</details>\n");
    }
    if let Some(activity) = &d.activity {
        out.push_str(&activity.render_markdown(&[]));
    }
    out
}

#[derive(Serialize)]
struct DriftDocument<'a> {
    format_version: &'a str,
    drift: bool,
    plan: PlanDocument,
    unmanaged: &'a [Address],
    #[serde(skip_serializing_if = "Option::is_none")]
    activity: Option<&'a RecentActivity>,
}

/// Renders drift as JSON.
pub fn render_json(d: &Drift, fail_on_unmanaged: bool, target: Option<PlanTarget>) -> String {
    let doc = DriftDocument {
        format_version: render::FORMAT_VERSION,
        drift: d.fails(fail_on_unmanaged),
        plan: PlanDocument::new(&d.plan, target),
        unmanaged: &d.unmanaged,
        activity: d.activity.as_ref(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
