//! `plan`: shows what apply would change, optionally saving the plan for `apply PLANFILE`.

use super::fresh::make_plan;
use super::render::render_plan;
use super::session::with_configured_session;
use super::{ExitStatus, environments, planfile};
use crate::cli::{PlanArgs, PlanFormat};
use crate::config::{self, Desired};
use crate::events::review;
use crate::kinds;
use crate::output::{Printer, Style};
use crate::settings::Settings;
use std::path::Path;

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
        let (text, breaking) = match &args.events_base {
            Some(base) => {
                let Some(text) =
                    review_events(settings, base, desired, args.format, text, printer)?
                else {
                    return Ok((ExitStatus::Failure, String::new()));
                };
                text
            }
            None => (text, false),
        };
        if let Some(out) = &args.out {
            planfile::save(out, &plan, session.target())?;
            printer.note(&format!(
                "Saved the plan to {}; apply exactly it with: intercom-iac apply {}",
                out.display(),
                out.display()
            ));
        }
        let status =
            if breaking && args.deny_breaking_events {
                printer.err(&format!(
                "{}: the events contract has breaking changes against {} (--deny-breaking-events)",
                printer.paint_err(Style::Red, "error"),
                args.events_base.as_deref().unwrap_or(Path::new("")).display()
            ));
                ExitStatus::Failure
            } else if args.detailed_exitcode && !plan.is_empty() {
                ExitStatus::Changes
            } else {
                ExitStatus::Success
            };
        Ok((status, text))
    })
    .await
}

/// The rendered plan with the events review against the configuration at `base` put first
/// (text: above the plan; markdown: under its heading; JSON: an `events_review` object with
/// `base`, `breaking` and `changes`), and whether a change is breaking; `None` when the base
/// configuration does not load.
fn review_events(
    settings: &Settings,
    base: &Path,
    desired: &Desired,
    format: PlanFormat,
    text: String,
    printer: &Printer,
) -> anyhow::Result<Option<(String, bool)>> {
    let selection = super::load::selection(settings);
    let base_desired = match config::load_with(base, &selection) {
        Ok(loaded) => loaded.desired,
        Err(e) => {
            let (errors, _) = config::summary(&e.diagnostics);
            super::diagnostics::print_errors(
                &e.diagnostics,
                &format!(
                    "the --events-base configuration {} is invalid: {errors} error(s); nothing was compared",
                    base.display()
                ),
                printer,
            )?;
            return Ok(None);
        }
    };
    let events = |d: &Desired| -> Vec<crate::kinds::events::section::Event> {
        kinds::events::declared(d)
            .iter()
            .map(|e| e.value.clone())
            .collect()
    };
    let (b, h) = (events(&base_desired), events(desired));
    let changes = review::compare(&b.iter().collect::<Vec<_>>(), &h.iter().collect::<Vec<_>>());
    let breaking = changes.iter().any(|c| c.breaking);
    let label = base.display().to_string();
    let text = match format {
        PlanFormat::Text => format!("{}{text}", review::render_text(&changes, &label)),
        PlanFormat::Markdown => {
            let section = review::render_markdown(&changes, &label);
            match text.find("### intercom-iac plan\n\n") {
                Some(i) => {
                    let at = i + "### intercom-iac plan\n\n".len();
                    format!("{}{section}{}", &text[..at], &text[at..])
                }
                None => format!("{section}{text}"),
            }
        }
        PlanFormat::Json => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(mut doc)) => {
                doc.insert(
                    "events_review".into(),
                    serde_json::json!({"base": label, "breaking": breaking, "changes": changes}),
                );
                let mut s = serde_json::to_string_pretty(&doc).unwrap_or(text);
                s.push('\n');
                s
            }
            _ => text,
        },
    };
    Ok(Some((text, breaking)))
}
