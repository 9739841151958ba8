//! Diff tests on hand-built live state.

use super::*;
use crate::config::{Desired, load_sources};
use crate::model::*;

fn desired(yaml: &str) -> Desired {
    match load_sources(vec![("t.yaml".into(), yaml.as_bytes().to_vec())]) {
        Ok(l) => l.desired,
        Err(e) => panic!("{:#?}", e.diagnostics),
    }
}

fn attr(model: AttributeModel, id: &str, name: &str, t: DataAttributeType) -> DataAttribute {
    DataAttribute {
        id: Some(id.into()),
        model,
        name: name.into(),
        data_type: t,
        options: vec![],
        description: String::new(),
        messenger_writable: false,
        archived: false,
        custom: true,
    }
}

/// Adds one live object of `kind`.
fn push<T: Clone + Send + Sync + 'static>(live: &mut Live, kind: Kind, item: T) {
    let mut items = live.objects::<T>(kind).to_vec();
    items.push(item);
    live.set_objects(kind, items);
}

fn live() -> Live {
    let admin = |id: &str, email: &str| Admin {
        id: id.into(),
        name: email.into(),
        email: email.into(),
    };
    let attributes: Vec<DataAttribute> = vec![
        DataAttribute {
            custom: false,
            id: None,
            ..attr(
                AttributeModel::Contact,
                "",
                "email",
                DataAttributeType::String,
            )
        },
        attr(
            AttributeModel::Contact,
            "10",
            "plan_tier",
            DataAttributeType::List,
        ),
        attr(
            AttributeModel::Contact,
            "11",
            "score",
            DataAttributeType::Integer,
        ),
        attr(
            AttributeModel::Company,
            "12",
            "mrr",
            DataAttributeType::Integer,
        ),
    ];
    let (contact, company): (Vec<_>, Vec<_>) = attributes
        .into_iter()
        .partition(|a| a.model == AttributeModel::Contact);
    let mut live = Live::default()
        .with(Kind::ContactAttributes, contact)
        .with(Kind::CompanyAttributes, company)
        .with::<Tag>(
            Kind::Tags,
            vec![
                Tag {
                    id: "t1".into(),
                    name: "vip".into(),
                },
                Tag {
                    id: "t2".into(),
                    name: "churn_risk".into(),
                },
                Tag {
                    id: "t3".into(),
                    name: "adhoc-1".into(),
                },
                Tag {
                    id: "t4".into(),
                    name: "stale".into(),
                },
            ],
        )
        .with::<Team>(
            Kind::Teams,
            vec![
                Team {
                    id: "100".into(),
                    name: "Support".into(),
                    admin_ids: vec!["1".into(), "2".into()],
                    secondary_admin_ids: vec![],
                    distribution_method: Some("load_balanced".into()),
                },
                Team {
                    id: "101".into(),
                    name: "Sales".into(),
                    admin_ids: vec!["3".into()],
                    secondary_admin_ids: vec![],
                    distribution_method: Some("round_robin".into()),
                },
            ],
        )
        .with::<Segment>(
            Kind::Segments,
            vec![Segment {
                id: "s1".into(),
                name: "Active trials".into(),
            }],
        );
    live.admins = vec![
        admin("1", "alice@example.com"),
        admin("2", "bob@example.com"),
        admin("3", "carol@example.com"),
    ];
    live
}

fn plan(yaml: &str) -> Plan {
    diff(&desired(yaml), &live(), &Filter::default(), &[]).unwrap()
}

