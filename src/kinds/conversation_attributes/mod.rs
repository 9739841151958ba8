//! Conversation attributes (API 2.16+): renamed by `renamed_from`, archived instead of
//! deleted, list options added and archived one by one; unarchiving and type changes are
//! manual steps.

pub(crate) mod section;
mod write;
pub(super) use write::write;

use serde_json::json;

use super::checks::{check_options, pii_warning};
use super::engine::{
    Fields, LiveObject, Match, PlanCtx, field, index_by, matched, named_object, rename_fields,
};
use super::export::duplicated;
use super::list_kind;
use super::{Exported, Ignored, KindSpec};
use crate::config::Diagnostic;
use crate::config::{Desired, Located, did_you_mean};
use crate::intercom::{self};
use crate::model::change::{Action, Op, fingerprint};
use crate::model::{
    Address, ConversationAttribute, ConversationAttributeChanges, ConversationAttributeType, Kind,
    Live, NewConversationAttribute,
};

/// Conversation attributes.
pub struct ConversationAttributes;

impl KindSpec for ConversationAttributes {
    list_kind!(
        kind: Kind::ConversationAttributes, decl: section::ConversationAttribute,
        live: ConversationAttribute, read: intercom::read::conversation_attributes,
        export: export_kind,
        section: "Conversation attributes (Intercom API 2.16+).",
    );

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        check_declarations(desired, out);
        self.check_names(desired, out);
    }

    fn names_keep_spaces(&self) -> bool {
        // Intercom keeps a conversation attribute's spaces: only emptiness is refused.
        true
    }

    fn widen_scope(&self, _desired: Option<&Desired>, scope: &mut super::Scope) {
        // `visible_to_teams` names teams: their ids come from the team list.
        scope.also.insert(Kind::Teams);
    }
}

fn export_kind(live: &Live, kind: Kind, out: &mut Exported) -> bool {
    let (cfg, ignored) = (&mut out.cfg, &mut out.ignored);
    let team_name = |id: &str| {
        teams_of(live)
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
    };
    let active = duplicated(
        live_attributes(live)
            .iter()
            .filter(|a| !a.archived)
            .map(|a| a.name.as_str()),
        false,
    );
    let mut list = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    let mut sorted: Vec<_> = live_attributes(live).iter().collect();
    // Active attributes first, so an archived namesake never shadows the live one.
    sorted.sort_by_key(|a| a.archived);
    for a in sorted {
        if active.contains(&a.name) {
            if done.insert(a.name.clone()) {
                ignored.push(Ignored {
                    kind,
                    name: a.name.clone(),
                    why: "several active conversation attributes have this name, so a name cannot identify one".into(),
                });
            }
            continue;
        }
        if !done.insert(a.name.clone()) {
            continue;
        }
        let Some(t) = export_type(a.data_type) else {
            ignored.push(Ignored {
                kind,
                name: a.name.clone(),
                why: format!(
                    "its type `{}` cannot be managed by the configuration language",
                    a.data_type.as_str()
                ),
            });
            continue;
        };
        let mut teams: Vec<String> = a
            .visible_to_team_ids
            .iter()
            .filter_map(|id| team_name(id))
            .collect();
        teams.sort();
        let visible_known = teams.len() == a.visible_to_team_ids.len();
        list.push(section::ConversationAttribute {
            name: a.name.clone(),
            data_type: t,
            options: (a.data_type == ConversationAttributeType::List).then(|| {
                a.options
                    .iter()
                    .filter(|o| !o.archived)
                    .map(|o| o.label.clone())
                    .collect()
            }),
            description: Some(a.description.clone()),
            required: Some(a.required),
            visible_to_teams: visible_known.then_some(teams),
            multiline: if a.data_type == ConversationAttributeType::String {
                a.multiline
            } else {
                None
            },
            archived: Some(a.archived),
            renamed_from: None,
        });
    }
    super::export::put(cfg, kind, list)
}

/// How a live type is declared: relationships and files cannot be.
fn export_type(t: ConversationAttributeType) -> Option<ConversationAttributeType> {
    match t {
        ConversationAttributeType::Relationship | ConversationAttributeType::Files => None,
        other => Some(other),
    }
}

