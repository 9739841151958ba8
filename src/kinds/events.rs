//! Events: Intercom has no API for event definitions, so the declared events are the
//! tracking-plan contract that plans list, never changes; nothing is read or written.

use std::collections::BTreeMap;

use super::KindSpec;
use super::engine::PlanCtx;
use crate::config::Desired;
use crate::model::change::EventContract;
use crate::model::{Address, Kind, Live};

/// Event definitions.
pub struct Events;

impl KindSpec for Events {
    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Events]
    }

    fn declared(&self, desired: &Desired, _kind: Kind) -> usize {
        desired.events.len()
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        plan_kind(ctx);
    }

    fn live_count(&self, _live: &Live, _kind: Kind) -> Option<usize> {
        None
    }

    fn export_file(&self) -> (&'static str, String) {
        ("events.yaml", "events".into())
    }

    fn readable(&self) -> bool {
        false
    }
}

fn plan_kind(ctx: &mut PlanCtx<'_>) {
    if !ctx.filter.touches(Kind::Events) {
        return;
    }
    for e in &ctx.d.events {
        if !ctx
            .filter
            .includes(&Address::new(Kind::Events, e.name.clone()))
        {
            continue;
        }
        let mut metadata = BTreeMap::new();
        let mut required = Vec::new();
        for (k, m) in e.metadata.iter().flatten() {
            let t = serde_json::to_value(m.value_type)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            metadata.insert(k.clone(), t);
            if m.required == Some(true) {
                required.push(k.clone());
            }
        }
        ctx.plan.contract.push(EventContract {
            name: e.name.clone(),
            metadata,
            required,
        });
    }
}
