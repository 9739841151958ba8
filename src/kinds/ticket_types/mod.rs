//! Ticket types and their attributes (`/ticket_types`): matched by name, attributes by name
//! within their type. A new type is created with its attributes in one change (each attribute
//! create is given the type's new id). Types and attributes are archived, never deleted
//! (`archived: true`, or prune); unarchiving is an update. Intercom's default attributes
//! (`_default_title_`, `_default_description_`) are its own: never planned, exported or
//! reported. An attribute's data type cannot change through the API (a manual step), and its
//! `list_items` are written when it is created only: Intercom does not document how it shows
//! them, so they are never compared (the plan says so in a note).

pub(crate) mod section;
mod write;
pub(super) use write::write;

use std::collections::BTreeSet;

use serde_json::json;

use super::engine::{Fields, LiveObject, Match, PlanCtx, field, index_by, matched, named_object};
use super::export::identifiable;
use super::{Exported, Ignored, KindSpec, list_kind};
use crate::config::{Desired, Diagnostic, Located};
use crate::intercom;
use crate::model::change::{Action, FieldChange, Op, fingerprint};
use crate::model::{
    Address, DEFAULT_TICKET_ATTRIBUTES, Kind, Live, NewTicketType, NewTicketTypeAttribute,
    TicketAttributeType, TicketType, TicketTypeAttribute, TicketTypeAttributeChanges,
    TicketTypeCategory, TicketTypeChanges, TicketTypeRef,
};

const KIND: Kind = Kind::TicketTypes;

/// Where ticket types are edited in Intercom, for manual steps.
const SETTINGS: &str = "Settings → Tickets → Ticket types";

/// Ticket types.
pub struct TicketTypes;

impl KindSpec for TicketTypes {
    list_kind!(
        kind: KIND, decl: section::TicketType, live: TicketType,
        check: check_declarations, read: intercom::read::ticket_types, export: export_kind,
        section: "Ticket types with their attributes. Archived, never deleted, when pruned.",
    );
}

named_object!(archived TicketType, |t| {
    let custom: Vec<&TicketTypeAttribute> = custom(t).collect();
    fingerprint(&(
        &t.name,
        &t.description,
        &t.category,
        &t.icon,
        t.is_internal,
        t.archived,
        custom,
    ))
});

/// A type's own attributes (Intercom's default ones left out).
fn custom(t: &TicketType) -> impl Iterator<Item = &TicketTypeAttribute> {
    t.attributes.iter().filter(|a| !a.default)
}

/// The live ticket types, archived included.
fn live_types(live: &Live) -> &[TicketType] {
    live.objects(KIND)
}

/// The declared ticket types.
fn declared(desired: &Desired) -> &[Located<section::TicketType>] {
    desired.declarations(KIND)
}

/// How a plan names one attribute's field (`attributes["Severity"].description`).
fn attribute_field(name: &str, f: &str) -> String {
    format!("attributes[{name:?}].{f}")
}

fn plan_kind(ctx: &mut PlanCtx<'_>, kind: Kind) {
    let live = ctx.live;
    let by_name = index_by(live_types(live), |t| t.name.as_str(), false);
    // Active types with the name; else the first archived one.
    let find = |name: &str| -> Vec<&TicketType> {
        let all = by_name.get(name).map(Vec::as_slice).unwrap_or_default();
        let active: Vec<&TicketType> = all.iter().copied().filter(|t| !t.archived).collect();
        if active.is_empty() {
            all.iter().copied().take(1).collect()
        } else {
            active
        }
    };
    for (address, decl, found) in matched(ctx, kind, declared(ctx.d), find) {
        match found {
            Match::Existing(l) | Match::Renamed(l) => update_type(ctx, address, decl, l),
            Match::Absent if decl.archived == Some(true) => ctx.note(
                address,
                "archived in the configuration and absent from Intercom: nothing to do",
            ),
            Match::Absent => create_type(ctx, address, decl),
        }
    }
    ctx.prune_by_archiving(kind, live_types(live), |id| Op::UpdateTicketType {
        id,
        changes: TicketTypeChanges {
            archived: Some(true),
            ..TicketTypeChanges::default()
        },
    });
}

