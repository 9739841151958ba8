//! Semantic checks of a merged configuration: what the schema cannot say. Each problem points
//! at the offending node; duplicates name both places.

use std::collections::HashMap;

use super::office_hours::{DAYS, parse_days, parse_interval};
use super::types::{ConversationAttributeType, DataAttributeType, MetadataType};
use super::{Desired, Diagnostic, Located, Origin, did_you_mean};
use crate::model::{Kind, MAX_CUSTOM_ATTRIBUTES, attribute_name_problem};

/// Intercom's cap on active event names per workspace.
pub const MAX_EVENTS: usize = 120;
/// Intercom keeps at most this many metadata keys per event.
pub const MAX_METADATA_KEYS: usize = 10;

/// Runs every semantic check.
pub fn check(d: &Desired) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_prune(d, &mut out);
    check_data_attributes(d, &mut out);
    check_conversation_attributes(d, &mut out);
    check_named(d, &mut out);
    check_teams(d, &mut out);
    check_office_hours(d, &mut out);
    check_events(d, &mut out);
    check_ignore(d, &mut out);
    out
}

fn at(d: &Desired, origin: &Origin, sub: &str) -> String {
    let (file, pos) = d.locate(origin, sub);
    match pos {
        Some(p) => format!("{file}:{}:{}", p.line, p.col),
        None => file,
    }
}

fn fold(name: &str, case_insensitive: bool) -> String {
    if case_insensitive {
        name.to_lowercase()
    } else {
        name.to_string()
    }
}

/// Reports every item whose key was already used, naming the first place.
fn duplicates<'a>(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    kind: Kind,
    items: impl IntoIterator<Item = (&'a str, &'a Origin)>,
) {
    let ci = kind.case_insensitive_names() || kind == Kind::Events;
    let mut seen: HashMap<String, &Origin> = HashMap::new();
    for (name, origin) in items {
        match seen.get(&fold(name, ci)) {
            Some(first) => {
                let what = if ci {
                    " (names are case-insensitive)"
                } else {
                    ""
                };
                out.push(
                    d.error_at(
                        origin,
                        "/name",
                        format!(
                            "duplicate {} `{name}`: also declared at {}",
                            kind.singular().replace('_', " "),
                            at(d, first, "/name")
                        ),
                    )
                    .with_help(format!(
                        "declare each {} once{what}",
                        kind.singular().replace('_', " ")
                    )),
                );
            }
            None => {
                seen.insert(fold(name, ci), origin);
            }
        }
    }
}

fn check_prune(d: &Desired, out: &mut Vec<Diagnostic>) {
    let mut seen = Vec::new();
    for p in &d.prune {
        if let Some(reason) = p.value.prune_refusal() {
            out.push(
                d.error_at(&p.origin, "", format!("`{}` cannot be pruned: {reason}", p.value))
                    .with_help(
                        "prunable kinds: contact_attributes, company_attributes, conversation_attributes, tags, audiences, office_hours",
                    ),
            );
        } else if seen.contains(&p.value) {
            out.push(d.warning_at(
                &p.origin,
                "",
                format!("`{}` is listed in prune twice", p.value),
            ));
        }
        seen.push(p.value);
    }
}

const PII_WORDS: [&str; 18] = [
    "ssn",
    "social_security",
    "socialsecurity",
    "credit_card",
    "creditcard",
    "card_number",
    "cardnumber",
    "cvv",
    "cvc",
    "iban",
    "passport",
    "password",
    "passwd",
    "bank_account",
    "routing_number",
    "tax_id",
    "national_id",
    "drivers_license",
];

/// Whether a name looks like it holds sensitive personal data.
pub fn looks_like_pii(name: &str) -> Option<&'static str> {
    let norm: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let tokens: Vec<&str> = norm.split('_').filter(|t| !t.is_empty()).collect();
    let joined = tokens.join("_");
    PII_WORDS.into_iter().find(|w| {
        if w.contains('_') || w.len() > 4 {
            joined.contains(w)
        } else {
            tokens.contains(w)
        }
    })
}

