//! Reading one parsed file into the desired state: the schema check (dropping invalid items so
//! the rest still gets the semantic checks), the types, and the merge of its sections.

use super::schema::{self, display_path};
use super::source::{Node, NodeValue};
use super::types::ConfigFile;
use super::{Desired, Diagnostic, Located, Origin, SourceFile, environments};

/// Reads one parsed file: schema, types. Items with schema errors are dropped (and reported)
/// so that the rest of the file still gets the semantic checks; so are the declarations at
/// `removals` (taken out by an environment's overlay). Problems inside `grafts` are reported
/// in the overlay file they came from.
pub(super) fn read_root(
    name: &str,
    mut root: Node,
    removals: &[String],
    grafts: Vec<(String, String)>,
) -> (Option<(SourceFile, ConfigFile)>, Vec<Diagnostic>) {
    if !matches!(root.value, NodeValue::Map(_)) {
        let d = Diagnostic::error(
            name,
            Some(root.pos),
            "a configuration file must be a mapping of sections",
        )
        .with_help("start with a section such as `tags:` or `data_attributes:`");
        return (None, vec![d]);
    }
    // An empty section (`tags:` with nothing under it) declares nothing.
    if let NodeValue::Map(entries) = &mut root.value {
        entries.retain(|(_, v)| v.value != NodeValue::Null);
    }
    let mut json = root.to_json();
    let mut errors = schema::validate(name, &root, &json);
    for d in &mut errors {
        if let Some(pointer) = &d.pointer
            && let Some((_, from)) = grafts
                .iter()
                .find(|(at, _)| environments::within(pointer, at))
        {
            d.file = from.clone();
        }
    }
    let mut kept = std::collections::BTreeMap::new();
    if !errors.is_empty() || !removals.is_empty() {
        drop_invalid(&mut json, &errors, removals, &mut kept);
    }
    match serde_path_to_error::deserialize::<_, ConfigFile>(&json) {
        Ok(cfg) => (
            Some((
                SourceFile {
                    path: name.to_string(),
                    root,
                    kept,
                    grafts,
                },
                cfg,
            )),
            errors,
        ),
        Err(e) if errors.is_empty() => {
            let pointer = path_to_pointer(e.path());
            let node = root.locate(&pointer);
            let d = Diagnostic::error(
                name,
                Some(node.pos),
                format!("{}: {}", display_path(&pointer), e.inner()),
            );
            (None, vec![d])
        }
        Err(_) => (None, errors),
    }
}

/// The unit removed for a schema error at `pointer`: a list item of a section, or a key.
fn removal_unit(pointer: &str) -> Vec<String> {
    let segs: Vec<String> = pointer.split('/').skip(1).map(str::to_string).collect();
    let depth = match segs.first().map(String::as_str) {
        Some("ignore") => 3,
        Some("workspace" | "version") => 1,
        Some(key) => crate::kinds::REGISTRY
            .iter()
            .filter_map(|s| s.section())
            .find(|s| s.key == key)
            .map_or(2, |s| s.unit_depth),
        None => 0,
    };
    segs.into_iter().take(depth).collect()
}

/// Removes the items and keys that have schema errors, remembering the original indices of the
/// items that remain in each list.
fn drop_invalid(
    json: &mut serde_json::Value,
    errors: &[Diagnostic],
    removals: &[String],
    kept: &mut std::collections::BTreeMap<String, Vec<usize>>,
) {
    let mut units: Vec<Vec<String>> = errors
        .iter()
        .filter_map(|d| d.pointer.as_deref())
        .map(removal_unit)
        .chain(
            removals
                .iter()
                .map(|p| p.split('/').skip(1).map(str::to_string).collect()),
        )
        .filter(|u| !u.is_empty())
        .collect();
    units.sort();
    units.dedup();
    // Remove list items from the highest index down so earlier indices stay valid.
    units.sort_by(|a, b| b.cmp(a));
    for unit in units {
        let (last, parent) = unit.split_last().expect("units are never empty");
        let parent_ptr: String = parent.iter().map(|s| format!("/{s}")).collect();
        let Some(container) = json.pointer_mut(&parent_ptr) else {
            continue;
        };
        match container {
            serde_json::Value::Array(items) => {
                let Ok(i) = last.parse::<usize>() else {
                    continue;
                };
                if i < items.len() {
                    let entry = kept
                        .entry(parent_ptr)
                        .or_insert_with(|| (0..items.len()).collect());
                    items.remove(i);
                    entry.remove(i);
                }
            }
            serde_json::Value::Object(map) => {
                let key = last.replace("~1", "/").replace("~0", "~");
                map.remove(&key);
            }
            _ => {}
        }
    }
}

