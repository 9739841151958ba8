//! Content snippets (2.16+, `/content_snippets`): paged list (`page`, `per_page` ≤ 50, the
//! wrapper's paging fields at the top level), create (201), retrieve, partial update and
//! delete (204). A snippet's content is `json_blocks` or `body_markdown`, never both (422
//! `validation_error`); the other is derived (paragraphs ↔ blocks separated by blank lines).
//! `audience_ids` are integers and must name audiences (404 `parameter_invalid`); a locale Fin
//! does not support is a 422 `validation_error`, as the description's example says.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::help_center::opt_string;
use super::paging::Window;
use super::routes::{ApiError, ApiResult, AppState, json_object, json_response, numeric_id, ok};
use super::store::{EPOCH, State as Workspace};

/// Intercom's default and maximum page size for snippets.
const MAX_PER_PAGE: usize = 50;

/// First id of the seeded snippets: fixed, outside the sequential counter.
const SEED_ID: u64 = 860_001;

/// The locales the sandbox's Fin supports.
const LOCALES: &[&str] = &[
    "en", "fr", "de", "es", "it", "pt", "pt-BR", "nl", "sv", "da", "nb", "fi", "pl", "ja", "ko",
    "zh-CN", "zh-TW",
];

/// A snippet; its content is kept as Markdown (blocks are derived from it when read).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ContentSnippet {
    pub id: u64,
    pub title: String,
    pub body_markdown: String,
    pub locale: String,
    pub audience_ids: Vec<u64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The blocks of a Markdown text: one paragraph per block of lines.
fn blocks(markdown: &str) -> Vec<Value> {
    markdown
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|text| json!({"type": "paragraph", "text": text}))
        .collect()
}

fn snippet_json(s: &ContentSnippet) -> Value {
    json!({
        "type": "content_snippet",
        "id": s.id.to_string(),
        "title": s.title,
        "locale": s.locale,
        "json_blocks": blocks(&s.body_markdown),
        "body_markdown": s.body_markdown,
        "chatbot_availability": 0,
        "copilot_availability": 0,
        "ai_chatbot_availability": false,
        "ai_copilot_availability": false,
        "ai_sales_agent_availability": false,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "audience_ids": s.audience_ids,
    })
}

/// The default seed's snippets.
pub(crate) fn seed(ws: &mut Workspace) {
    let snippets = [
        (
            "Reset a password",
            "en",
            "Open **Settings → Security** and choose *Reset password*.\n\nThe link expires after an hour.\n",
        ),
        (
            "Horaires du support",
            "fr",
            "Le support répond du lundi au vendredi, de 9 h à 18 h.\n",
        ),
    ];
    for (n, (title, locale, body)) in snippets.into_iter().enumerate() {
        let id = SEED_ID + n as u64;
        ws.content_snippets.insert(
            id,
            ContentSnippet {
                id,
                title: title.to_string(),
                body_markdown: body.to_string(),
                locale: locale.to_string(),
                audience_ids: Vec::new(),
                created_at: EPOCH - 10 * 86_400,
                updated_at: EPOCH - 10 * 86_400,
            },
        );
    }
}

/// `GET /content_snippets?page=&per_page=`.
pub(crate) async fn list(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let window = Window::of(&query, MAX_PER_PAGE, MAX_PER_PAGE)?;
    shared.with_state(|ws| {
        let data = window.take(ws.content_snippets.values(), snippet_json);
        ok(window.flat(ws.content_snippets.len(), data, 1))
    })
}

/// `GET /content_snippets/{id}`.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let s = numeric_id(&id)
            .and_then(|id| ws.content_snippets.get(&id))
            .ok_or_else(not_found)?;
        ok(snippet_json(s))
    })
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Content snippet not found",
    )
}

/// What a create or an update may set.
struct Fields {
    title: Option<String>,
    body_markdown: Option<String>,
    locale: Option<String>,
    audience_ids: Option<Vec<u64>>,
}