fn pii_warning(
    d: &Desired,
    origin: &Origin,
    sub: &str,
    what: &str,
    name: &str,
) -> Option<Diagnostic> {
    looks_like_pii(name).map(|w| {
        d.warning_at(
            origin,
            sub,
            format!("{what} `{name}` looks like sensitive personal data (`{w}`)"),
        )
        .with_help(
            "Intercom must not store secrets or regulated identifiers; keep them out of Intercom",
        )
    })
}

fn check_options(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    origin: &Origin,
    is_list: bool,
    options: Option<&Vec<String>>,
) {
    match (is_list, options) {
        (true, None) => out.push(
            d.error_at(origin, "/type", "a list attribute needs `options`")
                .with_help("add `options: [first, second]` (at least two)"),
        ),
        (true, Some(opts)) => {
            if opts.len() < 2 {
                out.push(
                    d.error_at(
                        origin,
                        "/options",
                        "a list attribute needs at least two options",
                    )
                    .with_help("Intercom refuses lists with fewer than two options"),
                );
            }
            for (i, o) in opts.iter().enumerate() {
                if o.trim().is_empty() {
                    out.push(d.error_at(
                        origin,
                        &format!("/options/{i}"),
                        "an option must not be empty",
                    ));
                } else if let Some(j) = opts[..i].iter().position(|p| p == o) {
                    out.push(
                        d.error_at(
                            origin,
                            &format!("/options/{i}"),
                            format!(
                                "option `{o}` is listed twice (first at {})",
                                at(d, origin, &format!("/options/{j}"))
                            ),
                        )
                        .with_help("list each option once"),
                    );
                }
            }
        }
        (false, Some(_)) => out.push(
            d.error_at(
                origin,
                "/options",
                "`options` is only allowed on attributes of type `list`",
            )
            .with_help("set `type: list`, or remove `options`"),
        ),
        (false, None) => {}
    }
}

fn check_data_attributes(d: &Desired, out: &mut Vec<Diagnostic>) {
    let all: Vec<(Kind, &Located<super::types::DataAttribute>)> = d
        .contact_attributes
        .iter()
        .map(|a| (Kind::ContactAttributes, a))
        .chain(
            d.company_attributes
                .iter()
                .map(|a| (Kind::CompanyAttributes, a)),
        )
        .collect();
    for (kind, a) in &all {
        if let Some(problem) = attribute_name_problem(&a.name) {
            out.push(
                d.error_at(&a.origin, "/name", problem)
                    .with_help("rename the attribute"),
            );
        }
        check_options(
            d,
            out,
            &a.origin,
            a.data_type == DataAttributeType::List,
            a.options.as_ref(),
        );
        out.extend(pii_warning(
            d,
            &a.origin,
            "/name",
            kind.singular().replace('_', " ").as_str(),
            &a.name,
        ));
    }
    for kind in [Kind::ContactAttributes, Kind::CompanyAttributes] {
        duplicates(
            d,
            out,
            kind,
            all.iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, a)| (a.name.as_str(), &a.origin)),
        );
    }
    // Names are unique across both models in Intercom.
    for company in &d.company_attributes {
        if let Some(contact) = d
            .contact_attributes
            .iter()
            .find(|c| c.name.to_lowercase() == company.name.to_lowercase())
        {
            out.push(
                d.error_at(
                    &company.origin,
                    "/name",
                    format!(
                        "`{}` is declared as both a company and a contact attribute (contact at {})",
                        company.name,
                        at(d, &contact.origin, "/name")
                    ),
                )
                .with_help("Intercom requires attribute names to be unique across contacts and companies; rename one"),
            );
        }
    }
    let active: Vec<_> = all
        .iter()
        .filter(|(_, a)| a.archived != Some(true))
        .collect();
    if active.len() > MAX_CUSTOM_ATTRIBUTES {
        let (_, first_over) = active[MAX_CUSTOM_ATTRIBUTES];
        out.push(
            d.error_at(
                &first_over.origin,
                "",
                format!(
                    "{} custom data attributes are declared; Intercom allows at most {MAX_CUSTOM_ATTRIBUTES} that are not archived",
                    active.len()
                ),
            )
            .with_help("archive attributes you no longer use (`archived: true`)"),
        );
    }
}

