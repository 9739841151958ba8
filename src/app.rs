//! Runs a parsed command line: the edge where typed errors become messages and exit codes.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};

use crate::apply::{self, ApplyOptions, ApplyReport, ChangeReport, Outcome};
use crate::cli::{
    ApplyArgs, Cli, Command, DiagnosticFormat, DriftArgs, ExportArgs, PlanArgs, PlanFormat,
    ReportFormat, SandboxCommand, SchemaArgs, ScopeArgs, ServeArgs, ShowArgs, ValidateArgs,
};
use crate::config::{self, Desired, Diagnostic, Severity};
use crate::intercom::{self, Client, ClientOptions, Scope, Target, Token};
use crate::model::{Address, Kind, Live, Me};
use crate::output::{Printer, Style};
use crate::plan::{self, Filter, MaxDelete, Plan, SafetyLimits};
use crate::render::{self, PlanDocument, PlanTarget};
use crate::sandbox::{self, Sandbox, SandboxOptions};
use crate::settings::{Destination, Settings};

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

/// Runs the command.
pub fn run(command: Command, settings: &Settings, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Validate(args) => validate(&settings.config, &args, printer),
        Command::Schema(args) => schema(&args, printer),
        Command::Show(args) => show(&args, printer),
        Command::Plan(args) => runtime()?.block_on(plan_command(settings, &args, printer)),
        Command::Apply(args) => runtime()?.block_on(apply_command(settings, &args, printer)),
        Command::Sandbox(SandboxCommand::Serve(args)) => runtime()?.block_on(serve(&args)),
        Command::Export(args) => runtime()?.block_on(export_command(settings, &args, printer)),
        Command::Drift(args) => runtime()?.block_on(drift_command(settings, &args, printer)),
        Command::Completions(args) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(args.shell, &mut cmd, "intercom-iac", &mut buf);
            printer.out(&String::from_utf8_lossy(&buf))?;
            Ok(ExitStatus::Success)
        }
        Command::Events(args) => crate::events::run(settings, args, printer),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Prints diagnostics in the chosen format; returns whether any is (or counts as) an error.
pub fn print_diagnostics(
    diagnostics: &[Diagnostic],
    format: DiagnosticFormat,
    deny_warnings: bool,
    printer: &Printer,
) -> anyhow::Result<bool> {
    let mut failed = false;
    for d in diagnostics {
        let mut d = d.clone();
        if deny_warnings && d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
        failed |= d.severity == Severity::Error;
        match format {
            DiagnosticFormat::Github => printer.out(&format!("{}\n", d.to_github()))?,
            DiagnosticFormat::Text => printer.err(&render_diagnostic(&d, printer)),
        }
    }
    Ok(failed)
}

fn render_diagnostic(d: &Diagnostic, printer: &Printer) -> String {
    let (style, label) = match d.severity {
        Severity::Error => (Style::Red, "error"),
        Severity::Warning => (Style::Yellow, "warning"),
    };
    let mut s = format!(
        "{}: {}: {}",
        printer.paint_err(Style::Bold, &d.location()),
        printer.paint_err(style, label),
        d.message
    );
    if let Some(help) = &d.help {
        s.push_str(&format!(
            "\n  {}: {help}",
            printer.paint_err(Style::Cyan, "help")
        ));
    }
    s
}

fn validate(path: &Path, args: &ValidateArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let (diagnostics, files) = match config::load(path) {
        Ok(loaded) => (loaded.warnings, loaded.desired.files.len()),
        Err(e) => (e.diagnostics, 0),
    };
    let failed = print_diagnostics(&diagnostics, args.format, args.deny_warnings, printer)?;
    let (errors, warnings) = config::summary(&diagnostics);
    let (errors, warnings) = if args.deny_warnings {
        (errors + warnings, 0)
    } else {
        (errors, warnings)
    };
    if failed {
        printer.err(&format!(
            "{}: the configuration is invalid: {errors} error(s), {warnings} warning(s)",
            printer.paint_err(Style::Red, "error")
        ));
        Ok(ExitStatus::Failure)
    } else {
        printer.note(&format!(
            "The configuration is valid: {files} file(s), {warnings} warning(s)."
        ));
        Ok(ExitStatus::Success)
    }
}

