//! What every kind's planning shares: the context a kind plans into, natural-key lookups with
//! case folding, rename resolution with ambiguity errors, and pruning of undeclared objects.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use globset::GlobSet;
use serde_json::Value;

use crate::config::Diagnostic;
use crate::config::{Desired, Located};
use crate::model::change::{
    ABSENT, Action, Change, FieldChange, ManualStep, Op, Phase, Plan, Remark,
};
use crate::model::{Address, Kind, Live};

use super::{Entry, Filter};

/// Everything a kind needs while it plans, and what it plans into.
pub struct PlanCtx<'a> {
    /// The configuration.
    pub d: &'a Desired,
    /// The workspace.
    pub live: &'a Live,
    /// `--only`.
    pub filter: &'a Filter,
    pub(crate) prune: BTreeSet<Kind>,
    pub(crate) ignore: &'a BTreeMap<Kind, GlobSet>,
    /// The plan so far.
    pub plan: Plan,
    /// Located problems found while planning.
    pub errors: Vec<Diagnostic>,
}

impl PlanCtx<'_> {
    /// Whether an ignore pattern covers this live object.
    pub fn ignored(&self, kind: Kind, name: &str) -> bool {
        self.ignore.get(&kind).is_some_and(|g| g.is_match(name))
    }

    /// Whether undeclared objects of `kind` are removed.
    pub fn prunes(&self, kind: Kind) -> bool {
        self.prune.contains(&kind)
    }

    /// Records a step the API cannot do.
    pub fn manual(&mut self, address: Address, message: String, help: Option<String>) {
        self.plan.manual_steps.push(ManualStep {
            address,
            message,
            help,
        });
    }

    /// Records a type change the API cannot make as a manual step (`how`: where to do it).
    pub fn manual_type_change(&mut self, address: &Address, from: &str, to: &str, how: &str) {
        let message = format!("change the type from `{from}` to `{to}`");
        self.manual(address.clone(), message, Some(how.to_string()));
    }

    /// Records a warning about a change.
    pub fn warn(&mut self, address: &Address, message: String) {
        self.plan.warnings.push(Remark {
            address: address.clone(),
            message,
        });
    }

    /// Records a note (nothing to do).
    pub fn note(&mut self, address: Address, message: &str) {
        self.plan.notes.push(Remark {
            address,
            message: message.to_string(),
        });
    }

    /// Records a located error at a declaration (`sub` is a JSON pointer inside it).
    pub fn error<T>(
        &mut self,
        item: &Located<T>,
        sub: &str,
        message: String,
        help: Option<String>,
    ) {
        let mut d = self.d.error_at(&item.origin, sub, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.errors.push(d);
    }

    /// Records one object's change; its phase follows from the action.
    #[allow(clippy::too_many_arguments)]
    pub fn change(
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

    /// Records the creation of a declared object (nothing live to fingerprint).
    pub fn create(&mut self, address: Address, fields: Vec<FieldChange>, ops: Vec<Op>) {
        self.change(
            address,
            Action::Create,
            None,
            None,
            fields,
            ops,
            ABSENT.into(),
        );
    }

    /// Records a change to the live object `target`: a rename (showing its old name) when
    /// `renamed`, else an update.
    pub fn modify(
        &mut self,
        address: Address,
        target: &dyn LiveObject,
        renamed: bool,
        fields: Vec<FieldChange>,
        ops: Vec<Op>,
    ) {
        let action = if renamed {
            Action::Rename
        } else {
            Action::Update
        };
        self.change(
            address,
            action,
            target.id().map(str::to_string),
            renamed.then(|| target.name().to_string()),
            fields,
            ops,
            target.fingerprint(),
        );
    }

    /// Deletes the live objects of `kind` that the configuration does not claim (see
    /// [`PlanCtx::prune`]), each with the call `delete` makes of its id.
    pub fn prune_by_deleting<T: LiveObject>(
        &mut self,
        kind: Kind,
        items: &[T],
        delete: impl Fn(String) -> Op,
    ) {
        self.prune_each(kind, items.iter(), Action::Delete, delete);
    }

    /// Archives the managed (not yet archived) live objects of `kind` that the configuration
    /// does not claim, each with the call `archive` makes of its id.
    pub fn prune_by_archiving<T: LiveObject>(
        &mut self,
        kind: Kind,
        items: &[T],
        archive: impl Fn(String) -> Op,
    ) {
        self.prune_each(
            kind,
            items.iter().filter(|o| o.managed()),
            Action::Archive,
            archive,
        );
    }

    fn prune_each<'l, T: LiveObject + 'l>(
        &mut self,
        kind: Kind,
        items: impl IntoIterator<Item = &'l T>,
        action: Action,
        op: impl Fn(String) -> Op,
    ) {
        let d = self.d;
        let claimed = super::spec(kind).claimed_names(d, kind);
        self.prune(
            kind,
            items,
            |o| o.name(),
            &claimed,
            |o| {
                Some(removal(
                    o,
                    action,
                    op(o.id().unwrap_or_default().to_string()),
                ))
            },
        );
    }

    /// Removes the live objects of `kind` that no claimed name covers, no ignore pattern
    /// matches and `--only` lets through, when the kind is pruned. `remove` plans one removal
    /// (action, id, fields, ops, fingerprint), or `None` when the object cannot be removed.
    pub fn prune<'l, T: 'l>(
        &mut self,
        kind: Kind,
        items: impl IntoIterator<Item = &'l T>,
        name: impl Fn(&T) -> &str,
        claimed: &[&str],
        mut remove: impl FnMut(&T) -> Option<Removal>,
    ) {
        if !self.prunes(kind) {
            return;
        }
        let ci = kind.case_insensitive_names();
        let claimed: HashSet<String> = claimed.iter().map(|n| fold(n, ci)).collect();
        for item in items {
            let n = name(item);
            let address = Address::new(kind, n);
            if claimed.contains(&fold(n, ci))
                || self.ignored(kind, n)
                || !self.filter.includes(&address)
            {
                continue;
            }
            if let Some(r) = remove(item) {
                self.change(
                    address,
                    r.action,
                    Some(r.id),
                    None,
                    r.fields,
                    r.ops,
                    r.fingerprint,
                );
            }
        }
    }
}

/// One planned removal of an undeclared object.
pub struct Removal {
    /// Delete or archive.
    pub action: Action,
    /// The live id.
    pub id: String,
    /// Fields shown in the plan.
    pub fields: Vec<FieldChange>,
    /// The write calls.
    pub ops: Vec<Op>,
    /// The live object's fingerprint.
    pub fingerprint: String,
}

/// A changed field (`None` on a side means "not set").
pub fn field(name: &str, old: Option<Value>, new: Option<Value>) -> FieldChange {
    FieldChange {
        name: name.to_string(),
        old,
        new,
    }
}

/// The fields of a change that starts with a rename of `live` to `name` (none when not
/// `renamed`).
pub fn rename_fields(live: &dyn LiveObject, renamed: bool, name: &str) -> Vec<FieldChange> {
    let field = field(
        "name",
        Some(Value::from(live.name())),
        Some(Value::from(name)),
    );
    renamed.then_some(field).into_iter().collect()
}

/// A change's list of fields, compared one managed field at a time.
pub trait Fields {
    /// Compares one managed field: when the configuration sets it (`want`) and the live value
    /// differs, records the change and returns the value to send.
    fn changed<T: PartialEq + Clone + serde::Serialize>(
        &mut self,
        name: &str,
        want: Option<&T>,
        live: &T,
    ) -> Option<T>;
}

impl Fields for Vec<FieldChange> {
    fn changed<T: PartialEq + Clone + serde::Serialize>(
        &mut self,
        name: &str,
        want: Option<&T>,
        live: &T,
    ) -> Option<T> {
        let want = want.filter(|w| *w != live)?;
        self.push(field(
            name,
            serde_json::to_value(live).ok(),
            serde_json::to_value(want).ok(),
        ));
        Some(want.clone())
    }
}

/// Case-insensitive equality, cheap when the strings are equal.
pub fn eq_ci(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// A name as compared: lower-cased when `ci`.
pub fn fold(name: &str, ci: bool) -> String {
    if ci {
        name.to_lowercase()
    } else {
        name.to_string()
    }
}

/// Live objects by name (lower-cased when `ci`), each name's objects in live order: matching
/// is a lookup, not a scan, so plans of tens of thousands of objects stay fast.
pub fn index_by<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    name: impl Fn(&T) -> &str,
    ci: bool,
) -> HashMap<String, Vec<&'a T>> {
    let mut m: HashMap<String, Vec<&'a T>> = HashMap::new();
    for item in items {
        m.entry(fold(name(item), ci)).or_default().push(item);
    }
    m
}

