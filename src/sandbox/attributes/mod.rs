//! Attributes: contact and company data attributes (`/data_attributes`: list, create, update;
//! archive instead of delete) here, and conversation attributes with their list options
//! (`/conversations/attributes`, 2.16+) in `conversation`.

mod conversation;

pub(crate) use conversation::{
    add_option, archive_conversation, archive_option, create_conversation, list_conversation,
    rename_option, show_conversation, update_conversation,
};

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::routes::{ApiError, ApiResult, AppState, Ctx, json_object, numeric_id, ok, query_flag};
use super::store::{
    CUSTOM_ATTRIBUTE_CAP, ConversationAttribute, DataAttribute, State as Workspace,
};

// ---------------------------------------------------------------------------------------------
// Data attributes

fn data_attribute_json(a: &DataAttribute) -> Value {
    let mut out = Map::new();
    if let Some(id) = a.id {
        out.insert("id".into(), json!(id));
    }
    out.insert("type".into(), json!("data_attribute"));
    out.insert("name".into(), json!(a.name));
    out.insert("full_name".into(), json!(a.full_name));
    out.insert("label".into(), json!(a.label));
    if let Some(description) = &a.description {
        out.insert("description".into(), json!(description));
    }
    out.insert("data_type".into(), json!(a.data_type));
    if let Some(options) = &a.options {
        out.insert("options".into(), json!(options));
    }
    out.insert("api_writable".into(), json!(a.api_writable));
    out.insert("ui_writable".into(), json!(a.ui_writable));
    out.insert("messenger_writable".into(), json!(a.messenger_writable));
    out.insert("custom".into(), json!(a.custom));
    out.insert("archived".into(), json!(a.archived));
    if let Some(admin_id) = &a.admin_id {
        out.insert("admin_id".into(), json!(admin_id));
    }
    if let Some(t) = a.created_at {
        out.insert("created_at".into(), json!(t));
    }
    if let Some(t) = a.updated_at {
        out.insert("updated_at".into(), json!(t));
    }
    out.insert("model".into(), json!(a.model));
    Value::Object(out)
}

/// A 2.14/2.15 conversation attribute as `GET /data_attributes` showed it (read-only).
fn conversation_as_data_attribute(a: &ConversationAttribute) -> Value {
    let data_type = match a.data_type.as_str() {
        "integer" => "integer",
        "decimal" => "float",
        "boolean" => "boolean",
        "datetime" => "date",
        _ => "string",
    };
    let mut out = json!({
        "id": a.id,
        "type": "data_attribute",
        "name": a.name,
        "full_name": a.name,
        "label": a.name,
        "description": a.description,
        "data_type": data_type,
        "api_writable": true,
        "ui_writable": true,
        "messenger_writable": false,
        "custom": true,
        "archived": a.archived,
        "admin_id": a.admin_id,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "model": "conversation",
    });
    if a.data_type == "list" {
        let options: Vec<&str> = a
            .options
            .iter()
            .filter(|o| !o.archived)
            .map(|o| o.label.as_str())
            .collect();
        out["options"] = json!(options);
    }
    out
}

/// `GET /data_attributes?model=contact|company&include_archived=`.
pub(crate) async fn list_data(
    State(shared): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let include_archived = query_flag(&query, "include_archived");
    let model = query.get("model").map(String::as_str);
    let models: &[&str] = match model {
        None | Some("") => &["contact", "company"],
        Some("contact") => &["contact"],
        Some("company") => &["company"],
        Some("conversation") if ctx.version.is_2_16_or_later() => {
            return Err(ApiError::unprocessable(
                "parameter_invalid",
                "model=conversation is no longer supported. Use GET /conversations/attributes instead",
            ));
        }
        Some("conversation") => &["conversation"],
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "{other} is not a valid model: use contact or company"
            )));
        }
    };
    shared.with_state(|ws| {
        let mut data = Vec::new();
        for model in models {
            if *model == "conversation" {
                data.extend(
                    ws.conversation_attributes
                        .values()
                        .filter(|a| include_archived || !a.archived)
                        .map(conversation_as_data_attribute),
                );
                continue;
            }
            data.extend(
                ws.data_attributes
                    .iter()
                    .filter(|a| a.model == *model && (include_archived || !a.archived))
                    .map(data_attribute_json),
            );
        }
        ok(json!({"type": "list", "data": data}))
    })
}

