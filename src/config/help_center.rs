//! Reads the `help_center/` folder of a configuration directory: one folder per collection
//! (nested folders are nested collections), an optional `_collection.yaml` per folder, and one
//! Markdown file per article whose YAML front matter (between `---` lines at the top) holds
//! its fields. Front matter and `_collection.yaml` are checked against JSON Schemas generated
//! from [`FrontMatter`] and [`CollectionFile`]; every problem is located at `file:line:col`.
//!
//! The YAML loader skips this folder (see `discover`): `_collection.yaml` is not a
//! configuration file.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::schema::display_path;
use super::source::{self, Node, NodeValue, Position};
use super::vars::{self, Variables};
use crate::model::Article;

pub mod translations;
pub use translations::{LocaleContent, TranslationSource};
pub mod links;
mod origin;
pub use origin::BodyOrigin;

/// The folder of a configuration directory that holds the help center.
pub const FOLDER: &str = "help_center";

/// The file in a collection's folder that describes the collection.
pub const COLLECTION_FILE: &str = "_collection.yaml";

/// The front matter of an article's Markdown file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The article's title: its name within its collection.
    pub title: String,
    /// The short description shown under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `published` or `draft`. Absent: not managed (a new article starts as a draft, as
    /// Intercom makes it). `draft` on a published article unpublishes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ArticleState>,
    /// The author: an admin's e-mail address. Absent: not managed (a new article is written
    /// by the token's admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The article's previous title, to rename it instead of creating another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

pub use crate::model::ArticleState;

impl FrontMatter {
    /// An article's file as export writes it: the front matter between `---` lines, then the
    /// body.
    pub fn to_markdown(&self, body: &str) -> String {
        let yaml = serde_saphyr::to_string(self).unwrap_or_default();
        format!("---\n{yaml}---\n{body}")
    }
}

/// A collection's `_collection.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionFile {
    /// The collection's description. Absent: not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The help center the collection is in, when the workspace has several: its identifier
    /// (as in its URL), its display name or its id. Top-level collections only (nested ones
    /// are in their parent's). Absent: a new collection goes to the default help center.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_center: Option<String>,
    /// The collection's name and description in other locales than the help center's default
    /// one, by locale (`fr: { name: ..., description: ... }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translated_content: BTreeMap<String, LocaleContent>,
}

impl CollectionFile {
    /// The file's text as export writes it (`{}` when it says nothing).
    pub fn to_yaml(&self) -> String {
        if *self == CollectionFile::default() {
            "{}\n".to_string()
        } else {
            serde_saphyr::to_string(self).unwrap_or_default()
        }
    }
}

/// Where something was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// The file, as displayed in messages.
    pub file: String,
    /// The position inside it.
    pub pos: Position,
}

/// A declared collection.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionSource {
    /// Its path of names from the top of its help center (the folder names).
    pub path: Vec<String>,
    /// Its natural key: the path joined by `/` (`Billing/Invoices`).
    pub key: String,
    /// Its `_collection.yaml`, if any.
    pub meta: CollectionFile,
    /// Its folder, or its `_collection.yaml` when it has one.
    pub spot: Spot,
    /// Where its `help_center` value is written, when it has one.
    pub help_center_pos: Option<Position>,
    /// Where each locale of its `translated_content` is written.
    pub translation_pos: BTreeMap<String, Position>,
}

/// A declared article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSource {
    /// The path of its collection (empty: the article stands alone, its file is at the top of
    /// `help_center/`).
    pub collection: Vec<String>,
    /// Its natural key: the collection's path and the title joined by `/`.
    pub key: String,
    /// The key of its `renamed_from` title in the same collection.
    pub renamed_key: Option<String>,
    /// Its front matter.
    pub front: FrontMatter,
    /// Its Markdown body (after the front matter).
    pub body: String,
    /// Its file; the position is the front matter's `title`.
    pub spot: Spot,
    /// The positioned front matter, to locate its fields.
    pub root: Node,
    /// Where its body is written in its file.
    pub origin: BodyOrigin,
}

/// Everything under `help_center/`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpCenterTree {
    /// The collections, parents before children, in path order.
    pub collections: Vec<CollectionSource>,
    /// The articles, in path order.
    pub articles: Vec<ArticleSource>,
    /// The articles' translations (`slug.<locale>.md`), in path order.
    pub translations: Vec<TranslationSource>,
}

/// The JSON Schema of an article's front matter (draft-07).
pub fn front_matter_schema() -> Value {
    schema_of::<FrontMatter>("intercom-iac help center article front matter")
}