named_object!(archived ConversationAttribute, |a| fingerprint(&(
    &a.name,
    a.data_type,
    &a.description,
    a.required,
    &a.visible_to_team_ids,
    a.archived,
    a.multiline,
    &a.options,
)));

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    let live = ctx.live;
    let by_name = index_by(live_attributes(live), |a| a.name.as_str(), false);
    // Active attributes with the name; else the first archived one.
    let find = |name: &str| -> Vec<&ConversationAttribute> {
        let all = by_name.get(name).map(Vec::as_slice).unwrap_or_default();
        let active: Vec<&ConversationAttribute> =
            all.iter().copied().filter(|a| !a.archived).collect();
        if active.is_empty() {
            all.iter().copied().take(1).collect()
        } else {
            active
        }
    };
    let decls = declared(ctx.d);
    for (address, decl, found) in matched(ctx, kind, decls, find) {
        let team_ids = match resolve_teams(ctx, decl) {
            Ok(ids) => ids,
            Err(()) => continue,
        };
        match found {
            Match::Renamed(old) => {
                update_conversation_attribute(ctx, &address, decl, old, team_ids, true)
            }
            Match::Existing(l) => {
                update_conversation_attribute(ctx, &address, decl, l, team_ids, false)
            }
            Match::Absent if decl.archived == Some(true) => ctx.note(
                address,
                "archived in the configuration and absent from Intercom: nothing to do",
            ),
            Match::Absent => {
                let data_type = decl.data_type;
                let options = decl.options.clone().unwrap_or_default();
                let mut fields = vec![field("type", None, Some(json!(data_type.as_str())))];
                if !options.is_empty() {
                    fields.push(field("options", None, Some(json!(options))));
                }
                for (name, v) in [
                    ("description", decl.description.as_ref().map(|d| json!(d))),
                    ("required", decl.required.map(|r| json!(r))),
                    (
                        "visible_to_teams",
                        decl.visible_to_teams.as_ref().map(|t| json!(t)),
                    ),
                    ("multiline", decl.multiline.map(|m| json!(m))),
                ] {
                    if v.is_some() {
                        fields.push(field(name, None, v));
                    }
                }
                let op = Op::CreateConversationAttribute(NewConversationAttribute {
                    name: decl.name.clone(),
                    data_type,
                    options,
                    description: decl.description.clone(),
                    required: decl.required,
                    visible_to_team_ids: team_ids,
                    multiline: decl.multiline,
                });
                ctx.create(address, fields, vec![op]);
            }
        }
    }
    ctx.prune_by_archiving(kind, live_attributes(live), |id| {
        Op::ArchiveConversationAttribute { id }
    });
}

/// Team names of `visible_to_teams` to ids; unknown names are errors.
fn resolve_teams(
    ctx: &mut PlanCtx<'_>,
    decl: &Located<section::ConversationAttribute>,
) -> Result<Option<Vec<String>>, ()> {
    let Some(names) = &decl.visible_to_teams else {
        return Ok(None);
    };
    let live = ctx.live;
    let mut ids = Vec::new();
    let mut ok = true;
    for (i, name) in names.iter().enumerate() {
        match teams_of(live).iter().find(|t| t.name == *name) {
            Some(t) => ids.push(t.id.clone()),
            None => {
                ok = false;
                let help = match did_you_mean(name, teams_of(live).iter().map(|t| t.name.as_str()))
                {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "name an existing team (teams cannot be created through the API)".into()
                    }
                };
                ctx.error(
                    decl,
                    &format!("/visible_to_teams/{i}"),
                    format!("team `{name}` does not exist in Intercom"),
                    Some(help),
                );
            }
        }
    }
    ids.sort();
    ids.dedup();
    if ok { Ok(Some(ids)) } else { Err(()) }
}

fn team_names(ctx: &PlanCtx<'_>, ids: &[String]) -> Vec<String> {
    let mut names: Vec<String> = ids
        .iter()
        .map(|id| {
            teams_of(ctx.live)
                .iter()
                .find(|t| t.id == *id)
                .map_or_else(|| format!("team id {id}"), |t| t.name.clone())
        })
        .collect();
    names.sort();
    names
}

