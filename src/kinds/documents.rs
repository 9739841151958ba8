//! What the kinds declared as a flat folder of Markdown files keyed by title share (internal
//! articles, content snippets; read by `config::knowledge`): matching a file with its live
//! object by title, else by its `renamed_from` (a rename, same id), with located errors for
//! ambiguous titles and two files claiming one object; creates, updates of the fields the
//! front matter sets and of the body (compared as Markdown, line by line, normalised as the
//! Help Center's articles are: `articles::body`); prune of undeclared objects; the
//! declared-and-ignored check; and export as one file per object. A kind implements
//! [`Documents`] with what differs (its fields, calls and list) and is a `KindSpec` by the
//! blanket implementation here.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::json;

use super::articles::body;
use super::articles::export::slug;
use super::engine::{LiveObject, PlanCtx, field, index_by};
use super::read::ReadFuture;
use super::{Entry, Exported, Ignored, KindSpec, Scope};
use crate::config::knowledge::{Document, Titled, to_markdown};
use crate::config::{Desired, Diagnostic};
use crate::intercom::Client;
use crate::model::change::{FieldChange, Op};
use crate::model::{Address, Admin, Kind, Live};

/// A kind declared as the Markdown files of one folder, keyed by title.
pub(super) trait Documents: Sync + 'static {
    /// Its front matter.
    type Front: Titled + Serialize + Sync;
    /// Its live object.
    type Object: LiveObject + Send + Sync + 'static;
    /// The kind; its plural is its folder in the configuration directory.
    const KIND: Kind;

    /// The declared documents.
    fn declared(d: &Desired) -> &[Document<Self::Front>] {
        Self::Front::documents(&d.knowledge)
    }

    /// The live object's body as compared and exported (normalised Markdown).
    fn live_body(o: &Self::Object) -> String;

    /// The create of `p.doc` (`p.title` and `p.body` are set); the fields it shows besides the
    /// body go to `p.fields`; `Err`, a located problem (nothing planned).
    fn create(p: &mut Planning<'_, '_, Self::Front>) -> Result<Op, Box<Diagnostic>>;

    /// What an update sends (nothing changes when it is the default).
    type Changes: Default + PartialEq;

    /// The changes of `live` to `p.doc` (`p.title`: a rename's new title; `p.body`: the new
    /// body when it changes); the fields it shows besides the body go to `p.fields`.
    fn update(
        p: &mut Planning<'_, '_, Self::Front>,
        live: &Self::Object,
    ) -> Result<Self::Changes, Box<Diagnostic>>;

    /// The call that updates the object with an id.
    const UPDATE: fn(String, Self::Changes) -> Op;

    /// The call that deletes the object with an id.
    const DELETE: fn(String) -> Op;

    /// The front matter export writes for `o`.
    fn export_front(live: &Live, o: &Self::Object) -> Self::Front;

    /// Starts reading the live objects (and what naming them needs).
    fn read(client: &Client, scope: &Scope) -> Option<ReadFuture>;
}

/// One document's planning, handed to its kind's `create` or `update`.
pub(super) struct Planning<'p, 'a, F> {
    /// The plan's context (configuration and workspace).
    pub ctx: &'p PlanCtx<'a>,
    /// The file.
    pub doc: &'p Document<F>,
    /// The fields the plan shows, the body's aside.
    pub fields: Vec<FieldChange>,
    /// The title to send: a create's, or a rename's new one.
    pub title: Option<String>,
    /// The body to send (normalised): a create's, or an update's when it changes.
    pub body: Option<String>,
}

impl<F> Planning<'_, '_, F> {
    /// A changed teammate field (`author`, `owner`) of the front matter (`want`: its e-mail,
    /// if set): shown by e-mail, and the new teammate's id to send when it differs from
    /// `live_id`.
    pub fn admin_change(
        &mut self,
        name: &str,
        want: Option<&str>,
        live_id: &str,
    ) -> Result<Option<String>, Box<Diagnostic>> {
        let Some(email) = want else {
            return Ok(None);
        };
        let a = admin(self.ctx.live, self.doc, &format!("/{name}"), email)?;
        if a.id == live_id {
            return Ok(None);
        }
        let old = email_of(self.ctx.live, live_id);
        self.fields
            .push(field(name, Some(json!(old)), Some(json!(a.email))));
        Ok(Some(a.id.clone()))
    }
}

