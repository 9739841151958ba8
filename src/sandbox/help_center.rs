//! The Help Center: help centers (`/help_center/help_centers`, read-only), collections
//! (`/help_center/collections`, CRUD, nested by `parent_id`) and articles (`/articles`, CRUD),
//! with their translations on multilingual help centers (see `translations`). Lists are paged by `page`/`per_page` with Intercom's
//! `pages {type, page, per_page, total_pages}` and `total_count`.
//!
//! Bodies: an article written with `body_markdown` keeps it and gets an HTML `body` rendered
//! from it (a small block renderer: headings, lists, paragraphs); one written with `body`
//! (HTML) has `body_markdown: null`, as articles written in Intercom's editor do.
//!
//! Not documented by Intercom, chosen here: deleting a collection deletes its sub-collections
//! and leaves its articles standing alone (no parent); `per_page` is capped at 150.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::paging::Window;
use super::routes::{ApiError, ApiResult, AppState, json_object, numeric_id, ok};
use super::store::{Article, Collection, HelpCenter, State as Workspace};

mod translations;

/// Intercom's default page sizes (from its examples) and the cap the sandbox applies.
const COLLECTIONS_PER_PAGE: usize = 20;
const ARTICLES_PER_PAGE: usize = 25;
const MAX_PER_PAGE: usize = 150;

fn help_center_json(ws: &Workspace, hc: &HelpCenter) -> Value {
    json!({
        "id": hc.id.to_string(),
        "workspace_id": ws.app.id_code,
        "created_at": hc.created_at,
        "updated_at": hc.updated_at,
        "identifier": hc.identifier,
        "website_turned_on": hc.website_turned_on,
        "display_name": hc.display_name,
        "url": format!("https://intercom.help/{}", hc.identifier),
        "custom_domain": null,
        "default": hc.default,
        "locales": hc.locales,
    })
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn help_center_identifier(ws: &Workspace, id: u64) -> &str {
    ws.help_centers
        .iter()
        .find(|h| h.id == id)
        .map_or("help", |h| h.identifier.as_str())
}

/// A collection as Intercom writes it: `help_center_id` only on top-level collections (its
/// sections answer `null`, as in Intercom's own example).
fn collection_json(ws: &Workspace, c: &Collection) -> Value {
    let mut out = json!({
        "id": c.id.to_string(),
        "workspace_id": ws.app.id_code,
        "name": c.name,
        "url": format!(
            "https://intercom.help/{}/en/collections/{}-{}",
            help_center_identifier(ws, c.help_center_id),
            c.id,
            slug(&c.name)
        ),
        "order": c.order,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "description": c.description,
        "icon": "book-bookmark",
        "parent_id": c.parent_id.map(|p| p.to_string()),
        "help_center_id": if c.parent_id.is_none() { Some(c.help_center_id) } else { None },
    });
    translations::add_to_collection(ws, c, &mut out);
    out
}

/// The collections from the top down to `id` (the article's `parent_ids`).
fn ancestry(ws: &Workspace, id: u64) -> Vec<u64> {
    let mut chain = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next {
        if chain.contains(&id) || chain.len() > 64 {
            break;
        }
        chain.push(id);
        next = ws.collections.get(&id).and_then(|c| c.parent_id);
    }
    chain.reverse();
    chain
}

fn article_json(ws: &Workspace, a: &Article, statistics: bool) -> Value {
    let help_center = a
        .parent_id
        .and_then(|p| ws.collections.get(&p))
        .map_or(super::store::DEFAULT_HELP_CENTER_ID, |c| c.help_center_id);
    let mut out = json!({
        "id": a.id.to_string(),
        "type": "article",
        "workspace_id": ws.app.id_code,
        "parent_ids": a.parent_id.map(|p| ancestry(ws, p)).unwrap_or_default(),
        "tags": {"type": "tag.list", "tags": []},
        "title": a.title,
        "description": a.description,
        "body": a.body,
        "body_markdown": a.body_markdown,
        "author_id": a.author_id,
        "state": a.state,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "has_unpublished_changes": false,
        "url": format!(
            "https://intercom.help/{}/en/articles/{}-{}",
            help_center_identifier(ws, help_center),
            a.id,
            slug(&a.title)
        ),
    });
    translations::add_to_article(ws, a, help_center, &mut out);
    if statistics {
        out["statistics"] = json!({
            "type": "article_statistics", "views": 0, "conversations": 0, "reactions": 0,
            "happy_reaction_percentage": 0, "neutral_reaction_percentage": 0,
            "sad_reaction_percentage": 0,
        });
    }
    out
}

/// One page of `items` in Intercom's `list` wrapper with a `pages` object.
fn paged(query: &HashMap<String, String>, default_per_page: usize, items: Vec<Value>) -> ApiResult {
    let window = Window::of(query, default_per_page, MAX_PER_PAGE)?;
    let total = items.len();
    ok(window.with_pages(total, window.take(items.into_iter(), |v| v)))
}

fn missing(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "parameter_not_found", message)
}

