//! Conversation attributes (`/conversations/attributes`, 2.16+) and their list options:
//! archived instead of deleted, at least two active options kept.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::sandbox::routes::{
    ApiError, ApiResult, AppState, json_object, numeric_id, ok, query_flag,
};
use crate::sandbox::store::{ConversationAttribute, ConversationOption, State as Workspace};

const CONVERSATION_TYPES: &[&str] = &[
    "string",
    "integer",
    "list",
    "decimal",
    "boolean",
    "datetime",
    "relationship",
    "files",
];

fn attribute_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "conversation_attribute_not_found",
        "Conversation attribute not found",
    )
}

fn option_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "conversation_attribute_not_found",
        "List option not found",
    )
}

fn conv_invalid(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable("parameter_invalid", message)
}

fn conversation_json(a: &ConversationAttribute) -> Value {
    let mut out = json!({
        "type": "conversation_attribute",
        "id": a.id,
        "name": a.name,
        "description": a.description,
        "data_type": a.data_type,
        "required": a.required,
        "visible_to_team_ids": a.visible_to_team_ids,
        "archived": a.archived,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "admin_id": a.admin_id,
    });
    match a.data_type.as_str() {
        "string" => out["multiline"] = json!(a.multiline),
        "list" => {
            let options: Vec<Value> = a
                .options
                .iter()
                .map(|o| json!({"id": o.id, "label": o.label, "archived": o.archived}))
                .collect();
            out["options"] = json!(options);
        }
        "relationship" => out["reference"] = a.reference.clone().unwrap_or(Value::Null),
        _ => {}
    }
    out
}

/// `GET /conversations/attributes`.
pub(crate) async fn list_conversation(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let include_archived = query_flag(&query, "include_archived");
    shared.with_state(|ws| {
        let data: Vec<Value> = ws
            .conversation_attributes
            .values()
            .filter(|a| include_archived || !a.archived)
            .map(conversation_json)
            .collect();
        ok(json!({"type": "list", "data": data}))
    })
}

fn find_conversation(ws: &mut Workspace, id: &str) -> Result<u64, ApiError> {
    numeric_id(id)
        .filter(|id| ws.conversation_attributes.contains_key(id))
        .ok_or_else(attribute_not_found)
}

/// `GET /conversations/attributes/{id}`.
pub(crate) async fn show_conversation(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let id = find_conversation(ws, &id)?;
        let a = ws
            .conversation_attributes
            .get(&id)
            .ok_or_else(attribute_not_found)?;
        ok(conversation_json(a))
    })
}

fn string_field(body: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(conv_invalid(format!("{key} must be a string"))),
    }
}

fn bool_field(body: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(conv_invalid(format!("{key} must be a boolean"))),
    }
}

fn team_ids_field(
    ws: &Workspace,
    body: &Map<String, Value>,
) -> Result<Option<Vec<String>>, ApiError> {
    match body.get("visible_to_team_ids") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => {
            let mut ids = Vec::new();
            for item in items {
                let id = match item {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        return Err(conv_invalid(
                            "visible_to_team_ids must be an array of team ids",
                        ));
                    }
                };
                if !numeric_id(&id).is_some_and(|n| ws.teams.contains_key(&n)) {
                    return Err(conv_invalid(format!(
                        "visible_to_team_ids names unknown team {id}"
                    )));
                }
                ids.push(id);
            }
            Ok(Some(ids))
        }
        Some(_) => Err(conv_invalid(
            "visible_to_team_ids must be an array of team ids",
        )),
    }
}

fn reference_field(body: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    match body.get("reference") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(r)) => {
            let kind = r.get("type").and_then(Value::as_str);
            if !matches!(kind, Some("one" | "many")) {
                return Err(conv_invalid("reference.type must be one or many"));
            }
            let mut out = json!({"type": kind});
            if let Some(object_type_id) = r.get("object_type_id") {
                let Some(s) = object_type_id.as_str() else {
                    return Err(conv_invalid("reference.object_type_id must be a string"));
                };
                out["object_type_id"] = json!(s);
            }
            Ok(Some(out))
        }
        Some(_) => Err(conv_invalid("reference must be an object")),
    }
}

