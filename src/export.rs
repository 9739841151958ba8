//! Live state to configuration: YAML that validates and round-trips (`plan` on it shows no
//! changes). Every field is written, objects in a stable order; what the configuration
//! language cannot represent goes under `ignore:` with a comment saying why.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::office_hours::{DAY_MINUTES, DAYS, format_time};
use crate::config::types::{self, ConfigFile};
use crate::model::{
    AttributeModel, ConversationAttributeType, DataAttributeType, Kind, Live, WeeklyInterval,
};

/// The schema modeline, relative to a file one level below the repository root.
const MODELINE: &str = "# yaml-language-server: $schema=../schemas/intercom-iac.schema.json";

/// One exported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// File name (`tags.yaml`).
    pub name: String,
    /// YAML text.
    pub text: String,
}

/// A live object left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ignored {
    kind: Kind,
    name: String,
    why: String,
}

fn sort_ci<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| {
        let (a, b) = (name(a), name(b));
        (a.to_lowercase(), a).cmp(&(b.to_lowercase(), b))
    });
}

/// Names that occur more than once (case-insensitively when `ci`).
fn duplicated<'a>(names: impl Iterator<Item = &'a str>, ci: bool) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for n in names {
        *seen
            .entry(if ci { n.to_lowercase() } else { n.to_string() })
            .or_default() += 1;
    }
    seen.into_iter()
        .filter(|(_, c)| *c > 1)
        .map(|(n, _)| n)
        .collect()
}

fn key(name: &str, ci: bool) -> String {
    if ci {
        name.to_lowercase()
    } else {
        name.to_string()
    }
}

/// Escapes glob metacharacters so an ignore pattern matches exactly one name.
fn glob_literal(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

fn data_type(t: DataAttributeType) -> types::DataAttributeType {
    use types::DataAttributeType as T;
    match t {
        DataAttributeType::String => T::String,
        DataAttributeType::Integer => T::Integer,
        DataAttributeType::Float => T::Float,
        DataAttributeType::Boolean => T::Boolean,
        DataAttributeType::Date | DataAttributeType::Datetime => T::Date,
        DataAttributeType::List => T::List,
    }
}

fn conversation_type(t: ConversationAttributeType) -> Option<types::ConversationAttributeType> {
    use types::ConversationAttributeType as T;
    Some(match t {
        ConversationAttributeType::String => T::String,
        ConversationAttributeType::Integer => T::Integer,
        ConversationAttributeType::Decimal => T::Decimal,
        ConversationAttributeType::Boolean => T::Boolean,
        ConversationAttributeType::Datetime => T::Datetime,
        ConversationAttributeType::List => T::List,
        ConversationAttributeType::Relationship | ConversationAttributeType::Files => return None,
    })
}

fn attribute_name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("its name is empty")
    } else if name.trim() != name {
        Some("its name starts or ends with spaces")
    } else if name.contains('.') {
        Some("its name contains `.`, which denotes nested attributes")
    } else {
        None
    }
}