/// An optional string field: absent or `null` is `None`, anything but a string is refused.
pub(crate) fn opt_string(body: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(format!("{key} must be a string"))),
    }
}

/// An id field sent as a number or a string (the description uses both for `parent_id`).
fn opt_id(body: &Map<String, Value>, key: &str) -> Result<Option<Option<u64>>, ApiError> {
    match body.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|n| Some(Some(n)))
            .ok_or_else(|| ApiError::invalid(format!("{key} must be an id"))),
        Some(Value::String(s)) => numeric_id(s)
            .map(|n| Some(Some(n)))
            .ok_or_else(|| ApiError::invalid(format!("{key} must be an id"))),
        Some(_) => Err(ApiError::invalid(format!("{key} must be an id"))),
    }
}

/// `GET /help_center/help_centers` (all, no pagination).
pub(crate) async fn list_help_centers(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws
            .help_centers
            .iter()
            .map(|h| help_center_json(ws, h))
            .collect();
        ok(json!({"type": "list", "data": data}))
    })
}

/// `GET /help_center/help_centers/{id}`.
pub(crate) async fn show_help_center(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let hc = numeric_id(&id)
            .and_then(|id| ws.help_centers.iter().find(|h| h.id == id))
            .ok_or_else(ApiError::not_found)?;
        ok(help_center_json(ws, hc))
    })
}

/// `GET /help_center/collections?page=&per_page=`.
pub(crate) async fn list_collections(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    shared.with_state(|ws| {
        let items = ws
            .collections
            .values()
            .map(|c| collection_json(ws, c))
            .collect();
        paged(&query, COLLECTIONS_PER_PAGE, items)
    })
}

/// `GET /help_center/collections/{id}`.
pub(crate) async fn show_collection(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let c = numeric_id(&id)
            .and_then(|id| ws.collections.get(&id))
            .ok_or_else(ApiError::not_found)?;
        ok(collection_json(ws, c))
    })
}

/// Checks a collection's new parent: it exists and is not the collection or inside it.
fn check_parent(ws: &Workspace, id: Option<u64>, parent: u64) -> Result<u64, ApiError> {
    let parent_collection = ws
        .collections
        .get(&parent)
        .ok_or_else(|| ApiError::invalid(format!("Parent collection {parent} not found")))?;
    if let Some(id) = id
        && ancestry(ws, parent).contains(&id)
    {
        return Err(ApiError::invalid(
            "A collection cannot be moved inside itself",
        ));
    }
    Ok(parent_collection.help_center_id)
}

/// `POST /help_center/collections`: `name` required; `parent_id` nests it (in the parent's
/// help center); `help_center_id` picks a help center (default: the default one).
pub(crate) async fn create_collection(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let name = match opt_string(&body, "name")? {
        Some(name) if !name.trim().is_empty() => name,
        _ => return Err(missing("Name is a required parameter.")),
    };
    let description = opt_string(&body, "description")?;
    let parent = opt_id(&body, "parent_id")?.flatten();
    let help_center = opt_id(&body, "help_center_id")?.flatten();
    let translated = translations::group_content(&body)?;
    shared.with_state(|ws| {
        let mut help_center_id = match help_center {
            Some(id) => {
                if !ws.help_centers.iter().any(|h| h.id == id) {
                    return Err(ApiError::invalid(format!("Help Center {id} not found")));
                }
                id
            }
            None => ws
                .help_centers
                .iter()
                .find(|h| h.default)
                .map_or(super::store::DEFAULT_HELP_CENTER_ID, |h| h.id),
        };
        if let Some(parent) = parent {
            help_center_id = check_parent(ws, None, parent)?;
        }
        let id = ws.next_id();
        let now = ws.tick();
        let order = ws
            .collections
            .values()
            .filter(|c| c.parent_id == parent)
            .count() as i64;
        let mut c = Collection {
            id,
            name,
            description,
            parent_id: parent,
            help_center_id,
            order,
            created_at: now,
            updated_at: now,
            translations: Default::default(),
        };
        translated.apply(ws, help_center_id, &mut c)?;
        let out = collection_json(ws, &c);
        ws.collections.insert(id, c);
        ok(out)
    })
}

