//! The admin activity log (2.16): `GET /admins/activity_logs` (`created_at_after` required,
//! `created_at_before`; every entry in the range on one page, as the description gives the
//! list no paging parameter) and `POST /admins/activity_logs/search` (the same range in the
//! body, `event_types`, `page`, `per_page` 1–250).
//!
//! The sandbox records an entry for each successful write it receives in a category the log
//! covers (team membership, office hours, the workspace's security settings, content data
//! exports), as the token's
//! admin, from the caller's address, stamped with the real time (not the fixed clock), so that
//! `--since 7d` means something in a demo. `POST /_sandbox/activity_logs` (a test hook) adds an
//! entry of any type for any admin.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

use super::Shared;
use super::routes::{ApiError, ApiResult, AppState, json_object, ok};
use super::store::{State as Workspace, uuid_like};

/// The description's largest page of a search.
const MAX_PER_PAGE: u64 = 250;
/// The description's default page size.
const DEFAULT_PER_PAGE: u64 = 20;

/// One entry of the log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LogEntry {
    pub id: String,
    pub admin_id: String,
    pub email: String,
    pub ip: String,
    pub created_at: i64,
    pub activity_type: String,
    pub description: String,
    pub metadata: Value,
}

impl LogEntry {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "performed_by": {
                "type": "admin",
                "id": self.admin_id,
                "email": self.email,
                "ip": self.ip,
            },
            "metadata": self.metadata,
            "created_at": self.created_at,
            "activity_type": self.activity_type,
            "activity_description": self.description,
        })
    }
}

/// Now, in Unix seconds (the log's only use of the real clock).
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `GET /admins/activity_log_event_types`: every type of the description's enum.
pub(crate) async fn event_types() -> ApiResult {
    let types: Vec<&str> = crate::model::activity::event_types().collect();
    ok(json!({"type": "activity_log_event_type.list", "event_types": types}))
}

/// Appends an entry (its id from the log's own counter, so object ids stay sequential).
fn push(ws: &mut Workspace, mut entry: LogEntry) -> LogEntry {
    let n = ws.activity_logs.len() as u64 + 1;
    entry.id = uuid_like(0xac71_0000, n);
    ws.activity_logs.push(entry.clone());
    entry
}

/// The event type a successful write to this endpoint earns, if the log covers it.
fn covered_write(method: &Method, template: &str) -> Option<&'static str> {
    match (method, template) {
        (&Method::PUT, "/teams/{id}") => Some("app_team_membership_modification"),
        (&Method::POST | &Method::PUT | &Method::DELETE, t)
            if t.starts_with("/office_hours_schedules") =>
        {
            Some("office_hours_change")
        }
        (&Method::PUT, "/ip_allowlist") => Some("security_settings_change"),
        (&Method::POST, "/export/content/data") => Some("app_data_export"),
        _ => None,
    }
}

/// The team a `/teams/{id}` path names.
fn team_of<'a>(ws: &'a Workspace, path: &str) -> Option<&'a super::store::Team> {
    let id = path.rsplit('/').next()?.parse::<u64>().ok()?;
    ws.teams.get(&id)
}

/// What an entry's `metadata.before` will hold, read before the write runs: a team's members
/// (`{"admin_ids": […]}`; other covered writes carry no metadata, which the description
/// allows: it is nullable).
pub(crate) fn before_write(shared: &Shared, method: &Method, template: &str, path: &str) -> Value {
    if covered_write(method, template) != Some("app_team_membership_modification") {
        return Value::Null;
    }
    shared.with_state(|ws| {
        team_of(ws, path).map_or(Value::Null, |t| json!({"admin_ids": t.admin_ids}))
    })
}

/// Records the entry a successful write earns, if its endpoint is one the log covers.
pub(crate) fn record_write(
    shared: &Shared,
    write: (&Method, &str, &str),
    before: Value,
    peer: Option<std::net::IpAddr>,
) {
    let (method, template, path) = write;
    let Some(activity_type) = covered_write(method, template) else {
        return;
    };
    shared.with_state(|ws| {
        let Some(me) = ws.admins.get(&ws.me).cloned() else {
            return;
        };
        let (description, metadata) = match activity_type {
            "app_team_membership_modification" => match team_of(ws, path) {
                Some(team) => (
                    format!("{} changed the members of team {}.", me.name, team.name),
                    json!({"team": {"id": team.id, "name": team.name},
                           "before": before, "after": {"admin_ids": team.admin_ids}}),
                ),
                None => return,
            },
            "app_data_export" => (format!("{} exported message data.", me.name), Value::Null),
            "office_hours_change" => (
                format!("{} changed your office hours.", me.name),
                Value::Null,
            ),
            _ => (
                format!("{} changed your workspace's security settings.", me.name),
                Value::Null,
            ),
        };
        push(
            ws,
            LogEntry {
                id: String::new(),
                admin_id: me.id.to_string(),
                email: me.email.clone(),
                ip: peer.map_or_else(|| "127.0.0.1".to_string(), |ip| ip.to_string()),
                created_at: now(),
                activity_type: activity_type.to_string(),
                description,
                metadata,
            },
        );
    });
}

