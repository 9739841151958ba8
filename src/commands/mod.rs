//! The subcommands, one file each: every command resolves what it needs from its flags and the
//! `Settings`, calls the library and prints. Commands never call each other; what several
//! share (a session, diagnostics, scopes, plan files, progress) has a module of its own.

mod activity;
mod apply;
mod audit;
mod completions;
mod diagnostics;
mod drift;
mod environments;
mod events;
mod export;
mod files;
mod fresh;
mod load;
mod plan;
mod planfile;
mod progress;
mod render;
mod schema;
mod scope;
mod serve;
mod session;
mod show;
mod validate;

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Command, SandboxCommand};
use crate::output::Printer;
use crate::settings::Settings;

pub use schema::schema_files;

/// How a run ended (terraform's contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Success; no changes where that is asked.
    Success,
    /// An error of any kind.
    Failure,
    /// Success with changes (`plan --detailed-exitcode`) or drift.
    Changes,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        match s {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Changes => ExitCode::from(2),
        }
    }
}

/// Runs a subcommand with the run's settings.
pub fn run(command: Command, settings: &Settings, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let each_env = matches!(
        command,
        Command::Plan(_) | Command::Drift(_) | Command::Validate(_) | Command::Audit(_)
    );
    if environments::is_all(settings) && !each_env {
        anyhow::bail!(
            "--env all works with plan, drift, validate and audit only
  help: run this command once per environment with --env NAME"
        );
    }
    match command {
        Command::Validate(args) => validate::run(settings, &args, printer),
        Command::Schema(args) => schema::run(&args, printer),
        Command::Show(args) => show::run(&args, printer),
        Command::Plan(args) => runtime()?.block_on(plan::run(settings, &args, printer)),
        Command::Apply(args) => runtime()?.block_on(apply::run(settings, &args, printer)),
        Command::Sandbox(SandboxCommand::Serve(args)) => runtime()?.block_on(serve::run(&args)),
        Command::Export(args) => runtime()?.block_on(export::run(settings, &args, printer)),
        Command::Drift(args) => runtime()?.block_on(drift::run(settings, &args, printer)),
        Command::Audit(args) => runtime()?.block_on(audit::run(settings, &args, printer)),
        Command::Completions(args) => completions::run(&args, printer),
        Command::Events(command) => events::run(settings, command, printer),
    }
}

/// The async runtime that network commands run on.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