fn check_conversation_attributes(d: &Desired, out: &mut Vec<Diagnostic>) {
    for a in &d.conversation_attributes {
        if a.name.trim().is_empty() {
            out.push(d.error_at(&a.origin, "/name", "an attribute name must not be empty"));
        } else if a.name.trim() != a.name {
            out.push(d.error_at(
                &a.origin,
                "/name",
                "an attribute name must not start or end with spaces",
            ));
        }
        check_options(
            d,
            out,
            &a.origin,
            a.data_type == ConversationAttributeType::List,
            a.options.as_ref(),
        );
        if a.multiline.is_some() && a.data_type != ConversationAttributeType::String {
            out.push(
                d.error_at(
                    &a.origin,
                    "/multiline",
                    "`multiline` is only allowed on attributes of type `string`",
                )
                .with_help("remove `multiline`"),
            );
        }
        out.extend(pii_warning(
            d,
            &a.origin,
            "/name",
            "conversation attribute",
            &a.name,
        ));
    }
}

/// Duplicate names and `renamed_from` rules for every named kind.
fn check_named(d: &Desired, out: &mut Vec<Diagnostic>) {
    type Entry<'a> = (&'a str, Option<&'a str>, &'a Origin);
    let kinds: Vec<(Kind, Vec<Entry<'_>>)> = vec![
        (
            Kind::ConversationAttributes,
            d.conversation_attributes
                .iter()
                .map(|a| (a.name.as_str(), a.renamed_from.as_deref(), &a.origin))
                .collect(),
        ),
        (
            Kind::Tags,
            d.tags
                .iter()
                .map(|a| (a.name.as_str(), a.renamed_from.as_deref(), &a.origin))
                .collect(),
        ),
        (
            Kind::Teams,
            d.teams
                .iter()
                .map(|a| (a.name.as_str(), None, &a.origin))
                .collect(),
        ),
        (
            Kind::Segments,
            d.segments
                .iter()
                .map(|a| (a.name.as_str(), None, &a.origin))
                .collect(),
        ),
        (
            Kind::Audiences,
            d.audiences
                .iter()
                .map(|a| (a.name.as_str(), a.renamed_from.as_deref(), &a.origin))
                .collect(),
        ),
        (
            Kind::OfficeHours,
            d.office_hours
                .iter()
                .map(|a| (a.name.as_str(), a.renamed_from.as_deref(), &a.origin))
                .collect(),
        ),
        (
            Kind::Events,
            d.events
                .iter()
                .map(|a| (a.name.as_str(), None, &a.origin))
                .collect(),
        ),
    ];
    for (kind, entries) in kinds {
        let ci = kind.case_insensitive_names();
        for (name, _, origin) in &entries {
            let what = kind.singular().replace('_', " ");
            if name.trim().is_empty() {
                out.push(d.error_at(origin, "/name", format!("a {what} name must not be empty")));
            } else if name.trim() != *name && kind != Kind::ConversationAttributes {
                out.push(
                    d.error_at(
                        origin,
                        "/name",
                        format!("a {what} name must not start or end with spaces"),
                    )
                    .with_help("Intercom trims names, so this one would never match"),
                );
            }
        }
        duplicates(d, out, kind, entries.iter().map(|(n, _, o)| (*n, *o)));
        let mut by_name: HashMap<String, &Origin> = HashMap::with_capacity(entries.len());
        for (n, _, o) in &entries {
            by_name.entry(fold(n, ci)).or_insert(*o);
        }
        let mut renames: HashMap<String, &Origin> = HashMap::new();
        for (name, renamed_from, origin) in &entries {
            let Some(old) = renamed_from else { continue };
            if fold(old, ci) == fold(name, ci) && old != name {
                // A tag whose case changes: a rename by id, which is fine.
                continue;
            }
            if old == name {
                out.push(
                    d.error_at(
                        origin,
                        "/renamed_from",
                        format!("`renamed_from` names `{name}` itself"),
                    )
                    .with_help("remove `renamed_from`, or set it to the previous name"),
                );
                continue;
            }
            if let Some(other) = by_name.get(&fold(old, ci)) {
                out.push(
                    d.error_at(
                        origin,
                        "/renamed_from",
                        format!(
                            "`renamed_from: {old}` collides with the {} `{old}` declared at {}",
                            kind.singular().replace('_', " "),
                            at(d, other, "/name")
                        ),
                    )
                    .with_help("an object cannot be renamed away while it is still declared; remove one of them"),
                );
            }
            if let Some(first) = renames.get(&fold(old, ci)) {
                out.push(
                    d.error_at(
                        origin,
                        "/renamed_from",
                        format!(
                            "`{old}` is renamed twice (also at {})",
                            at(d, first, "/renamed_from")
                        ),
                    )
                    .with_help("rename an object into one new name only"),
                );
            } else {
                renames.insert(fold(old, ci), origin);
            }
        }
    }
}

