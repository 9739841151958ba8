//! Internal articles (`/internal_articles`): list (page-numbered `pages` object; `page` and
//! `per_page` honoured though the description documents no parameters: 25 by default, at most
//! 50), create (200; `title`, `author_id` and `owner_id` required: 400 `parameter_not_found`),
//! retrieve, partial update and delete (200 `{id, object, deleted}`); 404 `not_found` for an
//! unknown id.
//!
//! Bodies, as for help center articles: one written with `body_markdown` keeps it and gets an
//! HTML `body` rendered from it; one written with `body` (HTML) has `body_markdown: null`.
//! Sending both is a 400 `parameter_invalid`. Authors and owners must be teammates.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::help_center::{markdown_to_html, opt_string};
use super::paging::Window;
use super::routes::{ApiError, ApiResult, AppState, json_object, numeric_id, ok};
use super::store::{EPOCH, State as Workspace};

/// Intercom's page size in its example, and the cap the sandbox applies.
const PER_PAGE: usize = 25;
const MAX_PER_PAGE: usize = 50;

/// First id of the seeded internal articles: fixed, outside the sequential counter.
const SEED_ID: u64 = 850_001;

/// An internal article (default locale). `body` is HTML; `body_markdown` is kept only when
/// it was last written in Markdown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct InternalArticle {
    pub id: u64,
    pub title: String,
    pub body: Option<String>,
    pub body_markdown: Option<String>,
    pub author_id: u64,
    pub owner_id: u64,
    pub locale: String,
    pub created_at: i64,
    pub updated_at: i64,
}

fn article_json(a: &InternalArticle) -> Value {
    json!({
        "type": "internal_article",
        "id": a.id.to_string(),
        "title": a.title,
        "body": a.body,
        "body_markdown": a.body_markdown,
        "owner_id": a.owner_id,
        "author_id": a.author_id,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "locale": a.locale,
        "folder_id": null,
        "audience_ids": [],
        "ai_chatbot_availability": false,
        "ai_copilot_availability": false,
        "ai_sales_agent_availability": false,
        "tags": {"type": "tag.list", "tags": []},
    })
}

/// The default seed's internal articles: one written in Markdown, one in Intercom's editor
/// (HTML only), both by the token's admin and owned by the first other teammate.
pub(crate) fn seed(ws: &mut Workspace) {
    let author = ws.me;
    let owner = ws
        .admins
        .keys()
        .copied()
        .find(|id| *id != author)
        .unwrap_or(author);
    let articles = [
        (
            "Escalation policy",
            Ok("# Escalation policy\n\nEscalate billing disputes over $500 to the finance team.\n"),
        ),
        (
            "Refund exceptions",
            Err("<p>Refunds after 14 days need a <strong>manager's</strong> approval.</p>"),
        ),
    ];
    for (n, (title, body)) in articles.into_iter().enumerate() {
        let id = SEED_ID + n as u64;
        let (body, body_markdown) = match body {
            Ok(md) => (markdown_to_html(md), Some(md.to_string())),
            Err(html) => (html.to_string(), None),
        };
        ws.internal_articles.insert(
            id,
            InternalArticle {
                id,
                title: title.to_string(),
                body: Some(body),
                body_markdown,
                author_id: author,
                owner_id: owner,
                locale: "en".to_string(),
                created_at: EPOCH - 20 * 86_400,
                updated_at: EPOCH - 20 * 86_400,
            },
        );
    }
}

/// `GET /internal_articles`.
pub(crate) async fn list(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let window = Window::of(&query, PER_PAGE, MAX_PER_PAGE)?;
    shared.with_state(|ws| {
        let data = window.take(ws.internal_articles.values(), article_json);
        ok(window.with_pages(ws.internal_articles.len(), data))
    })
}

/// `GET /internal_articles/{id}`.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let a = numeric_id(&id)
            .and_then(|id| ws.internal_articles.get(&id))
            .ok_or_else(ApiError::not_found)?;
        ok(article_json(a))
    })
}

/// What a create or an update may set.
struct Fields {
    title: Option<String>,
    /// (HTML, Markdown kept) when a body is sent.
    body: Option<(String, Option<String>)>,
    author_id: Option<u64>,
    owner_id: Option<u64>,
}

fn missing(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "parameter_not_found", message)
}

fn admin_field(
    ws: &Workspace,
    body: &Map<String, Value>,
    key: &str,
) -> Result<Option<u64>, ApiError> {
    let id = match body.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(numeric_id))
            .ok_or_else(|| ApiError::invalid(format!("{key} must be an integer")))?,
    };
    if !ws.admins.contains_key(&id) {
        return Err(ApiError::invalid(format!(
            "{key} {id} is not a teammate of this workspace"
        )));
    }
    Ok(Some(id))
}

fn fields(ws: &Workspace, body: &Map<String, Value>) -> Result<Fields, ApiError> {
    let body_value = match (
        opt_string(body, "body")?,
        opt_string(body, "body_markdown")?,
    ) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "body and body_markdown are mutually exclusive",
            ));
        }
        (Some(html), None) => Some((html, None)),
        (None, Some(md)) => Some((markdown_to_html(&md), Some(md))),
        (None, None) => None,
    };
    let title = opt_string(body, "title")?;
    if title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return Err(ApiError::invalid("title cannot be blank"));
    }
    Ok(Fields {
        title,
        body: body_value,
        author_id: admin_field(ws, body, "author_id")?,
        owner_id: admin_field(ws, body, "owner_id")?,
    })
}

/// `POST /internal_articles` (200).
pub(crate) async fn create(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let f = fields(ws, &body)?;
        let title = f.title.ok_or_else(|| {
            missing("title must be in the main body or default locale translated_content object")
        })?;
        let author_id = f.author_id.ok_or_else(|| {
            missing(
                "author_id must be in the main body or default locale translated_content object",
            )
        })?;
        let owner_id = f.owner_id.ok_or_else(|| missing("owner_id is required"))?;
        let id = ws.next_id();
        let now = ws.tick();
        let (html, markdown) = f.body.unwrap_or_default();
        let a = InternalArticle {
            id,
            title,
            body: Some(html),
            body_markdown: markdown,
            author_id,
            owner_id,
            locale: "en".to_string(),
            created_at: now,
            updated_at: now,
        };
        let out = article_json(&a);
        ws.internal_articles.insert(id, a);
        ok(out)
    })
}

/// `PUT /internal_articles/{id}`: changes what is sent; `body` (HTML) clears `body_markdown`.
pub(crate) async fn update(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.internal_articles.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        let f = fields(ws, &body)?;
        let now = ws.tick();
        let a = ws
            .internal_articles
            .get_mut(&id)
            .ok_or_else(ApiError::not_found)?;
        if let Some(title) = f.title {
            a.title = title;
        }
        if let Some((html, markdown)) = f.body {
            a.body = Some(html);
            a.body_markdown = markdown;
        }
        if let Some(author) = f.author_id {
            a.author_id = author;
        }
        if let Some(owner) = f.owner_id {
            a.owner_id = owner;
        }
        a.updated_at = now;
        ok(article_json(a))
    })
}

/// `DELETE /internal_articles/{id}` (200 `{id, object, deleted}`).
pub(crate) async fn delete(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.internal_articles.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        ws.tick();
        ws.internal_articles.remove(&id);
        ok(json!({"id": id.to_string(), "object": "internal_article", "deleted": true}))
    })
}
