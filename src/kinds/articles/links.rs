//! Links between articles in plans and exports. A relative link to an article's file is sent
//! as the target's Intercom URL (its `url`: `…/en/articles/<id>-<slug of the title>`, the
//! anchor kept), and a live link whose URL is a live article's (matched by the id in the URL,
//! so an old slug or another locale still maps) reads back as the relative path from the
//! linking file to the target's file: that is how bodies compare, and how export writes them.
//! Links to articles outside the configuration stay absolute.
//!
//! Translations link the same way, in their locale: from `slug.fr.md`, a link to `other.md` is
//! sent as the French URL of `other` (its `fr` translation's `url`) when `other` declares a
//! French translation, else as its own URL; a link to `other.de.md` is sent as its German
//! URL.
//!
//! A target that the plan creates or renames (or whose translation in the link's locale it
//! creates or retitles) gets its (new) URL only from that write: the linking article then gets
//! an `Op::LinkArticle` that waits for it (`OpRef`), in its own change, or in the change that
//! creates it (after its create), and the plan shows a `link` field for each such target
//! (`translated_content.<locale>.link` for a translation's links). A translation that waits is
//! sent whole by that operation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::KIND;
use super::live_links::map_back;
use crate::config::Diagnostic;
use crate::config::help_center::links::{
    LinkTarget, article_path, linkable, md_links, normalize, relative, resolve,
};
use crate::config::help_center::{ArticleSource, HelpCenterTree, TranslationSource};
use crate::kinds::PlanCtx;
use crate::kinds::engine::field;
use crate::model::change::{FieldChange, Op};
use crate::model::{
    Address, Article, ArticleContent, ArticleLinks, ArticleRef, LocaleLinks, OpRef, PendingLink,
};

/// A body that links: an article's own, or one of its translations'.
#[derive(Debug, Clone, Copy)]
pub(super) enum Linking<'a> {
    /// The article's default-locale file.
    Article(&'a ArticleSource),
    /// A translation's file.
    Translation(&'a TranslationSource),
}

impl Linking<'_> {
    fn file(&self) -> &str {
        match self {
            Linking::Article(a) => &a.spot.file,
            Linking::Translation(t) => &t.spot.file,
        }
    }

    fn locale(&self) -> Option<&str> {
        match self {
            Linking::Article(_) => None,
            Linking::Translation(t) => Some(&t.locale),
        }
    }

    /// The position in its file of byte `offset` of `body` (its body as read, normalised).
    fn position(&self, body: &str, offset: usize) -> crate::config::source::Position {
        match self {
            Linking::Article(a) => a.origin.position(&a.body, body, offset),
            Linking::Translation(t) => t.origin.position(&t.body, body, offset),
        }
    }

    /// The name of a field of this body in a plan (`link`, `translated_content.fr.link`).
    fn field(&self, name: &str) -> String {
        match self.locale() {
            None => name.to_string(),
            Some(l) => format!("translated_content.{l}.{name}"),
        }
    }
}

/// What the plan does to a declared article that links may point at.
struct Target<'l> {
    /// Its address's key.
    key: String,
    /// The live article it is, if any.
    live: Option<&'l Article>,
    /// Whether this plan gives it a new title (so a new URL).
    renamed: bool,
    /// Whether this plan creates it.
    created: bool,
    /// Its declared translations' titles, by locale.
    locales: BTreeMap<String, String>,
    /// The locales whose URL this plan changes (a new translation, or a new title).
    retitled: HashSet<String>,
}

impl Target<'_> {
    /// How a link to it in `locale` (`None`: its own URL) is shown in a plan.
    fn shown(&self, locale: Option<&str>, new: bool) -> serde_json::Value {
        let key = match (new, self.live) {
            (false, Some(l)) => l.key.clone(),
            _ => self.key.clone(),
        };
        let title = match (locale, new, self.live) {
            (None, _, _) => None,
            (Some(l), true, _) => self.locales.get(l).cloned(),
            (Some(l), false, live) => live
                .and_then(|a| a.translations.get(l))
                .map(|t| t.title.clone()),
        };
        match (locale, title) {
            (Some(l), Some(t)) => json!(format!("{key} ({l}: {t})")),
            _ => json!(key),
        }
    }
}

