//! Translations in `help_center/`: `slug.<locale>.md` beside an article's default-locale
//! `slug.md` (its own front matter `title`, `description`, `state`, `author`, and its body),
//! and `translated_content` in a `_collection.yaml` (per locale, `name` and `description`).
//!
//! What can be checked without Intercom is checked here, each problem at `file:line:col`: a
//! locale Intercom does not support (with a "did you mean"), a translation without its
//! default-locale file, the same article and locale twice, `renamed_from` in a translation.
//! The help center's default locale and the locales it has turned on are Intercom's: the
//! articles and collections kinds check those when they plan.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::vars::Variables;
use super::{
    ArticleSource, BodyOrigin, Diagnostic, FrontMatter, HelpCenterTree, Node, Position, Spot,
    local_images, read_article_with_origin, read_text,
};
use crate::model::{SUPPORTED_LOCALES, is_supported_locale};

/// A collection's name and description in one locale (`translated_content.<locale>` of its
/// `_collection.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocaleContent {
    /// The collection's name in this locale.
    pub name: String,
    /// Its description in this locale. Absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A declared translation of an article: the file `<stem>.<locale>.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslationSource {
    /// The folder it sits in, as displayed (its article's file is in the same one).
    pub dir: String,
    /// The name of its article's file without `.md` (`invite-your-team`).
    pub stem: String,
    /// The locale, as written in the file name (`fr`, `pt-BR`).
    pub locale: String,
    /// Its front matter (`renamed_from` is refused: a translation follows its article).
    pub front: FrontMatter,
    /// Its Markdown body.
    pub body: String,
    /// Its file; the position is the front matter's `title`.
    pub spot: Spot,
    /// The positioned front matter, to locate its fields.
    pub root: Node,
    /// Where its body is written in its file.
    pub origin: BodyOrigin,
}

/// The stem and the locale of a file name `<stem>.<locale>.md`, when the part before `.md`
/// ends in something shaped like a locale (two or three letters, maybe `-` and a region:
/// `fr`, `pt-BR`, `zh-cn`); whether Intercom supports it is checked later, so that a
/// misspelled locale is reported rather than read as an article.
pub fn split_locale(file_name: &str) -> Option<(&str, &str)> {
    let (stem, locale) = file_name.strip_suffix(".md")?.rsplit_once('.')?;
    let (lang, region) = match locale.split_once(['-', '_']) {
        Some((l, r)) => (l, Some(r)),
        None => (locale, None),
    };
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
    };
    let shaped = letters(lang, 2..=3) && region.is_none_or(|r| letters(r, 2..=4));
    (shaped && !stem.is_empty()).then_some((stem, locale))
}

