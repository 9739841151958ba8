//! Links between articles: a Markdown link whose destination is a relative path to another
//! article's file (`[refunds](../Billing/refunds.md#fees)`), relative to the linking file.
//! This module finds such links in a body (inline links and reference definitions, outside
//! code), resolves their paths, writes paths back, and checks at `validate` that each one
//! names an article file of the help center (a broken one is an error at its own
//! `file:line:col`, with a "did you mean").
//!
//! Translations link like their articles: the links of `slug.<locale>.md` are checked the same
//! way. A link may name an article's file (`slug.md`: the article, in the linking file's locale
//! when the article has a translation in it, else in its default locale) or one of its
//! translations' files (`slug.<locale>.md`: the article in that locale).
//!
//! Only the destination is read: `[text](dest)`, `[text](<dest with spaces>)`,
//! `[text](dest "title")` and `[label]: dest`. Images (`![..](..)`), autolinks, HTML and
//! absolute URLs are not links between articles. Paths may be percent-encoded (`%20`).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::{BodyOrigin, Diagnostic, HelpCenterTree};

/// A link destination found in a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdLink<'a> {
    /// Byte offset of the destination in the body (inside `<…>` when it is bracketed).
    pub start: usize,
    /// The destination as written.
    pub dest: &'a str,
}

impl MdLink<'_> {
    /// The byte offset just after the destination.
    pub fn end(&self) -> usize {
        self.start + self.dest.len()
    }
}

/// The link destinations of a Markdown body, in order; code (fenced blocks and backtick
/// spans) and images are skipped.
pub fn md_links(body: &str) -> Vec<MdLink<'_>> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start();
        let indent = text.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        if let Some(m) = marker {
            let run = trimmed.chars().take_while(|c| *c == m).count();
            if run >= 3 && indent < 4 {
                match fence {
                    None => fence = Some((m, run)),
                    Some((open, n))
                        if open == m && run >= n && trimmed[run..].trim().is_empty() =>
                    {
                        fence = None
                    }
                    Some(_) => {}
                }
                continue;
            }
        }
        if fence.is_some() {
            continue;
        }
        if indent < 4
            && let Some(def) = definition(trimmed)
        {
            out.push(MdLink {
                start: start + indent + def.0,
                dest: &trimmed[def.0..def.0 + def.1],
            });
            continue;
        }
        inline_links(text, start, &mut out);
    }
    // A link inside another's text comes after it in the scan.
    out.sort_by_key(|l| l.start);
    out
}

/// `[label]: dest`: the destination's (offset, length) in `line`.
fn definition(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix('[')?;
    let close = rest.find("]:")?;
    if close == 0 || rest[..close].contains('[') {
        return None;
    }
    let after = close + 3;
    let spaces = line[after..].len() - line[after..].trim_start().len();
    let at = after + spaces;
    destination(line, at)
}

/// The destination starting at byte `at` of `line`: (offset, length), without `<…>`.
fn destination(line: &str, at: usize) -> Option<(usize, usize)> {
    let rest = line.get(at..)?;
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        return Some((at + 1, end));
    }
    let mut depth = 0usize;
    let mut len = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            c if c.is_whitespace() => {
                len = i;
                break;
            }
            '(' => depth += 1,
            ')' if depth == 0 => {
                len = i;
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    (len > 0).then_some((at, len))
}

