//! Read-only references: macros (`/macros`, 2.16+; cursor pages; only those visible to the
//! token's admin) and subscription types (`/subscription_types`, every state listed).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::routes::{ApiError, ApiResult, AppState, numeric_id, ok};
use super::store::{Macro, State as Workspace, SubscriptionType};

/// `per_page` when the request names none, and the most it may ask for.
const MACROS_PER_PAGE: usize = 50;
const MACROS_MAX_PER_PAGE: usize = 150;

/// Unix seconds as Intercom writes macro times (`2025-07-17T11:18:08.000Z`).
fn iso(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_string())
        .unwrap_or_default()
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The `body` Intercom serves: the text as HTML, each `{{key|fallback:"x"}}` placeholder
/// turned into `<attribute key="key" default="x"/>`.
fn html_body(text: &str) -> String {
    let mut out = String::from("<p>");
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&escape(&rest[..start]));
        let inner = &rest[start + 2..start + len];
        let (key, fallback) = match inner.split_once('|') {
            Some((key, f)) => {
                let f = f.trim().trim_start_matches("fallback:").trim();
                (key.trim(), Some(f.trim_matches(|c| c == '"' || c == '\'')))
            }
            None => (inner.trim(), None),
        };
        out.push_str(&format!("<attribute key=\"{}\"", escape(key)));
        if let Some(f) = fallback {
            out.push_str(&format!(" default=\"{}\"", escape(f)));
        }
        out.push_str("/>");
        rest = &rest[start + len + 2..];
    }
    out.push_str(&escape(rest));
    out.push_str("</p>");
    out
}

fn macro_json(m: &Macro) -> Value {
    json!({
        "type": "macro",
        "id": m.id.to_string(),
        "name": m.name,
        "body": html_body(&m.body_text),
        "body_text": m.body_text,
        "created_at": iso(m.created_at),
        "updated_at": iso(m.updated_at),
        "visible_to": m.visible_to,
        "visible_to_team_ids": m.visible_to_team_ids.iter().map(u64::to_string).collect::<Vec<_>>(),
        "available_on": m.available_on,
    })
}

/// Whether the token's admin may see the macro (`everyone`, or a member of one of its teams).
fn visible(ws: &Workspace, m: &Macro) -> bool {
    m.visible_to != "specific_teams"
        || m.visible_to_team_ids.iter().any(|id| {
            ws.teams
                .get(id)
                .is_some_and(|t| t.admin_ids.contains(&ws.me))
        })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The cursor Intercom documents: Base64 of the JSON `[updated_at, "id"]` of a page's last item.
fn cursor(m: &Macro) -> String {
    base64(format!("[{}.0, \"{}\"]", m.updated_at, m.id).as_bytes())
}

/// The `(updated_at, id)` a cursor names.
fn parse_cursor(text: &str) -> Option<(i64, u64)> {
    let raw: Value = serde_json::from_slice(&unbase64(text)?).ok()?;
    let at = raw.get(0)?.as_f64()?;
    let id = raw.get(1)?.as_str()?.parse().ok()?;
    Some((at as i64, id))
}

/// `GET /macros`: newest `updated_at` first, `per_page` (1–150, default 50), a
/// `starting_after` cursor and `updated_since` (Unix seconds).
pub(crate) async fn list_macros(
    State(shared): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let per_page = match query.get("per_page") {
        None => MACROS_PER_PAGE,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MACROS_MAX_PER_PAGE).contains(&n) => n,
            _ => return Err(ApiError::invalid("per_page must be between 1 and 150")),
        },
    };
    let since = match query.get("updated_since") {
        None => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| ApiError::invalid("Invalid updated_since timestamp"))?,
        ),
    };
    let after = match query.get("starting_after") {
        None => None,
        Some(raw) => Some(
            parse_cursor(raw).ok_or_else(|| ApiError::invalid("Invalid starting_after cursor"))?,
        ),
    };
    shared.with_state(|ws| {
        let mut macros: Vec<&Macro> = ws
            .macros
            .iter()
            .filter(|m| visible(ws, m))
            .filter(|m| since.is_none_or(|s| m.updated_at > s))
            .collect();
        macros.sort_by_key(|m| std::cmp::Reverse((m.updated_at, m.id)));
        if let Some(after) = after {
            macros.retain(|m| (m.updated_at, m.id) < after);
        }
        let more = macros.len() > per_page;
        macros.truncate(per_page);
        let next = match macros.last() {
            Some(last) if more => json!({"starting_after": cursor(last)}),
            _ => Value::Null,
        };
        let data: Vec<Value> = macros.into_iter().map(macro_json).collect();
        ok(json!({
            "type": "list",
            "data": data,
            "pages": {"type": "pages", "per_page": per_page, "next": next},
        }))
    })
}

/// `GET /macros/{id}`: 404 `not_found` "Macro not found" for an unknown macro or one the
/// token's admin may not see.
pub(crate) async fn show_macro(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    shared.with_state(|ws| {
        let found = numeric_id(&id)
            .and_then(|id| ws.macros.iter().find(|m| m.id == id))
            .filter(|m| visible(ws, m))
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "not_found", "Macro not found"))?;
        ok(macro_json(found))
    })
}

fn subscription_type_json(t: &SubscriptionType) -> Value {
    let translations: Vec<Value> = t
        .translations
        .iter()
        .map(|tr| json!({"name": tr.name, "description": tr.description, "locale": tr.locale}))
        .collect();
    json!({
        "type": "subscription",
        "id": t.id.to_string(),
        "state": t.state,
        "consent_type": t.consent_type,
        "default_translation": translations.first().cloned().unwrap_or(Value::Null),
        "translations": translations,
        "content_types": t.content_types,
    })
}

/// `GET /subscription_types` (every state, no pagination).
pub(crate) async fn list_subscription_types(State(shared): State<AppState>) -> ApiResult {
    shared.with_state(|ws| {
        let data: Vec<Value> = ws
            .subscription_types
            .iter()
            .map(subscription_type_json)
            .collect();
        ok(json!({"type": "list", "data": data}))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_match_intercoms_example() {
        // The description's example cursor.
        assert_eq!(
            base64(b"[1719493757.0, \"123\"]"),
            "WzE3MTk0OTM3NTcuMCwgIjEyMyJd"
        );
        assert_eq!(
            parse_cursor("WzE3MTk0OTM3NTcuMCwgIjEyMyJd"),
            Some((1_719_493_757, 123))
        );
        assert_eq!(unbase64(&base64(b"ab")).unwrap(), b"ab");
        assert_eq!(parse_cursor("!!"), None);
    }

    #[test]
    fn placeholders_become_attribute_elements() {
        assert_eq!(
            html_body("Hi {{user.name|fallback:\"there\"}} & {{app.id}}"),
            "<p>Hi <attribute key=\"user.name\" default=\"there\"/> &amp; <attribute key=\"app.id\"/></p>"
        );
    }
}
