//! Computes the plan, kind by kind: natural-key matching, renames, field-by-field comparison of
//! only the fields the configuration sets, pruning, manual steps and plan-time checks.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::{Value, json};

use super::{
    ABSENT, Action, Change, EventContract, FieldChange, ManualStep, Op, Phase, Plan, PlanErrors,
    Remark, ScheduleRef, fingerprint,
};
use crate::config::office_hours::{normalize, parse_interval, weekly_intervals};
use crate::config::{Desired, Diagnostic, Located, did_you_mean, types};
use crate::model::{
    Address, AttributeModel, ConversationAttribute, ConversationAttributeType, DataAttribute,
    DataAttributeType, Kind, Live, OfficeHoursException, Predicate, WeeklyInterval,
};

/// Intercom's cap on non-archived custom data attributes.
const MAX_CUSTOM_ATTRIBUTES: usize = 250;

/// Narrows a plan to some kinds and addresses (`--only`). Empty means everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Whole kinds.
    pub kinds: BTreeSet<Kind>,
    /// Single objects.
    pub addresses: BTreeSet<Address>,
}

impl Filter {
    /// Whether the filter lets everything through.
    pub fn is_all(&self) -> bool {
        self.kinds.is_empty() && self.addresses.is_empty()
    }

    /// Whether an object is in scope.
    pub fn includes(&self, address: &Address) -> bool {
        self.is_all()
            || self.kinds.contains(&address.kind)
            || self.addresses.iter().any(|a| {
                a.kind == address.kind
                    && if a.kind.case_insensitive_names() {
                        a.key.to_lowercase() == address.key.to_lowercase()
                    } else {
                        a.key == address.key
                    }
            })
    }

    /// Whether any object of a kind can be in scope.
    pub fn touches(&self, kind: Kind) -> bool {
        self.is_all() || self.kinds.contains(&kind) || self.addresses.iter().any(|a| a.kind == kind)
    }
}

struct Ctx<'a> {
    d: &'a Desired,
    live: &'a Live,
    filter: &'a Filter,
    prune: BTreeSet<Kind>,
    ignore: BTreeMap<Kind, GlobSet>,
    plan: Plan,
    errors: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn ignored(&self, kind: Kind, name: &str) -> bool {
        self.ignore.get(&kind).is_some_and(|g| g.is_match(name))
    }

    fn prunes(&self, kind: Kind) -> bool {
        self.prune.contains(&kind)
    }

    fn manual(&mut self, address: Address, message: String, help: Option<String>) {
        self.plan.manual_steps.push(ManualStep {
            address,
            message,
            help,
        });
    }

    fn warn(&mut self, address: &Address, message: String) {
        self.plan.warnings.push(Remark {
            address: address.clone(),
            message,
        });
    }

    fn error<T>(&mut self, item: &Located<T>, sub: &str, message: String, help: Option<String>) {
        let mut d = self.d.error_at(&item.origin, sub, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }

    #[allow(clippy::too_many_arguments)]
    fn change(
        &mut self,
        address: Address,
        action: Action,
        id: Option<String>,
        renamed_from: Option<String>,
        fields: Vec<FieldChange>,
        ops: Vec<Op>,
        fingerprint: String,
    ) {
        let phase = match action {
            Action::Rename => Phase::Rename,
            Action::Archive => Phase::Free,
            Action::Create | Action::Update => Phase::Write,
            Action::Delete => Phase::Delete,
        };
        self.plan.changes.push(Change {
            address,
            action,
            id,
            renamed_from,
            fields,
            ops,
            phase,
            fingerprint,
        });
    }
}

fn field(name: &str, old: Option<Value>, new: Option<Value>) -> FieldChange {
    FieldChange {
        name: name.to_string(),
        old,
        new,
    }
}

