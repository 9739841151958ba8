//! What a command reads from the workspace: `--only` and `--prune` parsed into a plan filter,
//! and the one rule that turns the kinds a command is about into the `Scope` to fetch.

use std::collections::BTreeSet;

use anyhow::bail;

use crate::cli::ScopeArgs;
use crate::config::Desired;
use crate::intercom::Scope;
use crate::model::{Address, Kind};
use crate::plan::Filter;

/// `--only` and `--prune`, parsed.
pub(super) struct Selection {
    /// The kinds and objects the plan covers.
    pub(super) filter: Filter,
    /// Kinds pruned as if listed in the configuration's `prune`.
    pub(super) prune: Vec<Kind>,
}

impl Selection {
    /// Parses the flags; a kind that cannot be pruned is an error.
    pub(super) fn parse(args: &ScopeArgs) -> anyhow::Result<Selection> {
        let mut filter = Filter::default();
        for only in &args.only {
            if only.contains('[') {
                let a: Address = only.parse()?;
                filter.addresses.insert(a);
            } else {
                filter.kinds.insert(only.parse()?);
            }
        }
        let mut prune = Vec::new();
        for p in &args.prune {
            let k: Kind = p.parse()?;
            if let Some(reason) = k.prune_refusal() {
                bail!(
                    "--prune {k}: {reason}\n  help: prunable kinds: contact_attributes, company_attributes, conversation_attributes, tags, audiences, office_hours"
                );
            }
            prune.push(k);
        }
        Ok(Selection { filter, prune })
    }

    /// The kinds a plan of `desired` is about: declared and pruned ones (with `--prune`),
    /// narrowed by `--only`.
    pub(super) fn kinds(&self, desired: &Desired) -> BTreeSet<Kind> {
        let mut kinds: BTreeSet<Kind> = desired.declared_kinds().into_iter().collect();
        kinds.extend(desired.prune.iter().map(|p| p.value));
        kinds.extend(self.prune.iter().copied());
        kinds.retain(|k| self.filter.touches(*k));
        kinds
    }
}

/// Why a command reads the workspace, which decides what it reads beyond its kinds.
#[derive(Clone, Copy)]
pub(super) enum Purpose<'a> {
    /// Planning this configuration: office-hours exceptions only when it declares some.
    Plan(&'a Desired),
    /// Re-checking the changes of a saved plan: exactly their kinds.
    Recheck,
    /// Export and drift: all there is to know about the kinds, team names included.
    Everything,
}

/// The scope to fetch for `kinds`. `Events` is never read. Attribute names are unique across
/// contacts and companies, so checking one kind reads both (except when re-checking a saved
/// plan). Conversation attributes name teams, so they read the team names too.
pub(super) fn scope(kinds: impl IntoIterator<Item = Kind>, purpose: Purpose<'_>) -> Scope {
    let mut kinds: BTreeSet<Kind> = kinds.into_iter().filter(|k| *k != Kind::Events).collect();
    let attributes = [Kind::ContactAttributes, Kind::CompanyAttributes];
    if !matches!(purpose, Purpose::Recheck) && attributes.iter().any(|k| kinds.contains(k)) {
        kinds.extend(attributes);
    }
    let exceptions = match purpose {
        Purpose::Plan(desired) => desired.office_hours.iter().any(|o| o.exceptions.is_some()),
        Purpose::Recheck | Purpose::Everything => true,
    };
    Scope {
        office_hours_exceptions: exceptions && kinds.contains(&Kind::OfficeHours),
        team_names: matches!(purpose, Purpose::Everything)
            || kinds.contains(&Kind::ConversationAttributes),
        kinds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_sources;

    fn desired(yaml: &str) -> Desired {
        match load_sources(vec![("t.yaml".into(), yaml.as_bytes().to_vec())]) {
            Ok(l) => l.desired,
            Err(e) => panic!("{:#?}", e.diagnostics),
        }
    }

    fn kinds(scope: &Scope) -> Vec<Kind> {
        scope.kinds.iter().copied().collect()
    }

    const HOURS: &str = "office_hours:\n  - name: Support\n    time_zone: Europe/Dublin\n    hours:\n      mon-fri: [\"09:00-17:00\"]\n";

    #[test]
    fn a_plan_reads_its_kinds_both_attribute_kinds_and_declared_exceptions_only() {
        let d = desired(&format!(
            "data_attributes:\n  contact:\n    - {{name: plan, type: string}}\n{HOURS}"
        ));
        let s = scope(
            Selection::parse(&ScopeArgs::default()).unwrap().kinds(&d),
            Purpose::Plan(&d),
        );
        assert_eq!(
            kinds(&s),
            [
                Kind::ContactAttributes,
                Kind::CompanyAttributes,
                Kind::OfficeHours
            ]
        );
        assert!(!s.office_hours_exceptions && !s.team_names);

        let d = desired(&format!(
            "{HOURS}    exceptions:\n      - {{date: 2026-12-25, closed: true}}\nconversation_attributes:\n  - {{name: Reason, type: string}}\n"
        ));
        let s = scope(
            Selection::parse(&ScopeArgs::default()).unwrap().kinds(&d),
            Purpose::Plan(&d),
        );
        assert!(s.office_hours_exceptions && s.team_names);
    }

    #[test]
    fn only_narrows_a_plan_and_prune_widens_it() {
        let d = desired("tags:\n  - name: VIP\n");
        let args = ScopeArgs {
            only: vec!["tags".into(), "audiences".into()],
            prune: vec!["audiences".into(), "office_hours".into()],
        };
        let selection = Selection::parse(&args).unwrap();
        assert_eq!(
            kinds(&scope(selection.kinds(&d), Purpose::Plan(&d))),
            [Kind::Tags, Kind::Audiences]
        );
        let refused = ScopeArgs {
            prune: vec!["segments".into()],
            ..ScopeArgs::default()
        };
        assert!(Selection::parse(&refused).is_err());
    }

    #[test]
    fn a_recheck_reads_exactly_the_changed_kinds() {
        let s = scope(
            [Kind::ContactAttributes, Kind::OfficeHours],
            Purpose::Recheck,
        );
        assert_eq!(kinds(&s), [Kind::ContactAttributes, Kind::OfficeHours]);
        assert!(s.office_hours_exceptions && !s.team_names);
    }

    #[test]
    fn everything_is_every_readable_kind_with_exceptions_and_team_names() {
        let s = scope(Kind::ALL, Purpose::Everything);
        let mut all = Scope::all();
        all.kinds.remove(&Kind::Events);
        assert_eq!(s, all);
        let s = scope([Kind::CompanyAttributes, Kind::Events], Purpose::Everything);
        assert_eq!(
            kinds(&s),
            [Kind::ContactAttributes, Kind::CompanyAttributes]
        );
        assert!(s.team_names);
    }
}