fn create_type(ctx: &mut PlanCtx<'_>, address: Address, decl: &Located<section::TicketType>) {
    let mut fields = Vec::new();
    for (name, v) in [
        ("description", decl.description.as_ref().map(|d| json!(d))),
        ("category", decl.category.map(|c| json!(c.as_str()))),
        ("icon", decl.icon.as_ref().map(|i| json!(i))),
        ("is_internal", decl.is_internal.map(|b| json!(b))),
    ] {
        if v.is_some() {
            fields.push(field(name, None, v));
        }
    }
    let mut ops = vec![Op::CreateTicketType(NewTicketType {
        name: decl.name.clone(),
        description: decl.description.clone(),
        category: decl.category,
        icon: decl.icon.clone(),
        is_internal: decl.is_internal,
    })];
    let mut complete = true;
    for (i, a) in decl.attributes.iter().flatten().enumerate() {
        if a.archived == Some(true) {
            continue;
        }
        match new_attribute(ctx, decl, i, a) {
            Some(new) => {
                fields.push(new_attribute_field(a));
                ops.push(Op::CreateTicketTypeAttribute {
                    ticket_type: TicketTypeRef::Created,
                    attribute: new,
                });
            }
            None => complete = false,
        }
    }
    if complete {
        ctx.create(address, fields, ops);
    }
}

/// How a plan shows a new attribute: its declaration without the name (in the field's name).
fn new_attribute_field(a: &section::TicketTypeAttribute) -> crate::model::change::FieldChange {
    let mut shown = serde_json::to_value(a).unwrap_or_default();
    if let Some(o) = shown.as_object_mut() {
        o.shift_remove("name");
    }
    field(&format!("attributes[{:?}]", a.name), None, Some(shown))
}

/// The create request of a declared attribute; a `list` without items is a located error.
fn new_attribute(
    ctx: &mut PlanCtx<'_>,
    decl: &Located<section::TicketType>,
    i: usize,
    a: &section::TicketTypeAttribute,
) -> Option<NewTicketTypeAttribute> {
    if a.data_type == TicketAttributeType::List && a.list_items.is_none() {
        ctx.error(
            decl,
            &format!("/attributes/{i}/data_type"),
            format!(
                "the new list attribute `{}` needs `list_items` (Intercom requires them to create it)",
                a.name
            ),
            Some("add `list_items: [First, Second]`".into()),
        );
        return None;
    }
    Some(NewTicketTypeAttribute {
        name: a.name.clone(),
        description: a.description.clone().unwrap_or_default(),
        data_type: a.data_type,
        required_to_create: a.required_to_create,
        required_to_create_for_contacts: a.required_to_create_for_contacts,
        visible_on_create: a.visible_on_create,
        visible_to_contacts: a.visible_to_contacts,
        multiline: a.multiline,
        list_items: a.list_items.as_ref().map(|l| l.join(",")),
        allow_multiple_values: a.allow_multiple_values,
    })
}

fn update_type(
    ctx: &mut PlanCtx<'_>,
    address: Address,
    decl: &Located<section::TicketType>,
    l: &TicketType,
) {
    let mut fields = Vec::new();
    let mut changes = TicketTypeChanges {
        description: fields.changed("description", decl.description.as_ref(), &l.description),
        ..TicketTypeChanges::default()
    };
    if let Some(c) = decl.category
        && c.as_str() != l.category
    {
        fields.push(field(
            "category",
            Some(json!(l.category)),
            Some(json!(c.as_str())),
        ));
        changes.category = Some(c);
    }
    changes.icon = fields.changed("icon", decl.icon.as_ref(), &l.icon);
    // Compared only when Intercom said (the 2.16 read schema lacks `is_internal`).
    if let (Some(want), Some(have)) = (decl.is_internal, l.is_internal)
        && want != have
    {
        fields.push(field("is_internal", Some(json!(have)), Some(json!(want))));
        changes.is_internal = Some(want);
    }
    let archiving = decl.archived == Some(true) && !l.archived;
    changes.archived = archived(decl.archived, l.archived, &mut fields, || {
        ctx.note(
            address.clone(),
            "archived in Intercom: set `archived: false` to unarchive it",
        )
    });
    let mut ops = Vec::new();
    let only_archive = archiving && fields.len() == 1;
    if !changes.is_empty() {
        ops.push(Op::UpdateTicketType {
            id: l.id.clone(),
            changes,
        });
    }
    let stays_archived = decl.archived == Some(true) || (decl.archived.is_none() && l.archived);
    if !stays_archived {
        plan_attributes(ctx, &address, decl, l, &mut fields, &mut ops);
    }
    if ops.is_empty() {
        return;
    }
    let action = if only_archive && ops.len() == 1 {
        Action::Archive
    } else {
        Action::Update
    };
    ctx.change(
        address,
        action,
        Some(l.id.clone()),
        None,
        fields,
        ops,
        l.fingerprint(),
    );
}