fn eq_ci(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Computes the plan. `extra_prune` adds kinds to prune (`--prune KIND`).
pub fn diff(
    desired: &Desired,
    live: &Live,
    filter: &Filter,
    extra_prune: &[Kind],
) -> Result<Plan, PlanErrors> {
    let mut ignore: BTreeMap<Kind, GlobSetBuilder> = BTreeMap::new();
    for ig in &desired.ignore {
        let (kind, pattern) = &ig.value;
        if let Ok(g) = GlobBuilder::new(pattern).case_insensitive(true).build() {
            ignore
                .entry(*kind)
                .or_insert_with(GlobSetBuilder::new)
                .add(g);
        }
    }
    let mut ctx = Ctx {
        d: desired,
        live,
        filter,
        prune: desired
            .prune
            .iter()
            .map(|p| p.value)
            .chain(extra_prune.iter().copied())
            .filter(|k| k.is_prunable())
            .collect(),
        ignore: ignore
            .into_iter()
            .filter_map(|(k, b)| b.build().ok().map(|s| (k, s)))
            .collect(),
        plan: Plan::default(),
        errors: Vec::new(),
    };
    data_attributes(&mut ctx);
    conversation_attributes(&mut ctx);
    tags(&mut ctx);
    teams(&mut ctx);
    segments(&mut ctx);
    audiences(&mut ctx);
    office_hours(&mut ctx);
    events(&mut ctx);
    if !ctx.errors.is_empty() {
        return Err(PlanErrors {
            diagnostics: ctx.errors,
        });
    }
    let mut plan = ctx.plan;
    // Counts for the safety thresholds, the same whether the plan is fresh or saved.
    plan.live_counts = live_counts(live);
    plan.changes.sort_by(|a, b| {
        order(&a.address)
            .cmp(&order(&b.address))
            .then(a.action.cmp(&b.action))
    });
    plan.manual_steps.sort_by(|a, b| {
        order(&a.address)
            .cmp(&order(&b.address))
            .then(a.message.cmp(&b.message))
    });
    plan.warnings.sort_by_key(|w| order(&w.address));
    plan.notes.sort_by_key(|n| order(&n.address));
    Ok(plan)
}

fn team_fingerprint(t: &crate::model::Team) -> String {
    let mut ids = t.admin_ids.clone();
    ids.sort();
    fingerprint(&(&ids, &t.secondary_admin_ids, &t.distribution_method))
}

fn audience_fingerprint(a: &crate::model::Audience) -> String {
    fingerprint(&(&a.name, &a.predicates, &a.role_predicates))
}

fn schedule_fingerprint(s: &crate::model::OfficeHoursSchedule) -> String {
    fingerprint(&(
        &s.name,
        &s.time_zone,
        &normalize(s.intervals.clone()),
        &s.exceptions,
    ))
}

/// Live objects by name (lower-cased when `ci`), each name's objects in live order: matching
/// is a lookup, not a scan, so plans of tens of thousands of objects stay fast.
fn index_by<'a, T>(
    items: &'a [T],
    name: impl Fn(&T) -> &str,
    ci: bool,
) -> HashMap<String, Vec<&'a T>> {
    let mut m: HashMap<String, Vec<&'a T>> = HashMap::with_capacity(items.len());
    for item in items {
        let n = name(item);
        m.entry(if ci { n.to_lowercase() } else { n.to_string() })
            .or_default()
            .push(item);
    }
    m
}

