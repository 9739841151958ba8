//! Safety thresholds: a plan that removes too much is refused before any write, unless the
//! user says so (octoDNS's `TooMuchChange`).

use std::collections::BTreeMap;
use std::str::FromStr;

use super::{Action, Plan};
use crate::model::Kind;

/// `--max-delete`: an absolute count or a share of a kind's live objects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxDelete {
    /// At most this many per kind.
    Count(usize),
    /// At most this percentage of a kind's live objects.
    Percent(f64),
}

impl FromStr for MaxDelete {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a count or a percentage (e.g. 10 or 20%)");
        match s.strip_suffix('%') {
            Some(p) => {
                let p: f64 = p.trim().parse().map_err(|_| bad())?;
                if !(0.0..=100.0).contains(&p) {
                    return Err(bad());
                }
                Ok(MaxDelete::Percent(p))
            }
            None => s.trim().parse().map(MaxDelete::Count).map_err(|_| bad()),
        }
    }
}

/// The thresholds in force.
#[derive(Debug, Clone, Default)]
pub struct SafetyLimits {
    /// `--max-delete`; `None` uses the defaults.
    pub max_delete: Option<MaxDelete>,
    /// `--force`: skip every threshold.
    pub force: bool,
}

/// A plan removes more than the thresholds allow.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}\n  help: {help}")]
pub struct UnsafePlan {
    /// What would be removed and which threshold it passes.
    pub message: String,
    /// How to pass it.
    pub help: String,
}

/// Default: refuse to remove more than 25 % of a kind that has at least 8 live objects.
const DEFAULT_PERCENT: f64 = 25.0;
const DEFAULT_MIN_OBJECTS: usize = 8;
/// Never more than this many removals of one kind in one run (without `--force`).
const HARD_CAP: usize = 100;

/// Refuses a plan that removes too much.
pub fn check_safety(plan: &Plan, limits: &SafetyLimits) -> Result<(), UnsafePlan> {
    if limits.force {
        return Ok(());
    }
    let mut losses: BTreeMap<Kind, usize> = BTreeMap::new();
    for c in &plan.changes {
        if matches!(c.action, Action::Archive | Action::Delete) {
            *losses.entry(c.address.kind).or_default() += 1;
        }
    }
    for (kind, lost) in losses {
        let live = plan
            .live_counts
            .get(&kind)
            .copied()
            .unwrap_or(lost)
            .max(lost);
        let pct = lost as f64 * 100.0 / live.max(1) as f64;
        let refused = match limits.max_delete {
            Some(MaxDelete::Count(n)) => {
                (lost > n).then(|| format!("the limit is --max-delete {n}"))
            }
            Some(MaxDelete::Percent(p)) => {
                (pct > p).then(|| format!("the limit is --max-delete {p}%"))
            }
            None if lost > HARD_CAP => Some(format!(
                "the limit is {HARD_CAP} removals of one kind per run"
            )),
            None if live >= DEFAULT_MIN_OBJECTS && pct > DEFAULT_PERCENT => Some(format!(
                "the default limit is {DEFAULT_PERCENT}% of a kind with at least {DEFAULT_MIN_OBJECTS} objects"
            )),
            None => None,
        };
        if let Some(limit) = refused {
            return Err(UnsafePlan {
                message: format!("refusing to remove {lost} of {live} {kind} ({pct:.0}%): {limit}"),
                help: format!(
                    "check the plan; if it is intended, pass --max-delete {lost} (or --max-delete {:.0}%) or --force",
                    pct.ceil()
                ),
            });
        }
    }
    // Rules of one kind's changes (a team may lose at most half of its members).
    for c in &plan.changes {
        if let Some(message) = crate::kinds::spec(c.address.kind).too_much(c) {
            return Err(UnsafePlan {
                message,
                help: "check the plan; if it is intended, pass --force".into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, TeamMembers};
    use crate::plan::{Change, FieldChange, Op, Phase};
    use serde_json::json;

    fn deletes(kind: Kind, n: usize, live: usize) -> Plan {
        let mut plan = Plan::default();
        plan.live_counts.insert(kind, live);
        for i in 0..n {
            plan.changes.push(Change {
                address: Address::new(kind, format!("t{i}")),
                action: Action::Delete,
                id: Some(i.to_string()),
                renamed_from: None,
                fields: vec![],
                ops: vec![Op::DeleteTag { id: i.to_string() }],
                phase: Phase::Delete,
                fingerprint: String::new(),
            });
        }
        plan
    }

    #[test]
    fn default_thresholds() {
        let limits = SafetyLimits::default();
        assert!(check_safety(&deletes(Kind::Tags, 2, 8), &limits).is_ok());
        let e = check_safety(&deletes(Kind::Tags, 3, 8), &limits).unwrap_err();
        assert_eq!(
            e.message,
            "refusing to remove 3 of 8 tags (38%): the default limit is 25% of a kind with at least 8 objects"
        );
        assert!(e.help.contains("--max-delete 3"));
        // Small kinds may be emptied.
        assert!(check_safety(&deletes(Kind::Tags, 7, 7), &limits).is_ok());
        let e = check_safety(&deletes(Kind::Tags, 101, 1000), &limits).unwrap_err();
        assert!(
            e.message.contains("101 removals") || e.message.contains("100 removals"),
            "{}",
            e.message
        );
    }

    #[test]
    fn explicit_limits_and_force() {
        let plan = deletes(Kind::Tags, 3, 8);
        assert!(
            check_safety(
                &plan,
                &SafetyLimits {
                    max_delete: Some(MaxDelete::Count(3)),
                    force: false
                }
            )
            .is_ok()
        );
        assert!(
            check_safety(
                &plan,
                &SafetyLimits {
                    max_delete: Some(MaxDelete::Count(2)),
                    force: false
                }
            )
            .is_err()
        );
        assert!(
            check_safety(
                &plan,
                &SafetyLimits {
                    max_delete: Some("40%".parse().unwrap()),
                    force: false
                }
            )
            .is_ok()
        );
        assert!(
            check_safety(
                &plan,
                &SafetyLimits {
                    max_delete: None,
                    force: true
                }
            )
            .is_ok()
        );
        assert!("x%".parse::<MaxDelete>().is_err());
    }

    #[test]
    fn team_losing_more_than_half() {
        let mut plan = Plan::default();
        plan.changes.push(Change {
            address: Address::new(Kind::Teams, "Support"),
            action: Action::Update,
            id: Some("1".into()),
            renamed_from: None,
            fields: vec![FieldChange {
                name: "members".into(),
                old: Some(json!(["a", "b", "c", "d"])),
                new: Some(json!(["a"])),
            }],
            ops: vec![Op::SetTeamMembers {
                id: "1".into(),
                members: TeamMembers {
                    admin_ids: vec!["1".into()],
                    secondary_admin_ids: None,
                },
            }],
            phase: Phase::Write,
            fingerprint: String::new(),
        });
        let e = check_safety(&plan, &SafetyLimits::default()).unwrap_err();
        assert!(
            e.message
                .starts_with("refusing to remove 3 of 4 members from team[\"Support\"]"),
            "{}",
            e.message
        );
        plan.changes[0].fields[0].new = Some(json!(["a", "b", "e"]));
        assert!(check_safety(&plan, &SafetyLimits::default()).is_ok());
    }
}