/// Finds a live object by name, refusing ambiguous names (recorded as an error; `Err`).
pub(crate) fn unique_by_name<'l, T>(
    ctx: &mut PlanCtx<'_>,
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
pub enum Match<'l, T> {
    /// Neither its name nor its `renamed_from` is live: a create.
    Absent,
    /// Its name is live.
    Existing(&'l T),
    /// Only its `renamed_from` is live: a rename of that object.
    Renamed(&'l T),
}

impl<'l, T> Match<'l, T> {
    /// The live object it meets and whether that is a rename; `None` for a create.
    pub fn live(&self) -> Option<(&'l T, bool)> {
        match *self {
            Match::Absent => None,
            Match::Existing(t) => Some((t, false)),
            Match::Renamed(t) => Some((t, true)),
        }
    }
}

/// Finds a declaration's live object by name or `renamed_from`. Both names live, or a name
/// that several live objects share, is an error (recorded; `None`).
pub fn match_live<'l, T, D>(
    ctx: &mut PlanCtx<'_>,
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

/// The declarations that `--only` lets through, each with how it meets the live objects of
/// `kind` by name or `renamed_from` (`find`: the live objects with a name). Ambiguous ones are
/// recorded as errors and left out.
pub fn matched<'a, T, D: Declaration>(
    ctx: &mut PlanCtx<'a>,
    kind: Kind,
    decls: &'a [Located<D>],
    find: impl Fn(&str) -> Vec<&'a T>,
) -> Vec<(Address, &'a Located<D>, Match<'a, T>)> {
    let mut out = Vec::new();
    if !ctx.filter.touches(kind) {
        return out;
    }
    for decl in decls {
        let name = decl.value.name();
        let address = Address::new(kind, name);
        if !ctx.filter.includes(&address) {
            continue;
        }
        if let Some(found) = match_live(ctx, decl, name, decl.value.renamed_from(), kind, &find) {
            out.push((address, decl, found));
        }
    }
    out
}

