//! Reads YAML configuration into the desired state: finds the files, parses them with
//! positions, validates each against the JSON Schema, deserialises, merges the files, and runs
//! the semantic checks. Every problem comes back as a located [`Diagnostic`].

mod checks;
mod diagnostic;
pub mod environments;
pub mod help_center;
pub mod knowledge;
mod load;
pub mod office_hours;
pub mod overlay;
mod read;
mod schema;
pub mod source;
pub mod types;
pub mod vars;

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use diagnostic::{Diagnostic, Severity, summary};
pub use load::{
    Selection, declared_environments, environment_names, load, load_sources, load_sources_in,
    load_with,
};
pub use schema::{config_schema, config_schema_text, display_path};
use source::{Node, Position};

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
    /// Values grafted from an environment's overlay: their JSON pointer here and the overlay
    /// file they were written in (positions inside them are that file's).
    pub grafts: Vec<(String, String)>,
}

impl SourceFile {
    /// The original index of the `i`-th remaining item of the list at `list`.
    fn original_index(&self, list: &str, i: usize) -> usize {
        self.kept
            .get(list)
            .and_then(|k| k.get(i).copied())
            .unwrap_or(i)
    }

    /// The file a value at `pointer` was written in: this one, or the overlay it was grafted
    /// from.
    pub fn file_of(&self, pointer: &str) -> &str {
        self.grafts
            .iter()
            .find(|(at, _)| environments::within(pointer, at))
            .map_or(self.path.as_str(), |(_, from)| from.as_str())
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
    /// The `internal_articles/` and `content_snippets/` folders' documents (empty without).
    pub knowledge: knowledge::Knowledge,
    /// The environment this configuration was resolved for (`--env`), if it declares any.
    pub environment: Option<String>,
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
            pointer: format!("{base}{}", read::path_to_pointer(e.path())),
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
                (
                    f.file_of(&pointer).to_string(),
                    Some(f.root.locate(&pointer).pos),
                )
            }
            None => ("<config>".to_string(), None),
        }
    }

    /// The position of key `key` of the mapping at `origin` + `sub`, falling back to the value.
    pub fn locate_key(&self, origin: &Origin, sub: &str, key: &str) -> (String, Option<Position>) {
        match self.files.get(origin.file) {
            Some(f) => {
                let pointer = format!("{}{}", origin.pointer, sub);
                let node = f.root.locate(&pointer);
                let pointer = format!("{pointer}/{key}");
                (
                    f.file_of(&pointer).to_string(),
                    Some(node.key_pos(key).unwrap_or(node.pos)),
                )
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
