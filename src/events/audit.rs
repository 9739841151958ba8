//! `events audit`: which event names sampled contacts actually sent, against the declared
//! events. Pure: picks the sample from contact ids with a seed, tallies the summaries per name,
//! and renders the report as text, JSON or Markdown. Intercom's event summaries carry names and
//! counts only, so the audit checks names, never metadata keys.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::config::did_you_mean;
use crate::intercom::read::EventCount;

/// Version of the JSON report; fields are only ever added.
pub const FORMAT_VERSION: u32 = 1;

/// What the report says about what it checks, in every format.
pub const SCOPE_NOTE: &str = "The audit checks event names, not metadata keys: Intercom's event summaries carry no metadata.";

/// Up to `n` ids picked at random but reproducibly from `seed`, in their original order.
pub fn sample(ids: &[String], n: usize, seed: u64) -> Vec<String> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    let mut rng = SplitMix64(seed);
    let n = n.min(ids.len());
    // A partial Fisher–Yates shuffle: the first `n` slots are a uniform sample.
    for i in 0..n {
        let left = (order.len() - i) as u64;
        let j = i + usize::try_from(rng.next() % left).unwrap_or(0);
        order.swap(i, j);
    }
    let mut picked = order[..n].to_vec();
    picked.sort_unstable();
    picked.into_iter().map(|i| ids[i].clone()).collect()
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, seedable and the same on every platform, which
/// is all a reproducible sample needs.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A declared event as the audit needs it.
#[derive(Debug, Clone)]
pub struct Declared<'a> {
    /// Its name.
    pub name: &'a str,
    /// Why it is deprecated, if it is.
    pub deprecated: Option<&'a str>,
}

/// How an event name seen live stands against the declarations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Not declared; maybe a misspelling of a declared one.
    Undeclared {
        /// The closest declared name.
        #[serde(skip_serializing_if = "Option::is_none")]
        did_you_mean: Option<String>,
    },
    /// Declared with `deprecated:`.
    Deprecated {
        /// The declared reason.
        reason: String,
    },
    /// Declared and current.
    Declared,
}

/// One event name seen in the sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    /// The name as sent.
    pub name: String,
    /// Against the declarations.
    #[serde(flatten)]
    pub status: Status,
    /// Sampled contacts that sent it.
    pub contacts: u64,
    /// Times the sampled contacts sent it.
    pub count: u64,
}

/// The audit of a sample.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    /// The JSON report's version.
    pub format_version: u32,
    /// What is checked (names only).
    pub checks: &'static str,
    /// The seed of the sample.
    pub seed: u64,
    /// Contacts in the workspace.
    pub contacts_total: usize,
    /// The sampled contact ids, in page order.
    pub sample: Vec<String>,
    /// Every name seen: undeclared first, then deprecated, then declared; by name within each.
    pub events: Vec<Seen>,
    /// Names seen that are not declared.
    pub undeclared: usize,
    /// Names seen that are declared deprecated.
    pub deprecated: usize,
}

impl Audit {
    /// Tallies the summaries of the sampled contacts against the declared events.
    pub fn new(
        declared: &[Declared<'_>],
        seed: u64,
        contacts_total: usize,
        summaries: Vec<(String, Vec<EventCount>)>,
    ) -> Audit {
        let mut tally: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        let mut sample = Vec::with_capacity(summaries.len());
        for (id, events) in summaries {
            for e in events {
                let t = tally.entry(e.name).or_default();
                t.0 += 1;
                t.1 += e.count;
            }
            sample.push(id);
        }
        let mut events: Vec<Seen> = tally
            .into_iter()
            .map(|(name, (contacts, count))| {
                let status = match declared.iter().find(|d| d.name == name) {
                    Some(Declared {
                        deprecated: Some(reason),
                        ..
                    }) => Status::Deprecated {
                        reason: (*reason).to_string(),
                    },
                    Some(_) => Status::Declared,
                    None => Status::Undeclared {
                        did_you_mean: did_you_mean(&name, declared.iter().map(|d| d.name))
                            .map(str::to_string),
                    },
                };
                Seen {
                    name,
                    status,
                    contacts,
                    count,
                }
            })
            .collect();
        events.sort_by_key(|e| rank(&e.status));
        let count = |r| events.iter().filter(|e| rank(&e.status) == r).count();
        let (undeclared, deprecated) = (count(0), count(1));
        Audit {
            format_version: FORMAT_VERSION,
            checks: "names",
            seed,
            contacts_total,
            sample,
            events,
            undeclared,
            deprecated,
        }
    }

    /// Whether an undeclared or deprecated event was seen (exit 2).
    pub fn has_findings(&self) -> bool {
        self.undeclared + self.deprecated > 0
    }

    /// The report for people.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n{SCOPE_NOTE}\n", self.heading());
        if !self.events.is_empty() {
            out.push('\n');
        }
        let width = self
            .events
            .iter()
            .map(|e| quoted(&e.name).chars().count())
            .max()
            .unwrap_or(0);
        for e in &self.events {
            let name = quoted(&e.name);
            let pad = width - name.chars().count();
            let _ = writeln!(
                out,
                "  {:<10}  {name}{:pad$}  {}{}",
                label(&e.status),
                "",
                counts(e),
                note(&e.status)
                    .map(|n| format!("; {n}"))
                    .unwrap_or_default(),
            );
        }
        let _ = writeln!(out, "\n{}", self.summary());
        out
    }