/// Intercom's words for a model in its messages.
fn model_noun(model: &str) -> &'static str {
    if model == "company" {
        "company"
    } else {
        "people"
    }
}

/// "Alphanumeric characters, currency symbols, and hyphens"; Intercom's own examples also
/// use spaces and underscores. Dots would break `custom_attributes.<name>` paths.
fn valid_attribute_name(name: &str) -> bool {
    const CURRENCY: &[char] = &[
        '$', '\u{a2}', '\u{a3}', '\u{a5}', '\u{20ac}', '\u{20b9}', '\u{20a9}', '\u{20bd}',
        '\u{20bf}',
    ];
    !name.trim().is_empty()
        && name.chars().all(|c| {
            c.is_alphanumeric() || c == ' ' || c == '_' || c == '-' || CURRENCY.contains(&c)
        })
}

/// Reads `options` in the write form (`[{"value": "…"}]`, at least two).
fn parse_options(value: &Value) -> Result<Vec<String>, ApiError> {
    let Value::Array(items) = value else {
        return Err(ApiError::invalid("Options isn't an array"));
    };
    let mut options: Vec<String> = Vec::new();
    for item in items {
        let text = match item {
            Value::Object(o) => o.get("value").and_then(Value::as_str),
            _ => None,
        };
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return Err(ApiError::invalid(
                "Each option must be an object with a non-empty string value, like {\"value\": \"gold\"}",
            ));
        };
        if !options.iter().any(|o| o == text) {
            options.push(text.to_string());
        }
    }
    if options.len() < 2 {
        return Err(ApiError::invalid(
            "You must have at least two options on a list type data attribute",
        ));
    }
    Ok(options)
}

fn active_custom_count(ws: &Workspace) -> usize {
    ws.data_attributes
        .iter()
        .filter(|a| a.custom && !a.archived)
        .count()
}

fn cap_error() -> ApiError {
    ApiError::invalid(format!(
        "You have reached the limit of {CUSTOM_ATTRIBUTE_CAP} custom data attributes. Archive unused attributes to create new ones"
    ))
}

/// `POST /data_attributes`. A list is accepted both as `data_type: "options"` and as the older
/// `data_type: "string"` with `options`; either way it reads back as `string` + options. With
/// `--refuse-options-form` the `options` form gets the description's "Invalid Data Type"
/// answer (400 `parameter_invalid` "Data Type isn't an option", no `field`), as a workspace that
/// knows only the older form. Like every check of the body it comes before the workspace's
/// (taken names, the cap).
pub(crate) async fn create_data(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    for key in body.keys() {
        if ![
            "name",
            "model",
            "data_type",
            "description",
            "messenger_writable",
            "options",
        ]
        .contains(&key.as_str())
        {
            return Err(ApiError::invalid(format!(
                "{key} is not a field of a data attribute"
            )));
        }
    }
    let name = match body.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
        _ => return Err(ApiError::invalid("name is required and must be a string")),
    };
    let model = match body.get("model").and_then(Value::as_str) {
        Some(m @ ("contact" | "company")) => m.to_string(),
        _ => {
            return Err(ApiError::invalid(
                "The Data Attribute model field must be either contact or company",
            ));
        }
    };
    let requested_type = body.get("data_type").and_then(Value::as_str).unwrap_or("");
    let (data_type, options) = match (requested_type, body.get("options")) {
        ("options", _) if shared.opts.refuse_options_form => {
            return Err(ApiError::invalid("Data Type isn't an option"));
        }
        ("options", Some(options)) => ("string", Some(parse_options(options)?)),
        ("options", None) => {
            return Err(ApiError::invalid(
                "You must have at least two options on a list type data attribute",
            ));
        }
        ("string", Some(options)) => ("string", Some(parse_options(options)?)),
        (t @ ("string" | "integer" | "float" | "boolean" | "date" | "datetime"), None) => (t, None),
        (t @ ("integer" | "float" | "boolean" | "date" | "datetime"), Some(_)) => {
            return Err(ApiError::invalid(format!(
                "Options can only be set on a list attribute, not on data_type {t}"
            )));
        }
        _ => return Err(ApiError::invalid("Data Type isn't an option")),
    };
    if !valid_attribute_name(&name) {
        return Err(ApiError::invalid(
            "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens",
        ));
    }
    let description = match body.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => return Err(ApiError::invalid("description must be a string")),
    };
    let messenger_writable = match body.get("messenger_writable") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::invalid("messenger_writable must be a boolean")),
    };

    shared.with_state(|ws| {
        let folded = name.to_lowercase();
        // Only the model's own built-ins are reserved ("'Name' is one of our standard
        // attributes for your people data"); nothing documents a refusal of a company
        // built-in's name (`website`, `industry`, `size`) on a contact, or the reverse.
        if ws.data_attributes.iter().any(|a| {
            !a.custom
                && a.model == model
                && (a.name.to_lowercase() == folded || a.full_name.to_lowercase() == folded)
        }) {
            return Err(ApiError::invalid(format!(
                "'{name}' is one of our standard attributes for your {} data. Please use a different name.",
                model_noun(&model)
            )));
        }
        // Names are unique across contact and company attributes, archived ones included.
        if let Some(existing) = ws
            .data_attributes
            .iter()
            .find(|a| a.custom && a.name.to_lowercase() == folded)
        {
            return Err(ApiError::invalid(format!(
                "You already have '{}' in your {} data. To save this as new {} data, use a different name.",
                existing.name,
                model_noun(&existing.model),
                model_noun(&model)
            )));
        }
        if active_custom_count(ws) >= CUSTOM_ATTRIBUTE_CAP {
            return Err(cap_error());
        }
        let id = ws.next_id();
        let now = ws.tick();
        let attribute = DataAttribute {
            id: Some(id),
            model: model.clone(),
            name: name.clone(),
            full_name: format!("custom_attributes.{name}"),
            label: name.clone(),
            description,
            data_type: data_type.to_string(),
            options,
            api_writable: true,
            ui_writable: false,
            messenger_writable,
            custom: true,
            archived: false,
            admin_id: Some(ws.me_id()),
            created_at: Some(now),
            updated_at: Some(now),
        };
        let out = data_attribute_json(&attribute);
        ws.data_attributes.push(attribute);
        ok(out)
    })
}

