//! `drift`: reports what differs between the workspace and the configuration, and the live
//! objects nobody declared; exits 2 when there is drift.

use std::collections::BTreeSet;

use anyhow::bail;

use super::activity::recent_activity;
use super::diagnostics::print_errors;
use super::scope;
use super::session::with_configured_session;
use super::{ExitStatus, environments};
use crate::cli::{DriftArgs, PlanFormat};
use crate::drift::{self, Drift};
use crate::model::Kind;
use crate::output::Printer;
use crate::plan::{self, Filter};
use crate::settings::Settings;

/// Reads every readable kind, diffs, and prints the drift and the unmanaged objects; with
/// `--env all`, once per environment.
pub(super) async fn run(
    settings: &Settings,
    args: &DriftArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    // Checked even with --no-activity: a bad flag is an error whatever else is asked.
    let since = crate::audit::parse_since(&args.since, jiff::Timestamp::now())?;
    let since = (!args.no_activity).then_some(since);
    if environments::is_all(settings) {
        return environments::each(settings, args.format, printer, async |settings| {
            drift_one(settings, args, since, printer).await
        })
        .await;
    }
    let (status, text) = drift_one(settings, args, since, printer).await?;
    printer.out(&text)?;
    Ok(status)
}

/// The drift of one workspace: the exit status and the rendered report (empty on errors);
/// with the recent activity since `since` unless `--no-activity`.
async fn drift_one(
    settings: &Settings,
    args: &DriftArgs,
    since: Option<i64>,
    printer: &Printer,
) -> anyhow::Result<(ExitStatus, String)> {
    with_configured_session(settings, printer, async |desired, session| {
        // Every readable kind: unmanaged objects are reported whether or not a kind is declared.
        let scope = scope::scope(Kind::ALL, None);
        let fetched = session.fetch_readable(&scope).await?;
        let declared: BTreeSet<Kind> = crate::kinds::declared_kinds(desired)
            .into_iter()
            .chain(desired.prune.iter().map(|p| p.value))
            .collect();
        for u in &fetched.unavailable {
            if declared.contains(&u.kind) {
                bail!(
                    "{u}\n  help: grant the token the missing permission to check drift of {}",
                    u.kind
                );
            }
            printer.note(&format!(
                "note: {u}; its unmanaged objects are not reported"
            ));
        }
        let live = fetched.live;
        let plan = match plan::diff(desired, &live, &Filter::default(), &[]) {
            Ok(p) => p,
            Err(e) => {
                print_errors(
                    &e.diagnostics,
                    &format!("cannot compute drift: {} error(s)", e.diagnostics.len()),
                    printer,
                )?;
                return Ok((ExitStatus::Failure, String::new()));
            }
        };
        let pruned: Vec<Kind> = desired
            .prune
            .iter()
            .map(|p| p.value)
            .filter(|k| k.is_prunable())
            .collect();
        let activity = match since {
            Some(since) => recent_activity(session, declared.iter().copied(), since).await,
            None => None,
        };
        let drift = Drift {
            unmanaged: drift::unmanaged(desired, &live, &pruned),
            plan,
            activity,
        };
        let text = match args.format {
            PlanFormat::Text => {
                drift::render_text(&drift, args.fail_on_unmanaged, printer.color_stdout())
            }
            PlanFormat::Json => {
                drift::render_json(&drift, args.fail_on_unmanaged, Some(session.target()))
            }
            PlanFormat::Markdown => drift::render_markdown(&drift),
        };
        let status = if drift.fails(args.fail_on_unmanaged) {
            ExitStatus::Changes
        } else {
            ExitStatus::Success
        };
        Ok((status, text))
    })
    .await
}
