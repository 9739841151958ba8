//! Reads YAML configuration into the desired state: finds the files, parses them with
//! positions, validates each against the JSON Schema, deserialises, merges the files, and runs
//! the semantic checks. Every problem comes back as a located [`Diagnostic`].

mod checks;
mod diagnostic;
pub mod help_center;
pub mod office_hours;
mod schema;
pub mod source;
pub mod types;
pub mod vars;

use std::any::Any;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use diagnostic::{Diagnostic, Severity, summary};
pub use schema::{config_schema, config_schema_text, display_path};
use source::{Node, NodeValue, Position};
use types::ConfigFile;

use crate::model::{Kind, Region};

/// Where a value came from: a file and the JSON pointer of the value inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`Desired::files`].
    pub file: usize,
    /// JSON pointer inside that file.
    pub pointer: String,
}

/// A value with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub origin: Origin,
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// One configuration file that was read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as displayed in messages.
    pub path: String,
    /// The positioned tree.
    pub root: Node,
    /// For lists from which invalid items were dropped: list pointer → original index of each
    /// remaining item.
    pub kept: std::collections::BTreeMap<String, Vec<usize>>,
}

impl SourceFile {
    /// The original index of the `i`-th remaining item of the list at `list`.
    fn original_index(&self, list: &str, i: usize) -> usize {
        self.kept
            .get(list)
            .and_then(|k| k.get(i).copied())
            .unwrap_or(i)
    }
}

/// The `workspace:` guard, merged across files.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceGuard {
    /// Expected app `id_code`.
    pub app_id: Option<Located<String>>,
    /// Region of the workspace.
    pub region: Option<Located<Region>>,
    /// The IP allowlist.
    pub ip_allowlist: Option<Located<types::IpAllowlist>>,
    /// `require_identity_verification`.
    pub require_identity_verification: Option<Located<bool>>,
}

/// One kind's declarations, of the type its kinds module reads (shared, cheap to clone).
#[derive(Clone)]
struct Declarations(Arc<dyn Any + Send + Sync>);

impl std::fmt::Debug for Declarations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Declarations(..)")
    }
}

/// A section value that the schema accepted but serde did not: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionError {
    /// JSON pointer of the value inside the file.
    pub pointer: String,
    /// What serde said.
    pub message: String,
}

/// The desired state: every file's declarations merged, each item with its origin.
#[derive(Debug, Clone, Default)]
pub struct Desired {
    /// The files, in the order they were read.
    pub files: Vec<SourceFile>,
    /// The workspace guard.
    pub workspace: WorkspaceGuard,
    /// Kinds to prune.
    pub prune: Vec<Located<Kind>>,
    /// Ignore patterns per kind.
    pub ignore: Vec<Located<(Kind, String)>>,
    /// Every kind's declarations, as the type its kinds module reads (see `declarations`).
    declarations: BTreeMap<Kind, Declarations>,
    /// The `help_center/` folder's collections and articles (empty without one).
    pub help_center: help_center::HelpCenterTree,
}

impl Desired {
    /// The declarations of `kind` (empty when there are none).
    pub fn declarations<T: Any>(&self, kind: Kind) -> &[Located<T>] {
        self.declarations
            .get(&kind)
            .and_then(|d| d.0.downcast_ref::<Vec<Located<T>>>())
            .map_or(&[], Vec::as_slice)
    }

    /// Adds declarations of `kind` after those already read.
    pub fn declare<T: Any + Clone + Send + Sync>(&mut self, kind: Kind, items: Vec<Located<T>>) {
        // Appended in place while loading (the declarations are not shared yet), so a
        // directory of many files does not copy the earlier ones each time.
        if let Some(existing) = self
            .declarations
            .get_mut(&kind)
            .and_then(|d| Arc::get_mut(&mut d.0))
            .and_then(|d| d.downcast_mut::<Vec<Located<T>>>())
        {
            existing.extend(items);
            return;
        }
        let mut all = self.declarations::<T>(kind).to_vec();
        all.extend(items);
        self.declarations.insert(kind, Declarations(Arc::new(all)));
    }

