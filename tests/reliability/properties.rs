//! Properties: any valid configuration of tags, data and conversation attributes, audiences
//! and office hours, applied to an empty workspace through the library (plan, apply with the
//! client as writer, read back), leaves nothing to do: the next plan is empty. So does any
//! change to it (kept, dropped and pruned, modified, renamed, added objects). Under injected
//! faults both converge within a few applies, without duplicate objects.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use crate::support::LiveExt;
use intercom_iac::apply::{ApplyOptions, Outcome, apply};
use intercom_iac::config::{Desired, load_sources};
use intercom_iac::intercom::{Client, ClientOptions};
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::plan::{Filter, diff};
use intercom_iac::sandbox::{Sandbox, SandboxOptions, Seed};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::endpoint_client;

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

/// 1–3 intervals of one day on quarter-hour boundaries, in order, possibly touching; often
/// reaching midnight, so that days join into intervals across midnight.
fn day_intervals() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        6 => spread_intervals(),
        1 => Just(vec!["00:00-24:00".to_string()]),
        1 => (0u32..96).prop_map(|start| vec![format!("{}-24:00", time(start))]),
        1 => (1u32..=96).prop_map(|end| vec![format!("00:00-{}", time(end))]),
    ]
}

fn spread_intervals() -> impl Strategy<Value = Vec<String>> {
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

fn conversation_attribute() -> impl Strategy<Value = Value> {
    (
        display_name(),
        prop::sample::select(
            &[
                "string", "integer", "decimal", "boolean", "datetime", "list",
            ][..],
        ),
        prop::collection::btree_set("[A-Za-z0-9][A-Za-z0-9 éü]{0,6}[A-Za-z0-9]", 2..=4),
        prop::option::of("[ -~éü東\n]{0,24}"),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(
            |(name, kind, options, description, required, multiline, all_teams)| {
                let mut a = json!({"name": name, "type": kind});
                if kind == "list" {
                    a["options"] = json!(options.into_iter().collect::<Vec<_>>());
                }
                if let Some(d) = description {
                    a["description"] = json!(d);
                }
                if let Some(r) = required {
                    a["required"] = json!(r);
                }
                if let (Some(m), "string") = (multiline, kind) {
                    a["multiline"] = json!(m);
                }
                if all_teams {
                    a["visible_to_teams"] = json!([]);
                }
                a
            },
        )
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
        prop::collection::vec(conversation_attribute(), 0..=3),
    )
        .prop_map(
            |(tags, contact, company, audiences, schedules, conversation)| {
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
                    "conversation_attributes": unique(conversation, |s| s.to_string()),
                })
            },
        )
}

/// Names, with their case folded or not, already taken in a configuration being built.
#[derive(Default)]
struct Taken {
    names: BTreeSet<String>,
    renamed_from: BTreeSet<String>,
}

impl Taken {
    /// Takes `name` (renamed from `old`) if neither collides with what is declared or renamed.
    fn take(&mut self, name: &str, old: Option<&str>, fold: &dyn Fn(&str) -> String) -> bool {
        let (n, o) = (fold(name), old.map(fold));
        let same = o.as_deref() == Some(n.as_str());
        if self.names.contains(&n) || self.renamed_from.contains(&n) {
            return false;
        }
        if let Some(o) = &o
            && !same
            && (self.names.contains(o) || self.renamed_from.contains(o))
        {
            return false;
        }
        self.names.insert(n);
        if let Some(o) = o
            && !same
        {
            self.renamed_from.insert(o);
        }
        true
    }
}

/// What happens to one object of the first configuration in the second.
#[derive(Debug, Clone, Copy)]
enum Fate {
    Keep,
    Drop,
    Modify,
    Rename,
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        Just(Fate::Keep),
        Just(Fate::Drop),
        Just(Fate::Modify),
        Just(Fate::Rename)
    ]
}

