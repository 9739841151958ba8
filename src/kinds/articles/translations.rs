//! Translations of articles: the files `slug.<locale>.md` beside an article's `slug.md`, sent
//! as Intercom's `translated_content`. Each declared locale is compared field by field with
//! the live one (`translated_content.fr.title`, `.description`, `.state`, `.author`, `.body`
//! as Markdown, like the article's own); a locale that changes is sent whole. The locale rules
//! (default locale, locales the help center has turned on) are the collections kind's
//! [`Locales`]; a live locale that is not declared is left as it is, with a note.
//!
//! A translation's links to other articles are sent in its locale (see [`super::links`]); a
//! translation whose links wait for writes of this plan is sent whole by the article's link
//! operation, and also by its create or update (links pointing at their targets' URLs before
//! the plan) when it is new or retitled, so that links to it can wait for that write.

use serde_json::{Value, json};

use super::super::engine::{PlanCtx, field};
use super::super::help_center_collections::Locales;
use super::export::front_matter;
use super::links::{Linking, Links, LocaleWait};
use super::{body, description, find_author, located};
use crate::config::Diagnostic;
use crate::config::help_center::{ArticleSource, TranslationSource};
use crate::kinds::Exported;
use crate::model::change::FieldChange;
use crate::model::{
    Address, Admin, Article, ArticleChanges, ArticleContent, ArticleState, ArticleTranslation,
    Live, Translations, is_supported_locale,
};

/// An error at `pointer` of a translation's front matter (its `title` when absent).
fn error_at(t: &TranslationSource, pointer: &str, message: String, help: &str) -> Diagnostic {
    located((&t.spot, &t.root), pointer, message, help)
}

/// A declared translation that may be sent, with its author resolved.
struct Declared<'l> {
    source: &'l TranslationSource,
    author: Option<&'l Admin>,
}

/// The translations of `a` that may be sent; the others are recorded as located errors.
fn declared<'l>(
    ctx: &mut PlanCtx<'l>,
    a: &ArticleSource,
    own_default: Option<&str>,
) -> Vec<Declared<'l>> {
    let desired: &'l crate::config::Desired = ctx.d;
    let locales = Locales::of(ctx, &a.collection.join("/"), own_default);
    let mut out = Vec::new();
    for t in desired.help_center.translations_of(a) {
        let own = format!("`{}.md`", t.stem);
        if let Some((message, help)) = locales.problem(&t.locale, &own) {
            ctx.errors.push(error_at(t, "", message, &help));
            continue;
        }
        let author = match &t.front.author {
            None => None,
            Some(email) => match find_author(ctx.live, email) {
                Ok(admin) => Some(admin),
                Err((message, help)) => {
                    ctx.errors.push(error_at(t, "/author", message, &help));
                    continue;
                }
            },
        };
        out.push(Declared { source: t, author });
    }
    out
}

/// The name of a translated field in a plan.
fn name(locale: &str, f: &str) -> String {
    format!("translated_content.{locale}.{f}")
}

/// A new article's translations, the fields that show them, and those whose links wait. A
/// translation without an author is written by the article's; one without a state starts as
/// a draft.
pub(super) fn for_create<'l>(
    ctx: &mut PlanCtx<'l>,
    links: &Links<'l>,
    a: &ArticleSource,
    author_id: &str,
) -> (
    Translations<ArticleContent>,
    Vec<FieldChange>,
    Vec<LocaleWait<'l>>,
) {
    let mut fields = Vec::new();
    let mut out = Translations::new();
    let mut waits = Vec::new();
    for d in declared(ctx, a, None) {
        let (t, locale) = (d.source, d.source.locale.as_str());
        let state = t.front.state.unwrap_or(ArticleState::Draft);
        let body = body::normalize(&t.body);
        fields.push(field(
            &name(locale, "title"),
            None,
            Some(json!(t.front.title)),
        ));
        if let Some(desc) = &t.front.description {
            fields.push(field(&name(locale, "description"), None, Some(json!(desc))));
        }
        fields.push(field(
            &name(locale, "state"),
            None,
            Some(json!(state.as_str())),
        ));
        if let Some(admin) = d.author {
            fields.push(field(
                &name(locale, "author"),
                None,
                Some(json!(admin.email)),
            ));
        }
        if !body.is_empty() {
            fields.push(field(&name(locale, "body"), None, Some(json!(body))));
        }
        let from = Linking::Translation(t);
        let (sent, pending) = links.create_body(from, &body);
        let content = ArticleContent {
            title: t.front.title.clone(),
            description: t.front.description.clone(),
            body_markdown: sent,
            author_id: Some(d.author.map_or(author_id, |ad| ad.id.as_str()).to_string()),
            state: Some(state),
        };
        if pending {
            waits.push(links.locale_wait(from, &body, content.clone()));
        }
        out.insert(t.locale.clone(), content);
    }
    (out, fields, waits)
}