    /// Reads a list section of `kind` from file `file` (its JSON pointer is `base`), each item
    /// located at its original index in the file.
    pub fn read_list<T>(
        &mut self,
        kind: Kind,
        file: usize,
        base: &str,
        value: serde_json::Value,
    ) -> Result<(), SectionError>
    where
        T: serde::de::DeserializeOwned + Any + Clone + Send + Sync,
    {
        let items: Vec<T> = serde_path_to_error::deserialize(value).map_err(|e| SectionError {
            pointer: format!("{base}{}", path_to_pointer(e.path())),
            message: e.inner().to_string(),
        })?;
        let source = self.files.get(file);
        let located = items
            .into_iter()
            .enumerate()
            .map(|(i, value)| Located {
                value,
                origin: Origin {
                    file,
                    pointer: format!("{base}/{}", source.map_or(i, |s| s.original_index(base, i))),
                },
            })
            .collect();
        self.declare(kind, located);
        Ok(())
    }

    /// The file name and position of a value, or of `sub` (a pointer) inside it.
    pub fn locate(&self, origin: &Origin, sub: &str) -> (String, Option<Position>) {
        match self.files.get(origin.file) {
            Some(f) => {
                let pointer = format!("{}{}", origin.pointer, sub);
                (f.path.clone(), Some(f.root.locate(&pointer).pos))
            }
            None => ("<config>".to_string(), None),
        }
    }

    /// The position of key `key` of the mapping at `origin` + `sub`, falling back to the value.
    pub fn locate_key(&self, origin: &Origin, sub: &str, key: &str) -> (String, Option<Position>) {
        match self.files.get(origin.file) {
            Some(f) => {
                let node = f.root.locate(&format!("{}{}", origin.pointer, sub));
                (f.path.clone(), Some(node.key_pos(key).unwrap_or(node.pos)))
            }
            None => ("<config>".to_string(), None),
        }
    }

    /// An error diagnostic at a value.
    pub fn error_at(&self, origin: &Origin, sub: &str, message: impl Into<String>) -> Diagnostic {
        let (file, pos) = self.locate(origin, sub);
        Diagnostic::error(&file, pos, message)
    }

    /// A warning diagnostic at a value.
    pub fn warning_at(&self, origin: &Origin, sub: &str, message: impl Into<String>) -> Diagnostic {
        let (file, pos) = self.locate(origin, sub);
        Diagnostic::warning(&file, pos, message)
    }

    /// Whether objects of `kind` are pruned.
    pub fn prunes(&self, kind: Kind) -> bool {
        self.prune.iter().any(|p| p.value == kind)
    }
}

/// A configuration that loaded, with its warnings.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The desired state.
    pub desired: Desired,
    /// Warnings (no errors).
    pub warnings: Vec<Diagnostic>,
}

/// A configuration that did not load: every problem found, errors and warnings, in order.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the configuration has {} error(s)", summary(.diagnostics).0)]
pub struct ConfigErrors {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads a configuration file or directory.
pub fn load(path: &Path) -> Result<Loaded, ConfigErrors> {
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
    let folder = path.join(help_center::FOLDER);
    if !meta_is_dir(path) || !folder.is_dir() {
        return load_sources(inputs);
    }
    let (tree, mut problems) = help_center::read(&folder);
    let result = load_sources(inputs);
    let failed = problems.iter().any(|d| d.severity == Severity::Error);
    match result {
        Ok(mut loaded) if !failed => {
            loaded.desired.help_center = tree;
            loaded.warnings.append(&mut problems);
            Ok(loaded)
        }
        Ok(loaded) => {
            let mut diagnostics = loaded.warnings;
            diagnostics.append(&mut problems);
            Err(ConfigErrors { diagnostics })
        }
        Err(mut e) => {
            e.diagnostics.append(&mut problems);
            Err(e)
        }
    }
}

fn meta_is_dir(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_dir())
}

