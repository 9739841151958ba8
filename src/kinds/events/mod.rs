//! Events: Intercom has no API for event definitions, so the declared events are the
//! tracking-plan contract that plans list, never changes; nothing is read or written.

pub mod section;

use std::collections::HashMap;

use indexmap::IndexMap;

use super::KindSpec;
use super::checks::looks_like_pii;
use super::engine::PlanCtx;
use super::list_kind;
use crate::config::{Desired, Diagnostic, Located};
use crate::model::change::EventContract;
use crate::model::{Address, Kind};
use section::MetadataType;

/// Event definitions.
pub struct Events;

impl KindSpec for Events {
    list_kind!(
        kind: Kind::Events, decl: section::Event, check: check_events,
        section: "Event definitions: the tracking plan that `events validate` and `events send` enforce.\nIntercom has no API for event definitions, so plans list them as a contract, never as\nchanges.",
    );

    fn readable(&self) -> bool {
        false
    }
}

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    for e in declared(ctx.d) {
        if !ctx.filter.includes(&Address::new(kind, e.name.clone())) {
            continue;
        }
        let mut metadata = IndexMap::new();
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

/// Intercom's cap on active event names per workspace.
pub const MAX_EVENTS: usize = 120;
/// Intercom keeps at most this many metadata keys per event.
pub const MAX_METADATA_KEYS: usize = 10;

/// Characters Intercom does not accept in metadata keys.
const BAD_KEY_CHARS: &str = ".$~`!@#%^&*'{}|\\\"\0";

fn check_events(d: &Desired, out: &mut Vec<Diagnostic>) {
    if declared(d).len() > MAX_EVENTS {
        let e = &declared(d)[MAX_EVENTS];
        out.push(
            d.error_at(&e.origin, "", format!("{} events are declared; Intercom keeps at most {MAX_EVENTS} active event names", declared(d).len()))
                .with_help("remove events you no longer send (archive them in Intercom)"),
        );
    }
    for e in declared(d) {
        let Some(metadata) = &e.metadata else {
            continue;
        };
        if metadata.len() > MAX_METADATA_KEYS {
            let eleventh = metadata
                .keys()
                .nth(MAX_METADATA_KEYS)
                .map(String::as_str)
                .unwrap_or_default();
            let (file, pos) = d.locate_key(&e.origin, "/metadata", eleventh);
            out.push(
                Diagnostic::error(&file, pos, format!("event `{}` declares {} metadata keys; Intercom keeps at most {MAX_METADATA_KEYS}", e.name, metadata.len()))
                    .with_help("Intercom silently drops keys past the tenth; send fewer keys or split the event"),
            );
        }
        let mut lower: HashMap<String, &str> = HashMap::new();
        for (key, m) in metadata {
            let (file, pos) = d.locate_key(&e.origin, "/metadata", key);
            let err = |msg: String| Diagnostic::error(&file, pos, msg);
            if key.is_empty() {
                out.push(err("a metadata key must not be empty".into()));
                continue;
            }
            if let Some(c) = key
                .chars()
                .find(|c| BAD_KEY_CHARS.contains(*c) || c.is_control())
            {
                out.push(
                    err(format!(
                        "metadata key `{key}` contains `{}`, which Intercom does not accept",
                        c.escape_default()
                    ))
                    .with_help("use letters, digits, `_` and `-`"),
                );
            }
            if let Some(prev) = lower.insert(key.to_lowercase(), key) {
                out.push(err(format!("metadata keys `{prev}` and `{key}` differ only in case; Intercom treats them as one")));
            }
            let ends_date = key.to_lowercase().ends_with("_date");
            if m.value_type == MetadataType::Date && !ends_date {
                out.push(
                    err(format!(
                        "metadata key `{key}` has type `date` but does not end in `_date`"
                    ))
                    .with_help(format!(
                        "Intercom detects dates by the suffix: rename it to `{key}_date`"
                    )),
                );
            } else if ends_date && m.value_type != MetadataType::Date {
                out.push(err(format!("metadata key `{key}` ends in `_date` but has type `{}`", serde_json::to_value(m.value_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()))
                    .with_help("Intercom stores every `*_date` key as a date: use `type: date`, or rename the key"));
            }
            if let Some(w) = looks_like_pii(key) {
                out.push(Diagnostic::warning(&file, pos, format!("metadata key `{key}` looks like sensitive personal data (`{w}`)"))
                    .with_help("Intercom must not store secrets or regulated identifiers; keep them out of events"));
            }
        }
    }
}

/// The declared events.
pub fn declared(desired: &Desired) -> &[Located<section::Event>] {
    desired.declarations(Kind::Events)
}