fn check_teams(d: &Desired, out: &mut Vec<Diagnostic>) {
    for t in &d.teams {
        let members: Vec<String> = t
            .members
            .iter()
            .flatten()
            .map(|m| m.to_lowercase())
            .collect();
        if t.members.as_ref().is_some_and(Vec::is_empty) {
            out.push(
                d.error_at(
                    &t.origin,
                    "/members",
                    "`members: []` would empty the team, which Intercom cannot do",
                )
                .with_help(
                    "list at least one member, or remove `members` to leave membership unmanaged",
                ),
            );
        }
        for (i, m) in members.iter().enumerate() {
            if members[..i].contains(m) {
                out.push(
                    d.error_at(
                        &t.origin,
                        &format!("/members/{i}"),
                        format!("`{m}` is listed twice in members"),
                    )
                    .with_help("list each member once (e-mails are case-insensitive)"),
                );
            }
        }
        for (i, s) in t.secondary.iter().flatten().enumerate() {
            if t.members.is_none() {
                out.push(
                    d.error_at(&t.origin, "/secondary", "`secondary` needs `members`")
                        .with_help("list the complete membership in `members`, including secondary members"),
                );
                break;
            }
            if !members.contains(&s.to_lowercase()) {
                out.push(
                    d.error_at(
                        &t.origin,
                        &format!("/secondary/{i}"),
                        format!("secondary member `{s}` is not in `members`"),
                    )
                    .with_help(format!("add `{s}` to members, or remove it from secondary")),
                );
            }
        }
    }
}

fn check_office_hours(d: &Desired, out: &mut Vec<Diagnostic>) {
    for s in &d.office_hours {
        if jiff::tz::TimeZone::get(&s.time_zone).is_err() {
            let zones: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
            let diag = d.error_at(
                &s.origin,
                "/time_zone",
                format!("`{}` is not an IANA time zone", s.time_zone),
            );
            out.push(
                match did_you_mean(&s.time_zone, zones.iter().map(String::as_str)) {
                    Some(z) => diag.with_help(format!("did you mean `{z}`?")),
                    None => {
                        diag.with_help("use a name such as `Europe/Dublin` or `America/New_York`")
                    }
                },
            );
        }
        if s.hours.is_empty() {
            out.push(
                d.error_at(&s.origin, "/hours", "a schedule needs open hours")
                    .with_help("add e.g. `mon-fri: [\"09:00-17:00\"]`"),
            );
        }
        // (day, start, end, key, index) of every valid interval, to find overlaps.
        let mut spans: Vec<(u32, u32, u32, &str, usize)> = Vec::new();
        for (key, intervals) in &s.hours {
            let key_ptr = format!("/hours/{}", key.replace('~', "~0").replace('/', "~1"));
            let days = match parse_days(key) {
                Ok(days) => days,
                Err(e) => {
                    let (file, pos) = d.locate_key(&s.origin, "/hours", key);
                    out.push(
                        Diagnostic::error(&file, pos, format!("invalid day key: {e}")).with_help(
                            format!("use {} or a range such as mon-fri", DAYS.join(", ")),
                        ),
                    );
                    continue;
                }
            };
            for (i, text) in intervals.iter().enumerate() {
                match parse_interval(text) {
                    Ok((start, end)) => {
                        for day in &days {
                            spans.push((*day, start, end, key.as_str(), i));
                        }
                    }
                    Err(e) => out.push(d.error_at(&s.origin, &format!("{key_ptr}/{i}"), e)),
                }
            }
        }
        spans.sort();
        let mut reported = Vec::new();
        for w in spans.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.0 == b.0 && b.1 < a.2 && !reported.contains(&(b.3, b.4)) {
                reported.push((b.3, b.4));
                let ptr = format!(
                    "/hours/{}/{}",
                    b.3.replace('~', "~0").replace('/', "~1"),
                    b.4
                );
                out.push(
                    d.error_at(
                        &s.origin,
                        &ptr,
                        format!(
                            "`{}` overlaps `{}` (from `{}`) on {}",
                            s.hours[b.3][b.4], s.hours[a.3][a.4], a.3, DAYS[a.0 as usize]
                        ),
                    )
                    .with_help("office hours of one day must not overlap"),
                );
            }
        }
        check_exceptions(d, out, s);
    }
}

