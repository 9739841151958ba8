//! Runs a plan: every write call in one queue across kinds, ordered only by real dependencies
//! (a kind's renames before its other changes, attribute archives before creates in their
//! section, a new office-hours schedule before its exceptions; a change's other operations in
//! order), up to `--concurrency` calls in flight. A failed change does not stop independent
//! ones; changes that depend on it make no call and are reported skipped. The report says
//! exactly what was applied, failed and skipped, so that a re-run converges.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::sync::Arc;

use serde::Serialize;
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
    /// change created (an office-hours schedule for its exceptions, a new collection's new
    /// parent): the one its prerequisite created, else the change's first. Returns the id of the
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
    /// Write calls in flight at once (all share the client's rate limiter).
    pub concurrency: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions { concurrency: 8 }
    }
}

/// Whether `change` must wait for `earlier` and must not run when `earlier` did not complete:
/// the plan's only real dependencies. Renames go before the kind's other changes, so nothing
/// collides with an old name; archives free the slots that creates of the same section may
/// need under Intercom's cap (contact and company attributes share one). Nothing else waits:
/// creates, updates and deletes of different objects never need each other. The last phase
/// (the IP allowlist) waits for every other change.
fn depends_on(change: &Change, earlier: &Change) -> bool {
    // The IP allowlist may lock the caller out: it goes after everything else.
    if change.phase == Phase::Last {
        return earlier.phase != Phase::Last;
    }
    match earlier.phase {
        Phase::Rename => {
            change.phase > Phase::Rename && change.address.kind == earlier.address.kind
        }
        Phase::Free => {
            change.action == Action::Create
                && kinds::spec(earlier.address.kind)
                    .kinds()
                    .contains(&change.address.kind)
        }
        _ => false,
    }
}

/// The changes of one phase and kind. Whether a change waits for another depends only on
/// the other's phase and kind, so a change waits for whole groups: a plan of thousands of
/// renames needs one edge per waiting change, not one per pair.
#[derive(Debug, Default)]
struct Group {
    /// Members not finished yet.
    left: usize,
    /// A member did not complete: its dependents were skipped.
    failed: bool,
    /// The changes that wait for every member.
    dependents: Vec<usize>,
}

/// The groups (by the phase and kind of their members), the group of each change, and how
/// many groups each change waits for.
fn dependency_graph(changes: &[Change]) -> (Vec<Group>, Vec<usize>, Vec<usize>) {
    let mut index: BTreeMap<(Phase, Kind), usize> = BTreeMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut representative: Vec<usize> = Vec::new();
    let mut member_of = Vec::with_capacity(changes.len());
    for (c, change) in changes.iter().enumerate() {
        let g = *index
            .entry((change.phase, change.address.kind))
            .or_insert_with(|| {
                groups.push(Group::default());
                representative.push(c);
                groups.len() - 1
            });
        groups[g].left += 1;
        member_of.push(g);
    }
    let mut waits = vec![0; changes.len()];
    for (group, &rep) in groups.iter_mut().zip(&representative) {
        for (c, change) in changes.iter().enumerate() {
            if member_of[c] != member_of[rep] && depends_on(change, &changes[rep]) {
                group.dependents.push(c);
                waits[c] += 1;
            }
        }
    }
    (groups, member_of, waits)
}

/// Where one change stands while the plan runs.
#[derive(Debug, Default)]
struct Progress {
    /// Groups of prerequisite changes not finished yet.
    waiting_for: usize,
    /// Operations in flight.
    in_flight: usize,
    /// Operations that succeeded.
    ops_done: usize,
    /// The id the change's first create returned, for the operations that need it.
    created: Option<String>,
    /// The id each operation created, by operation index (a nested collection needs the
    /// id of its parent's create).
    created_by: BTreeMap<usize, String>,
    /// The first failure, by operation index.
    error: Option<(usize, WriteError)>,
    /// The workspace refused the kind's API: the change became a manual step.
    manual: Option<String>,
    /// Reported.
    finished: bool,
    /// Its operations may run (the changes it waits for are done).
    started: bool,
    /// The operations that succeeded, by index.
    done: std::collections::BTreeSet<usize>,
}

/// One write call of one change: (change index, operation index).
type Unit = (usize, usize);

/// The state of one apply: every change's progress, the dependency graph and the queue of
/// operations whose prerequisites are done.
struct Run<'p> {
    changes: &'p [Change],
    progress: Vec<Progress>,
    groups: Vec<Group>,
    member_of: Vec<usize>,
    /// Per change, per operation: the operations that wait for it.
    op_dependents: Vec<Vec<Vec<usize>>>,
    /// Waits for operations of other changes.
    waits: waits::Waits,
    ready: VecDeque<Unit>,
    report: ApplyReport,
}