/// `PUT /help_center/collections/{id}`: `name`, `description`, `parent_id` (moves it).
pub(crate) async fn update_collection(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let name = opt_string(&body, "name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(missing("Name is a required parameter."));
    }
    let description = body.contains_key("description");
    let description_value = opt_string(&body, "description")?;
    let parent = opt_id(&body, "parent_id")?;
    let translated = translations::group_content(&body)?;
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.collections.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        let mut help_center = None;
        if let Some(Some(p)) = parent {
            help_center = Some(check_parent(ws, Some(id), p)?);
        }
        let mut next = ws
            .collections
            .get(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        translated.apply(ws, help_center.unwrap_or(next.help_center_id), &mut next)?;
        let now = ws.tick();
        let c = ws
            .collections
            .get_mut(&id)
            .ok_or_else(ApiError::not_found)?;
        *c = next;
        if let Some(name) = name {
            c.name = name;
        }
        if description {
            c.description = description_value;
        }
        if let Some(p) = parent {
            c.parent_id = p;
        }
        if let Some(hc) = help_center {
            c.help_center_id = hc;
        }
        c.updated_at = now;
        let c = c.clone();
        ok(collection_json(ws, &c))
    })
}

/// `DELETE /help_center/collections/{id}`: also deletes its sub-collections; their articles
/// stay, standing alone.
pub(crate) async fn delete_collection(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.collections.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        let gone: Vec<u64> = ws
            .collections
            .keys()
            .copied()
            .filter(|c| ancestry(ws, *c).contains(&id))
            .collect();
        ws.tick();
        for c in &gone {
            ws.collections.remove(c);
        }
        for a in ws.articles.values_mut() {
            if a.parent_id.is_some_and(|p| gone.contains(&p)) {
                a.parent_id = None;
            }
        }
        ok(json!({"id": id.to_string(), "object": "collection", "deleted": true}))
    })
}

/// `GET /articles?page=&per_page=`.
pub(crate) async fn list_articles(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    shared.with_state(|ws| {
        let items = ws
            .articles
            .values()
            .map(|a| article_json(ws, a, false))
            .collect();
        paged(&query, ARTICLES_PER_PAGE, items)
    })
}

/// `GET /articles/{id}` (with `statistics`).
pub(crate) async fn show_article(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let a = numeric_id(&id)
            .and_then(|id| ws.articles.get(&id))
            .ok_or_else(ApiError::not_found)?;
        ok(article_json(ws, a, true))
    })
}

/// The fields an article's create or update may set, read from its body.
struct ArticleFields {
    title: Option<String>,
    description: Option<Option<String>>,
    /// `(html, markdown)`: the new body, when one was sent.
    body: Option<(String, Option<String>)>,
    author_id: Option<u64>,
    state: Option<String>,
    parent: Option<Option<u64>>,
}

fn article_fields(body: &Map<String, Value>) -> Result<ArticleFields, ApiError> {
    let html = opt_string(body, "body")?;
    let markdown = opt_string(body, "body_markdown")?;
    let body_value = match (html, markdown) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "body and body_markdown are mutually exclusive",
            ));
        }
        (Some(html), None) => Some((html, None)),
        (None, Some(md)) => Some((markdown_to_html(&md), Some(md))),
        (None, None) => None,
    };
    let author_id = match body.get("author_id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .or_else(|| v.as_str().and_then(numeric_id))
                .ok_or_else(|| ApiError::invalid("author_id must be an integer"))?,
        ),
    };
    let state = match opt_string(body, "state")? {
        Some(s) if s == "published" || s == "draft" => Some(s),
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "state must be published or draft, not {other}"
            )));
        }
        None => None,
    };
    match opt_string(body, "parent_type")?.as_deref() {
        None | Some("collection") | Some("section") => {}
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "parent_type must be collection or section, not {other}"
            )));
        }
    }
    Ok(ArticleFields {
        title: opt_string(body, "title")?,
        description: body
            .contains_key("description")
            .then(|| opt_string(body, "description"))
            .transpose()?,
        body: body_value,
        author_id,
        state,
        parent: opt_id(body, "parent_id")?,
    })
}

