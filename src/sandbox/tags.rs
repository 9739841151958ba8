//! Tags (`/tags`: list, get, create-or-rename by `POST`, delete unless a segment uses the
//! tag) and the read-only segments (`/segments`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::routes::{ApiError, ApiResult, AppState, Ctx, json_object, numeric_id, ok, query_flag};
use super::store::{Segment, Tag};

fn tag_json(tag: &Tag) -> Value {
    json!({"type": "tag", "id": tag.id.to_string(), "name": tag.name})
}

/// `GET /tags` (all tags, no pagination).
pub(crate) async fn list(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws.tags.values().map(tag_json).collect();
        ok(json!({"type": "list", "data": data}))
    })
}

/// `GET /tags/{id}`.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let tag = numeric_id(&id)
            .and_then(|id| ws.tags.get(&id))
            .ok_or_else(ApiError::not_found)?;
        ok(tag_json(tag))
    })
}

/// `POST /tags`: `{name}` creates the tag or returns the one with that name (names are
/// case-insensitive; the stored case is kept); `{id, name}` renames. Tagging `users` by id is
/// recorded in the answer; unknown users and all companies are skipped (2.16 "skip missing").
pub(crate) async fn create_or_rename(
    State(shared): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let name = match body.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.trim().to_string(),
        _ => return Err(ApiError::invalid("invalid tag parameters")),
    };
    if body
        .keys()
        .any(|k| !["name", "id", "users", "companies"].contains(&k.as_str()))
    {
        return Err(ApiError::invalid("invalid tag parameters"));
    }
    let rename = match body.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(ApiError::invalid("invalid tag parameters")),
    };
    shared.with_state(|ws| {
        let folded = name.to_lowercase();
        let same_name = ws
            .tags
            .values()
            .find(|t| t.name.to_lowercase() == folded)
            .map(|t| t.id);
        let id = match rename {
            Some(raw) => {
                let id = numeric_id(&raw)
                    .filter(|id| ws.tags.contains_key(id))
                    .ok_or_else(ApiError::not_found)?;
                if same_name.is_some_and(|other| other != id) {
                    return Err(ApiError::invalid(format!(
                        "A tag named '{name}' already exists"
                    )));
                }
                ws.tick();
                if let Some(tag) = ws.tags.get_mut(&id) {
                    tag.name = name;
                }
                id
            }
            None => match same_name {
                Some(id) => id,
                None => {
                    let id = ws.next_id();
                    ws.tick();
                    ws.tags.insert(id, Tag { id, name });
                    id
                }
            },
        };
        let tag = ws.tags.get(&id).ok_or_else(ApiError::not_found)?;
        let mut out = tag_json(tag);
        if ctx.version.is_2_16_or_later() {
            let users: Vec<Value> = body
                .get("users")
                .and_then(Value::as_array)
                .map(|users| {
                    users
                        .iter()
                        .filter_map(|u| {
                            let id = u.get("id").and_then(Value::as_str)?;
                            let untag = u.get("untag").and_then(Value::as_bool).unwrap_or(false);
                            ws.contacts
                                .iter()
                                .any(|c| c.id == id)
                                .then(|| json!({"id": id, "tagged": !untag}))
                        })
                        .collect()
                })
                .unwrap_or_default();
            out["users"] = json!(users);
            out["companies"] = json!([]);
        }
        ok(out)
    })
}

/// `DELETE /tags/{id}`: 200 with an empty body; refused while a segment uses the tag.
pub(crate) async fn delete(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.tags.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        let users: Vec<&str> = ws
            .segments
            .iter()
            .filter(|s| s.tag_id == Some(id))
            .map(|s| s.name.as_str())
            .collect();
        if !users.is_empty() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "tag_has_dependent_objects",
                format!(
                    "Unable to delete Tag with dependent objects. Segments: {}.",
                    users.join(", ")
                ),
            ));
        }
        ws.tick();
        ws.tags.remove(&id);
        Ok(StatusCode::OK.into_response())
    })
}

fn segment_json(segment: &Segment, include_count: bool) -> Value {
    let mut out = json!({
        "type": "segment",
        "id": segment.id,
        "name": segment.name,
        "created_at": segment.created_at,
        "updated_at": segment.updated_at,
        "person_type": segment.person_type,
    });
    if include_count {
        out["count"] = json!(segment.count);
    }
    out
}

/// `GET /segments` (`pages` is always present and empty: there is one page).
pub(crate) async fn list_segments(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let include_count = query_flag(&query, "include_count");
    shared.with_state(|ws| {
        let segments: Vec<Value> = ws
            .segments
            .iter()
            .map(|s| segment_json(s, include_count))
            .collect();
        ok(json!({"type": "segment.list", "segments": segments, "pages": {}}))
    })
}

/// `GET /segments/{id}`.
pub(crate) async fn show_segment(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let include_count = query_flag(&query, "include_count");
    shared.with_state(|ws| {
        let segment = ws
            .segments
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(ApiError::not_found)?;
        ok(segment_json(segment, include_count))
    })
}