fn check_exceptions(
    d: &Desired,
    out: &mut Vec<Diagnostic>,
    s: &Located<super::types::OfficeHours>,
) {
    let mut dates: HashMap<&str, usize> = HashMap::new();
    for (i, e) in s.exceptions.iter().flatten().enumerate() {
        let base = format!("/exceptions/{i}");
        if e.date.parse::<jiff::civil::Date>().is_err() {
            out.push(
                d.error_at(
                    &s.origin,
                    &format!("{base}/date"),
                    format!("`{}` is not a calendar date", e.date),
                )
                .with_help("write the date as YYYY-MM-DD"),
            );
        }
        if let Some(j) = dates.get(e.date.as_str()) {
            out.push(
                d.error_at(
                    &s.origin,
                    &format!("{base}/date"),
                    format!(
                        "{} has two exceptions (also at {})",
                        e.date,
                        at(d, &s.origin, &format!("/exceptions/{j}/date"))
                    ),
                )
                .with_help("declare one exception per date"),
            );
        } else {
            dates.insert(&e.date, i);
        }
        match (e.closed, &e.hours) {
            (Some(true), Some(_)) => out.push(
                d.error_at(
                    &s.origin,
                    &format!("{base}/hours"),
                    "a closed day has no hours",
                )
                .with_help("remove `hours`, or remove `closed: true`"),
            ),
            (Some(true), None) => {}
            (_, None) => out.push(
                d.error_at(
                    &s.origin,
                    &base,
                    "an exception needs `closed: true` or `hours`",
                )
                .with_help("add `closed: true` for a closed day, or the day's `hours`"),
            ),
            (_, Some(hours)) => {
                let mut parsed: Vec<(u32, u32, usize)> = Vec::new();
                for (j, h) in hours.iter().enumerate() {
                    match parse_interval(h) {
                        Ok((a, b)) => parsed.push((a, b, j)),
                        Err(msg) => {
                            out.push(d.error_at(&s.origin, &format!("{base}/hours/{j}"), msg))
                        }
                    }
                }
                parsed.sort();
                for w in parsed.windows(2) {
                    if w[1].0 < w[0].1 {
                        out.push(
                            d.error_at(
                                &s.origin,
                                &format!("{base}/hours/{}", w[1].2),
                                format!("`{}` overlaps `{}`", hours[w[1].2], hours[w[0].2]),
                            )
                            .with_help("office hours of one day must not overlap"),
                        );
                    }
                }
            }
        }
    }
}

/// Characters Intercom does not accept in metadata keys.
const BAD_KEY_CHARS: &str = ".$~`!@#%^&*'{}|\\\"\0";

