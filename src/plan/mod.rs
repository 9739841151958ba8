//! The reconciler's core: `diff(&Desired, &Live) -> Plan`. Pure: no I/O, no async. A plan is
//! the whole truth of what `apply` will do: every write call is one of its operations. The
//! per-kind work lives in `crate::kinds`; this module loops over the registry and checks safety.

mod diff;
mod safety;
#[cfg(test)]
mod tests;

pub use crate::model::Filter;
pub use diff::{current_fingerprint, diff, ignore_sets, live_counts};
pub use safety::{MaxDelete, SafetyLimits, UnsafePlan, check_safety};

pub use crate::model::change::*;

use crate::config::Diagnostic;

/// A plan could not be made: problems that need the configuration or the workspace fixed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the plan has {} error(s)", .diagnostics.len())]
pub struct PlanErrors {
    /// Located problems.
    pub diagnostics: Vec<Diagnostic>,
}