/// The names (and `renamed_from` names) a configuration declares, lower-cased when `ci`.
fn declared_names<'a>(
    names: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ci: bool,
) -> HashSet<String> {
    let fold = |n: &str| if ci { n.to_lowercase() } else { n.to_string() };
    let mut set = HashSet::new();
    for (name, renamed_from) in names {
        set.insert(fold(name));
        if let Some(r) = renamed_from {
            set.insert(fold(r));
        }
    }
    set
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Display order: kind, then name as people sort it (case-insensitively), then exact name.
fn order(a: &Address) -> (Kind, String, String) {
    (a.kind, a.key.to_lowercase(), a.key.clone())
}

// ---------------------------------------------------------------------------------------------
// Data attributes

fn config_data_type(t: types::DataAttributeType) -> DataAttributeType {
    use types::DataAttributeType as T;
    match t {
        T::String => DataAttributeType::String,
        T::Integer => DataAttributeType::Integer,
        T::Float => DataAttributeType::Float,
        T::Boolean => DataAttributeType::Boolean,
        T::Date => DataAttributeType::Date,
        T::List => DataAttributeType::List,
    }
}

fn same_data_type(a: DataAttributeType, b: DataAttributeType) -> bool {
    use DataAttributeType as T;
    a == b || matches!((a, b), (T::Date, T::Datetime) | (T::Datetime, T::Date))
}

fn data_attribute_fingerprint(l: &DataAttribute) -> String {
    fingerprint(&(
        l.data_type,
        &l.options,
        &l.description,
        l.messenger_writable,
        l.archived,
    ))
}

fn data_attributes(ctx: &mut Ctx<'_>) {
    let mut creates = 0usize;
    let mut frees = 0isize;
    for model in [AttributeModel::Contact, AttributeModel::Company] {
        let kind = model.kind();
        if !ctx.filter.touches(kind) {
            continue;
        }
        let decls = match model {
            AttributeModel::Contact => &ctx.d.contact_attributes,
            AttributeModel::Company => &ctx.d.company_attributes,
        };
        let live = ctx.live;
        let same_model = index_by(
            &live.data_attributes,
            |a| {
                if a.model == model {
                    a.name.as_str()
                } else {
                    ""
                }
            },
            true,
        );
        let other_model = index_by(
            &live.data_attributes,
            |a| {
                if a.model != model {
                    a.name.as_str()
                } else {
                    ""
                }
            },
            true,
        );
        for decl in decls {
            let address = Address::new(kind, decl.name.clone());
            if !ctx.filter.includes(&address) {
                continue;
            }
            let folded = lower(&decl.name);
            if let Some(other) = other_model
                .get(&folded)
                .and_then(|v| v.iter().find(|a| a.model != model))
            {
                let what = if other.custom { "custom" } else { "built-in" };
                ctx.error(
                    decl,
                    "/name",
                    format!("`{}` is already a {what} {} attribute in Intercom", decl.name, other.model.as_str()),
                    Some("Intercom requires attribute names to be unique across contacts and companies; choose another name".into()),
                );
                continue;
            }
            let found = same_model
                .get(&folded)
                .and_then(|v| v.iter().copied().find(|a| a.model == model));
            match found {
                Some(l) if !l.custom => ctx.error(
                    decl,
                    "/name",
                    format!("`{}` is one of Intercom's built-in {} attributes", decl.name, model.as_str()),
                    Some("built-in attributes are not managed; choose another name for a custom attribute".into()),
                ),
                Some(l) => frees += update_data_attribute(ctx, &address, decl, l),
                None if decl.archived == Some(true) => ctx.plan.notes.push(Remark {
                    address,
                    message: "archived in the configuration and absent from Intercom: nothing to do".into(),
                }),
                None => {
                    creates += 1;
                    let data_type = config_data_type(decl.data_type);
                    let options = decl.options.clone().unwrap_or_default();
                    let mut fields = vec![field("type", None, Some(json!(data_type.as_str())))];
                    if !options.is_empty() {
                        fields.push(field("options", None, Some(json!(options))));
                    }
                    if let Some(desc) = &decl.description {
                        fields.push(field("description", None, Some(json!(desc))));
                    }
                    if let Some(m) = decl.messenger_writable {
                        fields.push(field("messenger_writable", None, Some(json!(m))));
                    }
                    let op = Op::CreateDataAttribute {
                        model,
                        name: decl.name.clone(),
                        data_type,
                        options,
                        description: decl.description.clone(),
                        messenger_writable: decl.messenger_writable,
                    };
                    ctx.change(address, Action::Create, None, None, fields, vec![op], ABSENT.into());
                }
            }
        }
        if ctx.prunes(kind) {
            let declared_set = declared_names(decls.iter().map(|d| (d.name.as_str(), None)), true);
            for l in live
                .data_attributes
                .iter()
                .filter(|a| a.model == model && a.custom && !a.archived)
            {
                let address = Address::new(kind, l.name.clone());
                let declared = declared_set.contains(&lower(&l.name));
                if declared || ctx.ignored(kind, &l.name) || !ctx.filter.includes(&address) {
                    continue;
                }
                frees += 1;
                let Some(id) = l.id.clone() else { continue };
                let op = Op::UpdateDataAttribute {
                    id: id.clone(),
                    description: None,
                    messenger_writable: None,
                    options: None,
                    archived: Some(true),
                };
                let fp = data_attribute_fingerprint(l);
                ctx.change(
                    address,
                    Action::Archive,
                    Some(id),
                    None,
                    vec![field("archived", Some(json!(false)), Some(json!(true)))],
                    vec![op],
                    fp,
                );
            }
        }
    }
    let active = ctx
        .live
        .data_attributes
        .iter()
        .filter(|a| a.custom && !a.archived)
        .count() as isize;
    let after = active - frees + creates as isize;
    if creates > 0 && after > MAX_CUSTOM_ATTRIBUTES as isize {
        let first_create = ctx
            .plan
            .changes
            .iter()
            .find(|c| {
                c.action == Action::Create
                    && matches!(
                        c.address.kind,
                        Kind::ContactAttributes | Kind::CompanyAttributes
                    )
            })
            .map(|c| c.address.clone());
        let decl = first_create.and_then(|a| {
            ctx.d
                .contact_attributes
                .iter()
                .chain(&ctx.d.company_attributes)
                .find(|d| d.name == a.key)
                .cloned()
        });
        if let Some(decl) = decl {
            ctx.error(
                &decl,
                "",
                format!(
                    "this plan would leave {after} custom data attributes that are not archived; Intercom allows at most {MAX_CUSTOM_ATTRIBUTES} ({active} live, {creates} to create, {frees} to archive)"
                ),
                Some("archive attributes you no longer use (`archived: true`, or prune the kind)".into()),
            );
        }
    }
}

/// Plans an update of an existing custom attribute; returns how many cap slots it frees (1 for
/// an archive, -1 for an unarchive).
fn update_data_attribute(
    ctx: &mut Ctx<'_>,
    address: &Address,
    decl: &Located<types::DataAttribute>,
    l: &DataAttribute,
) -> isize {
    let want_type = config_data_type(decl.data_type);
    if !same_data_type(want_type, l.data_type) {
        ctx.manual(
            address.clone(),
            format!("change the type from `{}` to `{}`", l.data_type.as_str(), want_type.as_str()),
            Some("the API cannot change an attribute's type: change it in Intercom (Settings → Data), or create a new attribute".into()),
        );
    }
    let mut fields = Vec::new();
    let (mut description, mut messenger_writable, mut options, mut archived) =
        (None, None, None, None);
    if let Some(d) = &decl.description
        && *d != l.description
    {
        fields.push(field(
            "description",
            Some(json!(l.description)),
            Some(json!(d)),
        ));
        description = Some(d.clone());
    }
    if let Some(m) = decl.messenger_writable
        && m != l.messenger_writable
    {
        fields.push(field(
            "messenger_writable",
            Some(json!(l.messenger_writable)),
            Some(json!(m)),
        ));
        messenger_writable = Some(m);
    }
    if let Some(opts) = &decl.options
        && same_data_type(want_type, l.data_type)
        && *opts != l.options
    {
        fields.push(field("options", Some(json!(l.options)), Some(json!(opts))));
        for removed in l.options.iter().filter(|o| !opts.contains(o)) {
            ctx.warn(address, format!("removing option `{removed}`: Intercom will refuse contact and company writes that still send it"));
        }
        options = Some(opts.clone());
    }
    let mut action = Action::Update;
    let mut freed = 0;
    match (decl.archived, l.archived) {
        (Some(true), false) => {
            archived = Some(true);
            action = Action::Archive;
            freed = 1;
            fields.push(field("archived", Some(json!(false)), Some(json!(true))));
        }
        (Some(false), true) => {
            archived = Some(false);
            freed = -1;
            fields.push(field("archived", Some(json!(true)), Some(json!(false))));
        }
        _ => {}
    }
    if fields.is_empty() {
        return 0;
    }
    let Some(id) = l.id.clone() else { return 0 };
    let op = Op::UpdateDataAttribute {
        id: id.clone(),
        description,
        messenger_writable,
        options,
        archived,
    };
    ctx.change(
        address.clone(),
        action,
        Some(id),
        None,
        fields,
        vec![op],
        data_attribute_fingerprint(l),
    );
    freed
}

// ---------------------------------------------------------------------------------------------
// Conversation attributes

fn config_conversation_type(t: types::ConversationAttributeType) -> ConversationAttributeType {
    use types::ConversationAttributeType as T;
    match t {
        T::String => ConversationAttributeType::String,
        T::Integer => ConversationAttributeType::Integer,
        T::Decimal => ConversationAttributeType::Decimal,
        T::Boolean => ConversationAttributeType::Boolean,
        T::Datetime => ConversationAttributeType::Datetime,
        T::List => ConversationAttributeType::List,
    }
}

fn conversation_fingerprint(l: &ConversationAttribute) -> String {
    fingerprint(&(
        &l.name,
        l.data_type,
        &l.description,
        l.required,
        &l.visible_to_team_ids,
        l.archived,
        l.multiline,
        &l.options,
    ))
}

/// Finds a live object by name, refusing ambiguous names.
fn unique_by_name<'l, T>(
    ctx: &mut Ctx<'_>,
    decl_for_errors: &Located<impl Sized>,
    sub: &str,
    candidates: Vec<&'l T>,
    kind: Kind,
    name: &str,
) -> Result<Option<&'l T>, ()> {
    match candidates.len() {
        0 => Ok(None),
        1 => Ok(Some(candidates[0])),
        n => {
            ctx.error(
                decl_for_errors,
                sub,
                format!(
                    "Intercom has {n} {}s named `{name}`",
                    kind.singular().replace('_', " ")
                ),
                Some(
                    "rename or remove the duplicates in Intercom so the name identifies one object"
                        .into(),
                ),
            );
            Err(())
        }
    }
}