fn check_events(d: &Desired, out: &mut Vec<Diagnostic>) {
    if d.events.len() > MAX_EVENTS {
        let e = &d.events[MAX_EVENTS];
        out.push(
            d.error_at(&e.origin, "", format!("{} events are declared; Intercom keeps at most {MAX_EVENTS} active event names", d.events.len()))
                .with_help("remove events you no longer send (archive them in Intercom)"),
        );
    }
    for e in &d.events {
        let Some(metadata) = &e.metadata else {
            continue;
        };
        if metadata.len() > MAX_METADATA_KEYS {
            let eleventh = metadata
                .keys()
                .nth(MAX_METADATA_KEYS)
                .map(String::as_str)
                .unwrap_or_default();
            let (file, pos) = d.locate_key(&e.origin, "/metadata", eleventh);
            out.push(
                Diagnostic::error(&file, pos, format!("event `{}` declares {} metadata keys; Intercom keeps at most {MAX_METADATA_KEYS}", e.name, metadata.len()))
                    .with_help("Intercom silently drops keys past the tenth; send fewer keys or split the event"),
            );
        }
        let mut lower: HashMap<String, &str> = HashMap::new();
        for (key, m) in metadata {
            let (file, pos) = d.locate_key(&e.origin, "/metadata", key);
            let err = |msg: String| Diagnostic::error(&file, pos, msg);
            if key.is_empty() {
                out.push(err("a metadata key must not be empty".into()));
                continue;
            }
            if let Some(c) = key
                .chars()
                .find(|c| BAD_KEY_CHARS.contains(*c) || c.is_control())
            {
                out.push(
                    err(format!(
                        "metadata key `{key}` contains `{}`, which Intercom does not accept",
                        c.escape_default()
                    ))
                    .with_help("use letters, digits, `_` and `-`"),
                );
            }
            if let Some(prev) = lower.insert(key.to_lowercase(), key) {
                out.push(err(format!("metadata keys `{prev}` and `{key}` differ only in case; Intercom treats them as one")));
            }
            let ends_date = key.to_lowercase().ends_with("_date");
            if m.value_type == MetadataType::Date && !ends_date {
                out.push(
                    err(format!(
                        "metadata key `{key}` has type `date` but does not end in `_date`"
                    ))
                    .with_help(format!(
                        "Intercom detects dates by the suffix: rename it to `{key}_date`"
                    )),
                );
            } else if ends_date && m.value_type != MetadataType::Date {
                out.push(err(format!("metadata key `{key}` ends in `_date` but has type `{}`", serde_json::to_value(m.value_type).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()))
                    .with_help("Intercom stores every `*_date` key as a date: use `type: date`, or rename the key"));
            }
            if let Some(w) = looks_like_pii(key) {
                out.push(Diagnostic::warning(&file, pos, format!("metadata key `{key}` looks like sensitive personal data (`{w}`)"))
                    .with_help("Intercom must not store secrets or regulated identifiers; keep them out of events"));
            }
        }
    }
}

fn check_ignore(d: &Desired, out: &mut Vec<Diagnostic>) {
    for ig in &d.ignore {
        let (kind, pattern) = &ig.value;
        let glob = match globset::GlobBuilder::new(pattern)
            .case_insensitive(true)
            .build()
        {
            Ok(g) => g.compile_matcher(),
            Err(e) => {
                out.push(
                    d.error_at(
                        &ig.origin,
                        "",
                        format!("invalid pattern `{pattern}`: {}", e.kind()),
                    )
                    .with_help("patterns use `*` and `?`, e.g. `legacy_*`"),
                );
                continue;
            }
        };
        let declared: Vec<(&str, &Origin)> = match kind {
            Kind::ContactAttributes => d
                .contact_attributes
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::CompanyAttributes => d
                .company_attributes
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::ConversationAttributes => d
                .conversation_attributes
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::Tags => d
                .tags
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::Teams => d
                .teams
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::Segments => d
                .segments
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::Audiences => d
                .audiences
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::OfficeHours => d
                .office_hours
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
            Kind::Events => d
                .events
                .iter()
                .map(|a| (a.name.as_str(), &a.origin))
                .collect(),
        };
        for (name, origin) in declared {
            if glob.is_match(name) {
                out.push(
                    d.error_at(origin, "/name", format!("`{name}` is both declared and ignored (pattern `{pattern}` at {})", at(d, &ig.origin, "")))
                        .with_help("an object is either managed here or ignored; remove the declaration or narrow the pattern"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pii_words_match_tokens_not_substrings() {
        assert_eq!(looks_like_pii("customer_ssn"), Some("ssn"));
        assert_eq!(looks_like_pii("CreditCard number"), Some("creditcard"));
        assert_eq!(looks_like_pii("card-number"), Some("card_number"));
        assert_eq!(looks_like_pii("lesson_count"), None);
        assert_eq!(looks_like_pii("plan_tier"), None);
    }
}