impl<'p> Run<'p> {
    fn new(changes: &'p [Change]) -> Self {
        let (groups, member_of, waits) = dependency_graph(changes);
        let op_dependents = changes
            .iter()
            .map(|c| {
                let mut after = vec![Vec::new(); c.ops.len()];
                for i in 0..c.ops.len() {
                    if let Some(p) = c.op_prerequisite(i) {
                        after[p].push(i);
                    }
                }
                after
            })
            .collect();
        let progress = waits
            .into_iter()
            .map(|waiting_for| Progress {
                waiting_for,
                ..Progress::default()
            })
            .collect();
        Run {
            changes,
            progress,
            groups,
            member_of,
            op_dependents,
            waits: waits::Waits::new(changes),
            ready: VecDeque::new(),
            report: ApplyReport::default(),
        }
    }

    /// Queues the operations of change `c` that wait for no other (or reports it applied when
    /// it has none).
    fn start(&mut self, c: usize, on_done: &mut impl FnMut(&ChangeReport)) {
        self.progress[c].started = true;
        let roots: Vec<Unit> = (0..self.changes[c].ops.len())
            .filter(|&i| self.changes[c].op_prerequisite(i).is_none())
            .map(|i| (c, i))
            .filter(|&u| !self.waits.blocked(u))
            .collect();
        if self.changes[c].ops.is_empty() {
            self.finish(c, Outcome::Applied, on_done);
        }
        self.ready.extend(roots);
    }

    /// Queues operation `u` of another change whose waits across changes are over, when its
    /// change runs and its own prerequisite is done.
    fn freed(&mut self, (c, i): Unit) {
        let p = &self.progress[c];
        let prerequisite_done = self.changes[c]
            .op_prerequisite(i)
            .is_none_or(|q| p.done.contains(&q));
        if p.started && !p.finished && p.error.is_none() && p.manual.is_none() && prerequisite_done
        {
            self.ready.push_back((c, i));
        }
    }

    /// The id that the operation `r` names created, once it ran.
    fn output(&self, r: &crate::model::OpRef) -> Option<String> {
        let (c, i) = self.waits.unit(self.changes, r)?;
        self.progress[c].created_by.get(&i).cloned()
    }

    /// Records that operation `i` of change `c` ended, and reports the change once nothing of
    /// it is left to run.
    fn op_ended(
        &mut self,
        (c, i): Unit,
        result: Result<Option<String>, WriteError>,
        on_done: &mut impl FnMut(&ChangeReport),
    ) {
        let p = &mut self.progress[c];
        p.in_flight -= 1;
        match result {
            Ok(id) => {
                p.ops_done += 1;
                p.done.insert(i);
                if let Some(id) = &id {
                    p.created_by.insert(i, id.clone());
                }
                if p.created.is_none() {
                    p.created = id;
                }
                if p.error.is_none() && p.manual.is_none() {
                    let waits = &self.waits;
                    let next = self.op_dependents[c][i]
                        .iter()
                        .map(|&j| (c, j))
                        .filter(|&u| !waits.blocked(u));
                    self.ready.extend(next);
                }
                for u in self.waits.done((c, i)) {
                    self.freed(u);
                }
            }
            Err(WriteError::PlanRestricted { message }) => {
                p.manual.get_or_insert(message);
            }
            Err(error) => {
                if p.error.as_ref().is_none_or(|(first, _)| i < *first) {
                    p.error = Some((i, error));
                }
            }
        }
        self.settle(c, on_done);
    }

    /// Reports change `c` when it is over: failed or turned manual with nothing in flight, or
    /// every operation done.
    fn settle(&mut self, c: usize, on_done: &mut impl FnMut(&ChangeReport)) {
        let p = &mut self.progress[c];
        if p.finished || p.in_flight > 0 {
            return;
        }
        let outcome = if let Some((_, error)) = p.error.take() {
            Outcome::Failed {
                error,
                ops_done: p.ops_done,
            }
        } else if let Some(message) = p.manual.take() {
            Outcome::Manual { message }
        } else if p.ops_done == self.changes[c].ops.len() {
            Outcome::Applied
        } else {
            return;
        };
        self.finish(c, outcome, on_done);
    }

