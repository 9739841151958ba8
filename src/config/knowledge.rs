//! Reads the `internal_articles/` and `content_snippets/` folders of a configuration directory:
//! one Markdown file per internal article or content snippet, its fields in a YAML front
//! matter checked against a JSON Schema generated from [`InternalArticleFront`] or
//! [`SnippetFront`], every problem located at `file:line:col`. The files are read like the
//! help center's articles (`help_center::read_markdown`), environments' `${…}` included.
//!
//! The YAML loader skips these folders (see `discover`). Both are flat: a file's title is its
//! natural key.

use std::path::Path;
use std::sync::OnceLock;

use jsonschema::Validator;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::help_center::{BodyOrigin, Checked, Spot, local_images, read_markdown, schema_of};
use super::source::{self, Node};
use super::vars::Variables;

/// The folder of internal articles.
pub const INTERNAL_ARTICLES: &str = "internal_articles";

/// The folder of content snippets.
pub const CONTENT_SNIPPETS: &str = "content_snippets";

/// Both folders, which the YAML loader skips.
pub const FOLDERS: [&str; 2] = [INTERNAL_ARTICLES, CONTENT_SNIPPETS];

/// The front matter of an internal article's Markdown file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InternalArticleFront {
    /// The article's title: its name.
    pub title: String,
    /// The author: a teammate's e-mail address. Absent: not managed (a new article is written
    /// by the token's admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The owner: a teammate's e-mail address. Absent: not managed (a new article is owned by
    /// the token's admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The article's previous title, to rename it instead of creating another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// The front matter of a content snippet's Markdown file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnippetFront {
    /// The snippet's title: its name (at most 255 characters).
    pub title: String,
    /// Its locale (`en`, `fr`, `pt-BR`, …). Absent: not managed (a new snippet is in `en`, as
    /// Intercom makes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The snippet's previous title, to rename it instead of creating another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

/// A front matter that names its document.
pub trait Titled: Sized {
    /// The title (the natural key).
    fn title(&self) -> &str;
    /// The previous title, for a rename.
    fn renamed_from(&self) -> Option<&str>;
    /// The documents of this front matter's folder.
    fn documents(k: &Knowledge) -> &[Document<Self>];
}

impl Titled for InternalArticleFront {
    fn title(&self) -> &str {
        &self.title
    }
    fn renamed_from(&self) -> Option<&str> {
        self.renamed_from.as_deref()
    }
    fn documents(k: &Knowledge) -> &[Document<Self>] {
        &k.internal_articles
    }
}

impl Titled for SnippetFront {
    fn title(&self) -> &str {
        &self.title
    }
    fn renamed_from(&self) -> Option<&str> {
        self.renamed_from.as_deref()
    }
    fn documents(k: &Knowledge) -> &[Document<Self>] {
        &k.content_snippets
    }
}

/// One declared document: its front matter, its Markdown body and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<F> {
    /// Its front matter.
    pub front: F,
    /// Its Markdown body (after the front matter).
    pub body: String,
    /// Where the body is written in its file (to locate a problem in it).
    pub origin: BodyOrigin,
    /// Its file; the position is the front matter's `title`.
    pub spot: Spot,
    /// The positioned front matter, to locate its fields.
    pub root: Node,
}

impl<F> Document<F> {
    /// An error at `pointer` of the front matter (at its `title` for `""` or when absent).
    pub fn error_at(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let node = self.root.locate(pointer);
        let pos = if pointer.is_empty() || std::ptr::eq(node, &self.root) {
            self.spot.pos
        } else {
            node.pos
        };
        Diagnostic::error(&self.spot.file, Some(pos), message)
    }
}

/// Everything under `internal_articles/` and `content_snippets/`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Knowledge {
    /// The internal articles, in file order.
    pub internal_articles: Vec<Document<InternalArticleFront>>,
    /// The content snippets, in file order.
    pub content_snippets: Vec<Document<SnippetFront>>,
}

/// The JSON Schema of an internal article's front matter (draft-07).
pub fn internal_article_schema() -> Value {
    schema_of::<InternalArticleFront>("intercom-iac internal article front matter")
}

/// The JSON Schema of a content snippet's front matter (draft-07).
pub fn content_snippet_schema() -> Value {
    schema_of::<SnippetFront>("intercom-iac content snippet front matter")
}

