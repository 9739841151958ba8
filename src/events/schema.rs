//! JSON Schemas of the declared events: for each event, the exact `POST /events` body a sender
//! may post. They say what `check` enforces, minus the clock (a schema cannot know "the
//! future"), so producers can validate in their own pipelines.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::check::{IDENTIFIERS, MAX_STRING_CHARS, MILLIS_THRESHOLD};
use crate::kinds::events::section::{Event as EventDefinition, Metadata, MetadataType};

/// An http(s) URL with a host and no whitespace (what `check::is_http_url` accepts).
pub const LINK_PATTERN: &str = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#][^\s]*$";
/// One `@` with something on both sides (what `check::is_email` accepts).
pub const EMAIL_PATTERN: &str = r"^[^@\s]+@[^@\s]+$";
/// An ISO 4217 code in lower case (what `check::is_currency` accepts).
pub const CURRENCY_PATTERN: &str = "^[a-z]{3}$";
/// Intercom keeps the first 10 metadata keys of an event.
pub const MAX_METADATA_KEYS: usize = 10;

/// The schema of every declared event, keyed by event name.
pub fn event_schemas<'a>(
    events: impl IntoIterator<Item = &'a EventDefinition>,
) -> BTreeMap<String, Value> {
    events
        .into_iter()
        .map(|e| (e.name.clone(), event_schema(e)))
        .collect()
}

/// A file name for an event's schema: `<name>.schema.json`, with characters that are unsafe in
/// file names replaced by `_`.
pub fn file_name(event: &str) -> String {
    let safe: String = event
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    format!("{}.schema.json", if safe.is_empty() { "_" } else { safe })
}

/// The schema of one event's `POST /events` body.
pub fn event_schema(e: &EventDefinition) -> Value {
    let timestamp = |description: &str| {
        json!({
            "type": "integer",
            "minimum": 0,
            "maximum": MILLIS_THRESHOLD - 1,
            "description": description,
        })
    };
    let identifier = |description: &str, pattern: &str| json!({"type": "string", "minLength": 1, "pattern": pattern, "description": description});
    // The declared order: Intercom keeps the first 10 keys as sent.
    let empty = IndexMap::new();
    let declared = e.metadata.as_ref().unwrap_or(&empty);
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (key, m) in declared {
        properties.insert(key.clone(), metadata_schema(m));
        if m.required == Some(true) {
            required.push(key.clone());
        }
    }
    let metadata = json!({
        "type": "object",
        "description": "The declared metadata keys; no others.",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
        "maxProperties": MAX_METADATA_KEYS,
    });
    let mut body_required = vec!["event_name", "created_at"];
    if !required.is_empty() {
        body_required.push("metadata");
    }
    let one_of: Vec<Value> = IDENTIFIERS
        .iter()
        .map(|k| json!({"required": [k]}))
        .collect();
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("POST /events body of event \"{}\"", e.name),
        "description": e.description.clone().unwrap_or_else(|| format!("The event \"{}\".", e.name)),
        "type": "object",
        "properties": {
            "event_name": {"const": e.name, "description": "The declared event name."},
            "created_at": timestamp("When it happened: Unix seconds (UTC), not milliseconds, not in the future."),
            "id": identifier("Intercom's contact id (required for leads).", r"\S"),
            "user_id": identifier("Your user_id of the contact.", r"\S"),
            "email": identifier("The contact's e-mail.", EMAIL_PATTERN),
            "metadata": metadata,
        },
        "required": body_required,
        "oneOf": one_of,
        "additionalProperties": false,
    });
    if let Some(reason) = &e.deprecated {
        schema["deprecated"] = Value::Bool(true);
        schema["description"] = Value::String(format!(
            "{} Deprecated: {reason}",
            schema["description"].as_str().unwrap_or_default()
        ));
    }
    schema
}