fn errors(yaml: &str) -> Vec<String> {
    diff(&desired(yaml), &live(), &Filter::default(), &[])
        .unwrap_err()
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

fn actions(p: &Plan) -> Vec<String> {
    p.changes
        .iter()
        .map(|c| format!("{} {}", c.action.symbol(), c.address))
        .collect()
}

#[test]
fn tag_renames_follow_the_rules() {
    // Only the old name live → rename by id; case-only difference → rename; neither → create.
    let p = plan(
        "tags:\n  - {name: churn-risk, renamed_from: churn_risk}\n  - {name: VIP}\n  - {name: new}\n",
    );
    assert_eq!(
        actions(&p),
        ["± tag[\"churn-risk\"]", "+ tag[\"new\"]", "± tag[\"VIP\"]"]
    );
    let ops: Vec<&Op> = p.changes.iter().flat_map(|c| &c.ops).collect();
    assert!(ops.contains(&&Op::RenameTag {
        id: "t2".into(),
        name: "churn-risk".into()
    }));
    assert!(ops.contains(&&Op::RenameTag {
        id: "t1".into(),
        name: "VIP".into()
    }));
    assert!(ops.contains(&&Op::CreateTag { name: "new".into() }));
    // Only the new name live → no-op.
    assert!(plan("tags:\n  - {name: vip, renamed_from: gone}\n").is_empty());
    // Both live → error.
    let e = errors("tags:\n  - {name: vip, renamed_from: stale}\n");
    assert_eq!(
        e,
        [
            "t.yaml:2:31: error: both `stale` and `vip` exist in Intercom, so the rename is ambiguous\n  help: merge them by hand in Intercom (delete one), then plan again"
        ]
    );
}

#[test]
fn prune_respects_ignore_and_renames() {
    let p = plan(
        "prune: [tags]\nignore:\n  tags: [\"adhoc-*\"]\ntags:\n  - {name: vip}\n  - {name: churn-risk, renamed_from: churn_risk}\n",
    );
    assert_eq!(actions(&p), ["± tag[\"churn-risk\"]", "- tag[\"stale\"]"]);
    assert_eq!(p.changes[1].ops, vec![Op::DeleteTag { id: "t4".into() }]);
    // Without prune, nothing is deleted.
    assert_eq!(
        actions(&plan("tags:\n  - {name: vip}\n")),
        Vec::<String>::new()
    );
}

#[test]
fn data_attributes_update_only_declared_fields() {
    let p = plan(
        "data_attributes:\n  contact:\n    - {name: score, type: integer, description: Lead score}\n    - {name: Plan_Tier, type: list, options: [a, b]}\n    - {name: new_one, type: string}\n",
    );
    assert_eq!(
        actions(&p),
        [
            "+ contact_attribute[\"new_one\"]",
            "~ contact_attribute[\"Plan_Tier\"]",
            "~ contact_attribute[\"score\"]"
        ]
    );
    let score = p.changes.iter().find(|c| c.address.key == "score").unwrap();
    assert_eq!(
        score.ops,
        vec![Op::UpdateDataAttribute {
            id: "11".into(),
            changes: DataAttributeChanges {
                description: Some("Lead score".into()),
                messenger_writable: None,
                options: None,
                archived: None
            }
        }]
    );
    // Declaring nothing new is a no-op.
    assert!(plan("data_attributes:\n  contact:\n    - {name: score, type: integer}\n").is_empty());
}

#[test]
fn attribute_plan_time_checks() {
    assert_eq!(
        errors(
            "data_attributes:\n  contact:\n    - {name: mrr, type: integer}\n    - {name: Email, type: string}\n"
        ),
        [
            "t.yaml:3:14: error: `mrr` is already a custom company attribute in Intercom\n  help: Intercom requires attribute names to be unique across contacts and companies; choose another name",
            "t.yaml:4:14: error: `Email` is one of Intercom's built-in contact attributes\n  help: built-in attributes are not managed; choose another name for a custom attribute",
        ]
    );
    // archived: true on an attribute that does not exist: a note, never a create.
    let p =
        plan("data_attributes:\n  contact:\n    - {name: gone, type: integer, archived: true}\n");
    assert!(p.changes.is_empty());
    assert_eq!(p.notes.len(), 1);
    // A type change is a manual step.
    let p = plan("data_attributes:\n  contact:\n    - {name: score, type: string}\n");
    assert_eq!(
        p.manual_steps[0].message,
        "change the type from `integer` to `string`"
    );
    assert!(p.changes.is_empty());
}

#[test]
fn attribute_cap_counts_archives_and_creates() {
    let mut l = live();
    for i in 0..247 {
        push(
            &mut l,
            Kind::ContactAttributes,
            attr(
                AttributeModel::Contact,
                &format!("x{i}"),
                &format!("x{i}"),
                DataAttributeType::String,
            ),
        );
    }
    // 250 live custom: one create needs one archive.
    let d = desired("data_attributes:\n  contact:\n    - {name: extra, type: string}\n");
    let e = diff(&d, &l, &Filter::default(), &[]).unwrap_err();
    assert!(
        e.diagnostics[0]
            .message
            .contains("would leave 251 custom data attributes"),
        "{}",
        e.diagnostics[0]
    );
    let d = desired(
        "data_attributes:\n  contact:\n    - {name: extra, type: string}\n    - {name: x0, type: string, archived: true}\n",
    );
    let p = diff(&d, &l, &Filter::default(), &[]).unwrap();
    assert_eq!(p.summary().create, 1);
    assert_eq!(p.summary().archive, 1);
}

#[test]
fn empty_secondary_on_a_team_without_levels_sends_no_levels() {
    // Intercom answers any `secondary_admin_ids` on a team that is not load-balanced with a
    // 400, so `secondary: []` there (already true) must not be sent.
    let p = plan(
        "teams:\n  - name: Sales\n    members: [alice@example.com, carol@example.com]\n    secondary: []\n",
    );
    assert_eq!(actions(&p), ["~ team[\"Sales\"]"]);
    assert_eq!(
        p.changes[0].ops,
        vec![Op::SetTeamMembers {
            id: "101".into(),
            members: TeamMembers {
                admin_ids: vec!["1".into(), "3".into()],
                secondary_admin_ids: None
            }
        }]
    );
    assert!(p.manual_steps.is_empty(), "{:?}", p.manual_steps);
    // Nothing else to change: no change at all.
    assert!(
        plan("teams:\n  - name: Sales\n    members: [carol@example.com]\n    secondary: []\n")
            .changes
            .is_empty()
    );
}

#[test]
fn teams_members_and_manual_steps() {
    let p = plan(
        "teams:\n  - name: Support\n    members: [alice@example.com, CAROL@example.com]\n    secondary: [carol@example.com]\n  - name: Sales\n    members: [carol@example.com]\n    secondary: [carol@example.com]\n  - name: Suport2\n",
    );
    assert_eq!(actions(&p), ["~ team[\"Support\"]"]);
    assert_eq!(
        p.changes[0].ops,
        vec![Op::SetTeamMembers {
            id: "100".into(),
            members: TeamMembers {
                admin_ids: vec!["1".into(), "3".into()],
                secondary_admin_ids: Some(vec!["3".into()])
            }
        }]
    );
    let manual: Vec<String> = p
        .manual_steps
        .iter()
        .map(|m| format!("{}: {}", m.address, m.message))
        .collect();
    assert_eq!(
        manual,
        [
            "team[\"Sales\"]: secondary members need a load-balanced team",
            "team[\"Suport2\"]: create the team `Suport2`"
        ]
    );
    assert!(
        p.manual_steps[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `Support`?")
    );
    assert_eq!(
        errors("teams:\n  - name: Support\n    members: [alice@exampel.com]\n"),
        [
            "t.yaml:3:15: error: `alice@exampel.com` is not a teammate of this workspace\n  help: did you mean `alice@example.com`?"
        ]
    );
}

#[test]
fn segments_must_exist() {
    let p = plan("segments:\n  - name: Active trials\n  - name: Active trial\n");
    assert_eq!(p.manual_steps.len(), 1);
    assert_eq!(
        p.manual_steps[0].message,
        "create the segment `Active trial`"
    );
    assert!(
        p.manual_steps[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `Active trials`?")
    );
}

#[test]
fn filter_narrows_the_plan() {
    let d = desired(
        "tags:\n  - {name: a}\n  - {name: b}\ndata_attributes:\n  contact:\n    - {name: c, type: string}\n",
    );
    let f = Filter {
        kinds: Default::default(),
        addresses: ["tag[\"A\"]".parse().unwrap()].into(),
    };
    let p = diff(&d, &live(), &f, &[]).unwrap();
    assert_eq!(actions(&p), ["+ tag[\"a\"]"]);
    let f = Filter {
        kinds: [Kind::ContactAttributes].into(),
        addresses: Default::default(),
    };
    let p = diff(&d, &live(), &f, &[]).unwrap();
    assert_eq!(actions(&p), ["+ contact_attribute[\"c\"]"]);
}

#[test]
fn office_hours_compare_normalised_intervals() {
    let mut l = live();
    push(
        &mut l,
        Kind::OfficeHours,
        OfficeHoursSchedule {
            id: "o1".into(),
            name: "EU".into(),
            time_zone: "Europe/Dublin".into(),
            intervals: (0..5)
                .map(|d| WeeklyInterval {
                    start_minute: d * 1440 + 540,
                    end_minute: d * 1440 + 1050,
                })
                .collect(),
            exceptions: Some(vec![]),
        },
    );
    let d = desired(
        "office_hours:\n  - name: EU\n    time_zone: europe/dublin\n    hours: {mon-fri: [\"09:00-17:30\"]}\n",
    );
    assert!(diff(&d, &l, &Filter::default(), &[]).unwrap().is_empty());
    let d = desired(
        "office_hours:\n  - name: EU\n    time_zone: Europe/Dublin\n    hours: {mon-fri: [\"09:00-17:30\"]}\n    exceptions:\n      - {date: 2026-12-25, closed: true}\n",
    );
    let p = diff(&d, &l, &Filter::default(), &[]).unwrap();
    assert_eq!(actions(&p), ["~ office_hours[\"EU\"]"]);
    assert!(matches!(
        &p.changes[0].ops[..],
        [Op::CreateOfficeHoursException {
            exception: NewOfficeHoursException { closed: true, .. },
            ..
        }]
    ));
}

#[test]
fn an_exception_without_a_name_keeps_the_live_name() {
    let mut l = live();
    push(
        &mut l,
        Kind::OfficeHours,
        OfficeHoursSchedule {
            id: "o1".into(),
            name: "EU".into(),
            time_zone: "Europe/Dublin".into(),
            intervals: vec![WeeklyInterval {
                start_minute: 540,
                end_minute: 1020,
            }],
            exceptions: Some(vec![OfficeHoursException {
                id: "x1".into(),
                date: "2026-12-25".into(),
                name: "Christmas Day".into(),
                closed: true,
                intervals: vec![],
                recurring: true,
            }]),
        },
    );
    let yaml = |exception: &str| {
        desired(&format!(
            "office_hours:\n  - name: EU\n    time_zone: Europe/Dublin\n    hours: {{mon: [\"09:00-17:00\"]}}\n    exceptions:\n      - {exception}\n"
        ))
    };
    let d = yaml("{date: 2026-12-25, closed: true, recurring: true}");
    assert!(diff(&d, &l, &Filter::default(), &[]).unwrap().is_empty());
    // Other changes keep the name too.
    let d = yaml("{date: 2026-12-25, hours: [\"09:00-12:00\"], recurring: true}");
    let p = diff(&d, &l, &Filter::default(), &[]).unwrap();
    assert!(matches!(
        &p.changes[0].ops[..],
        [Op::UpdateOfficeHoursException { changes: OfficeHoursExceptionChanges { name: Some(n), closed: false, .. }, .. }] if n == "Christmas Day"
    ));
}

#[test]
fn digest_depends_on_actions_only() {
    let a = plan("tags:\n  - {name: a}\n");
    let b = plan("# comment\ntags:\n  - name: a\n");
    assert_eq!(a.digest(), b.digest());
    assert_ne!(a.digest(), plan("tags:\n  - {name: b}\n").digest());
}
