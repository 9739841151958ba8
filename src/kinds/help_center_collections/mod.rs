//! Help Center collections, declared as the folders of `help_center/` (read by
//! `config::help_center`) and keyed by their path of names within their help center
//! (`help_center_collection["Billing/Invoices"]`). A new collection inside another new one is
//! created in the same change as its new ancestor, whose create gives it its parent's id
//! ([`CollectionRef::Created`]). Descriptions are fields; prune deletes undeclared
//! collections, but never one that holds articles the same plan keeps (Intercom would leave
//! them standing alone; the articles kind checks this, see `articles::kept`).

mod translations;
mod write;
pub(in crate::kinds) use translations::{Locales, with_translations};
pub(super) use write::write;

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use super::engine::{LiveObject, PlanCtx, field, removal};
use super::{Exported, Ignored, KindSpec, Scope};
use crate::config::Desired;
use crate::config::help_center::{COLLECTION_FILE, CollectionFile, CollectionSource, FOLDER};
use crate::intercom::{self, Client};
use crate::model::change::{Action, CollectionRef, Op, Plan, fingerprint};
use crate::model::{
    Address, HelpCenter, HelpCenterCollection, Kind, Live, NewHelpCenterCollection,
};

const KIND: Kind = Kind::HelpCenterCollections;

/// Help Center collections.
pub struct HelpCenterCollections;

impl KindSpec for HelpCenterCollections {
    // Collections are folders, not YAML declarations: the name checks do not apply (the folder
    // reader reports its own problems, located).
    super::folder_kind!(KIND, collections, |c| std::iter::once(c.key.as_str()));

    fn objects<'a>(&self, live: &'a Live, kind: Kind) -> Vec<&'a dyn LiveObject> {
        super::engine::objects::<HelpCenterCollection>(live, kind)
    }

    fn export(&self, live: &Live, _kind: Kind, out: &mut Exported) -> bool {
        export_tree(live, out);
        true
    }

    fn export_file(&self) -> (String, String) {
        (FOLDER.to_string(), "help center collections".to_string())
    }

    /// Whether a collection may be deleted depends on the articles it holds and what the plan
    /// does with them: the articles are read with the collections.
    fn widen_scope(&self, _desired: Option<&Desired>, scope: &mut Scope) {
        scope.also.insert(Kind::Articles);
    }

    /// The collections, with the help centers they may name (one more list).
    fn read(&self, client: &Client, kind: Kind, _scope: &Scope) -> Option<super::read::ReadFuture> {
        let client = client.clone();
        Some(Box::pin(async move {
            let (collections, centers) = tokio::try_join!(
                intercom::read::help_center_collections(&client),
                intercom::read::help_centers(&client)
            )?;
            Ok(Box::new(move |live: &mut Live| {
                live.set_objects(kind, collections);
                live.help_centers = centers;
            }) as super::read::Install)
        }))
    }
}

impl LiveObject for HelpCenterCollection {
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }

    /// The natural key is the path, not the collection's own name.
    #[allow(clippy::misnamed_getters)]
    fn name(&self) -> &str {
        &self.path
    }

    fn fingerprint(&self) -> String {
        let own = fingerprint(&(&self.path, &self.parent_id, description(&self.description)));
        with_translations(own, &self.translations)
    }
}

/// A description as compared: Intercom answers `""` or `null` for none.
fn description(d: &Option<String>) -> &str {
    d.as_deref().unwrap_or("")
}

/// The live collections.
fn live_collections(live: &Live) -> &[HelpCenterCollection] {
    live.objects(KIND)
}

