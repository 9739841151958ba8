//! The `intercom-iac` binary: parse flags, resolve the settings, set up logging, run the
//! command, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;
use intercom_iac::cli::Cli;
use intercom_iac::commands::{self, ExitStatus};
use intercom_iac::output::Printer;
use intercom_iac::settings::{Environment, Settings};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors exit 1, so that 2 only ever means "changes found".
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let settings = Settings::resolve(&cli.global, Environment::of_process());
    init_tracing(&settings);
    let printer = Printer::new(settings.color, settings.quiet);
    match commands::run(cli.command, &settings, &printer) {
        Ok(status) => status.into(),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitStatus::Success.into();
            }
            printer.err(&format!("error: {e}"));
            for cause in e.chain().skip(1) {
                printer.err(&format!("Caused by: {cause}"));
            }
            ExitStatus::Failure.into()
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_tracing(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = settings
        .rust_log
        .as_deref()
        .and_then(|directives| EnvFilter::try_new(directives).ok())
        .unwrap_or_else(|| EnvFilter::new(settings.log_directives()));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
