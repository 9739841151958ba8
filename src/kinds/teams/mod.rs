//! Teams: they cannot be created, renamed or deleted through the API, so a missing team is a
//! manual step; only membership (and secondary members on load-balanced teams) is managed.

pub(crate) mod section;
mod write;
pub(super) use write::write;

use serde_json::json;

use super::Scope;
use super::engine::{LiveObject, PlanCtx, eq_ci, field, named_object, unique_by_name};
use super::export::identifiable;
use super::list_kind;
use super::read::ReadFuture;
use super::{Exported, KindSpec};
use crate::config::Diagnostic;
use crate::config::Located;
use crate::config::{Desired, did_you_mean};
use crate::intercom::{self, Client};
use crate::model::change::{Action, Change, Op, fingerprint};
use crate::model::{Address, Kind, Live, Team, TeamMembers};

/// Teams.
pub struct Teams;

impl KindSpec for Teams {
    list_kind!(
        kind: Kind::Teams, decl: section::Team, live: Team, check: check_members,
        export: export_kind,
        section: "Teams. Teams cannot be created, renamed or deleted through the API: a declared team\nmust exist. Only membership is managed, and only when `members` is set.",
    );

    fn read(&self, client: &Client, kind: Kind, scope: &Scope) -> Option<ReadFuture> {
        // Members are named by e-mail: managing teams needs the admins too; resolving team
        // names for another kind does not.
        super::read::with_admins(
            client,
            scope.kinds.contains(&kind),
            |c| async move { intercom::read::teams(&c).await },
            move |live, teams| live.set_objects(kind, teams),
        )
    }

    fn too_much(&self, change: &Change) -> Option<String> {
        let members = change.fields.iter().find(|f| f.name == "members")?;
        let as_list = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default()
        };
        let (old, new) = (as_list(&members.old), as_list(&members.new));
        let removed = old.iter().filter(|e| !new.contains(e)).count();
        (removed * 2 > old.len()).then(|| {
            format!(
                "refusing to remove {removed} of {} members from {}: a team may lose at most half of its members in one run",
                old.len(),
                change.address
            )
        })
    }
}

fn export_kind(live: &Live, kind: Kind, out: &mut Exported) -> bool {
    let email = |id: &str| {
        live.admins
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.email.clone())
    };
    let mut list = Vec::new();
    for t in identifiable(kind, live_teams(live), |t| &t.name, "teams", out) {
        let mut members: Vec<String> = t.admin_ids.iter().filter_map(|id| email(id)).collect();
        members.sort_by_key(|e| e.to_lowercase());
        // A member that is no longer a teammate cannot be written as an e-mail: leave the
        // membership unmanaged rather than plan to remove someone.
        let complete = members.len() == t.admin_ids.len() && !members.is_empty();
        let mut secondary: Vec<String> = t
            .secondary_admin_ids
            .iter()
            .filter_map(|id| email(id))
            .collect();
        secondary.sort_by_key(|e| e.to_lowercase());
        list.push(section::Team {
            name: t.name.clone(),
            members: complete.then_some(members),
            secondary: (complete && t.is_load_balanced() && !secondary.is_empty())
                .then_some(secondary),
        });
    }
    super::export::put(&mut out.cfg, kind, list)
}

