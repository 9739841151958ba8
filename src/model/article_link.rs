//! Links between Help Center articles at apply: the payload of `Op::LinkArticle`, a body whose
//! links point at articles that the same plan creates or renames. Their URLs (which hold the id
//! and the title's slug) are known only once those writes are done, so the operation names
//! them ([`OpRef`]) and `apply` runs it after them, filling in the ids they created.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::change::Op;
use super::{Address, ArticleChanges, ArticleContent, Translations};

/// One operation of a plan: the change it belongs to (by its address) and its index there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct OpRef {
    /// The change's address.
    pub address: Address,
    /// The operation's index in that change.
    pub op: usize,
}

/// Which article a write is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleRef {
    /// An existing article.
    Id(String),
    /// The article that operation `op` of the same change creates first.
    Created(usize),
}

/// A link whose target's URL is read at apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PendingLink {
    /// Byte offset of the link's destination in `body_markdown` (the relative path as written).
    pub at: usize,
    /// Its length in bytes (the anchor included).
    pub len: usize,
    /// The anchor kept after the URL (without `#`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// The target's id: known for an article this plan renames; filled in by apply from
    /// `after` for one it creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The write after which the target has its (new) URL.
    pub after: OpRef,
    /// The target's URL in this locale (its translation's `url`); absent: its own `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// A translation whose body's pending links get their targets' URLs first: sent whole in
/// `translated_content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LocaleLinks {
    /// The locale's whole content; its body's pending links are still the relative paths
    /// written in the file.
    pub content: ArticleContent,
    /// The links of its body whose URLs are read at apply.
    pub links: Vec<PendingLink>,
}

/// `PUT /articles/{id}` of a body whose pending links get their targets' URLs first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleLinks {
    /// The linking article.
    pub article: ArticleRef,
    /// The body in Markdown: links to articles that exist already carry their URLs; the
    /// pending ones are still the relative paths written in the file. Absent: the body is not
    /// sent (only translations wait).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    /// The links of `body_markdown` whose URLs are read at apply.
    pub links: Vec<PendingLink>,
    /// The translations whose bodies wait, by locale.
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub translated_content: Translations<LocaleLinks>,
}

impl ArticleLinks {
    /// Every pending link, of the body and of the translations.
    pub fn all_links(&self) -> impl Iterator<Item = &PendingLink> {
        self.links
            .iter()
            .chain(self.translated_content.values().flat_map(|t| &t.links))
    }

    /// The update to send: the body and each translation with each pending link replaced by
    /// `url(id, locale)` and its anchor; `None` when a target's id or URL is missing, or a
    /// link's place is not in its body.
    pub fn changes_with(
        &self,
        mut url: impl FnMut(&str, Option<&str>) -> Option<String>,
    ) -> Option<ArticleChanges> {
        let mut changes = ArticleChanges::default();
        if let Some(body) = &self.body_markdown {
            changes.body_markdown = Some(filled(body, &self.links, &mut url)?);
        }
        for (locale, t) in &self.translated_content {
            let mut content = t.content.clone();
            content.body_markdown = filled(&content.body_markdown, &t.links, &mut url)?;
            changes.translated_content.insert(locale.clone(), content);
        }
        Some(changes)
    }
}

/// `body` with each of `links` replaced by `url(id, locale)` and its anchor.
fn filled(
    body: &str,
    links: &[PendingLink],
    url: &mut impl FnMut(&str, Option<&str>) -> Option<String>,
) -> Option<String> {
    let mut links: Vec<&PendingLink> = links.iter().collect();
    links.sort_by_key(|l| std::cmp::Reverse(l.at));
    let mut body = body.to_string();
    for l in links {
        let mut target = url(l.id.as_deref()?, l.locale.as_deref())?;
        if let Some(anchor) = &l.anchor {
            target.push('#');
            target.push_str(anchor);
        }
        // A plan file edited by hand may point anywhere: refuse rather than panic.
        let end = l.at.checked_add(l.len)?;
        if end > body.len() || !body.is_char_boundary(l.at) || !body.is_char_boundary(end) {
            return None;
        }
        body.replace_range(l.at..end, &target);
    }
    Some(body)
}

impl Op {
    /// The operations of other changes that this one waits for (the writes that give its
    /// links' targets their URLs).
    pub fn waits_for(&self) -> Vec<&OpRef> {
        let mut out: Vec<&OpRef> = Vec::new();
        if let Op::LinkArticle(l) = self {
            for p in l.all_links() {
                if !out.contains(&&p.after) {
                    out.push(&p.after);
                }
            }
        }
        out
    }

    /// This operation with the ids that the operations it waits for created filled in.
    pub fn with_outputs(&self, output: impl Fn(&OpRef) -> Option<String>) -> Op {
        let mut op = self.clone();
        if let Op::LinkArticle(l) = &mut op {
            let locales = l.translated_content.values_mut().flat_map(|t| &mut t.links);
            for p in l.links.iter_mut().chain(locales) {
                if p.id.is_none() {
                    p.id = output(&p.after);
                }
            }
        }
        op
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn pending_links_get_urls_and_keep_their_anchors() {
        let after = OpRef {
            address: Address::new(Kind::Articles, "B"),
            op: 0,
        };
        let body = "See [b](b.md#x) and [c](c.md).\n";
        let links = ArticleLinks {
            article: ArticleRef::Id("1".into()),
            body_markdown: Some(body.into()),
            links: vec![
                PendingLink {
                    at: 8,
                    len: 6,
                    anchor: Some("x".into()),
                    id: None,
                    after: after.clone(),
                    locale: None,
                },
                PendingLink {
                    at: 24,
                    len: 4,
                    anchor: None,
                    id: Some("7".into()),
                    after: after.clone(),
                    locale: None,
                },
            ],
            translated_content: Translations::from([(
                "fr".to_string(),
                LocaleLinks {
                    content: ArticleContent {
                        title: "Titre".into(),
                        description: None,
                        body_markdown: "Voir [b](b.md).\n".into(),
                        author_id: None,
                        state: None,
                    },
                    links: vec![PendingLink {
                        at: 9,
                        len: 4,
                        anchor: None,
                        id: None,
                        after: after.clone(),
                        locale: Some("fr".into()),
                    }],
                },
            )]),
        };
        let op = Op::LinkArticle(links);
        assert_eq!(op.waits_for(), [&after]);
        let Op::LinkArticle(filled) = op.with_outputs(|_| Some("5".into())) else {
            unreachable!()
        };
        let changes = filled
            .changes_with(|id, locale| {
                let locale = locale.unwrap_or("en");
                Some(format!("https://h/{locale}/articles/{id}-t"))
            })
            .unwrap();
        assert_eq!(
            changes.body_markdown.as_deref(),
            Some("See [b](https://h/en/articles/5-t#x) and [c](https://h/en/articles/7-t).\n")
        );
        assert_eq!(
            changes.translated_content["fr"].body_markdown,
            "Voir [b](https://h/fr/articles/5-t).\n"
        );
        assert_eq!(changes.translated_content["fr"].title, "Titre");
        let mut outside = filled.clone();
        outside.links[0].at = usize::MAX;
        assert_eq!(outside.changes_with(|_, _| Some("u".into())), None);
    }
}
