//! Teammates and teams: `GET /me`, `/admins`, `/teams` (and Preview's `PUT /teams/{id}`,
//! which writes membership and priority levels only), and `/away_status_reasons`.

use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use serde_json::{Map, Value, json};

use super::routes::{ApiError, ApiResult, AppState, Ctx, json_object, numeric_id, ok, query_flag};
use super::store::{Admin, EPOCH, State as Workspace, Team};

const AVATAR_URL: &str = "https://static.intercomassets.com/assets/default-avatars/admins/128.png";

fn team_not_found() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "team_not_found",
        "Team not found",
    )
}

/// The admin object; team membership is read from the teams.
fn admin_json(ws: &Workspace, admin: &Admin, ctx: Ctx, avatar: bool) -> Value {
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    for team in ws
        .teams
        .values()
        .filter(|t| t.admin_ids.contains(&admin.id))
    {
        if team.secondary_admin_ids.contains(&admin.id) {
            secondary.push(team.id);
        } else {
            primary.push(team.id);
        }
    }
    let team_ids: Vec<u64> = primary.iter().chain(&secondary).copied().collect();
    let mut out = json!({
        "type": "admin",
        "id": admin.id.to_string(),
        "name": admin.name,
        "email": admin.email,
        "away_mode_enabled": admin.away_mode_enabled,
        "away_mode_reassign": admin.away_mode_reassign,
        "away_status_reason_id": admin.away_status_reason_id,
        "has_inbox_seat": admin.has_inbox_seat,
        "team_ids": team_ids,
        "team_priority_level": {
            "primary_team_ids": primary,
            "secondary_team_ids": secondary,
        },
    });
    if let Some(job_title) = &admin.job_title {
        out["job_title"] = json!(job_title);
    }
    if avatar {
        out["avatar"] = json!(AVATAR_URL);
    }
    // `role` arrived in 2.16.
    if ctx.version.is_2_16_or_later() {
        out["role"] = match &admin.role {
            Some(role) => json!({"type": "role", "id": role_id(role), "name": role}),
            None => Value::Null,
        };
    }
    out
}

fn role_id(role: &str) -> String {
    // Stable small ids per role name.
    let n = role
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    (n % 9000 + 1000).to_string()
}

/// `GET /me`: the token's admin with the app.
pub(crate) async fn me(
    State(shared): State<AppState>,
    Extension(ctx): Extension<Ctx>,
) -> ApiResult {
    shared.with_state(|ws| {
        let admin = ws.admins.get(&ws.me).ok_or_else(ApiError::not_found)?;
        let mut out = admin_json(ws, admin, ctx, false);
        out["email_verified"] = json!(true);
        out["avatar"] = json!({"type": "avatar", "image_url": AVATAR_URL});
        out["app"] = json!({
            "type": "app",
            "id_code": ws.app.id_code,
            "name": ws.app.name,
            "created_at": ws.app.created_at,
            "secure": false,
            "identity_verification": ws.app.identity_verification,
            "timezone": ws.app.timezone,
            "region": ws.app.region,
        });
        ok(out)
    })
}

/// `GET /admins`.
pub(crate) async fn list(
    State(shared): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let avatar = query_flag(&query, "display_avatar");
    shared.with_state(|ws| {
        let admins: Vec<Value> = ws
            .admins
            .values()
            .map(|a| admin_json(ws, a, ctx, avatar))
            .collect();
        ok(json!({"type": "admin.list", "admins": admins}))
    })
}

/// `GET /admins/{id}`.
pub(crate) async fn show(
    State(shared): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let admin = numeric_id(&id)
            .and_then(|id| ws.admins.get(&id))
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::NOT_FOUND,
                    "admin_not_found",
                    "Admin not found",
                )
            })?;
        ok(admin_json(ws, admin, ctx, false))
    })
}

/// The team object. Only load-balanced teams report priority levels and an assignment limit.
fn team_json(team: &Team) -> Value {
    let mut out = json!({
        "type": "team",
        "id": team.id.to_string(),
        "name": team.name,
        "admin_ids": team.admin_ids,
        "assignment_limit": team.assignment_limit,
        "distribution_method": team.distribution_method,
    });
    if team.is_load_balanced() {
        let (secondary, primary): (Vec<u64>, Vec<u64>) = team
            .admin_ids
            .iter()
            .partition(|id| team.secondary_admin_ids.contains(id));
        out["admin_priority_level"] = json!({
            "primary_admin_ids": primary,
            "secondary_admin_ids": secondary,
        });
    }
    out
}

/// `GET /teams`.
pub(crate) async fn list_teams(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let teams: Vec<Value> = ws.teams.values().map(team_json).collect();
        ok(json!({"type": "team.list", "teams": teams}))
    })
}

/// `GET /teams/{id}`.
pub(crate) async fn show_team(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let team = numeric_id(&id)
            .and_then(|id| ws.teams.get(&id))
            .ok_or_else(team_not_found)?;
        ok(team_json(team))
    })
}

/// Reads an array of numeric admin ids (`null` counts as empty).
fn id_list(value: Option<&Value>, what: &str) -> Result<Vec<u64>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_u64().ok_or_else(|| {
                    ApiError::invalid(format!("{what} must contain only numeric admin ids"))
                })
            })
            .collect(),
        Some(_) => Err(ApiError::invalid(format!(
            "{what} must be an array of admin ids"
        ))),
    }
}

