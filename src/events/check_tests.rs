//! Tests of `check`: event bodies against the declared contract.

use super::*;

const NOW: i64 = 1_750_000_000;

fn contract() -> Contract {
    let yaml: Vec<EventDefinition> = serde_json::from_value(serde_json::json!([
        {"name": "upgraded-plan", "metadata": {
            "plan": {"type": "string", "required": true},
            "seats": {"type": "number"},
            "renewal_date": {"type": "date"},
            "invoice": {"type": "link"},
            "doc": {"type": "rich_link"},
            "amount": {"type": "money"}
        }},
        {"name": "signed-up"}
    ]))
    .unwrap();
    Contract::new(&yaml, NOW)
}

fn problems(line: &str) -> Vec<String> {
    match contract().check(line).outcome {
        Ok(_) => Vec::new(),
        Err(p) => p,
    }
}

#[test]
fn a_valid_line_becomes_an_event() {
    let c = contract().check(
        r#"{"event_name":"upgraded-plan","created_at":1700000000,"user_id":"u1","metadata":{"plan":"pro","amount":{"amount":4900,"currency":"eur"}}}"#,
    );
    let event = c.outcome.unwrap();
    assert_eq!(event.event_name, "upgraded-plan");
    assert_eq!(event.user, EventUser::UserId("u1".into()));
    assert_eq!(event.metadata.len(), 2);
    assert!(c.declared);
}