fn plan_kind(ctx: &mut PlanCtx<'_>) {
    let (d, live) = (ctx.d, ctx.live);
    let by_path: BTreeMap<&str, &HelpCenterCollection> = live_collections(live)
        .iter()
        .map(|c| (c.path.as_str(), c))
        .collect();
    let declared = &d.help_center.collections;
    // Declared collections come parents first, so a new one's new ancestor is already planned.
    // Each new collection whose parent exists (or that is top level) starts a change; the new
    // collections below it join that change.
    let mut planned: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for c in declared {
        if ctx.ignored(KIND, &c.key) {
            continue;
        }
        let parent_key = c.path[..c.path.len().saturating_sub(1)].join("/");
        // Nested collections naming one are refused when the folder is read.
        let center = match (&c.meta.help_center, c.path.len()) {
            (Some(name), 1) => match resolve_help_center(&live.help_centers, name) {
                Some(h) => Some(h),
                None => {
                    ctx.errors
                        .push(unknown_help_center(c, name, &live.help_centers));
                    continue;
                }
            },
            _ => None,
        };
        if let Some(found) = by_path.get(c.key.as_str()) {
            if let Some(h) = center
                && found.help_center_id.as_deref() != Some(h.id.as_str())
            {
                ctx.manual(
                    Address::new(KIND, &c.key),
                    format!(
                        "move it from help center `{}` to `{}`: the API cannot move a collection to another help center",
                        found
                            .help_center_id
                            .as_deref()
                            .map_or_else(|| "?".to_string(), |id| help_center_label(&live.help_centers, id)),
                        h.identifier
                    ),
                    Some(format!(
                        "move it in Intercom's Help Center settings, or change `help_center` in {} to where it is",
                        c.spot.file
                    )),
                );
            }
            let (mut fields, mut ops) = (Vec::new(), Vec::new());
            let have = description(&found.description);
            if let Some(want) = &c.meta.description
                && want != have
            {
                fields.push(field("description", Some(json!(have)), Some(json!(want))));
                ops.push(Op::UpdateHelpCenterCollection {
                    id: found.id.clone(),
                    description: want.clone(),
                });
            }
            translations::for_update(ctx, c, found, &mut fields, &mut ops);
            if !ops.is_empty() {
                ctx.modify(Address::new(KIND, &c.key), *found, false, fields, ops);
            }
            continue;
        }
        let name = c.path.last().cloned().unwrap_or_default();
        let in_new_parent = planned.get(parent_key.as_str()).copied();
        let parent = if c.path.len() == 1 {
            None
        } else if let Some((_, op)) = in_new_parent {
            Some(CollectionRef::Created(op))
        } else if let Some(p) = by_path.get(parent_key.as_str()) {
            Some(CollectionRef::Id(p.id.clone()))
        } else {
            // Its parent is ignored or filtered out: it cannot be placed.
            continue;
        };
        let (translated_content, translated) = translations::for_create(ctx, c);
        let op = Op::CreateHelpCenterCollection(NewHelpCenterCollection {
            name,
            description: c.meta.description.clone(),
            parent,
            help_center_id: center.map(|h| h.id.clone()),
            translated_content,
        });
        if let Some((change, _)) = in_new_parent {
            let Some(ch) = ctx.plan.changes.get_mut(change) else {
                continue;
            };
            ch.ops.push(op);
            let index = ch.ops.len() - 1;
            ch.fields
                .push(field("collection", None, Some(json!(c.key.clone()))));
            planned.insert(&c.key, (change, index));
            continue;
        }
        let address = Address::new(KIND, &c.key);
        let mut fields = Vec::new();
        if let Some(desc) = &c.meta.description {
            fields.push(field("description", None, Some(json!(desc))));
        }
        if let Some(h) = center {
            fields.push(field("help_center", None, Some(json!(h.identifier))));
        }
        fields.extend(translated);
        ctx.create(address, fields, vec![op]);
        planned.insert(&c.key, (ctx.plan.changes.len() - 1, 0));
    }
    prune(ctx, declared);
}

/// The help center `name` names: its id, identifier or display name, exactly, else ignoring
/// case.
fn resolve_help_center<'a>(centers: &'a [HelpCenter], name: &str) -> Option<&'a HelpCenter> {
    let name = name.trim();
    centers
        .iter()
        .find(|h| h.id == name || h.identifier == name || h.display_name == name)
        .or_else(|| {
            centers.iter().find(|h| {
                h.identifier.eq_ignore_ascii_case(name)
                    || h.display_name.to_lowercase() == name.to_lowercase()
            })
        })
}

/// How a help center is named in messages and exports: its identifier (its id when it has
/// none or is not listed).
fn help_center_label(centers: &[HelpCenter], id: &str) -> String {
    centers
        .iter()
        .find(|h| h.id == id && !h.identifier.is_empty())
        .map_or_else(|| id.to_string(), |h| h.identifier.clone())
}