fn items(config: &Value, pointer: &str) -> Vec<Value> {
    config
        .pointer(pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The second configuration's objects of a kind whose objects are compared whole (audiences,
/// office-hours schedules): each of the first configuration's `objects` is kept, dropped, given
/// the other generated object's settings under its own name, or renamed to the other's name
/// where `fresh` allows it; the `new` ones follow; no two names collide.
fn settle(
    objects: &[Value],
    fates: Vec<(Fate, Value)>,
    new: Vec<Value>,
    fresh: &dyn Fn(&str) -> bool,
) -> Vec<Value> {
    let exact = |s: &str| s.to_string();
    let mut taken = Taken::default();
    let mut out = Vec::new();
    for (a, (fate, other)) in objects.iter().zip(fates) {
        let name = a["name"].as_str().unwrap_or_default();
        let (mut b, old) = match fate {
            Fate::Drop => continue,
            Fate::Keep => (a.clone(), None),
            Fate::Modify => {
                let mut b = other;
                b["name"] = json!(name);
                (b, None)
            }
            Fate::Rename if fresh(other["name"].as_str().unwrap_or_default()) => {
                (other, Some(name))
            }
            Fate::Rename => (a.clone(), None),
        };
        let new = b["name"].as_str().unwrap_or_default().to_string();
        if taken.take(&new, old, &exact) {
            if let Some(o) = old {
                b["renamed_from"] = json!(o);
            }
            out.push(b);
        }
    }
    for a in new {
        if taken.take(a["name"].as_str().unwrap_or_default(), None, &exact) {
            out.push(a);
        }
    }
    out
}

/// A second configuration derived from `first`: objects kept, dropped (and pruned), modified
/// or renamed (`renamed_from`), and new ones added. Attribute types never change (Intercom
/// cannot change them; that is a manual step).
fn changed(first: Value) -> impl Strategy<Value = Value> {
    let tags = items(&first, "/tags");
    let contact = items(&first, "/data_attributes/contact");
    let company = items(&first, "/data_attributes/company");
    let audiences = items(&first, "/audiences");
    let schedules = items(&first, "/office_hours");
    let conversation = items(&first, "/conversation_attributes");
    let attribute_change = || {
        (
            fate(),
            prop::option::of("[ -~éü東\n]{0,24}"),
            prop::option::of(any::<bool>()),
            prop::collection::btree_set("[A-Za-z0-9][A-Za-z0-9 éü]{0,6}[A-Za-z0-9]", 2..=4),
        )
    };
    (
        (
            prop::collection::vec((fate(), display_name()), tags.len()),
            prop::collection::vec(display_name(), 0..=3),
        ),
        (
            prop::collection::vec(attribute_change(), contact.len()),
            prop::collection::vec(attribute_change(), company.len()),
            prop::collection::vec(data_attribute(), 0..=2),
        ),
        (
            prop::collection::vec((fate(), audience()), audiences.len()),
            prop::collection::vec(audience(), 0..=2),
        ),
        (
            prop::collection::vec((fate(), office_hours()), schedules.len()),
            prop::collection::vec(office_hours(), 0..=2),
        ),
        (
            prop::collection::vec(
                (fate(), conversation_attribute(), display_name()),
                conversation.len(),
            ),
            prop::collection::vec(conversation_attribute(), 0..=2),
        ),
    )
        .prop_map(
            move |(
                (tag_fates, new_tags),
                (contact_changes, company_changes, new_attributes),
                (audience_fates, new_audiences),
                (schedule_fates, new_schedules),
                (conversation_fates, new_conversation),
            )| {
                let lower = |s: &str| s.to_lowercase();
                let exact = |s: &str| s.to_string();

                // A rename onto a name that exists in the workspace is ambiguous: the planner
                // refuses it, rightly; so renames go to names the first configuration lacks.
                let fresh = |pointer: &str, name: &str, fold: &dyn Fn(&str) -> String| {
                    !items(&first, pointer)
                        .iter()
                        .any(|v| fold(v["name"].as_str().unwrap_or_default()) == fold(name))
                };
                let mut taken = Taken::default();
                let mut out_tags = Vec::new();
                for (tag, (fate, new_name)) in tags.iter().zip(tag_fates) {
                    let name = tag["name"].as_str().unwrap_or_default();
                    let (new, old) = match fate {
                        Fate::Drop => continue,
                        Fate::Keep => (name.to_string(), None),
                        // A change of case only: a rename Intercom does by id.
                        Fate::Modify => {
                            let flipped = if name.to_uppercase() != name {
                                name.to_uppercase()
                            } else {
                                name.to_lowercase()
                            };
                            if flipped == name {
                                (name.to_string(), None)
                            } else {
                                (flipped, Some(name))
                            }
                        }
                        Fate::Rename if fresh("/tags", &new_name, &lower) => (new_name, Some(name)),
                        Fate::Rename => (name.to_string(), None),
                    };
                    if taken.take(&new, old, &lower) {
                        let mut t = json!({"name": new});
                        if let Some(o) = old {
                            t["renamed_from"] = json!(o);
                        }
                        out_tags.push(t);
                    }
                }
                for name in new_tags {
                    if taken.take(&name, None, &lower) {
                        out_tags.push(json!({"name": name}));
                    }
                }

                // Attributes keep their names (Intercom cannot rename them) and types.
                let mut taken = Taken::default();
                let modify = |a: &Value,
                              (fate, description, writable, options): (
                    Fate,
                    Option<String>,
                    Option<bool>,
                    BTreeSet<String>,
                )| {
                    match fate {
                        Fate::Drop => None,
                        Fate::Keep => Some(a.clone()),
                        Fate::Modify | Fate::Rename => {
                            let mut a = a.clone();
                            if let Some(d) = description {
                                a["description"] = json!(d);
                            }
                            if let Some(w) = writable {
                                a["messenger_writable"] = json!(w);
                            }
                            if a["type"] == "list" {
                                a["options"] = json!(options.into_iter().collect::<Vec<_>>());
                            }
                            Some(a)
                        }
                    }
                };
                let mut out_contact = Vec::new();
                for (a, change) in contact.iter().zip(contact_changes) {
                    if let Some(a) = modify(a, change)
                        && taken.take(a["name"].as_str().unwrap_or_default(), None, &lower)
                    {
                        out_contact.push(a);
                    }
                }
                let mut out_company = Vec::new();
                for (a, change) in company.iter().zip(company_changes) {
                    if let Some(a) = modify(a, change)
                        && taken.take(a["name"].as_str().unwrap_or_default(), None, &lower)
                    {
                        out_company.push(a);
                    }
                }
                // New attributes get another prefix: an archived one keeps its name.
                for mut a in new_attributes {
                    let name = format!("q{}", &a["name"].as_str().unwrap_or_default()[1..]);
                    a["name"] = json!(name);
                    if taken.take(&name, None, &lower) {
                        out_contact.push(a);
                    }
                }

                let out_audiences = settle(&audiences, audience_fates, new_audiences, &|n| {
                    fresh("/audiences", n, &exact)
                });

                let out_schedules = settle(&schedules, schedule_fates, new_schedules, &|n| {
                    fresh("/office_hours", n, &exact)
                });

                // Conversation attributes keep their type (a change is a manual step); a
                // modification takes the other generated one's settings of the same type.
                let mut taken = Taken::default();
                let mut out_conversation = Vec::new();
                for (a, (fate, other, new_name)) in conversation.iter().zip(conversation_fates) {
                    let name = a["name"].as_str().unwrap_or_default();
                    let same_type = |mut b: Value| {
                        b["type"] = a["type"].clone();
                        let object = b.as_object_mut().unwrap();
                        if a["type"] != "list" {
                            object.remove("options");
                        } else if !object.contains_key("options") {
                            object.insert("options".into(), a["options"].clone());
                        }
                        if a["type"] != "string" {
                            object.remove("multiline");
                        }
                        b
                    };
                    let (mut b, old) = match fate {
                        Fate::Drop => continue,
                        Fate::Keep => (a.clone(), None),
                        Fate::Modify => {
                            let mut b = same_type(other);
                            b["name"] = json!(name);
                            (b, None)
                        }
                        Fate::Rename if fresh("/conversation_attributes", &new_name, &exact) => {
                            let mut b = a.clone();
                            b["name"] = json!(new_name);
                            (b, Some(name))
                        }
                        Fate::Rename => (a.clone(), None),
                    };
                    let new = b["name"].as_str().unwrap_or_default().to_string();
                    if taken.take(&new, old, &exact) {
                        if let Some(o) = old {
                            b["renamed_from"] = json!(o);
                        }
                        out_conversation.push(b);
                    }
                }
                // New ones take fresh names: a dropped one is archived and keeps its name.
                for a in new_conversation {
                    let name = a["name"].as_str().unwrap_or_default();
                    if fresh("/conversation_attributes", name, &exact)
                        && taken.take(name, None, &exact)
                    {
                        out_conversation.push(a);
                    }
                }

                json!({
                    "version": 1,
                    "prune": ["contact_attributes", "company_attributes", "conversation_attributes", "tags", "audiences", "office_hours"],
                    "data_attributes": {"contact": out_contact, "company": out_company},
                    "tags": out_tags,
                    "audiences": out_audiences,
                    "office_hours": out_schedules,
                    "conversation_attributes": out_conversation,
                })
            },
        )
}

/// Loads a generated configuration; an error means the generator made an invalid one.
fn load(config: &str) -> Result<Desired, String> {
    load_sources(vec![(
        "workspace.yaml".to_string(),
        config.as_bytes().to_vec(),
    )])
    .map(|l| l.desired)
    .map_err(|e| format!("a generated configuration is invalid: {:#?}", e.diagnostics))
}

/// An empty sandbox and a client for it.
async fn empty_workspace() -> Result<(Sandbox, Client), String> {
    workspace(
        SandboxOptions::default(),
        [
            Duration::from_secs(10),
            Duration::from_millis(10),
            Duration::from_millis(50),
        ],
    )
    .await
}

/// An empty sandbox that fails a fifth of its calls (seeded), and a client with a timeout
/// short enough that the sandbox's slow answers cost little.
async fn faulty_workspace(fault_seed: u64) -> Result<(Sandbox, Client), String> {
    workspace(
        SandboxOptions {
            fault_rate: 0.2,
            fault_seed,
            ..SandboxOptions::default()
        },
        [
            Duration::from_millis(300),
            Duration::from_millis(5),
            Duration::from_millis(20),
        ],
    )
    .await
}

/// A sandbox started with `options` and the empty seed, and a client for it with these
/// `[timeout, backoff_base, backoff_max]`.
async fn workspace(
    options: SandboxOptions,
    [timeout, backoff_base, backoff_max]: [Duration; 3],
) -> Result<(Sandbox, Client), String> {
    let sandbox = Sandbox::start(SandboxOptions {
        seed: Seed::Empty,
        ..options
    })
    .await
    .map_err(|e| e.to_string())?;
    let client = endpoint_client(
        &sandbox.url(),
        "rel-property-token",
        ClientOptions {
            timeout,
            backoff_base,
            backoff_max,
            ..ClientOptions::default()
        },
    );
    Ok((sandbox, client))
}

/// Plans and applies until nothing is left, at most `rounds` times (an apply may fail under
/// faults); then checks that no kind holds two objects of one name.
async fn converge_under_faults(
    client: &Client,
    desired: &Desired,
    rounds: usize,
) -> Result<(), String> {
    let mut last = Vec::new();
    for _ in 0..rounds {
        // A read can fail too when every retry meets a fault: that round just counts.
        let Ok(live) = fetch_live(client, &Scope::all()).await else {
            continue;
        };
        let plan = diff(desired, &live, &Filter::default(), &[])
            .map_err(|e| format!("cannot plan: {:#?}", e.diagnostics))?;
        if plan.changes.is_empty() {
            let mut seen = BTreeSet::new();
            let names = live
                .tags()
                .iter()
                .map(|t| ("tag", t.name.to_lowercase()))
                .chain(
                    live.audiences()
                        .iter()
                        .map(|a| ("audience", a.name.clone())),
                )
                .chain(
                    live.office_hours()
                        .iter()
                        .map(|s| ("office_hours", s.name.clone())),
                )
                .chain(
                    live.conversation_attributes()
                        .iter()
                        .map(|a| ("conversation_attribute", a.name.clone())),
                )
                .chain(
                    live.data_attributes()
                        .into_iter()
                        .filter(|a| a.custom)
                        .map(|a| ("data_attribute", a.name.to_lowercase())),
                );
            let dups: Vec<_> = names.filter(|n| !seen.insert(n.clone())).collect();
            return if dups.is_empty() {
                Ok(())
            } else {
                Err(format!("duplicate objects: {dups:?}"))
            };
        }
        last = plan.changes.iter().map(|c| c.address.to_string()).collect();
        apply(
            &plan,
            Arc::new(client.clone()),
            ApplyOptions::default(),
            |_| {},
        )
        .await;
    }
    Err(format!(
        "not converged after {rounds} applies; left: {last:?}"
    ))
}

/// Plans `desired` against the workspace, applies the plan, plans again; returns how many
/// changes the first plan had and what the second still wants to do.
async fn apply_and_replan(
    client: &Client,
    desired: &Desired,
) -> Result<(usize, Vec<String>), String> {
    let live = fetch_live(client, &Scope::all())
        .await
        .map_err(|e| e.to_string())?;
    let plan = diff(desired, &live, &Filter::default(), &[])
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
    let live = fetch_live(client, &Scope::all())
        .await
        .map_err(|e| e.to_string())?;
    let again = diff(desired, &live, &Filter::default(), &[])
        .map_err(|e| format!("cannot plan again: {:#?}", e.diagnostics))?;
    let mut left: Vec<String> = again
        .changes
        .iter()
        .map(|c| format!("{} {:?}", c.address, c.fields))
        .collect();
    left.extend(again.manual_steps.iter().map(|m| format!("manual: {m:?}")));
    Ok((plan.changes.len(), left))
}

/// How many objects a generated configuration declares.
fn declared(config: &Value) -> usize {
    let len = |v: &Value| v.as_array().map_or(0, Vec::len);
    len(&config["tags"])
        + len(&config["data_attributes"]["contact"])
        + len(&config["data_attributes"]["company"])
        + len(&config["audiences"])
        + len(&config["office_hours"])
        + len(&config["conversation_attributes"])
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
        let result = rt.block_on(async {
            let desired = load(&text)?;
            let (sandbox, client) = empty_workspace().await?;
            let result = apply_and_replan(&client, &desired).await;
            let _ = sandbox.shutdown().await;
            result
        });
        match result {
            Ok((planned, left)) => {
                prop_assert_eq!(planned, declared(&config), "every declared object is a create\n{}", text);
                prop_assert!(left.is_empty(), "still to do after apply: {left:#?}\nconfiguration:\n{text}");
            }
            Err(e) => prop_assert!(false, "{e}\nconfiguration:\n{text}"),
        }
    }

    #[test]
    fn any_change_to_an_applied_configuration_converges_in_one_apply(
        (first, second) in configuration().prop_flat_map(|first| (Just(first.clone()), changed(first)))
    ) {
        let first_text = serde_json::to_string_pretty(&first).unwrap();
        let second_text = serde_json::to_string_pretty(&second).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let result = rt.block_on(async {
            let (a, b) = (load(&first_text)?, load(&second_text)?);
            let (sandbox, client) = empty_workspace().await?;
            let result = async {
                let (_, left) = apply_and_replan(&client, &a).await?;
                if !left.is_empty() {
                    return Err(format!("the first configuration did not converge: {left:#?}"));
                }
                apply_and_replan(&client, &b).await
            }
            .await;
            let _ = sandbox.shutdown().await;
            result
        });
        match result {
            Ok((_, left)) => prop_assert!(
                left.is_empty(),
                "still to do after apply: {left:#?}\nfirst:\n{first_text}\nsecond:\n{second_text}"
            ),
            Err(e) => prop_assert!(false, "{e}\nfirst:\n{first_text}\nsecond:\n{second_text}"),
        }
    }

}

proptest! {
    // Each case waits out injected faults: a quarter as many cases.
    #![proptest_config(ProptestConfig {
        cases: (cases() / 4).max(1),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_change_converges_under_faults_without_duplicates(
        (first, second) in configuration().prop_flat_map(|first| (Just(first.clone()), changed(first))),
        fault_seed in any::<u64>(),
    ) {
        let first_text = serde_json::to_string_pretty(&first).unwrap();
        let second_text = serde_json::to_string_pretty(&second).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let result = rt.block_on(async {
            let (a, b) = (load(&first_text)?, load(&second_text)?);
            let (sandbox, client) = faulty_workspace(fault_seed).await?;
            let result = async {
                converge_under_faults(&client, &a, 6).await?;
                converge_under_faults(&client, &b, 6).await
            }
            .await;
            let _ = sandbox.shutdown().await;
            result
        });
        if let Err(e) = result {
            prop_assert!(false, "{e}\nfault seed {fault_seed}\nfirst:\n{first_text}\nsecond:\n{second_text}");
        }
    }
}
