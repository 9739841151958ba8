//! The plan as people read it, terraform-style: one block per changed object, only changed
//! fields, then manual steps, warnings and one summary line.

use std::fmt::Write as _;

use serde_json::Value;

use super::line_diff::{DiffLine, line_diff};
use super::summary_line;
use crate::model::Kind;
use crate::output::{Style, paint};
use crate::plan::{Action, Change, FieldChange, Plan};

/// A value as a reviewer reads it: JSON with a space after `,` and `:`.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!(
                    "{}: {}",
                    serde_json::to_string(k).unwrap_or_default(),
                    value_text(v)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn is_multiline(v: &Option<Value>) -> bool {
    v.as_ref()
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains('\n'))
}

fn render_field(out: &mut String, f: &FieldChange, width: usize, color: bool) {
    let pad = width.saturating_sub(f.name.chars().count());
    let name = format!("{}{}", f.name, " ".repeat(pad));
    match (&f.old, &f.new) {
        (Some(Value::Array(old)), Some(Value::Array(new)))
            if f.name != "predicates" && f.name != "role_predicates" =>
        {
            let _ = writeln!(out, "      {} {}", paint(color, Style::Yellow, "~"), f.name);
            for v in new.iter().filter(|v| !old.contains(v)) {
                let _ = writeln!(
                    out,
                    "          {} {}",
                    paint(color, Style::Green, "+"),
                    value_text(v)
                );
            }
            for v in old.iter().filter(|v| !new.contains(v)) {
                let _ = writeln!(
                    out,
                    "          {} {}",
                    paint(color, Style::Red, "-"),
                    value_text(v)
                );
            }
            if old.iter().all(|v| new.contains(v)) && new.iter().all(|v| old.contains(v)) {
                let _ = writeln!(
                    out,
                    "          # order: {} -> {}",
                    Value::Array(old.clone()),
                    Value::Array(new.clone())
                );
            }
        }
        (old, new) if is_multiline(old) || is_multiline(new) => {
            let (symbol, style) = match (old, new) {
                (None, _) => ("+", Style::Green),
                (_, None) => ("-", Style::Red),
                _ => ("~", Style::Yellow),
            };
            let _ = writeln!(out, "      {} {}", paint(color, style, symbol), f.name);
            let a = old.as_ref().and_then(Value::as_str).unwrap_or_default();
            let b = new.as_ref().and_then(Value::as_str).unwrap_or_default();
            for line in line_diff(a, b) {
                let _ = match line {
                    DiffLine::Removed(l) => {
                        writeln!(out, "          {} {l}", paint(color, Style::Red, "-"))
                    }
                    DiffLine::Added(l) => {
                        writeln!(out, "          {} {l}", paint(color, Style::Green, "+"))
                    }
                    DiffLine::Same(l) => writeln!(out, "            {l}"),
                    DiffLine::Skipped => writeln!(out, "            …"),
                };
            }
        }
        (None, Some(new)) => {
            let _ = writeln!(
                out,
                "      {} {name} = {}",
                paint(color, Style::Green, "+"),
                value_text(new)
            );
        }
        (Some(old), None) => {
            let _ = writeln!(
                out,
                "      {} {name} = {}",
                paint(color, Style::Red, "-"),
                value_text(old)
            );
        }
        (Some(old), Some(new)) => {
            let _ = writeln!(
                out,
                "      {} {name} = {} -> {}",
                paint(color, Style::Yellow, "~"),
                value_text(old),
                value_text(new)
            );
        }
        (None, None) => {}
    }
}

fn render_change(out: &mut String, c: &Change, color: bool) {
    let style = match c.action {
        Action::Create => Style::Green,
        Action::Update | Action::Rename => Style::Yellow,
        Action::Archive | Action::Delete => Style::Red,
    };
    let note = match (c.action, &c.renamed_from) {
        (Action::Archive, _) => "  # will be archived".to_string(),
        (Action::Rename, Some(old)) => format!(
            "  # renamed from {}",
            serde_json::to_string(old).unwrap_or_default()
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  {} {}{note}",
        paint(color, style, c.action.symbol()),
        paint(color, Style::Bold, &c.address.to_string())
    );
    let width = c
        .fields
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(0);
    for f in &c.fields {
        if c.action == Action::Rename && f.name == "name" {
            continue;
        }
        render_field(out, f, width, color);
    }
}

/// Renders the plan as text.
pub fn render_text(plan: &Plan, color: bool) -> String {
    render_text_with(plan, color, &|_| Vec::new())
}

/// Renders the plan as text, printing `trailer(kind)`'s lines under each kind's last change
/// (drift's recent activity of that kind).
pub fn render_text_with(plan: &Plan, color: bool, trailer: &dyn Fn(Kind) -> Vec<String>) -> String {
    let mut out = String::new();
    let last: std::collections::HashMap<Kind, usize> = plan
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.address.kind, i))
        .collect();
    for (i, c) in plan.changes.iter().enumerate() {
        render_change(&mut out, c, color);
        let kind = c.address.kind;
        if last.get(&kind) == Some(&i) {
            for line in trailer(kind) {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    if !plan.manual_steps.is_empty() {
        if !plan.changes.is_empty() {
            out.push('\n');
        }
        out.push_str(
            "Manual steps (the Intercom API cannot do these; apply never attempts them):\n",
        );
        for m in &plan.manual_steps {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                paint(color, Style::Cyan, "!"),
                paint(color, Style::Bold, &m.address.to_string()),
                m.message
            );
            if let Some(h) = &m.help {
                let _ = writeln!(out, "      {h}");
            }
        }
    }
    if !plan.warnings.is_empty() {
        out.push('\n');
        for w in &plan.warnings {
            let _ = writeln!(
                out,
                "{}: {}: {}",
                paint(color, Style::Yellow, "Warning"),
                w.address,
                w.message
            );
        }
    }
    if !plan.notes.is_empty() {
        out.push('\n');
        for n in &plan.notes {
            let _ = writeln!(out, "Note: {}: {}", n.address, n.message);
        }
    }
    if !plan.contract.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "Event contract ({} declared events; documentation only, never applied):",
            plan.contract.len()
        );
        for e in &plan.contract {
            let keys: Vec<String> = e
                .metadata
                .iter()
                .map(|(k, t)| {
                    if e.required.contains(k) {
                        format!("{k}: {t}*")
                    } else {
                        format!("{k}: {t}")
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "  = event[{}] {{{}}}",
                serde_json::to_string(&e.name).unwrap_or_default(),
                keys.join(", ")
            );
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", paint(color, Style::Bold, &summary_line(plan)));
    if !plan.is_empty() {
        let _ = writeln!(out, "Digest: {}", plan.digest());
    }
    out
}
