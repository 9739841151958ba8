//! `plan`: shows what apply would change, optionally saving the plan for `apply PLANFILE`.

use super::fresh::make_plan;
use super::render::render_plan;
use super::session::with_configured_session;
use super::{ExitStatus, environments, planfile};
use crate::cli::PlanArgs;
use crate::output::Printer;
use crate::settings::Settings;

/// Plans, prints the plan, and saves it with `--out`; with `--env all`, once per environment.
pub(super) async fn run(
    settings: &Settings,
    args: &PlanArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    if environments::is_all(settings) {
        if args.out.is_some() {
            anyhow::bail!(
                "--out saves the plan of one workspace\n  help: plan one environment with --env NAME to save its plan"
            );
        }
        return environments::each(settings, args.format, printer, async |settings| {
            plan_one(settings, args, printer).await
        })
        .await;
    }
    let (status, text) = plan_one(settings, args, printer).await?;
    printer.out(&text)?;
    Ok(status)
}

/// Plans one workspace: the exit status and the rendered plan (empty when planning failed).
async fn plan_one(
    settings: &Settings,
    args: &PlanArgs,
    printer: &Printer,
) -> anyhow::Result<(ExitStatus, String)> {
    with_configured_session(settings, printer, async |desired, session| {
        let Some(plan) = make_plan(session, desired, &args.scope, printer).await? else {
            return Ok((ExitStatus::Failure, String::new()));
        };
        let text = render_plan(&plan, args.format, Some(session.target()), printer);
        if let Some(out) = &args.out {
            planfile::save(out, &plan, session.target())?;
            printer.note(&format!(
                "Saved the plan to {}; apply exactly it with: intercom-iac apply {}",
                out.display(),
                out.display()
            ));
        }
        let status = if args.detailed_exitcode && !plan.is_empty() {
            ExitStatus::Changes
        } else {
            ExitStatus::Success
        };
        Ok((status, text))
    })
    .await
}
