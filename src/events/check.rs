//! One event line against the contract: the rules of a `POST /events` body (name, timestamp,
//! exactly one contact identifier) and of the declared event's metadata, with one message per
//! problem. `events validate` reports these messages; `events send` sends what passes.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::config::did_you_mean;
use crate::intercom::{Event, EventUser};
use crate::kinds::events::section::{Event as EventDefinition, Metadata, MetadataType};

/// Intercom keeps at most this many characters of a string value.
pub const MAX_STRING_CHARS: usize = 255;
/// Timestamps at or above this (year 5138 in seconds) are milliseconds sent by mistake.
pub const MILLIS_THRESHOLD: i64 = 100_000_000_000;
/// How far in the future `created_at` may be, for clocks that are a little ahead.
pub const FUTURE_TOLERANCE_SECS: i64 = 300;
/// The fields of a `POST /events` body.
pub const BODY_FIELDS: [&str; 6] = [
    "event_name",
    "created_at",
    "id",
    "user_id",
    "email",
    "metadata",
];
/// The contact identifiers, of which a body has exactly one.
pub const IDENTIFIERS: [&str; 3] = ["id", "user_id", "email"];

/// The declared events, by name, and the clock that decides what "the future" is.
#[derive(Debug, Clone)]
pub struct Contract {
    events: BTreeMap<String, EventDefinition>,
    /// The compiled `pattern` of each (event, key) that has a valid one.
    patterns: BTreeMap<(String, String), regex::Regex>,
    now: i64,
    deny_warnings: bool,
}

/// What one line turned out to be.
#[derive(Debug)]
pub struct Checked {
    /// The line's `event_name`, when it has one (declared or not).
    pub name: Option<String>,
    /// Whether that name is a declared event.
    pub declared: bool,
    /// The event to send, or every problem found.
    pub outcome: Result<Event, Vec<String>>,
    /// Uses of deprecated events and keys (problems instead, under `--deny-warnings`).
    pub warnings: Vec<String>,
}

