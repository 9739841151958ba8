//! Office hours (2.16+): schedules (`/office_hours_schedules`) whose intervals count minutes
//! from Monday 00:00 (0..=10080, on 15-minute boundaries), and their dated exceptions
//! (`…/office_hours_exceptions`, minutes from midnight, 0..=1440). Creates answer 201,
//! deletes answer `{id, object, deleted: true}`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::routes::{ApiError, ApiResult, AppState, json_object, json_response, numeric_id, ok};
use super::store::{Exception, Interval, Schedule, State as Workspace};

const WEEK_MINUTES: i64 = 7 * 1440;
const DAY_MINUTES: i64 = 1440;

fn object_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "Object not found")
}

fn data_invalid(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable("data_invalid", message)
}

fn interval_json(i: &Interval, day_of_week: i64) -> Value {
    json!({
        "start_minute": i.start_minute,
        "end_minute": i.end_minute,
        "day_of_week": day_of_week,
    })
}

fn schedule_json(s: &Schedule) -> Value {
    let intervals: Vec<Value> = s
        .time_intervals
        .iter()
        .map(|i| interval_json(i, i.start_minute / DAY_MINUTES))
        .collect();
    // Read-only: true when the intervals cover the whole week.
    let twenty_four_seven = s
        .time_intervals
        .iter()
        .map(|i| i.end_minute - i.start_minute)
        .sum::<i64>()
        == WEEK_MINUTES;
    json!({
        "type": "office_hours_schedule",
        "id": s.id.to_string(),
        "name": s.name,
        "time_zone_name": s.time_zone_name,
        "time_intervals": intervals,
        "twenty_four_seven": twenty_four_seven,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    })
}

/// Monday = 0 … Sunday = 6 for a `YYYY-MM-DD` date.
fn weekday(date: &str) -> Option<i64> {
    let date: jiff::civil::Date = date.parse().ok()?;
    Some(i64::from(date.weekday().to_monday_zero_offset()))
}

fn exception_json(e: &Exception) -> Value {
    let day = weekday(&e.exception_date).unwrap_or(0);
    let intervals = e.time_intervals.as_ref().map(|list| {
        list.iter()
            .map(|i| interval_json(i, day))
            .collect::<Vec<_>>()
    });
    json!({
        "type": "office_hours_exception",
        "id": e.id.to_string(),
        "office_hours_schedule_id": e.schedule_id.to_string(),
        "exception_date": e.exception_date,
        "exception_type": e.exception_type,
        "name": e.name,
        "time_intervals": intervals,
        "recurring_annually": e.recurring_annually,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

/// Reads and checks intervals: integers, `0 <= start < end <= max`, multiples of 15, no
/// overlaps. Returns them sorted.
fn parse_intervals(value: &Value, max: i64) -> Result<Vec<Interval>, ApiError> {
    let Value::Array(items) = value else {
        return Err(data_invalid("time_intervals must be an array"));
    };
    let mut out = Vec::new();
    for item in items {
        let minute = |key: &str| {
            item.get(key)
                .and_then(Value::as_i64)
                .ok_or_else(|| data_invalid(format!("time_intervals: {key} must be an integer")))
        };
        let (start, end) = (minute("start_minute")?, minute("end_minute")?);
        if start < 0 || end > max || start >= end {
            return Err(data_invalid(format!(
                "time_intervals: need 0 <= start_minute < end_minute <= {max}, got {start}..{end}"
            )));
        }
        // An assumption: the description derives one `day_of_week` per interval, so an
        // interval of a weekly schedule that spans midnight is refused.
        if max == WEEK_MINUTES && start / DAY_MINUTES != (end - 1) / DAY_MINUTES {
            return Err(data_invalid(format!(
                "time_intervals: an interval must lie within one day, got {start}..{end}"
            )));
        }
        if start % 15 != 0 || end % 15 != 0 {
            return Err(data_invalid(format!(
                "time_intervals: start_minute and end_minute must be on a 15-minute boundary, got {start}..{end}"
            )));
        }
        out.push(Interval {
            start_minute: start,
            end_minute: end,
        });
    }
    out.sort();
    if out.windows(2).any(|w| w[0].end_minute > w[1].start_minute) {
        return Err(data_invalid("time_intervals must not overlap"));
    }
    Ok(out)
}

fn text(body: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match body.get(key) {
        None => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(data_invalid(format!("{key} must be a non-empty string"))),
    }
}

fn time_zone(body: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    match text(body, "time_zone_name")? {
        None => Ok(None),
        Some(name) => {
            let tz = jiff::tz::TimeZone::get(&name)
                .map_err(|_| data_invalid(format!("{name} is not an IANA time zone name")))?;
            Ok(Some(tz.iana_name().unwrap_or(&name).to_string()))
        }
    }
}

fn only_fields(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match body.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(data_invalid(format!("{key} cannot be set"))),
        None => Ok(()),
    }
}

const SCHEDULE_FIELDS: &[&str] = &["name", "time_zone_name", "time_intervals"];

/// `GET /office_hours_schedules`.
pub(crate) async fn list(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws.schedules.values().map(schedule_json).collect();
        ok(json!({"type": "office_hours_schedule.list", "data": data}))
    })
}