/// The error for a `help_center` that names none of the workspace's, at its value.
fn unknown_help_center(
    c: &CollectionSource,
    name: &str,
    centers: &[HelpCenter],
) -> crate::config::Diagnostic {
    let candidates = centers
        .iter()
        .flat_map(|h| [h.identifier.as_str(), h.display_name.as_str()]);
    let known: Vec<String> = centers
        .iter()
        .map(|h| format!("`{}` ({})", h.identifier, h.display_name))
        .collect();
    let help = match crate::config::did_you_mean(name, candidates) {
        Some(m) => format!(
            "did you mean `{m}`? Name a help center by its identifier, display name or id: {}",
            known.join(", ")
        ),
        None if known.is_empty() => {
            "the workspace lists no help centers; remove `help_center` to use the default one"
                .to_string()
        }
        None => format!(
            "name a help center by its identifier, display name or id: {}",
            known.join(", ")
        ),
    };
    crate::config::Diagnostic::error(
        &c.spot.file,
        c.help_center_pos.or(Some(c.spot.pos)),
        format!(
            "unknown help center `{name}` for {}",
            Address::new(KIND, &c.key)
        ),
    )
    .with_help(help)
}

/// Deletes undeclared collections when pruned: only the topmost of an undeclared subtree
/// (Intercom deletes its sub-collections with it). One that holds articles is refused here when
/// articles are not planned; when they are, the articles kind refuses it unless the same plan
/// deletes or moves out every article it holds.
fn prune(ctx: &mut PlanCtx<'_>, declared: &[CollectionSource]) {
    let live = ctx.live;
    let all = live_collections(live);
    let claimed: Vec<&str> = declared.iter().map(|c| c.key.as_str()).collect();
    let undeclared = |c: &HelpCenterCollection| !claimed.contains(&c.path.as_str());
    let mut refused = Vec::new();
    let articles_planned = ctx.filter.touches(Kind::Articles);
    ctx.prune(
        KIND,
        all,
        |c| c.path.as_str(),
        &claimed,
        |c| {
            let parent_goes = c
                .parent_id
                .as_ref()
                .and_then(|p| all.iter().find(|o| &o.id == p))
                .is_some_and(|p| undeclared(p) && (p.articles == 0 || articles_planned));
            if parent_goes {
                return None;
            }
            // When articles are planned too, their kind refuses the deletes that would leave
            // kept articles standing alone (it knows which articles go); otherwise any article
            // is one too many.
            if c.articles > 0 && !articles_planned {
                refused.push((c.path.clone(), c.articles));
                return None;
            }
            let op = Op::DeleteHelpCenterCollection { id: c.id.clone() };
            Some(removal(c, Action::Delete, op))
        },
    );
    for (path, n) in refused {
        ctx.errors.push(
            crate::config::Diagnostic::error(
                FOLDER,
                None,
                format!(
                    "cannot prune {}: it holds {n} article(s), which would be left outside any collection",
                    Address::new(KIND, &path)
                ),
            )
            .with_help(format!(
                "declare it (a `{FOLDER}/{path}/` folder), add `{path}` under `ignore: {{ {} }}`, or plan articles too (`--only` leaves them out), so that its articles are deleted or moved in the same plan",
                KIND.plural()
            )),
        );
    }
}

/// Writes each collection as a folder with its `_collection.yaml`; names that cannot be
/// folder names are left out, under `ignore:`.
fn export_tree(live: &Live, out: &mut Exported) {
    let all = live_collections(live);
    let bad = |c: &HelpCenterCollection| !folder_name_ok(&c.name);
    // One help center: `help_center` says nothing. Several (or collections in several, should
    // the list not say so): each top-level collection names its own by identifier.
    let mut in_centers: Vec<&str> = all
        .iter()
        .filter_map(|c| c.help_center_id.as_deref())
        .collect();
    in_centers.sort_unstable();
    in_centers.dedup();
    let many = live.help_centers.len() > 1 || in_centers.len() > 1;
    for c in all {
        if c.path.split('/').count() != ancestors(all, c).len() + 1
            || std::iter::once(c).chain(ancestors(all, c)).any(bad)
        {
            if bad(c) {
                out.ignored.push(Ignored {
                    kind: KIND,
                    name: c.path.clone(),
                    why: "its name cannot be a folder name".into(),
                });
            }
            continue;
        }
        let file = CollectionFile {
            description: c.description.clone().filter(|d| !d.is_empty()),
            help_center: match (&c.help_center_id, &c.parent_id) {
                (Some(id), None) if many => Some(help_center_label(&live.help_centers, id)),
                _ => None,
            },
            translated_content: translations::export(c),
        };
        out.extra_files.push((
            format!("{FOLDER}/{}/{COLLECTION_FILE}", c.path),
            file.to_yaml(),
        ));
    }
}

