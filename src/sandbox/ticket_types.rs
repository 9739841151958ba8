//! Ticket types (`/ticket_types`: list, create, show, update; archived through `archived`, never
//! deleted) and their attributes (`POST /ticket_types/{id}/attributes`,
//! `PUT /ticket_types/{id}/attributes/{attribute_id}`; no list endpoint: they are read inside
//! their type). Every new type gets Intercom's two default attributes, `_default_title_` and
//! `_default_description_` (`default: true`), which cannot be changed.
//!
//! Shapes, where the 2.16 description contradicts itself:
//! - a type's `ticket_type_attributes` is the schema's `ticket_type_attribute_list`,
//!   `{type: "ticket_type_attributes.list", ticket_type_attributes: [...]}`, not the
//!   examples' `{type: "list", data: [...]}`: the schema is what Intercom's Node SDK
//!   (`intercom-client`, `TicketTypeAttributeList`) parses. The client reads both.
//! - `is_internal` is sent on reads, as every example shows, though the read schema lacks it.
//! - `input_options` is `{multiline}` for `string` attributes (as the examples show) and `{}`
//!   for the others: how Intercom shows a list's items or `allow_multiple_values` there is
//!   undocumented, so the sandbox shows nothing it would have to invent.
//!
//! Not documented by Intercom, chosen here: a name already taken by another active type (or
//! active attribute of the same type) is refused with 422 `parameter_invalid`; a malformed field
//! with 400 `parameter_invalid`; default attributes are refused any update (422).

use axum::body::Bytes;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::routes::{ApiError, ApiResult, AppState, json_object, numeric_id, ok};
use super::store::State as Workspace;

/// A ticket type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TicketType {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub category: String,
    pub icon: String,
    pub is_internal: bool,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// Its attributes, the two default ones first.
    pub attributes: Vec<TicketAttribute>,
}

/// An attribute of a ticket type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TicketAttribute {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub data_type: String,
    pub multiline: bool,
    /// The items of a `list` attribute.
    pub list_items: Vec<String>,
    pub allow_multiple_values: bool,
    pub required_to_create: bool,
    pub required_to_create_for_contacts: bool,
    pub visible_on_create: bool,
    pub visible_to_contacts: bool,
    pub default: bool,
    pub archived: bool,
    pub order: u32,
    pub created_at: i64,
    pub updated_at: i64,
}

const CATEGORIES: [&str; 3] = ["Customer", "Back-office", "Tracker"];
const DATA_TYPES: [&str; 7] = [
    "string", "list", "integer", "decimal", "boolean", "datetime", "files",
];
/// The icon Intercom gives a type created without one (the description's default).
const DEFAULT_ICON: &str = "\u{1F39F}\u{FE0F}";
/// The ticket states every type shows (the description's examples).
const STATES: [(&str, &str, &str); 4] = [
    ("submitted", "Submitted", "Submitted"),
    ("in_progress", "In progress", "In progress"),
    (
        "waiting_on_customer",
        "Waiting on customer",
        "Waiting on you",
    ),
    ("resolved", "Resolved", "Resolved"),
];

fn attribute_json(ws: &Workspace, type_id: u64, a: &TicketAttribute) -> Value {
    let input_options = if a.data_type == "string" {
        json!({"multiline": a.multiline})
    } else {
        json!({})
    };
    json!({
        "type": "ticket_type_attribute",
        "id": a.id.to_string(),
        "workspace_id": ws.app.id_code,
        "name": a.name,
        "description": a.description,
        "data_type": a.data_type,
        "input_options": input_options,
        "order": a.order,
        "required_to_create": a.required_to_create,
        "required_to_create_for_contacts": a.required_to_create_for_contacts,
        "visible_on_create": a.visible_on_create,
        "visible_to_contacts": a.visible_to_contacts,
        "default": a.default,
        "ticket_type_id": type_id,
        "archived": a.archived,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    })
}

fn ticket_type_json(ws: &Workspace, t: &TicketType) -> Value {
    let attributes: Vec<Value> = t
        .attributes
        .iter()
        .map(|a| attribute_json(ws, t.id, a))
        .collect();
    let states: Vec<Value> = STATES
        .iter()
        .enumerate()
        .map(|(i, (category, internal, external))| {
            json!({
                "type": "ticket_state",
                "id": (t.id * 10 + i as u64).to_string(),
                "category": category,
                "internal_label": internal,
                "external_label": external,
            })
        })
        .collect();
    json!({
        "type": "ticket_type",
        "id": t.id.to_string(),
        "name": t.name,
        "description": t.description,
        "icon": t.icon,
        "workspace_id": ws.app.id_code,
        "archived": t.archived,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "is_internal": t.is_internal,
        "ticket_type_attributes": {
            "type": "ticket_type_attributes.list",
            "ticket_type_attributes": attributes,
        },
        "category": t.category,
        "ticket_states": {"type": "list", "data": states},
    })
}

