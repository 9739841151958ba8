//! The recent activity `drift` shows under the kinds the activity log covers: per kind, one
//! line per event type and admin ("recent activity: 2 team-membership changes by
//! bob@example.com (last 2026-11-20 14:02 UTC)"). Intercom's entries do not reliably name the
//! object, so nothing here guesses which object changed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{rfc3339, utc};
use crate::model::Kind;
use crate::model::activity::{ActivityEntry, event_label, kind_event_types};

/// One event type by one admin, for one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityLine {
    /// The event type.
    pub event_type: String,
    /// How many entries.
    pub count: usize,
    /// Who (e-mail).
    pub admin_email: String,
    /// The latest entry's time (Unix seconds).
    #[serde(serialize_with = "as_rfc3339")]
    pub last: i64,
}

fn as_rfc3339<S: serde::Serializer>(t: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

impl ActivityLine {
    /// `recent activity: 2 team-membership changes by bob@example.com (last … UTC)`.
    pub fn text(&self) -> String {
        let label = event_label(&self.event_type);
        format!(
            "recent activity: {} {label}{} by {} (last {})",
            self.count,
            if self.count == 1 { "" } else { "s" },
            if self.admin_email.is_empty() {
                "an unknown admin"
            } else {
                &self.admin_email
            },
            utc(self.last)
        )
    }
}

/// The recent activity of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindActivity {
    /// The kind.
    pub kind: Kind,
    /// Its lines, most recent first.
    pub recent: Vec<ActivityLine>,
}

/// What drift shows of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecentActivity {
    /// The period's start (Unix seconds).
    #[serde(serialize_with = "as_rfc3339")]
    pub since: i64,
    /// The kinds looked at.
    pub covered: Vec<Kind>,
    /// Why the log could not be read (then `kinds` is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// The kinds with activity.
    pub kinds: Vec<KindActivity>,
}

impl RecentActivity {
    /// The event types to ask the log for, for `kinds` (those the log covers).
    pub fn event_types(kinds: &[Kind]) -> Vec<&'static str> {
        kinds
            .iter()
            .flat_map(|k| kind_event_types(*k).iter().copied())
            .collect()
    }

    /// The kinds of `kinds` that the log covers.
    pub fn covered(kinds: impl IntoIterator<Item = Kind>) -> Vec<Kind> {
        kinds
            .into_iter()
            .filter(|k| !kind_event_types(*k).is_empty())
            .collect()
    }

    /// Sums `entries` up per kind of `covered`, event type and admin.
    pub fn summarise(since: i64, covered: Vec<Kind>, entries: &[ActivityEntry]) -> Self {
        let mut kinds = Vec::new();
        for kind in &covered {
            let types = kind_event_types(*kind);
            let mut lines: BTreeMap<(&str, String), ActivityLine> = BTreeMap::new();
            for e in entries
                .iter()
                .filter(|e| types.contains(&e.activity_type.as_str()) && e.created_at >= since)
            {
                let email = e.admin_email.to_lowercase();
                let line = lines
                    .entry((e.activity_type.as_str(), email.clone()))
                    .or_insert_with(|| ActivityLine {
                        event_type: e.activity_type.clone(),
                        count: 0,
                        admin_email: email,
                        last: e.created_at,
                    });
                line.count += 1;
                line.last = line.last.max(e.created_at);
            }
            let mut recent: Vec<ActivityLine> = lines.into_values().collect();
            recent.sort_by(|a, b| b.last.cmp(&a.last).then(a.admin_email.cmp(&b.admin_email)));
            if !recent.is_empty() {
                kinds.push(KindActivity {
                    kind: *kind,
                    recent,
                });
            }
        }
        RecentActivity {
            since,
            covered,
            unavailable: None,
            kinds,
        }
    }

    /// The log could not be read.
    pub fn unavailable(since: i64, covered: Vec<Kind>, reason: String) -> Self {
        RecentActivity {
            since,
            covered,
            unavailable: Some(reason),
            kinds: Vec::new(),
        }
    }

    fn heading(&self) -> String {
        format!(
            "Recent activity (Intercom's activity log since {})",
            utc(self.since)
        )
    }

    /// The lines of `kind` (none when it had no activity), which drift prints under the
    /// kind's changes.
    pub fn lines(&self, kind: Kind) -> Vec<String> {
        self.kinds
            .iter()
            .filter(|k| k.kind == kind)
            .flat_map(|k| k.recent.iter().map(ActivityLine::text))
            .collect()
    }

    /// The section drift prints after the plan, for people: the kinds of `shown` had their
    /// lines under their changes, so it names them only.
    pub fn render_text(&self, shown: &[Kind]) -> String {
        self.render(TEXT, shown)
    }

    /// The same section in markdown.
    pub fn render_markdown(&self, shown: &[Kind]) -> String {
        self.render(MARKDOWN, shown)
    }

    fn render(&self, style: Style, shown: &[Kind]) -> String {
        let mut out = format!("{}{}{}", style.heading.0, self.heading(), style.heading.1);
        if let Some(reason) = &self.unavailable {
            let _ = writeln!(out, "{}{reason}", style.unavailable);
            return out;
        }
        if self.kinds.is_empty() {
            let names: Vec<&str> = self.covered.iter().map(|k| k.plural()).collect();
            let _ = write!(out, "{}{}{}", style.none.0, names.join(", "), style.none.1);
        }
        for k in &self.kinds {
            if shown.contains(&k.kind) {
                let _ = writeln!(
                    out,
                    "{}{}{} under its changes above",
                    style.kind.0,
                    k.kind.plural(),
                    style.kind.1
                );
                continue;
            }
            let _ = writeln!(out, "{}{}{}", style.kind.0, k.kind.plural(), style.kind.1);
            for line in &k.recent {
                let _ = writeln!(out, "{}{}", style.line, line.text());
            }
        }
        out
    }
}