#[test]
fn envelope_problems() {
    assert_eq!(
        problems(r#"{"event_name":"signed-up","created_at":1700000000}"#),
        ["no contact identifier; give exactly one of `id`, `user_id` or `email`"]
    );
    assert_eq!(
        problems(r#"{"event_name":"signed-up","created_at":1700000000,"id":"1","email":"a@b"}"#),
        [
            "several contact identifiers (`id`, `email`); give exactly one of `id`, `user_id` or `email`"
        ]
    );
    assert_eq!(
        problems(r#"{"event_name":"signed-up","created_at":1700000000000,"id":"1"}"#),
        [
            "`created_at` 1700000000000 looks like milliseconds; Intercom wants Unix seconds (1700000000)"
        ]
    );
    assert_eq!(
        problems(r#"{"event_name":"signed-up","created_at":1750000301,"id":"1"}"#),
        ["`created_at` 1750000301 (2025-06-15T15:11:41Z) is in the future"]
    );
    assert!(problems(r#"{"event_name":"signed-up","created_at":1750000300,"id":"1"}"#).is_empty());
    assert_eq!(
        problems(r#"{"event_name":"signed-up","createdAt":1,"id":"1"}"#),
        [
            "unknown field `createdAt`; did you mean `created_at`?",
            "missing `created_at` (Unix seconds)"
        ]
    );
    assert_eq!(
        problems(r#"{"event_name":"sign-up","created_at":1,"email":"nobody"}"#),
        [
            "not a declared event; did you mean \"signed-up\"?",
            "`email` \"nobody\" is not an e-mail address"
        ]
    );
    assert_eq!(
        problems("[1]"),
        ["an event must be a JSON object, not an array"]
    );
    assert_eq!(
        problems(r#"{"event_name": "#),
        ["invalid JSON at column 15: EOF while parsing a value"]
    );
}

#[test]
fn metadata_problems() {
    let line = |m: &str| {
        format!(r#"{{"event_name":"upgraded-plan","created_at":1,"id":"1","metadata":{m}}}"#)
    };
    assert_eq!(
        problems(&line(r#"{"seats":"5"}"#)),
        [
            "metadata `seats` must be a number, not the string \"5\"",
            "missing required metadata key `plan`"
        ]
    );
    assert_eq!(
        problems(&line(r#"{"plan":"p","plann":"x"}"#)),
        ["unknown metadata key `plann`; did you mean `plan`?"]
    );
    assert_eq!(
        problems(&line(r#"{"plan":"p","renewal_date":"2024-01-01"}"#)),
        [
            "metadata `renewal_date` must be a Unix timestamp in seconds (an integer), not the string \"2024-01-01\""
        ]
    );
    assert_eq!(
        problems(&line(r#"{"plan":"p","invoice":"ftp://x"}"#)),
        ["metadata `invoice` must be an http(s) URL, not the string \"ftp://x\""]
    );
    assert_eq!(
        problems(&line(r#"{"plan":"p","doc":{"url":"https://x"}}"#)),
        ["metadata `doc` is missing `value`"]
    );
    assert_eq!(
        problems(&line(
            r#"{"plan":"p","amount":{"amount":9.99,"currency":"EUR"}}"#
        )),
        [
            "metadata `amount.amount` must be an integer number of cents, not the number 9.99",
            "metadata `amount.currency` must be a lower-case ISO 4217 code such as \"eur\", not the string \"EUR\""
        ]
    );
    let long = "x".repeat(256);
    assert_eq!(
        problems(&line(&format!(r#"{{"plan":"{long}"}}"#))),
        ["metadata `plan` is 256 characters long; Intercom keeps at most 255"]
    );
}

#[test]
fn enums_patterns_ranges_and_deprecation() {
    let events: Vec<EventDefinition> = serde_json::from_value(serde_json::json!([
        {"name": "paid", "metadata": {
            "plan": {"type": "string", "enum": ["free", "pro"]},
            "coupon": {"type": "string", "pattern": "^[A-Z]{4}[0-9]{2}$"},
            "seats": {"type": "number", "min": 1, "max": 500},
            "source": {"type": "string", "deprecated": "use `channel`"}
        }},
        {"name": "old", "deprecated": "send `paid`"}
    ]))
    .unwrap();
    let check = |contract: &Contract, m: &str| {
        contract.check(&format!(
            r#"{{"event_name":"paid","created_at":1,"id":"1","metadata":{m}}}"#
        ))
    };
    let contract = Contract::new(&events, NOW);
    let p = |m: &str| check(&contract, m).outcome.err().unwrap_or_default();
    assert_eq!(
        p(r#"{"plan":"prp"}"#),
        ["metadata `plan` is \"prp\", not one of \"free\", \"pro\"; did you mean \"pro\"?"]
    );
    assert!(p(r#"{"plan":"pro","coupon":"SAVE10","seats":500}"#).is_empty());
    assert_eq!(
        p(r#"{"coupon":"save10"}"#),
        ["metadata `coupon` \"save10\" does not match the pattern \"^[A-Z]{4}[0-9]{2}$\""]
    );
    assert_eq!(
        p(r#"{"seats":0}"#),
        ["metadata `seats` 0 is less than the minimum 1"]
    );
    assert_eq!(
        p(r#"{"seats":500.5}"#),
        ["metadata `seats` 500.5 is more than the maximum 500"]
    );
    let used = check(&contract, r#"{"source":"ads"}"#);
    assert!(used.outcome.is_ok());
    assert_eq!(
        used.warnings,
        ["metadata key `source` is deprecated: use `channel`"]
    );
    let old = contract.check(r#"{"event_name":"old","created_at":1,"id":"1"}"#);
    assert!(old.outcome.is_ok());
    assert_eq!(old.warnings, ["the event is deprecated: send `paid`"]);
    let strict = Contract::new(&events, NOW).deny_warnings(true);
    let denied = strict.check(r#"{"event_name":"old","created_at":1,"id":"1"}"#);
    assert_eq!(
        denied.outcome.err().unwrap(),
        ["the event is deprecated: send `paid` (--deny-warnings)"]
    );
    assert!(denied.warnings.is_empty());
}

#[test]
fn links_emails_and_currencies() {
    assert!(is_http_url("https://example.com/a?b#c"));
    assert!(is_http_url("HTTP://example.com"));
    assert!(!is_http_url("https://"));
    assert!(!is_http_url("https:///path"));
    assert!(!is_http_url("https://a b"));
    assert!(!is_http_url("mailto:a@b"));
    assert!(is_email("a@b"));
    assert!(!is_email("a@b@c"));
    assert!(!is_email("@b"));
    assert!(is_currency("eur"));
    assert!(!is_currency("EUR"));
    assert!(!is_currency("euro"));
}
