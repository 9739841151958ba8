//! The security audit of Intercom's admin activity log (`audit`), and the recent activity that
//! `drift` shows under the kinds the log covers (`recent`): pure values and their text, JSON and
//! markdown, no I/O. Entries are grouped by category (`model::activity`'s table) and by admin
//! e-mail; no entry carries the admin's IP address (the client drops it).

mod recent;
mod since;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::activity::{ActivityEntry, Category, category};
use crate::render::{FORMAT_VERSION, MAX_COMMENT_CHARS, PlanTarget};

pub use recent::{ActivityLine, KindActivity, RecentActivity};
pub use since::{SinceError, parse_since};

/// A time as reports print it (`2026-11-20 14:02 UTC`).
pub fn utc(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// A time as JSON carries it (RFC 3339).
fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// What `audit` found in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// The period's start (Unix seconds, inclusive).
    pub since: i64,
    /// The period's end: when the log was read.
    pub until: i64,
    /// The log's entries in the period, newest first.
    pub entries: Vec<ActivityEntry>,
    /// The categories that fail the run (`--fail-on`).
    pub fail_on: Vec<Category>,
}

impl Audit {
    /// The entries of each category that has any, in the categories' order, newest first.
    pub fn by_category(&self) -> Vec<(Category, Vec<&ActivityEntry>)> {
        let mut groups: BTreeMap<Category, Vec<&ActivityEntry>> = BTreeMap::new();
        for e in &self.entries {
            groups
                .entry(category(&e.activity_type))
                .or_default()
                .push(e);
        }
        for entries in groups.values_mut() {
            entries.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        }
        groups.into_iter().collect()
    }

    /// Each admin's number of entries per category, by e-mail (case folded).
    pub fn by_admin(&self) -> BTreeMap<String, BTreeMap<Category, usize>> {
        let mut admins: BTreeMap<String, BTreeMap<Category, usize>> = BTreeMap::new();
        for e in &self.entries {
            let email = if e.admin_email.is_empty() {
                "(unknown admin)".to_string()
            } else {
                e.admin_email.to_lowercase()
            };
            *admins
                .entry(email)
                .or_default()
                .entry(category(&e.activity_type))
                .or_default() += 1;
        }
        admins
    }

    /// How many entries fall in the `--fail-on` categories.
    pub fn failing(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| self.fail_on.contains(&category(&e.activity_type)))
            .count()
    }

    /// Whether the run fails (exit 2): something happened in a `--fail-on` category.
    pub fn fails(&self) -> bool {
        self.failing() > 0
    }

    fn period(&self) -> String {
        format!("{} to {}", utc(self.since), utc(self.until))
    }

    fn verdict(&self) -> Option<String> {
        if self.fail_on.is_empty() {
            return None;
        }
        let names: Vec<&str> = self.fail_on.iter().map(|c| c.name()).collect();
        Some(match self.failing() {
            0 => format!("--fail-on {}: nothing happened.", names.join(", ")),
            n => format!(
                "--fail-on {}: {n} entr{} (exit 2).",
                names.join(", "),
                if n == 1 { "y" } else { "ies" }
            ),
        })
    }
}

fn categories_text(counts: &BTreeMap<Category, usize>) -> String {
    counts
        .iter()
        .map(|(c, n)| format!("{c} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn workspace_text(target: &PlanTarget) -> String {
    format!("{} ({})", target.app_name, target.app_id)
}

/// Renders an audit for people.
pub fn render_text(a: &Audit, target: &PlanTarget) -> String {
    let mut out = format!(
        "Activity log of {} from {}: {} entr{}.\n",
        workspace_text(target),
        a.period(),
        a.entries.len(),
        if a.entries.len() == 1 { "y" } else { "ies" }
    );
    for (cat, entries) in a.by_category() {
        let _ = writeln!(out, "\n{} [{cat}]: {}", cat.title(), entries.len());
        for e in entries {
            let _ = writeln!(
                out,
                "  {}  {}  by {}",
                utc(e.created_at),
                e.activity_type,
                display_email(&e.admin_email)
            );
            if !e.description.is_empty() {
                let _ = writeln!(out, "      {}", e.description);
            }
        }
    }
    let admins = a.by_admin();
    if !admins.is_empty() {
        out.push_str("\nBy admin:\n");
        for (email, counts) in &admins {
            let total: usize = counts.values().sum();
            let _ = writeln!(out, "  {email}: {total} ({})", categories_text(counts));
        }
    }
    if let Some(verdict) = a.verdict() {
        let _ = write!(out, "\n{verdict}\n");
    }
    out
}

fn display_email(email: &str) -> &str {
    if email.is_empty() {
        "(unknown admin)"
    } else {
        email
    }
}

/// A markdown table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace('|', "\\|")
}

/// Renders an audit as markdown (an issue body), at most [`MAX_COMMENT_CHARS`] characters.
pub fn render_markdown(a: &Audit, target: &PlanTarget) -> String {
    let mut out = format!(
        "### intercom-iac audit\n\nActivity log of **{}** (`{}`) from {}: {} entr{}.\n",
        cell(&target.app_name),
        target.app_id,
        a.period(),
        a.entries.len(),
        if a.entries.len() == 1 { "y" } else { "ies" }
    );
    if let Some(verdict) = a.verdict() {
        let _ = write!(out, "\n**{verdict}**\n");
    }
    let admins = a.by_admin();
    if !admins.is_empty() {
        out.push_str("\n#### By admin\n\n| Admin | Entries | By category |\n|---|---|---|\n");
        for (email, counts) in &admins {
            let total: usize = counts.values().sum();
            let _ = writeln!(
                out,
                "| {} | {total} | {} |",
                cell(email),
                categories_text(counts)
            );
        }
    }
    let budget = MAX_COMMENT_CHARS.saturating_sub(500);
    'groups: for (cat, entries) in a.by_category() {
        let _ = write!(
            out,
            "\n#### {} (`{cat}`): {}\n\n| When | Event | Admin | Description |\n|---|---|---|---|\n",
            cat.title(),
            entries.len()
        );
        for e in entries {
            let row = format!(
                "| {} | `{}` | {} | {} |\n",
                utc(e.created_at),
                cell(&e.activity_type),
                cell(display_email(&e.admin_email)),
                cell(&e.description)
            );
            if out.len() + row.len() > budget {
                out.push_str("\n… (truncated; run `intercom-iac audit` for every entry)\n");
                break 'groups;
            }
            out.push_str(&row);
        }
    }
    out
}

