//! Environments: one configuration, several workspaces. The `environments:` section names each
//! environment with its workspace (`app_id`, `region`), its `variables:` and its overlay files.
//! An overlay file is a configuration file that belongs to one environment: its sections add
//! objects, its `override:` changes fields of base objects by address (`tag["VIP"]`,
//! `team["Support"].members`) and its `remove:` takes base objects out of that environment.
//!
//! Overlay files are never read as part of the base. An override is grafted into the base
//! file's tree at the declaration it names, and the graft remembers its own file, so every
//! problem in an overridden value is reported at the overlay's `file:line:col`.

use std::path::{Component, Path};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::source::{Key, Node, NodeValue};
use super::{Desired, Diagnostic};
use crate::model::{Address, Region};

/// The `--env` value that stands for every environment (`plan` and `drift`).
pub const ALL: &str = "all";
/// The top-level key of the environments section.
pub const SECTION: &str = "environments";
/// The overlay key that changes fields of base objects.
pub const OVERRIDE: &str = "override";
/// The overlay key that removes base objects.
pub const REMOVE: &str = "remove";

/// One environment: a workspace and what differs in it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The app `id_code` of this environment's workspace: the guard `workspace.app_id` for it
    /// (intercom-iac refuses a token of another app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub app_id: Option<String>,

    /// The region of this environment's workspace (`us`, `eu` or `au`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,

    /// Values of `${NAME}` in any string of the configuration and in Markdown, for this
    /// environment. `${env:NAME}` reads the process environment instead; `$${` writes `${`.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}))]
    pub variables: IndexMap<String, String>,

    /// This environment's overlay files, relative to the configuration directory (e.g.
    /// `environments/staging.yaml`). They are not part of the base configuration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<String>,
}

/// The environments section, as found in one base file.
#[derive(Debug, Clone)]
pub(super) struct Declared {
    /// Index of the file (in the parsed inputs) that declares them.
    pub file: usize,
    /// The environments, in declaration order.
    pub environments: IndexMap<String, Environment>,
}

/// Finds the environments section among parsed files. A section that does not deserialize is
/// left to the schema check of its file (which reports it located); a second one is an error.
pub(super) fn find(roots: &[(String, Node)], out: &mut Vec<Diagnostic>) -> Option<Declared> {
    let mut found: Option<Declared> = None;
    for (i, (name, root)) in roots.iter().enumerate() {
        let Some((key, node)) = entry(root, SECTION) else {
            continue;
        };
        if let Some(first) = &found {
            let first_name = &roots[first.file].0;
            out.push(
                Diagnostic::error(
                    name,
                    Some(key.pos),
                    format!("`environments` is also declared in {first_name}"),
                )
                .with_help("declare every environment in one file"),
            );
            continue;
        }
        let Ok(environments) =
            serde_json::from_value::<IndexMap<String, Environment>>(node.to_json())
        else {
            continue;
        };
        for (env, _) in &environments {
            if env == ALL {
                let pos = node.key_pos(env).unwrap_or(node.pos);
                out.push(
                    Diagnostic::error(name, Some(pos), "`all` cannot name an environment")
                        .with_help("`--env all` stands for every environment; pick another name"),
                );
            }
        }
        found = Some(Declared {
            file: i,
            environments,
        });
    }
    found
}

/// The names of the declared environments, for messages.
pub(super) fn names(declared: &Declared) -> String {
    declared
        .environments
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which parsed files are overlays: for every environment, the indices of its overlay files in
/// `roots`, in the order listed. Problems (a path outside the directory, a missing file) are
/// located at the path.
pub(super) fn overlay_files(
    roots: &[(String, Node)],
    declared: &Declared,
    dir: &str,
    out: &mut Vec<Diagnostic>,
) -> IndexMap<String, Vec<usize>> {
    let (file, root) = &roots[declared.file];
    let mut result = IndexMap::new();
    for (env, decl) in &declared.environments {
        let mut files = Vec::new();
        for (j, rel) in decl.overlays.iter().enumerate() {
            let pos = root.locate(&format!("/{SECTION}/{env}/overlays/{j}")).pos;
            let relative = Path::new(rel);
            let inside = relative
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
            let yaml = matches!(
                relative.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            );
            if !inside || !yaml {
                out.push(
                    Diagnostic::error(file, Some(pos), format!("`{rel}` is not an overlay file path"))
                        .with_help("write the path of a .yaml file inside the configuration directory, relative to it (e.g. environments/staging.yaml)"),
                );
                continue;
            }
            let wanted = Path::new(dir).join(relative);
            match roots.iter().position(|(n, _)| Path::new(n) == wanted) {
                Some(i) if i == declared.file => out.push(
                    Diagnostic::error(
                        file,
                        Some(pos),
                        format!("`{rel}` declares the environments; it cannot be an overlay"),
                    )
                    .with_help("an overlay holds only what differs in one environment"),
                ),
                Some(i) => files.push(i),
                None => out.push(
                    Diagnostic::error(
                        file,
                        Some(pos),
                        format!("the overlay file `{rel}` of `{env}` does not exist"),
                    )
                    .with_help(format!(
                        "create {} or remove it from `overlays`",
                        wanted.display()
                    )),
                ),
            }
        }
        result.insert(env.clone(), files);
    }
    result
}

/// The key and value of `name` in a mapping node.
pub(super) fn entry<'a>(node: &'a Node, name: &str) -> Option<(&'a Key, &'a Node)> {
    match &node.value {
        NodeValue::Map(m) => m.iter().find(|(k, _)| k.name == name).map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// The value of `name` in a mapping node, to change it.
pub(super) fn entry_mut<'a>(node: &'a mut Node, name: &str) -> Option<&'a mut Node> {
    match &mut node.value {
        NodeValue::Map(m) => m.iter_mut().find(|(k, _)| k.name == name).map(|(_, v)| v),
        _ => None,
    }
}