fn check_article_refs(ws: &Workspace, f: &ArticleFields) -> Result<(), ApiError> {
    if let Some(author) = f.author_id
        && !ws.admins.contains_key(&author)
    {
        return Err(ApiError::invalid(format!(
            "author_id {author} is not a teammate of this workspace"
        )));
    }
    if let Some(Some(parent)) = f.parent
        && !ws.collections.contains_key(&parent)
    {
        return Err(ApiError::invalid(format!(
            "Parent collection {parent} not found"
        )));
    }
    Ok(())
}

/// `POST /articles`: `title` and `author_id` required; `state` defaults to `draft`.
pub(crate) async fn create_article(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let f = article_fields(&body)?;
    let Some(author_id) = f.author_id else {
        return Err(missing(
            "author_id must be in the main body or default locale translated_content object",
        ));
    };
    let title = match &f.title {
        Some(t) if !t.trim().is_empty() => t.clone(),
        _ => {
            return Err(missing(
                "title must be in the main body or default locale translated_content object",
            ));
        }
    };
    let translated = translations::article_content(&body)?;
    shared.with_state(|ws| {
        check_article_refs(ws, &f)?;
        let id = ws.next_id();
        let now = ws.tick();
        let (body, body_markdown) = f.body.unwrap_or_default();
        let mut a = Article {
            id,
            title,
            description: f.description.flatten(),
            body,
            body_markdown,
            author_id,
            state: f.state.unwrap_or_else(|| "draft".to_string()),
            parent_id: f.parent.flatten(),
            created_at: now,
            updated_at: now,
            translations: Default::default(),
        };
        let help_center = translations::help_center_for(ws, a.parent_id);
        translated.apply(ws, help_center, &mut a, now)?;
        let out = article_json(ws, &a, true);
        ws.articles.insert(id, a);
        ok(out)
    })
}

/// `PUT /articles/{id}`: changes what is sent; `body` (HTML) clears `body_markdown`.
pub(crate) async fn update_article(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let f = article_fields(&body)?;
    if f.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(ApiError::invalid("title cannot be blank"));
    }
    let translated = translations::article_content(&body)?;
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.articles.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        check_article_refs(ws, &f)?;
        let mut next = ws
            .articles
            .get(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?;
        let parent = f.parent.unwrap_or(next.parent_id);
        let now = ws.tick();
        translated.apply(
            ws,
            translations::help_center_for(ws, parent),
            &mut next,
            now,
        )?;
        let a = ws.articles.get_mut(&id).ok_or_else(ApiError::not_found)?;
        *a = next;
        if let Some(parent) = f.parent {
            a.parent_id = parent;
        }
        translations::set_content!(&mut *a, f);
        a.updated_at = now;
        let a = a.clone();
        ok(article_json(ws, &a, true))
    })
}

/// `DELETE /articles/{id}`.
pub(crate) async fn delete_article(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.articles.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        ws.tick();
        ws.articles.remove(&id);
        ok(json!({"id": id.to_string(), "object": "article", "deleted": true}))
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Renders Markdown to the HTML `body` Intercom would store: blocks separated by blank lines;
/// `#` headings, `-`/`*` lists and paragraphs. Inline markup is kept as text; the sandbox only
/// needs a plausible HTML body beside the Markdown it keeps.
pub(crate) fn markdown_to_html(markdown: &str) -> String {
    let mut out = String::new();
    for block in markdown.replace("\r\n", "\n").split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        let first = lines[0].trim_start();
        let level = first.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && lines.len() == 1 {
            let text = first[level..].trim();
            out.push_str(&format!("<h{level}>{}</h{level}>", escape(text)));
        } else if lines
            .iter()
            .all(|l| l.starts_with("- ") || l.starts_with("* "))
        {
            out.push_str("<ul>");
            for l in lines {
                out.push_str(&format!("<li>{}</li>", escape(l[2..].trim())));
            }
            out.push_str("</ul>");
        } else {
            let text: Vec<String> = lines.iter().map(|l| escape(l.trim())).collect();
            out.push_str(&format!("<p>{}</p>", text.join("\n")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_blocks_become_html() {
        assert_eq!(
            markdown_to_html("# Title\n\nOne <b>\ntwo\n\n- a\n- b\n"),
            "<h1>Title</h1><p>One &lt;b&gt;\ntwo</p><ul><li>a</li><li>b</li></ul>"
        );
    }

    #[test]
    fn slugs_fold_case_and_punctuation() {
        assert_eq!(slug("Invite your team!"), "invite-your-team");
    }
}