fn schema(args: &SchemaArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    match &args.out {
        None => printer.out(&config::config_schema_text())?,
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for (name, text) in schema_files() {
                let path = dir.join(name);
                std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                printer.note(&format!("wrote {}", path.display()));
            }
        }
    }
    Ok(ExitStatus::Success)
}

/// Every schema file that `schemas/` holds, by file name.
pub fn schema_files() -> Vec<(&'static str, String)> {
    let mut plan = serde_json::to_string_pretty(&render::plan_schema()).unwrap_or_default();
    plan.push('\n');
    vec![
        ("intercom-iac.schema.json", config::config_schema_text()),
        ("plan.schema.json", plan),
    ]
}

// ---------------------------------------------------------------------------------------------
// Sessions: a client talking to Intercom or to an in-process sandbox.

/// A connection to a workspace for one run.
pub(crate) struct Session {
    pub(crate) client: Client,
    sandbox: Option<Sandbox>,
    me: Me,
    endpoint_host: String,
}

impl Session {
    /// Starts the sandbox if asked, builds the client, checks the token with `GET /me` and the
    /// workspace guard.
    pub(crate) async fn open(
        settings: &Settings,
        desired: Option<&Desired>,
        expected_app_id: Option<&str>,
    ) -> anyhow::Result<Session> {
        let config_region = desired.and_then(|d| d.workspace.region.as_ref().map(|r| r.value));
        let destination = settings.destination(config_region)?;
        let (target, token, sandbox) = match destination {
            Destination::Sandbox { state_file } => {
                let opts = SandboxOptions {
                    state_file: Some(state_file.clone()),
                    ..SandboxOptions::default()
                };
                let sb = Sandbox::start(opts).await.with_context(|| {
                    format!(
                        "cannot start the embedded sandbox with state file {}",
                        state_file.display()
                    )
                })?;
                let url = sb.url().parse().context("the sandbox URL is not a URL")?;
                (Target::Endpoint(url), Token::new("sandbox"), Some(sb))
            }
            Destination::Remote { target, token } => (target, token, None),
        };
        let options = ClientOptions {
            timeout: settings.timeout,
            ..ClientOptions::default()
        };
        let client = Client::with_options(&target, token, options)?;
        let endpoint_host = client.base_url().host_str().unwrap_or_default().to_string();
        let session_result = async {
            let me = client
                .me()
                .await
                .context("cannot read the workspace (GET /me)")?;
            let expected = expected_app_id.or_else(|| {
                desired.and_then(|d| d.workspace.app_id.as_ref().map(|a| a.value.as_str()))
            });
            intercom::check_workspace(&me, expected)?;
            anyhow::Ok(me)
        }
        .await;
        match session_result {
            Ok(me) => Ok(Session {
                client,
                sandbox,
                me,
                endpoint_host,
            }),
            Err(e) => {
                if let Some(sb) = sandbox {
                    let _ = sb.shutdown().await;
                }
                Err(e)
            }
        }
    }

    /// Stops the sandbox (persisting its state).
    pub(crate) async fn close(self) -> anyhow::Result<()> {
        if let Some(sb) = self.sandbox {
            sb.shutdown()
                .await
                .context("cannot save the sandbox state")?;
        }
        Ok(())
    }

    fn target(&self) -> PlanTarget {
        PlanTarget {
            app_id: self.me.app.id_code.clone(),
            app_name: self.me.app.name.clone(),
            region: self.me.app.region.clone(),
            endpoint_host: self.endpoint_host.clone(),
        }
    }

