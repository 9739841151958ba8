//! Help Center articles, declared as the Markdown files of `help_center/` (read by
//! `config::help_center`) and keyed by their collection's path and title
//! (`article["Billing/Invoices/How to pay"]`; an article at the top of `help_center/` stands
//! alone and is keyed by its title).
//!
//! A declaration meets its live article by its key, else by its `renamed_from` title in the
//! same collection (a rename), else by its title (or `renamed_from`) in another collection when
//! no file claims it there (a move: the file went to another folder; same id, new
//! `parent_id`). Title, description, state, author and collection are fields; the body is
//! compared as Markdown, line by line (see [`body`]): the live `body_markdown` when Intercom
//! keeps one, else the live HTML converted with the function export uses. A new article (or a
//! move) into a collection the same plan creates joins that collection's change, whose create
//! gives it the id. Prune deletes undeclared articles when asked.

pub(super) mod body;
pub(super) mod export;
mod kept;
mod links;
mod live_links;
mod translations;
mod write;
pub(super) use write::write;

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::engine::{LiveObject, PlanCtx, field, removal};
use super::help_center_collections::planned_creates;
use super::{Exported, KindSpec, Scope};
use crate::config::help_center::{ArticleSource, FOLDER, Spot};
use crate::config::source::Node;
use crate::config::{Desired, Diagnostic};
use crate::intercom::{self, Client};
use crate::model::change::{Action, CollectionRef, FieldChange, Op, fingerprint};
use crate::model::{
    Address, Article, ArticleChanges, ArticleRef, ArticleState, HelpCenterCollection, Kind, Live,
    NewArticle, OpRef,
};

const KIND: Kind = Kind::Articles;
const COLLECTIONS: Kind = Kind::HelpCenterCollections;

/// Help Center articles.
pub struct Articles;

impl KindSpec for Articles {
    // Articles are Markdown files, not YAML declarations: the folder reader checks titles.
    super::folder_kind!(KIND, articles, |a| std::iter::once(a.key.as_str())
        .chain(a.renamed_key.as_deref()));

    /// An article file that an `ignore:` pattern also covers is an error at the file (a
    /// collection folder may stand in an ignored collection: its articles are then refused).
    fn check(&self, desired: &Desired, out: &mut Vec<Diagnostic>) {
        for a in &desired.help_center.articles {
            let Some(ig) = super::checks::ignored_by(desired, KIND, &a.key) else {
                continue;
            };
            out.push(
                Diagnostic::error(
                    &a.spot.file,
                    Some(a.spot.pos),
                    format!(
                        "`{}` is both declared and ignored (pattern `{}` at {})",
                        a.key,
                        ig.value.1,
                        super::checks::at(desired, &ig.origin, "")
                    ),
                )
                .with_help("an article is either managed here or ignored; remove the file or narrow the pattern"),
            );
        }
    }

    fn objects<'a>(&self, live: &'a Live, kind: Kind) -> Vec<&'a dyn LiveObject> {
        super::engine::objects::<Article>(live, kind)
    }

    fn export(&self, live: &Live, _kind: Kind, out: &mut Exported) -> bool {
        export::export_tree(live, out);
        true
    }

    fn export_file(&self) -> (String, String) {
        (FOLDER.to_string(), "help center articles".to_string())
    }

    /// An article's key starts with its collection's path: the collections are read with it.
    fn widen_scope(&self, _desired: Option<&Desired>, scope: &mut Scope) {
        scope.also.insert(COLLECTIONS);
    }

    /// Lists the articles and, unless teams read them, the admins (authors are named by
    /// e-mail). The collections are read beside them (`widen_scope`) and installed first (they
    /// come first in the registry), so the install resolves each article's collection path.
    fn read(&self, client: &Client, kind: Kind, scope: &Scope) -> Option<super::read::ReadFuture> {
        super::read::with_admins(
            client,
            !scope.kinds.contains(&Kind::Teams),
            |c| async move { intercom::read::articles(&c).await },
            move |live, mut articles: Vec<Article>| {
                let collections: &[HelpCenterCollection] = live.objects(COLLECTIONS);
                for a in &mut articles {
                    a.collection = a.parent_id.as_ref().and_then(|p| {
                        collections
                            .iter()
                            .find(|c| &c.id == p)
                            .map(|c| c.path.clone())
                    });
                    a.key = Article::key_of(a.collection.as_deref(), &a.title);
                }
                live.set_objects(kind, articles);
            },
        )
    }
}

