//! Breaking-change review of the events contract: the declared events of a base configuration
//! (a pull request's base checkout) against the current ones. A change that can make an event
//! a producer sends today invalid is breaking (an event or key removed, a key added as or made
//! required, a type changed, a value range narrowed); the rest is compatible.

use std::fmt::Write as _;

use crate::kinds::events::section::{Event as EventDefinition, Metadata, MetadataType};

/// One difference between the base and the current contract.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContractChange {
    /// Whether producers valid against the base may now fail.
    pub breaking: bool,
    /// The event, as an address: `event["name"]`.
    pub address: String,
    /// What changed.
    pub message: String,
}

/// The differences, breaking ones first, each group in event order.
pub fn compare(base: &[&EventDefinition], head: &[&EventDefinition]) -> Vec<ContractChange> {
    let mut out = Vec::new();
    for b in base {
        let address = address(&b.name);
        let mut push = |breaking: bool, message: String| {
            out.push(ContractChange {
                breaking,
                address: address.clone(),
                message,
            })
        };
        let Some(h) = head.iter().find(|h| h.name == b.name) else {
            push(
                true,
                "event removed: producers that still send it fail validation".into(),
            );
            continue;
        };
        if b.deprecated.is_none()
            && let Some(reason) = &h.deprecated
        {
            push(false, format!("event deprecated: {reason}"));
        }
        let empty = indexmap::IndexMap::new();
        let bm = b.metadata.as_ref().unwrap_or(&empty);
        let hm = h.metadata.as_ref().unwrap_or(&empty);
        for (key, bk) in bm {
            match hm.get(key) {
                None => push(
                    true,
                    format!("metadata key `{key}` removed: events that send it fail validation"),
                ),
                Some(hk) => compare_key(key, bk, hk, &mut push),
            }
        }
        for (key, hk) in hm {
            if !bm.contains_key(key) {
                if hk.required == Some(true) {
                    push(true, format!("metadata key `{key}` added as required"));
                } else {
                    push(false, format!("metadata key `{key}` added"));
                }
            }
        }
    }
    for h in head {
        if !base.iter().any(|b| b.name == h.name) {
            out.push(ContractChange {
                breaking: false,
                address: address(&h.name),
                message: "event added".into(),
            });
        }
    }
    out.sort_by_key(|c| !c.breaking);
    out
}

fn compare_key(key: &str, b: &Metadata, h: &Metadata, push: &mut impl FnMut(bool, String)) {
    let name = |t: MetadataType| {
        serde_json::to_value(t)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    if b.value_type != h.value_type {
        // Every link is a string; every other change refuses values the base accepted.
        let widened = b.value_type == MetadataType::Link && h.value_type == MetadataType::String;
        push(
            !widened,
            format!(
                "metadata key `{key}` type {} -> {}",
                name(b.value_type),
                name(h.value_type)
            ),
        );
    }
    match (b.required == Some(true), h.required == Some(true)) {
        (false, true) => push(true, format!("metadata key `{key}` made required")),
        (true, false) => push(false, format!("metadata key `{key}` made optional")),
        _ => {}
    }
    match (&b.allowed, &h.allowed) {
        (None, Some(values)) => push(
            true,
            format!(
                "metadata key `{key}` limited to the enum [{}]",
                values.join(", ")
            ),
        ),
        (Some(_), None) => push(false, format!("metadata key `{key}` enum removed")),
        (Some(bv), Some(hv)) => {
            let removed: Vec<&str> = bv
                .iter()
                .filter(|v| !hv.contains(v))
                .map(String::as_str)
                .collect();
            let added: Vec<&str> = hv
                .iter()
                .filter(|v| !bv.contains(v))
                .map(String::as_str)
                .collect();
            if !removed.is_empty() {
                push(
                    true,
                    format!(
                        "metadata key `{key}` enum value(s) removed: {}",
                        removed.join(", ")
                    ),
                );
            }
            if !added.is_empty() {
                push(
                    false,
                    format!(
                        "metadata key `{key}` enum value(s) added: {}",
                        added.join(", ")
                    ),
                );
            }
        }
        (None, None) => {}
    }
    if b.pattern != h.pattern {
        match &h.pattern {
            Some(p) => push(true, format!("metadata key `{key}` pattern set to {p:?}")),
            None => push(false, format!("metadata key `{key}` pattern removed")),
        }
    }
    let narrowed =
        |old: Option<f64>, new: Option<f64>, tighter: fn(f64, f64) -> bool| match (old, new) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(o), Some(n)) => tighter(o, n),
        };
    if b.min != h.min {
        let breaking = narrowed(b.min, h.min, |o, n| n > o);
        push(
            breaking,
            format!(
                "metadata key `{key}` min {} -> {}",
                show(b.min),
                show(h.min)
            ),
        );
    }
    if b.max != h.max {
        let breaking = narrowed(b.max, h.max, |o, n| n < o);
        push(
            breaking,
            format!(
                "metadata key `{key}` max {} -> {}",
                show(b.max),
                show(h.max)
            ),
        );
    }
    if b.deprecated.is_none()
        && let Some(reason) = &h.deprecated
    {
        push(false, format!("metadata key `{key}` deprecated: {reason}"));
    }
}