/// The inline links of one line (`line_start`: its offset in the body).
fn inline_links<'a>(line: &'a str, line_start: usize, out: &mut Vec<MdLink<'a>>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
                let fence = &line[i..i + run];
                match line[i + run..].find(fence) {
                    Some(end) => i += run + end + run,
                    None => i += run,
                }
            }
            b'[' => {
                let image = i > 0 && bytes[i - 1] == b'!';
                match closing_bracket(bytes, i) {
                    Some(close) if bytes.get(close + 1) == Some(&b'(') => {
                        let at = close + 2;
                        let spaces = line[at..].len() - line[at..].trim_start().len();
                        if !image && let Some((s, len)) = destination(line, at + spaces) {
                            out.push(MdLink {
                                start: line_start + s,
                                dest: &line[s..s + len],
                            });
                        }
                        // Links inside the text (a linked image) come before the destination.
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
}

/// The `]` that closes the `[` at `open` (brackets nest; `\` escapes).
fn closing_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A destination that is a relative path to a Markdown file: (the path, percent-decoded; the
/// anchor without `#`, if any). `None` for URLs, absolute paths, anchors within the page and
/// other files.
pub fn article_path(dest: &str) -> Option<(String, Option<&str>)> {
    if dest.starts_with(['#', '/', '\\']) || has_scheme(dest) {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let decoded = percent_decode(path);
    decoded
        .to_lowercase()
        .ends_with(".md")
        .then_some((decoded, anchor))
}

fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }
        None => false,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The file a relative `path` written in `from_file` names, lexically normalised (`.` and
/// `..` resolved without touching the disk).
pub fn resolve(from_file: &str, path: &str) -> PathBuf {
    let base = Path::new(from_file).parent().unwrap_or(Path::new(""));
    normalize(&base.join(path.replace('\\', "/")))
}

/// A path with `.` and `..` resolved lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// The relative path from the file `from_file` to the file `to_file` as a link destination:
/// `/`-separated, with spaces and the characters Markdown would misread percent-encoded.
pub fn relative(from_file: &Path, to_file: &Path) -> String {
    let from: Vec<_> = normalize(from_file.parent().unwrap_or(Path::new("")))
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let to: Vec<_> = normalize(to_file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|p| encode(p)));
    parts.join("/")
}

fn encode(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for c in part.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

/// What a link may name: an article's file (`locale` `None`) or one of its translations'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    /// The article's (default-locale) file, normalised.
    pub article: PathBuf,
    /// The translation's locale, when the link names a translation's file.
    pub locale: Option<String>,
}

/// Every file a link may name, normalised: each article's file and each of its translations'.
pub fn linkable(tree: &HelpCenterTree) -> HashMap<PathBuf, LinkTarget> {
    let mut out = HashMap::new();
    for a in &tree.articles {
        let article = normalize(Path::new(&a.spot.file));
        for t in tree.translations_of(a) {
            let target = LinkTarget {
                article: article.clone(),
                locale: Some(t.locale.clone()),
            };
            out.insert(normalize(Path::new(&t.spot.file)), target);
        }
        let own = LinkTarget {
            article: article.clone(),
            locale: None,
        };
        out.insert(article, own);
    }
    out
}

/// A Markdown file that may link: an article's or a translation's.
struct Linking<'a> {
    file: &'a str,
    body: &'a str,
    origin: &'a BodyOrigin,
}

/// Every relative link to a Markdown file must name an article file of the help center, or a
/// translation's file.
pub(super) fn check(tree: &HelpCenterTree, out: &mut Vec<Diagnostic>) {
    let files = linkable(tree);
    let articles = tree
        .articles
        .iter()
        .map(|a| (a.spot.file.as_str(), a.body.as_str(), &a.origin));
    let translations = tree
        .translations
        .iter()
        .map(|t| (t.spot.file.as_str(), t.body.as_str(), &t.origin));
    for (file, body, origin) in articles.chain(translations) {
        let links = md_links(body);
        if links.iter().all(|l| article_path(l.dest).is_none()) {
            continue;
        }
        let from = Linking { file, body, origin };
        for link in links {
            let Some((path, _)) = article_path(link.dest) else {
                continue;
            };
            if files.contains_key(&resolve(file, &path)) {
                continue;
            }
            out.push(broken(&files, &from, &link));
        }
    }
}

fn broken(
    files: &HashMap<PathBuf, LinkTarget>,
    from: &Linking<'_>,
    link: &MdLink<'_>,
) -> Diagnostic {
    let here = normalize(Path::new(from.file));
    let mut candidates: Vec<String> = files
        .keys()
        .filter(|f| **f != here)
        .map(|f| relative(Path::new(from.file), f))
        .collect();
    candidates.sort();
    let written = link.dest.split('#').next().unwrap_or(link.dest);
    let help = match super::super::did_you_mean(written, candidates.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "link the Markdown file of an article of the help center, relative to this file (or an https:// URL)".to_string(),
    };
    Diagnostic::error(
        from.file,
        Some(from.origin.position(from.body, from.body, link.start)),
        format!(
            "broken link: `{}` is not an article of the help center",
            link.dest
        ),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dests(body: &str) -> Vec<&str> {
        md_links(body).into_iter().map(|l| l.dest).collect()
    }

    #[test]
    fn links_are_found_outside_code_and_images() {
        let body = "See [plans](../Billing/change-your-plan.md#fees) and ![x](img.png).\n\
                    `[not](a.md)` [b](<../Getting started/x.md> \"t\")\n\
                    ```\n[code](c.md)\n```\n\
                    [ref]: ./d.md\n\
                    [![logo](https://x/l.png)](e.md)\n";
        assert_eq!(
            dests(body),
            [
                "../Billing/change-your-plan.md#fees",
                "../Getting started/x.md",
                "./d.md",
                "e.md"
            ]
        );
        let l = &md_links(body)[0];
        assert_eq!(&body[l.start..l.end()], l.dest);
    }

    #[test]
    fn nested_and_odd_links_come_in_order_without_panics() {
        assert_eq!(dests("[[a](x.md)](y.md)\n"), ["x.md", "y.md"]);
        for odd in [
            "[",
            "](",
            "[a](",
            "[a](<b",
            "`` [a](b.md",
            "[x]:",
            "\\[a](b.md)",
            "é[ü](ö.md)",
        ] {
            let links = md_links(odd);
            assert!(
                links.iter().all(|l| &odd[l.start..l.end()] == l.dest),
                "{odd}"
            );
        }
    }

    #[test]
    fn only_relative_markdown_paths_are_article_links() {
        assert_eq!(
            article_path("../a%20b.md#x"),
            Some(("../a b.md".to_string(), Some("x")))
        );
        for d in [
            "https://x.test/a.md",
            "#top",
            "/abs.md",
            "mailto:a@b.c",
            "img.png",
        ] {
            assert_eq!(article_path(d), None, "{d}");
        }
    }

    #[test]
    fn paths_resolve_and_relativise_back() {
        let from = "cfg/help_center/Getting started/a.md";
        let to = resolve(from, "../Billing/./b.md");
        assert_eq!(to, PathBuf::from("cfg/help_center/Billing/b.md"));
        assert_eq!(relative(Path::new(from), &to), "../Billing/b.md");
        assert_eq!(
            relative(Path::new("cfg/help_center/Billing/b.md"), Path::new(from)),
            "../Getting%20started/a.md"
        );
        assert_eq!(
            relative(
                Path::new(from),
                Path::new("cfg/help_center/Getting started/c.md")
            ),
            "c.md"
        );
    }
}
