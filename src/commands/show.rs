//! `show PLANFILE`: renders a saved plan.

use super::render::render_plan;
use super::{ExitStatus, planfile};
use crate::cli::ShowArgs;
use crate::output::Printer;

/// Prints the saved plan in the chosen format.
pub(super) fn run(args: &ShowArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let doc = planfile::read(&args.planfile)?;
    printer.out(&render_plan(
        &doc.to_plan(),
        args.format,
        doc.target.clone(),
        printer,
    ))?;
    Ok(ExitStatus::Success)
}