fn fields(ws: &Workspace, body: &Map<String, Value>) -> Result<Fields, ApiError> {
    let markdown = opt_string(body, "body_markdown")?;
    let from_blocks = match body.get("json_blocks") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|b| b.get("text").and_then(Value::as_str).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
        Some(_) => {
            return Err(ApiError::validation(
                "json_blocks must be an array of blocks",
            ));
        }
    };
    let body_markdown = match (markdown, from_blocks) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "json_blocks and body_markdown are mutually exclusive",
            ));
        }
        (md, blocks) => md.or(blocks),
    };
    let title = opt_string(body, "title")?;
    if let Some(t) = &title {
        if t.trim().is_empty() {
            return Err(ApiError::validation("Title can't be blank"));
        }
        if t.chars().count() > 255 {
            return Err(ApiError::validation(
                "Title is too long (maximum is 255 characters)",
            ));
        }
    }
    let locale = opt_string(body, "locale")?;
    if let Some(l) = &locale
        && !LOCALES.contains(&l.as_str())
    {
        return Err(ApiError::validation(
            "The language is not currently supported for Fin",
        ));
    }
    let audience_ids = match body.get("audience_ids") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            let ids: Option<Vec<u64>> = items.iter().map(Value::as_u64).collect();
            let ids = ids.ok_or_else(|| ApiError::validation("audience_ids must be integers"))?;
            let unknown: Vec<String> = ids
                .iter()
                .filter(|id| !ws.audiences.contains_key(id))
                .map(u64::to_string)
                .collect();
            if !unknown.is_empty() {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "parameter_invalid",
                    format!(
                        "audience_ids contains unknown audience IDs: {}",
                        unknown.join(", ")
                    ),
                ));
            }
            Some(ids)
        }
        Some(_) => return Err(ApiError::validation("audience_ids must be an array")),
    };
    Ok(Fields {
        title,
        body_markdown,
        locale,
        audience_ids,
    })
}

/// `POST /content_snippets` → 201.
pub(crate) async fn create(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let f = fields(ws, &body)?;
        let title = f
            .title
            .ok_or_else(|| ApiError::validation("Title can't be blank"))?;
        let body_markdown = f.body_markdown.ok_or_else(|| {
            ApiError::validation("Provide the content as json_blocks or body_markdown")
        })?;
        let id = ws.next_id();
        let now = ws.tick();
        let s = ContentSnippet {
            id,
            title,
            body_markdown,
            locale: f.locale.unwrap_or_else(|| "en".to_string()),
            audience_ids: f.audience_ids.unwrap_or_default(),
            created_at: now,
            updated_at: now,
        };
        let out = snippet_json(&s);
        ws.content_snippets.insert(id, s);
        Ok(json_response(StatusCode::CREATED, out))
    })
}

/// `PUT /content_snippets/{id}`: only the fields sent change.
pub(crate) async fn update(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.content_snippets.contains_key(id))
            .ok_or_else(not_found)?;
        let f = fields(ws, &body)?;
        let now = ws.tick();
        let s = ws.content_snippets.get_mut(&id).ok_or_else(not_found)?;
        if let Some(title) = f.title {
            s.title = title;
        }
        if let Some(md) = f.body_markdown {
            s.body_markdown = md;
        }
        if let Some(locale) = f.locale {
            s.locale = locale;
        }
        if let Some(ids) = f.audience_ids {
            s.audience_ids = ids;
        }
        s.updated_at = now;
        ok(snippet_json(s))
    })
}

/// `DELETE /content_snippets/{id}` → 204.
pub(crate) async fn delete(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.content_snippets.contains_key(id))
            .ok_or_else(not_found)?;
        ws.tick();
        ws.content_snippets.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_paragraphs_are_blocks() {
        assert_eq!(
            blocks("One\ntwo\n\n\nThree\n"),
            vec![
                json!({"type": "paragraph", "text": "One\ntwo"}),
                json!({"type": "paragraph", "text": "Three"})
            ]
        );
    }
}