fn internal_article_checked() -> Checked {
    static V: OnceLock<Validator> = OnceLock::new();
    let v = V.get_or_init(|| {
        jsonschema::validator_for(&internal_article_schema())
            .expect("the generated internal article schema is a valid JSON Schema")
    });
    (v, internal_article_schema)
}

fn content_snippet_checked() -> Checked {
    static V: OnceLock<Validator> = OnceLock::new();
    let v = V.get_or_init(|| {
        jsonschema::validator_for(&content_snippet_schema())
            .expect("the generated content snippet schema is a valid JSON Schema")
    });
    (v, content_snippet_schema)
}

/// Whether the configuration directory `dir` has either folder.
pub fn present(dir: &Path) -> bool {
    FOLDERS.iter().any(|f| dir.join(f).is_dir())
}

/// Reads both folders of the configuration directory `dir` (a missing folder declares
/// nothing), with an environment's `variables` substituted, and checks their titles.
pub fn read(dir: &Path, variables: Option<&Variables<'_>>) -> (Knowledge, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut knowledge = Knowledge {
        internal_articles: read_folder(
            &dir.join(INTERNAL_ARTICLES),
            "internal article",
            internal_article_checked(),
            variables,
            &mut out,
        ),
        content_snippets: read_folder(
            &dir.join(CONTENT_SNIPPETS),
            "content snippet",
            content_snippet_checked(),
            variables,
            &mut out,
        ),
    };
    knowledge
        .content_snippets
        .retain(|d| match snippet_problem(d) {
            Some(p) => {
                out.push(p);
                false
            }
            None => true,
        });
    (knowledge, out)
}

/// Intercom's limit on a snippet's title.
const MAX_SNIPPET_TITLE: usize = 255;

/// What Intercom would refuse in a snippet: a title over 255 characters, a locale that is not
/// a language code, no content.
fn snippet_problem(d: &Document<SnippetFront>) -> Option<Diagnostic> {
    if d.body.trim().is_empty() {
        return Some(d.error_at("", "the snippet has no body").with_help(
            "write its text after the front matter: Intercom needs a snippet's content",
        ));
    }
    let length = d.front.title.chars().count();
    if length > MAX_SNIPPET_TITLE {
        return Some(
            d.error_at(
                "/title",
                format!(
                    "the title is {length} characters long; Intercom allows {MAX_SNIPPET_TITLE}"
                ),
            )
            .with_help("shorten the title"),
        );
    }
    let locale = d.front.locale.as_deref()?;
    let (language, region) = locale.split_once('-').unwrap_or((locale, "ab"));
    let is_code = language.len() == 2
        && language.chars().all(|c| c.is_ascii_lowercase())
        && (2..=4).contains(&region.len())
        && region.chars().all(|c| c.is_ascii_alphabetic());
    (!is_code).then(|| {
        d.error_at("/locale", format!("`{locale}` is not a locale"))
            .with_help("write a language code: `en`, `fr`, `pt-BR`, …")
    })
}

/// Reads one flat folder of Markdown documents; `what` names one in messages.
fn read_folder<F: Titled + DeserializeOwned>(
    dir: &Path,
    what: &str,
    checked: Checked,
    variables: Option<&Variables<'_>>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Document<F>> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(e) => e.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            let name = dir.display().to_string();
            out.push(Diagnostic::error(
                &name,
                None,
                format!("cannot read the directory: {e}"),
            ));
            return Vec::new();
        }
    };
    entries.sort();
    let mut docs: Vec<Document<F>> = Vec::new();
    for entry in entries {
        let file = entry.display().to_string();
        let file_name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name.starts_with('.') {
            continue;
        }
        if entry.is_dir() || !file_name.ends_with(".md") {
            out.push(
                Diagnostic::error(&file, None, format!("unexpected {} here", if entry.is_dir() { "folder" } else { "file" }))
                    .with_help(format!("this folder holds one Markdown file (*.md) per {what}, without sub-folders; move other files elsewhere")),
            );
            continue;
        }
        let text = std::fs::read(&entry)
            .map_err(|e| format!("cannot read the file: {e}"))
            .and_then(|b| {
                source::decode(&b)
                    .map(str::to_string)
                    .map_err(|e| e.message)
            });
        match read_markdown::<F>(&file, &text, variables, checked) {
            Ok((front, body, root, origin)) => docs.push(Document {
                origin,
                spot: Spot {
                    file,
                    pos: root.key_pos("title").unwrap_or(root.pos),
                },
                front,
                body,
                root,
            }),
            Err(mut d) => out.append(&mut d),
        }
    }
    check_titles(&docs, what, out);
    for d in &docs {
        local_images(&d.spot.file, &d.body, &d.origin, out);
    }
    docs
}

