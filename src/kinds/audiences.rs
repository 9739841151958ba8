//! Audiences: contacts matching predicates; renamed by `renamed_from`, updated partially,
//! deleted when pruned.

use serde_json::json;

use super::Scope;
use super::checks::{self, Entry};
use super::engine::{Match, PlanCtx, Removal, field, index_by, live_object, matched, names};
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
use crate::model::{Audience, Kind, Live, Predicate};

/// Audiences.
pub struct Audiences;

impl KindSpec for Audiences {
    list_section!(
        Kind::Audiences,
        types::Audience,
        "Audiences (groups of contacts targeted by Fin and content)."
    );

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        let entries = self.entries(desired, Kind::Audiences);
        checks::named(desired, out, Kind::Audiences, &entries, false);
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        plan_kind(ctx);
    }

    fn live_names<'a>(&self, live: &'a Live, _kind: Kind) -> Vec<&'a str> {
        names(live_audiences(live), |a| &a.name)
    }

    fn current_fingerprint(&self, live: &Live, change: &Change) -> String {
        let key = &change.address.key;
        let found = live_object(
            live_audiences(live),
            change,
            |a| Some(&a.id),
            |a| a.name == *key,
        );
        found.map_or_else(|| ABSENT.to_string(), audience_fingerprint)
    }

    fn export(&self, live: &Live, kind: Kind, out: &mut Exported) -> bool {
        let (cfg, ignored) = (&mut out.cfg, &mut out.ignored);
        let mut list = Vec::new();
        let to_config = |p: &[Predicate]| {
            p.iter()
                .map(|p| types::Predicate {
                    attribute: p.attribute.clone(),
                    value_type: p.value_type.clone(),
                    comparison: p.comparison.clone(),
                    value: p.value.clone(),
                })
                .collect::<Vec<_>>()
        };
        for a in identifiable(
            kind,
            live_audiences(live),
            |a| &a.name,
            false,
            "audiences",
            ignored,
        ) {
            list.push(types::Audience {
                name: a.name.clone(),
                predicates: Some(to_config(&a.predicates)),
                role_predicates: Some(to_config(&a.role_predicates)),
                renamed_from: None,
            });
        }
        super::export::put(cfg, kind, list)
    }

    fn read(&self, client: &Client, kind: Kind, _scope: &Scope) -> Option<ReadFuture> {
        read::with(client, kind, |c| async move {
            intercom::read::audiences(&c).await
        })
    }
}

fn audience_fingerprint(a: &crate::model::Audience) -> String {
    fingerprint(&(&a.name, &a.predicates, &a.role_predicates))
}

fn predicates(list: &Option<Vec<types::Predicate>>) -> Option<Vec<Predicate>> {
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

fn plan_kind(ctx: &mut PlanCtx<'_>) {
    let kind = Kind::Audiences;
    let live = ctx.live;
    let by_name = index_by(live_audiences(live), |a| a.name.as_str(), false);
    let find = |name: &str| by_name.get(name).cloned().unwrap_or_default();
    let decls = declared(ctx.d);
    for (address, decl, found) in matched(ctx, kind, decls, find) {
        let want_p = predicates(&decl.predicates);
        let want_r = predicates(&decl.role_predicates);
        let (target, rename) = match found {
            Match::Renamed(o) => (o, true),
            Match::Existing(n) => (n, false),
            Match::Absent => {
                let mut fields = Vec::new();
                if let Some(p) = &want_p {
                    fields.push(field("predicates", None, Some(json!(p))));
                }
                if let Some(p) = &want_r {
                    fields.push(field("role_predicates", None, Some(json!(p))));
                }
                let op = Op::CreateAudience {
                    name: decl.name.clone(),
                    predicates: want_p,
                    role_predicates: want_r,
                };
                ctx.create(address, fields, vec![op]);
                continue;
            }
        };
        let mut fields = Vec::new();
        if rename {
            fields.push(field(
                "name",
                Some(json!(target.name)),
                Some(json!(decl.name)),
            ));
        }
        let predicates = want_p.filter(|p| *p != target.predicates);
        if let Some(p) = &predicates {
            fields.push(field(
                "predicates",
                Some(json!(target.predicates)),
                Some(json!(p)),
            ));
        }
        let role_predicates = want_r.filter(|p| *p != target.role_predicates);
        if let Some(p) = &role_predicates {
            fields.push(field(
                "role_predicates",
                Some(json!(target.role_predicates)),
                Some(json!(p)),
            ));
        }
        if fields.is_empty() {
            continue;
        }
        let op = Op::UpdateAudience {
            id: target.id.clone(),
            name: rename.then(|| decl.name.clone()),
            predicates,
            role_predicates,
        };
        let fp = audience_fingerprint(target);
        let action = if rename {
            Action::Rename
        } else {
            Action::Update
        };
        ctx.change(
            address,
            action,
            Some(target.id.clone()),
            rename.then(|| target.name.clone()),
            fields,
            vec![op],
            fp,
        );
    }
    let claimed = Audiences.claimed_names(ctx.d, kind);
    ctx.prune(
        kind,
        live_audiences(live),
        |a| a.name.as_str(),
        &claimed,
        |a| {
            Some(Removal {
                action: Action::Delete,
                id: a.id.clone(),
                fields: vec![],
                ops: vec![Op::DeleteAudience { id: a.id.clone() }],
                fingerprint: audience_fingerprint(a),
            })
        },
    );
}

// ---------------------------------------------------------------------------------------------

/// The live audiences.
fn live_audiences(live: &Live) -> &[Audience] {
    live.objects(Kind::Audiences)
}

/// The declared audiences.
fn declared(desired: &Desired) -> &[Located<types::Audience>] {
    desired.declarations(Kind::Audiences)
}