#[derive(Serialize)]
struct AuditDocument<'a> {
    format_version: &'a str,
    target: &'a PlanTarget,
    since: String,
    until: String,
    total: usize,
    fail_on: Vec<Category>,
    failed: bool,
    categories: Vec<CategoryDocument<'a>>,
    admins: Vec<AdminDocument>,
}

#[derive(Serialize)]
struct CategoryDocument<'a> {
    category: Category,
    count: usize,
    entries: Vec<EntryDocument<'a>>,
}

#[derive(Serialize)]
struct EntryDocument<'a> {
    id: &'a str,
    activity_type: &'a str,
    admin_email: &'a str,
    created_at: String,
    description: &'a str,
}

#[derive(Serialize)]
struct AdminDocument {
    email: String,
    count: usize,
    categories: BTreeMap<Category, usize>,
}

/// Renders an audit as JSON (versioned; fields are only added).
pub fn render_json(a: &Audit, target: &PlanTarget) -> String {
    let doc = AuditDocument {
        format_version: FORMAT_VERSION,
        target,
        since: rfc3339(a.since),
        until: rfc3339(a.until),
        total: a.entries.len(),
        fail_on: a.fail_on.clone(),
        failed: a.fails(),
        categories: a
            .by_category()
            .into_iter()
            .map(|(category, entries)| CategoryDocument {
                category,
                count: entries.len(),
                entries: entries
                    .into_iter()
                    .map(|e| EntryDocument {
                        id: &e.id,
                        activity_type: &e.activity_type,
                        admin_email: &e.admin_email,
                        created_at: rfc3339(e.created_at),
                        description: &e.description,
                    })
                    .collect(),
            })
            .collect(),
        admins: a
            .by_admin()
            .into_iter()
            .map(|(email, categories)| AdminDocument {
                email,
                count: categories.values().sum(),
                categories,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, t: &str, email: &str, at: i64) -> ActivityEntry {
        ActivityEntry {
            id: id.into(),
            activity_type: t.into(),
            admin_email: email.into(),
            created_at: at,
            description: format!("{email} did {t}"),
        }
    }

    fn target() -> PlanTarget {
        PlanTarget {
            app_id: "sbx4c0de".into(),
            app_name: "Sandbox Co".into(),
            region: "US".into(),
            endpoint_host: "127.0.0.1".into(),
        }
    }

    fn audit(fail_on: Vec<Category>) -> Audit {
        Audit {
            since: 1_790_000_000,
            until: 1_790_600_000,
            entries: vec![
                entry("1", "app_data_export", "bob@example.com", 1_790_100_000),
                entry(
                    "2",
                    "app_identity_verification_change",
                    "alice@example.com",
                    1_790_200_000,
                ),
                entry("3", "brand_new_event", "Bob@example.com", 1_790_300_000),
            ],
            fail_on,
        }
    }

    #[test]
    fn groups_by_category_and_admin() {
        let a = audit(vec![Category::DataAccess]);
        let groups = a.by_category();
        let cats: Vec<Category> = groups.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            cats,
            [
                Category::DataAccess,
                Category::MessengerSecurity,
                Category::Other
            ]
        );
        let admins = a.by_admin();
        assert_eq!(admins["bob@example.com"].values().sum::<usize>(), 2);
        assert!(a.fails());
        assert!(!audit(vec![Category::Integrations]).fails());
        assert!(!audit(vec![]).fails());
    }

    #[test]
    fn every_format_lists_the_unknown_type_under_other() {
        let a = audit(vec![Category::DataAccess]);
        let text = render_text(&a, &target());
        assert!(text.contains("[other]: 1\n"), "{text}");
        assert!(text.contains("brand_new_event"), "{text}");
        assert!(text.contains("(exit 2)"), "{text}");
        let md = render_markdown(&a, &target());
        assert!(md.contains("(`other`): 1"), "{md}");
        let json: serde_json::Value = serde_json::from_str(&render_json(&a, &target())).unwrap();
        assert_eq!(json["categories"][2]["category"], "other");
        assert_eq!(json["failed"], true);
        assert_eq!(json["total"], 3);
    }
}