/// Whether a collection's name can be a folder's name (and so be exported and declared).
pub(super) fn folder_name_ok(n: &str) -> bool {
    !(n.contains('/') || n.contains('\\') || n == "." || n == ".." || n.trim() != n || n.is_empty())
}

/// Whether every collection on the path from the top to `c` can be a folder: what export
/// writes.
pub(super) fn exportable(all: &[HelpCenterCollection], c: &HelpCenterCollection) -> bool {
    c.path.split('/').count() == ancestors(all, c).len() + 1
        && std::iter::once(c)
            .chain(ancestors(all, c))
            .all(|c| folder_name_ok(&c.name))
}

/// The collections this plan creates, by path: the change that creates each and the index of
/// its create among the change's operations (what a new article in it waits for).
pub(super) fn planned_creates(plan: &Plan) -> HashMap<String, (usize, usize)> {
    let mut out = HashMap::new();
    for (c, change) in plan.changes.iter().enumerate() {
        if change.address.kind != KIND || change.action != Action::Create {
            continue;
        }
        let mut paths: HashMap<usize, String> = HashMap::new();
        for (i, op) in change.ops.iter().enumerate() {
            let Op::CreateHelpCenterCollection(new) = op else {
                continue;
            };
            let name = &new.name;
            let path = match &new.parent {
                Some(CollectionRef::Created(p)) => match paths.get(p) {
                    Some(pp) => format!("{pp}/{name}"),
                    None => continue,
                },
                _ if i == 0 => change.address.key.clone(),
                _ => continue,
            };
            paths.insert(i, path.clone());
            out.insert(path, (c, i));
        }
    }
    out
}

/// The collection's ancestors, nearest first.
pub(super) fn ancestors<'a>(
    all: &'a [HelpCenterCollection],
    c: &HelpCenterCollection,
) -> Vec<&'a HelpCenterCollection> {
    let mut out: Vec<&HelpCenterCollection> = Vec::new();
    let mut next = c.parent_id.as_deref();
    while let Some(p) = next.and_then(|p| all.iter().find(|o| o.id == p)) {
        if out.iter().any(|o| o.id == p.id) || p.id == c.id {
            break;
        }
        out.push(p);
        next = p.parent_id.as_deref();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn centers() -> Vec<HelpCenter> {
        let hc = |id: &str, identifier: &str, display_name: &str| HelpCenter {
            id: id.into(),
            identifier: identifier.into(),
            display_name: display_name.into(),
            default: id == "501",
            locales: vec!["en".into()],
        };
        vec![
            hc("501", "acme", "Acme Help"),
            hc("502", "acme-partners", "Partners"),
        ]
    }

    #[test]
    fn a_help_center_is_named_by_id_identifier_or_display_name() {
        let centers = centers();
        let id = |name: &str| resolve_help_center(&centers, name).map(|h| h.id.as_str());
        assert_eq!(id("502"), Some("502"));
        assert_eq!(id("acme-partners"), Some("502"));
        assert_eq!(id("Partners"), Some("502"));
        // Case aside only when nothing matches exactly.
        assert_eq!(id("ACME help"), Some("501"));
        assert_eq!(id("Acme-Partners"), Some("502"));
        assert_eq!(id("acme-partner"), None);
        assert_eq!(id("503"), None);
    }

    #[test]
    fn a_help_center_is_labelled_by_its_identifier() {
        let centers = centers();
        assert_eq!(help_center_label(&centers, "502"), "acme-partners");
        // Not listed: its id.
        assert_eq!(help_center_label(&centers, "777"), "777");
    }
}
