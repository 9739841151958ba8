//! The scheduler against a scripted `Writer`: order, concurrency, failures and skips.

use std::sync::Mutex;

use super::*;
use crate::model::*;
use crate::plan::ScheduleRef;

/// Records calls; fails the operations it is told to.
struct Fake {
    calls: Mutex<Vec<String>>,
    fail_on: Vec<String>,
    restricted: bool,
    /// `start NAME` and `end NAME` of every call, in the order they happened.
    timeline: Mutex<Vec<String>>,
}

impl Writer for Fake {
    async fn write(&self, op: &Op, created: Option<&str>) -> Result<Option<String>, WriteError> {
        let name = match op {
            Op::CreateTag { name } => format!("create {name}"),
            Op::RenameTag { name, .. } => format!("rename {name}"),
            Op::DeleteTag { id } => format!("delete {id}"),
            Op::CreateOfficeHours(new) => format!("schedule {}", new.name),
            Op::CreateOfficeHoursException {
                schedule,
                exception,
            } => {
                assert_eq!(*schedule, ScheduleRef::Created);
                format!("exception {} on {}", exception.date, created.unwrap_or("?"))
            }
            Op::SetTeamMembers { id, .. } => format!("team {id}"),
            Op::CreateDataAttribute(new) => format!("create attribute {}", new.name),
            Op::UpdateDataAttribute { id, .. } => format!("archive attribute {id}"),
            other => format!("{other:?}"),
        };
        self.calls.lock().unwrap().push(name.clone());
        self.timeline.lock().unwrap().push(format!("start {name}"));
        // Let every other call that may run now start before this one ends.
        for _ in 0..4 {
            tokio::task::yield_now().await;
        }
        self.timeline.lock().unwrap().push(format!("end {name}"));
        if self.restricted && name.starts_with("team") {
            return Err(WriteError::PlanRestricted {
                message: "not available".into(),
            });
        }
        if name == "create panic" {
            panic!("a writer bug");
        }
        if self.fail_on.contains(&name) {
            return Err(WriteError::Api {
                status: Some(500),
                code: None,
                request_id: None,
                message: "boom".into(),
            });
        }
        Ok(name.strip_prefix("schedule ").map(|n| format!("id-{n}")))
    }
}

fn change(kind: Kind, key: &str, action: Action, phase: Phase, ops: Vec<Op>) -> Change {
    Change {
        address: Address::new(kind, key),
        action,
        id: None,
        renamed_from: None,
        fields: vec![],
        ops,
        phase,
        fingerprint: String::new(),
    }
}

fn fake(fail_on: &[&str]) -> Arc<Fake> {
    Arc::new(Fake {
        calls: Mutex::new(vec![]),
        fail_on: fail_on.iter().map(|s| s.to_string()).collect(),
        restricted: false,
        timeline: Mutex::new(vec![]),
    })
}

#[tokio::test]
async fn failures_skip_dependents_only() {
    let plan = Plan {
        changes: vec![
            change(
                Kind::Tags,
                "b",
                Action::Rename,
                Phase::Rename,
                vec![Op::RenameTag {
                    id: "1".into(),
                    name: "b".into(),
                }],
            ),
            change(
                Kind::Tags,
                "c",
                Action::Create,
                Phase::Write,
                vec![Op::CreateTag { name: "c".into() }],
            ),
            change(
                Kind::Audiences,
                "d",
                Action::Delete,
                Phase::Delete,
                vec![Op::DeleteAudience { id: "9".into() }],
            ),
        ],
        ..Plan::default()
    };
    let w = fake(&["rename b"]);
    let mut seen = 0;
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {
        seen += 1
    })
    .await;
    assert_eq!(seen, 3);
    let (applied, failed, skipped, manual) = report.counts();
    assert_eq!((applied, failed, skipped, manual), (1, 1, 1, 0));
    let skipped = report
        .changes
        .iter()
        .find(|r| r.address.key == "c")
        .unwrap();
    assert_eq!(
        skipped.outcome,
        Outcome::Skipped {
            reason: "tag[\"b\"] did not complete".into()
        }
    );
    assert!(!w.calls.lock().unwrap().contains(&"create c".to_string()));
    assert!(report.failed());
}

#[tokio::test]
async fn operations_of_a_change_run_in_order_with_the_created_id() {
    let plan = Plan {
        changes: vec![change(
            Kind::OfficeHours,
            "EU",
            Action::Create,
            Phase::Write,
            vec![
                Op::CreateOfficeHours(NewOfficeHoursSchedule {
                    name: "EU".into(),
                    time_zone: "UTC".into(),
                    intervals: vec![],
                }),
                Op::CreateOfficeHoursException {
                    schedule: ScheduleRef::Created,
                    exception: NewOfficeHoursException {
                        date: "2026-12-25".into(),
                        closed: true,
                        name: None,
                        intervals: vec![],
                        recurring: None,
                    },
                },
            ],
        )],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts().0, 1);
    assert_eq!(
        *w.calls.lock().unwrap(),
        ["schedule EU", "exception 2026-12-25 on id-EU"]
    );
}