impl LiveObject for Article {
    fn id(&self) -> Option<&str> {
        Some(&self.id)
    }

    /// The natural key is the collection's path and the title.
    fn name(&self) -> &str {
        &self.key
    }

    fn fingerprint(&self) -> String {
        let own = fingerprint(&(
            &self.key,
            &self.description,
            &self.body,
            &self.body_markdown,
            &self.author_id,
            self.state,
            &self.parent_id,
        ));
        super::help_center_collections::with_translations(own, &self.translations)
    }
}

/// A description as compared: Intercom answers `""` or `null` for none.
fn description(d: &Option<String>) -> &str {
    d.as_deref().unwrap_or("")
}

use super::engine::find_teammate as find_author;

/// An error located at `pointer` of an article's front matter (its `title` key for `""` or
/// when absent).
fn error_at(a: &ArticleSource, pointer: &str, message: String, help: &str) -> Diagnostic {
    located((&a.spot, &a.root), pointer, message, help)
}

/// An error at `pointer` of the front matter `root` of the file at `spot` (`spot`'s position
/// for `""` or when absent).
fn located((spot, root): (&Spot, &Node), pointer: &str, message: String, help: &str) -> Diagnostic {
    let node = root.locate(pointer);
    let pos = if std::ptr::eq(node, root) {
        spot.pos
    } else {
        node.pos
    };
    Diagnostic::error(&spot.file, Some(pos), message).with_help(help)
}

/// A problem with the collection an article's file sits in.
fn collection_error(a: &ArticleSource, collection: &str, problem: &str, help: &str) -> Diagnostic {
    let address = Address::new(COLLECTIONS, collection);
    error_at(
        a,
        "",
        format!("the article's collection {address} {problem}"),
        help,
    )
}

/// Where a declared article's collection is, for a create or a move.
enum Parent {
    /// It stands alone.
    None,
    /// A live collection.
    Live(String),
    /// A collection this plan creates: (its change, its create's index).
    Planned(usize, usize),
}

/// How a declaration meets the live articles.
struct Found<'l> {
    live: &'l Article,
    /// Its title changes.
    renamed: bool,
}

/// The live articles by key and by title.
struct Index<'l> {
    by_key: HashMap<&'l str, Vec<&'l Article>>,
    by_title: HashMap<&'l str, Vec<&'l Article>>,
}