    /// Reports change `c`. When it did not complete, skips the changes that wait for its group
    /// (and theirs); when it was its group's last, starts those that waited only for it.
    fn finish(&mut self, c: usize, outcome: Outcome, on_done: &mut impl FnMut(&ChangeReport)) {
        let mut pending = vec![(c, outcome)];
        while let Some((c, outcome)) = pending.pop() {
            if std::mem::replace(&mut self.progress[c].finished, true) {
                continue;
            }
            let completed = matches!(outcome, Outcome::Applied | Outcome::Manual { .. });
            let change = &self.changes[c];
            let r = ChangeReport {
                address: change.address.clone(),
                action: change.action,
                outcome,
            };
            on_done(&r);
            self.report.changes.push(r);
            // The operations of other changes that waited for one of its writes that did not
            // happen cannot run either.
            let not_done: Vec<usize> = (0..change.ops.len())
                .filter(|i| !self.progress[c].done.contains(i))
                .collect();
            for i in not_done {
                for &(d, j) in self.waits.dependents_of((c, i)) {
                    let p = &mut self.progress[d];
                    if p.finished || p.error.is_some() {
                        continue;
                    }
                    let reason = format!("{} did not complete", change.address);
                    if p.in_flight == 0 && p.ops_done == 0 {
                        pending.push((d, Outcome::Skipped { reason }));
                    } else {
                        p.error = Some((j, not_applied(reason)));
                        if p.in_flight == 0 {
                            let error = not_applied(format!("{} did not complete", change.address));
                            let ops_done = p.ops_done;
                            pending.push((d, Outcome::Failed { error, ops_done }));
                        }
                    }
                }
            }
            let group = &mut self.groups[self.member_of[c]];
            group.left -= 1;
            if !completed && !group.failed {
                group.failed = true;
                let reason = format!("{} did not complete", change.address);
                for &d in &group.dependents {
                    let reason = reason.clone();
                    pending.push((d, Outcome::Skipped { reason }));
                }
            } else if group.left == 0 && !group.failed {
                for d in std::mem::take(&mut group.dependents) {
                    let p = &mut self.progress[d];
                    p.waiting_for -= 1;
                    if p.waiting_for == 0 && !p.finished {
                        self.start(d, on_done);
                    }
                }
            }
        }
    }
}

/// Applies the plan's changes and reports each one through `on_done` as it finishes. Every
/// write call whose prerequisites are done is in one queue across kinds, and up to
/// `options.concurrency` of them are in flight at once.
pub async fn apply<W: Writer>(
    plan: &Plan,
    writer: Arc<W>,
    options: ApplyOptions,
    mut on_done: impl FnMut(&ChangeReport),
) -> ApplyReport {
    let concurrency = options.concurrency.max(1);
    let mut run = Run::new(&plan.changes);
    for c in 0..plan.changes.len() {
        if run.progress[c].waiting_for == 0 {
            run.start(c, &mut on_done);
        }
    }
    // Kinds whose writes the workspace's plan refused: their other changes become manual
    // steps without another call (team membership is enabled per workspace).
    let mut restricted: BTreeMap<Kind, String> = BTreeMap::new();
    let mut set = JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, Unit> = HashMap::new();
    loop {
        while set.len() < concurrency {
            let Some((c, i)) = run.ready.pop_front() else {
                break;
            };
            let change = &plan.changes[c];
            let p = &mut run.progress[c];
            if p.finished || p.error.is_some() || p.manual.is_some() {
                continue;
            }
            if let Some(message) = restricted.get(&change.address.kind) {
                p.manual = Some(message.clone());
                run.settle(c, &mut on_done);
                continue;
            }
            p.in_flight += 1;
            let op = change.ops[i].with_outputs(|r| run.output(r));
            let p = &mut run.progress[c];
            // The id its prerequisite created, else the change's first create's.
            let created = change
                .op_prerequisite(i)
                .and_then(|q| p.created_by.get(&q).cloned())
                .or_else(|| p.created.clone());
            let writer = Arc::clone(&writer);
            let handle = set.spawn(async move { writer.write(&op, created.as_deref()).await });
            in_flight.insert(handle.id(), (c, i));
        }
        let Some(joined) = set.join_next_with_id().await else {
            break;
        };
        let (unit, result) = match joined {
            Ok((id, result)) => match in_flight.remove(&id) {
                Some(unit) => (unit, result),
                None => continue,
            },
            // A task that panicked or was cancelled is reported as failed, never dropped.
            Err(e) => match in_flight.remove(&e.id()) {
                Some(unit) => (
                    unit,
                    Err(WriteError::Api {
                        status: None,
                        code: None,
                        request_id: None,
                        message: format!("internal error while applying: {e}"),
                    }),
                ),
                None => continue,
            },
        };
        if let Err(WriteError::PlanRestricted { message }) = &result {
            restricted
                .entry(plan.changes[unit.0].address.kind)
                .or_insert_with(|| message.clone());
        }
        run.op_ended(unit, result, &mut on_done);
    }
    // Never expected: a change whose operations waited for something that never came.
    for c in 0..plan.changes.len() {
        if !run.progress[c].finished {
            let error = not_applied("internal error: a write it waited for never ran".into());
            let ops_done = run.progress[c].ops_done;
            run.finish(c, Outcome::Failed { error, ops_done }, &mut on_done);
        }
    }
    run.report
}

/// The failure of an operation that did not run because one it needed did not complete.
fn not_applied(reason: String) -> WriteError {
    WriteError::Api {
        status: None,
        code: None,
        request_id: None,
        message: format!("not applied: {reason}"),
    }
}

#[cfg(test)]
mod tests;
mod waits;