/// The JSON Schema of a `_collection.yaml` (draft-07).
pub fn collection_schema() -> Value {
    schema_of::<CollectionFile>("intercom-iac help center collection")
}

pub(crate) fn schema_of<T: JsonSchema>(title: &str) -> Value {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut value = serde_json::to_value(schema).unwrap_or(Value::Null);
    if let Value::Object(o) = &mut value {
        o.insert("title".into(), Value::String(title.into()));
    }
    value
}

fn front_matter_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        jsonschema::validator_for(&front_matter_schema())
            .expect("the generated front matter schema is a valid JSON Schema")
    })
}

fn collection_validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        jsonschema::validator_for(&collection_schema())
            .expect("the generated collection schema is a valid JSON Schema")
    })
}

/// Reads the help center under `dir` (a configuration directory's `help_center/`).
/// With `variables` (an environment's), `${…}` in front matter, `_collection.yaml` and Markdown
/// bodies is substituted first, each problem located in its file.
pub fn read(dir: &Path, variables: Option<&Variables<'_>>) -> (HelpCenterTree, Vec<Diagnostic>) {
    let mut tree = HelpCenterTree::default();
    let mut out = Vec::new();
    walk(dir, &mut Vec::new(), &mut tree, &mut out, variables);
    check(&tree, &mut out);
    translations::check(&tree, &mut out);
    (tree, out)
}

fn walk(
    dir: &Path,
    path: &mut Vec<String>,
    tree: &mut HelpCenterTree,
    out: &mut Vec<Diagnostic>,
    variables: Option<&Variables<'_>>,
) {
    let name = dir.display().to_string();
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(e) => e.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            out.push(Diagnostic::error(
                &name,
                None,
                format!("cannot read the directory: {e}"),
            ));
            return;
        }
    };
    entries.sort();
    if !path.is_empty() {
        let meta_path = dir.join(COLLECTION_FILE);
        let (meta, spot, help_center_pos, translation_pos) = if meta_path.is_file() {
            let file = meta_path.display().to_string();
            match read_yaml::<CollectionFile>(
                &file,
                &read_text(&meta_path),
                0,
                (collection_validator(), collection_schema),
                variables,
            ) {
                Ok((meta, root)) => (
                    meta,
                    Spot {
                        file,
                        pos: root.pos,
                    },
                    root.key_pos("help_center")
                        .map(|_| root.locate("/help_center").pos),
                    translations::locale_positions(&root),
                ),
                Err(mut d) => {
                    out.append(&mut d);
                    return;
                }
            }
        } else {
            let spot = Spot {
                file: name.clone(),
                pos: Position { line: 1, col: 1 },
            };
            (CollectionFile::default(), spot, None, BTreeMap::new())
        };
        tree.collections.push(CollectionSource {
            key: path.join("/"),
            path: path.clone(),
            meta,
            spot,
            help_center_pos,
            translation_pos,
        });
    }
    for entry in entries {
        let file_name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if entry.is_dir() {
            path.push(file_name);
            walk(&entry, path, tree, out, variables);
            path.pop();
        } else if let Some(parts) = translations::split_locale(&file_name) {
            translations::read_file(&entry, parts, tree, out, variables);
        } else if file_name.ends_with(".md") {
            let file = entry.display().to_string();
            match read_article_with_origin(&file, &read_text(&entry), variables) {
                Ok((front, body, root, origin)) => tree.articles.push(ArticleSource {
                    key: Article::key_of(Some(&path.join("/")), &front.title),
                    renamed_key: front
                        .renamed_from
                        .as_deref()
                        .map(|r| Article::key_of(Some(&path.join("/")), r)),
                    collection: path.clone(),
                    spot: Spot {
                        file,
                        pos: root.key_pos("title").unwrap_or(root.pos),
                    },
                    front,
                    body,
                    root,
                    origin,
                }),
                Err(mut d) => out.append(&mut d),
            }
        } else if file_name != COLLECTION_FILE && !file_name.starts_with('.') {
            out.push(
                Diagnostic::error(&entry.display().to_string(), None, "unexpected file in the help center")
                    .with_help("the help center holds folders (collections), _collection.yaml and Markdown articles (*.md); move other files elsewhere"),
            );
        }
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    source::decode(&bytes)
        .map(str::to_string)
        .map_err(|e| e.message)
}

/// Splits a Markdown file into its front matter (parsed and checked) and its body.
pub fn read_article(
    file: &str,
    text: &Result<String, String>,
    variables: Option<&Variables<'_>>,
) -> Result<(FrontMatter, String, Node), Vec<Diagnostic>> {
    read_article_with_origin(file, text, variables).map(|(f, b, r, _)| (f, b, r))
}

