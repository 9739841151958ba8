//! `events schema|validate|send|codegen|audit`: the CLI side of the event contract. Loads the
//! declared events, then writes their schemas or typed producers, checks an event file, sends
//! one, or audits the event names sampled contacts sent.

use crate::kinds;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use super::files::OutDir;
use super::load::load_config;
use super::session::{Session, with_session};
use super::{ExitStatus, runtime};
use crate::cli::{
    AuditFormat, CodegenLang, EventsAuditArgs, EventsCodegenArgs, EventsCommand, EventsSchemaArgs,
    EventsSendArgs,
};
use crate::config::Desired;
use crate::events::audit::{self, Audit, Declared};
use crate::events::codegen::{self, Lang};
use crate::events::lines::Input;
use crate::events::send::{self, SendOptions};
use crate::events::{Contract, checkpoint, schema, validate};
use crate::intercom::read as intercom_read;
use crate::output::{Printer, Style};
use crate::settings::Settings;

/// Runs an `events` subcommand against the configuration's declared events.
pub(super) fn run(
    settings: &Settings,
    command: EventsCommand,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let Some(desired) = load_config(settings, "the event definitions cannot be used", printer)?
    else {
        return Ok(ExitStatus::Failure);
    };
    if kinds::events::declared(&desired).is_empty() {
        bail!(
            "the configuration in {} declares no events\n  help: declare them under `events:` (name, description, metadata)",
            settings.config.display()
        );
    }
    let deny_warnings = match &command {
        EventsCommand::Validate(args) => args.deny_warnings,
        EventsCommand::Send(args) => args.deny_warnings,
        EventsCommand::Schema(_) | EventsCommand::Codegen(_) | EventsCommand::Audit(_) => false,
    };
    let contract = Contract::new(
        kinds::events::declared(&desired).iter().map(|e| &e.value),
        unix_now(),
    )
    .deny_warnings(deny_warnings);
    match command {
        EventsCommand::Schema(args) => write_schemas(&desired, &args, printer),
        EventsCommand::Validate(args) => {
            validate_file(&Input::from_arg(&args.input), &contract, printer)
        }
        EventsCommand::Send(args) => send_file(settings, &args, &desired, &contract, printer),
        EventsCommand::Codegen(args) => codegen(&desired, &args, printer),
        EventsCommand::Audit(args) => audit_sample(settings, &args, &desired, printer),
    }
}

/// `events audit`: samples contacts, reads each one's event summary under the client's rate
/// limiter, and reports undeclared and deprecated names (exit 2 when there are any).
fn audit_sample(
    settings: &Settings,
    args: &EventsAuditArgs,
    desired: &Desired,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let declared: Vec<Declared<'_>> = kinds::events::declared(desired)
        .iter()
        .map(|e| Declared {
            name: &e.value.name,
            deprecated: e.value.deprecated.as_deref(),
        })
        .collect();
    let seed = args.seed.unwrap_or_else(random_seed);
    let report = runtime()?.block_on(async {
        let session = Session::open(settings, Some(desired), None).await?;
        with_session(session, async |session| {
            let client = &session.client;
            let ids = intercom_read::contact_ids(client)
                .await
                .context("cannot list the contacts to sample")?;
            let picked = audit::sample(
                &ids,
                usize::try_from(args.sample).unwrap_or(usize::MAX),
                seed,
            );
            let mut summaries = Vec::with_capacity(picked.len());
            for id in picked {
                let events = intercom_read::event_summary(client, &id)
                    .await
                    .with_context(|| format!("cannot read the event summary of contact {id}"))?;
                summaries.push((id, events));
            }
            Ok(Audit::new(&declared, seed, ids.len(), summaries))
        })
        .await
    })?;
    let text = match args.format {
        AuditFormat::Text => report.to_text(),
        AuditFormat::Markdown => report.to_markdown(),
        AuditFormat::Json => {
            let mut t = serde_json::to_string_pretty(&report)?;
            t.push('\n');
            t
        }
    };
    printer.out(&text)?;
    Ok(if report.has_findings() {
        ExitStatus::Changes
    } else {
        ExitStatus::Success
    })
}

/// A seed for a sample nobody asked to reproduce; the report prints it so it can be. Kept to
/// 32 bits: short to copy, and exact in JSON readers that hold numbers as doubles.
fn random_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
        .unwrap_or(0);
    u64::from(nanos ^ std::process::id())
}