/// How the section is laid out: text or markdown.
struct Style {
    heading: (&'static str, &'static str),
    unavailable: &'static str,
    none: (&'static str, &'static str),
    kind: (&'static str, &'static str),
    line: &'static str,
}

#[rustfmt::skip]
const TEXT: Style = Style { heading: ("\n", ":\n"), unavailable: "  unavailable: ", none: ("  none recorded for ", "\n"), kind: ("  ", ":"), line: "    " };

#[rustfmt::skip]
const MARKDOWN: Style = Style { heading: ("\n#### ", "\n\n"), unavailable: "Unavailable: ", none: ("None recorded for ", ".\n"), kind: ("- `", "`"), line: "  - " };

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(t: &str, email: &str, at: i64) -> ActivityEntry {
        ActivityEntry {
            id: at.to_string(),
            activity_type: t.into(),
            admin_email: email.into(),
            created_at: at,
            description: String::new(),
        }
    }

    #[test]
    fn one_line_per_type_and_admin() {
        let entries = [
            entry("app_team_membership_modification", "bob@example.com", 100),
            entry("app_team_membership_modification", "Bob@example.com", 200),
            entry("office_hours_change", "alice@example.com", 150),
            entry("app_data_export", "bob@example.com", 160),
            entry("app_team_membership_modification", "bob@example.com", 10),
        ];
        let covered = RecentActivity::covered(Kind::ALL);
        assert!(covered.contains(&Kind::Teams) && !covered.contains(&Kind::Tags));
        let r = RecentActivity::summarise(50, vec![Kind::Teams], &entries);
        assert_eq!(r.kinds.len(), 1);
        let line = &r.kinds[0].recent[0];
        assert_eq!((line.count, line.last), (2, 200));
        assert_eq!(
            line.text(),
            "recent activity: 2 team-membership changes by bob@example.com (last 1970-01-01 00:03 UTC)"
        );
        let text = r.render_text(&[]);
        assert!(text.contains("  teams:\n    recent activity: 2"), "{text}");
        let none = RecentActivity::summarise(50, vec![Kind::Macros], &entries);
        assert!(none.render_text(&[]).contains("none recorded for macros"));
        let off = RecentActivity::unavailable(50, vec![Kind::Teams], "HTTP 403".into());
        assert!(off.render_markdown(&[]).contains("Unavailable: HTTP 403"));
    }
}