fn opt_string(body: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(format!("{key} must be a string"))),
    }
}

fn opt_bool(body: &Map<String, Value>, key: &str) -> Result<Option<bool>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::invalid(format!("{key} must be a boolean"))),
    }
}

fn category(body: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let c = opt_string(body, "category")?;
    match c {
        Some(c) if !CATEGORIES.contains(&c.as_str()) => Err(ApiError::invalid(format!(
            "category must be one of {}",
            CATEGORIES.join(", ")
        ))),
        c => Ok(c),
    }
}

fn taken(message: String) -> ApiError {
    ApiError::unprocessable("parameter_invalid", message)
}

fn check_type_name(ws: &Workspace, except: Option<u64>, name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        return Err(ApiError::invalid("name is required"));
    }
    if ws
        .ticket_types
        .values()
        .any(|t| Some(t.id) != except && !t.archived && t.name == name)
    {
        return Err(taken(format!(
            "A ticket type named {name:?} already exists"
        )));
    }
    Ok(())
}

/// The items of a comma-delimited `list_items` (each trimmed; empty ones dropped).
fn list_items(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn find_type(ws: &Workspace, id: &str) -> Result<u64, ApiError> {
    numeric_id(id)
        .filter(|id| ws.ticket_types.contains_key(id))
        .ok_or_else(ApiError::not_found)
}

/// A new attribute with Intercom's defaults (visible to all, required by none).
fn new_attribute(id: u64, name: &str, data_type: &str, order: u32, now: i64) -> TicketAttribute {
    TicketAttribute {
        id,
        name: name.to_string(),
        description: String::new(),
        data_type: data_type.to_string(),
        multiline: false,
        list_items: Vec::new(),
        allow_multiple_values: false,
        required_to_create: false,
        required_to_create_for_contacts: false,
        visible_on_create: true,
        visible_to_contacts: true,
        default: false,
        archived: false,
        order,
        created_at: now,
        updated_at: now,
    }
}

/// The two attributes every type is created with.
fn default_attributes(ids: [u64; 2], now: i64) -> Vec<TicketAttribute> {
    let mut title = new_attribute(ids[0], "_default_title_", "string", 0, now);
    title.default = true;
    let mut description = new_attribute(ids[1], "_default_description_", "string", 1, now);
    description.default = true;
    description.multiline = true;
    vec![title, description]
}

/// `GET /ticket_types` (archived ones included; no pagination).
pub(crate) async fn list(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws
            .ticket_types
            .values()
            .map(|t| ticket_type_json(ws, t))
            .collect();
        ok(json!({"type": "list", "data": data}))
    })
}

/// `GET /ticket_types/{id}`.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = find_type(ws, &id)?;
        ok(ticket_type_json(ws, &ws.ticket_types[&id]))
    })
}

/// `POST /ticket_types {name, description?, category?, icon?, is_internal?}`.
pub(crate) async fn create(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let name = opt_string(&body, "name")?.unwrap_or_default();
    let description = opt_string(&body, "description")?.unwrap_or_default();
    let category = category(&body)?.unwrap_or_else(|| "Customer".into());
    let icon = opt_string(&body, "icon")?.unwrap_or_else(|| DEFAULT_ICON.into());
    let is_internal = opt_bool(&body, "is_internal")?.unwrap_or(false);
    shared.with_state(|ws| {
        check_type_name(ws, None, &name)?;
        let now = ws.tick();
        let id = ws.next_id();
        let ids = [ws.next_id(), ws.next_id()];
        let t = TicketType {
            id,
            name,
            description,
            category,
            icon,
            is_internal,
            archived: false,
            created_at: now,
            updated_at: now,
            attributes: default_attributes(ids, now),
        };
        let answer = ticket_type_json(ws, &t);
        ws.ticket_types.insert(id, t);
        ok(answer)
    })
}