/// `PUT /teams/{id}` (Preview): sets the complete membership and, partially, priority levels.
pub(crate) async fn update_team(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let team_id = numeric_id(&id)
            .filter(|id| ws.teams.contains_key(id))
            .ok_or_else(team_not_found)?;
        if let Some(name) = query.keys().next() {
            return Err(ApiError::invalid(format!(
                "Send team changes in the request body; the query string parameter {name} is not accepted"
            )));
        }
        let team = ws.teams.get(&team_id).ok_or_else(team_not_found)?;
        check_echoed_fields(team, &body)?;

        let requested = id_list(
            Some(body.get("admin_ids").ok_or_else(|| ApiError::invalid("admin_ids is required"))?),
            "admin_ids",
        )?;
        let mut members = Vec::new();
        for admin in requested {
            if !members.contains(&admin) {
                members.push(admin);
            }
        }
        if members.is_empty() || members.len() > 1000 {
            return Err(ApiError::invalid(
                "admin_ids must contain at least 1 and at most 1000 admin ids",
            ));
        }
        if let Some(unknown) = members.iter().find(|id| !ws.admins.contains_key(id)) {
            return Err(ApiError::invalid(format!(
                "admin_ids names {unknown}, which is not a teammate in this workspace"
            )));
        }

        let (primary, secondary) = match body.get("admin_priority_level") {
            None | Some(Value::Null) => (Vec::new(), Vec::new()),
            Some(Value::Object(levels)) => {
                if let Some(key) = levels
                    .keys()
                    .find(|k| *k != "primary_admin_ids" && *k != "secondary_admin_ids")
                {
                    return Err(ApiError::invalid(format!(
                        "admin_priority_level has no field {key}"
                    )));
                }
                (
                    id_list(levels.get("primary_admin_ids"), "admin_priority_level")?,
                    id_list(levels.get("secondary_admin_ids"), "admin_priority_level")?,
                )
            }
            Some(_) => return Err(ApiError::invalid("admin_priority_level must be an object")),
        };
        for named in primary.iter().chain(&secondary) {
            if !team.admin_ids.contains(named) && !members.contains(named) {
                return Err(ApiError::invalid(format!(
                    "admin_priority_level names {named}, which is on neither the team nor admin_ids"
                )));
            }
        }
        if let Some(twice) = primary.iter().find(|id| secondary.contains(id)) {
            return Err(ApiError::invalid(format!(
                "admin_priority_level gives {twice} more than one priority level"
            )));
        }
        // The description: "`secondary_admin_ids` returns a 400 on any other team", so an
        // empty list is refused too (only leaving the key out, or `null`, is accepted).
        let sends_secondary = body
            .get("admin_priority_level")
            .and_then(|l| l.get("secondary_admin_ids"))
            .is_some_and(|v| !v.is_null());
        if sends_secondary && !team.is_load_balanced() {
            return Err(ApiError::invalid(
                "secondary_admin_ids can only be set on a team whose distribution_method is load_balanced",
            ));
        }
        // A write that would succeed loses a race with another request (`--team-conflicts`).
        if let Some(conflict) = shared.conflicts.take() {
            return Err(conflict);
        }

        // Partial levels: unnamed members keep theirs, newcomers start primary, and levels
        // named for removed members are ignored.
        let mut levels: BTreeSet<u64> = team
            .secondary_admin_ids
            .iter()
            .filter(|id| members.contains(id))
            .copied()
            .collect();
        for id in &primary {
            levels.remove(id);
        }
        levels.extend(secondary.iter().filter(|id| members.contains(id)));

        ws.tick();
        let team = ws.teams.get_mut(&team_id).ok_or_else(team_not_found)?;
        team.admin_ids = members;
        team.secondary_admin_ids = levels;
        ok(team_json(team))
    })
}

/// A team read from the API may be sent back whole: its other fields are accepted while
/// unchanged. Changing one, or sending a field a team does not have, is refused.
fn check_echoed_fields(team: &Team, body: &Map<String, Value>) -> Result<(), ApiError> {
    let current = team_json(team);
    for (key, value) in body {
        match key.as_str() {
            "admin_ids" | "admin_priority_level" => {}
            "type" | "name" | "assignment_limit" | "distribution_method" => {
                if current.get(key) != Some(value) {
                    return Err(changed(key));
                }
            }
            "id" => {
                let same = match value {
                    Value::String(s) => *s == team.id.to_string(),
                    Value::Number(n) => n.as_u64() == Some(team.id),
                    _ => false,
                };
                if !same {
                    return Err(changed(key));
                }
            }
            other => {
                return Err(ApiError::invalid(format!(
                    "Only admin_ids and admin_priority_level can be updated on a team, but the request sent {other}, which is not a field of a team"
                )));
            }
        }
    }
    Ok(())
}

fn changed(field: &str) -> ApiError {
    ApiError::invalid(format!(
        "Only admin_ids and admin_priority_level can be updated on a team, but the request changed {field}"
    ))
}

/// `GET /away_status_reasons` (deleted reasons included).
pub(crate) async fn away_status_reasons(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws
            .away_reasons
            .iter()
            .map(|r| {
                json!({
                    "type": "away_status_reason",
                    "id": r.id.to_string(),
                    "label": r.label,
                    "emoji": r.emoji,
                    "order": r.order,
                    "deleted": r.deleted,
                    "created_at": EPOCH,
                    "updated_at": EPOCH,
                })
            })
            .collect();
        ok(json!({"type": "list", "data": data}))
    })
}
