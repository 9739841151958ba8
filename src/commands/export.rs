//! `export`: writes the live workspace as configuration, one document on stdout or one file
//! per kind (adopting an existing workspace).

use super::ExitStatus;
use super::files::OutDir;
use super::load::load_guard;
use super::progress::spinner;
use super::scope;
use super::session::{Session, with_session};
use crate::cli::ExportArgs;
use crate::export;
use crate::model::Kind;
use crate::output::Printer;
use crate::settings::Settings;

/// Reads the kinds asked for (every readable kind by default) and writes them out.
pub(super) async fn run(
    settings: &Settings,
    args: &ExportArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let kinds: Vec<Kind> = if args.only.is_empty() {
        Kind::ALL.to_vec()
    } else {
        args.only
            .iter()
            .map(|k| k.parse::<Kind>())
            .collect::<Result<_, _>>()?
    };
    let scope = scope::scope(kinds, None);
    // The configuration, when there is one, only supplies the region and workspace guard.
    let desired = load_guard(&settings.config);
    let session = Session::open(settings, desired.as_ref(), None).await?;
    with_session(session, async |session| {
        let spinner = spinner("reading the workspace", printer);
        let live = session.fetch(&scope).await;
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        let live = live?;
        match &args.out {
            None => printer.out(&export::export_document(&live, &scope.kinds))?,
            Some(dir) => {
                let out = OutDir::create(dir, printer)?;
                for f in export::export_files(&live, &scope.kinds) {
                    out.write_atomically(&f.name, &f.text)?;
                }
            }
        }
        Ok(ExitStatus::Success)
    })
    .await
}