named_object!(Team, |t| {
    let mut ids = t.admin_ids.clone();
    ids.sort();
    fingerprint(&(&ids, &t.secondary_admin_ids, &t.distribution_method))
});

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    let live = ctx.live;
    let email_of = |id: &str| {
        live.admins
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| format!("admin id {id}"), |a| a.email.to_lowercase())
    };
    for decl in declared(ctx.d) {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) {
            continue;
        }
        let candidates: Vec<_> = live_teams(live)
            .iter()
            .filter(|t| t.name == decl.name)
            .collect();
        let Ok(team) = unique_by_name(ctx, decl, "/name", candidates, kind, &decl.name) else {
            continue;
        };
        let Some(team) = team else {
            let help = match did_you_mean(&decl.name, live_teams(live).iter().map(|t| t.name.as_str())) {
                Some(s) => format!("did you mean `{s}`? Teams cannot be created through the API: create it in Intercom (Settings → Teammates → Teams)"),
                None => "teams cannot be created through the API: create it in Intercom (Settings → Teammates → Teams)".into(),
            };
            ctx.manual(
                address,
                format!("create the team `{}`", decl.name),
                Some(help),
            );
            continue;
        };
        let Some(members) = &decl.members else {
            continue;
        };
        let mut resolve = |list: &[String], sub: &str| -> Option<Vec<String>> {
            let mut ids = Vec::new();
            let mut ok = true;
            for (i, email) in list.iter().enumerate() {
                match live.admins.iter().find(|a| eq_ci(&a.email, email)) {
                    Some(a) => ids.push(a.id.clone()),
                    None => {
                        ok = false;
                        let help = match did_you_mean(email, live.admins.iter().map(|a| a.email.as_str())) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "team members must be teammates of the workspace (invite them in Intercom first)".into(),
                        };
                        ctx.error(
                            decl,
                            &format!("{sub}/{i}"),
                            format!("`{email}` is not a teammate of this workspace"),
                            Some(help),
                        );
                    }
                }
            }
            ids.sort();
            ids.dedup();
            ok.then_some(ids)
        };
        let member_ids = resolve(members, "/members");
        let secondary_ids = decl.secondary.as_ref().map(|s| resolve(s, "/secondary"));
        let Some(member_ids) = member_ids else {
            continue;
        };
        let secondary_ids = match secondary_ids {
            Some(None) => continue,
            Some(Some(ids)) => Some(ids),
            None => None,
        };
        let mut fields = Vec::new();
        // Compares one list of admins (ids, sorted) and shows it as sorted e-mails.
        let mut compare = |name: &str, live: &[String], want: &[String]| {
            let mut live = live.to_vec();
            live.sort();
            if want != live.as_slice() {
                let emails = |ids: &[String]| {
                    let mut e: Vec<String> = ids.iter().map(|i| email_of(i)).collect();
                    e.sort();
                    json!(e)
                };
                fields.push(field(name, Some(emails(&live)), Some(emails(want))));
            }
        };
        compare("members", &team.admin_ids, &member_ids);
        let mut secondary_to_send = None;
        if let Some(sec) = secondary_ids {
            if !team.is_load_balanced() {
                // Such a team has no levels, so `secondary: []` already holds; Intercom answers
                // any `secondary_admin_ids` on it with a 400, so nothing is sent.
                if !sec.is_empty() {
                    ctx.manual(
                        address.clone(),
                        "secondary members need a load-balanced team".into(),
                        Some(format!("`{}` does not use load-balanced assignment: switch it in Intercom (Settings → Teammates → Teams), or remove `secondary`", team.name)),
                    );
                }
            } else {
                compare("secondary", &team.secondary_admin_ids, &sec);
                secondary_to_send = Some(sec);
            }
        }
        if fields.is_empty() {
            continue;
        }
        let op = Op::SetTeamMembers {
            id: team.id.clone(),
            members: TeamMembers {
                admin_ids: member_ids,
                secondary_admin_ids: secondary_to_send,
            },
        };
        let fp = team.fingerprint();
        ctx.change(
            address,
            Action::Update,
            Some(team.id.clone()),
            None,
            fields,
            vec![op],
            fp,
        );
    }
}

fn check_members(d: &Desired, out: &mut Vec<Diagnostic>) {
    for t in declared(d) {
        let members: Vec<String> = t
            .members
            .iter()
            .flatten()
            .map(|m| m.to_lowercase())
            .collect();
        if t.members.as_ref().is_some_and(Vec::is_empty) {
            out.push(
                d.error_at(
                    &t.origin,
                    "/members",
                    "`members: []` would empty the team, which Intercom cannot do",
                )
                .with_help(
                    "list at least one member, or remove `members` to leave membership unmanaged",
                ),
            );
        }
        for (i, m) in members.iter().enumerate() {
            if members[..i].contains(m) {
                out.push(
                    d.error_at(
                        &t.origin,
                        &format!("/members/{i}"),
                        format!("`{m}` is listed twice in members"),
                    )
                    .with_help("list each member once (e-mails are case-insensitive)"),
                );
            }
        }
        for (i, s) in t.secondary.iter().flatten().enumerate() {
            if t.members.is_none() {
                out.push(
                    d.error_at(&t.origin, "/secondary", "`secondary` needs `members`")
                        .with_help("list the complete membership in `members`, including secondary members"),
                );
                break;
            }
            if !members.contains(&s.to_lowercase()) {
                out.push(
                    d.error_at(
                        &t.origin,
                        &format!("/secondary/{i}"),
                        format!("secondary member `{s}` is not in `members`"),
                    )
                    .with_help(format!("add `{s}` to members, or remove it from secondary")),
                );
            }
        }
    }
}

/// The live teams.
fn live_teams(live: &Live) -> &[Team] {
    live.objects(Kind::Teams)
}

/// The declared teams.
fn declared(desired: &Desired) -> &[Located<section::Team>] {
    desired.declarations(Kind::Teams)
}
