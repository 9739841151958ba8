//! Audiences (2.16+): paged list (`page`, `per_page` ≤ 50), create (201), partial update,
//! delete (204). Validation errors use Intercom's 422 `validation_error`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};

use super::paging::Window;
use super::routes::{ApiError, ApiResult, AppState, json_object, json_response, numeric_id, ok};
use super::store::{Audience, Predicate};

/// Intercom's default and maximum page size for audiences.
const MAX_PER_PAGE: usize = 50;

fn audience_json(a: &Audience) -> Value {
    json!({
        "type": "audience",
        "id": a.id.to_string(),
        "name": a.name,
        "predicates": a.predicates,
        "role_predicates": a.role_predicates,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}

/// `GET /audiences?page=&per_page=`. `per_page` above 50 is capped at 50.
pub(crate) async fn list(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let window = Window::of(&query, MAX_PER_PAGE, MAX_PER_PAGE)?;
    shared.with_state(|ws| {
        let data = window.take(ws.audiences.values(), audience_json);
        ok(window.flat(ws.audiences.len(), data, 0))
    })
}

/// `GET /audiences/{id}`.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let a = numeric_id(&id)
            .and_then(|id| ws.audiences.get(&id))
            .ok_or_else(ApiError::not_found)?;
        ok(audience_json(a))
    })
}

fn predicates(body: &Map<String, Value>, key: &str) -> Result<Option<Vec<Predicate>>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value::<Vec<Predicate>>(value.clone())
            .map(Some)
            .map_err(|_| {
                ApiError::validation(format!(
                    "{key} must be an array of {{attribute, type, comparison, value}} strings"
                ))
            }),
    }
}

fn check_fields(body: &Map<String, Value>) -> Result<(), ApiError> {
    match body
        .keys()
        .find(|k| !["name", "predicates", "role_predicates"].contains(&k.as_str()))
    {
        Some(key) => Err(ApiError::validation(format!(
            "{key} is not a field of an audience"
        ))),
        None => Ok(()),
    }
}

fn name_field(body: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    match body.get("name") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(ApiError::validation("Name must not be blank"))
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::validation("Name must be a string")),
    }
}

/// `POST /audiences` → 201.
pub(crate) async fn create(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    check_fields(&body)?;
    let name = name_field(&body)?.ok_or_else(|| ApiError::validation("Name is required"))?;
    let predicates_in = predicates(&body, "predicates")?.unwrap_or_default();
    let role_predicates = predicates(&body, "role_predicates")?.unwrap_or_default();
    shared.with_state(|ws| {
        let id = ws.next_id();
        let now = ws.tick();
        let audience = Audience {
            id,
            name,
            predicates: predicates_in,
            role_predicates,
            created_at: now,
            updated_at: now,
        };
        let out = audience_json(&audience);
        ws.audiences.insert(id, audience);
        Ok(json_response(StatusCode::CREATED, out))
    })
}

/// `PUT /audiences/{id}`: only the fields sent change.
pub(crate) async fn update(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.audiences.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        check_fields(&body)?;
        let name = name_field(&body)?;
        let predicates_in = predicates(&body, "predicates")?;
        let role_predicates = predicates(&body, "role_predicates")?;
        let now = ws.tick();
        let a = ws.audiences.get_mut(&id).ok_or_else(ApiError::not_found)?;
        if let Some(name) = name {
            a.name = name;
        }
        if let Some(p) = predicates_in {
            a.predicates = p;
        }
        if let Some(p) = role_predicates {
            a.role_predicates = p;
        }
        a.updated_at = now;
        ok(audience_json(a))
    })
}

/// `DELETE /audiences/{id}` → 204.
pub(crate) async fn delete(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = numeric_id(&id)
            .filter(|id| ws.audiences.contains_key(id))
            .ok_or_else(ApiError::not_found)?;
        ws.tick();
        ws.audiences.remove(&id);
        Ok(StatusCode::NO_CONTENT.into_response())
    })
}
