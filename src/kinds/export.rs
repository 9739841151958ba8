//! Helpers every kind's export shares: people's sort order and duplicate detection.

use std::collections::{BTreeMap, BTreeSet};

use super::engine::{Declaration, fold};
use super::{Exported, Ignored};
use crate::config::types::ConfigFile;
use crate::model::Kind;

/// Sorts by name as people sort (case-insensitively), then by exact name.
pub fn sort_ci<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let (a, b) = (name(a), name(b));
        (a.to_lowercase(), a).cmp(&(b.to_lowercase(), b))
    });
}

/// Names that occur more than once (lower-cased and compared case-insensitively when `ci`).
pub fn duplicated<'a>(names: impl Iterator<Item = &'a str>, ci: bool) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for n in names {
        *seen.entry(fold(n, ci)).or_default() += 1;
    }
    seen.into_iter()
        .filter(|(_, c)| *c > 1)
        .map(|(n, _)| n)
        .collect()
}

/// Puts a kind's exported list, sorted by name as people sort, into its section of `cfg`;
/// returns `true` (the kind has a section).
pub fn put<T: serde::Serialize + Declaration>(
    cfg: &mut ConfigFile,
    kind: Kind,
    mut list: Vec<T>,
) -> bool {
    sort_ci(&mut list, |d| d.name());
    cfg.sections.insert(
        kind.plural().into(),
        serde_json::to_value(list).unwrap_or_default(),
    );
    true
}

/// The live objects whose names identify one object (compared case-insensitively when `ci`);
/// each name that several share goes to `ignored` once, saying so (`what`: `tags`, …).
pub fn identifiable<'a, T>(
    kind: Kind,
    objects: &'a [T],
    name: impl Fn(&T) -> &str,
    what: &str,
    out: &mut Exported,
) -> Vec<&'a T> {
    let (ci, ignored) = (kind.case_insensitive_names(), &mut out.ignored);
    let dups = duplicated(objects.iter().map(&name), ci);
    let mut out = Vec::new();
    for o in objects {
        let n = name(o);
        if !dups.contains(&fold(n, ci)) {
            out.push(o);
        } else if !ignored.iter().any(|i| i.kind == kind && i.name == n) {
            let case = if ci { " (ignoring case)" } else { "" };
            ignored.push(Ignored {
                kind,
                name: n.to_string(),
                why: format!("several {what} have this name{case}, so a name cannot identify one"),
            });
        }
    }
    out
}
