//! Translations of articles and collections (`translated_content`), as Intercom's multilingual
//! help centers keep them: a help center with several `locales` (its default one first) is
//! multilingual, and its articles and collections answer `default_locale` and a
//! `translated_content` holding the default locale's content and each translated locale's;
//! a single-language help center's answer neither (as in Intercom's examples).
//!
//! Writes take `translated_content` per locale: the default locale's content changes the
//! object's own fields, another locale's is merged into that locale's (a new locale needs its
//! `title`, or `name`; its author defaults to the article's, its state to `draft`). A locale
//! Intercom does not support, or that the help center has not turned on, is refused with 400
//! `parameter_invalid`. Not documented by Intercom, chosen here: a `null` locale changes
//! nothing (there is no documented way to remove a translation); the default locale's content
//! is applied before the body's own fields, which win.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::super::routes::ApiError;
use super::super::store::{
    Article, ArticleLocale, Collection, DEFAULT_HELP_CENTER_ID, GroupLocale, State as Workspace,
};
use super::{ArticleFields, article_fields, check_article_refs, opt_string};
use crate::model::is_supported_locale;

/// Sets the content fields an article's create or update sent (`$f`, an [`ArticleFields`]) on
/// `$target` (an article or one of its locales): title, description, body, author, state.
macro_rules! set_content {
    ($target:expr, $f:expr) => {{
        let (target, f) = ($target, $f);
        if let Some(title) = f.title {
            target.title = title;
        }
        if let Some(description) = f.description {
            target.description = description;
        }
        if let Some((html, markdown)) = f.body {
            target.body = html;
            target.body_markdown = markdown;
        }
        if let Some(author) = f.author_id {
            target.author_id = author;
        }
        if let Some(state) = f.state {
            target.state = state;
        }
    }};
}
pub(super) use set_content;

/// The help center an object in the collection `parent` is in (the default one when it stands
/// alone).
pub(super) fn help_center_for(ws: &Workspace, parent: Option<u64>) -> u64 {
    parent
        .and_then(|p| ws.collections.get(&p))
        .map_or(DEFAULT_HELP_CENTER_ID, |c| c.help_center_id)
}

/// The default locale of a multilingual help center (`None`: single-language).
fn multilingual(ws: &Workspace, help_center: u64) -> Option<&str> {
    let hc = ws.help_centers.iter().find(|h| h.id == help_center)?;
    match hc.locales.as_slice() {
        [default, _, ..] => Some(default.as_str()),
        _ => None,
    }
}

/// The locales sent in a `translated_content` (its `type` and `null` locales left out).
fn locales(body: &Map<String, Value>) -> Result<BTreeMap<String, Map<String, Value>>, ApiError> {
    let mut out = BTreeMap::new();
    match body.get("translated_content") {
        None | Some(Value::Null) => {}
        Some(Value::Object(content)) => {
            for (locale, value) in content {
                match value {
                    Value::Object(fields) => {
                        out.insert(locale.clone(), fields.clone());
                    }
                    Value::Null => {}
                    Value::String(_) if locale == "type" => {}
                    _ => {
                        return Err(ApiError::invalid(format!(
                            "translated_content.{locale} must be an object"
                        )));
                    }
                }
            }
        }
        Some(_) => return Err(ApiError::invalid("translated_content must be an object")),
    }
    Ok(out)
}

/// Refuses a locale Intercom does not support or the help center has not turned on.
fn check_locale(ws: &Workspace, help_center: u64, locale: &str) -> Result<(), ApiError> {
    if !is_supported_locale(locale) {
        return Err(ApiError::invalid(format!(
            "{locale} is not a supported locale"
        )));
    }
    let on = ws
        .help_centers
        .iter()
        .find(|h| h.id == help_center)
        .is_none_or(|h| h.locales.iter().any(|l| l == locale));
    if !on {
        return Err(ApiError::invalid(format!(
            "The help center is not available in {locale}"
        )));
    }
    Ok(())
}

/// An article's `translated_content`, parsed: each locale's fields.
pub(super) struct ArticleTranslations(BTreeMap<String, ArticleFields>);

/// Reads an article's `translated_content` (its shape only; see [`ArticleTranslations::apply`]).
pub(super) fn article_content(body: &Map<String, Value>) -> Result<ArticleTranslations, ApiError> {
    let mut out = BTreeMap::new();
    for (locale, fields) in locales(body)? {
        out.insert(locale, article_fields(&fields)?);
    }
    Ok(ArticleTranslations(out))
}

impl ArticleTranslations {
    /// Checks the locales and their references for an article in `help_center`, then applies
    /// them to `a` (nothing changes when something is refused).
    pub fn apply(
        self,
        ws: &Workspace,
        help_center: u64,
        a: &mut Article,
        now: i64,
    ) -> Result<(), ApiError> {
        let default = multilingual(ws, help_center).unwrap_or("en").to_string();
        for (locale, f) in &self.0 {
            check_locale(ws, help_center, locale)?;
            check_article_refs(ws, f)?;
            let new = *locale != default && !a.translations.contains_key(locale);
            if new && f.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                return Err(ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "parameter_not_found",
                    format!("title must be in the {locale} translated_content object"),
                ));
            }
        }
        for (locale, f) in self.0 {
            if locale == default {
                apply_default(a, f);
                continue;
            }
            let t = a
                .translations
                .entry(locale)
                .or_insert_with(|| ArticleLocale {
                    title: String::new(),
                    description: None,
                    body: String::new(),
                    body_markdown: None,
                    author_id: a.author_id,
                    state: "draft".to_string(),
                    created_at: now,
                    updated_at: now,
                });
            set_content!(&mut *t, f);
            t.updated_at = now;
        }
        Ok(())
    }
}