/// Reads the translation file `entry` (`<stem>.<locale>.md`) into `tree`.
pub(super) fn read_file(
    entry: &Path,
    (stem, locale): (&str, &str),
    tree: &mut HelpCenterTree,
    out: &mut Vec<Diagnostic>,
    variables: Option<&Variables<'_>>,
) {
    let file = entry.display().to_string();
    match read_article_with_origin(&file, &read_text(entry), variables) {
        Ok((front, body, root, origin)) => tree.translations.push(TranslationSource {
            dir: folder_of(&file),
            stem: stem.to_string(),
            locale: locale.to_string(),
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
}

/// The folder of a file, as displayed.
fn folder_of(file: &str) -> String {
    Path::new(file)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

/// The name of a file without `.md`.
fn stem_of(file: &str) -> String {
    let name = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".md").unwrap_or(&name).to_string()
}

/// Whether two file stems name the same article: case aside, as on the file systems that
/// ignore it (so `Start.fr.md` and `start.fr.md` are the same translation of `start.md`
/// everywhere).
fn same_stem(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

impl HelpCenterTree {
    /// The translations of `article` (the files `<its stem>.<locale>.md` beside it), in locale
    /// order.
    pub fn translations_of(&self, article: &ArticleSource) -> Vec<&TranslationSource> {
        let (dir, stem) = (folder_of(&article.spot.file), stem_of(&article.spot.file));
        // Case aside, unless another article's file has exactly the translation's stem.
        let exact = |t: &TranslationSource| {
            self.articles
                .iter()
                .any(|o| folder_of(&o.spot.file) == t.dir && stem_of(&o.spot.file) == t.stem)
        };
        let mut out: Vec<&TranslationSource> = self
            .translations
            .iter()
            .filter(|t| {
                t.dir == dir && (t.stem == stem || (same_stem(&t.stem, &stem) && !exact(t)))
            })
            .collect();
        out.sort_by(|a, b| a.locale.cmp(&b.locale));
        out
    }
}

/// Where each locale of a `_collection.yaml`'s `translated_content` is written.
pub(super) fn locale_positions(root: &Node) -> BTreeMap<String, Position> {
    let content = root.locate("/translated_content");
    if std::ptr::eq(content, root) {
        return BTreeMap::new();
    }
    let mut out = BTreeMap::new();
    if let super::NodeValue::Map(entries) = &content.value {
        for (key, _) in entries {
            out.insert(key.name.clone(), key.pos);
        }
    }
    out
}

/// The keys a `_collection.yaml` allows at `pointer` when it is inside `translated_content`
/// (one locale's content), for the "did you mean" of an unknown key.
pub(super) fn keys_at(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix("/translated_content/")?;
    if rest.contains('/') {
        return None;
    }
    let schema = schemars::schema_for!(LocaleContent);
    let value = serde_json::to_value(schema).ok()?;
    let properties = value.get("properties")?.as_object()?;
    Some(properties.keys().cloned().collect())
}

/// The error for a locale Intercom does not support, with a "did you mean".
fn unsupported(file: &str, pos: Position, locale: &str) -> Diagnostic {
    let help = match crate::config::did_you_mean(locale, SUPPORTED_LOCALES.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "use one of the locales Intercom supports: {}",
            SUPPORTED_LOCALES.join(", ")
        ),
    };
    Diagnostic::error(
        file,
        Some(pos),
        format!("Intercom does not support the locale `{locale}`"),
    )
    .with_help(help)
}

/// The checks of the module documentation.
pub(super) fn check(tree: &HelpCenterTree, out: &mut Vec<Diagnostic>) {
    let first_line = Position { line: 1, col: 1 };
    for c in &tree.collections {
        for (locale, pos) in &c.translation_pos {
            if !is_supported_locale(locale) {
                out.push(unsupported(&c.spot.file, *pos, locale));
            }
        }
    }
    let mut seen: Vec<(String, String, String, &Spot)> = Vec::new();
    for t in &tree.translations {
        let file = t.spot.file.as_str();
        if !is_supported_locale(&t.locale) {
            out.push(unsupported(file, first_line, &t.locale));
            continue;
        }
        let key = (
            t.dir.clone(),
            t.stem.to_lowercase(),
            t.locale.to_lowercase(),
        );
        if let Some((_, _, _, first)) = seen
            .iter()
            .find(|(d, s, l, _)| (d, s, l) == (&key.0, &key.1, &key.2))
        {
            out.push(
                Diagnostic::error(
                    file,
                    Some(first_line),
                    format!(
                        "`{}.{}` is translated twice: {}:{}:{} translates the same article into the same locale",
                        t.stem, t.locale, first.file, first.pos.line, first.pos.col
                    ),
                )
                .with_help("keep one file per article and locale"),
            );
            continue;
        }
        seen.push((key.0, key.1, key.2, &t.spot));
        let has_article = tree.articles.iter().any(|a| {
            folder_of(&a.spot.file) == t.dir && same_stem(&stem_of(&a.spot.file), &t.stem)
        });
        if !has_article {
            out.push(
                Diagnostic::error(
                    file,
                    Some(first_line),
                    format!(
                        "the translation has no default-locale file: `{}.md` is not in its folder",
                        t.stem
                    ),
                )
                .with_help(format!(
                    "add `{}.md` (the article in the help center's default locale) beside it, or rename this file after its article's file",
                    t.stem
                )),
            );
        }
        if t.front.renamed_from.is_some() {
            let pos = t.root.key_pos("renamed_from").unwrap_or(t.spot.pos);
            out.push(
                Diagnostic::error(file, Some(pos), "a translation cannot be renamed on its own")
                    .with_help("remove `renamed_from` here: a translation follows its article, which `renamed_from` in the default-locale file renames"),
            );
        }
        if t.front.title.trim().is_empty() {
            out.push(
                Diagnostic::error(file, Some(t.spot.pos), "the translation's title is empty")
                    .with_help("give the translation a title in its locale"),
            );
        }
        local_images(file, &t.body, &t.origin, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_suffix_makes_a_translation() {
        assert_eq!(
            split_locale("invite-your-team.fr.md"),
            Some(("invite-your-team", "fr"))
        );
        assert_eq!(split_locale("a.pt-BR.md"), Some(("a", "pt-BR")));
        assert_eq!(split_locale("a.frr.md"), Some(("a", "frr")));
        assert_eq!(split_locale("invite-your-team.md"), None);
        assert_eq!(split_locale("release-1.0.md"), None);
        assert_eq!(split_locale("v1.2-notes.md"), None);
        assert_eq!(split_locale(".fr.md"), None);
        assert_eq!(split_locale("a.fr.yaml"), None);
    }

    #[test]
    fn a_translation_belongs_to_the_file_with_its_stem_case_aside_unless_one_matches_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("G/a.md", "---\ntitle: Lower\n---\n"),
            ("G/A.md", "---\ntitle: Upper\n---\n"),
            ("G/a.fr.md", "---\ntitle: Bas\n---\n"),
            ("G/b.md", "---\ntitle: B\n---\n"),
            ("G/B.de.md", "---\ntitle: Be\n---\n"),
        ];
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (tree, problems) = super::super::read(dir.path(), None);
        assert!(problems.is_empty(), "{problems:?}");
        let of = |title: &str| -> Vec<String> {
            let a = tree
                .articles
                .iter()
                .find(|a| a.front.title == title)
                .unwrap();
            tree.translations_of(a)
                .iter()
                .map(|t| format!("{}.{}", t.stem, t.locale))
                .collect()
        };
        assert_eq!(of("Lower"), ["a.fr"]);
        assert!(of("Upper").is_empty());
        assert_eq!(of("B"), ["B.de"]);
    }
}
