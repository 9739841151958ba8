//! Property: any valid configuration of tags, contact and company attributes, audiences and
//! office hours, applied to an empty workspace through the library (plan, apply with the client
//! as writer, read back), leaves nothing to do: the next plan is empty.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use intercom_iac::apply::{ApplyOptions, Outcome, apply};
use intercom_iac::config::load_sources;
use intercom_iac::intercom::{Client, ClientOptions, Scope, Target, Token, fetch_live};
use intercom_iac::plan::{Filter, diff};
use intercom_iac::sandbox::{Sandbox, SandboxOptions, Seed};
use proptest::prelude::*;
use reqwest::Url;
use serde_json::{Value, json};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ZONES: [&str; 5] = [
    "Europe/Dublin",
    "America/New_York",
    "UTC",
    "Asia/Kolkata",
    "Australia/Sydney",
];

/// A name: letters, digits, inner spaces, punctuation and non-ASCII, never blank at the ends.
fn display_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9éß東🚀][A-Za-z0-9 _'&éß東🚀-]{0,10}[A-Za-z0-9éß東🚀]"
}

/// `HH:MM` of a quarter-hour count (96 = 24:00).
fn time(quarters: u32) -> String {
    format!("{:02}:{:02}", quarters / 4, quarters % 4 * 15)
}

/// 1–3 intervals of one day on quarter-hour boundaries, in order, possibly touching.
fn day_intervals() -> impl Strategy<Value = Vec<String>> {
    (0u32..40, prop::collection::vec((0u32..12, 1u32..20), 1..=3)).prop_map(|(first, steps)| {
        let mut out = Vec::new();
        let mut at = first;
        for (i, (gap, len)) in steps.into_iter().enumerate() {
            let start = if i == 0 { at } else { at + gap };
            let end = start + len;
            if end > 96 {
                break;
            }
            out.push(format!("{}-{}", time(start), time(end)));
            at = end;
        }
        if out.is_empty() {
            out.push("09:00-17:00".to_string());
        }
        out
    })
}

/// Weekly hours: the days split into consecutive groups (`mon-wed`, `thu`, …), each group
/// open or not, each open one with its intervals.
fn weekly_hours() -> impl Strategy<Value = BTreeMap<String, Vec<String>>> {
    (
        prop::collection::vec(any::<bool>(), 6),
        prop::collection::vec(prop::option::weighted(0.7, day_intervals()), 7),
    )
        .prop_map(|(cuts, hours)| {
            let mut groups: Vec<(usize, usize)> = Vec::new();
            let mut start = 0;
            for (i, cut) in cuts.iter().enumerate() {
                if *cut {
                    groups.push((start, i));
                    start = i + 1;
                }
            }
            groups.push((start, 6));
            let mut out = BTreeMap::new();
            for (g, (a, b)) in groups.into_iter().enumerate() {
                if let Some(h) = &hours[g] {
                    let key = if a == b {
                        DAYS[a].to_string()
                    } else {
                        format!("{}-{}", DAYS[a], DAYS[b])
                    };
                    out.insert(key, h.clone());
                }
            }
            if out.is_empty() {
                out.insert("mon-fri".to_string(), vec!["09:00-17:00".to_string()]);
            }
            out
        })
}

fn exception() -> impl Strategy<Value = Value> {
    (
        1u32..=28,
        1u32..=12,
        prop::option::of(day_intervals()),
        prop::option::of(display_name()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(day, month, hours, name, recurring)| {
            let mut e = json!({"date": format!("2026-{month:02}-{day:02}")});
            match hours {
                None => e["closed"] = json!(true),
                Some(h) => e["hours"] = json!(h),
            }
            if let Some(n) = name {
                e["name"] = json!(n);
            }
            if let Some(r) = recurring {
                e["recurring"] = json!(r);
            }
            e
        })
}

fn office_hours() -> impl Strategy<Value = Value> {
    (
        display_name(),
        prop::sample::select(&ZONES[..]),
        weekly_hours(),
        prop::option::of(prop::collection::vec(exception(), 0..=3)),
    )
        .prop_map(|(name, zone, hours, exceptions)| {
            let mut s = json!({"name": name, "time_zone": zone, "hours": hours});
            if let Some(mut ex) = exceptions {
                let mut seen = BTreeSet::new();
                ex.retain(|e| seen.insert(e["date"].as_str().unwrap_or_default().to_string()));
                s["exceptions"] = json!(ex);
            }
            s
        })
}

fn predicate() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(
            &[
                ("email", "string"),
                ("name", "string"),
                ("custom_attributes.plan", "string"),
                ("custom_attributes.seats", "integer"),
                ("company.plan_tier", "string"),
                ("last_seen_at", "date"),
                ("unsubscribed_from_emails", "boolean"),
            ][..],
        ),
        prop::sample::select(&["eq", "ne", "gt", "lt", "contains", "starts_with"][..]),
        "[A-Za-z0-9 @._-]{0,12}",
    )
        .prop_map(|((attribute, kind), comparison, value)| {
            json!({"attribute": attribute, "type": kind, "comparison": comparison, "value": value})
        })
}

fn audience() -> impl Strategy<Value = Value> {
    (
        display_name(),
        prop::option::of(prop::collection::vec(predicate(), 0..=3)),
        prop::option::of(prop::sample::select(&["user", "lead", "visitor"][..])),
    )
        .prop_map(|(name, predicates, role)| {
            let mut a = json!({"name": name});
            if let Some(p) = predicates {
                a["predicates"] = json!(p);
            }
            if let Some(r) = role {
                a["role_predicates"] =
                    json!([{"attribute": "role", "type": "role", "comparison": "eq", "value": r}]);
            }
            a
        })
}

