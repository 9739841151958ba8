//! `audit`: reads the admin activity log of a period and reports it by security category and
//! by admin; exits 2 when something happened in a `--fail-on` category (like `drift`).

use anyhow::Context;

use super::activity::read_activity;
use super::load::load_guard;
use super::session::{Session, with_session};
use super::{ExitStatus, environments};
use crate::audit::{self, Audit};
use crate::cli::{AuditArgs, PlanFormat};
use crate::config::did_you_mean;
use crate::model::activity::Category;
use crate::output::Printer;
use crate::settings::Settings;

/// Checks the flags, then audits the workspace (each environment's with `--env all`).
pub(super) async fn run(
    settings: &Settings,
    args: &AuditArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let now = jiff::Timestamp::now();
    let since = audit::parse_since(&args.since, now)?;
    let fail_on = fail_on_categories(&args.fail_on)?;
    let until = now.as_second();
    if environments::is_all(settings) {
        return environments::each(settings, args.format, printer, async |settings| {
            audit_one(settings, args.format, since, until, &fail_on).await
        })
        .await;
    }
    let (status, text) = audit_one(settings, args.format, since, until, &fail_on).await?;
    printer.out(&text)?;
    Ok(status)
}

/// The `--fail-on` categories; an unknown name is an error naming the closest one.
fn fail_on_categories(raw: &[String]) -> anyhow::Result<Vec<Category>> {
    let mut out = Vec::new();
    for name in raw {
        let name = name.trim();
        let Ok(category) = name.parse::<Category>() else {
            let names = Category::ALL.map(Category::name);
            let hint = match did_you_mean(name, names) {
                Some(near) => format!("did you mean `{near}`? "),
                None => String::new(),
            };
            anyhow::bail!(
                "--fail-on `{name}`: unknown category\n  help: {hint}use one of: {}",
                Category::names()
            );
        };
        if !out.contains(&category) {
            out.push(category);
        }
    }
    Ok(out)
}

/// The audit of one workspace: the exit status and the rendered report.
async fn audit_one(
    settings: &Settings,
    format: PlanFormat,
    since: i64,
    until: i64,
    fail_on: &[Category],
) -> anyhow::Result<(ExitStatus, String)> {
    // The configuration, when there is one, only supplies the region and workspace guard.
    let desired = load_guard(settings);
    let session = Session::open(settings, desired.as_ref(), None).await?;
    with_session(session, async |session| {
        let entries = read_activity(session, since, Some(until), None)
            .await
            .context("cannot audit the workspace: its admin activity log cannot be read")?;
        let audit = Audit {
            since,
            until,
            entries,
            fail_on: fail_on.to_vec(),
        };
        let target = session.target();
        let text = match format {
            PlanFormat::Text => audit::render_text(&audit, &target),
            PlanFormat::Json => audit::render_json(&audit, &target),
            PlanFormat::Markdown => audit::render_markdown(&audit, &target),
        };
        let status = if audit.fails() {
            ExitStatus::Changes
        } else {
            ExitStatus::Success
        };
        Ok((status, text))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_categories_suggest_the_closest() {
        let e = fail_on_categories(&["data-acces".into()]).unwrap_err();
        assert!(e.to_string().contains("did you mean `data-access`?"), "{e}");
        let e = fail_on_categories(&["nonsense".into()]).unwrap_err();
        assert!(e.to_string().contains("use one of: data-access"), "{e}");
        assert_eq!(
            fail_on_categories(&["other".into(), "other".into()]).unwrap(),
            [Category::Other]
        );
    }
}