/// Every [`Documents`] kind is a kind: a folder's files instead of YAML declarations (no
/// entries for the name checks: the folder reader checks titles, located).
impl<D: Documents> KindSpec for D {
    fn kinds(&self) -> &'static [Kind] {
        std::slice::from_ref(&D::KIND)
    }

    fn entries<'a>(&self, _desired: &'a Desired, _kind: Kind) -> Vec<Entry<'a>> {
        Vec::new()
    }

    fn declared(&self, desired: &Desired, _kind: Kind) -> usize {
        D::declared(desired).len()
    }

    /// Each file's title and `renamed_from`.
    fn claimed_names<'a>(&self, desired: &'a Desired, _kind: Kind) -> Vec<&'a str> {
        let docs = D::declared(desired).iter();
        docs.flat_map(|d| std::iter::once(d.front.title()).chain(d.front.renamed_from()))
            .collect()
    }

    fn names_keep_spaces(&self) -> bool {
        true
    }

    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        check::<D>(desired, out);
    }

    fn plan(&self, ctx: &mut PlanCtx<'_>) {
        if ctx.filter.touches(D::KIND) {
            plan::<D>(ctx);
        }
    }

    fn objects<'a>(&self, live: &'a Live, kind: Kind) -> Vec<&'a dyn LiveObject> {
        super::engine::objects::<D::Object>(live, kind)
    }

    fn export(&self, live: &Live, _kind: Kind, out: &mut Exported) -> bool {
        export::<D>(live, out);
        true
    }

    fn export_file(&self) -> (String, String) {
        (
            D::KIND.plural().to_string(),
            D::KIND.plural().replace('_', " "),
        )
    }

    fn read(&self, client: &Client, _kind: Kind, scope: &Scope) -> Option<ReadFuture> {
        D::read(client, scope)
    }
}

/// A file that an `ignore:` pattern also covers is an error at the file.
fn check<D: Documents>(desired: &Desired, out: &mut Vec<Diagnostic>) {
    for doc in D::declared(desired) {
        let title = doc.front.title();
        if let Some(ig) = super::checks::ignored_by(desired, D::KIND, title) {
            out.push(
                doc.error_at(
                    "",
                    format!(
                        "`{title}` is both declared and ignored (pattern `{}` at {})",
                        ig.value.1,
                        super::checks::at(desired, &ig.origin, "")
                    ),
                )
                .with_help(format!(
                    "a {} is either managed here or ignored; remove the file or narrow the pattern",
                    D::KIND.noun()
                )),
            );
        }
    }
}

/// The teammate with e-mail `email` (case-insensitively), or the located error naming the
/// closest one, for a front matter field (`/author`, `/owner`).
pub(super) fn admin<'l, F>(
    live: &'l Live,
    doc: &Document<F>,
    pointer: &str,
    email: &str,
) -> Result<&'l Admin, Box<Diagnostic>> {
    super::engine::find_teammate(live, email)
        .map_err(|(message, help)| Box::new(doc.error_at(pointer, message).with_help(help)))
}

/// The e-mail of the admin with id `id` (the id itself when no teammate has it), for plans.
pub(super) fn email_of(live: &Live, id: &str) -> String {
    live.admins
        .iter()
        .find(|a| a.id == id)
        .map_or_else(|| id.to_string(), |a| a.email.clone())
}

/// Plans the kind: each file's create or update, then prune.
fn plan<D: Documents>(ctx: &mut PlanCtx<'_>) {
    let items: &[D::Object] = ctx.live.objects(D::KIND);
    let by_title = index_by(items, |o| o.name(), false);
    let mut taken: HashMap<&str, &Document<D::Front>> = HashMap::new();
    for doc in D::declared(ctx.d) {
        let title = doc.front.title();
        let address = Address::new(D::KIND, title);
        if !ctx.filter.includes(&address) || ctx.ignored(D::KIND, title) {
            continue;
        }
        let found = match find::<D>(doc, &by_title) {
            Ok(found) => found,
            Err(e) => {
                ctx.errors.push(*e);
                continue;
            }
        };
        if let Some((live, _)) = found
            && let Some(first) = taken.insert(live.id().unwrap_or_default(), doc)
        {
            let message = format!(
                "{} is already claimed by {}:{}:{}",
                Address::new(D::KIND, live.name()),
                first.spot.file,
                first.spot.pos.line,
                first.spot.pos.col
            );
            let help = format!(
                "let one file claim each {} (by its title, or `renamed_from`)",
                D::KIND.noun()
            );
            ctx.errors
                .push(doc.error_at("/renamed_from", message).with_help(help));
            continue;
        }
        let want = body::normalize(&doc.body);
        let old = found.map(|(live, _)| D::live_body(live));
        let mut p = Planning {
            ctx,
            doc,
            fields: Vec::new(),
            title: None,
            body: None,
        };
        let planned = match found {
            None => {
                p.title = Some(title.to_string());
                p.body = Some(want.clone());
                D::create(&mut p).map(Some)
            }
            Some((live, renamed)) => {
                p.title = renamed.then(|| title.to_string());
                p.body = (old.as_deref() != Some(want.as_str())).then(|| want.clone());
                let id = live.id().unwrap_or_default().to_string();
                D::update(&mut p, live).map(|changes| {
                    (changes != D::Changes::default()).then(|| D::UPDATE(id, changes))
                })
            }
        };
        let (mut fields, body_changes) = (p.fields, p.body.is_some());
        match planned {
            Err(e) => ctx.errors.push(*e),
            Ok(None) => {}
            Ok(Some(op)) => {
                if body_changes && !(old.is_none() && want.is_empty()) {
                    fields.push(field("body", old.map(|o| json!(o)), Some(json!(want))));
                }
                match found {
                    None => ctx.create(address, fields, vec![op]),
                    Some((live, renamed)) => ctx.modify(address, live, renamed, fields, vec![op]),
                }
            }
        }
    }
    ctx.prune_by_deleting(D::KIND, items, D::DELETE);
}