/// How a link's destination is sent.
#[derive(Debug, Clone, PartialEq)]
enum Send {
    /// The target's live URL.
    Url(String),
    /// Known only once the write of this plan that creates or renames the target is done (an
    /// error when the plan does not write it).
    Pending(PathBuf),
    /// As written (the target has no URL in Intercom, or is not planned).
    AsWritten,
}

/// One link of a desired body to an article file.
#[derive(Debug, Clone)]
struct Out {
    start: usize,
    len: usize,
    anchor: Option<String>,
    /// The target article's file.
    file: PathBuf,
    /// The locale of the target's URL (`None`: its own).
    locale: Option<String>,
    send: Send,
    /// The target's URL before this plan's writes, for a body sent before its links are.
    now: Option<String>,
}

/// A body that waits for writes of this plan: its desired text and its links.
struct Wait<'l> {
    from: Linking<'l>,
    body: String,
    outs: Vec<Out>,
}

/// A translation that waits: its whole content (the body as written).
pub(super) struct LocaleWait<'l> {
    wait: Wait<'l>,
    content: ArticleContent,
}

/// A linking article whose body waits for writes of this plan.
struct Request<'l> {
    address: Address,
    article: ArticleRef,
    /// Where its link operation goes: a change index (`None`: a change of its own).
    change: Option<usize>,
    /// The live article, for a change of its own.
    live: Option<Article>,
    /// Its default-locale body, when it waits.
    body: Option<Wait<'l>>,
    /// Its translations that wait.
    locales: Vec<LocaleWait<'l>>,
    /// The fields its own change shows besides the links.
    fields: Vec<FieldChange>,
}

/// The link context of one plan of the articles kind.
pub(super) struct Links<'l> {
    targets: HashMap<PathBuf, Target<'l>>,
    /// The files links may name: articles' and translations'.
    files: HashMap<PathBuf, LinkTarget>,
    /// The declared file that claims each live article.
    claimed: HashMap<&'l str, PathBuf>,
    live_by_id: HashMap<&'l str, &'l Article>,
    /// The write that creates or renames each target.
    primary: HashMap<PathBuf, OpRef>,
    requests: Vec<Request<'l>>,
}

fn file_of(a: &ArticleSource) -> PathBuf {
    normalize(Path::new(&a.spot.file))
}