fn plan_kind(ctx: &mut PlanCtx<'_>) {
    let (d, live) = (ctx.d, ctx.live);
    let articles: &[Article] = live.objects(KIND);
    let collections: &[HelpCenterCollection] = live.objects(COLLECTIONS);
    let index = Index {
        by_key: group(articles, |a| a.key.as_str()),
        by_title: group(articles, |a| a.title.as_str()),
    };
    let declared = &d.help_center.articles;
    let declared_keys: HashSet<&str> = declared.iter().map(|a| a.key.as_str()).collect();
    let planned = planned_creates(&ctx.plan);
    let mut taken: HashMap<&str, &ArticleSource> = HashMap::new();
    let mut claimed: Vec<&str> = declared_keys.iter().copied().collect();
    let mut todo = Vec::new();
    for a in declared {
        let address = Address::new(KIND, &a.key);
        if !ctx.filter.includes(&address) || ctx.ignored(KIND, &a.key) {
            continue;
        }
        let collection = a.collection.join("/");
        if !a.collection.is_empty() && ctx.ignored(COLLECTIONS, &collection) {
            ctx.errors.push(collection_error(
                a,
                &collection,
                "is ignored",
                "move the article to a managed collection, or ignore the article too (`ignore: { articles: [...] }`)",
            ));
            continue;
        }
        let author = match &a.front.author {
            None => None,
            Some(email) => match find_author(live, email) {
                Ok(admin) => Some(admin),
                Err((message, help)) => {
                    ctx.errors.push(error_at(a, "/author", message, &help));
                    continue;
                }
            },
        };
        let Ok(found) = find(ctx, a, &index, &declared_keys) else {
            continue;
        };
        if let Some(f) = &found {
            if let Some(first) = taken.get(f.live.id.as_str()) {
                let message = format!(
                    "{} is already claimed by {}:{}:{}",
                    Address::new(KIND, &f.live.key),
                    first.spot.file,
                    first.spot.pos.line,
                    first.spot.pos.col
                );
                ctx.errors.push(error_at(
                    a,
                    "/renamed_from",
                    message,
                    "let one file claim each article (by its title, or `renamed_from`)",
                ));
                continue;
            }
            taken.insert(&f.live.id, a);
            claimed.push(&f.live.key);
        }
        let parent = if a.collection.is_empty() {
            Parent::None
        } else if let Some(c) = collections.iter().find(|c| c.path == collection) {
            Parent::Live(c.id.clone())
        } else if let Some((change, op)) = planned.get(&collection) {
            Parent::Planned(*change, *op)
        } else {
            ctx.errors.push(collection_error(
                a,
                &collection,
                "is not in Intercom and this plan does not create it",
                "plan the collections too (`--only` without help_center_collections leaves them out)",
            ));
            continue;
        };
        todo.push((a, address, found, author, parent));
    }
    let fates = todo
        .iter()
        .map(|(a, _, f, _, _)| (*a, f.as_ref().map(|f| (f.live, f.renamed))));
    let mut links = links::Links::new(fates, &d.help_center, articles);
    for (a, address, found, author, parent) in todo {
        match found {
            None => plan_create(ctx, &mut links, a, address, author, parent),
            Some(f) => plan_update(ctx, &mut links, a, address, f, author, parent),
        }
    }
    links.finish(ctx);
    claimed.sort_unstable();
    claimed.dedup();
    ctx.prune(
        KIND,
        articles,
        |a| a.key.as_str(),
        &claimed,
        |a| {
            if taken.contains_key(a.id.as_str()) {
                return None;
            }
            let op = Op::DeleteArticle { id: a.id.clone() };
            Some(removal(a, Action::Delete, op))
        },
    );
    kept::refuse_kept(ctx, articles, collections);
}

fn group<'l>(
    items: &'l [Article],
    key: impl Fn(&'l Article) -> &'l str,
) -> HashMap<&'l str, Vec<&'l Article>> {
    let mut out: HashMap<&str, Vec<&Article>> = HashMap::new();
    for a in items {
        out.entry(key(a)).or_default().push(a);
    }
    out
}

/// The live article a declaration is about (see the module documentation); `Err` when that is
/// ambiguous (recorded as a located error).
fn find<'l>(
    ctx: &mut PlanCtx<'_>,
    a: &ArticleSource,
    index: &Index<'l>,
    declared_keys: &HashSet<&str>,
) -> Result<Option<Found<'l>>, ()> {
    let ambiguous = |ctx: &mut PlanCtx<'_>, pointer: &str, what: String, n: usize| {
        ctx.errors.push(error_at(
            a,
            pointer,
            format!("Intercom has {n} articles {what}"),
            "rename or delete the duplicates in Intercom so the title identifies one article",
        ));
    };
    let at_key = |key: &str| index.by_key.get(key).cloned().unwrap_or_default();
    let here = at_key(&a.key);
    if here.len() > 1 {
        ambiguous(ctx, "", format!("at {}", a.key), here.len());
        return Err(());
    }
    let renamed_here = a.renamed_key.as_deref().map(at_key).unwrap_or_default();
    if renamed_here.len() > 1 {
        let key = a.renamed_key.clone().unwrap_or_default();
        ambiguous(
            ctx,
            "/renamed_from",
            format!("at {key}"),
            renamed_here.len(),
        );
        return Err(());
    }
    match (here.first(), renamed_here.first()) {
        (Some(_), Some(old)) => {
            ctx.errors.push(error_at(
                a,
                "/renamed_from",
                format!(
                    "both {} and {} exist in Intercom, so the rename is ambiguous",
                    Address::new(KIND, &old.key),
                    Address::new(KIND, &a.key)
                ),
                "delete one of them in Intercom (or drop `renamed_from`), then plan again",
            ));
            return Err(());
        }
        (Some(live), None) => {
            return Ok(Some(Found {
                live,
                renamed: false,
            }));
        }
        (None, Some(live)) => {
            return Ok(Some(Found {
                live,
                renamed: true,
            }));
        }
        (None, None) => {}
    }
    // A move: the same title (or the old one) in another collection, not claimed there.
    let titles = std::iter::once(a.front.title.as_str()).chain(a.front.renamed_from.as_deref());
    let mut elsewhere: Vec<&Article> = Vec::new();
    for t in titles {
        for live in index.by_title.get(t).into_iter().flatten() {
            if !declared_keys.contains(live.key.as_str())
                && !ctx.ignored(KIND, &live.key)
                && !elsewhere.iter().any(|e| e.id == live.id)
            {
                elsewhere.push(live);
            }
        }
    }
    match elsewhere.as_slice() {
        [] => Ok(None),
        [live] => Ok(Some(Found {
            live,
            renamed: live.title != a.front.title,
        })),
        many => {
            let mut keys: Vec<String> = many.iter().map(|l| format!("`{}`", l.key)).collect();
            keys.sort();
            ctx.errors.push(error_at(
                a,
                "",
                format!(
                    "the article could have moved from any of {}",
                    keys.join(", ")
                ),
                "declare the others where they are, or delete them in Intercom, so the move is clear",
            ));
            Err(())
        }
    }
}