/// Splits weekly intervals into per-day `HH:MM-HH:MM` lists and joins identical consecutive
/// days into ranges (`mon-fri`).
pub fn hours_map(intervals: &[WeeklyInterval]) -> BTreeMap<String, Vec<String>> {
    let mut days: Vec<Vec<String>> = vec![Vec::new(); 7];
    for i in intervals {
        let first = i.start_minute / DAY_MINUTES;
        let last = i.end_minute.saturating_sub(1) / DAY_MINUTES;
        for d in first..=last.min(6) {
            let start = i.start_minute.max(d * DAY_MINUTES) - d * DAY_MINUTES;
            let end = i.end_minute.min((d + 1) * DAY_MINUTES) - d * DAY_MINUTES;
            if end > start {
                days[d as usize].push(format!("{}-{}", format_time(start), format_time(end)));
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut d = 0;
    while d < 7 {
        if days[d].is_empty() {
            d += 1;
            continue;
        }
        let mut e = d;
        while e + 1 < 7 && days[e + 1] == days[d] {
            e += 1;
        }
        let k = if e == d {
            DAYS[d].to_string()
        } else {
            format!("{}-{}", DAYS[d], DAYS[e])
        };
        out.insert(k, days[d].clone());
        d = e + 1;
    }
    out
}

fn day_hours(intervals: &[WeeklyInterval]) -> Vec<String> {
    intervals
        .iter()
        .map(|i| {
            format!(
                "{}-{}",
                format_time(i.start_minute),
                format_time(i.end_minute)
            )
        })
        .collect()
}

/// Builds the configuration of the kinds in `kinds` from live state.
fn build(live: &Live, kinds: &BTreeSet<Kind>) -> (Vec<(Kind, ConfigFile)>, Vec<Ignored>) {
    let mut out = Vec::new();
    let mut ignored = Vec::new();
    let team_name = |id: &str| {
        live.teams
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
    };
    let email = |id: &str| {
        live.admins
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.email.clone())
    };

    let mut attrs = types::DataAttributes::default();
    for model in [AttributeModel::Contact, AttributeModel::Company] {
        let kind = model.kind();
        if !kinds.contains(&kind) {
            continue;
        }
        let mut list = Vec::new();
        for a in live
            .data_attributes
            .iter()
            .filter(|a| a.model == model && a.custom)
        {
            if let Some(why) = attribute_name_problem(&a.name) {
                ignored.push(Ignored {
                    kind,
                    name: a.name.clone(),
                    why: format!("{why}, which the configuration language refuses"),
                });
                continue;
            }
            list.push(types::DataAttribute {
                name: a.name.clone(),
                data_type: data_type(a.data_type),
                options: (a.data_type == DataAttributeType::List).then(|| a.options.clone()),
                description: Some(a.description.clone()),
                messenger_writable: Some(a.messenger_writable),
                archived: Some(a.archived),
            });
        }
        sort_ci(&mut list, |a| &a.name);
        match model {
            AttributeModel::Contact => attrs.contact = Some(list),
            AttributeModel::Company => attrs.company = Some(list),
        }
    }
    if attrs.contact.is_some() || attrs.company.is_some() {
        out.push((
            Kind::ContactAttributes,
            ConfigFile {
                data_attributes: Some(attrs),
                ..ConfigFile::default()
            },
        ));
    }

    if kinds.contains(&Kind::ConversationAttributes) {
        let active = duplicated(
            live.conversation_attributes
                .iter()
                .filter(|a| !a.archived)
                .map(|a| a.name.as_str()),
            false,
        );
        let mut list = Vec::new();
        let mut done = BTreeSet::new();
        let mut sorted: Vec<_> = live.conversation_attributes.iter().collect();
        // Active attributes first, so an archived namesake never shadows the live one.
        sorted.sort_by_key(|a| a.archived);
        for a in sorted {
            if active.contains(&a.name) {
                if done.insert(a.name.clone()) {
                    ignored.push(Ignored { kind: Kind::ConversationAttributes, name: a.name.clone(), why: "several active conversation attributes have this name, so a name cannot identify one".into() });
                }
                continue;
            }
            if !done.insert(a.name.clone()) {
                continue;
            }
            let Some(t) = conversation_type(a.data_type) else {
                ignored.push(Ignored {
                    kind: Kind::ConversationAttributes,
                    name: a.name.clone(),
                    why: format!(
                        "its type `{}` cannot be managed by the configuration language",
                        a.data_type.as_str()
                    ),
                });
                continue;
            };
            let mut teams: Vec<String> = a
                .visible_to_team_ids
                .iter()
                .filter_map(|id| team_name(id))
                .collect();
            teams.sort();
            let visible_known = teams.len() == a.visible_to_team_ids.len();
            list.push(types::ConversationAttribute {
                name: a.name.clone(),
                data_type: t,
                options: (a.data_type == ConversationAttributeType::List).then(|| {
                    a.options
                        .iter()
                        .filter(|o| !o.archived)
                        .map(|o| o.label.clone())
                        .collect()
                }),
                description: Some(a.description.clone()),
                required: Some(a.required),
                visible_to_teams: visible_known.then_some(teams),
                multiline: if a.data_type == ConversationAttributeType::String {
                    a.multiline
                } else {
                    None
                },
                archived: Some(a.archived),
                renamed_from: None,
            });
        }
        sort_ci(&mut list, |a| &a.name);
        out.push((
            Kind::ConversationAttributes,
            ConfigFile {
                conversation_attributes: Some(list),
                ..ConfigFile::default()
            },
        ));
    }

    if kinds.contains(&Kind::Tags) {
        let dups = duplicated(live.tags.iter().map(|t| t.name.as_str()), true);
        let mut list = Vec::new();
        for t in &live.tags {
            if dups.contains(&key(&t.name, true)) {
                ignored.push(Ignored {
                    kind: Kind::Tags,
                    name: t.name.clone(),
                    why:
                        "several tags have this name (ignoring case), so a name cannot identify one"
                            .into(),
                });
            } else {
                list.push(types::Tag {
                    name: t.name.clone(),
                    renamed_from: None,
                });
            }
        }
        sort_ci(&mut list, |t| &t.name);
        out.push((
            Kind::Tags,
            ConfigFile {
                tags: Some(list),
                ..ConfigFile::default()
            },
        ));
    }

    if kinds.contains(&Kind::Teams) {
        let dups = duplicated(live.teams.iter().map(|t| t.name.as_str()), false);
        let mut list = Vec::new();
        for t in &live.teams {
            if dups.contains(&t.name) {
                ignored.push(Ignored {
                    kind: Kind::Teams,
                    name: t.name.clone(),
                    why: "several teams have this name, so a name cannot identify one".into(),
                });
                continue;
            }
            let mut members: Vec<String> = t.admin_ids.iter().filter_map(|id| email(id)).collect();
            members.sort_by_key(|e| e.to_lowercase());
            // A member that is no longer a teammate cannot be written as an e-mail: leave the
            // membership unmanaged rather than plan to remove someone.
            let complete = members.len() == t.admin_ids.len() && !members.is_empty();
            let mut secondary: Vec<String> = t
                .secondary_admin_ids
                .iter()
                .filter_map(|id| email(id))
                .collect();
            secondary.sort_by_key(|e| e.to_lowercase());
            list.push(types::Team {
                name: t.name.clone(),
                members: complete.then_some(members),
                secondary: (complete && t.is_load_balanced() && !secondary.is_empty())
                    .then_some(secondary),
            });
        }
        sort_ci(&mut list, |t| &t.name);
        out.push((
            Kind::Teams,
            ConfigFile {
                teams: Some(list),
                ..ConfigFile::default()
            },
        ));
    }

    if kinds.contains(&Kind::Segments) {
        let dups = duplicated(live.segments.iter().map(|s| s.name.as_str()), false);
        let mut list = Vec::new();
        for s in &live.segments {
            if dups.contains(&s.name) {
                if !ignored
                    .iter()
                    .any(|i| i.kind == Kind::Segments && i.name == s.name)
                {
                    ignored.push(Ignored {
                        kind: Kind::Segments,
                        name: s.name.clone(),
                        why: "several segments have this name, so a name cannot identify one"
                            .into(),
                    });
                }
            } else {
                list.push(types::Segment {
                    name: s.name.clone(),
                });
            }
        }
        sort_ci(&mut list, |s| &s.name);
        out.push((
            Kind::Segments,
            ConfigFile {
                segments: Some(list),
                ..ConfigFile::default()
            },
        ));
    }

    if kinds.contains(&Kind::Audiences) {
        let dups = duplicated(live.audiences.iter().map(|a| a.name.as_str()), false);
        let mut list = Vec::new();
        let to_config = |p: &[crate::model::Predicate]| {
            p.iter()
                .map(|p| types::Predicate {
                    attribute: p.attribute.clone(),
                    value_type: p.value_type.clone(),
                    comparison: p.comparison.clone(),
                    value: p.value.clone(),
                })
                .collect::<Vec<_>>()
        };
        for a in &live.audiences {
            if dups.contains(&a.name) {
                if !ignored
                    .iter()
                    .any(|i| i.kind == Kind::Audiences && i.name == a.name)
                {
                    ignored.push(Ignored {
                        kind: Kind::Audiences,
                        name: a.name.clone(),
                        why: "several audiences have this name, so a name cannot identify one"
                            .into(),
                    });
                }
                continue;
            }
            list.push(types::Audience {
                name: a.name.clone(),
                predicates: Some(to_config(&a.predicates)),
                role_predicates: Some(to_config(&a.role_predicates)),
                renamed_from: None,
            });
        }
        sort_ci(&mut list, |a| &a.name);
        out.push((
            Kind::Audiences,
            ConfigFile {
                audiences: Some(list),
                ..ConfigFile::default()
            },
        ));
    }

    if kinds.contains(&Kind::OfficeHours) {
        let dups = duplicated(live.office_hours.iter().map(|s| s.name.as_str()), false);
        let mut list = Vec::new();
        for s in &live.office_hours {
            if dups.contains(&s.name) {
                if !ignored
                    .iter()
                    .any(|i| i.kind == Kind::OfficeHours && i.name == s.name)
                {
                    ignored.push(Ignored {
                        kind: Kind::OfficeHours,
                        name: s.name.clone(),
                        why: "several schedules have this name, so a name cannot identify one"
                            .into(),
                    });
                }
                continue;
            }
            let exceptions = s.exceptions.as_ref().map(|ex| {
                let mut ex: Vec<types::OfficeHoursException> = ex
                    .iter()
                    .map(|e| types::OfficeHoursException {
                        date: e.date.clone(),
                        closed: e.closed.then_some(true),
                        hours: (!e.closed).then(|| day_hours(&e.intervals)),
                        name: (!e.name.is_empty()).then(|| e.name.clone()),
                        recurring: Some(e.recurring),
                    })
                    .collect();
                ex.sort_by(|a, b| a.date.cmp(&b.date));
                ex
            });
            list.push(types::OfficeHours {
                name: s.name.clone(),
                time_zone: s.time_zone.clone(),
                hours: hours_map(&s.intervals),
                exceptions,
                renamed_from: None,
            });
        }
        sort_ci(&mut list, |s| &s.name);
        out.push((
            Kind::OfficeHours,
            ConfigFile {
                office_hours: Some(list),
                ..ConfigFile::default()
            },
        ));
    }
    (out, ignored)
}

fn file_name(kind: Kind) -> &'static str {
    match kind {
        Kind::ContactAttributes | Kind::CompanyAttributes => "data_attributes.yaml",
        Kind::ConversationAttributes => "conversation_attributes.yaml",
        Kind::Tags => "tags.yaml",
        Kind::Teams => "teams.yaml",
        Kind::Segments => "segments.yaml",
        Kind::Audiences => "audiences.yaml",
        Kind::OfficeHours => "office_hours.yaml",
        Kind::Events => "events.yaml",
    }
}

fn to_yaml(cfg: &ConfigFile) -> String {
    let text = serde_saphyr::to_string(cfg).unwrap_or_default();
    text.strip_prefix("---\n").unwrap_or(&text).to_string()
}

/// The `workspace:` guard and the `ignore:` section, with a comment per ignored object.
fn workspace_yaml(live: &Live, ignored: &[Ignored]) -> String {
    let mut cfg = ConfigFile {
        version: Some(1),
        ..ConfigFile::default()
    };
    let region = match live.me.app.region.to_lowercase().as_str() {
        "eu" => Some(types::Region::Eu),
        "au" => Some(types::Region::Au),
        "us" => Some(types::Region::Us),
        _ => None,
    };
    if !live.me.app.id_code.is_empty() {
        cfg.workspace = Some(types::Workspace {
            app_id: Some(live.me.app.id_code.clone()),
            region,
        });
    }
    let mut text = to_yaml(&cfg);
    if !ignored.is_empty() {
        text.push_str("# Objects the configuration language cannot represent: never planned, pruned or reported.\n");
        text.push_str("ignore:\n");
        let mut by_kind: BTreeMap<Kind, Vec<&Ignored>> = BTreeMap::new();
        for i in ignored {
            by_kind.entry(i.kind).or_default().push(i);
        }
        for (kind, items) in by_kind {
            text.push_str(&format!("  {}:\n", kind.plural()));
            for i in items {
                text.push_str(&format!("    # {}: {}\n", i.name.replace('\n', " "), i.why));
                text.push_str(&format!(
                    "    - {}\n",
                    serde_json::to_string(&glob_literal(&i.name)).unwrap_or_default()
                ));
            }
        }
    }
    text
}

/// Exports the kinds in `kinds` as one file per kind plus `workspace.yaml`.
pub fn export_files(live: &Live, kinds: &BTreeSet<Kind>) -> Vec<ExportFile> {
    let (sections, ignored) = build(live, kinds);
    let header = |what: &str| {
        format!(
            "{MODELINE}\n# {what}, exported from {} ({}) by intercom-iac.\n",
            live.me.app.name, live.me.app.id_code
        )
    };
    let mut files = vec![ExportFile {
        name: "workspace.yaml".into(),
        text: format!(
            "{}{}",
            header("Workspace guard"),
            workspace_yaml(live, &ignored)
        ),
    }];
    for (kind, cfg) in sections {
        let what = match kind {
            Kind::ContactAttributes => "Contact and company data attributes".to_string(),
            other => other.plural().replace('_', " "),
        };
        files.push(ExportFile {
            name: file_name(kind).into(),
            text: format!("{}{}", header(&what), to_yaml(&cfg)),
        });
    }
    files
}

/// Exports everything as one YAML document.
pub fn export_document(live: &Live, kinds: &BTreeSet<Kind>) -> String {
    let (sections, ignored) = build(live, kinds);
    let mut out = format!(
        "{MODELINE}\n# Exported from {} ({}) by intercom-iac.\n{}",
        live.me.app.name,
        live.me.app.id_code,
        workspace_yaml(live, &ignored)
    );
    for (_, cfg) in sections {
        out.push_str(&to_yaml(&cfg));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_join_identical_days_into_ranges() {
        let w: Vec<WeeklyInterval> = (0..5)
            .map(|d| WeeklyInterval {
                start_minute: d * 1440 + 540,
                end_minute: d * 1440 + 1050,
            })
            .chain([WeeklyInterval {
                start_minute: 5 * 1440 + 600,
                end_minute: 5 * 1440 + 840,
            }])
            .collect();
        let h = hours_map(&w);
        assert_eq!(h.len(), 2);
        assert_eq!(h["mon-fri"], ["09:00-17:30"]);
        assert_eq!(h["sat"], ["10:00-14:00"]);
        // An interval across midnight splits per day.
        let h = hours_map(&[WeeklyInterval {
            start_minute: 1320,
            end_minute: 1440 + 120,
        }]);
        assert_eq!(h["mon"], ["22:00-24:00"]);
        assert_eq!(h["tue"], ["00:00-02:00"]);
    }

    #[test]
    fn glob_metacharacters_are_escaped() {
        assert_eq!(glob_literal("a*b?[c]"), "a[*]b[?][[]c[]]");
        let g = globset::Glob::new(&glob_literal("a*b"))
            .unwrap()
            .compile_matcher();
        assert!(g.is_match("a*b"));
        assert!(!g.is_match("axb"));
    }
}