/// `PUT /data_attributes/{id}`: archived, description, messenger_writable, options.
pub(crate) async fn update_data(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let not_found = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "field_not_found",
            "We couldn't find that data attribute to update",
        )
    };
    shared.with_state(|ws| {
        let id = numeric_id(&id).ok_or_else(not_found)?;
        let index = ws
            .data_attributes
            .iter()
            .position(|a| a.custom && a.id == Some(id))
            .ok_or_else(not_found)?;
        let current = ws.data_attributes[index].clone();
        let mut next = current.clone();
        for (key, value) in &body {
            match (key.as_str(), value) {
                ("archived", Value::Bool(b)) => next.archived = *b,
                ("description", Value::String(s)) => next.description = Some(s.clone()),
                ("messenger_writable", Value::Bool(b)) => next.messenger_writable = *b,
                ("options", options) => {
                    let options = parse_options(options)?;
                    if current.data_type != "string" {
                        return Err(ApiError::invalid(format!(
                            "Options can only be set on a list attribute, not on data_type {}",
                            current.data_type
                        )));
                    }
                    next.options = Some(options);
                }
                ("archived" | "description" | "messenger_writable", _) => {
                    return Err(ApiError::invalid(format!("{key} has the wrong type")));
                }
                ("name" | "model" | "data_type", _) => {
                    return Err(ApiError::invalid(format!(
                        "{key} cannot be changed on a data attribute"
                    )));
                }
                _ => {
                    return Err(ApiError::invalid(format!(
                        "{key} is not a field of a data attribute"
                    )));
                }
            }
        }
        if next.archived && !current.archived {
            // An audience filtering on the attribute depends on it.
            let path = current.full_name.as_str();
            let used = ws.audiences.values().any(|a| {
                a.predicates
                    .iter()
                    .chain(&a.role_predicates)
                    .any(|p| p.attribute == path)
            });
            if used {
                return Err(ApiError::unprocessable(
                    "data_invalid",
                    "The Data Attribute you are trying to archive has a dependant object",
                ));
            }
        }
        if !next.archived && current.archived && active_custom_count(ws) >= CUSTOM_ATTRIBUTE_CAP {
            return Err(cap_error());
        }
        next.updated_at = Some(ws.tick());
        let out = data_attribute_json(&next);
        ws.data_attributes[index] = next;
        ok(out)
    })
}
