//! Runs a plan: phase by phase (renames, archives, creates and updates, deletes), changes of a
//! phase concurrently, each change's operations in order. A failed change does not stop
//! independent ones; changes that depend on it are skipped. The report says exactly what was
//! applied, failed and skipped, so that a re-run converges.

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::Arc;
use std::sync::Mutex;

use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::kinds;
use crate::model::change::Op;
use crate::model::{Address, Kind};
use crate::plan::{Action, Change, Phase, Plan};

/// Why a write failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WriteError {
    /// Intercom (or the transport) refused the call.
    Api {
        /// HTTP status, when there was a response.
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Intercom's error code.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Intercom's request id.
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        /// What happened and what to do.
        message: String,
    },
    /// The workspace cannot manage team membership through the API.
    PlanRestricted {
        /// Intercom's message.
        message: String,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Api { message, .. } | WriteError::PlanRestricted { message } => {
                f.write_str(message)
            }
        }
    }
}

/// Performs one operation against a workspace.
pub trait Writer: Send + Sync + 'static {
    /// Runs `op`. `created` is the id of the object that an earlier operation of the same
    /// change created (an office-hours schedule for its exceptions). Returns the id of the
    /// object the operation created, if any.
    fn write(
        &self,
        op: &Op,
        created: Option<&str>,
    ) -> impl Future<Output = Result<Option<String>, WriteError>> + Send;
}

/// How one change ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Every operation succeeded.
    Applied,
    /// An operation failed; `ops_done` of them had succeeded before.
    Failed {
        /// The failure.
        error: WriteError,
        /// Operations completed before the failure.
        ops_done: usize,
    },
    /// Not attempted because a change it depends on failed.
    Skipped {
        /// Why.
        reason: String,
    },
    /// The API cannot do it in this workspace: now a manual step.
    Manual {
        /// What to do by hand.
        message: String,
    },
}

/// The result of one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeReport {
    /// The object.
    pub address: Address,
    /// What the change was.
    pub action: Action,
    /// How it ended.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The result of a whole apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Every planned change, in the order they finished.
    pub changes: Vec<ChangeReport>,
}

impl ApplyReport {
    /// Counts: applied, failed, skipped, turned manual.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for r in &self.changes {
            match r.outcome {
                Outcome::Applied => c.0 += 1,
                Outcome::Failed { .. } => c.1 += 1,
                Outcome::Skipped { .. } => c.2 += 1,
                Outcome::Manual { .. } => c.3 += 1,
            }
        }
        c
    }

    /// Whether any change failed or was skipped.
    pub fn failed(&self) -> bool {
        let (_, failed, skipped, _) = self.counts();
        failed + skipped > 0
    }
}

/// Apply settings.
#[derive(Debug, Clone, Copy)]
pub struct ApplyOptions {
    /// Changes in flight at once (all share the client's rate limiter).
    pub concurrency: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions { concurrency: 8 }
    }
}

/// Whether `change` must not run because `failed` did not complete. Renames run first so later
/// changes of the kind can rely on the new names; archives free the slots that creates of the
/// same section may need under Intercom's cap (contact and company attributes share one).
fn depends_on(change: &Change, failed: &Change) -> bool {
    match failed.phase {
        Phase::Rename => change.phase > Phase::Rename && change.address.kind == failed.address.kind,
        Phase::Free => {
            change.action == Action::Create
                && kinds::spec(failed.address.kind)
                    .kinds()
                    .contains(&change.address.kind)
        }
        _ => false,
    }
}

async fn run_change<W: Writer>(writer: &W, change: &Change) -> Outcome {
    let mut created: Option<String> = None;
    for (i, op) in change.ops.iter().enumerate() {
        match writer.write(op, created.as_deref()).await {
            Ok(id) => {
                if created.is_none() {
                    created = id;
                }
            }
            Err(WriteError::PlanRestricted { message }) => return Outcome::Manual { message },
            Err(error) => return Outcome::Failed { error, ops_done: i },
        }
    }
    Outcome::Applied
}

