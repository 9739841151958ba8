//! Waits between operations: an operation that needs what another operation gives (a link to
//! an article the plan creates or renames needs that write done, and the id it created) names
//! it (`Op::waits_for`), in another change or in its own (beside the order
//! `Change::op_prerequisite` gives). Such an operation runs once every operation it names
//! succeeded, and fails without a call when one of them did not.

use std::collections::HashMap;

use super::Unit;
use crate::model::{Address, OpRef};
use crate::plan::Change;

/// The waits of one plan between operations of different changes.
#[derive(Debug, Default)]
pub(super) struct Waits {
    /// Per change, per operation: the operations it still waits for (beside its prerequisite).
    left: Vec<Vec<usize>>,
    /// The operations waiting for each operation.
    dependents: HashMap<Unit, Vec<Unit>>,
    /// The changes at each address (an article renamed and updated for its links has two).
    index: HashMap<Address, Vec<usize>>,
}

impl Waits {
    pub(super) fn new(changes: &[Change]) -> Self {
        let mut index: HashMap<Address, Vec<usize>> = HashMap::new();
        for (c, change) in changes.iter().enumerate() {
            index.entry(change.address.clone()).or_default().push(c);
        }
        let mut waits = Waits {
            left: changes.iter().map(|c| vec![0; c.ops.len()]).collect(),
            dependents: HashMap::new(),
            index,
        };
        for (c, change) in changes.iter().enumerate() {
            for (i, op) in change.ops.iter().enumerate() {
                for r in op.waits_for() {
                    // An operation that is not in the plan gives nothing to wait for: the write
                    // then fails for want of the id it needed. One of the same change counts
                    // too: two articles created in one new collection run side by side.
                    let Some(u) = waits.unit(changes, r) else {
                        continue;
                    };
                    if u != (c, i) {
                        waits.left[c][i] += 1;
                        waits.dependents.entry(u).or_default().push((c, i));
                    }
                }
            }
        }
        waits
    }

    /// The operation `r` names, when the plan has it: a write at that address that itself
    /// waits for nothing (a create or a rename, never a link's update).
    pub(super) fn unit(&self, changes: &[Change], r: &OpRef) -> Option<Unit> {
        self.index
            .get(&r.address)?
            .iter()
            .find(|&&c| {
                changes[c]
                    .ops
                    .get(r.op)
                    .is_some_and(|op| op.waits_for().is_empty())
            })
            .map(|&c| (c, r.op))
    }

    /// Whether operation `u` still waits for another operation (beside its prerequisite).
    pub(super) fn blocked(&self, (c, i): Unit) -> bool {
        self.left
            .get(c)
            .and_then(|ops| ops.get(i))
            .is_some_and(|n| *n > 0)
    }

    /// Records that `u` succeeded; returns the operations that no longer wait for anything
    /// (beside their prerequisites).
    pub(super) fn done(&mut self, u: Unit) -> Vec<Unit> {
        let mut free = Vec::new();
        for &(c, i) in self.dependents.get(&u).into_iter().flatten() {
            let n = &mut self.left[c][i];
            *n = n.saturating_sub(1);
            if *n == 0 {
                free.push((c, i));
            }
        }
        free
    }

    /// The operations that wait for `u`.
    pub(super) fn dependents_of(&self, u: Unit) -> &[Unit] {
        self.dependents.get(&u).map_or(&[], Vec::as_slice)
    }
}
