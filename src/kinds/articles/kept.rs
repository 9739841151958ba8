//! The refinement of collection prune that only the articles kind can make: a collection may
//! go only when every article it holds goes too (deleted or moved out in the same plan).

use std::collections::{HashMap, HashSet};

use crate::config::Diagnostic;
use crate::config::help_center::FOLDER;
use crate::kinds::PlanCtx;
use crate::kinds::help_center_collections::ancestors;
use crate::model::change::{CollectionRef, Op};
use crate::model::{Address, Article, HelpCenterCollection};

/// Takes back the planned deletes of collections that hold articles this plan keeps (neither
/// deleted nor moved out): Intercom would leave them standing alone. Each refusal is an error.
pub(super) fn refuse_kept(
    ctx: &mut PlanCtx<'_>,
    articles: &[Article],
    collections: &[HelpCenterCollection],
) {
    let mut deleted: HashSet<String> = HashSet::new();
    let mut moved_to: HashMap<String, Option<String>> = HashMap::new();
    for op in ctx.plan.changes.iter().flat_map(|c| &c.ops) {
        match op {
            Op::DeleteArticle { id } => {
                deleted.insert(id.clone());
            }
            Op::UpdateArticle { id, changes } => {
                if let Some(parent) = &changes.parent {
                    moved_to.insert(
                        id.clone(),
                        match parent {
                            CollectionRef::Id(to) => Some(to.clone()),
                            // A collection this plan creates: outside every deleted one.
                            CollectionRef::Created(_) => None,
                        },
                    );
                }
            }
            _ => {}
        }
    }
    let mut refused: Vec<(Address, Vec<&str>)> = Vec::new();
    let mut kept_changes = Vec::with_capacity(ctx.plan.changes.len());
    for change in std::mem::take(&mut ctx.plan.changes) {
        let Some(Op::DeleteHelpCenterCollection { id }) = change.ops.first() else {
            kept_changes.push(change);
            continue;
        };
        let subtree: HashSet<&str> = collections
            .iter()
            .filter(|c| c.id == *id || ancestors(collections, c).iter().any(|p| p.id == *id))
            .map(|c| c.id.as_str())
            .collect();
        let kept: Vec<&str> = articles
            .iter()
            .filter(|a| a.parent_id.as_deref().is_some_and(|p| subtree.contains(p)))
            .filter(|a| !deleted.contains(a.id.as_str()))
            .filter(|a| match moved_to.get(a.id.as_str()) {
                None => true,
                Some(to) => to.as_deref().is_some_and(|to| subtree.contains(to)),
            })
            .map(|a| a.key.as_str())
            .collect();
        if kept.is_empty() {
            kept_changes.push(change);
        } else {
            refused.push((change.address, kept));
        }
    }
    ctx.plan.changes = kept_changes;
    for (address, kept) in refused {
        let list: Vec<String> = kept.iter().take(5).map(|k| format!("`{k}`")).collect();
        let more = if kept.len() > 5 {
            format!(" and {} more", kept.len() - 5)
        } else {
            String::new()
        };
        ctx.errors.push(
            Diagnostic::error(
                FOLDER,
                None,
                format!(
                    "cannot prune {address}: it holds {} article(s) that this plan keeps ({}{more}), which would be left outside any collection",
                    kept.len(),
                    list.join(", ")
                ),
            )
            .with_help(format!(
                "declare the collection (a `{FOLDER}/{}/` folder), move its articles to another collection's folder, or delete them too (prune articles without declaring them)",
                address.key
            )),
        );
    }
}
