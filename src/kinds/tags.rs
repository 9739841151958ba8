//! Tags: names are case-insensitive, create is an upsert, renames keep the id and taggings.

use serde_json::json;

use super::Scope;
use super::checks::{self, Entry};
use super::engine::{PlanCtx, Removal, eq_ci, field, index_by, live_object, names};
use super::export::identifiable;
use super::read::{self, ReadFuture};
use super::{Exported, KindSpec};
use super::{Section, list_section};
use crate::config::Desired;
use crate::config::Diagnostic;
use crate::config::Located;
use crate::config::types::{self};
use crate::intercom::{self, Client};
use crate::model::change::{ABSENT, Action, Change, Op, fingerprint};
use crate::model::{Address, Kind, Live, Tag};

/// Tags.
pub struct Tags;

impl KindSpec for Tags {
    list_section!(
        Kind::Tags,
        types::Tag,
        "Tags. Names are case-insensitive in Intercom."
    );

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        checks::named(
            desired,
            out,
            Kind::Tags,
            &self.entries(desired, Kind::Tags),
            false,
        );
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        plan_kind(ctx);
    }

    fn live_names<'a>(&self, live: &'a Live, _kind: Kind) -> Vec<&'a str> {
        names(live_tags(live), |t| &t.name)
    }

    fn current_fingerprint(&self, live: &Live, change: &Change) -> String {
        let key = &change.address.key;
        let found = live_object(
            live_tags(live),
            change,
            |t| Some(&t.id),
            |t| eq_ci(&t.name, key),
        );
        found.map_or_else(|| ABSENT.to_string(), |t| fingerprint(&t.name))
    }

    fn export(&self, live: &Live, kind: Kind, out: &mut Exported) -> bool {
        let (cfg, ignored) = (&mut out.cfg, &mut out.ignored);
        let list = identifiable(kind, live_tags(live), |t| &t.name, true, "tags", ignored)
            .into_iter()
            .map(|t| types::Tag {
                name: t.name.clone(),
                renamed_from: None,
            })
            .collect();
        super::export::put(cfg, kind, list)
    }

    fn read(&self, client: &Client, kind: Kind, _scope: &Scope) -> Option<ReadFuture> {
        read::with(
            client,
            kind,
            |c| async move { intercom::read::tags(&c).await },
        )
    }
}

fn plan_kind(ctx: &mut PlanCtx<'_>) {
    let kind = Kind::Tags;
    if !ctx.filter.touches(kind) {
        return;
    }
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
            (Some(n), _) if n.name != decl.name => {
                let op = Op::RenameTag {
                    id: n.id.clone(),
                    name: decl.name.clone(),
                };
                let fp = fingerprint(&n.name);
                ctx.change(
                    address,
                    Action::Rename,
                    Some(n.id.clone()),
                    Some(n.name.clone()),
                    vec![field("name", Some(json!(n.name)), Some(json!(decl.name)))],
                    vec![op],
                    fp,
                );
            }
            (Some(_), _) => {}
            (None, Some(o)) => {
                let op = Op::RenameTag {
                    id: o.id.clone(),
                    name: decl.name.clone(),
                };
                let fp = fingerprint(&o.name);
                ctx.change(
                    address,
                    Action::Rename,
                    Some(o.id.clone()),
                    Some(o.name.clone()),
                    vec![field("name", Some(json!(o.name)), Some(json!(decl.name)))],
                    vec![op],
                    fp,
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
    let claimed = Tags.claimed_names(ctx.d, kind);
    ctx.prune(
        kind,
        live_tags(live),
        |t| t.name.as_str(),
        &claimed,
        |t| {
            Some(Removal {
                action: Action::Delete,
                id: t.id.clone(),
                fields: vec![],
                ops: vec![Op::DeleteTag { id: t.id.clone() }],
                fingerprint: fingerprint(&t.name),
            })
        },
    );
}

// ---------------------------------------------------------------------------------------------

/// The live tags.
fn live_tags(live: &Live) -> &[Tag] {
    live.objects(Kind::Tags)
}

/// The declared tags.
fn declared(desired: &Desired) -> &[Located<types::Tag>] {
    desired.declarations(Kind::Tags)
}