/// The live object a file is about (by title, else by `renamed_from`: a rename) and whether
/// it is renamed; `Err` when that is ambiguous.
#[allow(clippy::type_complexity)]
fn find<'l, D: Documents>(
    doc: &Document<D::Front>,
    by_title: &HashMap<String, Vec<&'l D::Object>>,
) -> Result<Option<(&'l D::Object, bool)>, Box<Diagnostic>> {
    let noun = D::KIND.noun();
    let unique = |pointer: &str, title: &str| match by_title.get(title).map(Vec::as_slice) {
        None | Some([]) => Ok(None),
        Some([one]) => Ok(Some(*one)),
        Some(many) => Err(Box::new(
            doc.error_at(
                pointer,
                format!("Intercom has {} {noun}s titled `{title}`", many.len()),
            )
            .with_help(format!(
                "rename or delete the duplicates in Intercom so the title identifies one {noun}"
            )),
        )),
    };
    let here = unique("", doc.front.title())?;
    let old = match doc.front.renamed_from() {
        Some(old) => unique("/renamed_from", old)?,
        None => None,
    };
    match (here, old) {
        (Some(_), Some(_)) => Err(Box::new(
            doc.error_at(
                "/renamed_from",
                format!(
                    "both {} and {} exist in Intercom, so the rename is ambiguous",
                    Address::new(D::KIND, doc.front.renamed_from().unwrap_or_default()),
                    Address::new(D::KIND, doc.front.title())
                ),
            )
            .with_help("delete one of them in Intercom (or drop `renamed_from`), then plan again"),
        )),
        (Some(live), None) => Ok(Some((live, false))),
        (None, Some(live)) => Ok(Some((live, true))),
        (None, None) => Ok(None),
    }
}

/// Writes each live object as `<folder>/<slug of its title>.md`. Objects without a title, or
/// whose title another one shares (ignoring case, as the reader compares titles), go to
/// `ignore:`.
fn export<D: Documents>(live: &Live, out: &mut Exported) {
    let items: &[D::Object] = live.objects(D::KIND);
    let mut sorted: Vec<&D::Object> = items.iter().collect();
    sorted.sort_by(|a, b| (a.name(), a.id()).cmp(&(b.name(), b.id())));
    let dups = super::export::duplicated(items.iter().map(|o| o.name()), true);
    let mut used: HashSet<String> = HashSet::new();
    let noun = D::KIND.noun();
    for o in sorted {
        let title = o.name();
        let why = if title.trim().is_empty() {
            Some("it has no title".to_string())
        } else if dups.contains(&title.to_lowercase()) {
            Some(format!(
                "another {noun} has the same title (ignoring case), so a title cannot identify one"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            if !out
                .ignored
                .iter()
                .any(|i| i.kind == D::KIND && i.name == title)
            {
                out.ignored.push(Ignored {
                    kind: D::KIND,
                    name: title.to_string(),
                    why,
                });
            }
            continue;
        }
        let mut stem = slug(title);
        if stem.is_empty() {
            stem = format!("{}-{}", D::KIND.singular(), o.id().unwrap_or_default());
        }
        let mut path = format!("{}/{stem}.md", D::KIND.plural());
        let mut n = 2;
        while !used.insert(path.to_lowercase()) {
            path = format!("{}/{stem}-{n}.md", D::KIND.plural());
            n += 1;
        }
        let text = to_markdown(&D::export_front(live, o), &D::live_body(o));
        out.extra_files.push((path, text));
    }
}