/// Takes `name` out of a mapping node.
pub(super) fn take(node: &mut Node, name: &str) -> Option<(Key, Node)> {
    match &mut node.value {
        NodeValue::Map(m) => {
            let i = m.iter().position(|(k, _)| k.name == name)?;
            Some(m.remove(i))
        }
        _ => None,
    }
}

/// What an overlay does to one base declaration.
#[derive(Debug, Clone)]
pub(super) enum Edit {
    /// Set field `field` of the declaration to `value` (grafted from the overlay).
    Set {
        /// The field.
        field: Key,
        /// Its new value.
        value: Node,
    },
    /// Take the declaration out.
    Remove,
}

/// One edit of a base declaration: which file, which declaration (its JSON pointer), what.
#[derive(Debug, Clone)]
pub(super) struct Patch {
    /// Index of the base file in the loaded files.
    pub file: usize,
    /// JSON pointer of the declaration in that file.
    pub pointer: String,
    /// The overlay file the edit comes from.
    pub from: String,
    /// The edit.
    pub edit: Edit,
}

/// Resolves an overlay's `override:` and `remove:` against the base configuration, located at
/// the overlay's keys and items.
pub(super) fn patches(
    base: &Desired,
    overlay: &str,
    overrides: Option<&Node>,
    removals: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Patch> {
    let mut patches = Vec::new();
    if let Some(node) = overrides {
        let NodeValue::Map(entries) = &node.value else {
            out.push(
                Diagnostic::error(overlay, Some(node.pos), "`override` must be a mapping")
                    .with_help("write `override:` with one entry per address, e.g. `tag[\"VIP\"]: {description: …}` or `team[\"Support\"].members: […]`"),
            );
            return patches;
        };
        for (key, value) in entries {
            let Some((address, field)) = parse_target(&key.name) else {
                out.push(
                    Diagnostic::error(
                        overlay,
                        Some(key.pos),
                        format!("`{}` is not an address", key.name),
                    )
                    .with_help("write kind[\"name\"] or kind[\"name\"].field, e.g. team[\"Support\"].members"),
                );
                continue;
            };
            let Some((file, pointer)) = declaration(base, &address) else {
                out.push(not_in_base(overlay, key, &address));
                continue;
            };
            match field {
                Some(field) => patches.push(Patch {
                    file,
                    pointer,
                    from: overlay.to_string(),
                    edit: Edit::Set {
                        field: Key {
                            name: field.to_string(),
                            pos: key.pos,
                        },
                        value: value.clone(),
                    },
                }),
                None => {
                    let NodeValue::Map(fields) = &value.value else {
                        out.push(
                            Diagnostic::error(
                                overlay,
                                Some(value.pos),
                                format!(
                                    "the override of `{address}` must be a mapping of its fields"
                                ),
                            )
                            .with_help(format!(
                                "write the fields that differ, e.g. `{address}: {{description: …}}`"
                            )),
                        );
                        continue;
                    };
                    for (field, v) in fields {
                        patches.push(Patch {
                            file,
                            pointer: pointer.clone(),
                            from: overlay.to_string(),
                            edit: Edit::Set {
                                field: field.clone(),
                                value: v.clone(),
                            },
                        });
                    }
                }
            }
        }
    }
    if let Some(node) = removals {
        let NodeValue::Seq(items) = &node.value else {
            out.push(
                Diagnostic::error(
                    overlay,
                    Some(node.pos),
                    "`remove` must be a list of addresses",
                )
                .with_help("write e.g. `remove: ['tag[\"Beta\"]']`"),
            );
            return patches;
        };
        for item in items {
            let text = match &item.value {
                NodeValue::Str(s) => s.as_str(),
                _ => "",
            };
            let Ok(address) = text.parse::<Address>() else {
                out.push(
                    Diagnostic::error(overlay, Some(item.pos), "this is not an address")
                        .with_help("write kind[\"name\"], e.g. tag[\"Beta\"]"),
                );
                continue;
            };
            let key = Key {
                name: text.to_string(),
                pos: item.pos,
            };
            match declaration(base, &address) {
                Some((file, pointer)) => patches.push(Patch {
                    file,
                    pointer,
                    from: overlay.to_string(),
                    edit: Edit::Remove,
                }),
                None => out.push(not_in_base(overlay, &key, &address)),
            }
        }
    }
    patches
}

fn not_in_base(overlay: &str, key: &Key, address: &Address) -> Diagnostic {
    Diagnostic::error(
        overlay,
        Some(key.pos),
        format!("`{address}` is not declared in the base configuration"),
    )
    .with_help(format!(
        "an overlay can only change or remove what the base declares; to add it in this environment, declare it under `{}:` in this file",
        address.kind.plural()
    ))
}

/// `kind["name"]` or `kind["name"].field`.
fn parse_target(text: &str) -> Option<(Address, Option<&str>)> {
    if let Ok(address) = text.parse::<Address>() {
        return Some((address, None));
    }
    let (address, field) = text.rsplit_once("].")?;
    let address = format!("{address}]").parse::<Address>().ok()?;
    let valid = !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    valid.then_some((address, Some(field)))
}

/// Where the base declares `address`: its file and JSON pointer.
fn declaration(base: &Desired, address: &Address) -> Option<(usize, String)> {
    let spec = crate::kinds::spec(address.kind);
    let fold = |s: &str| {
        if address.kind.case_insensitive_names() {
            s.to_lowercase()
        } else {
            s.to_string()
        }
    };
    let wanted = fold(&address.key);
    spec.entries(base, address.kind)
        .into_iter()
        .find(|e| fold(e.name) == wanted)
        .map(|e| (e.origin.file, e.origin.pointer.clone()))
}

/// Applies the field edits to a base file's tree, recording each graft (its JSON pointer and
/// the overlay it came from); returns the pointers of the declarations to remove.
pub(super) fn apply(
    root: &mut Node,
    patches: &[&Patch],
    grafts: &mut Vec<(String, String)>,
) -> Vec<String> {
    let mut removals = Vec::new();
    for patch in patches {
        match &patch.edit {
            Edit::Remove => removals.push(patch.pointer.clone()),
            Edit::Set { field, value } => {
                let Some(NodeValue::Map(fields)) =
                    locate_mut(root, &patch.pointer).map(|n| &mut n.value)
                else {
                    continue;
                };
                match fields.iter_mut().find(|(k, _)| k.name == field.name) {
                    Some((k, v)) => {
                        *k = field.clone();
                        *v = value.clone();
                    }
                    None => fields.push((field.clone(), value.clone())),
                }
                grafts.push((
                    format!("{}/{}", patch.pointer, escape(&field.name)),
                    patch.from.clone(),
                ));
            }
        }
    }
    removals
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn locate_mut<'a>(root: &'a mut Node, pointer: &str) -> Option<&'a mut Node> {
    let mut node = root;
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        node = match &mut node.value {
            NodeValue::Map(m) => m.iter_mut().find(|(k, _)| k.name == seg).map(|(_, v)| v)?,
            NodeValue::Seq(s) => s.get_mut(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Whether `pointer` is `prefix` or lies inside it.
pub(super) fn within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix
        || pointer
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The environment variable that holds an environment's token: `INTERCOM_ACCESS_TOKEN_<ENV>`,
/// the name upper-cased and every other character as `_`.
pub fn token_var(env: &str) -> String {
    let suffix: String = env
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{}_{suffix}", super::vars::TOKEN_VAR_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_and_without_a_field() {
        let (a, f) = parse_target("team[\"Support\"].members").unwrap();
        assert_eq!(a.to_string(), "team[\"Support\"]");
        assert_eq!(f, Some("members"));
        let (a, f) = parse_target("tag[\"a].b\"]").unwrap();
        assert_eq!(a.key, "a].b");
        assert_eq!(f, None);
        assert!(parse_target("team[\"Support\"].").is_none());
        assert!(parse_target("team[\"Support\"].Members!").is_none());
        assert!(parse_target("nope").is_none());
    }

    #[test]
    fn token_variables_are_named_after_the_environment() {
        assert_eq!(token_var("staging"), "INTERCOM_ACCESS_TOKEN_STAGING");
        assert_eq!(token_var("eu-prod.2"), "INTERCOM_ACCESS_TOKEN_EU_PROD_2");
    }

    #[test]
    fn within_respects_segments() {
        assert!(within("/tags/1/description", "/tags/1"));
        assert!(within("/tags/1", "/tags/1"));
        assert!(!within("/tags/10", "/tags/1"));
    }
}