/// The attribute creates, updates and archives of an existing type that declares `attributes`.
fn plan_attributes(
    ctx: &mut PlanCtx<'_>,
    address: &Address,
    decl: &Located<section::TicketType>,
    l: &TicketType,
    fields: &mut Vec<crate::model::change::FieldChange>,
    ops: &mut Vec<Op>,
) {
    let Some(declared) = &decl.attributes else {
        return;
    };
    let live: Vec<&TicketTypeAttribute> = custom(l).collect();
    for (i, a) in declared.iter().enumerate() {
        let found = live
            .iter()
            .find(|x| x.name == a.name && !x.archived)
            .or_else(|| live.iter().find(|x| x.name == a.name));
        let Some(x) = found else {
            if a.archived != Some(true)
                && let Some(new) = new_attribute(ctx, decl, i, a)
            {
                fields.push(new_attribute_field(a));
                ops.push(Op::CreateTicketTypeAttribute {
                    ticket_type: TicketTypeRef::Id(l.id.clone()),
                    attribute: new,
                });
            }
            continue;
        };
        if let Some(change) = update_attribute(ctx, address, a, x, fields) {
            ops.push(Op::UpdateTicketTypeAttribute {
                ticket_type_id: l.id.clone(),
                id: x.id.clone(),
                changes: change,
            });
        }
    }
    if !ctx.prunes(KIND) {
        return;
    }
    let names: BTreeSet<&str> = declared.iter().map(|a| a.name.as_str()).collect();
    for x in live
        .iter()
        .filter(|x| !x.archived && !names.contains(x.name.as_str()))
    {
        fields.push(field(
            &attribute_field(&x.name, "archived"),
            Some(json!(false)),
            Some(json!(true)),
        ));
        ops.push(Op::UpdateTicketTypeAttribute {
            ticket_type_id: l.id.clone(),
            id: x.id.clone(),
            changes: TicketTypeAttributeChanges {
                archived: Some(true),
                ..TicketTypeAttributeChanges::default()
            },
        });
    }
}

/// The changes of one declared attribute that exists; a data-type change is a manual step.
fn update_attribute(
    ctx: &mut PlanCtx<'_>,
    address: &Address,
    a: &section::TicketTypeAttribute,
    x: &TicketTypeAttribute,
    fields: &mut Vec<crate::model::change::FieldChange>,
) -> Option<TicketTypeAttributeChanges> {
    let same_type = a.data_type.as_str() == x.data_type;
    if !same_type {
        ctx.manual(
            address.clone(),
            format!(
                "change the data type of attribute `{}` from `{}` to `{}`",
                a.name,
                x.data_type,
                a.data_type.as_str()
            ),
            Some(format!(
                "the API cannot change a ticket type attribute's data type: archive the attribute and declare a new one under another name, or change it in Intercom ({SETTINGS})"
            )),
        );
    }
    if a.list_items.is_some() && same_type {
        ctx.note(
            address.clone(),
            &format!(
                "the `list_items` of attribute `{}` are written when it is created only: Intercom does not document how it shows them, so they are not compared (edit them in Intercom, {SETTINGS})",
                a.name
            ),
        );
    }
    let mut named = Vec::new();
    let mut c = TicketTypeAttributeChanges::default();
    // The fields compared by the same name on both sides.
    macro_rules! compare {
        ($($f:ident),*) => { $( c.$f = named.changed(stringify!($f), a.$f.as_ref(), &x.$f); )* };
    }
    compare!(
        description,
        required_to_create,
        required_to_create_for_contacts,
        visible_on_create,
        visible_to_contacts
    );
    // Compared only when Intercom shows them (in `input_options`) and the type is unchanged.
    if same_type && let Some(have) = x.multiline {
        c.multiline = named.changed("multiline", a.multiline.as_ref(), &have);
    }
    if same_type && let Some(have) = x.allow_multiple_values {
        c.allow_multiple_values = named.changed(
            "allow_multiple_values",
            a.allow_multiple_values.as_ref(),
            &have,
        );
    }
    c.archived = archived(a.archived, x.archived, &mut named, || {
        ctx.note(
            address.clone(),
            &format!(
                "attribute `{}` is archived in Intercom: set its `archived: false` to unarchive it",
                a.name
            ),
        )
    });
    for mut f in named {
        f.name = attribute_field(&a.name, &f.name);
        fields.push(f);
    }
    (!c.is_empty()).then_some(c)
}