    /// Reads the kinds in scope; a kind the token cannot read is an error naming it.
    async fn fetch(&self, scope: &Scope) -> anyhow::Result<Live> {
        let fetched = intercom::fetch_live_partial(&self.client, scope)
            .await
            .context("cannot read the workspace")?;
        if let Some(first) = fetched.unavailable.first() {
            let all: Vec<String> = fetched.unavailable.iter().map(|u| u.to_string()).collect();
            bail!(
                "{}\n  help: grant the token the missing permission, or leave {} out with --only",
                all.join("\n"),
                first.kind
            );
        }
        let mut live = fetched.live;
        live.me = self.me.clone();
        Ok(live)
    }
}

/// Runs `body` with an open session and always closes it.
async fn with_session<T>(
    session: Session,
    body: impl AsyncFnOnce(&Session) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let result = body(&session).await;
    let closed = session.close().await;
    let value = result?;
    closed?;
    Ok(value)
}

// ---------------------------------------------------------------------------------------------
// plan

/// Loads the configuration, printing every diagnostic; `None` when it has errors.
fn load_config(path: &Path, printer: &Printer) -> anyhow::Result<Option<Desired>> {
    match config::load(path) {
        Ok(loaded) => {
            print_diagnostics(&loaded.warnings, DiagnosticFormat::Text, false, printer)?;
            Ok(Some(loaded.desired))
        }
        Err(e) => {
            print_diagnostics(&e.diagnostics, DiagnosticFormat::Text, false, printer)?;
            let (errors, _) = config::summary(&e.diagnostics);
            printer.err(&format!(
                "{}: the configuration is invalid: {errors} error(s); nothing was read or written",
                printer.paint_err(Style::Red, "error")
            ));
            Ok(None)
        }
    }
}

fn parse_scope(args: &ScopeArgs) -> anyhow::Result<(Filter, Vec<Kind>)> {
    let mut filter = Filter::default();
    for only in &args.only {
        if only.contains('[') {
            let a: Address = only.parse()?;
            filter.addresses.insert(a);
        } else {
            filter.kinds.insert(only.parse()?);
        }
    }
    let mut prune = Vec::new();
    for p in &args.prune {
        let k: Kind = p.parse()?;
        if let Some(reason) = k.prune_refusal() {
            bail!(
                "--prune {k}: {reason}\n  help: prunable kinds: contact_attributes, company_attributes, conversation_attributes, tags, audiences, office_hours"
            );
        }
        prune.push(k);
    }
    Ok((filter, prune))
}

/// The kinds to read for a configuration: declared, pruned and their dependencies, narrowed by
/// `--only`.
fn scope_for(desired: &Desired, filter: &Filter, extra_prune: &[Kind]) -> Scope {
    let mut kinds: BTreeSet<Kind> = desired.declared_kinds().into_iter().collect();
    kinds.extend(desired.prune.iter().map(|p| p.value));
    kinds.extend(extra_prune.iter().copied());
    kinds.retain(|k| filter.touches(*k) && *k != Kind::Events);
    // Attribute names are unique across contacts and companies: checking one needs both.
    if kinds.contains(&Kind::ContactAttributes) || kinds.contains(&Kind::CompanyAttributes) {
        kinds.insert(Kind::ContactAttributes);
        kinds.insert(Kind::CompanyAttributes);
    }
    Scope {
        office_hours_exceptions: kinds.contains(&Kind::OfficeHours)
            && desired.office_hours.iter().any(|o| o.exceptions.is_some()),
        team_names: kinds.contains(&Kind::ConversationAttributes),
        kinds,
    }
}

/// Plans against a session; prints plan errors and returns `None` when there are any.
async fn make_plan(
    session: &Session,
    desired: &Desired,
    scope: &ScopeArgs,
    printer: &Printer,
) -> anyhow::Result<Option<(Plan, Live)>> {
    let (filter, extra_prune) = parse_scope(scope)?;
    let live = session
        .fetch(&scope_for(desired, &filter, &extra_prune))
        .await?;
    match plan::diff(desired, &live, &filter, &extra_prune) {
        Ok(p) => Ok(Some((p, live))),
        Err(e) => {
            print_diagnostics(&e.diagnostics, DiagnosticFormat::Text, false, printer)?;
            printer.err(&format!(
                "{}: cannot plan: {} error(s); nothing was written",
                printer.paint_err(Style::Red, "error"),
                e.diagnostics.len()
            ));
            Ok(None)
        }
    }
}

