//! Contacts and their events: `GET /contacts` (cursor pages) and `POST /events` (202,
//! de-duplicated on contact + event name + `created_at`, recorded in the stats).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::routes::{ApiError, ApiResult, AppState, json_object, ok};
use super::store::Contact;

/// Intercom's default and maximum page sizes for contacts.
const DEFAULT_PER_PAGE: usize = 50;
const MAX_PER_PAGE: usize = 150;

/// Intercom only keeps the first 10 metadata keys of an event.
const MAX_METADATA_KEYS: usize = 10;

fn sub_list(contact: &Contact, path: &str) -> Value {
    json!({
        "type": "list",
        "data": [],
        "url": format!("/contacts/{}/{path}", contact.id),
        "total_count": 0,
        "has_more": false,
    })
}

fn contact_json(workspace_id: &str, c: &Contact) -> Value {
    let mut out = json!({
        "type": "contact",
        "id": c.id,
        "workspace_id": workspace_id,
        "external_id": c.external_id,
        "role": c.role,
        "email": c.email,
        "email_domain": c.email.as_deref().and_then(|e| e.split_once('@')).map(|(_, d)| d),
        "phone": null,
        "name": c.name,
        "avatar": null,
        "owner_id": null,
        "social_profiles": {"type": "list", "data": []},
        "has_hard_bounced": false,
        "marked_email_as_spam": false,
        "unsubscribed_from_emails": false,
        "created_at": c.created_at,
        "updated_at": c.created_at,
        "signed_up_at": if c.role == "user" { Some(c.created_at) } else { None },
        "last_seen_at": null,
        "last_replied_at": null,
        "last_contacted_at": null,
        "last_email_opened_at": null,
        "last_email_clicked_at": null,
        "language_override": null,
        "browser": null,
        "browser_version": null,
        "browser_language": null,
        "os": null,
        "location": {
            "type": "location",
            "country": null,
            "region": null,
            "city": null,
            "country_code": null,
            "continent_code": null,
        },
    });
    // Split in two: one `json!` this size exceeds the macro recursion limit.
    let devices = json!({
        "android_app_name": null,
        "android_app_version": null,
        "android_device": null,
        "android_os_version": null,
        "android_sdk_version": null,
        "android_last_seen_at": null,
        "ios_app_name": null,
        "ios_app_version": null,
        "ios_device": null,
        "ios_os_version": null,
        "ios_sdk_version": null,
        "ios_last_seen_at": null,
    });
    let rest = json!({
        "custom_attributes": {},
        "tags": sub_list(c, "tags"),
        "notes": sub_list(c, "notes"),
        "companies": sub_list(c, "companies"),
        "opted_out_subscription_types": sub_list(c, "subscriptions"),
        "opted_in_subscription_types": sub_list(c, "subscriptions"),
        "utm_campaign": null,
        "utm_content": null,
        "utm_medium": null,
        "utm_source": null,
        "utm_term": null,
        "referrer": null,
    });
    for part in [devices, rest] {
        if let (Some(out), Value::Object(part)) = (out.as_object_mut(), part) {
            out.extend(part);
        }
    }
    out
}

/// `GET /contacts?per_page=&starting_after=`: cursor pages; the cursor is the last contact id
/// of the previous page.
pub(crate) async fn list(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let per_page = match query.get("per_page") {
        None => DEFAULT_PER_PAGE,
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| ApiError::invalid("per_page must be a positive integer"))?
            .clamp(1, MAX_PER_PAGE),
    };
    shared.with_state(|ws| {
        let start = match query.get("starting_after") {
            None => 0,
            Some(cursor) => {
                ws.contacts
                    .iter()
                    .position(|c| c.id == *cursor)
                    .ok_or_else(|| ApiError::invalid("starting_after is not a valid cursor"))?
                    + 1
            }
        };
        let total = ws.contacts.len();
        let page_contacts: Vec<&Contact> = ws.contacts.iter().skip(start).take(per_page).collect();
        let data: Vec<Value> = page_contacts
            .iter()
            .map(|c| contact_json(&ws.app.id_code, c))
            .collect();
        let page = start / per_page + 1;
        let mut pages = json!({
            "type": "pages",
            "page": page,
            "per_page": per_page,
            "total_pages": total.div_ceil(per_page),
        });
        if start + per_page < total
            && let Some(last) = page_contacts.last()
        {
            pages["next"] =
                json!({"page": page + 1, "per_page": per_page, "starting_after": last.id});
        }
        ok(json!({"type": "list", "data": data, "total_count": total, "pages": pages}))
    })
}