/// `archived` as declared against the live value: the field change and the value to send, or
/// `unmanaged_but_archived` when the object is archived and the declaration says nothing.
fn archived(
    want: Option<bool>,
    have: bool,
    fields: &mut Vec<FieldChange>,
    unmanaged_but_archived: impl FnOnce(),
) -> Option<bool> {
    match want {
        Some(want) if want != have => {
            fields.push(field("archived", Some(json!(have)), Some(json!(want))));
            Some(want)
        }
        None if have => {
            unmanaged_but_archived();
            None
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------

fn check_declarations(d: &Desired, out: &mut Vec<Diagnostic>) {
    for t in declared(d) {
        let mut seen = BTreeSet::new();
        for (i, a) in t.attributes.iter().flatten().enumerate() {
            let at = |sub: &str| format!("/attributes/{i}{sub}");
            if a.name.trim().is_empty() || a.name.trim() != a.name {
                out.push(
                    d.error_at(
                        &t.origin,
                        &at("/name"),
                        "an attribute name must not be empty or start or end with spaces",
                    )
                    .with_help("write the name without surrounding spaces"),
                );
            } else if DEFAULT_TICKET_ATTRIBUTES.contains(&a.name.as_str()) {
                out.push(
                    d.error_at(
                        &t.origin,
                        &at("/name"),
                        format!(
                            "`{}` is one of the attributes Intercom adds to every ticket type; it cannot be declared",
                            a.name
                        ),
                    )
                    .with_help("remove it: Intercom manages its default attributes"),
                );
            } else if !seen.insert(a.name.as_str()) {
                out.push(
                    d.error_at(
                        &t.origin,
                        &at("/name"),
                        format!(
                            "attribute `{}` is declared twice in ticket type `{}`",
                            a.name, t.name
                        ),
                    )
                    .with_help(
                        "an attribute's name identifies it within its type: remove or rename one",
                    ),
                );
            }
            let only = |field: &str, ty: &str| {
                d.error_at(
                    &t.origin,
                    &at(&format!("/{field}")),
                    format!("`{field}` only applies to attributes of data type `{ty}`"),
                )
                .with_help(format!("remove `{field}`, or set `data_type: {ty}`"))
            };
            if a.list_items.is_some() && a.data_type != TicketAttributeType::List {
                out.push(only("list_items", "list"));
            }
            if a.multiline.is_some() && a.data_type != TicketAttributeType::String {
                out.push(only("multiline", "string"));
            }
            if a.allow_multiple_values.is_some() && a.data_type != TicketAttributeType::Files {
                out.push(only("allow_multiple_values", "files"));
            }
            check_list_items(d, out, t, i, a);
        }
    }
}

/// `list_items`: at least one, none empty, none with a comma (Intercom takes them
/// comma-delimited), no duplicates.
fn check_list_items(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    t: &Located<section::TicketType>,
    i: usize,
    a: &section::TicketTypeAttribute,
) {
    let Some(items) = &a.list_items else {
        return;
    };
    if items.is_empty() {
        out.push(
            d.error_at(
                &t.origin,
                &format!("/attributes/{i}/list_items"),
                "`list_items` must name at least one item",
            )
            .with_help("add the items, or remove `list_items`"),
        );
    }
    let mut seen = BTreeSet::new();
    for (j, item) in items.iter().enumerate() {
        let sub = format!("/attributes/{i}/list_items/{j}");
        let problem = if item.trim().is_empty() {
            Some("a list item must not be empty".to_string())
        } else if item.contains(',') {
            Some(format!(
                "list item `{item}` contains a comma, which Intercom reads as a separator"
            ))
        } else if item.trim() != item {
            Some(format!(
                "list item `{item}` must not start or end with spaces"
            ))
        } else if !seen.insert(item.as_str()) {
            Some(format!("list item `{item}` is listed twice"))
        } else {
            None
        };
        if let Some(p) = problem {
            out.push(
                d.error_at(&t.origin, &sub, p)
                    .with_help("write each item once, without commas or surrounding spaces"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------

fn export_kind(live: &Live, kind: Kind, out: &mut Exported) -> bool {
    let active: Vec<&TicketType> = live_types(live).iter().filter(|t| !t.archived).collect();
    let mut list = Vec::new();
    for t in identifiable(kind, &active, |t| t.name.as_str(), "ticket types", out) {
        let attributes = export_attributes(t, kind, &mut out.ignored);
        list.push(section::TicketType {
            name: t.name.clone(),
            description: Some(t.description.clone()),
            category: category(&t.category),
            icon: Some(t.icon.clone()).filter(|i| !i.is_empty()),
            is_internal: t.is_internal,
            archived: None,
            attributes: Some(attributes),
        });
    }
    super::export::put(&mut out.cfg, kind, list)
}

/// A category as the configuration names it (`None` for one this tool does not know).
fn category(c: &str) -> Option<TicketTypeCategory> {
    [
        TicketTypeCategory::Customer,
        TicketTypeCategory::BackOffice,
        TicketTypeCategory::Tracker,
    ]
    .into_iter()
    .find(|k| k.as_str() == c)
}

/// A data type as the configuration names it.
fn data_type(t: &str) -> Option<TicketAttributeType> {
    use TicketAttributeType as T;
    [
        T::String,
        T::List,
        T::Integer,
        T::Decimal,
        T::Boolean,
        T::Datetime,
        T::Files,
    ]
    .into_iter()
    .find(|k| k.as_str() == t)
}

/// The active custom attributes of `t` as declarations (without `list_items`, which cannot be
/// read back); those the language cannot name go to `ignored`.
fn export_attributes(
    t: &TicketType,
    kind: Kind,
    ignored: &mut Vec<Ignored>,
) -> Vec<section::TicketTypeAttribute> {
    let active: Vec<&TicketTypeAttribute> = custom(t).filter(|a| !a.archived).collect();
    let dups = super::export::duplicated(active.iter().map(|a| a.name.as_str()), false);
    let mut out = Vec::new();
    for a in active {
        let why = if dups.contains(&a.name) {
            Some("several active attributes of its ticket type have this name".to_string())
        } else if data_type(&a.data_type).is_none() {
            Some(format!(
                "its data type `{}` is unknown to intercom-iac",
                a.data_type
            ))
        } else {
            None
        };
        let name = format!("{}: attribute {}", t.name, a.name);
        if let Some(why) = why {
            if !ignored.iter().any(|i| i.kind == kind && i.name == name) {
                ignored.push(Ignored { kind, name, why });
            }
            continue;
        }
        let Some(dt) = data_type(&a.data_type) else {
            continue;
        };
        out.push(section::TicketTypeAttribute {
            name: a.name.clone(),
            description: Some(a.description.clone()),
            data_type: dt,
            required_to_create: Some(a.required_to_create),
            required_to_create_for_contacts: Some(a.required_to_create_for_contacts),
            visible_on_create: Some(a.visible_on_create),
            visible_to_contacts: Some(a.visible_to_contacts),
            multiline: a.multiline.filter(|_| dt == TicketAttributeType::String),
            allow_multiple_values: a
                .allow_multiple_values
                .filter(|_| dt == TicketAttributeType::Files),
            list_items: None,
            archived: None,
        });
    }
    out
}