fn show(n: Option<f64>) -> String {
    n.map_or_else(|| "none".to_string(), |n| n.to_string())
}

fn address(name: &str) -> String {
    format!("event[{}]", serde_json::to_string(name).unwrap_or_default())
}

/// The review as text, for the top of a text plan; empty without changes.
pub fn render_text(changes: &[ContractChange], base: &str) -> String {
    if changes.is_empty() {
        return format!("Events contract: no changes against {base}.\n\n");
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut out = format!(
        "Events contract against {base}: {breaking} breaking, {} compatible change(s):\n",
        changes.len() - breaking
    );
    for c in changes {
        let tag = if c.breaking {
            "BREAKING  "
        } else {
            "compatible"
        };
        let _ = writeln!(out, "  {tag} {}: {}", c.address, c.message);
    }
    out.push('\n');
    out
}

/// The review as a markdown section, for the top of a markdown plan.
pub fn render_markdown(changes: &[ContractChange], base: &str) -> String {
    if changes.is_empty() {
        return format!("Events contract: no changes against `{base}`.\n\n");
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut out = format!(
        "#### Events contract: {breaking} breaking, {} compatible change(s) against `{base}`\n\n",
        changes.len() - breaking
    );
    for c in changes {
        let tag = if c.breaking {
            "**breaking**"
        } else {
            "compatible"
        };
        let _ = writeln!(
            out,
            "- {tag}: `{}` {}",
            c.address,
            c.message.replace('|', "\\|")
        );
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(v: serde_json::Value) -> Vec<EventDefinition> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn breaking_changes_come_first() {
        let base = events(serde_json::json!([
            {"name": "gone"},
            {"name": "paid", "metadata": {
                "plan": {"type": "string", "enum": ["free", "pro"]},
                "seats": {"type": "number", "min": 1},
                "url": {"type": "link"},
                "note": {"type": "string"},
                "old": {"type": "string"}
            }}
        ]));
        let head = events(serde_json::json!([
            {"name": "paid", "metadata": {
                "plan": {"type": "string", "enum": ["pro", "team"], "required": true},
                "seats": {"type": "number", "min": 0, "max": 10},
                "url": {"type": "string"},
                "note": {"type": "number"},
                "extra": {"type": "string"}
            }},
            {"name": "new"}
        ]));
        let b: Vec<&EventDefinition> = base.iter().collect();
        let h: Vec<&EventDefinition> = head.iter().collect();
        let got: Vec<String> = compare(&b, &h)
            .iter()
            .map(|c| format!("{} {} {}", c.breaking, c.address, c.message))
            .collect();
        assert_eq!(
            got,
            [
                "true event[\"gone\"] event removed: producers that still send it fail validation",
                "true event[\"paid\"] metadata key `plan` made required",
                "true event[\"paid\"] metadata key `plan` enum value(s) removed: free",
                "true event[\"paid\"] metadata key `seats` max none -> 10",
                "true event[\"paid\"] metadata key `note` type string -> number",
                "true event[\"paid\"] metadata key `old` removed: events that send it fail validation",
                "false event[\"paid\"] metadata key `plan` enum value(s) added: team",
                "false event[\"paid\"] metadata key `seats` min 1 -> 0",
                "false event[\"paid\"] metadata key `url` type link -> string",
                "false event[\"paid\"] metadata key `extra` added",
                "false event[\"new\"] event added",
            ]
        );
        assert!(compare(&b, &b).is_empty());
    }
}