/// Loads a configuration from in-memory files (name, bytes), in the given order.
pub fn load_sources(inputs: Vec<(String, Vec<u8>)>) -> Result<Loaded, ConfigErrors> {
    let mut diagnostics = Vec::new();
    let mut parsed: Vec<(SourceFile, ConfigFile)> = Vec::new();
    let total: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    if total > source::MAX_INPUT_BYTES {
        return Err(ConfigErrors {
            diagnostics: vec![too_large(&inputs[0].0)],
        });
    }
    for (name, bytes) in &inputs {
        let (pair, mut problems) = read_file(name, bytes);
        diagnostics.append(&mut problems);
        parsed.extend(pair);
    }
    let mut desired = Desired::default();
    for (file, cfg) in parsed {
        let index = desired.files.len();
        desired.files.push(file);
        merge(&mut desired, index, cfg, &mut diagnostics);
    }
    diagnostics.extend(checks::check(&desired));
    sort(&mut diagnostics, &inputs);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(ConfigErrors { diagnostics });
    }
    Ok(Loaded {
        desired,
        warnings: diagnostics,
    })
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
/// [`help_center::read`]).
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
                if dir == path && entry.file_name() == help_center::FOLDER {
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

/// Reads one file: text, YAML, schema, types. Items with schema errors are dropped (and
/// reported) so that the rest of the file still gets the semantic checks.
fn read_file(name: &str, bytes: &[u8]) -> (Option<(SourceFile, ConfigFile)>, Vec<Diagnostic>) {
    let located = |e: source::ReadError| {
        let d = Diagnostic::error(name, Some(e.pos), e.message);
        vec![match e.help {
            Some(h) => d.with_help(h),
            None => d,
        }]
    };
    let text = match source::decode(bytes) {
        Ok(t) => t,
        Err(e) => return (None, located(e)),
    };
    let mut root = match source::parse(text) {
        Ok(r) => r,
        Err(e) => return (None, located(e)),
    };
    if !matches!(root.value, NodeValue::Map(_)) {
        let d = Diagnostic::error(
            name,
            Some(root.pos),
            "a configuration file must be a mapping of sections",
        )
        .with_help("start with a section such as `tags:` or `data_attributes:`");
        return (None, vec![d]);
    }
    // An empty section (`tags:` with nothing under it) declares nothing.
    if let NodeValue::Map(entries) = &mut root.value {
        entries.retain(|(_, v)| v.value != NodeValue::Null);
    }
    let mut json = root.to_json();
    let errors = schema::validate(name, &root, &json);
    let mut kept = std::collections::BTreeMap::new();
    if !errors.is_empty() {
        drop_invalid(&mut json, &errors, &mut kept);
    }
    match serde_path_to_error::deserialize::<_, ConfigFile>(&json) {
        Ok(cfg) => (
            Some((
                SourceFile {
                    path: name.to_string(),
                    root,
                    kept,
                },
                cfg,
            )),
            errors,
        ),
        Err(e) if errors.is_empty() => {
            let pointer = path_to_pointer(e.path());
            let node = root.locate(&pointer);
            let d = Diagnostic::error(
                name,
                Some(node.pos),
                format!("{}: {}", display_path(&pointer), e.inner()),
            );
            (None, vec![d])
        }
        Err(_) => (None, errors),
    }
}

/// The unit removed for a schema error at `pointer`: a list item of a section, or a key.
fn removal_unit(pointer: &str) -> Vec<String> {
    let segs: Vec<String> = pointer.split('/').skip(1).map(str::to_string).collect();
    let depth = match segs.first().map(String::as_str) {
        Some("ignore") => 3,
        Some("workspace" | "version") => 1,
        Some(key) => crate::kinds::REGISTRY
            .iter()
            .filter_map(|s| s.section())
            .find(|s| s.key == key)
            .map_or(2, |s| s.unit_depth),
        None => 0,
    };
    segs.into_iter().take(depth).collect()
}

/// Removes the items and keys that have schema errors, remembering the original indices of the
/// items that remain in each list.
fn drop_invalid(
    json: &mut serde_json::Value,
    errors: &[Diagnostic],
    kept: &mut std::collections::BTreeMap<String, Vec<usize>>,
) {
    let mut units: Vec<Vec<String>> = errors
        .iter()
        .filter_map(|d| d.pointer.as_deref())
        .map(removal_unit)
        .filter(|u| !u.is_empty())
        .collect();
    units.sort();
    units.dedup();
    // Remove list items from the highest index down so earlier indices stay valid.
    units.sort_by(|a, b| b.cmp(a));
    for unit in units {
        let (last, parent) = unit.split_last().expect("units are never empty");
        let parent_ptr: String = parent.iter().map(|s| format!("/{s}")).collect();
        let Some(container) = json.pointer_mut(&parent_ptr) else {
            continue;
        };
        match container {
            serde_json::Value::Array(items) => {
                let Ok(i) = last.parse::<usize>() else {
                    continue;
                };
                if i < items.len() {
                    let entry = kept
                        .entry(parent_ptr)
                        .or_insert_with(|| (0..items.len()).collect());
                    items.remove(i);
                    entry.remove(i);
                }
            }
            serde_json::Value::Object(map) => {
                let key = last.replace("~1", "/").replace("~0", "~");
                map.remove(&key);
            }
            _ => {}
        }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push_str(&format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            }
            Segment::Enum { variant } => out.push_str(&format!("/{variant}")),
            Segment::Unknown => {}
        }
    }
    out
}

