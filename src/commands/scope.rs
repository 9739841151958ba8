//! What a command reads from the workspace: `--only` and `--prune` parsed into a plan filter,
//! and the kinds a command is about turned into the `Scope` to fetch (by the kinds registry).

use std::collections::BTreeSet;

use anyhow::bail;

use crate::cli::ScopeArgs;
use crate::config::Desired;
use crate::kinds::{self, Scope};
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
                    "--prune {k}: {reason}\n  help: prunable kinds: {}",
                    kinds::prunable()
                );
            }
            prune.push(k);
        }
        Ok(Selection { filter, prune })
    }

    /// The kinds a plan of `desired` is about: declared and pruned ones (with `--prune`),
    /// narrowed by `--only`.
    pub(super) fn kinds(&self, desired: &Desired) -> BTreeSet<Kind> {
        let mut kinds: BTreeSet<Kind> = kinds::declared_kinds(desired).into_iter().collect();
        kinds.extend(desired.prune.iter().map(|p| p.value));
        kinds.extend(self.prune.iter().copied());
        kinds.retain(|k| self.filter.touches(*k));
        kinds
    }
}

/// The scope to fetch for `kinds`, through the kinds registry: what planning `desired` needs
/// (`Some`), or everything the kinds can hold (`None`: re-checking a saved plan, export, drift).
pub(super) fn scope(kinds: impl IntoIterator<Item = Kind>, desired: Option<&Desired>) -> Scope {
    crate::kinds::scope_of(kinds, desired)
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
            Some(&d),
        );
        assert_eq!(
            kinds(&s),
            [
                Kind::ContactAttributes,
                Kind::CompanyAttributes,
                Kind::OfficeHours
            ]
        );
        assert!(!s.office_hours_exceptions && s.also.is_empty());

        let d = desired(&format!(
            "{HOURS}    exceptions:\n      - {{date: 2026-12-25, closed: true}}\nconversation_attributes:\n  - {{name: Reason, type: string}}\n"
        ));
        let s = scope(
            Selection::parse(&ScopeArgs::default()).unwrap().kinds(&d),
            Some(&d),
        );
        assert!(s.office_hours_exceptions && s.also.contains(&Kind::Teams));
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
            kinds(&scope(selection.kinds(&d), Some(&d))),
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
        let s = scope([Kind::ContactAttributes, Kind::OfficeHours], None);
        assert_eq!(kinds(&s), [Kind::ContactAttributes, Kind::OfficeHours]);
        assert!(s.office_hours_exceptions && s.also.is_empty());
    }

    #[test]
    fn everything_is_every_readable_kind_with_exceptions_and_team_names() {
        let s = scope(Kind::ALL, None);
        let mut all = Scope::all();
        all.kinds.remove(&Kind::Events);
        assert_eq!(s.kinds, all.kinds);
        assert!(s.office_hours_exceptions && s.also.contains(&Kind::Teams));
        let s = scope([Kind::CompanyAttributes, Kind::Events], None);
        assert_eq!(kinds(&s), [Kind::CompanyAttributes]);
    }
}