impl Contract {
    /// The contract of these declared events; `now` is Unix seconds.
    pub fn new<'a>(events: impl IntoIterator<Item = &'a EventDefinition>, now: i64) -> Contract {
        let events: BTreeMap<String, EventDefinition> = events
            .into_iter()
            .map(|e| (e.name.clone(), e.clone()))
            .collect();
        // The configuration check refuses an invalid pattern, so none is skipped here in practice.
        let patterns = events
            .values()
            .flat_map(|e| {
                e.metadata.iter().flatten().filter_map(|(key, m)| {
                    let r = regex::Regex::new(m.pattern.as_deref()?).ok()?;
                    Some(((e.name.clone(), key.clone()), r))
                })
            })
            .collect();
        Contract {
            events,
            patterns,
            now,
            deny_warnings: false,
        }
    }

    /// Uses of deprecated events and keys become problems, not warnings.
    pub fn deny_warnings(mut self, deny: bool) -> Contract {
        self.deny_warnings = deny;
        self
    }

    /// The declared event names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.events.keys().map(String::as_str)
    }

    /// Checks one line (without its line break).
    pub fn check(&self, line: &str) -> Checked {
        let body = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(body)) => body,
            Ok(other) => {
                return Checked::invalid(
                    None,
                    false,
                    format!("an event must be a JSON object, not {}", describe(&other)),
                );
            }
            Err(e) => return Checked::invalid(None, false, json_error(&e)),
        };
        self.check_body(body)
    }

    fn check_body(&self, mut body: Map<String, Value>) -> Checked {
        let mut problems = Vec::new();
        let name = match body.get("event_name") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_)) => {
                problems.push("`event_name` is empty".to_string());
                None
            }
            Some(other) => {
                problems.push(format!(
                    "`event_name` must be a string, not {}",
                    describe(other)
                ));
                None
            }
            None => {
                problems.push("missing `event_name`".to_string());
                None
            }
        };
        let definition = name.as_deref().and_then(|n| self.events.get(n));
        if let Some(n) = &name
            && definition.is_none()
        {
            problems.push(match did_you_mean(n, self.names()) {
                Some(s) => format!("not a declared event; did you mean {s:?}?"),
                None => "not a declared event; declare it under `events:` in the configuration"
                    .to_string(),
            });
        }
        for key in body.keys() {
            if !BODY_FIELDS.contains(&key.as_str()) {
                problems.push(match did_you_mean(key, BODY_FIELDS) {
                    Some(s) => format!("unknown field `{key}`; did you mean `{s}`?"),
                    None => format!(
                        "unknown field `{key}`; a body has only event_name, created_at, id, user_id, email and metadata"
                    ),
                });
            }
        }
        let created_at = self.check_created_at(body.get("created_at"), &mut problems);
        let user = check_identifier(&body, &mut problems);
        let metadata = match body.remove("metadata") {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                problems.push(format!(
                    "`metadata` must be an object, not {}",
                    describe(&other)
                ));
                Map::new()
            }
        };
        let mut warnings = Vec::new();
        if let Some(definition) = definition {
            if let Some(reason) = &definition.deprecated {
                warnings.push(format!("the event is deprecated: {reason}"));
            }
            self.check_metadata(definition, &metadata, &mut problems, &mut warnings);
        }
        if self.deny_warnings {
            problems.extend(warnings.drain(..).map(|w| format!("{w} (--deny-warnings)")));
        }
        let declared = definition.is_some();
        match (problems.is_empty(), name, created_at, user) {
            (true, Some(event_name), Some(created_at), Some(user)) => Checked {
                name: Some(event_name.clone()),
                declared,
                outcome: Ok(Event {
                    event_name,
                    created_at,
                    user,
                    metadata,
                }),
                warnings,
            },
            (_, name, ..) => Checked {
                name,
                declared,
                outcome: Err(problems),
                warnings,
            },
        }
    }

    fn check_created_at(&self, v: Option<&Value>, problems: &mut Vec<String>) -> Option<i64> {
        let Some(v) = v else {
            problems.push("missing `created_at` (Unix seconds)".to_string());
            return None;
        };
        let seconds = timestamp("`created_at`", v, problems)?;
        if seconds > self.now + FUTURE_TOLERANCE_SECS {
            problems.push(format!(
                "`created_at` {seconds} ({}) is in the future",
                format_time(seconds)
            ));
            return None;
        }
        Some(seconds)
    }
}

impl Checked {
    /// A line with one problem.
    pub fn invalid(name: Option<String>, declared: bool, problem: String) -> Checked {
        Checked {
            name,
            declared,
            outcome: Err(vec![problem]),
            warnings: Vec::new(),
        }
    }
}

/// Reads a Unix timestamp in seconds, reporting why a value is not one.
fn timestamp(what: &str, v: &Value, problems: &mut Vec<String>) -> Option<i64> {
    let seconds = match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => n.as_i64().unwrap_or(i64::MAX),
        other => {
            problems.push(format!(
                "{what} must be a Unix timestamp in seconds (an integer), not {}",
                describe(other)
            ));
            return None;
        }
    };
    if seconds < 0 {
        problems.push(format!("{what} {seconds} is before 1970"));
        return None;
    }
    if seconds >= MILLIS_THRESHOLD {
        problems.push(format!(
            "{what} {v} looks like milliseconds; Intercom wants Unix seconds ({})",
            seconds / 1000
        ));
        return None;
    }
    Some(seconds)
}