/// Applies the plan's changes and reports each one through `on_done` as it finishes.
pub async fn apply<W: Writer>(
    plan: &Plan,
    writer: Arc<W>,
    options: ApplyOptions,
    mut on_done: impl FnMut(&ChangeReport),
) -> ApplyReport {
    let mut report = ApplyReport::default();
    let mut failed: Vec<Change> = Vec::new();
    // Kinds whose writes the workspace's plan refused: their other changes become manual
    // steps without another call (team membership is enabled per workspace).
    let restricted: Arc<Mutex<BTreeMap<Kind, String>>> = Arc::default();
    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let phases: BTreeSet<Phase> = plan.changes.iter().map(|c| c.phase).collect();
    for phase in phases {
        let mut set = JoinSet::new();
        let mut in_flight = std::collections::HashMap::new();
        for change in plan.changes.iter().filter(|c| c.phase == phase) {
            if let Some(cause) = failed.iter().find(|f| depends_on(change, f)) {
                let r = ChangeReport {
                    address: change.address.clone(),
                    action: change.action,
                    outcome: Outcome::Skipped {
                        reason: format!("{} did not complete", cause.address),
                    },
                };
                on_done(&r);
                report.changes.push(r);
                continue;
            }
            let change = change.clone();
            let for_report = change.clone();
            let writer = Arc::clone(&writer);
            let semaphore = Arc::clone(&semaphore);
            let restricted = Arc::clone(&restricted);
            let handle = set.spawn(async move {
                let _permit = semaphore.acquire_owned().await.ok();
                let kind = change.address.kind;
                let refused = restricted.lock().ok().and_then(|r| r.get(&kind).cloned());
                let outcome = match refused {
                    Some(message) => Outcome::Manual { message },
                    None => {
                        let o = run_change(writer.as_ref(), &change).await;
                        if let Outcome::Manual { message } = &o
                            && let Ok(mut r) = restricted.lock()
                        {
                            r.entry(kind).or_insert_with(|| message.clone());
                        }
                        o
                    }
                };
                (change, outcome)
            });
            in_flight.insert(handle.id(), for_report);
        }
        while let Some(joined) = set.join_next_with_id().await {
            let (change, outcome) = match joined {
                Ok((_, pair)) => pair,
                // A task that panicked or was cancelled is reported as failed, never dropped.
                Err(e) => match in_flight.remove(&e.id()) {
                    Some(change) => (
                        change,
                        Outcome::Failed {
                            error: WriteError::Api {
                                status: None,
                                code: None,
                                request_id: None,
                                message: format!("internal error while applying: {e}"),
                            },
                            ops_done: 0,
                        },
                    ),
                    None => continue,
                },
            };
            if matches!(outcome, Outcome::Failed { .. }) {
                failed.push(change.clone());
            }
            let r = ChangeReport {
                address: change.address.clone(),
                action: change.action,
                outcome,
            };
            on_done(&r);
            report.changes.push(r);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::plan::ScheduleRef;

    /// Records calls; fails the operations it is told to.
    struct Fake {
        calls: Mutex<Vec<String>>,
        fail_on: Vec<String>,
        restricted: bool,
    }

    impl Writer for Fake {
        async fn write(
            &self,
            op: &Op,
            created: Option<&str>,
        ) -> Result<Option<String>, WriteError> {
            let name = match op {
                Op::CreateTag { name } => format!("create {name}"),
                Op::RenameTag { name, .. } => format!("rename {name}"),
                Op::DeleteTag { id } => format!("delete {id}"),
                Op::CreateOfficeHours { name, .. } => format!("schedule {name}"),
                Op::CreateOfficeHoursException { schedule, date, .. } => {
                    assert_eq!(*schedule, ScheduleRef::Created);
                    format!("exception {date} on {}", created.unwrap_or("?"))
                }
                Op::SetTeamMembers { id, .. } => format!("team {id}"),
                other => format!("{other:?}"),
            };
            self.calls.lock().unwrap().push(name.clone());
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
                    Op::CreateOfficeHours {
                        name: "EU".into(),
                        time_zone: "UTC".into(),
                        intervals: vec![],
                    },
                    Op::CreateOfficeHoursException {
                        schedule: ScheduleRef::Created,
                        date: "2026-12-25".into(),
                        closed: true,
                        name: None,
                        intervals: vec![],
                        recurring: None,
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
                            admin_ids: vec![],
                            secondary_admin_ids: None,
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
}
