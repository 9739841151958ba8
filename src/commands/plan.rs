//! `plan`: shows what apply would change, optionally saving the plan for `apply PLANFILE`.

use super::fresh::make_plan;
use super::render::render_plan;
use super::session::with_configured_session;
use super::{ExitStatus, planfile};
use crate::cli::PlanArgs;
use crate::output::Printer;
use crate::settings::Settings;

/// Plans, prints the plan, and saves it with `--out`.
pub(super) async fn run(
    settings: &Settings,
    args: &PlanArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    with_configured_session(settings, printer, async |desired, session| {
        let Some(plan) = make_plan(session, desired, &args.scope, printer).await? else {
            return Ok(ExitStatus::Failure);
        };
        printer.out(&render_plan(
            &plan,
            args.format,
            Some(session.target()),
            printer,
        ))?;
        if let Some(out) = &args.out {
            planfile::save(out, &plan, session.target())?;
            printer.note(&format!(
                "Saved the plan to {}; apply exactly it with: intercom-iac apply {}",
                out.display(),
                out.display()
            ));
        }
        Ok(if args.detailed_exitcode && !plan.is_empty() {
            ExitStatus::Changes
        } else {
            ExitStatus::Success
        })
    })
    .await
}
