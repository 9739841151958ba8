//! Finding, reading and resolving a configuration: the files under a path, the chosen
//! environment's overlays and variables, then every file read into the desired state
//! (`read`) and the semantic checks.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::read::{merge, read_root, set_scalar};
use super::source::{self, Node, NodeValue, Position};
use super::{
    ConfigErrors, Desired, Diagnostic, Loaded, Origin, Severity, checks, environments, help_center,
    knowledge, vars,
};

/// Which environment to resolve a configuration for, and where `${env:NAME}` reads.
#[derive(Clone, Copy)]
pub struct Selection<'a> {
    /// `--env NAME`; `None` for a configuration without environments.
    pub env: Option<&'a str>,
    /// Reads a process environment variable.
    pub process: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Whether the environment's overlays apply (`false`: its base, with its variables).
    pub overlays: bool,
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl<'a> Selection<'a> {
    /// A configuration without environments, reading this process's environment.
    pub fn base() -> Selection<'static> {
        Selection {
            env: None,
            process: &process_env,
            overlays: true,
        }
    }

    /// Environment `name`, reading this process's environment.
    pub fn env(name: &'a str) -> Selection<'a> {
        Selection {
            env: Some(name),
            process: &process_env,
            overlays: true,
        }
    }
}

/// Loads a configuration file or directory that declares no environments.
pub fn load(path: &Path) -> Result<Loaded, ConfigErrors> {
    load_with(path, &Selection::base())
}

/// Loads a configuration file or directory for an environment.
pub fn load_with(path: &Path, selection: &Selection<'_>) -> Result<Loaded, ConfigErrors> {
    let display = path.display().to_string();
    let fail = |d: Diagnostic| ConfigErrors {
        diagnostics: vec![d],
    };
    let files = discover(path).map_err(|m| fail(m.with_file(&display)))?;
    let mut inputs = Vec::with_capacity(files.len());
    let mut total = 0usize;
    for file in files {
        let name = file.display().to_string();
        let bytes = read_capped(&file, source::MAX_INPUT_BYTES - total)
            .map_err(|e| fail(Diagnostic::error(&name, None, e.0).with_help(e.1)))?;
        total += bytes.len();
        inputs.push((name, bytes));
    }
    let dir = if meta_is_dir(path) {
        display.clone()
    } else {
        path.parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    let folder = path.join(help_center::FOLDER);
    if !meta_is_dir(path) || (!folder.is_dir() && !knowledge::present(path)) {
        return load_sources_in(&dir, inputs, selection);
    }
    // The tree is part of the desired state before the checks run (kinds check it too); it is
    // read once the environment is known, as its Markdown takes the environment's variables.
    load_with_tree(&dir, inputs, selection, |variables| {
        let (tree, mut problems) = if folder.is_dir() {
            help_center::read(&folder, variables)
        } else {
            Default::default()
        };
        let (documents, mut more) = knowledge::read(path, variables);
        problems.append(&mut more);
        (tree, documents, problems)
    })
}

/// The environments a configuration declares (empty when it declares none or cannot be read).
pub fn environment_names(path: &Path) -> Vec<String> {
    declared_environments(path).into_keys().collect()
}

/// The environments a configuration declares, with their declarations.
pub fn declared_environments(path: &Path) -> indexmap::IndexMap<String, environments::Environment> {
    let Ok(files) = discover(path) else {
        return indexmap::IndexMap::new();
    };
    let mut roots = Vec::new();
    let mut total = 0usize;
    for file in files {
        let Ok(bytes) = read_capped(&file, source::MAX_INPUT_BYTES.saturating_sub(total)) else {
            return indexmap::IndexMap::new();
        };
        total += bytes.len();
        if let Ok(root) = parse_file(&file.display().to_string(), &bytes) {
            roots.push((file.display().to_string(), root));
        }
    }
    environments::find(&roots, &mut Vec::new())
        .map(|d| d.environments)
        .unwrap_or_default()
}

fn meta_is_dir(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}

/// Loads a configuration without environments from in-memory files (name, bytes), in the given
/// order.
pub fn load_sources(inputs: Vec<(String, Vec<u8>)>) -> Result<Loaded, ConfigErrors> {
    load_sources_in("", inputs, &Selection::base())
}

/// Loads a configuration from in-memory files (name, bytes) of directory `dir` (overlay paths
/// are relative to it), for the selected environment.
pub fn load_sources_in(
    dir: &str,
    inputs: Vec<(String, Vec<u8>)>,
    selection: &Selection<'_>,
) -> Result<Loaded, ConfigErrors> {
    load_with_tree(dir, inputs, selection, |_| Default::default())
}

/// [`load_sources_in`] with the help center: `read_tree` reads it with the selected
/// environment's variables, if any, and returns its problems.
fn load_with_tree(
    dir: &str,
    inputs: Vec<(String, Vec<u8>)>,
    selection: &Selection<'_>,
    read_tree: impl FnOnce(
        Option<&vars::Variables<'_>>,
    ) -> (
        help_center::HelpCenterTree,
        knowledge::Knowledge,
        Vec<Diagnostic>,
    ),
) -> Result<Loaded, ConfigErrors> {
    let mut diagnostics = Vec::new();
    let total: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    if total > source::MAX_INPUT_BYTES {
        return Err(ConfigErrors {
            diagnostics: vec![too_large(&inputs[0].0)],
        });
    }
    let mut roots = Vec::new();
    for (name, bytes) in &inputs {
        match parse_file(name, bytes) {
            Ok(root) => roots.push((name.clone(), root)),
            Err(d) => diagnostics.push(*d),
        }
    }
    let resolved = resolve_environment(dir, roots, selection, &mut diagnostics);
    let declared_in = resolved
        .environment
        .as_ref()
        .map(|(name, _, _)| format!("{}.{name}", environments::SECTION))
        .unwrap_or_default();
    let (tree, documents, mut problems) = read_tree(
        resolved
            .environment
            .as_ref()
            .map(|(_, env, _)| vars::Variables {
                named: &env.variables,
                process: selection.process,
                declared_in: &declared_in,
            })
            .as_ref(),
    );
    let (mut desired, unresolved) = read_resolved(resolved, selection, &mut diagnostics);
    desired.help_center = tree;
    desired.knowledge = documents;
    diagnostics.extend(checks::check(&desired));
    // A value whose variable could not be substituted is reported once, for the variable.
    let mut seen = std::collections::BTreeSet::new();
    diagnostics.retain(|d| {
        let spot = (d.file.clone(), d.pos);
        !unresolved.contains(&spot) || seen.insert(spot)
    });
    sort(&mut diagnostics, &inputs);
    diagnostics.append(&mut problems);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(ConfigErrors { diagnostics });
    }
    Ok(Loaded {
        desired,
        warnings: diagnostics,
    })
}