fn render_plan(
    plan: &Plan,
    format: PlanFormat,
    target: Option<PlanTarget>,
    printer: &Printer,
) -> String {
    match format {
        PlanFormat::Text => render::render_text(plan, printer.color_stdout()),
        PlanFormat::Json => render::render_json(plan, target),
        PlanFormat::Markdown => render::render_markdown(plan),
    }
}

async fn plan_command(
    settings: &Settings,
    args: &PlanArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let Some(desired) = load_config(&settings.config, printer)? else {
        return Ok(ExitStatus::Failure);
    };
    let session = Session::open(settings, Some(&desired), None).await?;
    with_session(session, async |session| {
        let Some((plan, _)) = make_plan(session, &desired, &args.scope, printer).await? else {
            return Ok(ExitStatus::Failure);
        };
        printer.out(&render_plan(
            &plan,
            args.format,
            Some(session.target()),
            printer,
        ))?;
        if let Some(out) = &args.out {
            write_atomically(
                out,
                render::render_json(&plan, Some(session.target())).as_bytes(),
            )
            .with_context(|| format!("cannot save the plan to {}", out.display()))?;
            printer.note(&format!(
                "Saved the plan to {}; apply exactly it with: intercom-iac apply {}",
                out.display(),
                out.display()
            ));
        }
        Ok(if args.detailed_exitcode && !plan.is_empty() {
            ExitStatus::Changes
        } else {
            ExitStatus::Success
        })
    })
    .await
}

/// Writes a file so that readers see the old or the new content, never half of it.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)?;
    Ok(())
}

fn show(args: &ShowArgs, printer: &Printer) -> anyhow::Result<ExitStatus> {
    let doc = read_plan_file(&args.planfile)?;
    printer.out(&render_plan(
        &doc.to_plan(),
        args.format,
        doc.target.clone(),
        printer,
    ))?;
    Ok(ExitStatus::Success)
}

fn read_plan_file(path: &Path) -> anyhow::Result<PlanDocument> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the plan file {}", path.display()))?;
    let doc: PlanDocument = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a plan saved by `intercom-iac plan --out`",
            path.display()
        )
    })?;
    if doc.format_version != render::FORMAT_VERSION || doc.tool_version != env!("CARGO_PKG_VERSION")
    {
        bail!(
            "the plan in {} was made by intercom-iac {} (plan format {}); this is intercom-iac {} (plan format {})\n  help: run plan again with this version",
            path.display(),
            doc.tool_version,
            doc.format_version,
            env!("CARGO_PKG_VERSION"),
            render::FORMAT_VERSION
        );
    }
    Ok(doc)
}

// ---------------------------------------------------------------------------------------------
// apply

