//! Computes the plan: builds the ignore patterns and prune set once, lets every registered
//! kind plan its objects, then orders the result. The per-kind work lives in `crate::kinds`.

use std::collections::BTreeMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::{Change, Plan, PlanErrors};
use crate::config::Desired;
use crate::kinds::{self, PlanCtx};
use crate::model::{Address, Filter, Kind, Live};

/// The ignore patterns of a configuration, compiled per kind (case-insensitive globs).
pub fn ignore_sets(desired: &Desired) -> BTreeMap<Kind, GlobSet> {
    let mut ignore: BTreeMap<Kind, GlobSetBuilder> = BTreeMap::new();
    for ig in &desired.ignore {
        let (kind, pattern) = &ig.value;
        if let Ok(g) = GlobBuilder::new(pattern).case_insensitive(true).build() {
            ignore
                .entry(*kind)
                .or_insert_with(GlobSetBuilder::new)
                .add(g);
        }
    }
    ignore
        .into_iter()
        .filter_map(|(k, b)| b.build().ok().map(|s| (k, s)))
        .collect()
}

/// Computes the plan. `extra_prune` adds kinds to prune (`--prune KIND`).
pub fn diff(
    desired: &Desired,
    live: &Live,
    filter: &Filter,
    extra_prune: &[Kind],
) -> Result<Plan, PlanErrors> {
    let ignore = ignore_sets(desired);
    let mut ctx = PlanCtx {
        d: desired,
        live,
        filter,
        prune: desired
            .prune
            .iter()
            .map(|p| p.value)
            .chain(extra_prune.iter().copied())
            .filter(|k| k.is_prunable())
            .collect(),
        ignore: &ignore,
        plan: Plan::default(),
        errors: Vec::new(),
    };
    for spec in kinds::REGISTRY {
        spec.plan(&mut ctx);
    }
    if !ctx.errors.is_empty() {
        return Err(PlanErrors {
            diagnostics: ctx.errors,
        });
    }
    let mut plan = ctx.plan;
    // Counts for the safety thresholds, the same whether the plan is fresh or saved.
    plan.live_counts = live_counts(live);
    plan.changes.sort_by(|a, b| {
        order(&a.address)
            .cmp(&order(&b.address))
            .then(a.action.cmp(&b.action))
    });
    plan.manual_steps.sort_by(|a, b| {
        order(&a.address)
            .cmp(&order(&b.address))
            .then(a.message.cmp(&b.message))
    });
    plan.warnings.sort_by_key(|w| order(&w.address));
    plan.notes.sort_by_key(|n| order(&n.address));
    Ok(plan)
}

/// Display order: kind, then name as people sort it (case-insensitively), then exact name.
fn order(a: &Address) -> (Kind, String, String) {
    (a.kind, a.key.to_lowercase(), a.key.clone())
}

/// The fingerprint that a change's object has in `live` now: what `apply PLANFILE` compares
/// with the fingerprint saved in the plan. Creates check that the name is still free.
pub fn current_fingerprint(live: &Live, change: &Change) -> String {
    kinds::spec(change.address.kind).current_fingerprint(live, change)
}

/// Live object counts per kind (managed objects: custom, non-archived attributes; everything
/// else as listed), for the safety thresholds.
pub fn live_counts(live: &Live) -> BTreeMap<Kind, usize> {
    kinds::all()
        .filter_map(|(k, s)| s.live_count(live, k).map(|n| (k, n)))
        .collect()
}
