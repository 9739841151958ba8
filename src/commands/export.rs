//! `export`: writes the live workspace as configuration, one document on stdout or one file
//! per kind (adopting an existing workspace).

use std::collections::BTreeSet;

use anyhow::bail;

use super::ExitStatus;
use super::files::OutDir;
use super::load::load_guard;
use super::progress::spinner;
use super::scope;
use super::session::{Session, refuse_unavailable, with_session};
use crate::cli::ExportArgs;
use crate::config;
use crate::export;
use crate::model::Kind;
use crate::output::Printer;
use crate::settings::Settings;

/// Reads the kinds asked for (every readable kind by default) and writes them out. By default
/// a kind the token may not read is skipped with a note; one named with `--only` is an error.
pub(super) async fn run(
    settings: &Settings,
    args: &ExportArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let kinds = export_kinds(&args.only)?;
    let scope = scope::scope(kinds.iter().copied(), None);
    // The configuration, when there is one, only supplies the region and workspace guard.
    let desired = load_guard(settings);
    let session = Session::open(settings, desired.as_ref(), None).await?;
    with_session(session, async |session| {
        let spinner = spinner("reading the workspace", printer);
        let fetched = session.fetch_readable(&scope).await;
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        let fetched = fetched?;
        // Kinds asked for by name must be exported; by default a kind the token may not read
        // is left out, so adopting a workspace works with the permissions the token has.
        if !args.only.is_empty() {
            refuse_unavailable(&fetched.unavailable, |kind| {
                format!("export without --only {kind} to write the kinds the token may read")
            })?;
        }
        let mut kinds = kinds;
        for u in &fetched.unavailable {
            kinds.remove(&u.kind);
            printer.note(&format!(
                "note: {u}\n  help: {kind} is left out of the export; once the token may read it, run `export --only {kind}`",
                kind = u.kind
            ));
        }
        let live = fetched.live;
        if let Some(env) = &settings.env {
            return export_overlay(settings, env, &live, &kinds, args, printer);
        }
        match &args.out {
            None => printer.out(&export::export_document(&live, &kinds))?,
            Some(dir) => {
                let out = OutDir::create(dir, printer)?;
                for f in export::export_files(&live, &kinds) {
                    out.write_atomically(&f.name, &f.text)?;
                }
            }
        }
        Ok(ExitStatus::Success)
    })
    .await
}

/// `export --env NAME` of a configuration with environments: only what the environment's
/// workspace has that differs from the base, as its overlay file (its first listed overlay, or
/// `environments/NAME.yaml`), written under `--out` or printed.
fn export_overlay(
    settings: &Settings,
    env: &str,
    live: &crate::model::Live,
    kinds: &BTreeSet<Kind>,
    args: &ExportArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let declared = config::declared_environments(&settings.config);
    let Some(decl) = declared.get(env) else {
        bail!(
            "--env {env}: the configuration declares no such environment\n  help: declare it under `environments:` first (with its app_id), then export its overlay"
        );
    };
    let base = config::load_with(
        &settings.config,
        &config::Selection {
            overlays: false,
            ..config::Selection::env(env)
        },
    )
    .map_err(|e| {
        anyhow::anyhow!(
            "the base configuration has {} problem(s); fix them first (intercom-iac validate --env {env})",
            e.diagnostics.len()
        )
    })?
    .desired;
    let exported = config::load_sources(vec![(
        "export".to_string(),
        export::export_document(live, kinds).into_bytes(),
    )])
    .map_err(|e| anyhow::anyhow!("the export does not read back as configuration: {e}"))?
    .desired;
    let overlay = config::overlay::overlay(&base, &exported);
    let mut text = format!(
        "# yaml-language-server: $schema=../../schemas/intercom-iac.schema.json\n# What {env} ({}) has that differs from the base configuration, exported by intercom-iac.\n",
        live.me.app.id_code
    );
    text.push_str(&config::overlay::to_yaml(&overlay));
    let path = decl
        .overlays
        .first()
        .cloned()
        .unwrap_or_else(|| format!("environments/{env}.yaml"));
    match &args.out {
        None => printer.out(&text)?,
        Some(dir) => {
            let out = OutDir::create(dir, printer)?;
            out.write_atomically(&path, &text)?;
            if decl.overlays.is_empty() {
                printer.note(&format!(
                    "note: list {path} under `environments.{env}.overlays` to use it"
                ));
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// The kinds to export: `--only`'s (default: every kind) with the kinds that share their
/// section (contact and company attributes go together), without kinds that have no list.
fn export_kinds(only: &[String]) -> anyhow::Result<BTreeSet<Kind>> {
    let asked: Vec<Kind> = if only.is_empty() {
        Kind::ALL.to_vec()
    } else {
        only.iter()
            .map(|k| k.parse::<Kind>())
            .collect::<Result<_, _>>()?
    };
    Ok(asked
        .into_iter()
        .flat_map(|k| crate::kinds::spec(k).kinds().iter().copied())
        .filter(|k| crate::kinds::spec(*k).readable())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(only: &[&str]) -> Vec<Kind> {
        let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
        export_kinds(&only).unwrap().into_iter().collect()
    }

    #[test]
    fn export_takes_every_kind_but_events_by_default() {
        let all: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| *k != Kind::Events)
            .collect();
        assert_eq!(kinds(&[]), all);
    }

    #[test]
    fn only_exports_contact_and_company_attributes_together() {
        assert_eq!(
            kinds(&["company_attributes", "events"]),
            [Kind::ContactAttributes, Kind::CompanyAttributes]
        );
        assert_eq!(
            kinds(&["tags", "contact_attributes"]),
            [Kind::ContactAttributes, Kind::CompanyAttributes, Kind::Tags]
        );
        assert_eq!(kinds(&["tags"]), [Kind::Tags]);
        assert!(export_kinds(&["nope".to_string()]).is_err());
    }
}