/// The default locale's content: the article's own fields (a blank title is ignored).
fn apply_default(a: &mut Article, mut f: ArticleFields) {
    f.title = f.title.filter(|t| !t.trim().is_empty());
    set_content!(a, f);
}

/// One locale of an article as `article_content`.
fn article_content_json(a: &ArticleLocale, url: String) -> Value {
    json!({
        "type": "article_content",
        "title": a.title,
        "description": a.description.clone().unwrap_or_default(),
        "body": a.body,
        "body_markdown": a.body_markdown,
        "author_id": a.author_id,
        "state": a.state,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "has_unpublished_changes": false,
        "url": url,
    })
}

/// Adds `default_locale` and `translated_content` to an article's answer `out` when its help
/// center is multilingual.
pub(super) fn add_to_article(ws: &Workspace, a: &Article, help_center: u64, out: &mut Value) {
    let Some(default) = multilingual(ws, help_center) else {
        return;
    };
    let identifier = super::help_center_identifier(ws, help_center);
    let url = |locale: &str, title: &str| {
        format!(
            "https://intercom.help/{identifier}/{locale}/articles/{}-{}",
            a.id,
            super::slug(title)
        )
    };
    let own = ArticleLocale {
        title: a.title.clone(),
        description: a.description.clone(),
        body: a.body.clone(),
        body_markdown: a.body_markdown.clone(),
        author_id: a.author_id,
        state: a.state.clone(),
        created_at: a.created_at,
        updated_at: a.updated_at,
    };
    let mut content = Map::new();
    content.insert("type".into(), json!("article_translated_content"));
    content.insert(
        default.to_string(),
        article_content_json(&own, url(default, &a.title)),
    );
    for (locale, t) in &a.translations {
        content.insert(
            locale.clone(),
            article_content_json(t, url(locale, &t.title)),
        );
    }
    out["default_locale"] = json!(default);
    out["translated_content"] = Value::Object(content);
}

/// A collection's `translated_content`, parsed: each locale's name and description (`None`:
/// not sent; `Some(None)`: sent as `null`).
pub(super) struct GroupTranslations(BTreeMap<String, (Option<String>, Option<Option<String>>)>);

/// Reads a collection's `translated_content` (its shape only).
pub(super) fn group_content(body: &Map<String, Value>) -> Result<GroupTranslations, ApiError> {
    let mut out = BTreeMap::new();
    for (locale, fields) in locales(body)? {
        let description = fields
            .contains_key("description")
            .then(|| opt_string(&fields, "description"))
            .transpose()?;
        out.insert(locale, (opt_string(&fields, "name")?, description));
    }
    Ok(GroupTranslations(out))
}

impl GroupTranslations {
    /// Checks the locales for a collection in `help_center`, then applies them to `c`
    /// (nothing changes when something is refused).
    pub fn apply(
        self,
        ws: &Workspace,
        help_center: u64,
        c: &mut Collection,
    ) -> Result<(), ApiError> {
        let default = multilingual(ws, help_center).unwrap_or("en").to_string();
        for (locale, (name, _)) in &self.0 {
            check_locale(ws, help_center, locale)?;
            let new = *locale != default && !c.translations.contains_key(locale);
            if (new && name.is_none()) || name.as_deref().is_some_and(|n| n.trim().is_empty()) {
                return Err(ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "parameter_not_found",
                    format!(
                        "Name is a required parameter of the {locale} translated_content object."
                    ),
                ));
            }
        }
        for (locale, (name, description)) in self.0 {
            if locale == default {
                if let Some(name) = name {
                    c.name = name;
                }
                if let Some(description) = description {
                    c.description = description;
                }
                continue;
            }
            let t = c.translations.entry(locale).or_insert_with(|| GroupLocale {
                name: String::new(),
                description: None,
            });
            if let Some(name) = name {
                t.name = name;
            }
            if let Some(description) = description {
                t.description = description;
            }
        }
        Ok(())
    }
}

/// Adds `default_locale` and `translated_content` to a collection's answer `out` when its help
/// center is multilingual.
pub(super) fn add_to_collection(ws: &Workspace, c: &Collection, out: &mut Value) {
    let Some(default) = multilingual(ws, c.help_center_id) else {
        return;
    };
    let group = |name: &str, description: &Option<String>| json!({"type": "group_content", "name": name, "description": description.clone().unwrap_or_default()});
    let mut content = Map::new();
    content.insert("type".into(), json!("group_translated_content"));
    content.insert(default.to_string(), group(&c.name, &c.description));
    for (locale, t) in &c.translations {
        content.insert(locale.clone(), group(&t.name, &t.description));
    }
    out["default_locale"] = json!(default);
    out["translated_content"] = Value::Object(content);
}