    /// The report for a pull request or run summary.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "### Events audit\n\n{}\n\n_{SCOPE_NOTE}_\n\n",
            self.heading()
        );
        if !self.events.is_empty() {
            out.push_str("| event | status | contacts | count | note |\n|---|---|---:|---:|---|\n");
            for e in &self.events {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    e.name.replace('|', "\\|").replace('`', "'"),
                    label(&e.status),
                    e.contacts,
                    e.count,
                    note(&e.status)
                        .unwrap_or_default()
                        .replace('|', "\\|")
                        .replace('\n', " "),
                );
            }
            out.push('\n');
        }
        let _ = writeln!(out, "**{}**", self.summary());
        out
    }

    fn heading(&self) -> String {
        format!(
            "Audited the events of {} of {} contact(s) (seed {}).",
            self.sample.len(),
            self.contacts_total,
            self.seed
        )
    }

    fn summary(&self) -> String {
        format!(
            "Events: {} undeclared, {} deprecated, {} declared.",
            self.undeclared,
            self.deprecated,
            self.events.len() - self.undeclared - self.deprecated
        )
    }
}

fn rank(status: &Status) -> u8 {
    match status {
        Status::Undeclared { .. } => 0,
        Status::Deprecated { .. } => 1,
        Status::Declared => 2,
    }
}

fn label(status: &Status) -> &'static str {
    match status {
        Status::Undeclared { .. } => "undeclared",
        Status::Deprecated { .. } => "deprecated",
        Status::Declared => "declared",
    }
}

fn note(status: &Status) -> Option<String> {
    match status {
        Status::Undeclared {
            did_you_mean: Some(s),
        } => Some(format!("did you mean {}?", quoted(s))),
        Status::Undeclared { did_you_mean: None } => {
            Some("declare it under `events:` or fix the producer".to_string())
        }
        Status::Deprecated { reason } => Some(format!("deprecated: {reason}")),
        Status::Declared => None,
    }
}

fn counts(e: &Seen) -> String {
    format!("{} contact(s), {} time(s)", e.contacts, e.count)
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i:02}")).collect()
    }

    fn ev(name: &str, count: u64) -> EventCount {
        EventCount {
            name: name.to_string(),
            count,
        }
    }

    #[test]
    fn a_sample_is_reproducible_and_within_bounds() {
        let all = ids(40);
        let a = sample(&all, 7, 42);
        assert_eq!(a, sample(&all, 7, 42));
        assert_eq!(a.len(), 7);
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, a, "distinct and in page order");
        assert_ne!(a, sample(&all, 7, 43));
        assert_eq!(sample(&all, 100, 1), all);
        assert!(sample(&[], 3, 1).is_empty());
    }

    #[test]
    fn names_are_classified_and_counted() {
        let declared = [
            Declared {
                name: "signed-up",
                deprecated: None,
            },
            Declared {
                name: "old-thing",
                deprecated: Some("use signed-up"),
            },
        ];
        let audit = Audit::new(
            &declared,
            9,
            10,
            vec![
                ("a".into(), vec![ev("signed-up", 2), ev("signed_up", 1)]),
                ("b".into(), vec![ev("signed-up", 1), ev("old-thing", 4)]),
            ],
        );
        let got: Vec<_> = audit
            .events
            .iter()
            .map(|e| (e.name.as_str(), e.status.clone(), e.contacts, e.count))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "signed_up",
                    Status::Undeclared {
                        did_you_mean: Some("signed-up".into())
                    },
                    1,
                    1
                ),
                (
                    "old-thing",
                    Status::Deprecated {
                        reason: "use signed-up".into()
                    },
                    1,
                    4
                ),
                ("signed-up", Status::Declared, 2, 3),
            ]
        );
        assert!(audit.has_findings());
        assert!(audit.to_text().contains(SCOPE_NOTE));
        assert!(
            audit
                .to_markdown()
                .contains("| `signed_up` | undeclared | 1 | 1 | did you mean \"signed-up\"? |")
        );
    }
}
