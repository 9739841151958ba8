//! An environment's overlay as `export --env NAME` writes it: what the environment's workspace
//! has that differs from the base configuration. Objects the base does not declare are added
//! (in their section), objects the workspace lacks are removed (`remove:`), and the fields that
//! differ are overridden by address (`override:`). Fields the export does not write are left
//! alone: an overlay never unsets what the base manages.

use serde_json::{Map, Value};

use super::Desired;
use super::environments::{OVERRIDE, REMOVE};
use crate::model::Address;

/// The overlay that turns `base` into `live` (both read as configurations), as a document.
pub fn overlay(base: &Desired, live: &Desired) -> Map<String, Value> {
    let mut doc = Map::new();
    let mut overrides = Map::new();
    let mut removals = Vec::new();
    for spec in crate::kinds::REGISTRY {
        for &kind in spec.kinds() {
            let fold = |s: &str| {
                if kind.case_insensitive_names() {
                    s.to_lowercase()
                } else {
                    s.to_string()
                }
            };
            let ours = spec.entries(base, kind);
            let theirs = spec.entries(live, kind);
            for entry in &theirs {
                let value = value_at(live, entry.origin);
                match ours.iter().find(|b| fold(b.name) == fold(entry.name)) {
                    None => add(&mut doc, &entry.origin.pointer, value),
                    Some(b) => {
                        let before = value_at(base, b.origin);
                        let changed = changed_fields(&before, &value);
                        if !changed.is_empty() {
                            let address = Address::new(kind, b.name).to_string();
                            overrides.insert(address, Value::Object(changed));
                        }
                    }
                }
            }
            for b in &ours {
                if !theirs.iter().any(|t| fold(t.name) == fold(b.name)) {
                    removals.push(Value::String(Address::new(kind, b.name).to_string()));
                }
            }
        }
    }
    let workspace = workspace_changes(base, live);
    if !workspace.is_empty() {
        doc.insert("workspace".into(), Value::Object(workspace));
    }
    if !overrides.is_empty() {
        doc.insert(OVERRIDE.into(), Value::Object(overrides));
    }
    if !removals.is_empty() {
        doc.insert(REMOVE.into(), Value::Array(removals));
    }
    doc
}

/// The overlay as YAML (`{}` when nothing differs).
pub fn to_yaml(doc: &Map<String, Value>) -> String {
    if doc.is_empty() {
        return "{}\n".to_string();
    }
    let text = serde_saphyr::to_string(doc).unwrap_or_default();
    text.strip_prefix("---\n").unwrap_or(&text).to_string()
}

fn value_at(d: &Desired, origin: &super::Origin) -> Value {
    d.files
        .get(origin.file)
        .map_or(Value::Null, |f| f.root.locate(&origin.pointer).to_json())
}

/// The fields of `after` that `before` does not have or has with another value.
fn changed_fields(before: &Value, after: &Value) -> Map<String, Value> {
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return Map::new();
    };
    after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Appends `value` to the list that holds `pointer` in the export, creating the path.
fn add(doc: &mut Map<String, Value>, pointer: &str, value: Value) {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((_, parents)) = segments.split_last() else {
        return;
    };
    let Some((first, rest)) = parents.split_first() else {
        return;
    };
    let mut slot = doc.entry(first.clone()).or_insert_with(|| {
        if rest.is_empty() {
            Value::Array(Vec::new())
        } else {
            Value::Object(Map::new())
        }
    });
    for (i, seg) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let Value::Object(map) = slot else {
            return;
        };
        slot = map.entry(seg.clone()).or_insert_with(|| {
            if last {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        });
    }
    if let Value::Array(items) = slot {
        items.push(value);
    }
}

/// The workspace settings (allowlist, identity verification) that differ.
fn workspace_changes(base: &Desired, live: &Desired) -> Map<String, Value> {
    let mut out = Map::new();
    let json = |v: &Option<super::Located<super::types::IpAllowlist>>| {
        v.as_ref().and_then(|l| serde_json::to_value(&l.value).ok())
    };
    let (ours, theirs) = (
        json(&base.workspace.ip_allowlist),
        json(&live.workspace.ip_allowlist),
    );
    if let Some(theirs) = theirs
        && ours.as_ref() != Some(&theirs)
    {
        out.insert("ip_allowlist".into(), theirs);
    }
    let flag = |v: &Option<super::Located<bool>>| v.as_ref().map(|l| l.value);
    if let Some(theirs) = flag(&live.workspace.require_identity_verification)
        && flag(&base.workspace.require_identity_verification) != Some(theirs)
    {
        out.insert("require_identity_verification".into(), Value::Bool(theirs));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load_sources;

    fn desired(yaml: &str) -> Desired {
        load_sources(vec![("c.yaml".into(), yaml.as_bytes().to_vec())])
            .unwrap()
            .desired
    }

    #[test]
    fn additions_removals_and_changed_fields() {
        let base = desired(
            "tags:\n  - name: VIP\n  - name: Beta\nteams:\n  - name: Support\n    members: [a@x.io]\ndata_attributes:\n  contact:\n    - {name: plan, type: string}\n",
        );
        let live = desired(
            "tags:\n  - name: vip\n  - name: Only here\nteams:\n  - name: Support\n    members: [b@x.io]\ndata_attributes:\n  contact:\n    - {name: plan, type: string}\n    - {name: extra, type: integer}\n",
        );
        let doc = Value::Object(overlay(&base, &live));
        assert_eq!(doc["tags"], serde_json::json!([{"name": "Only here"}]));
        assert_eq!(
            doc["data_attributes"]["contact"],
            serde_json::json!([{"name": "extra", "type": "integer"}])
        );
        // Tags match whatever their case; the workspace's spelling is the environment's.
        assert_eq!(
            doc["override"],
            serde_json::json!({
                "tag[\"VIP\"]": {"name": "vip"},
                "team[\"Support\"]": {"members": ["b@x.io"]},
            })
        );
        assert_eq!(doc["remove"], serde_json::json!(["tag[\"Beta\"]"]));
    }

    #[test]
    fn an_identical_workspace_needs_no_overlay() {
        let yaml = "tags:\n  - name: VIP\nworkspace:\n  ip_allowlist: {enabled: false}\n";
        assert!(overlay(&desired(yaml), &desired(yaml)).is_empty());
    }
}