/// `events codegen`: writes the module, or with `--check` compares it byte for byte.
fn codegen(
    desired: &Desired,
    args: &EventsCodegenArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let lang = match args.lang {
        CodegenLang::Typescript => Lang::TypeScript,
        CodegenLang::Python => Lang::Python,
    };
    let events: Vec<_> = kinds::events::declared(desired)
        .iter()
        .map(|e| &e.value)
        .collect();
    let text = codegen::generate(lang, &events)?;
    let path = args.out.join(lang.file_name());
    if args.check {
        let current = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let help = format!(
            "  help: run `intercom-iac events codegen --lang {} --out {}` and commit the result",
            lang.flag(),
            args.out.display()
        );
        return Ok(match current {
            Some(bytes) if bytes == text.as_bytes() => {
                printer.note(&format!(
                    "{} is up to date with the events contract.",
                    path.display()
                ));
                ExitStatus::Success
            }
            Some(_) => {
                printer.err(&format!(
                    "{}: {} is stale: the events contract changed since it was generated\n{help}",
                    printer.paint_err(Style::Red, "error"),
                    path.display()
                ));
                ExitStatus::Failure
            }
            None => {
                printer.err(&format!(
                    "{}: {} does not exist\n{help}",
                    printer.paint_err(Style::Red, "error"),
                    path.display()
                ));
                ExitStatus::Failure
            }
        });
    }
    let out = OutDir::create(&args.out, printer)?;
    out.write(lang.file_name(), &text)?;
    Ok(ExitStatus::Success)
}

/// `events schema`: one JSON object keyed by event name, or one file per event.
fn write_schemas(
    desired: &Desired,
    args: &EventsSchemaArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let schemas = schema::event_schemas(kinds::events::declared(desired).iter().map(|e| &e.value));
    match &args.out {
        None => {
            let mut text = serde_json::to_string_pretty(&schemas)?;
            text.push('\n');
            printer.out(&text)?;
        }
        Some(dir) => {
            let out = OutDir::create(dir, printer)?;
            let mut seen = BTreeMap::new();
            for (name, s) in &schemas {
                let file = schema::file_name(name);
                if let Some(other) = seen.insert(file.to_lowercase(), name) {
                    bail!(
                        "events {other:?} and {name:?} would both be written to {file}\n  help: rename one of them"
                    );
                }
                let mut text = serde_json::to_string_pretty(s)?;
                text.push('\n');
                out.write(&file, &text)?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// `events validate FILE|-`: reports every problem and the counts per event.
fn validate_file(
    input: &Input,
    contract: &Contract,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let file = input.display();
    let reader = input
        .open()
        .with_context(|| format!("cannot open {file}"))?;
    let scan = validate::scan(reader, &file, contract, 0, true, printer)
        .with_context(|| format!("cannot read {file}"))?;
    validate::print_summary(&file, &scan.tally, printer);
    let total = scan.tally.total();
    if total.invalid > 0 {
        printer.err(&format!(
            "{}: {} of {} event(s) in {file} are invalid",
            printer.paint_err(Style::Red, "error"),
            total.invalid,
            total.valid + total.invalid
        ));
        Ok(ExitStatus::Failure)
    } else {
        Ok(ExitStatus::Success)
    }
}

/// `events send FILE|-`: validates the whole file, then sends it through a session.
fn send_file(
    settings: &Settings,
    args: &EventsSendArgs,
    desired: &Desired,
    contract: &Contract,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let input = Input::from_arg(&args.input);
    let opts = send_options(args, &input)?;
    let Some(prepared) = send::prepare(&input, contract, &opts, printer)? else {
        return Ok(ExitStatus::Failure);
    };
    runtime()?.block_on(async {
        let session = Session::open(settings, Some(desired), None).await?;
        with_session(session, async |session| {
            let counts = prepared.send(session.client.clone(), printer).await?;
            if counts.refused > 0 {
                printer.err(&format!(
                    "{}: Intercom refused {} event(s); they are in {} with the reason",
                    printer.paint_err(Style::Red, "error"),
                    counts.refused,
                    opts.rejects.display()
                ));
                return Ok(ExitStatus::Failure);
            }
            Ok(ExitStatus::Success)
        })
        .await
    })
}

/// The send's options: the flags, the checkpoint `<FILE>.checkpoint` and the rejects file
/// (default `<FILE>.rejects`, or `stdin.rejects`; stdin cannot be resumed).
fn send_options(args: &EventsSendArgs, input: &Input) -> anyhow::Result<SendOptions> {
    let (checkpoint, default_rejects) = match input {
        Input::File(p) => (
            Some(checkpoint::path_for(p)),
            checkpoint::with_suffix(p, ".rejects"),
        ),
        Input::Stdin => {
            if args.resume {
                bail!(
                    "--resume needs a file: events read from stdin cannot be read again\n  help: save the events to a file and send that file"
                );
            }
            (None, PathBuf::from("stdin.rejects"))
        }
    };
    Ok(SendOptions {
        rate: args.rate,
        concurrency: usize::from(args.concurrency),
        skip_invalid: args.skip_invalid,
        rejects: args.rejects.clone().unwrap_or(default_rejects),
        checkpoint,
        resume: args.resume,
    })
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