/// `POST /conversations/attributes` (200, like Intercom).
pub(crate) async fn create_conversation(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let data_type = match body.get("data_type") {
        Some(Value::String(t)) if CONVERSATION_TYPES.contains(&t.as_str()) => t.clone(),
        Some(Value::String(t)) => {
            return Err(conv_invalid(format!(
                "data_type '{t}' is not valid. Allowed types: {}",
                CONVERSATION_TYPES.join(", ")
            )));
        }
        _ => return Err(conv_invalid("data_type is required")),
    };
    let allowed: &[&str] = match data_type.as_str() {
        "string" => &["multiline"],
        "list" => &["options"],
        "relationship" => &["reference"],
        _ => &[],
    };
    for key in body.keys() {
        let common = [
            "name",
            "data_type",
            "description",
            "required",
            "visible_to_team_ids",
        ];
        if !common.contains(&key.as_str()) && !allowed.contains(&key.as_str()) {
            return Err(conv_invalid(format!(
                "{key} is not accepted for a {data_type} attribute"
            )));
        }
    }
    let name = string_field(&body, "name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| conv_invalid("name is required"))?;
    let description = string_field(&body, "description")?.unwrap_or_default();
    let required = bool_field(&body, "required")?.unwrap_or(false);
    let multiline = bool_field(&body, "multiline")?.unwrap_or(false);
    let reference = reference_field(&body)?;
    if data_type == "relationship" && reference.is_none() {
        return Err(conv_invalid(
            "reference is required for a relationship attribute",
        ));
    }
    let labels: Vec<String> = match body.get("options") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.get("label")
                    .and_then(Value::as_str)
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| conv_invalid("label is required"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(conv_invalid("options must be an array of {label} objects")),
    };
    if data_type == "list" && labels.len() < 2 {
        return Err(conv_invalid(
            "A list attribute must have at least 2 active options",
        ));
    }
    shared.with_state(|ws| {
        let visible_to_team_ids = team_ids_field(ws, &body)?.unwrap_or_default();
        let id = ws.next_id();
        let now = ws.tick();
        let options = labels
            .into_iter()
            .map(|label| ConversationOption {
                id: ws.next_uuid(),
                label,
                archived: false,
            })
            .collect();
        let attribute = ConversationAttribute {
            id,
            name,
            description,
            data_type,
            required,
            visible_to_team_ids,
            archived: false,
            created_at: now,
            updated_at: now,
            admin_id: ws.me_id(),
            multiline,
            options,
            reference,
        };
        let out = conversation_json(&attribute);
        ws.conversation_attributes.insert(id, attribute);
        ok(out)
    })
}

/// `PUT /conversations/attributes/{id}`: name, description, required, visible_to_team_ids,
/// multiline (string), reference (relationship). Not the type, archived flag or options.
pub(crate) async fn update_conversation(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let id = find_conversation(ws, &id)?;
        let current = ws
            .conversation_attributes
            .get(&id)
            .ok_or_else(attribute_not_found)?;
        for key in body.keys() {
            match key.as_str() {
                "name" | "description" | "required" | "visible_to_team_ids" => {}
                "multiline" if current.data_type == "string" => {}
                "reference" if current.data_type == "relationship" => {}
                "data_type" => return Err(conv_invalid("data_type cannot be changed")),
                "options" => {
                    return Err(conv_invalid(
                        "options are managed with /conversations/attributes/{id}/options",
                    ));
                }
                "archived" => {
                    return Err(conv_invalid(
                        "archived cannot be updated; DELETE the attribute to archive it",
                    ));
                }
                other => {
                    return Err(conv_invalid(format!(
                        "{other} cannot be updated on a {} attribute",
                        current.data_type
                    )));
                }
            }
        }
        let name = string_field(&body, "name")?;
        if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(conv_invalid("name must not be blank"));
        }
        let description = string_field(&body, "description")?;
        let required = bool_field(&body, "required")?;
        let multiline = bool_field(&body, "multiline")?;
        let reference = reference_field(&body)?;
        let teams = team_ids_field(ws, &body)?;
        let now = ws.tick();
        let a = ws
            .conversation_attributes
            .get_mut(&id)
            .ok_or_else(attribute_not_found)?;
        if let Some(name) = name {
            a.name = name;
        }
        if let Some(description) = description {
            a.description = description;
        }
        if let Some(required) = required {
            a.required = required;
        }
        if let Some(multiline) = multiline {
            a.multiline = multiline;
        }
        if let Some(reference) = reference {
            a.reference = Some(reference);
        }
        if let Some(teams) = teams {
            a.visible_to_team_ids = teams;
        }
        a.updated_at = now;
        ok(conversation_json(a))
    })
}