#[tokio::test]
async fn restricted_team_api_turns_into_manual_steps() {
    let plan = Plan {
        changes: (0..3)
            .map(|i| {
                change(
                    Kind::Teams,
                    &format!("t{i}"),
                    Action::Update,
                    Phase::Write,
                    vec![Op::SetTeamMembers {
                        id: i.to_string(),
                        members: TeamMembers {
                            admin_ids: vec![],
                            secondary_admin_ids: None,
                        },
                    }],
                )
            })
            .collect(),
        ..Plan::default()
    };
    let w = Arc::new(Fake {
        calls: Mutex::new(vec![]),
        fail_on: vec![],
        restricted: true,
        timeline: Mutex::new(vec![]),
    });
    let report = apply(
        &plan,
        Arc::clone(&w),
        ApplyOptions { concurrency: 1 },
        |_| {},
    )
    .await;
    assert_eq!(report.counts(), (0, 0, 0, 3));
    assert!(!report.failed());
    // After the first refusal no further team call is made.
    assert_eq!(w.calls.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_crashed_change_is_reported_not_dropped() {
    let plan = Plan {
        changes: vec![
            change(
                Kind::Tags,
                "panic",
                Action::Create,
                Phase::Write,
                vec![Op::CreateTag {
                    name: "panic".into(),
                }],
            ),
            change(
                Kind::Tags,
                "fine",
                Action::Create,
                Phase::Write,
                vec![Op::CreateTag {
                    name: "fine".into(),
                }],
            ),
        ],
        ..Plan::default()
    };
    let report = apply(&plan, fake(&[]), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.changes.len(), 2);
    assert_eq!(report.counts(), (1, 1, 0, 0));
    let crashed = report
        .changes
        .iter()
        .find(|r| r.address.key == "panic")
        .unwrap();
    assert!(
        matches!(&crashed.outcome, Outcome::Failed { error, .. } if error.to_string().starts_with("internal error"))
    );
    assert!(report.failed());
}

#[tokio::test]
async fn an_empty_plan_makes_no_call() {
    let w = fake(&[]);
    let report = apply(
        &Plan::default(),
        Arc::clone(&w),
        ApplyOptions::default(),
        |_| {},
    )
    .await;
    assert!(report.changes.is_empty());
    assert!(w.calls.lock().unwrap().is_empty());
}

fn schedule(key: &str, exceptions: &[&str]) -> Change {
    let mut ops = vec![Op::CreateOfficeHours(NewOfficeHoursSchedule {
        name: key.into(),
        time_zone: "UTC".into(),
        intervals: vec![],
    })];
    ops.extend(
        exceptions
            .iter()
            .map(|date| Op::CreateOfficeHoursException {
                schedule: ScheduleRef::Created,
                exception: NewOfficeHoursException {
                    date: date.to_string(),
                    closed: true,
                    name: None,
                    intervals: vec![],
                    recurring: None,
                },
            }),
    );
    change(Kind::OfficeHours, key, Action::Create, Phase::Write, ops)
}

fn tag(key: &str, action: Action, phase: Phase) -> Change {
    let op = match action {
        Action::Rename => Op::RenameTag {
            id: "1".into(),
            name: key.into(),
        },
        Action::Delete => Op::DeleteTag { id: key.into() },
        _ => Op::CreateTag { name: key.into() },
    };
    change(Kind::Tags, key, action, phase, vec![op])
}

/// Where `event` happened in the timeline.
fn at(w: &Fake, event: &str) -> usize {
    let timeline = w.timeline.lock().unwrap();
    timeline
        .iter()
        .position(|e| e == event)
        .unwrap_or_else(|| panic!("no `{event}` in {timeline:?}"))
}

#[tokio::test]
async fn independent_changes_of_every_phase_run_at_once() {
    let plan = Plan {
        changes: vec![
            tag("old", Action::Delete, Phase::Delete),
            tag("new", Action::Create, Phase::Write),
            change(
                Kind::ContactAttributes,
                "gone",
                Action::Archive,
                Phase::Free,
                vec![Op::UpdateDataAttribute {
                    id: "7".into(),
                    changes: DataAttributeChanges {
                        description: None,
                        messenger_writable: None,
                        options: None,
                        archived: Some(true),
                    },
                }],
            ),
            change(
                Kind::Audiences,
                "renamed",
                Action::Rename,
                Phase::Rename,
                vec![Op::UpdateAudience {
                    id: "3".into(),
                    changes: AudienceChanges {
                        name: Some("renamed".into()),
                        predicates: None,
                        role_predicates: None,
                    },
                }],
            ),
        ],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (4, 0, 0, 0));
    // No phase waits for another: all four calls started before the first one ended.
    let first_end = w
        .timeline
        .lock()
        .unwrap()
        .iter()
        .position(|e| e.starts_with("end "))
        .unwrap();
    assert_eq!(first_end, 4, "{:?}", w.timeline.lock().unwrap());
}

#[tokio::test]
async fn a_kinds_renames_end_before_its_other_changes_start() {
    let plan = Plan {
        changes: vec![
            tag("b", Action::Rename, Phase::Rename),
            tag("c", Action::Create, Phase::Write),
            tag("d", Action::Delete, Phase::Delete),
            schedule("EU", &[]),
        ],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (4, 0, 0, 0));
    assert!(at(&w, "end rename b") < at(&w, "start create c"));
    assert!(at(&w, "end rename b") < at(&w, "start delete d"));
    // Another kind does not wait for the tags' rename.
    assert!(at(&w, "start schedule EU") < at(&w, "end rename b"));
}

#[tokio::test]
async fn every_rename_of_a_kind_ends_before_its_other_changes_start() {
    let mut changes: Vec<Change> = ["r1", "r2", "r3"]
        .iter()
        .map(|k| tag(k, Action::Rename, Phase::Rename))
        .collect();
    changes.push(tag("c1", Action::Create, Phase::Write));
    changes.push(tag("c2", Action::Create, Phase::Write));
    let plan = Plan {
        changes,
        ..Plan::default()
    };
    let w = fake(&["rename r2"]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    // The other renames still run; the creates wait for all three and are skipped.
    assert_eq!(report.counts(), (2, 1, 2, 0));
    assert_eq!(w.calls.lock().unwrap().len(), 3);

    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (5, 0, 0, 0));
    let last_rename = ["r1", "r2", "r3"]
        .iter()
        .map(|k| at(&w, &format!("end rename {k}")))
        .max()
        .unwrap();
    for k in ["c1", "c2"] {
        assert!(last_rename < at(&w, &format!("start create {k}")), "{k}");
    }
}

#[tokio::test]
async fn archives_end_before_creates_in_their_section_only() {
    let archive = change(
        Kind::ContactAttributes,
        "old_attr",
        Action::Archive,
        Phase::Free,
        vec![Op::UpdateDataAttribute {
            id: "7".into(),
            changes: DataAttributeChanges {
                description: None,
                messenger_writable: None,
                options: None,
                archived: Some(true),
            },
        }],
    );
    let create = change(
        Kind::CompanyAttributes,
        "new_attr",
        Action::Create,
        Phase::Write,
        vec![Op::CreateDataAttribute(NewDataAttribute {
            model: crate::model::AttributeModel::Company,
            name: "new_attr".into(),
            data_type: crate::model::DataAttributeType::String,
            options: vec![],
            description: None,
            messenger_writable: None,
        })],
    );
    let plan = Plan {
        changes: vec![archive, create, tag("t", Action::Create, Phase::Write)],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (3, 0, 0, 0));
    assert!(at(&w, "end archive attribute 7") < at(&w, "start create attribute new_attr"));
    assert!(at(&w, "start create t") < at(&w, "end archive attribute 7"));
}

#[tokio::test]
async fn a_new_schedules_exceptions_start_together_after_its_create() {
    let plan = Plan {
        changes: vec![schedule("EU", &["2026-12-25", "2026-12-26", "2027-01-01"])],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (1, 0, 0, 0));
    let dates = ["2026-12-25", "2026-12-26", "2027-01-01"];
    let created = at(&w, "end schedule EU");
    let first_end = dates
        .iter()
        .map(|d| at(&w, &format!("end exception {d} on id-EU")))
        .min()
        .unwrap();
    for d in dates {
        let start = at(&w, &format!("start exception {d} on id-EU"));
        assert!(created < start && start < first_end, "{d}");
    }
}

#[tokio::test]
async fn a_failed_create_leaves_its_exceptions_unsent() {
    let plan = Plan {
        changes: vec![
            schedule("EU", &["2026-12-25", "2026-12-26"]),
            schedule("US", &["2026-07-04"]),
        ],
        ..Plan::default()
    };
    let w = fake(&["schedule EU"]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (1, 1, 0, 0));
    let eu = report
        .changes
        .iter()
        .find(|r| r.address.key == "EU")
        .unwrap();
    assert!(
        matches!(eu.outcome, Outcome::Failed { ops_done: 0, .. }),
        "{:?}",
        eu.outcome
    );
    let calls = w.calls.lock().unwrap();
    assert!(!calls.iter().any(|c| c.ends_with("on id-EU")), "{calls:?}");
    assert!(calls.contains(&"exception 2026-07-04 on id-US".to_string()));
}

#[tokio::test]
async fn concurrency_bounds_the_calls_in_flight_across_changes() {
    let plan = Plan {
        changes: vec![
            schedule("EU", &["2026-12-25", "2026-12-26", "2027-01-01"]),
            tag("a", Action::Create, Phase::Write),
            tag("b", Action::Create, Phase::Write),
        ],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(
        &plan,
        Arc::clone(&w),
        ApplyOptions { concurrency: 2 },
        |_| {},
    )
    .await;
    assert_eq!(report.counts(), (3, 0, 0, 0));
    let mut open = 0usize;
    let mut most = 0;
    for e in w.timeline.lock().unwrap().iter() {
        if e.starts_with("start ") {
            open += 1;
            most = most.max(open);
        } else {
            open -= 1;
        }
    }
    assert_eq!(most, 2);
    assert_eq!(w.calls.lock().unwrap().len(), 6);
}

#[tokio::test]
async fn skips_follow_a_failure_through_every_level() {
    // A conversation attribute's rename fails: its archive waits for it and the create in
    // its section waits for the archive; both are skipped without a call.
    let rename = change(
        Kind::ConversationAttributes,
        "Renamed",
        Action::Rename,
        Phase::Rename,
        vec![Op::UpdateConversationAttribute {
            id: "1".into(),
            changes: ConversationAttributeChanges {
                name: Some("Renamed".into()),
                description: None,
                required: None,
                visible_to_team_ids: None,
                multiline: None,
            },
        }],
    );
    let archive = change(
        Kind::ConversationAttributes,
        "Old",
        Action::Archive,
        Phase::Free,
        vec![Op::ArchiveConversationAttribute { id: "2".into() }],
    );
    let create = change(
        Kind::ConversationAttributes,
        "New",
        Action::Create,
        Phase::Write,
        vec![Op::CreateConversationAttribute(NewConversationAttribute {
            name: "New".into(),
            data_type: crate::model::ConversationAttributeType::String,
            options: vec![],
            description: None,
            required: None,
            visible_to_team_ids: None,
            multiline: None,
        })],
    );
    let plan = Plan {
        changes: vec![rename, archive, create],
        ..Plan::default()
    };
    let failing = format!("{:?}", plan.changes[0].ops[0]);
    let w = fake(&[failing.as_str()]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (0, 1, 2, 0));
    assert_eq!(w.calls.lock().unwrap().len(), 1);
}

/// A link of article `A` to the article that change `schedule` creates (a schedule stands in
/// for it: the fake gives schedules ids), placed before that change in the plan.
fn link_to(schedule: &str) -> Change {
    let link = Op::LinkArticle(ArticleLinks {
        article: ArticleRef::Id("1".into()),
        body_markdown: Some("[b](b.md)".into()),
        links: vec![PendingLink {
            at: 4,
            len: 4,
            anchor: None,
            id: None,
            locale: None,
            after: OpRef {
                address: Address::new(Kind::OfficeHours, schedule),
                op: 0,
            },
        }],
        translated_content: Default::default(),
    });
    change(
        Kind::Articles,
        "A",
        Action::Update,
        Phase::Write,
        vec![link],
    )
}

#[tokio::test]
async fn a_link_waits_for_the_write_of_another_change_and_gets_its_id() {
    let plan = Plan {
        changes: vec![link_to("B"), schedule("B", &[])],
        ..Plan::default()
    };
    let w = fake(&[]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (2, 0, 0, 0));
    let calls = w.calls.lock().unwrap();
    assert_eq!(calls[0], "schedule B", "{calls:?}");
    assert!(calls[1].contains("id: Some(\"id-B\")"), "{calls:?}");
}

#[tokio::test]
async fn a_link_whose_target_was_not_written_is_not_sent() {
    let plan = Plan {
        changes: vec![link_to("B"), schedule("B", &[])],
        ..Plan::default()
    };
    let w = fake(&["schedule B"]);
    let report = apply(&plan, Arc::clone(&w), ApplyOptions::default(), |_| {}).await;
    assert_eq!(report.counts(), (0, 1, 1, 0));
    let link = report
        .changes
        .iter()
        .find(|r| r.address.key == "A")
        .unwrap();
    assert_eq!(
        link.outcome,
        Outcome::Skipped {
            reason: "office_hours[\"B\"] did not complete".into()
        }
    );
    assert_eq!(*w.calls.lock().unwrap(), ["schedule B"]);
}