/// The files of one environment: the base files, the selected environment's overlays and its
/// declaration.
struct Resolved {
    base: Vec<(String, Node)>,
    overlays: Vec<(String, Node)>,
    environment: Option<(String, environments::Environment, String)>,
}

fn resolve_environment(
    dir: &str,
    mut roots: Vec<(String, Node)>,
    selection: &Selection<'_>,
    out: &mut Vec<Diagnostic>,
) -> Resolved {
    let declared = environments::find(&roots, out);
    let Some(declared) = declared else {
        let declares = roots
            .iter()
            .any(|(_, r)| environments::entry(r, environments::SECTION).is_some());
        if let (Some(env), false) = (selection.env, declares) {
            out.push(
                Diagnostic::error(
                    if dir.is_empty() {
                        roots.first().map_or("", |(n, _)| n.as_str())
                    } else {
                        dir
                    },
                    None,
                    format!("--env {env}: the configuration declares no environments"),
                )
                .with_help("declare them under `environments:`, or leave out --env"),
            );
        }
        return Resolved {
            base: roots,
            overlays: Vec::new(),
            environment: None,
        };
    };
    let (file, root) = &roots[declared.file];
    let key_pos = environments::entry(root, environments::SECTION).map(|(k, _)| k.pos);
    let chosen = match selection.env {
        None => {
            out.push(
                Diagnostic::error(
                    file,
                    key_pos,
                    format!(
                        "the configuration declares environments ({}): choose one with --env NAME",
                        environments::names(&declared)
                    ),
                )
                .with_help("`plan` and `drift` also take --env all"),
            );
            None
        }
        Some(env) => match declared.environments.get(env) {
            Some(e) => Some((env.to_string(), e.clone(), file.clone())),
            None => {
                out.push(
                    Diagnostic::error(file, key_pos, format!("--env {env}: no such environment"))
                        .with_help(format!("declared: {}", environments::names(&declared))),
                );
                None
            }
        },
    };
    let files = environments::overlay_files(&roots, &declared, dir, out);
    let all: std::collections::BTreeSet<usize> = files.values().flatten().copied().collect();
    let mine: Vec<usize> = chosen
        .as_ref()
        .and_then(|(name, _, _)| files.get(name))
        .cloned()
        .unwrap_or_default();
    let mut overlays = Vec::new();
    for &i in mine.iter().filter(|_| selection.overlays) {
        overlays.push(roots[i].clone());
    }
    let mut i = 0;
    roots.retain(|_| {
        i += 1;
        !all.contains(&(i - 1))
    });
    Resolved {
        base: roots,
        overlays,
        environment: chosen,
    }
}