/// `DELETE /conversations/attributes/{id}`: archives and returns the attribute.
pub(crate) async fn archive_conversation(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let id = find_conversation(ws, &id)?;
        let now = ws.tick();
        let a = ws
            .conversation_attributes
            .get_mut(&id)
            .ok_or_else(attribute_not_found)?;
        if !a.archived {
            a.archived = true;
            a.updated_at = now;
        }
        ok(conversation_json(a))
    })
}

/// The body of an option call: exactly `{"label": "…"}`.
fn option_label(body: &Bytes) -> Result<String, ApiError> {
    let body = json_object(body)?;
    if body.keys().any(|k| k != "label") {
        return Err(conv_invalid("only 'label' is accepted"));
    }
    match body.get("label") {
        None | Some(Value::Null) => Err(conv_invalid("label is required")),
        Some(Value::String(s)) if s.trim().is_empty() => Err(conv_invalid("label is required")),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(conv_invalid("label must be a string")),
    }
}

fn list_attribute<'a>(
    ws: &'a mut Workspace,
    id: &str,
) -> Result<&'a mut ConversationAttribute, ApiError> {
    let id = find_conversation(ws, id)?;
    let a = ws
        .conversation_attributes
        .get_mut(&id)
        .ok_or_else(attribute_not_found)?;
    if a.data_type != "list" {
        return Err(conv_invalid(
            "Options can only be managed on list attributes",
        ));
    }
    Ok(a)
}

/// `POST /conversations/attributes/{id}/options`.
pub(crate) async fn add_option(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    shared.with_state(|ws| {
        list_attribute(ws, &id)?;
        let label = option_label(&body)?;
        let option_id = ws.next_uuid();
        let now = ws.tick();
        let a = list_attribute(ws, &id)?;
        a.options.push(ConversationOption {
            id: option_id,
            label,
            archived: false,
        });
        a.updated_at = now;
        ok(conversation_json(a))
    })
}

/// `PUT /conversations/attributes/{id}/options/{option_id}`: renames an option.
pub(crate) async fn rename_option(
    State(shared): State<AppState>,
    Path((id, option_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    shared.with_state(|ws| {
        let a = list_attribute(ws, &id)?;
        if !a.options.iter().any(|o| o.id == option_id) {
            return Err(option_not_found());
        }
        let label = option_label(&body)?;
        let now = ws.tick();
        let a = list_attribute(ws, &id)?;
        if let Some(option) = a.options.iter_mut().find(|o| o.id == option_id) {
            option.label = label;
        }
        a.updated_at = now;
        ok(conversation_json(a))
    })
}

/// `DELETE /conversations/attributes/{id}/options/{option_id}`: archives an option, keeping
/// at least two active.
pub(crate) async fn archive_option(
    State(shared): State<AppState>,
    Path((id, option_id)): Path<(String, String)>,
) -> ApiResult {
    shared.with_state(|ws| {
        let a = list_attribute(ws, &id)?;
        let option = a
            .options
            .iter()
            .find(|o| o.id == option_id)
            .ok_or_else(option_not_found)?;
        if option.archived {
            return ok(conversation_json(a));
        }
        if a.options.iter().filter(|o| !o.archived).count() <= 2 {
            return Err(conv_invalid(
                "A list attribute must have at least 2 active options",
            ));
        }
        let now = ws.tick();
        let a = list_attribute(ws, &id)?;
        if let Some(option) = a.options.iter_mut().find(|o| o.id == option_id) {
            option.archived = true;
        }
        a.updated_at = now;
        ok(conversation_json(a))
    })
}