fn check_identifier(body: &Map<String, Value>, problems: &mut Vec<String>) -> Option<EventUser> {
    let present: Vec<&str> = IDENTIFIERS
        .into_iter()
        .filter(|k| body.contains_key(*k))
        .collect();
    let key = match present.as_slice() {
        [] => {
            problems.push(
                "no contact identifier; give exactly one of `id`, `user_id` or `email`".to_string(),
            );
            return None;
        }
        [key] => *key,
        several => {
            let names: Vec<String> = several.iter().map(|k| format!("`{k}`")).collect();
            problems.push(format!(
                "several contact identifiers ({}); give exactly one of `id`, `user_id` or `email`",
                names.join(", ")
            ));
            return None;
        }
    };
    let value = match &body[key] {
        Value::String(s) if !s.trim().is_empty() => s.clone(),
        other => {
            problems.push(format!(
                "`{key}` must be a non-empty string, not {}",
                describe(other)
            ));
            return None;
        }
    };
    Some(match key {
        "id" => EventUser::Id(value),
        "user_id" => EventUser::UserId(value),
        _ => {
            if !is_email(&value) {
                problems.push(format!(
                    "`email` {} is not an e-mail address",
                    quote(&value)
                ));
                return None;
            }
            EventUser::Email(value)
        }
    })
}

impl Contract {
    fn check_metadata(
        &self,
        definition: &EventDefinition,
        metadata: &Map<String, Value>,
        problems: &mut Vec<String>,
        warnings: &mut Vec<String>,
    ) {
        let empty = IndexMap::new();
        let declared = definition.metadata.as_ref().unwrap_or(&empty);
        for (key, value) in metadata {
            match declared.get(key) {
                Some(m) => {
                    if let Some(reason) = &m.deprecated {
                        warnings.push(format!("metadata key `{key}` is deprecated: {reason}"));
                    }
                    let pattern = self.patterns.get(&(definition.name.clone(), key.clone()));
                    check_value(key, m, value, problems);
                    check_constraints(key, m, pattern, value, problems);
                }
                None => problems.push(
                    match did_you_mean(key, declared.keys().map(String::as_str)) {
                        Some(s) => format!("unknown metadata key `{key}`; did you mean `{s}`?"),
                        None if declared.is_empty() => {
                            format!("unknown metadata key `{key}`; this event declares no metadata")
                        }
                        None => {
                            let keys: Vec<String> =
                                declared.keys().map(|k| format!("`{k}`")).collect();
                            format!(
                                "unknown metadata key `{key}`; declared keys: {}",
                                keys.join(", ")
                            )
                        }
                    },
                ),
            }
        }
        for (key, m) in declared {
            if m.required == Some(true) && !metadata.contains_key(key) {
                problems.push(format!("missing required metadata key `{key}`"));
            }
        }
    }
}

/// The declared `enum`, `pattern`, `min` and `max` of a key, on a value of the right type.
fn check_constraints(
    key: &str,
    m: &Metadata,
    pattern: Option<&regex::Regex>,
    v: &Value,
    problems: &mut Vec<String>,
) {
    let what = format!("metadata `{key}`");
    if let Value::String(s) = v {
        if let Some(allowed) = &m.allowed
            && !allowed.iter().any(|a| a == s)
        {
            let hint = match did_you_mean(s, allowed.iter().map(String::as_str)) {
                Some(near) => format!("; did you mean {near:?}?"),
                None => String::new(),
            };
            let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
            problems.push(format!(
                "{what} is {}, not one of {}{hint}",
                quote(s),
                list.join(", ")
            ));
        }
        if let (Some(p), Some(source)) = (pattern, &m.pattern)
            && !p.is_match(s)
        {
            problems.push(format!(
                "{what} {} does not match the pattern {source:?}",
                quote(s)
            ));
        }
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = m.min
            && n < min
        {
            problems.push(format!("{what} {v} is less than the minimum {min}"));
        }
        if let Some(max) = m.max
            && n > max
        {
            problems.push(format!("{what} {v} is more than the maximum {max}"));
        }
    }
}