/// How a declaration meets the live objects of its kind.
enum Match<'l, T> {
    /// Neither its name nor its `renamed_from` is live: a create.
    Absent,
    /// Its name is live.
    Existing(&'l T),
    /// Only its `renamed_from` is live: a rename of that object.
    Renamed(&'l T),
}

/// Finds a declaration's live object by name or `renamed_from`. Both names live, or a name
/// that several live objects share, is an error (recorded; `None`).
fn match_live<'l, T, D>(
    ctx: &mut Ctx<'_>,
    decl: &Located<D>,
    name: &str,
    renamed_from: Option<&str>,
    kind: Kind,
    find: impl Fn(&str) -> Vec<&'l T>,
) -> Option<Match<'l, T>> {
    let new_live = unique_by_name(ctx, decl, "/name", find(name), kind, name).ok()?;
    let old_live = match renamed_from {
        Some(old) => unique_by_name(ctx, decl, "/renamed_from", find(old), kind, old).ok()?,
        None => None,
    };
    match (new_live, old_live) {
        (Some(_), Some(_)) => {
            ctx.error(
                decl,
                "/renamed_from",
                format!(
                    "both `{}` and `{name}` exist in Intercom, so the rename is ambiguous",
                    renamed_from.unwrap_or_default()
                ),
                Some(
                    "merge them by hand in Intercom (archive or delete one), then plan again"
                        .into(),
                ),
            );
            None
        }
        (None, Some(old)) => Some(Match::Renamed(old)),
        (Some(n), None) => Some(Match::Existing(n)),
        (None, None) => Some(Match::Absent),
    }
}

fn conversation_attributes(ctx: &mut Ctx<'_>) {
    let kind = Kind::ConversationAttributes;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    let by_name = index_by(&live.conversation_attributes, |a| a.name.as_str(), false);
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
    for decl in &ctx.d.conversation_attributes {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) {
            continue;
        }
        let Some(found) = match_live(
            ctx,
            decl,
            &decl.name,
            decl.renamed_from.as_deref(),
            kind,
            find,
        ) else {
            continue;
        };
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
            Match::Absent if decl.archived == Some(true) => ctx.plan.notes.push(Remark {
                address,
                message: "archived in the configuration and absent from Intercom: nothing to do"
                    .into(),
            }),
            Match::Absent => {
                let data_type = config_conversation_type(decl.data_type);
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
                let op = Op::CreateConversationAttribute {
                    name: decl.name.clone(),
                    data_type,
                    options,
                    description: decl.description.clone(),
                    required: decl.required,
                    visible_to_team_ids: team_ids,
                    multiline: decl.multiline,
                };
                ctx.change(
                    address,
                    Action::Create,
                    None,
                    None,
                    fields,
                    vec![op],
                    ABSENT.into(),
                );
            }
        }
    }
    if ctx.prunes(kind) {
        let decls = &ctx.d.conversation_attributes;
        let declared_set = declared_names(
            decls
                .iter()
                .map(|d| (d.name.as_str(), d.renamed_from.as_deref())),
            false,
        );
        for l in live.conversation_attributes.iter().filter(|a| !a.archived) {
            let address = Address::new(kind, l.name.clone());
            let declared = declared_set.contains(&l.name);
            if declared || ctx.ignored(kind, &l.name) || !ctx.filter.includes(&address) {
                continue;
            }
            let op = Op::ArchiveConversationAttribute { id: l.id.clone() };
            ctx.change(
                address,
                Action::Archive,
                Some(l.id.clone()),
                None,
                vec![],
                vec![op],
                conversation_fingerprint(l),
            );
        }
    }
}