fn update_conversation_attribute(
    ctx: &mut PlanCtx<'_>,
    address: &Address,
    decl: &Located<section::ConversationAttribute>,
    l: &ConversationAttribute,
    team_ids: Option<Vec<String>>,
    rename: bool,
) {
    let want_type = decl.data_type;
    if want_type != l.data_type {
        let how = "the API cannot change a conversation attribute's type: change it in Intercom, or create a new attribute";
        ctx.manual_type_change(address, l.data_type.as_str(), want_type.as_str(), how);
    }
    let mut fields = rename_fields(l, rename, &decl.name);
    let mut ops = Vec::new();
    let (mut visible, mut multiline) = (None, None);
    let description = fields.changed("description", decl.description.as_ref(), &l.description);
    let required = fields.changed("required", decl.required.as_ref(), &l.required);
    if let Some(m) = decl.multiline
        && Some(m) != l.multiline
    {
        fields.push(field(
            "multiline",
            l.multiline.map(|x| json!(x)),
            Some(json!(m)),
        ));
        multiline = Some(m);
    }
    if let Some(ids) = team_ids {
        let mut live_ids = l.visible_to_team_ids.clone();
        live_ids.sort();
        if ids != live_ids {
            fields.push(field(
                "visible_to_teams",
                Some(json!(team_names(ctx, &live_ids))),
                Some(json!(team_names(ctx, &ids))),
            ));
            visible = Some(ids);
        }
    }
    if rename
        || description.is_some()
        || required.is_some()
        || visible.is_some()
        || multiline.is_some()
    {
        ops.push(Op::UpdateConversationAttribute {
            id: l.id.clone(),
            changes: ConversationAttributeChanges {
                name: rename.then(|| decl.name.clone()),
                description,
                required,
                visible_to_team_ids: visible,
                multiline,
            },
        });
    }
    if let Some(opts) = &decl.options
        && want_type == l.data_type
        && l.data_type == ConversationAttributeType::List
    {
        let active: Vec<&str> = l
            .options
            .iter()
            .filter(|o| !o.archived)
            .map(|o| o.label.as_str())
            .collect();
        if opts.iter().map(String::as_str).collect::<Vec<_>>() != active {
            for label in opts.iter().filter(|o| !active.contains(&o.as_str())) {
                if l.options.iter().any(|o| o.archived && o.label == *label) {
                    ctx.manual(
                            address.clone(),
                            format!("unarchive option `{label}`"),
                            Some("the API cannot unarchive a list option: restore it in Intercom (Settings → Data → Conversations)".into()),
                        );
                } else {
                    ops.push(Op::AddConversationAttributeOption {
                        attribute_id: l.id.clone(),
                        label: label.clone(),
                    });
                }
            }
            for o in l
                .options
                .iter()
                .filter(|o| !o.archived && !opts.contains(&o.label))
            {
                ctx.warn(
                    address,
                    format!(
                        "archiving option `{}`: conversations can no longer be set to it",
                        o.label
                    ),
                );
                ops.push(Op::ArchiveConversationAttributeOption {
                    attribute_id: l.id.clone(),
                    option_id: o.id.clone(),
                    label: o.label.clone(),
                });
            }
            fields.push(field("options", Some(json!(active)), Some(json!(opts))));
        }
    }
    let mut action = if rename {
        Action::Rename
    } else {
        Action::Update
    };
    match (decl.archived, l.archived) {
        (Some(true), false) => {
            ops.push(Op::ArchiveConversationAttribute { id: l.id.clone() });
            fields.push(field("archived", Some(json!(false)), Some(json!(true))));
            if !rename {
                action = Action::Archive;
            }
        }
        (Some(false), true) => ctx.manual(
            address.clone(),
            "unarchive the attribute".into(),
            Some("the API cannot unarchive conversation attributes: unarchive it in Intercom (Settings → Data → Conversations)".into()),
        ),
        _ => {}
    }
    if ops.is_empty() {
        return;
    }
    let renamed_from = rename.then(|| l.name.clone());
    ctx.change(
        address.clone(),
        action,
        Some(l.id.clone()),
        renamed_from,
        fields,
        ops,
        l.fingerprint(),
    );
}

// ---------------------------------------------------------------------------------------------

fn check_declarations(d: &Desired, out: &mut Vec<Diagnostic>) {
    for a in declared(d) {
        if a.name.trim().is_empty() {
            out.push(d.error_at(&a.origin, "/name", "an attribute name must not be empty"));
        } else if a.name.trim() != a.name {
            out.push(d.error_at(
                &a.origin,
                "/name",
                "an attribute name must not start or end with spaces",
            ));
        }
        check_options(
            d,
            out,
            &a.origin,
            a.data_type == ConversationAttributeType::List,
            a.options.as_ref(),
        );
        if a.multiline.is_some() && a.data_type != ConversationAttributeType::String {
            out.push(
                d.error_at(
                    &a.origin,
                    "/multiline",
                    "`multiline` is only allowed on attributes of type `string`",
                )
                .with_help("remove `multiline`"),
            );
        }
        out.extend(pii_warning(
            d,
            &a.origin,
            "/name",
            "conversation attribute",
            &a.name,
        ));
    }
}

/// The live conversation attributes, archived included.
fn live_attributes(live: &Live) -> &[ConversationAttribute] {
    live.objects(Kind::ConversationAttributes)
}

/// The live teams (read for `visible_to_teams` even when teams are not managed).
fn teams_of(live: &Live) -> &[crate::model::Team] {
    live.objects(Kind::Teams)
}

/// The declared conversation attributes.
fn declared(desired: &Desired) -> &[Located<section::ConversationAttribute>] {
    desired.declarations(Kind::ConversationAttributes)
}