fn check_value(key: &str, m: &Metadata, v: &Value, problems: &mut Vec<String>) {
    let what = format!("metadata `{key}`");
    let field = |f: &str| format!("metadata `{key}.{f}`");
    match m.value_type {
        MetadataType::String => check_string(&what, v, problems),
        MetadataType::Number => {
            if !v.is_number() {
                problems.push(format!("{what} must be a number, not {}", describe(v)));
            }
        }
        MetadataType::Date => {
            timestamp(&what, v, problems);
        }
        MetadataType::Link => check_link(&what, v, problems),
        MetadataType::RichLink => {
            let Some(o) = object_with(&what, v, "a rich link {url, value}", problems) else {
                return;
            };
            check_fields(&what, o, &["url", "value"], "a rich link", problems);
            if let Some(url) = o.get("url") {
                check_link(&field("url"), url, problems);
            }
            if let Some(value) = o.get("value") {
                check_string(&field("value"), value, problems);
            }
        }
        MetadataType::Money => {
            let Some(o) = object_with(&what, v, "a money amount {amount, currency}", problems)
            else {
                return;
            };
            check_fields(
                &what,
                o,
                &["amount", "currency"],
                "a money amount",
                problems,
            );
            if let Some(amount) = o.get("amount")
                && !(amount.is_i64() || amount.is_u64())
            {
                problems.push(format!(
                    "{} must be an integer number of cents, not {}",
                    field("amount"),
                    describe(amount)
                ));
            }
            if let Some(currency) = o.get("currency")
                && !currency.as_str().is_some_and(is_currency)
            {
                problems.push(format!(
                    "{} must be a lower-case ISO 4217 code such as \"eur\", not {}",
                    field("currency"),
                    describe(currency)
                ));
            }
        }
    }
}

fn check_string(what: &str, v: &Value, problems: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            let n = s.chars().count();
            if n > MAX_STRING_CHARS {
                problems.push(format!(
                    "{what} is {n} characters long; Intercom keeps at most {MAX_STRING_CHARS}"
                ));
            }
        }
        other => problems.push(format!("{what} must be a string, not {}", describe(other))),
    }
}

fn check_link(what: &str, v: &Value, problems: &mut Vec<String>) {
    if !v.as_str().is_some_and(is_http_url) {
        problems.push(format!(
            "{what} must be an http(s) URL, not {}",
            describe(v)
        ));
    }
}

fn object_with<'a>(
    what: &str,
    v: &'a Value,
    shape: &str,
    problems: &mut Vec<String>,
) -> Option<&'a Map<String, Value>> {
    match v {
        Value::Object(o) => Some(o),
        other => {
            problems.push(format!("{what} must be {shape}, not {}", describe(other)));
            None
        }
    }
}

fn check_fields(
    what: &str,
    o: &Map<String, Value>,
    fields: &[&str],
    shape: &str,
    problems: &mut Vec<String>,
) {
    for f in fields {
        if !o.contains_key(*f) {
            problems.push(format!("{what} is missing `{f}`"));
        }
    }
    for k in o.keys() {
        if !fields.contains(&k.as_str()) {
            problems.push(format!(
                "{what} has an unknown field `{k}`; {shape} has only `{}`",
                fields.join("` and `")
            ));
        }
    }
}

/// `http://` or `https://` (any case), a host, and no whitespace: what Intercom shows as a link.
/// The schemas' `LINK_PATTERN` says the same.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return false;
    };
    rest.chars().next().is_some_and(|c| !"/?#".contains(c)) && !s.chars().any(char::is_whitespace)
}

/// One `@` with something on both sides and no whitespace (the schemas' `EMAIL_PATTERN`).
pub fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Three lower-case ASCII letters (the schemas' `CURRENCY_PATTERN`).
pub fn is_currency(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// A value as a message shows it: its kind, and short values themselves.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", quote(s)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// A string in double quotes, cut after 40 characters.
fn quote(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut:?}…")
    } else {
        format!("{s:?}")
    }
}

fn format_time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// serde_json's message with the column (every line is line 1 to serde_json).
fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    format!("invalid JSON at column {}: {message}", e.column())
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