async fn apply_command(
    settings: &Settings,
    args: &ApplyArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let limits = SafetyLimits {
        max_delete: args
            .max_delete
            .as_deref()
            .map(str::parse::<MaxDelete>)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--max-delete: {e}"))?,
        force: args.force,
    };
    match &args.planfile {
        Some(path) => {
            if !args.scope.only.is_empty() || !args.scope.prune.is_empty() {
                bail!(
                    "--only and --prune cannot narrow or widen a saved plan: it is applied exactly as saved\n  help: make a new plan with them: intercom-iac plan --only … --out {}",
                    path.display()
                );
            }
            let doc = read_plan_file(path)?;
            if let Some(expected) = &args.expect_digest {
                let digest = doc.to_plan().digest();
                if *expected != digest {
                    bail!(
                        "the digest of the plan in {} is {digest}, not the reviewed {expected}; nothing was written\n  help: apply the plan that was reviewed, or review this one",
                        path.display()
                    );
                }
            }
            let desired = if settings.config.exists() {
                config::load(&settings.config).ok().map(|l| l.desired)
            } else {
                None
            };
            let expected = doc.target.as_ref().map(|t| t.app_id.clone());
            let session = Session::open(settings, desired.as_ref(), expected.as_deref()).await?;
            with_session(session, async |session| {
                apply_saved(session, &doc, args, &limits, printer).await
            })
            .await
        }
        None => {
            let Some(desired) = load_config(&settings.config, printer)? else {
                return Ok(ExitStatus::Failure);
            };
            let session = Session::open(settings, Some(&desired), None).await?;
            with_session(session, async |session| {
                let Some((plan, _)) = make_plan(session, &desired, &args.scope, printer).await? else {
                    return Ok(ExitStatus::Failure);
                };
                if args.format == ReportFormat::Text {
                    printer.out(&render::render_text(&plan, printer.color_stdout()))?;
                }
                if let Some(expected) = &args.expect_digest {
                    let digest = plan.digest();
                    if *expected != digest {
                        bail!(
                            "the plan's digest is {digest}, not the reviewed {expected}: the workspace or the configuration changed since the plan was reviewed; nothing was written\n  help: run plan again and review the new plan"
                        );
                    }
                }
                if plan.changes.is_empty() {
                    return finish_without_changes(&plan, args.format, printer);
                }
                plan::check_safety(&plan, &limits).map_err(|e| anyhow::anyhow!("{e}"))?;
                if !args.auto_approve && !confirm(session, printer)? {
                    return Ok(ExitStatus::Failure);
                }
                execute(session, &plan, args, printer).await
            })
            .await
        }
    }
}

fn finish_without_changes(
    plan: &Plan,
    format: ReportFormat,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    if format == ReportFormat::Json {
        printer.out(&report_json(&ApplyReport::default(), plan))?;
    }
    if !plan.manual_steps.is_empty() {
        printer.note(&format!(
            "{} manual step(s) pending.",
            plan.manual_steps.len()
        ));
    }
    Ok(ExitStatus::Success)
}

/// Asks on a terminal; refuses without one.
fn confirm(session: &Session, printer: &Printer) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "refusing to apply without confirmation: stdin is not a terminal; nothing was written\n  help: review the plan, then pass --auto-approve"
        );
    }
    eprint!(
        "\nApply these changes to {} ({})? Only 'yes' will be accepted: ",
        session.me.app.name, session.me.app.id_code
    );
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != "yes" {
        printer.err("Apply cancelled; nothing was written.");
        return Ok(false);
    }
    Ok(true)
}

async fn apply_saved(
    session: &Session,
    doc: &PlanDocument,
    args: &ApplyArgs,
    limits: &SafetyLimits,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let mut plan = doc.to_plan();
    let kinds: BTreeSet<Kind> = plan.changes.iter().map(|c| c.address.kind).collect();
    let mut scope = Scope::only(kinds.iter().copied());
    scope.office_hours_exceptions = kinds.contains(&Kind::OfficeHours);
    scope.team_names = kinds.contains(&Kind::ConversationAttributes);
    let live = session.fetch(&scope).await?;
    let stale: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| plan::current_fingerprint(&live, c) != c.fingerprint)
        .map(|c| c.address.to_string())
        .collect();
    if !stale.is_empty() {
        bail!(
            "plan is stale: {} changed since the plan was made; run plan again\n  help: nothing was written; a saved plan is applied only to the workspace it was made against",
            stale.join(", ")
        );
    }
    plan.live_counts = plan::live_counts(&live);
    plan::check_safety(&plan, limits).map_err(|e| anyhow::anyhow!("{e}"))?;
    if plan.changes.is_empty() {
        return finish_without_changes(&plan, args.format, printer);
    }
    execute(session, &plan, args, printer).await
}