impl<'l> Links<'l> {
    /// `fates`: each declared article with the live article it is (and whether it is renamed),
    /// or `None` when the plan creates it; `tree`: every declared article and translation
    /// (the articles `--only` leaves out are found by key).
    pub(super) fn new(
        fates: impl IntoIterator<Item = (&'l ArticleSource, Option<(&'l Article, bool)>)>,
        tree: &'l HelpCenterTree,
        live: &'l [Article],
    ) -> Self {
        let live_by_id: HashMap<&str, &Article> = live.iter().map(|a| (a.id.as_str(), a)).collect();
        let locales = |a: &ArticleSource| -> BTreeMap<String, String> {
            tree.translations_of(a)
                .into_iter()
                .map(|t| (t.locale.clone(), t.front.title.clone()))
                .collect()
        };
        // The declared locales whose URL is not the live one's (`titles`: also a new title).
        let retitled = |locales: &BTreeMap<String, String>, live: Option<&Article>, titles| {
            let Some(live) = live else {
                return HashSet::new();
            };
            locales
                .iter()
                .filter(|(l, title)| match live.translations.get(*l) {
                    None => true,
                    Some(t) => titles && t.title != **title,
                })
                .map(|(l, _)| l.clone())
                .collect()
        };
        let mut targets = HashMap::new();
        for (a, fate) in fates {
            let locales = locales(a);
            let live = fate.map(|f| f.0);
            targets.insert(
                file_of(a),
                Target {
                    key: a.key.clone(),
                    live,
                    renamed: fate.is_some_and(|f| f.1),
                    created: fate.is_none(),
                    retitled: retitled(&locales, live, true),
                    locales,
                },
            );
        }
        let by_key: HashMap<&str, &Article> = live.iter().map(|l| (l.key.as_str(), l)).collect();
        for a in &tree.articles {
            // Left out of this plan: it stays as it is in Intercom.
            targets.entry(file_of(a)).or_insert_with(|| {
                let live = std::iter::once(&a.key)
                    .chain(&a.renamed_key)
                    .find_map(|k| by_key.get(k.as_str()).copied());
                let locales = locales(a);
                Target {
                    key: a.key.clone(),
                    live,
                    renamed: false,
                    created: false,
                    retitled: retitled(&locales, live, false),
                    locales,
                }
            });
        }
        let claimed = targets
            .iter()
            .filter_map(|(f, t)| t.live.map(|l| (l.id.as_str(), f.clone())))
            .collect();
        Links {
            targets,
            files: linkable(tree),
            claimed,
            live_by_id,
            primary: HashMap::new(),
            requests: Vec::new(),
        }
    }

    /// The target article's file and the locale a link written in `from` to `path` names.
    fn target_of(&self, from: Linking<'_>, path: &str) -> (PathBuf, Option<String>) {
        let resolved = resolve(from.file(), path);
        let Some(named) = self.files.get(&resolved) else {
            return (resolved, None);
        };
        let locale = named.locale.clone().or_else(|| {
            // `slug.md` from a translation: the same locale, when the target has it.
            let l = from.locale()?;
            let t = self.targets.get(&named.article)?;
            t.locales.contains_key(l).then(|| l.to_string())
        });
        (named.article.clone(), locale)
    }

    /// The live body as compared with `want` (the desired body of `from`): links to the live
    /// articles of declared files become relative paths, spelled as `want` spells them.
    pub(super) fn compared_live(&self, from: Linking<'_>, want: &str, live_md: &str) -> String {
        let here = normalize(Path::new(from.file()));
        let spelled: Vec<(PathBuf, Option<&str>, &str)> = md_links(want)
            .into_iter()
            .filter_map(|l| {
                let (path, anchor) = article_path(l.dest)?;
                Some((self.target_of(from, &path).0, anchor, l.dest))
            })
            .collect();
        let absolute: Vec<&str> = md_links(want).into_iter().map(|l| l.dest).collect();
        map_back(live_md, &self.live_by_id, |dest, id, anchor| {
            // A URL written as such in the file is compared as such.
            if absolute.contains(&dest) {
                return None;
            }
            let file = self.claimed.get(id)?;
            let written = spelled
                .iter()
                .find(|(f, a, _)| f == file && *a == anchor)
                .map(|(_, _, d)| d.to_string());
            Some(written.unwrap_or_else(|| with_anchor(relative(&here, file), anchor)))
        })
    }

    /// The links of `want` (the desired body of `from`) to article files, and how each is sent.
    fn outgoing(&self, from: Linking<'_>, want: &str) -> Vec<Out> {
        md_links(want)
            .into_iter()
            .filter_map(|l| {
                let (path, anchor) = article_path(l.dest)?;
                let (file, locale) = self.target_of(from, &path);
                let t = self.targets.get(&file);
                let now = t.and_then(|t| t.live?.url_in(locale.as_deref()));
                let send = match t {
                    // Written by this plan, or not at all (then an error when it is planned).
                    Some(t) if t.created || t.live.is_none() => Send::Pending(file.clone()),
                    Some(t) if locale.is_none() && t.renamed => Send::Pending(file.clone()),
                    Some(t) if locale.as_ref().is_some_and(|l| t.retitled.contains(l)) => {
                        Send::Pending(file.clone())
                    }
                    Some(_) => now.clone().map_or(Send::AsWritten, Send::Url),
                    None => Send::AsWritten,
                };
                Some(Out {
                    start: l.start,
                    len: l.dest.len(),
                    anchor: anchor.map(str::to_string),
                    file,
                    locale,
                    send,
                    now,
                })
            })
            .collect()
    }

    /// The body to send for `want` when no link is pending, else `None`. `placeholder`: pending
    /// links become their target's URL before this plan (else `#`) instead of staying for
    /// the link operation.
    fn sent<'o>(
        want: &str,
        outs: &'o [Out],
        placeholder: bool,
    ) -> (String, Vec<(usize, usize, &'o Out)>) {
        let mut body = String::with_capacity(want.len());
        let mut pending = Vec::new();
        let mut from = 0;
        for o in outs {
            body.push_str(&want[from..o.start]);
            let written = &want[o.start..o.start + o.len];
            match (&o.send, placeholder) {
                (Send::Url(url), _) => {
                    body.push_str(&with_anchor(url.clone(), o.anchor.as_deref()));
                }
                (Send::Pending(_), true) => match &o.now {
                    Some(url) => body.push_str(&with_anchor(url.clone(), o.anchor.as_deref())),
                    None => body.push('#'),
                },
                (Send::Pending(_), false) => {
                    pending.push((body.len(), written.len(), o));
                    body.push_str(written);
                }
                (Send::AsWritten, _) => body.push_str(written),
            }
            from = o.start + o.len;
        }
        body.push_str(&want[from..]);
        (body, pending)
    }

    /// The body sent before the link operation runs (a new article's, a translation's whose
    /// title others wait for): links to existing articles resolved, links to articles this plan
    /// writes pointing at their URL before it (or nowhere, `#`); and whether it has such links.
    pub(super) fn create_body(&self, from: Linking<'_>, want: &str) -> (String, bool) {
        let outs = self.outgoing(from, want);
        let pending = outs.iter().any(|o| matches!(o.send, Send::Pending(_)));
        (Self::sent(want, &outs, true).0, pending)
    }

    /// The body an existing article is updated with when its text changes, or `None` when it
    /// links to articles this plan writes (its link operation sends it then).
    pub(super) fn update_body(&self, from: Linking<'_>, want: &str) -> Option<String> {
        let outs = self.outgoing(from, want);
        if outs.iter().any(|o| matches!(o.send, Send::Pending(_))) {
            return None;
        }
        Some(Self::sent(want, &outs, false).0)
    }

    /// Whether `want` links to a live article whose URL this plan changes (the live link then
    /// follows its new title).
    pub(super) fn follows_rename(&self, from: Linking<'_>, want: &str) -> bool {
        self.outgoing(from, want).iter().any(|o| {
            matches!(&o.send, Send::Pending(f)
                if self.targets.get(f).is_some_and(|t| t.live.is_some() && !t.created))
        })
    }

    /// Whether this plan changes the URL of one of `a`'s translations (so links to it wait
    /// for the write of its translations).
    pub(super) fn retitles(&self, a: &ArticleSource) -> bool {
        self.targets
            .get(&file_of(a))
            .is_some_and(|t| !t.retitled.is_empty())
    }

    /// Whether the translation `locale` of `a` gets a new URL from this plan.
    pub(super) fn retitled(&self, a: &ArticleSource, locale: &str) -> bool {
        self.targets
            .get(&file_of(a))
            .is_some_and(|t| t.retitled.contains(locale))
    }

    /// A translation `from` whose body `want` waits, sent whole as `content` by the link
    /// operation.
    pub(super) fn locale_wait(
        &self,
        from: Linking<'l>,
        want: &str,
        content: ArticleContent,
    ) -> LocaleWait<'l> {
        LocaleWait {
            wait: Wait {
                from,
                body: want.to_string(),
                outs: self.outgoing(from, want),
            },
            content,
        }
    }

    /// Records the write that creates or renames `a` (what its linking articles wait for).
    pub(super) fn primary(&mut self, a: &ArticleSource, at: OpRef) {
        self.primary.insert(file_of(a), at);
    }

    /// Asks for the link operation of `a` (see [`Links::finish`]): into change `change`, or a
    /// change of its own (an update of `live`, showing `fields` too). `body`: its own body
    /// when it waits; `locales`: its translations that wait.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn request(
        &mut self,
        a: &'l ArticleSource,
        address: Address,
        article: ArticleRef,
        change: Option<usize>,
        live: Option<&Article>,
        body: Option<&str>,
        locales: Vec<LocaleWait<'l>>,
        fields: Vec<FieldChange>,
    ) {
        if body.is_none() && locales.is_empty() {
            return;
        }
        let from = Linking::Article(a);
        let body = body.map(|want| Wait {
            from,
            body: want.to_string(),
            outs: self.outgoing(from, want),
        });
        self.requests.push(Request {
            address,
            article,
            change,
            live: live.cloned(),
            body,
            locales,
            fields,
        });
    }

    /// The pending links of `wait` and its body as sent, with a field per target (and a note
    /// for one that follows a new title); `None` (and a located error) when a target is not
    /// written by this plan.
    fn pending(
        &self,
        ctx: &mut PlanCtx<'_>,
        r: &Request<'_>,
        wait: &Wait<'_>,
        fields: &mut Vec<FieldChange>,
    ) -> Option<(String, Vec<PendingLink>)> {
        let (body, pending) = Self::sent(&wait.body, &wait.outs, false);
        let mut links = Vec::new();
        for (at, len, o) in pending {
            let Send::Pending(ref file) = o.send else {
                continue;
            };
            let (Some(t), Some(after)) = (self.targets.get(file), self.primary.get(file)) else {
                ctx.errors.push(unplanned(wait, o, self));
                return None;
            };
            links.push(PendingLink {
                at,
                len,
                anchor: o.anchor.clone(),
                id: t.live.filter(|_| !t.created).map(|l| l.id.clone()),
                after: after.clone(),
                locale: o.locale.clone(),
            });
            // A new article's links are all new; an existing one's follow a changed target.
            let follows = t.live.is_some() && !t.created && matches!(r.article, ArticleRef::Id(_));
            let old = follows.then(|| t.shown(o.locale.as_deref(), false));
            let f = field(
                &wait.from.field("link"),
                old,
                Some(t.shown(o.locale.as_deref(), true)),
            );
            if !fields.contains(&f) {
                if follows {
                    let target = Address::new(KIND, &t.key);
                    let what = match &o.locale {
                        Some(l) if t.retitled.contains(l) => {
                            format!("`{l}` link to {target} follows its new `{l}` title")
                        }
                        _ => format!("link to {target} follows its new title"),
                    };
                    if !ctx
                        .plan
                        .notes
                        .iter()
                        .any(|n| n.address == r.address && n.message == what)
                    {
                        ctx.note(r.address.clone(), &what);
                    }
                }
                fields.push(f);
            }
        }
        Some((body, links))
    }

    /// Adds the link operations asked for, each waiting for the writes of its targets, with a
    /// `link` field per such target (and a note for renamed ones).
    pub(super) fn finish(self, ctx: &mut PlanCtx<'_>) {
        for r in &self.requests {
            let mut fields: Vec<FieldChange> = r.fields.clone();
            let mut op = ArticleLinks {
                article: r.article.clone(),
                body_markdown: None,
                links: Vec::new(),
                translated_content: Default::default(),
            };
            let mut failed = false;
            if let Some(wait) = &r.body {
                match self.pending(ctx, r, wait, &mut fields) {
                    Some((body, links)) => {
                        op.body_markdown = Some(body);
                        op.links = links;
                    }
                    None => failed = true,
                }
            }
            for l in &r.locales {
                match self.pending(ctx, r, &l.wait, &mut fields) {
                    Some((body, links)) => {
                        let content = ArticleContent {
                            body_markdown: body,
                            ..l.content.clone()
                        };
                        let locale = l.wait.from.locale().unwrap_or_default().to_string();
                        op.translated_content
                            .insert(locale, LocaleLinks { content, links });
                    }
                    None => failed = true,
                }
            }
            if failed {
                continue;
            }
            let op = Op::LinkArticle(op);
            match (r.change, &r.live) {
                (Some(c), _) => {
                    if let Some(ch) = ctx.plan.changes.get_mut(c) {
                        ch.ops.push(op);
                        ch.fields.extend(fields);
                    }
                }
                (None, Some(live)) => {
                    ctx.modify(r.address.clone(), live, false, fields, vec![op]);
                }
                (None, None) => {}
            }
        }
    }
}

/// A link whose target this plan neither finds in Intercom nor writes.
fn unplanned(wait: &Wait<'_>, o: &Out, links: &Links<'_>) -> Diagnostic {
    let key = links
        .targets
        .get(&o.file)
        .map_or_else(|| o.file.display().to_string(), |t| t.key.clone());
    let target = match &o.locale {
        Some(l) => format!("the `{l}` translation of {}", Address::new(KIND, &key)),
        None => Address::new(KIND, &key).to_string(),
    };
    Diagnostic::error(
        wait.from.file(),
        Some(wait.from.position(&wait.body, o.start)),
        format!("the link's target {target} is not in Intercom and this plan does not write it"),
    )
    .with_help("plan the target article too (`--only` leaves it out)")
}

fn with_anchor(mut url: String, anchor: Option<&str>) -> String {
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    url
}
