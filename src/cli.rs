//! Command-line flags (clap derive structs only: raw flags, no logic).

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::intercom::region_base_url;
use crate::model::Region;

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

    /// Intercom region to talk to (default: the configuration's `workspace.region`, else us).
    #[arg(long, global = true, value_enum)]
    pub region: Option<Region>,

    /// API base URL instead of a region (plain http:// only for loopback hosts). `ENV=URL`
    /// gives one environment its own (repeatable), e.g. for `--env all` on two sandboxes.
    #[arg(long, global = true, value_name = "URL", conflicts_with = "region")]
    pub endpoint: Vec<String>,

    /// Run against the embedded sandbox instead of Intercom; its state persists in FILE
    /// (default .intercom-sandbox.json; the value needs the `=`). No token is needed.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = ".intercom-sandbox.json",
        conflicts_with_all = ["region", "endpoint"]
    )]
    pub sandbox: Option<PathBuf>,

    /// The environment to work on, when the configuration declares `environments:` (its
    /// workspace, variables and overlays; its token from INTERCOM_ACCESS_TOKEN_<ENV>, else
    /// INTERCOM_ACCESS_TOKEN). `plan` and `drift` also take `all`.
    #[arg(long, global = true, value_name = "NAME")]
    pub env: Option<String>,

    /// Longest wait for one API answer, in seconds; a call that takes longer is retried (or,
    /// for a create, read back first).
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub timeout: u64,
}

/// `--region`: the values are the regions' names, each with its API host as help.
impl ValueEnum for Region {
    fn value_variants<'a>() -> &'a [Self] {
        &Region::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()).help(region_base_url(*self)))
    }
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
    /// Print or write the JSON Schemas of the configuration language and the plan format.
    Schema(SchemaArgs),
    /// Show what apply would change in the workspace.
    Plan(PlanArgs),
    /// Apply the changes (a fresh plan, or exactly those of a saved plan).
    Apply(ApplyArgs),
    /// Render a saved plan.
    Show(ShowArgs),
    /// Write the live workspace as configuration (adopting an existing workspace).
    Export(ExportArgs),
    /// Report what differs between the workspace and the configuration, and unmanaged objects.
    Drift(DriftArgs),
    /// Report the admin activity log by security category and admin (exports, access, …).
    Audit(AuditArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// The embedded Intercom emulator.
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// The declared events as a contract: their schemas, and checking and sending event files.
    #[command(subcommand)]
    Events(EventsCommand),
}

/// Output formats of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// For people.
    Text,
    /// For machines (versioned; see schemas/plan.schema.json).
    Json,
    /// For pull-request comments.
    Markdown,
}

/// What a plan covers: shared by plan and apply.
#[derive(Debug, Args, Clone, Default)]
pub struct ScopeArgs {
    /// Only these kinds or objects: a kind (`tags`) or an address (`tag["VIP"]`). Repeatable.
    #[arg(long = "only", value_name = "KIND|ADDRESS")]
    pub only: Vec<String>,

    /// Also prune this kind (as if listed in the configuration's `prune`). Repeatable.
    #[arg(long = "prune", value_name = "KIND")]
    pub prune: Vec<String>,
}

/// `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Scope.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Save the plan (JSON with fingerprints of the live objects) for `apply PLANFILE`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Review the events contract against this configuration (a file or directory, e.g. the
    /// pull request's base checkout): breaking changes are listed first in text and markdown.
    #[arg(long, value_name = "PATH")]
    pub events_base: Option<PathBuf>,

    /// With `--events-base`: exit 1 (after printing the plan) when the events contract has a
    /// breaking change.
    #[arg(long, requires = "events_base")]
    pub deny_breaking_events: bool,
}

/// `apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved with `plan --out`: apply exactly its actions, refusing if the workspace
    /// changed since.
    pub planfile: Option<PathBuf>,

    /// Scope (without a plan file).
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub auto_approve: bool,

    /// Refuse unless the fresh plan's digest is this one (the digest reviewed in the pull
    /// request).
    #[arg(long, value_name = "DIGEST")]
    pub expect_digest: Option<String>,

    /// Refuse when a kind would lose more than N objects or P% of its live objects.
    #[arg(long, value_name = "N|P%")]
    pub max_delete: Option<String>,

    /// Skip the safety thresholds.
    #[arg(long)]
    pub force: bool,

    /// Promotion guard: refuse (exit 1, nothing written) unless a plan of the same
    /// configuration against environment ENV shows no changes (e.g. `apply --env production
    /// --require-clean staging`).
    #[arg(long, value_name = "ENV")]
    pub require_clean: Option<String>,

    /// Write calls in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// Output formats of an apply report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For people.
    Text,
    /// For machines.
    Json,
}

/// `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The saved plan.
    pub planfile: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
}

/// `sandbox …`.
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Serve the emulator over HTTP until interrupted.
    Serve(ServeArgs),
}

