//! The JSON Schema of the configuration language, generated from the types in `types`, and
//! schema validation of one file's JSON with friendly, located messages.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::source::Node;
use super::types::ConfigFile;

/// The configuration schema (JSON Schema draft-07, which every yaml-language-server accepts).
pub fn config_schema() -> Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<ConfigFile>();
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    // `tags:` with nothing after it is read as "not declared" before validation, so the schema
    // need not admit null, and errors inside an optional field stay specific instead of
    // becoming "not valid under anyOf".
    strip_null(&mut value);
    // A section's `$ref` with a description comes out as a one-branch `allOf`; editors show
    // the description either way, and the plain `$ref` is what the schema always had.
    if let Some(Value::Object(sections)) = value.get_mut("properties") {
        sections.values_mut().for_each(unwrap_single_all_of);
    }
    if let Value::Object(o) = &mut value {
        o.insert(
            "$id".into(),
            Value::String("https://intercom-iac.dev/schemas/intercom-iac.schema.json".into()),
        );
    }
    value
}

/// Replaces a property's `allOf: [{$ref}]` (one branch, only a reference) by the `$ref`.
fn unwrap_single_all_of(v: &mut Value) {
    let Value::Object(o) = v else { return };
    let single = match o.get("allOf") {
        Some(Value::Array(branches)) if branches.len() == 1 => branches[0]
            .as_object()
            .filter(|b| b.len() == 1)
            .and_then(|b| b.get("$ref"))
            .cloned(),
        _ => None,
    };
    if let Some(reference) = single {
        o.remove("allOf");
        o.insert("$ref".into(), reference);
    }
}

/// Removes the `null` alternative that schemars adds for every `Option`.
fn strip_null(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(types)) = o.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types[0].clone();
                    o.insert("type".into(), only);
                }
            }
            let any_of = o.get("anyOf").and_then(Value::as_array).cloned();
            if let Some(branches) = any_of {
                let rest: Vec<Value> = branches
                    .into_iter()
                    .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                if rest.len() == 1 {
                    o.remove("anyOf");
                    if let Value::Object(inner) = &rest[0] {
                        for (k, val) in inner {
                            o.entry(k.clone()).or_insert_with(|| val.clone());
                        }
                    }
                } else {
                    o.insert("anyOf".into(), Value::Array(rest));
                }
            }
            for (_, child) in o.iter_mut() {
                strip_null(child);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_null),
        _ => {}
    }
}

/// The schema as committed in `schemas/`, pretty-printed with a final newline.
pub fn config_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&config_schema()).unwrap_or_default();
    s.push('\n');
    s
}

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(&config_schema())
            .expect("the generated configuration schema is a valid JSON Schema")
    })
}

/// Validates one file's JSON against the schema; one diagnostic per offending node.
pub fn validate(file: &str, root: &Node, instance: &Value) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for err in validator().iter_errors(instance) {
        let pointer = err.instance_path().as_str().to_string();
        // jsonschema may report several keywords for one node (e.g. type and enum): keep one
        // problem with the value, but every missing and every unknown key.
        let class = match err.kind() {
            ValidationErrorKind::Required { property } => format!("{pointer} required {property}"),
            ValidationErrorKind::AdditionalProperties { .. } => format!("{pointer} additional"),
            _ => format!("{pointer} value"),
        };
        if seen.contains(&class) {
            continue;
        }
        seen.push(class);
        let node = root.locate(&pointer);
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    let pos = node.key_pos(key).unwrap_or(node.pos);
                    let mut d = unknown_key(file, pos, &pointer, key);
                    d.pointer = Some(format!(
                        "{pointer}/{}",
                        key.replace('~', "~0").replace('/', "~1")
                    ));
                    out.push(d);
                }
            }
            _ => {
                let (message, help) = describe(&err, &pointer);
                let mut d = Diagnostic::error(file, Some(node.pos), message);
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                d.pointer = Some(pointer);
                out.push(d);
            }
        }
    }
    out
}

fn unknown_key(file: &str, pos: super::source::Position, pointer: &str, key: &str) -> Diagnostic {
    let allowed = allowed_keys(pointer);
    let at = display_path(pointer);
    let d = Diagnostic::error(file, Some(pos), format!("unknown key `{key}` in {at}"));
    if key == "renamed_from" && pointer.starts_with("/data_attributes") {
        return d.with_help(
            "Intercom cannot rename data attributes; create a new attribute and archive the old one",
        );
    }
    let suggestion = crate::config::did_you_mean(key, allowed.iter().map(String::as_str));
    match (suggestion, allowed.is_empty()) {
        (Some(s), _) => d.with_help(format!("did you mean `{s}`?")),
        (None, false) => d.with_help(format!("expected one of: {}", allowed.join(", "))),
        (None, true) => d,
    }
}

