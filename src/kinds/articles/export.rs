//! Export of articles: each as `help_center/<collection path>/<slug>.md` with its front matter
//! and its body as compared (so `plan` on the export shows no changes): links to exported
//! articles become relative paths between their files.

use std::collections::HashSet;

use super::{COLLECTIONS, KIND, body, live_links as links};
use crate::config::help_center::links::relative;
use crate::config::help_center::{FOLDER, FrontMatter};
use crate::kinds::help_center_collections::exportable;
use crate::kinds::{Exported, Ignored};
use crate::model::{Article, ArticleState, HelpCenterCollection, Live};

/// Writes each article as `help_center/<collection path>/<slug>.md` (standing-alone articles at
/// the top of `help_center/`) with its front matter and its body as compared.
pub(super) fn export_tree(live: &Live, out: &mut Exported) {
    let articles: &[Article] = live.objects(KIND);
    let collections: &[HelpCenterCollection] = live.objects(COLLECTIONS);
    let mut used: HashSet<String> = HashSet::new();
    let mut titles: HashSet<(String, String)> = HashSet::new();
    let mut files: Vec<(&Article, String)> = Vec::new();
    let mut sorted: Vec<&Article> = articles.iter().collect();
    sorted.sort_by(|a, b| (&a.key, &a.id).cmp(&(&b.key, &b.id)));
    for a in sorted {
        let mut skip = |why: &str| {
            out.ignored.push(Ignored {
                kind: KIND,
                name: a.key.clone(),
                why: why.to_string(),
            });
        };
        let folder = match (&a.parent_id, &a.collection) {
            (None, _) => FOLDER.to_string(),
            (Some(p), Some(path)) => {
                match collections.iter().find(|c| &c.id == p) {
                    Some(c) if exportable(collections, c) => {}
                    _ => {
                        skip("its collection cannot be a folder");
                        continue;
                    }
                }
                format!("{FOLDER}/{path}")
            }
            (Some(_), None) => {
                skip("its collection is not in the collection list");
                continue;
            }
        };
        if a.title.trim().is_empty() {
            skip("it has no title");
            continue;
        }
        if !titles.insert((folder.clone(), a.title.to_lowercase())) {
            skip("another article of its collection has the same title");
            continue;
        }
        let mut stem = slug(&a.title);
        if stem.is_empty() {
            stem = format!("article-{}", a.id);
        }
        let mut path = format!("{folder}/{stem}.md");
        let mut n = 2;
        while !used.insert(path.to_lowercase()) {
            path = format!("{folder}/{stem}-{n}.md");
            n += 1;
        }
        files.push((a, path));
    }
    let path_of: std::collections::HashMap<&str, &str> = files
        .iter()
        .map(|(a, p)| (a.id.as_str(), p.as_str()))
        .collect();
    let live_by_id = links::by_id(articles);
    // A link from the file `from` (in `locale`; `None`: an article's own) to a live article:
    // its file, or its translation's in the URL's locale when that is not the one `slug.md`
    // means from there.
    let map = |from: &str, md: &str, locale: Option<&str>| {
        let from = std::path::Path::new(from);
        links::map_back(md, &live_by_id, |dest, id, anchor| {
            let to = *path_of.get(id)?;
            let target = live_by_id.get(id)?;
            let to = match links::url_locale(dest) {
                Some(l)
                    if Some(l) != locale
                        && target
                            .translations
                            .get(l)
                            .is_some_and(|t| !t.title.trim().is_empty()) =>
                {
                    format!("{}.{l}.md", to.strip_suffix(".md").unwrap_or(to))
                }
                _ => to.to_string(),
            };
            let mut rel = relative(from, std::path::Path::new(&to));
            if let Some(anchor) = anchor {
                rel.push('#');
                rel.push_str(anchor);
            }
            Some(rel)
        })
    };
    for (a, path) in &files {
        let front = front_matter(live, &a.title, &a.description, a.state, &a.author_id);
        let body = body::live_markdown(a.body_markdown.as_deref(), &a.body);
        let body = map(path, &body, None);
        super::translations::export(live, a, path, out, &map);
        out.extra_files
            .push((path.clone(), front.to_markdown(&body)));
    }
}

/// The front matter export writes for content in one locale (no `renamed_from`; the author
/// by e-mail, when a teammate).
pub(super) fn front_matter(
    live: &Live,
    title: &str,
    description: &Option<String>,
    state: Option<ArticleState>,
    author_id: &str,
) -> FrontMatter {
    FrontMatter {
        title: title.to_string(),
        description: description.clone().filter(|d| !d.is_empty()),
        state,
        author: live
            .admins
            .iter()
            .find(|ad| ad.id == author_id)
            .map(|ad| ad.email.clone()),
        renamed_from: None,
    }
}

/// A file name from a title: lower case, letters and digits, words joined by `-`.
pub(in crate::kinds) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-').len();
    out.truncate(trimmed);
    out.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_names() {
        let cases = [
            ("How to pay: cards & SEPA!", "how-to-pay-cards-sepa"),
            ("Über uns", "über-uns"),
            ("???", ""),
        ];
        for (title, want) in cases {
            assert_eq!(slug(title), want, "{title}");
        }
    }
}