/// A custom attribute; the name gets a prefix so it never meets a built-in one.
fn data_attribute() -> impl Strategy<Value = Value> {
    (
        "[a-z][a-z0-9_]{0,10}",
        prop::sample::select(&["string", "integer", "float", "boolean", "date", "list"][..]),
        prop::collection::btree_set("[A-Za-z0-9][A-Za-z0-9 éü]{0,6}[A-Za-z0-9]", 2..=4),
        prop::option::of("[ -~éü東\n]{0,24}"),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(name, kind, options, description, writable)| {
            let mut a = json!({"name": format!("p_{name}"), "type": kind});
            if kind == "list" {
                a["options"] = json!(options.into_iter().collect::<Vec<_>>());
            }
            if let Some(d) = description {
                a["description"] = json!(d);
            }
            if let Some(w) = writable {
                a["messenger_writable"] = json!(w);
            }
            a
        })
}

/// Keeps the first of each name (compared with `fold`).
fn unique(items: Vec<Value>, fold: impl Fn(&str) -> String) -> Vec<Value> {
    let mut seen = BTreeSet::new();
    items
        .into_iter()
        .filter(|v| seen.insert(fold(v["name"].as_str().unwrap_or_default())))
        .collect()
}

fn configuration() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(display_name(), 0..=8),
        prop::collection::vec(data_attribute(), 0..=5),
        prop::collection::vec(data_attribute(), 0..=3),
        prop::collection::vec(audience(), 0..=4),
        prop::collection::vec(office_hours(), 0..=3),
    )
        .prop_map(|(tags, contact, company, audiences, schedules)| {
            let lower = |s: &str| s.to_lowercase();
            let tags = unique(
                tags.into_iter().map(|n| json!({"name": n})).collect(),
                lower,
            );
            // Attribute names are unique across both models, ignoring case.
            let both = unique(
                contact
                    .iter()
                    .map(|a| {
                        let mut a = a.clone();
                        a["model"] = json!("contact");
                        a
                    })
                    .chain(company.iter().map(|a| {
                        let mut a = a.clone();
                        a["model"] = json!("company");
                        a
                    }))
                    .collect(),
                lower,
            );
            let of = |model: &str| -> Vec<Value> {
                both.iter()
                    .filter(|a| a["model"] == model)
                    .map(|a| {
                        let mut a = a.clone();
                        a.as_object_mut().unwrap().remove("model");
                        a
                    })
                    .collect()
            };
            json!({
                "version": 1,
                "data_attributes": {"contact": of("contact"), "company": of("company")},
                "tags": tags,
                "audiences": unique(audiences, |s| s.to_string()),
                "office_hours": unique(schedules, |s| s.to_string()),
            })
        })
}

/// Applies `config` to an empty sandbox and returns what a second plan still wants to do.
async fn leftover_after_apply(config: &str) -> Result<Vec<String>, String> {
    let loaded = load_sources(vec![(
        "workspace.yaml".to_string(),
        config.as_bytes().to_vec(),
    )])
    .map_err(|e| format!("a generated configuration is invalid: {:#?}", e.diagnostics))?;
    let desired = loaded.desired;
    let sandbox = Sandbox::start(SandboxOptions {
        seed: Seed::Empty,
        ..SandboxOptions::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let client = Client::with_options(
        &Target::Endpoint(Url::parse(&sandbox.url()).unwrap()),
        Token::new("rel-property-token"),
        ClientOptions {
            timeout: Duration::from_secs(10),
            backoff_base: Duration::from_millis(10),
            backoff_max: Duration::from_millis(50),
            ..ClientOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let live = fetch_live(&client, &Scope::all())
        .await
        .map_err(|e| e.to_string())?;
    let plan = diff(&desired, &live, &Filter::default(), &[])
        .map_err(|e| format!("cannot plan: {:#?}", e.diagnostics))?;
    let report = apply(
        &plan,
        Arc::new(client.clone()),
        ApplyOptions::default(),
        |_| {},
    )
    .await;
    let failed: Vec<String> = report
        .changes
        .iter()
        .filter(|c| !matches!(c.outcome, Outcome::Applied))
        .map(|c| format!("{}: {:?}", c.address, c.outcome))
        .collect();
    if !failed.is_empty() {
        return Err(format!("apply did not apply everything: {failed:#?}"));
    }
    let live = fetch_live(&client, &Scope::all())
        .await
        .map_err(|e| e.to_string())?;
    let again = diff(&desired, &live, &Filter::default(), &[])
        .map_err(|e| format!("cannot plan again: {:#?}", e.diagnostics))?;
    let _ = sandbox.shutdown().await;
    let mut left: Vec<String> = again
        .changes
        .iter()
        .map(|c| format!("{} {:?}", c.address, c.fields))
        .collect();
    left.extend(again.manual_steps.iter().map(|m| format!("manual: {m:?}")));
    Ok(left)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_valid_configuration_converges_in_one_apply(config in configuration()) {
        let text = serde_json::to_string_pretty(&config).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let left = rt.block_on(leftover_after_apply(&text));
        match left {
            Ok(left) => prop_assert!(left.is_empty(), "still to do after apply: {left:#?}\nconfiguration:\n{text}"),
            Err(e) => prop_assert!(false, "{e}\nconfiguration:\n{text}"),
        }
    }
}