/// The changes to a live article's translations: fields, and each changed locale's whole
/// content in `changes`; returns the translations whose links wait.
pub(super) fn for_update<'l>(
    ctx: &mut PlanCtx<'l>,
    links: &Links<'l>,
    a: &ArticleSource,
    address: &Address,
    live: &Article,
    fields: &mut Vec<FieldChange>,
    changes: &mut ArticleChanges,
) -> Vec<LocaleWait<'l>> {
    let all = declared(ctx, a, live.default_locale.as_deref());
    let mut waits = Vec::new();
    for d in &all {
        let locale = d.source.locale.as_str();
        let have = live.translations.get(locale);
        let from = Linking::Translation(d.source);
        let want_body = body::normalize(&d.source.body);
        let before = fields.len();
        compare(ctx, links, address, d, have, fields);
        let follows = links.follows_rename(from, &want_body);
        if fields.len() == before && !follows {
            continue;
        }
        let t = d.source;
        // Sent whole (what this file leaves out, as it is live), so that Intercom keeps exactly
        // this content whether it merges a locale's fields or replaces them.
        let content = ArticleContent {
            title: t.front.title.clone(),
            description: t
                .front
                .description
                .clone()
                .or_else(|| have.and_then(|h| h.description.clone())),
            body_markdown: want_body.clone(),
            author_id: d
                .author
                .map(|ad| ad.id.clone())
                .or_else(|| have.map(|h| h.author_id.clone()))
                .filter(|id| !id.is_empty())
                .or_else(|| Some(live.author_id.clone()).filter(|id| !id.is_empty())),
            state: t
                .front
                .state
                .or_else(|| have.and_then(|h| h.state))
                .or(Some(ArticleState::Draft)),
        };
        match links.update_body(from, &want_body) {
            Some(sent) => {
                let content = ArticleContent {
                    body_markdown: sent,
                    ..content
                };
                changes.translated_content.insert(t.locale.clone(), content);
            }
            None => {
                // Links to it wait for this write: its title goes now, its links after.
                if links.retitled(a, locale) {
                    let (sent, _) = links.create_body(from, &want_body);
                    let now = ArticleContent {
                        body_markdown: sent,
                        ..content.clone()
                    };
                    changes.translated_content.insert(t.locale.clone(), now);
                }
                waits.push(links.locale_wait(from, &want_body, content));
            }
        }
    }
    let declared: Vec<&str> = ctx
        .d
        .help_center
        .translations_of(a)
        .iter()
        .map(|t| t.locale.as_str())
        .collect();
    Locales::note_undeclared(ctx, address, live.translations.keys(), &declared);
    waits
}

/// The fields of one declared locale that differ from the live one (all of them when the
/// locale is new).
fn compare(
    ctx: &mut PlanCtx<'_>,
    links: &Links<'_>,
    address: &Address,
    d: &Declared<'_>,
    have: Option<&ArticleTranslation>,
    fields: &mut Vec<FieldChange>,
) {
    let (t, locale) = (d.source, d.source.locale.as_str());
    let front = &t.front;
    if have.map(|h| h.title.as_str()) != Some(front.title.as_str()) {
        let old = have.map(|h| json!(h.title));
        fields.push(field(&name(locale, "title"), old, Some(json!(front.title))));
    }
    if let Some(want) = &front.description {
        let old = have.map(|h| description(&h.description));
        if old != Some(want.as_str()) {
            let old = old.map(|o| json!(o));
            fields.push(field(&name(locale, "description"), old, Some(json!(want))));
        }
    }
    let live_state = have.and_then(|h| h.state);
    let want_state = match (front.state, have) {
        (Some(s), _) => Some(s),
        (None, None) => Some(ArticleState::Draft),
        (None, Some(_)) => None,
    };
    if let Some(want) = want_state
        && Some(want) != live_state
    {
        let old = have.map(|_| live_state.map_or(Value::Null, |s| json!(s.as_str())));
        fields.push(field(
            &name(locale, "state"),
            old,
            Some(json!(want.as_str())),
        ));
        if want == ArticleState::Draft && live_state == Some(ArticleState::Published) {
            ctx.warn(
                address,
                format!("`state: draft` unpublishes the `{locale}` translation"),
            );
        }
    }
    if let Some(admin) = d.author
        && have.map(|h| h.author_id.as_str()) != Some(admin.id.as_str())
    {
        let old = have.map(|h| {
            ctx.live
                .admins
                .iter()
                .find(|ad| ad.id == h.author_id)
                .map_or_else(|| json!(h.author_id), |ad| json!(ad.email))
        });
        fields.push(field(
            &name(locale, "author"),
            old,
            Some(json!(admin.email)),
        ));
    }
    let want_body = body::normalize(&t.body);
    let live_body = have.map(|h| {
        let live_md = body::live_markdown(h.body_markdown.as_deref(), &h.body);
        links.compared_live(Linking::Translation(t), &want_body, &live_md)
    });
    if live_body.as_deref() != Some(want_body.as_str()) && !(have.is_none() && want_body.is_empty())
    {
        fields.push(field(
            &name(locale, "body"),
            live_body.map(|b| json!(b)),
            Some(json!(want_body)),
        ));
    }
}

/// Writes each of `a`'s translations beside its file `path` (`<stem>.md`) as
/// `<stem>.<locale>.md`, its body as compared (`links(file, body, locale)`: with links to
/// exported articles as relative paths).
pub(super) fn export(
    live: &Live,
    a: &Article,
    path: &str,
    out: &mut Exported,
    links: &dyn Fn(&str, &str, Option<&str>) -> String,
) {
    let stem = path.strip_suffix(".md").unwrap_or(path);
    for (locale, t) in &a.translations {
        if !is_supported_locale(locale) || t.title.trim().is_empty() {
            continue;
        }
        let front = front_matter(live, &t.title, &t.description, t.state, &t.author_id);
        let file = format!("{stem}.{locale}.md");
        let body = body::live_markdown(t.body_markdown.as_deref(), &t.body);
        let body = links(&file, &body, Some(locale));
        out.extra_files.push((file, front.to_markdown(&body)));
    }
}