pub(super) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            Segment::Enum { variant } => out.push_str(&format!("/{variant}")),
            Segment::Unknown => {}
        }
    }
    out
}

pub(super) fn merge(
    desired: &mut Desired,
    file: usize,
    cfg: ConfigFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let source = desired.files[file].clone();
    let here = |pointer: &str| Origin {
        file,
        pointer: pointer.to_string(),
    };
    if let Some(ws) = cfg.workspace {
        if let Some(app_id) = ws.app_id {
            set_scalar(
                desired,
                "workspace.app_id",
                here("/workspace/app_id"),
                app_id,
                |d| &mut d.workspace.app_id,
                diagnostics,
            );
        }
        if let Some(region) = ws.region {
            set_scalar(
                desired,
                "workspace.region",
                here("/workspace/region"),
                region,
                |d| &mut d.workspace.region,
                diagnostics,
            );
        }
        if let Some(allowlist) = ws.ip_allowlist {
            set_scalar(
                desired,
                "workspace.ip_allowlist",
                here("/workspace/ip_allowlist"),
                allowlist,
                |d| &mut d.workspace.ip_allowlist,
                diagnostics,
            );
        }
        if let Some(require) = ws.require_identity_verification {
            set_scalar(
                desired,
                "workspace.require_identity_verification",
                here("/workspace/require_identity_verification"),
                require,
                |d| &mut d.workspace.require_identity_verification,
                diagnostics,
            );
        }
    }
    for (i, k) in cfg.prune.into_iter().flatten().enumerate() {
        desired.prune.push(Located {
            value: k,
            origin: here(&format!("/prune/{}", source.original_index("/prune", i))),
        });
    }
    if let Some(ignore) = cfg.ignore {
        for (kind, patterns) in ignore.0 {
            let list = format!("/ignore/{}", kind.plural());
            for (i, p) in patterns.into_iter().enumerate() {
                desired.ignore.push(Located {
                    value: (kind, p),
                    origin: here(&format!("{list}/{}", source.original_index(&list, i))),
                });
            }
        }
    }
    let mut sections = cfg.sections;
    for spec in crate::kinds::REGISTRY {
        let Some(section) = spec.section() else {
            continue;
        };
        let Some(value) = sections.remove(section.key) else {
            continue;
        };
        if let Err(e) = spec.read_section(desired, file, value) {
            let name = desired.files[file].path.clone();
            let node = desired.files[file].root.locate(&e.pointer);
            diagnostics.push(Diagnostic::error(
                &name,
                Some(node.pos),
                format!("{}: {}", display_path(&e.pointer), e.message),
            ));
        }
    }
}

/// Sets a scalar that may be written once across all files; a second write is an error naming
/// both places.
pub(super) fn set_scalar<T: PartialEq + Clone>(
    desired: &mut Desired,
    name: &str,
    origin: Origin,
    value: T,
    slot: impl Fn(&mut Desired) -> &mut Option<Located<T>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(prev) = slot(desired).clone() {
        let (prev_file, prev_pos) = desired.locate(&prev.origin, "");
        let prev_at = match prev_pos {
            Some(p) => format!("{prev_file}:{}:{}", p.line, p.col),
            None => prev_file,
        };
        diagnostics.push(
            desired
                .error_at(&origin, "", format!("`{name}` is also set at {prev_at}"))
                .with_help("set it in one file only"),
        );
        return;
    }
    *slot(desired) = Some(Located { value, origin });
}
