//! `completions SHELL`: prints clap's completion script for a shell.

use crate::cli::{Cli, CompletionsArgs};
use crate::output::Printer;

use super::ExitStatus;

/// Prints the completions.
pub(super) fn run(args: &CompletionsArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "intercom-iac", &mut buf);
    printer.out(&String::from_utf8_lossy(&buf))?;
    Ok(ExitStatus::Success)
}
