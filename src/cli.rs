//! Command-line flags (clap derive structs only: raw flags, no logic).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Manage an Intercom workspace's configuration as code.
#[derive(Debug, Parser)]
#[command(name = "intercom-iac", version, about, long_about = None)]
pub struct Cli {
    /// Flags that work before or after the subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags shared by every subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file or directory (every *.yaml/*.yml below it, in sorted path order).
    #[arg(
        short = 'c',
        long = "config",
        global = true,
        default_value = "intercom",
        value_name = "PATH"
    )]
    pub config: PathBuf,

    /// More logging on stderr (-v debug, -vv trace). RUST_LOG overrides it.
    #[arg(short = 'v', long = "verbose", global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Hide progress and notes on stderr (errors and data are still printed).
    #[arg(short = 'q', long = "quiet", global = true)]
    pub quiet: bool,

    /// When to use colour.
    #[arg(long = "color", global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set or TERM=dumb.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the configuration (schema and semantic checks); never touches the network.
    Validate(ValidateArgs),
    /// Print or write the JSON Schemas of the configuration language.
    Schema(SchemaArgs),
}

/// `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// How to print problems: `text` (FILE:LINE:COL: error: …) or `github` (workflow commands
    /// that annotate the lines of a pull request).
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Text)]
    pub format: DiagnosticFormat,
}

/// `validate --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Compiler-style lines on stderr.
    Text,
    /// GitHub Actions `::error file=…` commands on stdout.
    Github,
}

/// `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema files into this directory instead of printing the configuration schema.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