/// `PUT /ticket_types/{id}`: `name`, `description`, `category`, `icon`, `archived`,
/// `is_internal`; absent fields keep their values.
pub(crate) async fn update(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let name = opt_string(&body, "name")?;
    let description = opt_string(&body, "description")?;
    let category = category(&body)?;
    let icon = opt_string(&body, "icon")?;
    let archived = opt_bool(&body, "archived")?;
    let is_internal = opt_bool(&body, "is_internal")?;
    shared.with_state(|ws| {
        let id = find_type(ws, &id)?;
        let unarchived = archived == Some(false) && ws.ticket_types[&id].archived;
        let wanted = name
            .clone()
            .unwrap_or_else(|| ws.ticket_types[&id].name.clone());
        if name.is_some() || unarchived {
            check_type_name(ws, Some(id), &wanted)?;
        }
        let now = ws.tick();
        let Some(t) = ws.ticket_types.get_mut(&id) else {
            return Err(ApiError::not_found());
        };
        t.name = wanted;
        t.description = description.unwrap_or_else(|| t.description.clone());
        t.category = category.unwrap_or_else(|| t.category.clone());
        t.icon = icon.unwrap_or_else(|| t.icon.clone());
        t.archived = archived.unwrap_or(t.archived);
        t.is_internal = is_internal.unwrap_or(t.is_internal);
        t.updated_at = now;
        let t = t.clone();
        ok(ticket_type_json(ws, &t))
    })
}

/// The fields an attribute's create and update share, checked against its data type.
struct AttributeFields {
    description: Option<String>,
    required_to_create: Option<bool>,
    required_to_create_for_contacts: Option<bool>,
    visible_on_create: Option<bool>,
    visible_to_contacts: Option<bool>,
    multiline: Option<bool>,
    list_items: Option<Vec<String>>,
    allow_multiple_values: Option<bool>,
}

impl AttributeFields {
    fn read(body: &Map<String, Value>) -> Result<AttributeFields, ApiError> {
        Ok(AttributeFields {
            description: opt_string(body, "description")?,
            required_to_create: opt_bool(body, "required_to_create")?,
            required_to_create_for_contacts: opt_bool(body, "required_to_create_for_contacts")?,
            visible_on_create: opt_bool(body, "visible_on_create")?,
            visible_to_contacts: opt_bool(body, "visible_to_contacts")?,
            multiline: opt_bool(body, "multiline")?,
            list_items: opt_string(body, "list_items")?.map(|l| list_items(&l)),
            allow_multiple_values: opt_bool(body, "allow_multiple_values")?,
        })
    }

    /// Refuses what does not apply to `data_type`.
    fn check(&self, data_type: &str) -> Result<(), ApiError> {
        let only = |field: &str, t: &str| {
            ApiError::invalid(format!("{field} is only applicable to {t} attributes"))
        };
        if self.multiline.is_some() && data_type != "string" {
            return Err(only("multiline", "string"));
        }
        if self.list_items.is_some() && data_type != "list" {
            return Err(only("list_items", "list"));
        }
        if self.allow_multiple_values.is_some() && data_type != "files" {
            return Err(only("allow_multiple_values", "files"));
        }
        if self.list_items.as_ref().is_some_and(Vec::is_empty) {
            return Err(ApiError::invalid("list_items must name at least one item"));
        }
        Ok(())
    }

    fn apply(self, a: &mut TicketAttribute) {
        macro_rules! set {
            ($($f:ident),*) => {$(if let Some(v) = self.$f { a.$f = v; })*};
        }
        set!(
            description,
            required_to_create,
            required_to_create_for_contacts,
            visible_on_create,
            visible_to_contacts,
            multiline,
            list_items,
            allow_multiple_values
        );
    }
}

fn check_attribute_name(t: &TicketType, except: Option<u64>, name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        return Err(ApiError::invalid("name is required"));
    }
    if t.attributes
        .iter()
        .any(|a| Some(a.id) != except && !a.archived && a.name == name)
    {
        return Err(taken(format!(
            "An attribute named {name:?} already exists on this ticket type"
        )));
    }
    Ok(())
}