/// Substitutes variables, applies the overlays and reads every file into the desired state.
fn read_resolved(
    mut resolved: Resolved,
    selection: &Selection<'_>,
    out: &mut Vec<Diagnostic>,
) -> (
    Desired,
    std::collections::BTreeSet<(String, Option<Position>)>,
) {
    let none = indexmap::IndexMap::new();
    let (named, declared_in) = match &resolved.environment {
        Some((name, env, _)) => (&env.variables, format!("{}.{name}", environments::SECTION)),
        None => (&none, String::new()),
    };
    let variables = vars::Variables {
        named,
        process: selection.process,
        declared_in: &declared_in,
    };
    // Variables belong to environments: a configuration without them is read as written, so
    // `${` in a configuration of version 1 keeps meaning `${`.
    let before = out.len();
    if resolved.environment.is_some() {
        for (name, root) in resolved.base.iter_mut().chain(resolved.overlays.iter_mut()) {
            expand_values(name, root, &variables, out);
        }
    }
    let unresolved = out[before..]
        .iter()
        .map(|d| (d.file.clone(), d.pos))
        .collect();
    for (name, root) in &mut resolved.base {
        for key in [environments::OVERRIDE, environments::REMOVE] {
            if let Some((k, _)) = environments::take(root, key) {
                out.push(
                    Diagnostic::error(name, Some(k.pos), format!("`{key}` belongs in an environment's overlay file"))
                        .with_help("list the overlay file under `environments.<name>.overlays` and move this there"),
                );
            }
        }
    }
    let mut edits = Vec::new();
    for (name, root) in &mut resolved.overlays {
        if let Some((k, _)) = environments::take(root, environments::SECTION) {
            out.push(
                Diagnostic::error(
                    name,
                    Some(k.pos),
                    "an overlay file cannot declare environments",
                )
                .with_help("declare environments in a base file"),
            );
        }
        let overrides = environments::take(root, environments::OVERRIDE).map(|(_, n)| n);
        let removals = environments::take(root, environments::REMOVE).map(|(_, n)| n);
        if overrides.is_some() || removals.is_some() {
            edits.push((name.clone(), overrides, removals));
        }
        // The overlay's workspace settings replace the base's.
        if let Some((_, overlay_ws)) = environments::entry(root, "workspace") {
            let keys: Vec<String> = match &overlay_ws.value {
                NodeValue::Map(fields) => fields.iter().map(|(k, _)| k.name.clone()).collect(),
                _ => Vec::new(),
            };
            for (_, base) in &mut resolved.base {
                if let Some(NodeValue::Map(fields)) =
                    environments::entry_mut(base, "workspace").map(|ws| &mut ws.value)
                {
                    fields.retain(|(k, _)| !keys.contains(&k.name));
                }
            }
        }
    }
    let count = resolved.base.len();
    let mut grafts: Vec<Vec<(String, String)>> = vec![Vec::new(); count];
    let mut removals: Vec<Vec<String>> = vec![Vec::new(); count];
    if !edits.is_empty() {
        let mut first = Vec::new();
        let base = read_files(&resolved.base, &removals, &grafts, &mut first);
        if first.iter().any(|d| d.severity == Severity::Error) || base.files.len() != count {
            // The base has errors of its own: they are reported below, by the second reading.
        } else {
            let mut patches = Vec::new();
            for (name, overrides, removes) in &edits {
                patches.extend(environments::patches(
                    &base,
                    name,
                    overrides.as_ref(),
                    removes.as_ref(),
                    out,
                ));
            }
            for (i, (_, root)) in resolved.base.iter_mut().enumerate() {
                let mine: Vec<&environments::Patch> =
                    patches.iter().filter(|p| p.file == i).collect();
                removals[i] = environments::apply(root, &mine, &mut grafts[i]);
            }
        }
    }
    let mut desired = read_files(&resolved.base, &removals, &grafts, out);
    for (name, root) in resolved.overlays {
        let (pair, mut problems) = read_root(&name, root, &[], Vec::new());
        out.append(&mut problems);
        if let Some((file, cfg)) = pair {
            let index = desired.files.len();
            desired.files.push(file);
            merge(&mut desired, index, cfg, out);
        }
    }
    if let Some((name, env, file)) = resolved.environment {
        set_environment(&mut desired, &name, env, &file, out);
    }
    (desired, unresolved)
}

/// Expands the variables in every value of a file except the environments section itself.
fn expand_values(
    name: &str,
    root: &mut Node,
    variables: &vars::Variables<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let NodeValue::Map(entries) = &mut root.value else {
        return;
    };
    for (key, value) in entries {
        if key.name == environments::SECTION {
            continue;
        }
        for e in vars::expand_tree(value, variables) {
            let d = Diagnostic::error(name, Some(e.pos), e.message);
            out.push(match e.help {
                Some(h) => d.with_help(h),
                None => d,
            });
        }
    }
}