/// The collection reference of a create or a move, and the change it joins when the
/// collection is new.
fn parent_ref(parent: &Parent) -> (Option<CollectionRef>, Option<usize>) {
    match parent {
        Parent::None => (None, None),
        Parent::Live(id) => (Some(CollectionRef::Id(id.clone())), None),
        Parent::Planned(change, op) => (Some(CollectionRef::Created(*op)), Some(*change)),
    }
}

/// Adds an article's operation to the change that creates its new collection.
fn join(ctx: &mut PlanCtx<'_>, change: usize, op: Op, field: FieldChange) {
    if let Some(ch) = ctx.plan.changes.get_mut(change) {
        ch.ops.push(op);
        ch.fields.push(field);
    }
}

fn plan_create<'l>(
    ctx: &mut PlanCtx<'l>,
    links: &mut links::Links<'l>,
    a: &'l ArticleSource,
    address: Address,
    author: Option<&crate::model::Admin>,
    parent: Parent,
) {
    let body = body::normalize(&a.body);
    let from = links::Linking::Article(a);
    let (sent, pending) = links.create_body(from, &body);
    let state = a.front.state.unwrap_or(ArticleState::Draft);
    let author_id = author.map_or_else(|| ctx.live.me.id.clone(), |ad| ad.id.clone());
    let (parent, joins) = parent_ref(&parent);
    let collection = (!a.collection.is_empty()).then(|| a.collection.join("/"));
    let (translated_content, translated, waits) =
        translations::for_create(ctx, links, a, &author_id);
    let own = pending.then_some(body.as_str());
    let op = Op::CreateArticle(NewArticle {
        title: a.front.title.clone(),
        description: a.front.description.clone(),
        body_markdown: sent,
        author_id,
        state,
        parent,
        collection,
        translated_content,
    });
    if let Some(change) = joins {
        join(ctx, change, op, field("article", None, Some(json!(a.key))));
        let Some(ch) = ctx.plan.changes.get(change) else {
            return;
        };
        let (at, op) = (ch.address.clone(), ch.ops.len() - 1);
        links.primary(a, OpRef { address: at, op });
        let created = ArticleRef::Created(op);
        links.request(a, address, created, Some(change), None, own, waits, vec![]);
        return;
    }
    let mut fields = Vec::new();
    if let Some(d) = &a.front.description {
        fields.push(field("description", None, Some(json!(d))));
    }
    fields.push(field("state", None, Some(json!(state.as_str()))));
    if let Some(email) = &a.front.author {
        fields.push(field("author", None, Some(json!(email))));
    }
    if !body.is_empty() {
        fields.push(field("body", None, Some(json!(body))));
    }
    fields.extend(translated);
    ctx.create(address.clone(), fields, vec![op]);
    let change = ctx.plan.changes.len() - 1;
    let op = OpRef {
        address: address.clone(),
        op: 0,
    };
    links.primary(a, op);
    let created = ArticleRef::Created(0);
    links.request(a, address, created, Some(change), None, own, waits, vec![]);
}

