//! `--env all`: runs `plan` or `drift` once per environment of the configuration, each with its
//! own workspace and token, and prints one section per environment (a JSON document keyed by
//! environment for `--format json`); the exit status is the worst of them.

use crate::cli::PlanFormat;
use crate::config;
use crate::config::environments::ALL;
use crate::output::{Printer, Style};
use crate::settings::Settings;

use super::ExitStatus;

/// Whether `--env all` was given.
pub(super) fn is_all(settings: &Settings) -> bool {
    settings.env.as_deref() == Some(ALL)
}

/// Runs `one` for every environment, printing each result under its name.
pub(super) async fn each(
    settings: &Settings,
    format: PlanFormat,
    printer: &Printer,
    one: impl AsyncFn(&Settings) -> anyhow::Result<(ExitStatus, String)>,
) -> anyhow::Result<ExitStatus> {
    let names = config::environment_names(&settings.config);
    if names.is_empty() {
        anyhow::bail!(
            "--env all: the configuration declares no environments\n  help: declare them under `environments:`, or leave out --env"
        );
    }
    let mut worst = ExitStatus::Success;
    let mut documents = serde_json::Map::new();
    let mut sections = Vec::new();
    for name in &names {
        if format == PlanFormat::Json {
            // The other formats head each section on stdout.
            printer.note(&format!("environment {name}:"));
        }
        let (status, text) = match one(&settings.for_env(Some(name))).await {
            Ok(result) => result,
            Err(e) => {
                printer.err(&format!(
                    "{}: environment {name}: {e:#}",
                    printer.paint_err(Style::Red, "error")
                ));
                (ExitStatus::Failure, String::new())
            }
        };
        worst = worse(worst, status);
        match format {
            PlanFormat::Json => {
                let doc = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
                documents.insert(name.clone(), doc);
            }
            PlanFormat::Markdown => sections.push((name.clone(), text)),
            PlanFormat::Text => printer.out(&format!("=== environment {name} ===\n{text}"))?,
        }
    }
    if format == PlanFormat::Json {
        let all = serde_json::json!({ "environments": documents });
        printer.out(&format!("{}\n", serde_json::to_string_pretty(&all)?))?;
    }
    if format == PlanFormat::Markdown {
        printer.out(&markdown(&sections))?;
    }
    Ok(worst)
}

/// The marker each plan in Markdown starts with (`render::markdown`).
const MARKER: &str = "<!-- intercom-iac plan digest: ";

/// The Markdown sections of every environment. When they are plans, the document starts with
/// one marker naming each environment's digest (`none` for one that could not be planned), so
/// a workflow finds the reviewed digest of every environment in one pull-request comment.
fn markdown(sections: &[(String, String)]) -> String {
    let digests: Vec<Option<&str>> = sections
        .iter()
        .map(|(_, text)| {
            text.lines()
                .next()
                .and_then(|l| l.strip_prefix(MARKER))
                .and_then(|l| l.strip_suffix(" -->"))
        })
        .collect();
    let mut out = String::new();
    if digests.iter().any(Option::is_some) {
        let all: Vec<String> = sections
            .iter()
            .zip(&digests)
            .map(|((name, _), d)| format!("{name}={}", d.unwrap_or("none")))
            .collect();
        out.push_str(&format!(
            "<!-- intercom-iac plan digests: {} -->\n",
            all.join(" ")
        ));
    }
    for (name, text) in sections {
        out.push_str(&format!("## Environment `{name}`\n\n{text}"));
    }
    out
}

/// The worse of two outcomes: an error, then changes, then success.
fn worse(a: ExitStatus, b: ExitStatus) -> ExitStatus {
    let rank = |s| match s {
        ExitStatus::Success => 0,
        ExitStatus::Changes => 1,
        ExitStatus::Failure => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}
