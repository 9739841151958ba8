//! Events: Intercom has no API for event definitions, so the declared events are the
//! tracking-plan contract that plans list, never changes; nothing is read or written.

pub mod section;

use std::collections::{HashMap, HashSet};

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
            check_constraints(d, e, key, m, out);
            if let Some(w) = looks_like_pii(key) {
                out.push(Diagnostic::warning(&file, pos, format!("metadata key `{key}` looks like sensitive personal data (`{w}`)"))
                    .with_help("Intercom must not store secrets or regulated identifiers; keep them out of events"));
            }
        }
    }
}

/// The declarations of `enum`, `pattern`, `min` and `max` on one metadata key: each on the
/// type it applies to, and consistent with each other.
fn check_constraints(
    d: &Desired,
    e: &Located<section::Event>,
    key: &str,
    m: &section::Metadata,
    out: &mut Vec<Diagnostic>,
) {
    let at = |field: &str| format!("/metadata/{}/{field}", pointer_escape(key));
    let type_name = serde_json::to_value(m.value_type)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let string_only = [
        ("enum", m.allowed.is_some()),
        ("pattern", m.pattern.is_some()),
    ];
    for (field, set) in string_only {
        if set && m.value_type != MetadataType::String {
            out.push(
                d.error_at(&e.origin, &at(field), format!("metadata key `{key}` has `{field}` but type `{type_name}`; `{field}` applies to `string` keys"))
                    .with_help(format!("remove `{field}`, or make the key `type: string`")),
            );
        }
    }
    for (field, set) in [("min", m.min.is_some()), ("max", m.max.is_some())] {
        if set && m.value_type != MetadataType::Number {
            out.push(
                d.error_at(&e.origin, &at(field), format!("metadata key `{key}` has `{field}` but type `{type_name}`; `{field}` applies to `number` keys"))
                    .with_help(format!("remove `{field}`, or make the key `type: number`")),
            );
        }
    }
    if let (Some(min), Some(max)) = (m.min, m.max)
        && min > max
    {
        out.push(
            d.error_at(&e.origin, &at("min"), format!("metadata key `{key}` has `min` {min} greater than `max` {max}; no value can pass"))
                .with_help("swap them, or fix the one that is wrong"),
        );
    }
    let pattern = match m.pattern.as_deref().map(regex::Regex::new) {
        Some(Err(err)) => {
            let detail = err
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            out.push(
                d.error_at(&e.origin, &at("pattern"), format!("metadata key `{key}` has an invalid `pattern`: {detail}"))
                    .with_help("write a regular expression of Rust's `regex` syntax (no look-around or back-references)"),
            );
            None
        }
        Some(Ok(r)) => Some(r),
        None => None,
    };
    let mut seen = HashSet::new();
    for (i, value) in m.allowed.iter().flatten().enumerate() {
        let sub = format!("{}/{i}", at("enum"));
        if !seen.insert(value.as_str()) {
            out.push(
                d.error_at(
                    &e.origin,
                    &sub,
                    format!("metadata key `{key}` lists the `enum` value {value:?} twice"),
                )
                .with_help("remove the repeated value"),
            );
        }
        let n = value.chars().count();
        if n > crate::events::check::MAX_STRING_CHARS {
            out.push(d.error_at(&e.origin, &sub, format!("metadata key `{key}` has an `enum` value of {n} characters; Intercom keeps at most {}", crate::events::check::MAX_STRING_CHARS)).with_help("shorten the value"));
        }
        if let Some(p) = &pattern
            && !p.is_match(value)
        {
            out.push(d.error_at(&e.origin, &sub, format!("metadata key `{key}` has the `enum` value {value:?}, which its `pattern` does not match; no event could send it")).with_help("fix the value or the pattern"));
        }
    }
}

/// A key as one JSON pointer segment.
fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The declared events.
pub fn declared(desired: &Desired) -> &[Located<section::Event>] {
    desired.declarations(Kind::Events)
}