/// What the shared behaviour of a kind needs of one live object: how it is identified, whether
/// the tool manages it, and the fingerprint a saved plan compares.
pub trait LiveObject: Sync {
    /// Its Intercom id, when it has one.
    fn id(&self) -> Option<&str>;
    /// Its name (the natural key).
    fn name(&self) -> &str;
    /// Whether the tool manages it (custom and not archived): what is pruned, counted for the
    /// safety thresholds and reported as unmanaged.
    fn managed(&self) -> bool {
        true
    }
    /// Whether a change addressed by `key` (and without an id) is about this object.
    fn named(&self, key: &str) -> bool {
        self.name() == key
    }
    /// What a saved plan records of it to notice that it changed since.
    fn fingerprint(&self) -> String;
}

/// The removal of live object `o` (`action`: delete or archive) by the call `op`.
pub fn removal(o: &impl LiveObject, action: Action, op: Op) -> Removal {
    Removal {
        action,
        id: o.id().unwrap_or_default().to_string(),
        fields: vec![],
        ops: vec![op],
        fingerprint: o.fingerprint(),
    }
}

/// Implements [`LiveObject`] for a live type with `id` and `name` strings, given how to
/// fingerprint one (`named_object!(Team, |t| fingerprint(&t.admin_ids))`). With `archived`
/// first, an archived object (its `archived` field) is not managed and no name refers to it.
/// With `titled` first, its natural key is its `title`.
macro_rules! named_object {
    (archived $t:ty, |$o:ident| $fingerprint:expr) => {
        crate::kinds::engine::named_object!(@impl $t, name, |$o| $fingerprint, {
            fn managed(&self) -> bool {
                !self.archived
            }

            fn named(&self, key: &str) -> bool {
                self.name == key && !self.archived
            }
        });
    };
    (titled $t:ty, |$o:ident| $fingerprint:expr) => {
        crate::kinds::engine::named_object!(@impl $t, title, |$o| $fingerprint, {});
    };
    ($t:ty, |$o:ident| $fingerprint:expr) => {
        crate::kinds::engine::named_object!(@impl $t, name, |$o| $fingerprint, {});
    };
    (@impl $t:ty, $name:ident, |$o:ident| $fingerprint:expr, { $($extra:item)* }) => {
        impl crate::kinds::LiveObject for $t {
            fn id(&self) -> Option<&str> {
                Some(&self.id)
            }

            fn name(&self) -> &str {
                &self.$name
            }

            $($extra)*

            fn fingerprint(&self) -> String {
                let $o = self;
                $fingerprint
            }
        }
    };
}
pub(crate) use named_object;

