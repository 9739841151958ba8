//! Renders a plan in the format `--format` chose.

use crate::cli::PlanFormat;
use crate::output::Printer;
use crate::plan::Plan;
use crate::render::{self, PlanTarget};

/// The plan as text (coloured when stdout is), JSON or Markdown.
pub(super) fn render_plan(
    plan: &Plan,
    format: PlanFormat,
    target: Option<PlanTarget>,
    printer: &Printer,
) -> String {
    match format {
        PlanFormat::Text => render::render_text(plan, printer.color_stdout()),
        PlanFormat::Json => render::render_json(plan, target),
        PlanFormat::Markdown => render::render_markdown(plan),
    }
}