fn schedule_id(ws: &Workspace, raw: &str) -> Result<u64, ApiError> {
    numeric_id(raw)
        .filter(|id| ws.schedules.contains_key(id))
        .ok_or_else(object_not_found)
}

/// `GET /office_hours_schedules/{id}`.
pub(crate) async fn show(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = schedule_id(ws, &id)?;
        ok(schedule_json(&ws.schedules[&id]))
    })
}

/// `POST /office_hours_schedules` → 201.
pub(crate) async fn create(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    only_fields(&body, SCHEDULE_FIELDS)?;
    let name = text(&body, "name")?.ok_or_else(|| data_invalid("name is required"))?;
    let tz = time_zone(&body)?.ok_or_else(|| data_invalid("time_zone_name is required"))?;
    let intervals = parse_intervals(
        body.get("time_intervals")
            .ok_or_else(|| data_invalid("time_intervals is required"))?,
        WEEK_MINUTES,
    )?;
    shared.with_state(|ws| {
        let id = ws.next_id();
        let now = ws.tick();
        let schedule = Schedule {
            id,
            name,
            time_zone_name: tz,
            time_intervals: intervals,
            created_at: now,
            updated_at: now,
        };
        let out = schedule_json(&schedule);
        ws.schedules.insert(id, schedule);
        Ok(json_response(StatusCode::CREATED, out))
    })
}

/// `PUT /office_hours_schedules/{id}`: only the fields sent change.
pub(crate) async fn update(
    State(shared): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let id = schedule_id(ws, &id)?;
        only_fields(&body, SCHEDULE_FIELDS)?;
        let name = text(&body, "name")?;
        let tz = time_zone(&body)?;
        let intervals = body
            .get("time_intervals")
            .map(|v| parse_intervals(v, WEEK_MINUTES))
            .transpose()?;
        let now = ws.tick();
        let s = ws.schedules.get_mut(&id).ok_or_else(object_not_found)?;
        if let Some(name) = name {
            s.name = name;
        }
        if let Some(tz) = tz {
            s.time_zone_name = tz;
        }
        if let Some(intervals) = intervals {
            s.time_intervals = intervals;
        }
        s.updated_at = now;
        ok(schedule_json(s))
    })
}

/// `DELETE /office_hours_schedules/{id}` (its exceptions go with it).
pub(crate) async fn delete(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult {
    shared.with_state(|ws| {
        let id = schedule_id(ws, &id)?;
        ws.tick();
        ws.schedules.remove(&id);
        ws.exceptions.retain(|_, e| e.schedule_id != id);
        ok(json!({"id": id.to_string(), "object": "office_hours_schedule", "deleted": true}))
    })
}

const EXCEPTION_FIELDS: &[&str] = &[
    "exception_date",
    "exception_type",
    "name",
    "time_intervals",
    "recurring_annually",
];

fn exception_id(ws: &Workspace, schedule: u64, raw: &str) -> Result<u64, ApiError> {
    numeric_id(raw)
        .filter(|id| {
            ws.exceptions
                .get(id)
                .is_some_and(|e| e.schedule_id == schedule)
        })
        .ok_or_else(object_not_found)
}

/// `GET …/office_hours_exceptions`.
pub(crate) async fn list_exceptions(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let id = schedule_id(ws, &id)?;
        let data: Vec<Value> = ws
            .exceptions
            .values()
            .filter(|e| e.schedule_id == id)
            .map(exception_json)
            .collect();
        ok(json!({"type": "office_hours_exception.list", "data": data}))
    })
}

/// `GET …/office_hours_exceptions/{id}`.
pub(crate) async fn show_exception(
    State(shared): State<AppState>,
    Path((schedule, id)): Path<(String, String)>,
) -> ApiResult {
    shared.with_state(|ws| {
        let schedule = schedule_id(ws, &schedule)?;
        let id = exception_id(ws, schedule, &id)?;
        ok(exception_json(&ws.exceptions[&id]))
    })
}