/// Team names of `visible_to_teams` to ids; unknown names are errors.
fn resolve_teams(
    ctx: &mut Ctx<'_>,
    decl: &Located<types::ConversationAttribute>,
) -> Result<Option<Vec<String>>, ()> {
    let Some(names) = &decl.visible_to_teams else {
        return Ok(None);
    };
    let live = ctx.live;
    let mut ids = Vec::new();
    let mut ok = true;
    for (i, name) in names.iter().enumerate() {
        match live.teams.iter().find(|t| t.name == *name) {
            Some(t) => ids.push(t.id.clone()),
            None => {
                ok = false;
                let help = match did_you_mean(name, live.teams.iter().map(|t| t.name.as_str())) {
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

fn team_names(ctx: &Ctx<'_>, ids: &[String]) -> Vec<String> {
    let mut names: Vec<String> = ids
        .iter()
        .map(|id| {
            ctx.live
                .teams
                .iter()
                .find(|t| t.id == *id)
                .map_or_else(|| format!("team id {id}"), |t| t.name.clone())
        })
        .collect();
    names.sort();
    names
}

fn update_conversation_attribute(
    ctx: &mut Ctx<'_>,
    address: &Address,
    decl: &Located<types::ConversationAttribute>,
    l: &ConversationAttribute,
    team_ids: Option<Vec<String>>,
    rename: bool,
) {
    let want_type = config_conversation_type(decl.data_type);
    if want_type != l.data_type {
        ctx.manual(
            address.clone(),
            format!("change the type from `{}` to `{}`", l.data_type.as_str(), want_type.as_str()),
            Some("the API cannot change a conversation attribute's type: change it in Intercom, or create a new attribute".into()),
        );
    }
    let mut fields = Vec::new();
    let mut ops = Vec::new();
    let (mut description, mut required, mut visible, mut multiline) = (None, None, None, None);
    if rename {
        fields.push(field("name", Some(json!(l.name)), Some(json!(decl.name))));
    }
    if let Some(d) = &decl.description
        && *d != l.description
    {
        fields.push(field(
            "description",
            Some(json!(l.description)),
            Some(json!(d)),
        ));
        description = Some(d.clone());
    }
    if let Some(r) = decl.required
        && r != l.required
    {
        fields.push(field("required", Some(json!(l.required)), Some(json!(r))));
        required = Some(r);
    }
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
            name: rename.then(|| decl.name.clone()),
            description,
            required,
            visible_to_team_ids: visible,
            multiline,
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
        conversation_fingerprint(l),
    );
}

// ---------------------------------------------------------------------------------------------
// Tags

fn tags(ctx: &mut Ctx<'_>) {
    let kind = Kind::Tags;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    let by_name = index_by(&live.tags, |t| t.name.as_str(), true);
    let find = |name: &str| by_name.get(&lower(name)).and_then(|v| v.first().copied());
    for decl in &ctx.d.tags {
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
                ctx.change(
                    address,
                    Action::Create,
                    None,
                    None,
                    vec![],
                    vec![op],
                    ABSENT.into(),
                );
            }
        }
    }
    if ctx.prunes(kind) {
        let decls = &ctx.d.tags;
        let declared_set = declared_names(
            decls
                .iter()
                .map(|d| (d.name.as_str(), d.renamed_from.as_deref())),
            true,
        );
        for t in &live.tags {
            let address = Address::new(kind, t.name.clone());
            let declared = declared_set.contains(&lower(&t.name));
            if declared || ctx.ignored(kind, &t.name) || !ctx.filter.includes(&address) {
                continue;
            }
            let op = Op::DeleteTag { id: t.id.clone() };
            ctx.change(
                address,
                Action::Delete,
                Some(t.id.clone()),
                None,
                vec![],
                vec![op],
                fingerprint(&t.name),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Teams and segments

fn teams(ctx: &mut Ctx<'_>) {
    let kind = Kind::Teams;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    let email_of = |id: &str| {
        live.admins
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| format!("admin id {id}"), |a| a.email.to_lowercase())
    };
    for decl in &ctx.d.teams {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) {
            continue;
        }
        let candidates: Vec<_> = live.teams.iter().filter(|t| t.name == decl.name).collect();
        let Ok(team) = unique_by_name(ctx, decl, "/name", candidates, kind, &decl.name) else {
            continue;
        };
        let Some(team) = team else {
            let help = match did_you_mean(&decl.name, live.teams.iter().map(|t| t.name.as_str())) {
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
        let mut live_ids = team.admin_ids.clone();
        live_ids.sort();
        let emails = |ids: &[String]| {
            let mut e: Vec<String> = ids.iter().map(|i| email_of(i)).collect();
            e.sort();
            e
        };
        if member_ids != live_ids {
            fields.push(field(
                "members",
                Some(json!(emails(&live_ids))),
                Some(json!(emails(&member_ids))),
            ));
        }
        let mut secondary_to_send = None;
        if let Some(sec) = secondary_ids {
            if !team.is_load_balanced() && !sec.is_empty() {
                ctx.manual(
                    address.clone(),
                    "secondary members need a load-balanced team".into(),
                    Some(format!("`{}` does not use load-balanced assignment: switch it in Intercom (Settings → Teammates → Teams), or remove `secondary`", team.name)),
                );
            } else {
                let mut live_sec = team.secondary_admin_ids.clone();
                live_sec.sort();
                if sec != live_sec {
                    fields.push(field(
                        "secondary",
                        Some(json!(emails(&live_sec))),
                        Some(json!(emails(&sec))),
                    ));
                }
                secondary_to_send = Some(sec);
            }
        }
        if fields.is_empty() {
            continue;
        }
        let op = Op::SetTeamMembers {
            id: team.id.clone(),
            admin_ids: member_ids,
            secondary_admin_ids: secondary_to_send,
        };
        let fp = team_fingerprint(team);
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

fn segments(ctx: &mut Ctx<'_>) {
    let kind = Kind::Segments;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    for decl in &ctx.d.segments {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) || live.segments.iter().any(|s| s.name == decl.name) {
            continue;
        }
        let help = match did_you_mean(&decl.name, live.segments.iter().map(|s| s.name.as_str())) {
            Some(s) => format!(
                "did you mean `{s}`? Segments are read-only in the API: create it in Intercom (Contacts → Segments)"
            ),
            None => {
                "segments are read-only in the API: create it in Intercom (Contacts → Segments)"
                    .into()
            }
        };
        ctx.manual(
            address,
            format!("create the segment `{}`", decl.name),
            Some(help),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Audiences

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

fn audiences(ctx: &mut Ctx<'_>) {
    let kind = Kind::Audiences;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    let by_name = index_by(&live.audiences, |a| a.name.as_str(), false);
    let find = |name: &str| by_name.get(name).cloned().unwrap_or_default();
    for decl in &ctx.d.audiences {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) {
            continue;
        }
        let Some(found) = match_live(
            ctx,
            decl,
            &decl.name,
            decl.renamed_from.as_deref(),
            kind,
            find,
        ) else {
            continue;
        };
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
                ctx.change(
                    address,
                    Action::Create,
                    None,
                    None,
                    fields,
                    vec![op],
                    ABSENT.into(),
                );
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
    if ctx.prunes(kind) {
        let decls = &ctx.d.audiences;
        let declared_set = declared_names(
            decls
                .iter()
                .map(|d| (d.name.as_str(), d.renamed_from.as_deref())),
            false,
        );
        for a in &live.audiences {
            let address = Address::new(kind, a.name.clone());
            let declared = declared_set.contains(&a.name);
            if declared || ctx.ignored(kind, &a.name) || !ctx.filter.includes(&address) {
                continue;
            }
            let fp = audience_fingerprint(a);
            ctx.change(
                address,
                Action::Delete,
                Some(a.id.clone()),
                None,
                vec![],
                vec![Op::DeleteAudience { id: a.id.clone() }],
                fp,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Office hours

fn canonical_zone(name: &str) -> String {
    jiff::tz::TimeZone::get(name)
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
        .unwrap_or_else(|| name.to_string())
}

fn day_intervals(hours: &[String]) -> Vec<WeeklyInterval> {
    normalize(
        hours
            .iter()
            .filter_map(|h| parse_interval(h).ok())
            .map(|(s, e)| WeeklyInterval {
                start_minute: s,
                end_minute: e,
            })
            .collect(),
    )
}

fn render_weekly(intervals: &[WeeklyInterval]) -> Vec<String> {
    use crate::config::office_hours::{DAY_MINUTES, DAYS, format_time};
    intervals
        .iter()
        .map(|i| {
            let (sd, ed) = (
                i.start_minute / DAY_MINUTES,
                (i.end_minute.saturating_sub(1)) / DAY_MINUTES,
            );
            let day = |d: u32| DAYS.get(d as usize).copied().unwrap_or("?");
            let end = i.end_minute - ed * DAY_MINUTES;
            if sd == ed {
                format!(
                    "{} {}-{}",
                    day(sd),
                    format_time(i.start_minute - sd * DAY_MINUTES),
                    format_time(end)
                )
            } else {
                format!(
                    "{} {} - {} {}",
                    day(sd),
                    format_time(i.start_minute - sd * DAY_MINUTES),
                    day(ed),
                    format_time(end)
                )
            }
        })
        .collect()
}

fn exception_json(
    closed: bool,
    intervals: &[WeeklyInterval],
    name: &str,
    recurring: bool,
) -> Value {
    use crate::config::office_hours::format_time;
    let hours: Vec<String> = intervals
        .iter()
        .map(|i| {
            format!(
                "{}-{}",
                format_time(i.start_minute),
                format_time(i.end_minute)
            )
        })
        .collect();
    if closed {
        json!({"closed": true, "name": name, "recurring": recurring})
    } else {
        json!({"hours": hours, "name": name, "recurring": recurring})
    }
}

/// An exception as configured: date, closed, intervals, name and recurring (`None`: not
/// managed).
type WantedException = (
    String,
    bool,
    Vec<WeeklyInterval>,
    Option<String>,
    Option<bool>,
);

fn office_hours(ctx: &mut Ctx<'_>) {
    let kind = Kind::OfficeHours;
    if !ctx.filter.touches(kind) {
        return;
    }
    let live = ctx.live;
    let by_name = index_by(&live.office_hours, |s| s.name.as_str(), false);
    let find = |name: &str| by_name.get(name).cloned().unwrap_or_default();
    for decl in &ctx.d.office_hours {
        let address = Address::new(kind, decl.name.clone());
        if !ctx.filter.includes(&address) {
            continue;
        }
        let Some(found) = match_live(
            ctx,
            decl,
            &decl.name,
            decl.renamed_from.as_deref(),
            kind,
            find,
        ) else {
            continue;
        };
        let want_zone = canonical_zone(&decl.time_zone);
        let want_intervals = weekly_intervals(&decl.hours);
        let want_exceptions: Option<Vec<WantedException>> = decl.exceptions.as_ref().map(|ex| {
            ex.iter()
                .map(|e| {
                    (
                        e.date.clone(),
                        e.closed == Some(true),
                        if e.closed == Some(true) {
                            vec![]
                        } else {
                            day_intervals(e.hours.as_deref().unwrap_or_default())
                        },
                        e.name.clone(),
                        e.recurring,
                    )
                })
                .collect()
        });
        let (target, rename) = match found {
            Match::Renamed(o) => (o, true),
            Match::Existing(n) => (n, false),
            Match::Absent => {
                let mut fields = vec![
                    field("time_zone", None, Some(json!(want_zone))),
                    field("hours", None, Some(json!(render_weekly(&want_intervals)))),
                ];
                let mut ops = vec![Op::CreateOfficeHours {
                    name: decl.name.clone(),
                    time_zone: want_zone,
                    intervals: want_intervals,
                }];
                for (date, closed, intervals, name, recurring) in
                    want_exceptions.into_iter().flatten()
                {
                    let name = name.unwrap_or_default();
                    let recurring = recurring.unwrap_or(false);
                    fields.push(field(
                        &format!("exception {date}"),
                        None,
                        Some(exception_json(closed, &intervals, &name, recurring)),
                    ));
                    ops.push(Op::CreateOfficeHoursException {
                        schedule: ScheduleRef::Created,
                        date,
                        closed,
                        name: (!name.is_empty()).then_some(name),
                        intervals,
                        recurring: Some(recurring),
                    });
                }
                ctx.change(
                    address,
                    Action::Create,
                    None,
                    None,
                    fields,
                    ops,
                    ABSENT.into(),
                );
                continue;
            }
        };
        let mut fields = Vec::new();
        let mut ops = Vec::new();
        if rename {
            fields.push(field(
                "name",
                Some(json!(target.name)),
                Some(json!(decl.name)),
            ));
        }
        let zone_changed = canonical_zone(&target.time_zone) != want_zone;
        if zone_changed {
            fields.push(field(
                "time_zone",
                Some(json!(target.time_zone)),
                Some(json!(want_zone)),
            ));
        }
        let live_intervals = normalize(target.intervals.clone());
        let intervals_changed = live_intervals != want_intervals;
        if intervals_changed {
            fields.push(field(
                "hours",
                Some(json!(render_weekly(&live_intervals))),
                Some(json!(render_weekly(&want_intervals))),
            ));
        }
        if rename || zone_changed || intervals_changed {
            ops.push(Op::UpdateOfficeHours {
                id: target.id.clone(),
                name: rename.then(|| decl.name.clone()),
                time_zone: zone_changed.then(|| want_zone.clone()),
                intervals: intervals_changed.then(|| want_intervals.clone()),
            });
        }
        if let Some(want) = want_exceptions {
            let live_ex: &[OfficeHoursException] = target.exceptions.as_deref().unwrap_or_default();
            for (date, closed, intervals, want_name, recurring) in &want {
                let current = live_ex.iter().find(|e| e.date == *date);
                // An absent name or `recurring` is not managed: compare (and send) the live one.
                let name = match (want_name, current) {
                    (Some(n), _) => n.clone(),
                    (None, Some(e)) => e.name.clone(),
                    (None, None) => String::new(),
                };
                let recurring = &recurring.or(current.map(|e| e.recurring)).unwrap_or(false);
                let new_json = exception_json(*closed, intervals, &name, *recurring);
                match current {
                    Some(e) => {
                        let old_json = exception_json(
                            e.closed,
                            &normalize(e.intervals.clone()),
                            &e.name,
                            e.recurring,
                        );
                        if old_json != new_json {
                            fields.push(field(
                                &format!("exception {date}"),
                                Some(old_json),
                                Some(new_json),
                            ));
                            ops.push(Op::UpdateOfficeHoursException {
                                schedule_id: target.id.clone(),
                                id: e.id.clone(),
                                closed: *closed,
                                name: (!name.is_empty()).then(|| name.clone()),
                                intervals: intervals.clone(),
                                recurring: Some(*recurring),
                            });
                        }
                    }
                    None => {
                        fields.push(field(&format!("exception {date}"), None, Some(new_json)));
                        ops.push(Op::CreateOfficeHoursException {
                            schedule: ScheduleRef::Id(target.id.clone()),
                            date: date.clone(),
                            closed: *closed,
                            name: (!name.is_empty()).then(|| name.clone()),
                            intervals: intervals.clone(),
                            recurring: Some(*recurring),
                        });
                    }
                }
            }
            for e in live_ex
                .iter()
                .filter(|e| !want.iter().any(|w| w.0 == e.date))
            {
                fields.push(field(
                    &format!("exception {}", e.date),
                    Some(exception_json(
                        e.closed,
                        &normalize(e.intervals.clone()),
                        &e.name,
                        e.recurring,
                    )),
                    None,
                ));
                ops.push(Op::DeleteOfficeHoursException {
                    schedule_id: target.id.clone(),
                    id: e.id.clone(),
                });
            }
        }
        if ops.is_empty() {
            continue;
        }
        let fp = schedule_fingerprint(target);
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
            ops,
            fp,
        );
    }
    if ctx.prunes(kind) {
        let decls = &ctx.d.office_hours;
        let declared_set = declared_names(
            decls
                .iter()
                .map(|d| (d.name.as_str(), d.renamed_from.as_deref())),
            false,
        );
        for s in &live.office_hours {
            let address = Address::new(kind, s.name.clone());
            let declared = declared_set.contains(&s.name);
            if declared || ctx.ignored(kind, &s.name) || !ctx.filter.includes(&address) {
                continue;
            }
            let fp = schedule_fingerprint(s);
            ctx.change(
                address,
                Action::Delete,
                Some(s.id.clone()),
                None,
                vec![],
                vec![Op::DeleteOfficeHours { id: s.id.clone() }],
                fp,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events

fn events(ctx: &mut Ctx<'_>) {
    if !ctx.filter.touches(Kind::Events) {
        return;
    }
    for e in &ctx.d.events {
        if !ctx
            .filter
            .includes(&Address::new(Kind::Events, e.name.clone()))
        {
            continue;
        }
        let mut metadata = BTreeMap::new();
        let mut required = Vec::new();
        for (k, m) in e.metadata.iter().flatten() {
            let t = serde_json::to_value(m.value_type)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            metadata.insert(k.clone(), t);
            if m.required == Some(true) {
                required.push(k.clone());
            }
        }
        ctx.plan.contract.push(EventContract {
            name: e.name.clone(),
            metadata,
            required,
        });
    }
}

/// The fingerprint that a change's object has in `live` now: what `apply PLANFILE` compares
/// with the fingerprint saved in the plan. Creates check that the name is still free.
pub fn current_fingerprint(live: &Live, change: &Change) -> String {
    let key = &change.address.key;
    let id = change.id.as_deref();
    match change.address.kind {
        Kind::ContactAttributes | Kind::CompanyAttributes => {
            let model = if change.address.kind == Kind::ContactAttributes {
                AttributeModel::Contact
            } else {
                AttributeModel::Company
            };
            let found = match id {
                Some(id) => live
                    .data_attributes
                    .iter()
                    .find(|a| a.id.as_deref() == Some(id)),
                None => live
                    .data_attributes
                    .iter()
                    .find(|a| a.model == model && eq_ci(&a.name, key)),
            };
            found.map_or_else(|| ABSENT.to_string(), data_attribute_fingerprint)
        }
        Kind::ConversationAttributes => {
            let found = match id {
                Some(id) => live.conversation_attributes.iter().find(|a| a.id == id),
                None => live
                    .conversation_attributes
                    .iter()
                    .find(|a| a.name == *key && !a.archived),
            };
            found.map_or_else(|| ABSENT.to_string(), conversation_fingerprint)
        }
        Kind::Tags => {
            let found = match id {
                Some(id) => live.tags.iter().find(|t| t.id == id),
                None => live.tags.iter().find(|t| eq_ci(&t.name, key)),
            };
            found.map_or_else(|| ABSENT.to_string(), |t| fingerprint(&t.name))
        }
        Kind::Teams => live
            .teams
            .iter()
            .find(|t| Some(t.id.as_str()) == id)
            .map_or_else(|| ABSENT.to_string(), team_fingerprint),
        Kind::Audiences => {
            let found = match id {
                Some(id) => live.audiences.iter().find(|a| a.id == id),
                None => live.audiences.iter().find(|a| a.name == *key),
            };
            found.map_or_else(|| ABSENT.to_string(), audience_fingerprint)
        }
        Kind::OfficeHours => {
            let found = match id {
                Some(id) => live.office_hours.iter().find(|s| s.id == id),
                None => live.office_hours.iter().find(|s| s.name == *key),
            };
            found.map_or_else(
                || ABSENT.to_string(),
                |s| {
                    // A plan whose configuration manages no exceptions never read them, so
                    // its fingerprint leaves them out: compare like with like.
                    let unread = crate::model::OfficeHoursSchedule {
                        exceptions: None,
                        ..s.clone()
                    };
                    let without = schedule_fingerprint(&unread);
                    if without == change.fingerprint {
                        without
                    } else {
                        schedule_fingerprint(s)
                    }
                },
            )
        }
        Kind::Segments | Kind::Events => ABSENT.to_string(),
    }
}

/// Live object counts per kind (custom, non-archived attributes; everything else as listed),
/// for the safety thresholds.
pub fn live_counts(live: &Live) -> BTreeMap<Kind, usize> {
    let mut m = BTreeMap::new();
    for model in [AttributeModel::Contact, AttributeModel::Company] {
        let n = live
            .data_attributes
            .iter()
            .filter(|a| a.model == model && a.custom && !a.archived)
            .count();
        m.insert(model.kind(), n);
    }
    m.insert(
        Kind::ConversationAttributes,
        live.conversation_attributes
            .iter()
            .filter(|a| !a.archived)
            .count(),
    );
    m.insert(Kind::Tags, live.tags.len());
    m.insert(Kind::Teams, live.teams.len());
    m.insert(Kind::Segments, live.segments.len());
    m.insert(Kind::Audiences, live.audiences.len());
    m.insert(Kind::OfficeHours, live.office_hours.len());
    m
}
