//! `events …`: the configuration's event definitions as an enforced contract. `schema` writes
//! the JSON Schema of each event's `POST /events` body, `validate` checks a newline-delimited
//! JSON file of events against the definitions, and `send` validates such a file and posts it,
//! resumably. Intercom has no API for definitions, so this is where they are enforced.

pub mod check;
pub mod checkpoint;
pub mod lines;
pub mod schema;
pub mod send;
pub mod validate;

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::cli::{DiagnosticFormat, EventsCommand, EventsSchemaArgs};
use crate::commands::ExitStatus;
use crate::commands::diagnostics::print_diagnostics;
use crate::config::{self, Desired};
use crate::output::{Printer, Style};
use crate::settings::Settings;

pub use check::{Checked, Contract};

/// Runs an `events` subcommand.
pub fn run(
    settings: &Settings,
    command: EventsCommand,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let Some(desired) = load(&settings.config, printer)? else {
        return Ok(ExitStatus::Failure);
    };
    if desired.events.is_empty() {
        bail!(
            "the configuration in {} declares no events\n  help: declare them under `events:` (name, description, metadata)",
            settings.config.display()
        );
    }
    let contract = Contract::new(desired.events.iter().map(|e| &e.value), unix_now());
    match command {
        EventsCommand::Schema(args) => write_schemas(&desired, &args, printer),
        EventsCommand::Validate(args) => {
            validate::run(&lines::Input::from_arg(&args.input), &contract, printer)
        }
        EventsCommand::Send(args) => send::run(settings, &args, &desired, &contract, printer),
    }
}

/// Loads the configuration, printing its warnings, or its errors and `None`.
fn load(path: &Path, printer: &Printer) -> anyhow::Result<Option<Desired>> {
    match config::load(path) {
        Ok(loaded) => {
            print_diagnostics(&loaded.warnings, DiagnosticFormat::Text, false, printer)?;
            Ok(Some(loaded.desired))
        }
        Err(e) => {
            print_diagnostics(&e.diagnostics, DiagnosticFormat::Text, false, printer)?;
            let (errors, _) = config::summary(&e.diagnostics);
            printer.err(&format!(
                "{}: the configuration is invalid: {errors} error(s); the event definitions cannot be used",
                printer.paint_err(Style::Red, "error")
            ));
            Ok(None)
        }
    }
}

fn write_schemas(
    desired: &Desired,
    args: &EventsSchemaArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let schemas = schema::event_schemas(desired.events.iter().map(|e| &e.value));
    match &args.out {
        None => {
            let mut text = serde_json::to_string_pretty(&schemas)?;
            text.push('\n');
            printer.out(&text)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut seen = std::collections::BTreeMap::new();
            for (name, s) in &schemas {
                let file = schema::file_name(name);
                if let Some(other) = seen.insert(file.to_lowercase(), name) {
                    bail!(
                        "events {other:?} and {name:?} would both be written to {file}\n  help: rename one of them"
                    );
                }
                let path = dir.join(&file);
                let mut text = serde_json::to_string_pretty(s)?;
                text.push('\n');
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                printer.note(&format!("wrote {}", path.display()));
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