/// [`read_article`], with where the body is written in the file.
pub fn read_article_with_origin(
    file: &str,
    text: &Result<String, String>,
    variables: Option<&Variables<'_>>,
) -> Result<(FrontMatter, String, Node, BodyOrigin), Vec<Diagnostic>> {
    read_markdown(
        file,
        text,
        variables,
        (front_matter_validator(), front_matter_schema),
    )
}

/// A front matter's validator, and its schema (for the keys an unknown key could mean).
pub(crate) type Checked = (&'static Validator, fn() -> Value);

/// Splits a Markdown file into its front matter (of type `T`, parsed and checked by
/// `checked`) and its body, `${…}` substituted with `variables`, with where the body is
/// written in the file: what every folder of Markdown files shares (`help_center/`,
/// `internal_articles/`, `content_snippets/`).
pub(crate) fn read_markdown<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &Result<String, String>,
    variables: Option<&Variables<'_>>,
    checked: Checked,
) -> Result<(T, String, Node, BodyOrigin), Vec<Diagnostic>> {
    let text = text
        .as_ref()
        .map_err(|m| vec![Diagnostic::error(file, None, m.clone())])?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let no_front_matter = || {
        vec![
            Diagnostic::error(
                file,
                Some(Position { line: 1, col: 1 }),
                "the article has no front matter",
            )
            .with_help("start the file with a `---` line, `title: ...`, and another `---` line"),
        ]
    };
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or_else(no_front_matter)?;
    let mut yaml_len = None;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            yaml_len = Some(offset);
            break;
        }
        offset += line.len();
    }
    let Some(yaml_len) = yaml_len else {
        return Err(vec![
            Diagnostic::error(
                file,
                Some(Position { line: 1, col: 1 }),
                "the front matter is not closed",
            )
            .with_help("end the front matter with a line holding only `---`"),
        ]);
    };
    let yaml = &rest[..yaml_len];
    let after = &rest[yaml_len..];
    let mut body = after
        .split_once('\n')
        .map_or("", |(_, body)| body)
        .to_string();
    let (front, root) = read_yaml::<T>(file, &Ok(yaml.to_string()), 1, checked, variables)?;
    // The body starts on the line after the closing `---`.
    let first_line = text[..text.len() - after.len()].matches('\n').count() + 2;
    let mut origin = BodyOrigin::new(first_line, None);
    if let Some(variables) = variables {
        match vars::expand_spans(&body, variables) {
            Ok(Some((expanded, spans))) => {
                let written = std::mem::replace(&mut body, expanded);
                origin = BodyOrigin::new(first_line, Some((written, spans)));
            }
            Ok(None) => {}
            Err(e) => {
                let before: String = body.chars().take(e.offset).collect();
                let line = first_line + before.matches('\n').count();
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                return Err(vec![
                    Diagnostic::error(file, Some(Position { line, col }), e.message)
                        .with_help(e.help),
                ]);
            }
        }
    }
    Ok((front, body, root, origin))
}

/// Parses a YAML document that starts `line_offset` lines into `file`, checks it against
/// `validator` and deserialises it.
fn read_yaml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &Result<String, String>,
    line_offset: usize,
    (validator, schema): Checked,
    variables: Option<&Variables<'_>>,
) -> Result<(T, Node), Vec<Diagnostic>> {
    let text = text
        .as_ref()
        .map_err(|m| vec![Diagnostic::error(file, None, m.clone())])?;
    let shift = |mut p: Position| {
        p.line += line_offset;
        p
    };
    let mut root = if text.trim().is_empty() {
        Node {
            pos: Position { line: 1, col: 1 },
            value: NodeValue::Map(Vec::new()),
        }
    } else {
        source::parse(text).map_err(|e| {
            let d = Diagnostic::error(file, Some(shift(e.pos)), e.message);
            vec![match e.help {
                Some(h) => d.with_help(h),
                None => d,
            }]
        })?
    };
    shift_positions(&mut root, line_offset);
    if let Some(variables) = variables {
        let problems: Vec<Diagnostic> = vars::expand_tree(&mut root, variables)
            .into_iter()
            .map(|e| {
                let d = Diagnostic::error(file, Some(e.pos), e.message);
                match e.help {
                    Some(h) => d.with_help(h),
                    None => d,
                }
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
    }
    let json = root.to_json();
    let mut problems = Vec::new();
    for err in validator.iter_errors(&json) {
        let pointer = err.instance_path().as_str().to_string();
        let node = root.locate(&pointer);
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed =
                    translations::keys_at(&pointer).unwrap_or_else(|| allowed_keys(schema()));
                for key in unexpected {
                    let pos = node.key_pos(key).unwrap_or(node.pos);
                    let mut d = Diagnostic::error(file, Some(pos), format!("unknown key `{key}`"));
                    d = match super::did_you_mean(key, allowed.iter().map(String::as_str)) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!("expected one of: {}", allowed.join(", "))),
                    };
                    problems.push(d);
                }
            }
            ValidationErrorKind::Required { property } => problems.push(
                Diagnostic::error(file, Some(node.pos), format!("missing key {property}"))
                    .with_help(format!("add {property}")),
            ),
            _ => problems.push(Diagnostic::error(
                file,
                Some(node.pos),
                format!("{}: {err}", display_path(&pointer)),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let value = serde_json::from_value(json)
        .map_err(|e| vec![Diagnostic::error(file, Some(root.pos), e.to_string())])?;
    Ok((value, root))
}

fn allowed_keys(schema: Value) -> Vec<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn shift_positions(node: &mut Node, lines: usize) {
    node.pos.line += lines;
    match &mut node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                key.pos.line += lines;
                shift_positions(value, lines);
            }
        }
        NodeValue::Seq(items) => items.iter_mut().for_each(|n| shift_positions(n, lines)),
        _ => {}
    }
}