fn metadata_schema(m: &Metadata) -> Value {
    let string = || json!({"type": "string", "maxLength": MAX_STRING_CHARS});
    let link = || json!({"type": "string", "pattern": LINK_PATTERN});
    let mut schema = match m.value_type {
        MetadataType::String => string(),
        MetadataType::Number => json!({"type": "number"}),
        MetadataType::Date => json!({
            "type": "integer",
            "minimum": 0,
            "maximum": MILLIS_THRESHOLD - 1,
        }),
        MetadataType::Link => link(),
        MetadataType::RichLink => json!({
            "type": "object",
            "properties": {"url": link(), "value": string()},
            "required": ["url", "value"],
            "additionalProperties": false,
        }),
        MetadataType::Money => json!({
            "type": "object",
            "properties": {
                "amount": {"type": "integer", "description": "In cents."},
                "currency": {"type": "string", "pattern": CURRENCY_PATTERN, "description": "ISO 4217, lower case."},
            },
            "required": ["amount", "currency"],
            "additionalProperties": false,
        }),
    };
    let kind = match m.value_type {
        MetadataType::String => "Text up to 255 characters.",
        MetadataType::Number => "A number.",
        MetadataType::Date => "A Unix timestamp in seconds.",
        MetadataType::Link => "An http(s) URL.",
        MetadataType::RichLink => "A link with a label: {url, value}.",
        MetadataType::Money => "An amount of money: {amount: integer cents, currency}.",
    };
    let mut description = match &m.description {
        Some(d) => format!("{d} ({kind})"),
        None => kind.to_string(),
    };
    if let Some(allowed) = &m.allowed {
        schema["enum"] = json!(allowed);
    }
    if let Some(pattern) = &m.pattern {
        schema["pattern"] = Value::String(pattern.clone());
    }
    if let Some(min) = m.min {
        schema["minimum"] = json!(min);
    }
    if let Some(max) = m.max {
        schema["maximum"] = json!(max);
    }
    if let Some(reason) = &m.deprecated {
        schema["deprecated"] = Value::Bool(true);
        description = format!("{description} Deprecated: {reason}");
    }
    schema["description"] = Value::String(description);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("upgraded-plan"), "upgraded-plan.schema.json");
        assert_eq!(file_name("a/b c"), "a_b_c.schema.json");
        assert_eq!(file_name("../x"), "_x.schema.json");
    }

    #[test]
    fn constraints_and_deprecation_are_in_the_schema() {
        let e: EventDefinition = serde_json::from_value(json!({
            "name": "x", "deprecated": "use y",
            "metadata": {
                "plan": {"type": "string", "enum": ["free", "pro"], "pattern": "^[a-z]+$"},
                "seats": {"type": "number", "min": 1, "max": 500, "deprecated": "count users"}
            }
        }))
        .unwrap();
        let s = event_schema(&e);
        let m = &s["properties"]["metadata"]["properties"];
        assert_eq!(m["plan"]["enum"], json!(["free", "pro"]));
        assert_eq!(m["plan"]["pattern"], "^[a-z]+$");
        assert_eq!(m["seats"]["minimum"], json!(1.0));
        assert_eq!(m["seats"]["maximum"], json!(500.0));
        assert_eq!(m["seats"]["deprecated"], true);
        assert!(m["plan"].get("deprecated").is_none());
        assert_eq!(s["deprecated"], true);
        assert!(
            s["description"]
                .as_str()
                .unwrap()
                .ends_with("Deprecated: use y")
        );
        let validator = jsonschema::validator_for(&s).unwrap();
        let body = |plan: &str, seats: f64| json!({"event_name": "x", "created_at": 1, "id": "1", "metadata": {"plan": plan, "seats": seats}});
        assert!(validator.is_valid(&body("pro", 3.0)));
        assert!(!validator.is_valid(&body("gold", 3.0)));
        assert!(!validator.is_valid(&body("pro", 0.5)));
        assert!(!validator.is_valid(&body("pro", 501.0)));
    }

    #[test]
    fn required_metadata_makes_metadata_required() {
        let e: EventDefinition = serde_json::from_value(json!({
            "name": "x", "metadata": {"plan": {"type": "string", "required": true}}
        }))
        .unwrap();
        let s = event_schema(&e);
        assert_eq!(
            s["required"],
            json!(["event_name", "created_at", "metadata"])
        );
        assert_eq!(s["properties"]["metadata"]["required"], json!(["plan"]));
        assert_eq!(s["properties"]["event_name"]["const"], "x");
    }
}