/// A pointer as a readable path: `/teams/1/members` → `teams[1].members`; "" → the top level.
pub fn display_path(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the top level".to_string();
    }
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// The (resolved) schema that applies at an instance pointer.
fn schema_at(schema: &Value, pointer: &str) -> Option<Value> {
    let mut node = schema;
    for seg in pointer.split('/').skip(1) {
        node = resolve(schema, node);
        node = if seg.parse::<usize>().is_ok() {
            node.get("items")?
        } else {
            node.get("properties")
                .and_then(|p| p.get(seg))
                .or_else(|| node.get("additionalProperties"))?
        };
    }
    Some(resolve(schema, node).clone())
}

/// The property names the schema allows at an instance pointer.
fn allowed_keys(pointer: &str) -> Vec<String> {
    schema_at(&config_schema(), pointer)
        .and_then(|n| n.get("properties").and_then(Value::as_object).cloned())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The allowed values at a pointer whose schema is an enum or a `oneOf` of constants.
fn allowed_values(pointer: &str) -> Option<Value> {
    let node = schema_at(&config_schema(), pointer)?;
    if let Some(e) = node.get("enum") {
        return Some(e.clone());
    }
    let consts: Option<Vec<Value>> = node
        .get("oneOf")?
        .as_array()?
        .iter()
        .map(|b| b.get("const").cloned())
        .collect();
    consts.map(Value::Array)
}

fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    // schemars writes a documented reference as `allOf: [{$ref}]` in draft-07.
    for _ in 0..16 {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            match root.pointer(r.trim_start_matches('#')) {
                Some(n) => node = n,
                None => break,
            }
        } else if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
        } else {
            break;
        }
    }
    node
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn type_name(t: &jsonschema::JsonType) -> &'static str {
    use jsonschema::JsonType as J;
    match t {
        J::Array => "a list",
        J::Boolean => "a boolean (true or false)",
        J::Integer => "an integer",
        J::Null => "nothing",
        J::Number => "a number",
        J::Object => "a mapping",
        J::String => "text",
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn describe(err: &ValidationError<'_>, pointer: &str) -> (String, Option<String>) {
    let at = display_path(pointer);
    let found = err.instance();
    match err.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => type_name(t).to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| type_name(&t))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let help = if expected == "text" && !matches!(found.as_ref(), Value::Null) {
                Some("quote the value to make it text".to_string())
            } else {
                None
            };
            (
                format!("{at} must be {expected}, found {}", json_type(found)),
                help,
            )
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            (
                format!("{at} is missing the required key `{name}`"),
                Some(format!("add `{name}: …`")),
            )
        }
        ValidationErrorKind::Enum { .. } if pointer == "/version" => (
            format!("unsupported configuration version {}", short(found)),
            Some(
                "this intercom-iac reads version 1; write `version: 1` or leave it out".to_string(),
            ),
        ),
        ValidationErrorKind::Enum { options } => enum_message(&at, found, options),
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            match allowed_values(pointer) {
                Some(options) => enum_message(&at, found, &options),
                None => (format!("{at}: {err}"), None),
            }
        }
        ValidationErrorKind::MinLength { limit } if *limit == 1 => {
            (format!("{at} must not be empty"), None)
        }
        ValidationErrorKind::Format { format } if format == "email" => (
            format!("{at}: {} is not an e-mail address", short(found)),
            Some("teammates are named by their e-mail address".to_string()),
        ),
        ValidationErrorKind::Pattern { .. } if pointer.ends_with("/date") => (
            format!("{at}: {} is not a date", short(found)),
            Some("write the date as YYYY-MM-DD".to_string()),
        ),
        _ => (format!("{at}: {err}"), None),
    }
}

fn enum_message(at: &str, found: &Value, options: &Value) -> (String, Option<String>) {
    let list: Vec<String> = options
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let help = found
        .as_str()
        .and_then(|f| crate::config::did_you_mean(f, list.iter().map(String::as_str)))
        .map_or_else(
            || format!("expected one of: {}", list.join(", ")),
            |s| format!("did you mean `{s}`? expected one of: {}", list.join(", ")),
        );
    (
        format!("{at}: {} is not allowed here", short(found)),
        Some(help),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_yaml() {
        assert_eq!(display_path("/teams/1/members"), "teams[1].members");
        assert_eq!(display_path(""), "the top level");
        assert_eq!(
            display_path("/office_hours/0/hours/mon-fri"),
            "office_hours[0].hours.mon-fri"
        );
    }

    #[test]
    fn allowed_keys_follow_refs() {
        let keys = allowed_keys("/teams/0");
        assert_eq!(keys, vec!["name", "members", "secondary"]);
        assert!(allowed_keys("").contains(&"data_attributes".to_string()));
        assert!(allowed_keys("/data_attributes/contact/3").contains(&"options".to_string()));
    }
}
