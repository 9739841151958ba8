//! A fresh plan of the configuration against the workspace, as `plan` and `apply` make it:
//! read what the plan needs, diff, and print the plan's errors.

use super::diagnostics::print_errors;
use super::scope::{self, Selection};
use super::session::Session;
use crate::cli::ScopeArgs;
use crate::config::Desired;
use crate::output::Printer;
use crate::plan::{self, Plan};

/// Plans against a session; prints plan errors and returns `None` when there are any.
pub(super) async fn make_plan(
    session: &Session,
    desired: &Desired,
    args: &ScopeArgs,
    printer: &Printer,
) -> anyhow::Result<Option<Plan>> {
    let selection = Selection::parse(args)?;
    let live = session
        .fetch(&scope::scope(selection.kinds(desired), Some(desired)))
        .await?;
    match plan::diff(desired, &live, &selection.filter, &selection.prune) {
        Ok(p) => Ok(Some(p)),
        Err(e) => {
            print_errors(
                &e.diagnostics,
                &format!(
                    "cannot plan: {} error(s); nothing was written",
                    e.diagnostics.len()
                ),
                printer,
            )?;
            Ok(None)
        }
    }
}