async fn execute(
    session: &Session,
    plan: &Plan,
    args: &ApplyArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let writer = Arc::new(session.client.clone());
    let bar = progress_bar(plan.changes.len() as u64, args.format, printer);
    let report = apply::apply(
        plan,
        writer,
        ApplyOptions {
            concurrency: args.concurrency as usize,
        },
        |r| {
            let line = report_line(r, printer);
            match &bar {
                Some(b) => {
                    b.suspend(|| eprintln!("{line}"));
                    b.inc(1);
                }
                None if args.format == ReportFormat::Text => printer.note(&line),
                None => {}
            }
        },
    )
    .await;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let (applied, failed, skipped, manual) = report.counts();
    match args.format {
        ReportFormat::Json => printer.out(&report_json(&report, plan))?,
        ReportFormat::Text => {
            let pending = plan.manual_steps.len() + manual;
            let summary =
                format!("Apply finished: {applied} applied, {failed} failed, {skipped} skipped.");
            if failed + skipped > 0 {
                printer.err(&summary);
            } else {
                printer.note(&summary);
            }
            if pending > 0 {
                printer.note(&format!("{pending} manual step(s) pending."));
            }
            if failed + skipped > 0 {
                printer.err("Run plan again to see what is left; apply finishes it.");
            }
        }
    }
    Ok(if report.failed() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn report_line(r: &ChangeReport, printer: &Printer) -> String {
    let symbol = r.action.symbol();
    match &r.outcome {
        Outcome::Applied => format!(
            "  {} {}: done",
            printer.paint_err(Style::Green, symbol),
            r.address
        ),
        Outcome::Failed { error, ops_done } => {
            let mut s = format!(
                "  {} {}: {}: {error}",
                printer.paint_err(Style::Red, symbol),
                r.address,
                printer.paint_err(Style::Red, "failed")
            );
            if *ops_done > 0 {
                s.push_str(&format!(" (after {ops_done} of its calls succeeded)"));
            }
            s
        }
        Outcome::Skipped { reason } => format!(
            "  {} {}: skipped: {reason}",
            printer.paint_err(Style::Yellow, symbol),
            r.address
        ),
        Outcome::Manual { message } => format!(
            "  {} {}: manual step: {message}",
            printer.paint_err(Style::Cyan, "!"),
            r.address
        ),
    }
}

fn report_json(report: &ApplyReport, plan: &Plan) -> String {
    let (applied, failed, skipped, manual) = report.counts();
    let doc = serde_json::json!({
        "format_version": render::FORMAT_VERSION,
        "digest": plan.digest(),
        "summary": {"applied": applied, "failed": failed, "skipped": skipped, "manual": manual, "manual_steps_pending": plan.manual_steps.len() + manual},
        "changes": report.changes,
        "manual_steps": plan.manual_steps,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn progress_bar(
    len: u64,
    format: ReportFormat,
    _printer: &Printer,
) -> Option<indicatif::ProgressBar> {
    if format != ReportFormat::Text || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} changes  {elapsed_precise}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

// ---------------------------------------------------------------------------------------------
// sandbox serve

async fn serve(args: &ServeArgs) -> anyhow::Result<ExitStatus> {
    if !(0.0..=1.0).contains(&args.fault_rate) {
        bail!(
            "--fault-rate must be between 0 and 1, not {}",
            args.fault_rate
        );
    }
    let opts = SandboxOptions {
        state_file: args.state.clone(),
        token: args.token.clone(),
        latency: std::time::Duration::from_millis(args.latency_ms),
        fault_rate: args.fault_rate,
        fault_seed: args.fault_seed,
        rate_limit: args.rate_limit,
        rate_window: std::time::Duration::from_secs(args.rate_window_secs.max(1)),
        seed: args
            .seed
            .parse()
            .map_err(|e| anyhow::anyhow!("--seed: {e}"))?,
    };
    sandbox::serve(args.addr, opts).await?;
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// export and drift

async fn export_command(
    settings: &Settings,
    args: &ExportArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let mut kinds: BTreeSet<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| *k != Kind::Events)
        .collect();
    if !args.only.is_empty() {
        kinds = args
            .only
            .iter()
            .map(|k| k.parse::<Kind>())
            .collect::<Result<_, _>>()?;
        kinds.remove(&Kind::Events);
        if kinds.contains(&Kind::ContactAttributes) || kinds.contains(&Kind::CompanyAttributes) {
            kinds.insert(Kind::ContactAttributes);
            kinds.insert(Kind::CompanyAttributes);
        }
    }
    // The configuration, when there is one, only supplies the region and workspace guard.
    let desired = if settings.config.exists() {
        config::load(&settings.config).ok().map(|l| l.desired)
    } else {
        None
    };
    let session = Session::open(settings, desired.as_ref(), None).await?;
    with_session(session, async |session| {
        let spinner = spinner("reading the workspace", printer);
        let scope = Scope {
            kinds: kinds.clone(),
            office_hours_exceptions: true,
            team_names: true,
        };
        let live = session.fetch(&scope).await;
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        let live = live?;
        match &args.out {
            None => printer.out(&crate::export::export_document(&live, &kinds))?,
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                for f in crate::export::export_files(&live, &kinds) {
                    let path = dir.join(&f.name);
                    write_atomically(&path, f.text.as_bytes())
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    printer.note(&format!("wrote {}", path.display()));
                }
            }
        }
        Ok(ExitStatus::Success)
    })
    .await
}

fn spinner(message: &str, printer: &Printer) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || printer.is_quiet() {
        return None;
    }
    let s = indicatif::ProgressBar::new_spinner();
    s.set_message(message.to_string());
    s.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(s)
}

async fn drift_command(
    settings: &Settings,
    args: &DriftArgs,
    printer: &Printer,
) -> anyhow::Result<ExitStatus> {
    let Some(desired) = load_config(&settings.config, printer)? else {
        return Ok(ExitStatus::Failure);
    };
    let session = Session::open(settings, Some(&desired), None).await?;
    with_session(session, async |session| {
        // Every readable kind: unmanaged objects are reported whether or not a kind is declared.
        let mut scope = Scope::all();
        scope.kinds.remove(&Kind::Events);
        let fetched = intercom::fetch_live_partial(&session.client, &scope)
            .await
            .context("cannot read the workspace")?;
        let declared: BTreeSet<Kind> = desired
            .declared_kinds()
            .into_iter()
            .chain(desired.prune.iter().map(|p| p.value))
            .collect();
        for u in &fetched.unavailable {
            if declared.contains(&u.kind) {
                bail!(
                    "{u}\n  help: grant the token the missing permission to check drift of {}",
                    u.kind
                );
            }
            printer.note(&format!(
                "note: {u}; its unmanaged objects are not reported"
            ));
        }
        let mut live = fetched.live;
        live.me = session.me.clone();
        let plan = match plan::diff(&desired, &live, &Filter::default(), &[]) {
            Ok(p) => p,
            Err(e) => {
                print_diagnostics(&e.diagnostics, DiagnosticFormat::Text, false, printer)?;
                printer.err(&format!(
                    "{}: cannot compute drift: {} error(s)",
                    printer.paint_err(Style::Red, "error"),
                    e.diagnostics.len()
                ));
                return Ok(ExitStatus::Failure);
            }
        };
        let pruned: Vec<Kind> = desired
            .prune
            .iter()
            .map(|p| p.value)
            .filter(|k| k.is_prunable())
            .collect();
        let drift = crate::drift::Drift {
            unmanaged: crate::drift::unmanaged(&desired, &live, &pruned),
            plan,
        };
        let text = match args.format {
            PlanFormat::Text => {
                crate::drift::render_text(&drift, args.fail_on_unmanaged, printer.color_stdout())
            }
            PlanFormat::Json => {
                crate::drift::render_json(&drift, args.fail_on_unmanaged, Some(session.target()))
            }
            PlanFormat::Markdown => crate::drift::render_markdown(&drift),
        };
        printer.out(&text)?;
        Ok(if drift.fails(args.fail_on_unmanaged) {
            ExitStatus::Changes
        } else {
            ExitStatus::Success
        })
    })
    .await
}
