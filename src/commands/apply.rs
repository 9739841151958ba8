//! `apply [PLANFILE]`: applies a fresh plan after confirmation, or exactly the changes of a
//! saved plan after checking that the workspace has not changed since; reports each change.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::sync::Arc;

use anyhow::bail;

use super::fresh::make_plan;
use super::load::load_guard;
use super::progress::changes_bar;
use super::scope;
use super::session::{Session, with_configured_session, with_session};
use super::{ExitStatus, planfile};
use crate::apply::{self, ApplyOptions, ApplyReport, ChangeReport, Outcome};
use crate::cli::{ApplyArgs, ReportFormat};
use crate::model::Kind;
use crate::output::{Printer, Style};
use crate::plan::{self, MaxDelete, Plan, SafetyLimits};
use crate::render::{self, PlanDocument};
use crate::settings::Settings;

/// Applies the saved plan, or a fresh one.
pub(super) async fn run(
    settings: &Settings,
    args: &ApplyArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let limits = SafetyLimits {
        max_delete: args
            .max_delete
            .as_deref()
            .map(str::parse::<MaxDelete>)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--max-delete: {e}"))?,
        force: args.force,
    };
    if let Some(clean) = &args.require_clean {
        require_clean(settings, clean, args, printer).await?;
    }
    match &args.planfile {
        Some(path) => apply_planfile(settings, path, args, &limits, printer).await,
        None => apply_fresh(settings, args, &limits, printer).await,
    }
}

/// The promotion guard: plans the same configuration against environment `clean` (with the
/// same `--only` and `--prune`) and refuses, before this environment's workspace is even
/// opened, unless that plan is empty.
async fn require_clean(
    settings: &Settings,
    clean: &str,
    args: &ApplyArgs,
    printer: &Printer,
) -> anyhow::Result<()> {
    let Some(env) = settings.env.as_deref() else {
        bail!(
            "--require-clean {clean} compares two environments\n  help: name the environment to apply with --env NAME"
        );
    };
    if env == clean {
        bail!(
            "--require-clean {clean}: that is the environment being applied\n  help: name the environment that must be clean first, e.g. --env production --require-clean staging"
        );
    }
    let other = settings.for_env(Some(clean));
    let plan = with_configured_session(&other, printer, async |desired, session| {
        make_plan(session, desired, &args.scope, printer).await
    })
    .await
    .map_err(|e| {
        anyhow::anyhow!("cannot check that {clean} is clean: {e:#}; nothing was written to {env}")
    })?;
    let Some(plan) = plan else {
        bail!("cannot check that {clean} is clean; nothing was written to {env}");
    };
    // Manual steps cannot be applied, so they do not make an environment dirty.
    if !plan.changes.is_empty() {
        bail!(
            "{clean} is not clean: its plan has {} change(s) (digest {}); nothing was written to {env}\n  help: apply to {clean} first (intercom-iac apply --env {clean}), then promote to {env}",
            plan.changes.len(),
            plan.digest()
        );
    }
    let manual = match plan.manual_steps.len() {
        0 => String::new(),
        n => format!(" ({n} manual step(s) outstanding)"),
    };
    printer.note(&format!(
        "{clean} is clean: its plan shows no changes{manual}."
    ));
    Ok(())
}

/// `apply PLANFILE`: exactly the saved changes, in the workspace the plan was made against.
async fn apply_planfile(
    settings: &Settings,
    path: &Path,
    args: &ApplyArgs,
    limits: &SafetyLimits,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    if !args.scope.only.is_empty() || !args.scope.prune.is_empty() {
        bail!(
            "--only and --prune cannot narrow or widen a saved plan: it is applied exactly as saved\n  help: make a new plan with them: intercom-iac plan --only … --out {}",
            path.display()
        );
    }
    let doc = planfile::read(path)?;
    if let Some(expected) = &args.expect_digest {
        let digest = doc.to_plan().digest();
        if *expected != digest {
            bail!(
                "the digest of the plan in {} is {digest}, not the reviewed {expected}; nothing was written\n  help: apply the plan that was reviewed, or review this one",
                path.display()
            );
        }
    }
    let desired = load_guard(settings);
    let expected = doc.target.as_ref().map(|t| t.app_id.clone());
    let session = Session::open(settings, desired.as_ref(), expected.as_deref()).await?;
    with_session(session, async |session| {
        apply_saved(session, &doc, args, limits, printer).await
    })
    .await
}

/// `apply`: a fresh plan of the configuration, confirmed unless `--auto-approve`.
async fn apply_fresh(
    settings: &Settings,
    args: &ApplyArgs,
    limits: &SafetyLimits,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    with_configured_session(settings, printer, async |desired, session| {
        let Some(plan) = make_plan(session, desired, &args.scope, printer).await? else {
            return Ok(ExitStatus::Failure);
        };
        if args.format == ReportFormat::Text {
            printer.out(&render::render_text(&plan, printer.color_stdout()))?;
        }
        if let Some(expected) = &args.expect_digest {
            let digest = plan.digest();
            if *expected != digest {
                bail!(
                    "the plan's digest is {digest}, not the reviewed {expected}: the workspace or the configuration changed since the plan was reviewed; nothing was written\n  help: run plan again and review the new plan"
                );
            }
        }
        if plan.changes.is_empty() {
            return finish_without_changes(&plan, args.format, printer);
        }
        plan::check_safety(&plan, limits).map_err(|e| anyhow::anyhow!("{e}"))?;
        if !args.auto_approve && !confirm(session, printer)? {
            return Ok(ExitStatus::Failure);
        }
        execute(session, &plan, args, printer).await
    })
    .await
}