fn plan_update<'l>(
    ctx: &mut PlanCtx<'l>,
    links: &mut links::Links<'l>,
    a: &'l ArticleSource,
    address: Address,
    found: Found<'_>,
    author: Option<&crate::model::Admin>,
    parent: Parent,
) {
    let live = found.live;
    let mut fields = Vec::new();
    let mut changes = ArticleChanges::default();
    if found.renamed {
        changes.title = Some(a.front.title.clone());
    }
    if let Some(want) = &a.front.description
        && want != description(&live.description)
    {
        fields.push(field(
            "description",
            Some(json!(description(&live.description))),
            Some(json!(want)),
        ));
        changes.description = Some(want.clone());
    }
    if let Some(want) = a.front.state
        && Some(want) != live.state
    {
        let old = live.state.map_or(Value::Null, |s| json!(s.as_str()));
        fields.push(field("state", Some(old), Some(json!(want.as_str()))));
        changes.state = Some(want);
        if want == ArticleState::Draft && live.state == Some(ArticleState::Published) {
            ctx.warn(
                &address,
                "`state: draft` unpublishes the article: it leaves the help center".to_string(),
            );
        }
    }
    if let Some(admin) = author
        && admin.id != live.author_id
    {
        let old = ctx
            .live
            .admins
            .iter()
            .find(|ad| ad.id == live.author_id)
            .map_or_else(|| json!(live.author_id), |ad| json!(ad.email));
        fields.push(field("author", Some(old), Some(json!(admin.email))));
        changes.author_id = Some(admin.id.clone());
    }
    let want_body = body::normalize(&a.body);
    let live_markdown = body::live_markdown(live.body_markdown.as_deref(), &live.body);
    let from = links::Linking::Article(a);
    let live_body = links.compared_live(from, &want_body, &live_markdown);
    // The body waits for writes of this plan when it links to articles it creates or renames.
    let mut linked = false;
    if want_body != live_body {
        fields.push(field(
            "body",
            Some(json!(live_body)),
            Some(json!(want_body)),
        ));
        match links.update_body(from, &want_body) {
            Some(sent) => changes.body_markdown = Some(sent),
            None => linked = true,
        }
    } else if links.follows_rename(from, &want_body) {
        linked = true;
    }
    let own = linked.then_some(want_body.as_str());
    let request = |links: &mut links::Links<'l>, change, waits, fields| {
        let article = ArticleRef::Id(live.id.clone());
        let address = address.clone();
        links.request(a, address, article, change, Some(live), own, waits, fields);
    };
    let moved = live.collection.as_deref().unwrap_or("") != a.collection.join("/");
    let (parent, joins) = parent_ref(&parent);
    if moved {
        if parent.is_none() {
            ctx.manual(
                address,
                format!(
                    "take {} out of its collection `{}`",
                    Address::new(KIND, &live.key),
                    live.collection.as_deref().unwrap_or("")
                ),
                Some("the API cannot make an article stand alone: remove it from its collection in Intercom's editor".into()),
            );
            return;
        }
        fields.push(field(
            "collection",
            Some(json!(live.collection.as_deref().unwrap_or(""))),
            Some(json!(a.collection.join("/"))),
        ));
        changes.parent = parent;
    }
    let waits = translations::for_update(ctx, links, a, &address, live, &mut fields, &mut changes);
    if changes.is_empty() {
        request(links, None, waits, fields);
        return;
    }
    let op = Op::UpdateArticle {
        id: live.id.clone(),
        changes,
    };
    if let Some(change) = joins {
        join(
            ctx,
            change,
            op,
            field("article", Some(json!(live.key)), Some(json!(a.key))),
        );
        if let Some(ch) = ctx.plan.changes.get(change) {
            let (at, op) = (ch.address.clone(), ch.ops.len() - 1);
            links.primary(a, OpRef { address: at, op });
        }
        request(links, None, waits, vec![]);
        return;
    }
    ctx.modify(address.clone(), live, found.renamed, fields, vec![op]);
    if found.renamed || links.retitles(a) {
        let op = OpRef {
            address: address.clone(),
            op: 0,
        };
        links.primary(a, op);
    }
    // A rename runs before the kind's other changes: the link waits in an update of its own.
    let change = (!found.renamed).then(|| ctx.plan.changes.len() - 1);
    request(links, change, waits, vec![]);
}