/// Every title is set and used once (case-insensitively, so a title names one document).
fn check_titles<F: Titled>(docs: &[Document<F>], what: &str, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(String, &Spot)> = Vec::new();
    for d in docs {
        let title = d.front.title();
        if title.trim().is_empty() {
            out.push(
                d.error_at("", format!("the {what}'s title is empty"))
                    .with_help(format!("give the {what} a title: it is its name")),
            );
            continue;
        }
        let folded = title.to_lowercase();
        match seen.iter().find(|(t, _)| *t == folded) {
            Some((_, first)) => out.push(
                d.error_at(
                    "",
                    format!(
                        "the title `{title}` is already used by {}:{}:{}",
                        first.file, first.pos.line, first.pos.col
                    ),
                )
                .with_help(format!("give each {what} its own title")),
            ),
            None => seen.push((folded, &d.spot)),
        }
    }
}

/// A document's file as export writes it: the front matter between `---` lines, then the body.
pub fn to_markdown<F: Serialize>(front: &F, body: &str) -> String {
    let yaml = serde_saphyr::to_string(front).unwrap_or_default();
    format!("---\n{yaml}---\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn both_folders_are_read_with_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "internal_articles/a.md",
            "---\ntitle: Escalations\nowner: bob@example.com\n---\n# Escalate\n",
        );
        write(
            d,
            "internal_articles/b.md",
            "---\ntitle: escalations\n---\n",
        );
        write(
            d,
            "internal_articles/c.md",
            "---\ntitle: X\nowners: a\n---\n",
        );
        write(
            d,
            "content_snippets/s.md",
            "---\ntitle: Reset\nlocale: en\n---\nGo.\n",
        );
        write(d, "content_snippets/notes.txt", "x");
        write(
            d,
            "content_snippets/t.md",
            "---\ntitle: Bad\nlocale: English\n---\n",
        );
        let (k, problems) = read(d, None);
        assert_eq!(k.internal_articles.len(), 2);
        assert_eq!(
            k.internal_articles[0].front.owner.as_deref(),
            Some("bob@example.com")
        );
        assert_eq!(k.internal_articles[0].body, "# Escalate\n");
        assert_eq!(k.content_snippets.len(), 1);
        assert_eq!(k.content_snippets[0].front.locale.as_deref(), Some("en"));
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let all = text.join("\n");
        assert!(
            all.contains(
                "internal_articles/b.md:2:1: error: the title `escalations` is already used by"
            ),
            "{all}"
        );
        assert!(
            all.contains("internal_articles/c.md:3:1: error: unknown key `owners`"),
            "{all}"
        );
        assert!(all.contains("did you mean `owner`?"), "{all}");
        assert!(
            all.contains("content_snippets/notes.txt: error: unexpected file here"),
            "{all}"
        );
    }

    #[test]
    fn a_local_image_is_located_as_written_before_variables_expand() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(
            d,
            "content_snippets/s.md",
            "---\ntitle: Reset\n---\n${STEPS}\n![shot](shot.png)\n",
        );
        let named: indexmap::IndexMap<String, String> =
            [("STEPS".to_string(), "one\ntwo\nthree".to_string())].into();
        let process = |_: &str| None;
        let variables = Variables {
            named: &named,
            process: &process,
            declared_in: "environments.staging",
        };
        let (k, problems) = read(d, Some(&variables));
        assert_eq!(
            k.content_snippets[0].body,
            "one\ntwo\nthree\n![shot](shot.png)\n"
        );
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            text.iter().any(|t| t
                .contains("content_snippets/s.md:5:1: error: a local image cannot be published")),
            "{text:?}"
        );
    }

    #[test]
    fn export_writes_what_the_reader_reads() {
        let front = SnippetFront {
            title: "Reset: how".into(),
            locale: Some("fr".into()),
            renamed_from: None,
        };
        let text = to_markdown(&front, "Body\n");
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content_snippets/x.md", &text);
        let (k, problems) = read(dir.path(), None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(k.content_snippets[0].front, front);
        assert_eq!(k.content_snippets[0].body, "Body\n");
    }
}
