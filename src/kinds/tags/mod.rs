//! Tags: names are case-insensitive, create is an upsert, renames keep the id and taggings.

pub(crate) mod section;
mod write;
pub(super) use write::write;

use super::engine::{LiveObject, PlanCtx, eq_ci, index_by, rename_fields};
use super::export::identifiable;
use super::list_kind;
use super::{Exported, KindSpec};
use crate::config::Desired;
use crate::config::Located;
use crate::intercom::{self};
use crate::model::change::{Op, fingerprint};
use crate::model::{Address, Kind, Live, Tag};

/// Tags.
pub struct Tags;

impl KindSpec for Tags {
    list_kind!(
        kind: Kind::Tags, decl: section::Tag, live: Tag, read: intercom::read::tags,
        export: export_kind,
        section: "Tags. Names are case-insensitive in Intercom.",
    );
}

fn export_kind(live: &Live, kind: Kind, out: &mut Exported) -> bool {
    let list = identifiable(kind, live_tags(live), |t| &t.name, "tags", out)
        .into_iter()
        .map(|t| section::Tag {
            name: t.name.clone(),
            renamed_from: None,
        })
        .collect();
    super::export::put(&mut out.cfg, kind, list)
}

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    let live = ctx.live;
    let by_name = index_by(live_tags(live), |t| t.name.as_str(), true);
    let find = |name: &str| {
        by_name
            .get(&name.to_lowercase())
            .and_then(|v| v.first().copied())
    };
    for decl in declared(ctx.d) {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) {
            continue;
        }
        let new_live = find(&decl.name);
        let old_live = decl.renamed_from.as_deref().and_then(find);
        match (new_live, old_live) {
            (Some(n), Some(o)) if n.id != o.id => ctx.error(
                decl,
                "/renamed_from",
                format!(
                    "both `{}` and `{}` exist in Intercom, so the rename is ambiguous",
                    o.name, n.name
                ),
                Some("merge them by hand in Intercom (delete one), then plan again".into()),
            ),
            (Some(n), _) if n.name == decl.name => {}
            (Some(t), _) | (None, Some(t)) => {
                let op = Op::RenameTag {
                    id: t.id.clone(),
                    name: decl.name.clone(),
                };
                ctx.modify(
                    address,
                    t,
                    true,
                    rename_fields(t, true, &decl.name),
                    vec![op],
                );
            }
            (None, None) => {
                let op = Op::CreateTag {
                    name: decl.name.clone(),
                };
                ctx.create(address, vec![], vec![op]);
            }
        }
    }
    ctx.prune_by_deleting(kind, live_tags(live), |id| Op::DeleteTag { id });
}

// ---------------------------------------------------------------------------------------------

impl LiveObject for Tag {
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn named(&self, key: &str) -> bool {
        eq_ci(&self.name, key)
    }

    fn fingerprint(&self) -> String {
        fingerprint(&self.name)
    }
}

/// The live tags.
fn live_tags(live: &Live) -> &[Tag] {
    live.objects(Kind::Tags)
}

/// The declared tags.
fn declared(desired: &Desired) -> &[Located<section::Tag>] {
    desired.declarations(Kind::Tags)
}