/// [`matched`] against live objects found by their exact name.
pub fn matched_by_name<'a, T: LiveObject, D: Declaration>(
    ctx: &mut PlanCtx<'a>,
    kind: Kind,
    decls: &'a [Located<D>],
    items: &'a [T],
) -> Vec<(Address, &'a Located<D>, Match<'a, T>)> {
    let by_name = index_by(items, |o| o.name(), false);
    matched(ctx, kind, decls, |name| {
        by_name.get(name).cloned().unwrap_or_default()
    })
}

/// A kind's live objects as [`LiveObject`]s.
pub fn objects<T: LiveObject + Send + 'static>(live: &Live, kind: Kind) -> Vec<&dyn LiveObject> {
    live.objects::<T>(kind)
        .iter()
        .map(|o| o as &dyn LiveObject)
        .collect()
}

/// The live object a saved change is about: by its id when it had one, else the first that
/// `named` accepts (a create checks that its name is still free).
pub fn live_object<'a, T: ?Sized>(
    items: impl IntoIterator<Item = &'a T>,
    change: &Change,
    id: impl Fn(&T) -> Option<&str>,
    named: impl Fn(&T) -> bool,
) -> Option<&'a T> {
    let mut items = items.into_iter();
    match change.id.as_deref() {
        Some(wanted) => items.find(|t| id(t) == Some(wanted)),
        None => items.find(|t| named(t)),
    }
}

/// A declaration identified by a name (and, for kinds that rename, a previous name).
pub trait Declaration {
    /// Its name.
    fn name(&self) -> &str;
    /// The name it had before, when it renames a live object.
    fn renamed_from(&self) -> Option<&str> {
        None
    }
}

/// The name-check view of a list of declarations.
pub fn entries<'a, D: Declaration + 'a>(decls: &'a [Located<D>]) -> Vec<Entry<'a>> {
    decls
        .iter()
        .map(|d| Entry {
            name: d.value.name(),
            renamed_from: d.value.renamed_from(),
            origin: &d.origin,
        })
        .collect()
}

macro_rules! named {
    ($($t:ty),*) => {$(
        impl Declaration for $t {
            fn name(&self) -> &str {
                &self.name
            }
        }
    )*};
}

macro_rules! renamed {
    ($($t:ty),*) => {$(
        impl Declaration for $t {
            fn name(&self) -> &str {
                &self.name
            }
            fn renamed_from(&self) -> Option<&str> {
                self.renamed_from.as_deref()
            }
        }
    )*};
}

named!(
    super::data_attributes::section::DataAttribute,
    super::teams::section::Team,
    super::events::section::Event
);
renamed!(
    super::conversation_attributes::section::ConversationAttribute,
    super::tags::section::Tag,
    super::audiences::section::Audience,
    super::office_hours::section::OfficeHours
);

/// The teammate whose e-mail address is `email` (case aside); else the error's message and
/// help (naming the closest address), for the caller to locate.
pub(super) fn find_teammate<'l>(
    live: &'l Live,
    email: &str,
) -> Result<&'l crate::model::Admin, (String, String)> {
    if let Some(admin) = live.admins.iter().find(|ad| eq_ci(&ad.email, email)) {
        return Ok(admin);
    }
    let help =
        match crate::config::did_you_mean(email, live.admins.iter().map(|ad| ad.email.as_str())) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "name a teammate by their e-mail address".to_string(),
        };
    Err((
        format!("no teammate has the e-mail address `{email}`"),
        help,
    ))
}