fn merge(desired: &mut Desired, file: usize, cfg: ConfigFile, diagnostics: &mut Vec<Diagnostic>) {
    let source = desired.files[file].clone();
    let here = |pointer: &str| Origin {
        file,
        pointer: pointer.to_string(),
    };
    if let Some(ws) = cfg.workspace {
        if let Some(app_id) = ws.app_id {
            set_scalar(
                desired,
                "workspace.app_id",
                here("/workspace/app_id"),
                app_id,
                |d| &mut d.workspace.app_id,
                diagnostics,
            );
        }
        if let Some(region) = ws.region {
            set_scalar(
                desired,
                "workspace.region",
                here("/workspace/region"),
                region,
                |d| &mut d.workspace.region,
                diagnostics,
            );
        }
        if let Some(allowlist) = ws.ip_allowlist {
            set_scalar(
                desired,
                "workspace.ip_allowlist",
                here("/workspace/ip_allowlist"),
                allowlist,
                |d| &mut d.workspace.ip_allowlist,
                diagnostics,
            );
        }
        if let Some(require) = ws.require_identity_verification {
            set_scalar(
                desired,
                "workspace.require_identity_verification",
                here("/workspace/require_identity_verification"),
                require,
                |d| &mut d.workspace.require_identity_verification,
                diagnostics,
            );
        }
    }
    for (i, k) in cfg.prune.into_iter().flatten().enumerate() {
        desired.prune.push(Located {
            value: k,
            origin: here(&format!("/prune/{}", source.original_index("/prune", i))),
        });
    }
    if let Some(ignore) = cfg.ignore {
        for (kind, patterns) in ignore.0 {
            let list = format!("/ignore/{}", kind.plural());
            for (i, p) in patterns.into_iter().enumerate() {
                desired.ignore.push(Located {
                    value: (kind, p),
                    origin: here(&format!("{list}/{}", source.original_index(&list, i))),
                });
            }
        }
    }
    let mut sections = cfg.sections;
    for spec in crate::kinds::REGISTRY {
        let Some(section) = spec.section() else {
            continue;
        };
        let Some(value) = sections.remove(section.key) else {
            continue;
        };
        if let Err(e) = spec.read_section(desired, file, value) {
            let name = desired.files[file].path.clone();
            let node = desired.files[file].root.locate(&e.pointer);
            diagnostics.push(Diagnostic::error(
                &name,
                Some(node.pos),
                format!("{}: {}", display_path(&e.pointer), e.message),
            ));
        }
    }
}

/// Sets a scalar that may be written once across all files; a second write is an error naming
/// both places.
fn set_scalar<T: PartialEq + Clone>(
    desired: &mut Desired,
    name: &str,
    origin: Origin,
    value: T,
    slot: impl Fn(&mut Desired) -> &mut Option<Located<T>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(prev) = slot(desired).clone() {
        let (prev_file, prev_pos) = desired.locate(&prev.origin, "");
        let prev_at = match prev_pos {
            Some(p) => format!("{prev_file}:{}:{}", p.line, p.col),
            None => prev_file,
        };
        diagnostics.push(
            desired
                .error_at(&origin, "", format!("`{name}` is also set at {prev_at}"))
                .with_help("set it in one file only"),
        );
        return;
    }
    *slot(desired) = Some(Located { value, origin });
}

/// The candidate closest to `found`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    found: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = found.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