/// Applies the fields in `body` to `e` and checks the result as a whole.
fn apply_exception(
    ws: &Workspace,
    e: &mut Exception,
    body: &Map<String, Value>,
) -> Result<(), ApiError> {
    only_fields(body, EXCEPTION_FIELDS)?;
    if let Some(value) = body.get("exception_date") {
        let date = value
            .as_str()
            .filter(|d| d.len() == 10 && weekday(d).is_some())
            .ok_or_else(|| data_invalid("exception_date must be a date written YYYY-MM-DD"))?;
        e.exception_date = date.to_string();
    }
    if let Some(value) = body.get("exception_type") {
        match value.as_str() {
            Some(t @ ("closed" | "custom_hours")) => e.exception_type = t.to_string(),
            _ => {
                return Err(data_invalid(
                    "exception_type must be closed or custom_hours",
                ));
            }
        }
    }
    match body.get("name") {
        None => {}
        Some(Value::Null) => e.name = None,
        Some(Value::String(s)) => e.name = Some(s.clone()),
        Some(_) => return Err(data_invalid("name must be a string")),
    }
    match body.get("recurring_annually") {
        None => {}
        Some(Value::Bool(b)) => e.recurring_annually = *b,
        Some(_) => return Err(data_invalid("recurring_annually must be a boolean")),
    }
    match body.get("time_intervals") {
        None => {}
        Some(Value::Null) => e.time_intervals = None,
        Some(value) => {
            let intervals = parse_intervals(value, DAY_MINUTES)?;
            e.time_intervals = (!intervals.is_empty()).then_some(intervals);
        }
    }
    if e.exception_type == "closed" {
        if body
            .get("time_intervals")
            .is_some_and(|v| v.as_array().is_some_and(|a| !a.is_empty()))
        {
            return Err(data_invalid(
                "time_intervals must be omitted when exception_type is closed",
            ));
        }
        e.time_intervals = None;
    } else if e.time_intervals.is_none() {
        return Err(data_invalid(
            "time_intervals are required when exception_type is custom_hours",
        ));
    }
    let clash = ws.exceptions.values().any(|other| {
        other.id != e.id
            && other.schedule_id == e.schedule_id
            && other.exception_date == e.exception_date
    });
    if clash {
        return Err(data_invalid(format!(
            "This schedule already has an exception on {}",
            e.exception_date
        )));
    }
    Ok(())
}

/// `POST …/office_hours_exceptions` → 201.
pub(crate) async fn create_exception(
    State(shared): State<AppState>,
    Path(schedule): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let schedule = schedule_id(ws, &schedule)?;
        for required in ["exception_date", "exception_type"] {
            if !body.contains_key(required) {
                return Err(data_invalid(format!("{required} is required")));
            }
        }
        let mut e = Exception {
            id: 0,
            schedule_id: schedule,
            exception_date: String::new(),
            exception_type: String::new(),
            name: None,
            time_intervals: None,
            recurring_annually: false,
            created_at: 0,
            updated_at: 0,
        };
        apply_exception(ws, &mut e, &body)?;
        e.id = ws.next_id();
        let now = ws.tick();
        e.created_at = now;
        e.updated_at = now;
        let out = exception_json(&e);
        ws.exceptions.insert(e.id, e);
        Ok(json_response(StatusCode::CREATED, out))
    })
}

/// `PUT …/office_hours_exceptions/{id}`: only the fields sent change.
pub(crate) async fn update_exception(
    State(shared): State<AppState>,
    Path((schedule, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let body = json_object(&body)?;
    shared.with_state(|ws| {
        let schedule = schedule_id(ws, &schedule)?;
        let id = exception_id(ws, schedule, &id)?;
        let mut e = ws.exceptions[&id].clone();
        apply_exception(ws, &mut e, &body)?;
        e.updated_at = ws.tick();
        let out = exception_json(&e);
        ws.exceptions.insert(id, e);
        ok(out)
    })
}

/// `DELETE …/office_hours_exceptions/{id}`.
pub(crate) async fn delete_exception(
    State(shared): State<AppState>,
    Path((schedule, id)): Path<(String, String)>,
) -> ApiResult {
    shared.with_state(|ws| {
        let schedule = schedule_id(ws, &schedule)?;
        let id = exception_id(ws, schedule, &id)?;
        ws.tick();
        ws.exceptions.remove(&id);
        ok(json!({"id": id.to_string(), "object": "office_hours_exception", "deleted": true}))
    })
}