/// A timestamp parameter: a whole number of Unix seconds.
fn timestamp(value: Option<&Value>, name: &str, required: bool) -> Result<Option<i64>, ApiError> {
    match value {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(ApiError::invalid(format!(
            "{name} is required: a UNIX timestamp"
        ))),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::invalid(format!("{name} must be a UNIX timestamp"))),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| ApiError::invalid(format!("{name} must be a UNIX timestamp"))),
        Some(_) => Err(ApiError::invalid(format!(
            "{name} must be a UNIX timestamp"
        ))),
    }
}

/// The entries from `after` to `before` (both inclusive), newest first.
fn in_range(
    ws: &Workspace,
    after: i64,
    before: Option<i64>,
    types: Option<&[String]>,
) -> Vec<Value> {
    let mut found: Vec<&LogEntry> = ws
        .activity_logs
        .iter()
        .filter(|e| e.created_at >= after && before.is_none_or(|b| e.created_at <= b))
        .filter(|e| types.is_none_or(|t| t.contains(&e.activity_type)))
        .collect();
    found.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    found.into_iter().map(LogEntry::to_json).collect()
}

fn list_json(entries: Vec<Value>, page: u64, per_page: u64, total_pages: u64) -> Value {
    json!({
        "type": "activity_log.list",
        "pages": {
            "type": "pages",
            "next": null,
            "page": page,
            "per_page": per_page,
            "total_pages": total_pages,
        },
        "activity_logs": entries,
    })
}

/// `GET /admins/activity_logs?created_at_after=…[&created_at_before=…]`.
pub(crate) async fn list(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let param = |name: &str| query.get(name).map(|v| Value::String(v.clone()));
    let after = timestamp(param("created_at_after").as_ref(), "created_at_after", true)?
        .unwrap_or_default();
    let before = timestamp(
        param("created_at_before").as_ref(),
        "created_at_before",
        false,
    )?;
    shared.with_state(|ws| {
        let entries = in_range(ws, after, before, None);
        let per_page = (entries.len() as u64).max(DEFAULT_PER_PAGE);
        ok(list_json(entries, 1, per_page, 1))
    })
}

/// `POST /admins/activity_logs/search {created_at_after, created_at_before?, event_types?,
/// page?, per_page?}`.
pub(crate) async fn search(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let after =
        timestamp(body.get("created_at_after"), "created_at_after", true)?.unwrap_or_default();
    let before = timestamp(body.get("created_at_before"), "created_at_before", false)?;
    let types = match body.get("event_types") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| ApiError::invalid("event_types must be an array of strings"))?,
        ),
        Some(_) => return Err(ApiError::invalid("event_types must be an array of strings")),
    };
    let number = |name: &str, default: u64, max: u64| match body.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v.as_u64().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
            ApiError::invalid(format!("{name} must be a whole number from 1 to {max}"))
        }),
    };
    let page = number("page", 1, u64::MAX)?;
    let per_page = number("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?;
    shared.with_state(|ws| {
        let entries = in_range(ws, after, before, types.as_deref());
        let total_pages = (entries.len() as u64).div_ceil(per_page).max(1);
        let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let on_page: Vec<Value> = entries
            .into_iter()
            .skip(start)
            .take(per_page as usize)
            .collect();
        ok(list_json(on_page, page, per_page, total_pages))
    })
}

/// `POST /_sandbox/activity_logs {activity_type, admin_email?, ip?, created_at?, description?,
/// metadata?}` (test hook): adds an entry of any type, for any admin (an e-mail that is no
/// teammate's gets admin id `0`); the token's admin, its address and now by default.
pub(crate) async fn add_entry(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
    let Some(activity_type) = text("activity_type").filter(|t| !t.trim().is_empty()) else {
        return Err(ApiError::invalid("activity_type is required"));
    };
    let created_at = timestamp(body.get("created_at"), "created_at", false)?.unwrap_or_else(now);
    let entry = shared.with_state(|ws| {
        let email = text("admin_email")
            .or_else(|| ws.admins.get(&ws.me).map(|a| a.email.clone()))
            .unwrap_or_default();
        let admin = ws
            .admins
            .values()
            .find(|a| a.email.eq_ignore_ascii_case(&email));
        let admin_id = admin.map_or_else(|| "0".to_string(), |a| a.id.to_string());
        let name = admin.map_or_else(|| email.clone(), |a| a.name.clone());
        let description = text("description")
            .unwrap_or_else(|| format!("{name}: {}.", activity_type.replace('_', " ")));
        push(
            ws,
            LogEntry {
                id: String::new(),
                admin_id,
                email,
                ip: text("ip").unwrap_or_else(|| "127.0.0.1".to_string()),
                created_at,
                activity_type,
                description,
                metadata: body.get("metadata").cloned().unwrap_or(Value::Null),
            },
        )
    });
    shared.persist().map_err(|e| {
        tracing::error!(error = %e, "sandbox cannot save its state");
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "The sandbox could not save its state file",
        )
    })?;
    ok(entry.to_json())
}
