//! Audiences: contacts matching predicates; renamed by `renamed_from`, updated partially,
//! deleted when pruned.

pub(crate) mod section;
mod write;
pub(super) use write::write;

use serde_json::json;

use super::engine::{Fields, PlanCtx, field, matched_by_name, named_object, rename_fields};
use super::export::identifiable;
use super::list_kind;
use super::{Exported, KindSpec};
use crate::config::Desired;
use crate::config::Located;
use crate::intercom::{self};
use crate::model::change::{Op, fingerprint};
use crate::model::{Audience, AudienceChanges, Kind, Live, NewAudience, Predicate};

/// Audiences.
pub struct Audiences;

impl KindSpec for Audiences {
    list_kind!(
        kind: Kind::Audiences, decl: section::Audience, live: Audience,
        read: intercom::read::audiences, export: export_kind,
        section: "Audiences (groups of contacts targeted by Fin and content).",
    );
}

fn export_kind(live: &Live, kind: Kind, out: &mut Exported) -> bool {
    let mut list = Vec::new();
    let to_config = |p: &[Predicate]| {
        p.iter()
            .map(|p| section::Predicate {
                attribute: p.attribute.clone(),
                value_type: p.value_type.clone(),
                comparison: p.comparison.clone(),
                value: p.value.clone(),
            })
            .collect::<Vec<_>>()
    };
    for a in identifiable(kind, live_audiences(live), |a| &a.name, "audiences", out) {
        list.push(section::Audience {
            name: a.name.clone(),
            predicates: Some(to_config(&a.predicates)),
            role_predicates: Some(to_config(&a.role_predicates)),
            renamed_from: None,
        });
    }
    super::export::put(&mut out.cfg, kind, list)
}

named_object!(Audience, |a| fingerprint(&(
    &a.name,
    &a.predicates,
    &a.role_predicates
)));

fn predicates(list: &Option<Vec<section::Predicate>>) -> Option<Vec<Predicate>> {
    list.as_ref().map(|l| {
        l.iter()
            .map(|p| Predicate {
                attribute: p.attribute.clone(),
                value_type: p.value_type.clone(),
                comparison: p.comparison.clone(),
                value: p.value.clone(),
            })
            .collect()
    })
}

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    let (decls, live) = (declared(ctx.d), ctx.live);
    for (address, decl, found) in matched_by_name(ctx, kind, decls, live_audiences(live)) {
        let want_p = predicates(&decl.predicates);
        let want_r = predicates(&decl.role_predicates);
        let Some((target, rename)) = found.live() else {
            let mut fields = Vec::new();
            if let Some(p) = &want_p {
                fields.push(field("predicates", None, Some(json!(p))));
            }
            if let Some(p) = &want_r {
                fields.push(field("role_predicates", None, Some(json!(p))));
            }
            let op = Op::CreateAudience(NewAudience {
                name: decl.name.clone(),
                predicates: want_p,
                role_predicates: want_r,
            });
            ctx.create(address, fields, vec![op]);
            continue;
        };
        let mut fields = rename_fields(target, rename, &decl.name);
        let predicates = fields.changed("predicates", want_p.as_ref(), &target.predicates);
        let role_predicates =
            fields.changed("role_predicates", want_r.as_ref(), &target.role_predicates);
        if fields.is_empty() {
            continue;
        }
        let op = Op::UpdateAudience {
            id: target.id.clone(),
            changes: AudienceChanges {
                name: rename.then(|| decl.name.clone()),
                predicates,
                role_predicates,
            },
        };
        ctx.modify(address, target, rename, fields, vec![op]);
    }
    ctx.prune_by_deleting(kind, live_audiences(live), |id| Op::DeleteAudience { id });
}

// ---------------------------------------------------------------------------------------------

/// The live audiences.
fn live_audiences(live: &Live) -> &[Audience] {
    live.objects(Kind::Audiences)
}

/// The declared audiences.
fn declared(desired: &Desired) -> &[Located<section::Audience>] {
    desired.declarations(Kind::Audiences)
}