/// What the schemas cannot say: `help_center` only on top-level collections, one title once
/// per collection (case-insensitive, as Intercom's editor compares them) and no local image
/// paths (the API cannot upload images).
fn check(tree: &HelpCenterTree, out: &mut Vec<Diagnostic>) {
    for c in &tree.collections {
        if c.path.len() > 1 && c.meta.help_center.is_some() {
            out.push(
                Diagnostic::error(
                    &c.spot.file,
                    c.help_center_pos.or(Some(c.spot.pos)),
                    "a nested collection cannot name a help center: it is in its parent's",
                )
                .with_help(format!(
                    "remove `help_center` here; set it in the `{COLLECTION_FILE}` of the top-level folder `{}`",
                    c.path.first().map_or("", String::as_str)
                )),
            );
        }
    }
    let mut seen: Vec<(&[String], String, &Spot)> = Vec::new();
    for a in &tree.articles {
        if a.front.title.trim().is_empty() {
            out.push(
                Diagnostic::error(
                    &a.spot.file,
                    Some(a.spot.pos),
                    "the article's title is empty",
                )
                .with_help("give the article a title: it is its name in its collection"),
            );
        }
        let folded = a.front.title.to_lowercase();
        if let Some((_, _, first)) = seen
            .iter()
            .find(|(c, t, _)| *c == a.collection.as_slice() && *t == folded)
        {
            out.push(
                Diagnostic::error(
                    &a.spot.file,
                    Some(a.spot.pos),
                    format!(
                        "the title `{}` is already used in this collection by {}:{}:{}",
                        a.front.title, first.file, first.pos.line, first.pos.col
                    ),
                )
                .with_help("give each article of a collection its own title"),
            );
        } else {
            seen.push((&a.collection, folded, &a.spot));
        }
        local_images(&a.spot.file, &a.body, &a.origin, out);
    }
    links::check(tree, out);
}

/// A local image in `body` (of `file`, written at `origin`) is an error at its position.
/// Every local image of `body` (written at `origin`), as an error at its position.
pub(crate) fn local_images(file: &str, body: &str, origin: &BodyOrigin, out: &mut Vec<Diagnostic>) {
    let mut start = 0;
    for line in body.split_inclusive('\n') {
        if let Some(col) = local_image(line) {
            out.push(
                Diagnostic::error(
                    file,
                    Some(origin.position(body, body, start + col)),
                    "a local image cannot be published: the Intercom API cannot upload images",
                )
                .with_help("upload the image elsewhere (or in Intercom's editor) and link it by its https:// URL"),
            );
        }
        start += line.len();
    }
}

/// The byte column of a Markdown or HTML image whose source is not an absolute URL.
pub(crate) fn local_image(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = line[from..].find("![") {
        let start = from + i;
        let rest = &line[start..];
        if let Some(open) = rest.find("](") {
            let src = rest[open + 2..].trim_start();
            if !is_remote(src) {
                return Some(start);
            }
        }
        from = start + 2;
    }
    let lower = line.to_lowercase();
    if let Some(i) = lower.find("<img") {
        let tag = &line[i..];
        if let Some(s) = tag.find("src=") {
            let src = tag[s + 4..].trim_start_matches(['"', '\'']);
            if !is_remote(src) {
                return Some(i);
            }
        }
    }
    None
}

fn is_remote(src: &str) -> bool {
    let lower = src.to_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("data:")
}

#[cfg(test)]
#[path = "help_center_tests.rs"]
mod tests;