fn finish_without_changes(
    plan: &Plan,
    format: ReportFormat,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    if format == ReportFormat::Json {
        printer.out(&report_json(&ApplyReport::default(), plan))?;
    }
    if !plan.manual_steps.is_empty() {
        printer.note(&format!(
            "{} manual step(s) pending.",
            plan.manual_steps.len()
        ));
    }
    Ok(ExitStatus::Success)
}

/// Asks on a terminal; refuses without one.
fn confirm(session: &Session, printer: &Printer) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "refusing to apply without confirmation: stdin is not a terminal; nothing was written\n  help: review the plan, then pass --auto-approve"
        );
    }
    eprint!(
        "\nApply these changes to {} ({})? Only 'yes' will be accepted: ",
        session.me().app.name,
        session.me().app.id_code
    );
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        printer.err("Apply cancelled; nothing was written.");
        return Ok(false);
    }
    Ok(true)
}

/// Re-reads the saved plan's objects, refuses if any changed, then applies it.
async fn apply_saved(
    session: &Session,
    doc: &PlanDocument,
    args: &ApplyArgs,
    limits: &SafetyLimits,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let mut plan = doc.to_plan();
    let kinds: BTreeSet<Kind> = plan.changes.iter().map(|c| c.address.kind).collect();
    let live = session.fetch(&scope::scope(kinds, None)).await?;
    let stale: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| plan::current_fingerprint(&live, c) != c.fingerprint)
        .map(|c| c.address.to_string())
        .collect();
    if !stale.is_empty() {
        bail!(
            "plan is stale: {} changed since the plan was made; run plan again\n  help: nothing was written; a saved plan is applied only to the workspace it was made against",
            stale.join(", ")
        );
    }
    plan.live_counts = plan::live_counts(&live);
    plan::check_safety(&plan, limits).map_err(|e| anyhow::anyhow!("{e}"))?;
    if plan.changes.is_empty() {
        return finish_without_changes(&plan, args.format, printer);
    }
    execute(session, &plan, args, printer).await
}

/// Applies the plan's changes, reporting each as it finishes, then the summary.
async fn execute(
    session: &Session,
    plan: &Plan,
    args: &ApplyArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let writer = Arc::new(session.client.clone());
    let bar = changes_bar(plan.changes.len() as u64, args.format);
    let report = apply::apply(
        plan,
        writer,
        ApplyOptions {
            concurrency: args.concurrency as usize,
        },
        |r| {
            let line = report_line(r, printer);
            match &bar {
                Some(b) => {
                    b.suspend(|| eprintln!("{line}"));
                    b.inc(1);
                }
                None if args.format == ReportFormat::Text => printer.note(&line),
                None => {}
            }
        },
    )
    .await;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let (applied, failed, skipped, manual) = report.counts();
    match args.format {
        ReportFormat::Json => printer.out(&report_json(&report, plan))?,
        ReportFormat::Text => {
            let pending = plan.manual_steps.len() + manual;
            let summary =
                format!("Apply finished: {applied} applied, {failed} failed, {skipped} skipped.");
            if failed + skipped > 0 {
                printer.err(&summary);
            } else {
                printer.note(&summary);
            }
            if pending > 0 {
                printer.note(&format!("{pending} manual step(s) pending."));
            }
            if failed + skipped > 0 {
                printer.err("Run plan again to see what is left; apply finishes it.");
            }
        }
    }
    Ok(if report.failed() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn report_line(r: &ChangeReport, printer: &Printer) -> String {
    let symbol = r.action.symbol();
    match &r.outcome {
        Outcome::Applied => format!(
            "  {} {}: done",
            printer.paint_err(Style::Green, symbol),
            r.address
        ),
        Outcome::Failed { error, ops_done } => {
            let mut s = format!(
                "  {} {}: {}: {error}",
                printer.paint_err(Style::Red, symbol),
                r.address,
                printer.paint_err(Style::Red, "failed")
            );
            if *ops_done > 0 {
                s.push_str(&format!(" (after {ops_done} of its calls succeeded)"));
            }
            s
        }
        Outcome::Skipped { reason } => format!(
            "  {} {}: skipped: {reason}",
            printer.paint_err(Style::Yellow, symbol),
            r.address
        ),
        Outcome::Manual { message } => format!(
            "  {} {}: manual step: {message}",
            printer.paint_err(Style::Cyan, "!"),
            r.address
        ),
    }
}

fn report_json(report: &ApplyReport, plan: &Plan) -> String {
    let (applied, failed, skipped, manual) = report.counts();
    let doc = serde_json::json!({
        "format_version": render::FORMAT_VERSION,
        "digest": plan.digest(),
        "summary": {"applied": applied, "failed": failed, "skipped": skipped, "manual": manual, "manual_steps_pending": plan.manual_steps.len() + manual},
        "changes": report.changes,
        "manual_steps": plan.manual_steps,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