/// `POST /events`: 202 with an empty body. Exactly one of `id`, `user_id`, `email` names the
/// contact; an unknown contact is 404. A repeat of (contact, event name, created_at) is
/// accepted but not recorded again.
pub(crate) async fn submit_event(State(shared): State<AppState>, body: Bytes) -> ApiResult {
    let body = json_object(&body)?;
    let event_name = match body.get("event_name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => {
            return Err(ApiError::invalid(
                "event_name is required and must be a string",
            ));
        }
    };
    let created_at = body
        .get("created_at")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::invalid("created_at is required and must be a Unix timestamp"))?;
    let identifiers: Vec<(&str, &str)> = ["id", "user_id", "email"]
        .into_iter()
        .filter_map(|key| body.get(key).and_then(Value::as_str).map(|v| (key, v)))
        .collect();
    let [(key, value)] = identifiers.as_slice() else {
        return Err(ApiError::invalid(
            "Exactly one of id, user_id or email must identify the contact",
        ));
    };
    let metadata_keys: Vec<String> = match body.get("metadata") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(m)) => m.keys().take(MAX_METADATA_KEYS).cloned().collect(),
        Some(_) => return Err(ApiError::invalid("metadata must be an object")),
    };
    let duplicate = shared.with_state(|ws| {
        let contact = ws
            .contacts
            .iter()
            .find(|c| match *key {
                "id" => c.id == *value,
                "user_id" => c.external_id.as_deref() == Some(*value),
                _ => c
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(value)),
            })
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "User Not Found"))?;
        let occurrence = (contact.id.clone(), event_name.clone(), created_at);
        Ok::<bool, ApiError>(!ws.events.insert(occurrence))
    })?;
    shared.with_stats(|s| {
        s.events_received += 1;
        if duplicate {
            s.events_deduplicated += 1;
        }
        s.event_names
            .entry(event_name)
            .or_default()
            .extend(metadata_keys);
    });
    Ok(StatusCode::ACCEPTED.into_response())
}

/// `GET /events?type=user&(user_id=|email=|intercom_user_id=)&summary=true`: the contact's
/// event names with counts and first/last times (ISO 8601, as Intercom writes them), from the
/// events the sandbox recorded (duplicates not counted). Intercom has no metadata in a
/// summary; the sandbox has no event descriptions (a UI-only field), so it leaves them out.
/// Only the summary is served: the listing of single events is not emulated.
pub(crate) async fn events_summary(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    if query.get("type").map(String::as_str) != Some("user") {
        return Err(ApiError::invalid("type must be user"));
    }
    if query.get("summary").map(String::as_str) != Some("true") {
        return Err(ApiError::invalid(
            "the sandbox serves GET /events with summary=true only",
        ));
    }
    let identifiers: Vec<(&str, &String)> = ["intercom_user_id", "user_id", "email"]
        .into_iter()
        .filter_map(|k| query.get(k).map(|v| (k, v)))
        .collect();
    let [(key, value)] = identifiers.as_slice() else {
        return Err(ApiError::invalid(
            "Exactly one of intercom_user_id, user_id or email must identify the contact",
        ));
    };
    shared.with_state(|ws| {
        let contact = ws
            .contacts
            .iter()
            .find(|c| match *key {
                "intercom_user_id" => c.id == **value,
                "user_id" => c.external_id.as_deref() == Some(value.as_str()),
                _ => c
                    .email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(value)),
            })
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "User Not Found"))?;
        // (count, first, last) per name, in name order.
        let mut by_name: std::collections::BTreeMap<&str, (u64, i64, i64)> = Default::default();
        for (id, name, at) in &ws.events {
            if *id == contact.id {
                let e = by_name.entry(name).or_insert((0, *at, *at));
                e.0 += 1;
                e.1 = e.1.min(*at);
                e.2 = e.2.max(*at);
            }
        }
        let events: Vec<Value> = by_name
            .into_iter()
            .map(|(name, (count, first, last))| {
                json!({"name": name, "first": iso_time(first), "last": iso_time(last), "count": count})
            })
            .collect();
        ok(json!({
            "type": "event.summary",
            "email": contact.email.clone().unwrap_or_default(),
            "intercom_user_id": contact.id,
            "user_id": contact.external_id.clone().unwrap_or_default(),
            "events": events,
        }))
    })
}

/// `2014-01-16T23:12:21.000+00:00`, the form of Intercom's event summaries.
fn iso_time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S.000+00:00").to_string())
        .unwrap_or_default()
}