/// `sandbox serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: std::net::SocketAddr,

    /// Load and persist the workspace in this JSON file.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Accept only this bearer token (default: any non-empty token).
    #[arg(long, value_name = "T")]
    pub token: Option<String>,

    /// Latency added to every response.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub latency_ms: u64,

    /// Share of requests that get an injected fault (5xx, reset, slow response).
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub fault_rate: f64,

    /// Seed of the fault sequence.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub fault_seed: u64,

    /// Requests per rate-limit window (default: unlimited, headers as Intercom's default).
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,

    /// Length of a rate-limit window.
    #[arg(long, default_value_t = 10, value_name = "S")]
    pub rate_window_secs: u64,

    /// Initial workspace: default, large or empty.
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub seed: String,

    /// The app `id_code` of the seeded workspace (default: the seed's, `sbx4c0de`), so that
    /// two sandboxes can stand in for two workspaces (`--env`).
    #[arg(long, value_name = "ID", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub app_id: Option<String>,

    /// Seed the workspace with identity verification on (the seeds have it off, as a new
    /// workspace does).
    #[arg(long)]
    pub identity_verification: bool,

    /// Answer this kind's endpoints as Intercom answers a token without the permission (401
    /// `token_unauthorized`); repeatable. KIND: office_hours, tags, teams, admins,
    /// data_attributes (or contact_attributes, company_attributes), conversation_attributes,
    /// segments, audiences, brands, away_status_reasons, contacts, events.
    #[arg(long, value_name = "KIND")]
    pub deny_scope: Vec<String>,

    /// Answer as a workspace whose plan lacks this feature (403 `api_plan_restricted`);
    /// repeatable. FEATURE: team-membership (`PUT /teams/{id}`).
    #[arg(long, value_name = "FEATURE")]
    pub restrict: Vec<String>,

    /// Answer the next N team-membership writes that would succeed with 409 `conflict`
    /// (again after `POST /_sandbox/reset`).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub team_conflicts: u32,

    /// Refuse list data attributes created as `data_type: "options"` (400 `parameter_invalid`
    /// "Data Type isn't an option"), as a workspace that accepts only the older `"string"` +
    /// options form.
    #[arg(long)]
    pub refuse_options_form: bool,
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

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write one file per kind into this directory (default: one document on stdout).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Only these kinds. Repeatable.
    #[arg(long = "only", value_name = "KIND")]
    pub only: Vec<String>,
}

/// `drift`.
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Also fail (exit 2) when live objects of kinds that are not pruned are not declared.
    #[arg(long)]
    pub fail_on_unmanaged: bool,

    /// How far back the recent activity of the kinds the activity log covers is read: a
    /// duration back from now (`30d`, `12h`, `2w`) or a UTC day (`2026-11-01`).
    #[arg(long, value_name = "30d|DATE", default_value = "30d")]
    pub since: String,

    /// Do not read the activity log (no recent activity under the kinds).
    #[arg(long)]
    pub no_activity: bool,
}

/// `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The period: a duration back from now (`7d`, `12h`, `2w`) or a UTC day (`2026-11-01`)
    /// or instant (`2026-11-01T09:00:00Z`).
    #[arg(long, value_name = "7d|DATE", default_value = "7d")]
    pub since: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,

    /// Exit 2 when anything in this category happened: data-access, access-control,
    /// messenger-security, integrations, data-deletion, workspace-settings, teammate-activity
    /// or other. Repeatable.
    #[arg(long = "fail-on", value_name = "CATEGORY")]
    pub fail_on: Vec<String>,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// `events …`.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Print or write one JSON Schema per declared event: the exact `POST /events` body.
    Schema(EventsSchemaArgs),
    /// Check newline-delimited JSON events against the declared events.
    Validate(EventsValidateArgs),
    /// Check newline-delimited JSON events, then send them with `POST /events`.
    Send(EventsSendArgs),
    /// Write a typed producer module: a function per declared event, calling your transport.
    Codegen(EventsCodegenArgs),
    /// Sample contacts and report the event names they sent that are undeclared or deprecated.
    Audit(EventsAuditArgs),
}

/// `events audit`.
#[derive(Debug, Args)]
pub struct EventsAuditArgs {
    /// How many contacts to sample (all of them when there are fewer).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub sample: u32,

    /// The seed of the random sample; the same seed samples the same contacts (default: a
    /// random seed, printed in the report).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    pub format: AuditFormat,
}

/// `events audit --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// For people.
    Text,
    /// For scripts (`format_version` 1).
    Json,
    /// For a pull request or run summary.
    Markdown,
}

/// `events codegen`.
#[derive(Debug, Args)]
pub struct EventsCodegenArgs {
    /// The language of the module (`intercom_events.ts` or `intercom_events.py`).
    #[arg(long, value_enum)]
    pub lang: CodegenLang,

    /// The directory the module is written to (or, with `--check`, compared with).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Write nothing: exit 1 when the module in DIR differs from what would be generated.
    #[arg(long)]
    pub check: bool,
}

/// `events codegen --lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CodegenLang {
    /// TypeScript (`tsc --strict` clean).
    Typescript,
    /// Python 3.10+ (`mypy --strict` clean).
    Python,
}

/// `events schema`.
#[derive(Debug, Args)]
pub struct EventsSchemaArgs {
    /// Write `<event>.schema.json` files into this directory instead of printing one JSON
    /// object keyed by event name.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `events validate`.
#[derive(Debug, Args)]
pub struct EventsValidateArgs {
    /// Newline-delimited JSON events, one `POST /events` body per line (`-` reads stdin).
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,

    /// Treat uses of deprecated events and metadata keys as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `events send`.
#[derive(Debug, Args)]
pub struct EventsSendArgs {
    /// Newline-delimited JSON events, one `POST /events` body per line (`-` reads stdin).
    #[arg(value_name = "FILE|-")]
    pub input: PathBuf,

    /// Most events sent per second (the client's rate limiter may send fewer).
    #[arg(long, default_value_t = 200, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rate: u32,

    /// Requests in flight at once.
    #[arg(long, default_value_t = 16, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,

    /// Send the valid lines and write the invalid ones to the rejects file, instead of sending
    /// nothing when a line is invalid.
    #[arg(long)]
    pub skip_invalid: bool,

    /// Where refused and skipped lines go, with the reason (default `<FILE>.rejects`).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Continue after the last line `<FILE>.checkpoint` records as acknowledged.
    #[arg(long)]
    pub resume: bool,

    /// Treat uses of deprecated events and metadata keys as errors (such lines are invalid).
    #[arg(long)]
    pub deny_warnings: bool,
}