/// `POST /ticket_types/{id}/attributes {name, description, data_type, …}`.
pub(crate) async fn create_attribute(
    State(shared): State<AppState>,
    Path(type_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let name = opt_string(&body, "name")?.unwrap_or_default();
    if opt_string(&body, "description")?.is_none() {
        return Err(ApiError::invalid("description is required"));
    }
    let data_type = opt_string(&body, "data_type")?.unwrap_or_default();
    if !DATA_TYPES.contains(&data_type.as_str()) {
        return Err(ApiError::invalid(format!(
            "data_type must be one of {}",
            DATA_TYPES.join(", ")
        )));
    }
    let fields = AttributeFields::read(&body)?;
    fields.check(&data_type)?;
    if data_type == "list" && fields.list_items.is_none() {
        return Err(ApiError::invalid(
            "list_items is required for list attributes",
        ));
    }
    shared.with_state(|ws| {
        let type_id = find_type(ws, &type_id)?;
        check_attribute_name(&ws.ticket_types[&type_id], None, &name)?;
        let now = ws.tick();
        let id = ws.next_id();
        let Some(t) = ws.ticket_types.get_mut(&type_id) else {
            return Err(ApiError::not_found());
        };
        let order = t.attributes.iter().map(|a| a.order + 1).max().unwrap_or(0);
        let mut a = new_attribute(id, &name, &data_type, order, now);
        fields.apply(&mut a);
        t.attributes.push(a.clone());
        ok(attribute_json(ws, type_id, &a))
    })
}

/// `PUT /ticket_types/{id}/attributes/{attribute_id}`: any of the create's fields but
/// `data_type`, and `archived`.
pub(crate) async fn update_attribute(
    State(shared): State<AppState>,
    Path((type_id, attribute_id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    let name = opt_string(&body, "name")?;
    let archived = opt_bool(&body, "archived")?;
    if body.contains_key("data_type") {
        return Err(ApiError::invalid(
            "data_type cannot be changed; create a new attribute instead",
        ));
    }
    let fields = AttributeFields::read(&body)?;
    shared.with_state(|ws| {
        let type_id = find_type(ws, &type_id)?;
        let t = &ws.ticket_types[&type_id];
        let a = numeric_id(&attribute_id)
            .and_then(|id| t.attributes.iter().find(|a| a.id == id))
            .ok_or_else(ApiError::not_found)?;
        if a.default {
            return Err(ApiError::unprocessable(
                "parameter_invalid",
                "Default ticket type attributes cannot be changed",
            ));
        }
        fields.check(&a.data_type)?;
        let attribute_id = a.id;
        let unarchived = archived == Some(false) && a.archived;
        let wanted = name.clone().unwrap_or_else(|| a.name.clone());
        if name.is_some() || unarchived {
            check_attribute_name(t, Some(attribute_id), &wanted)?;
        }
        let now = ws.tick();
        let Some(a) = ws
            .ticket_types
            .get_mut(&type_id)
            .and_then(|t| t.attributes.iter_mut().find(|a| a.id == attribute_id))
        else {
            return Err(ApiError::not_found());
        };
        a.name = wanted;
        a.archived = archived.unwrap_or(a.archived);
        fields.apply(a);
        a.updated_at = now;
        let a = a.clone();
        ok(attribute_json(ws, type_id, &a))
    })
}

/// First id of the seeded ticket types and of their attributes: fixed, outside the sequential
/// range, so seeding them moves no other object's id.
const SEED_TYPE_ID: u64 = 60_001;
const SEED_ATTRIBUTE_ID: u64 = 61_001;

/// The default seed's ticket types: `Bug Report` (Customer, with the list attribute
/// `Severity` and the multi-line `Steps to reproduce`) and `Billing Dispute` (Back-office,
/// with `Invoice number` and the required decimal `Amount`), each with the default attributes.
pub(crate) fn seed(ws: &mut Workspace) {
    let now = ws.clock;
    let mut next_attribute = SEED_ATTRIBUTE_ID;
    let mut ids = || {
        next_attribute += 1;
        next_attribute - 1
    };
    let mut bug = TicketType {
        id: SEED_TYPE_ID,
        name: "Bug Report".into(),
        description: "Bugs reported by customers".into(),
        category: "Customer".into(),
        icon: "\u{1F41E}".into(),
        is_internal: false,
        archived: false,
        created_at: now,
        updated_at: now,
        attributes: default_attributes([ids(), ids()], now),
    };
    let mut severity = new_attribute(ids(), "Severity", "list", 2, now);
    severity.description = "How badly the bug hurts".into();
    severity.list_items = vec!["Low".into(), "Medium".into(), "High".into()];
    severity.required_to_create = true;
    let mut steps = new_attribute(ids(), "Steps to reproduce", "string", 3, now);
    steps.description = "What the customer did".into();
    steps.multiline = true;
    steps.visible_to_contacts = false;
    bug.attributes.extend([severity, steps]);
    let mut dispute = TicketType {
        id: SEED_TYPE_ID + 1,
        name: "Billing Dispute".into(),
        description: "Disputed invoices handled by finance".into(),
        category: "Back-office".into(),
        icon: "\u{1F4B3}".into(),
        is_internal: true,
        archived: false,
        created_at: now,
        updated_at: now,
        attributes: default_attributes([ids(), ids()], now),
    };
    let mut invoice = new_attribute(ids(), "Invoice number", "string", 2, now);
    invoice.description = "The disputed invoice".into();
    let mut amount = new_attribute(ids(), "Amount", "decimal", 3, now);
    amount.description = "Amount in dispute".into();
    amount.required_to_create = true;
    dispute.attributes.extend([invoice, amount]);
    for t in [bug, dispute] {
        ws.ticket_types.insert(t.id, t);
    }
}