/// The environment's `app_id` and `region` become the workspace guard.
fn set_environment(
    desired: &mut Desired,
    name: &str,
    env: environments::Environment,
    file: &str,
    out: &mut Vec<Diagnostic>,
) {
    desired.environment = Some(name.to_string());
    let Some(index) = desired.files.iter().position(|f| f.path == file) else {
        return;
    };
    let here = |field: &str| Origin {
        file: index,
        pointer: format!("/{}/{name}/{field}", environments::SECTION),
    };
    if let Some(app_id) = env.app_id {
        set_scalar(
            desired,
            "workspace.app_id",
            here("app_id"),
            app_id,
            |d| &mut d.workspace.app_id,
            out,
        );
    }
    if let Some(region) = env.region {
        set_scalar(
            desired,
            "workspace.region",
            here("region"),
            region,
            |d| &mut d.workspace.region,
            out,
        );
    }
}

/// Reads parsed files into a desired state, in order.
fn read_files(
    files: &[(String, Node)],
    removals: &[Vec<String>],
    grafts: &[Vec<(String, String)>],
    out: &mut Vec<Diagnostic>,
) -> Desired {
    let mut desired = Desired::default();
    for (i, (name, root)) in files.iter().enumerate() {
        let (pair, mut problems) = read_root(name, root.clone(), &removals[i], grafts[i].clone());
        out.append(&mut problems);
        if let Some((file, cfg)) = pair {
            let index = desired.files.len();
            desired.files.push(file);
            merge(&mut desired, index, cfg, out);
        }
    }
    desired
}

fn sort(diagnostics: &mut [Diagnostic], inputs: &[(String, Vec<u8>)]) {
    let order = |file: &str| {
        inputs
            .iter()
            .position(|(n, _)| n == file)
            .unwrap_or(usize::MAX)
    };
    diagnostics.sort_by(|a, b| {
        (order(&a.file), a.pos, a.severity).cmp(&(order(&b.file), b.pos, b.severity))
    });
}

impl Diagnostic {
    fn with_file(mut self, file: &str) -> Self {
        if self.file.is_empty() {
            self.file = file.to_string();
        }
        self
    }
}

fn too_large(file: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        None,
        format!(
            "the configuration is larger than the limit of {} MB",
            source::MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
    .with_help("no real workspace needs this much configuration; check that the path holds only configuration files")
}

/// The configuration files under a path: the file itself, or every `*.yaml`/`*.yml` below a
/// directory in sorted path order, except under its `help_center/` folder (read by
/// [`help_center::read`]) and its `internal_articles/` and `content_snippets/` folders (read by
/// [`knowledge::read`]).
fn discover(path: &Path) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        let d = Diagnostic::error("", None, format!("cannot read the configuration: {e}"));
        Box::new(if e.kind() == std::io::ErrorKind::NotFound {
            d.with_help("pass the configuration file or directory with -c/--config PATH (default: intercom/)")
        } else {
            d
        })
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| {
            Box::new(Diagnostic::error(
                &dir.display().to_string(),
                None,
                format!("cannot read the directory: {e}"),
            ))
        })?;
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if dir == path
                    && (entry.file_name() == help_center::FOLDER
                        || knowledge::FOLDERS.iter().any(|f| entry.file_name() == *f))
                {
                    continue;
                }
                stack.push(p);
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Box::new(
            Diagnostic::error("", None, "no configuration files found")
                .with_help("configuration files end in .yaml or .yml"),
        ));
    }
    Ok(files)
}

fn read_capped(path: &Path, budget: usize) -> Result<Vec<u8>, (String, &'static str)> {
    let file = std::fs::File::open(path).map_err(|e| {
        (
            format!("cannot read the file: {e}"),
            "check the path and its permissions",
        )
    })?;
    let mut bytes = Vec::new();
    file.take(budget as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            (
                format!("cannot read the file: {e}"),
                "check the path and its permissions",
            )
        })?;
    if bytes.len() > budget {
        return Err((
            format!(
                "the configuration is larger than the limit of {} MB",
                source::MAX_INPUT_BYTES / (1024 * 1024)
            ),
            "check that the path holds only configuration files",
        ));
    }
    Ok(bytes)
}

/// Parses one file's text into a positioned tree, or the located reason it cannot be.
fn parse_file(name: &str, bytes: &[u8]) -> Result<Node, Box<Diagnostic>> {
    let located = |e: source::ReadError| {
        let d = Diagnostic::error(name, Some(e.pos), e.message);
        Box::new(match e.help {
            Some(h) => d.with_help(h),
            None => d,
        })
    };
    let text = source::decode(bytes).map_err(located)?;
    source::parse(text).map_err(located)
}
