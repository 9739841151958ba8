//! Links between Help Center articles at apply: the payload of `Op::LinkArticle`, a body whose
//! links point at articles that the same plan creates or renames. Their URLs (which hold the id
//! and the title's slug) are known only once those writes are done, so the operation names
//! them ([`OpRef`]) and `apply` runs it after them, filling in the ids they created.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Address;
use super::change::Op;

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
}

/// `PUT /articles/{id}` of a body whose pending links get their targets' URLs first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleLinks {
    /// The linking article.
    pub article: ArticleRef,
    /// The body in Markdown: links to articles that exist already carry their URLs; the
    /// pending ones are still the relative paths written in the file.
    pub body_markdown: String,
    /// The links whose URLs are read at apply.
    pub links: Vec<PendingLink>,
}

impl ArticleLinks {
    /// The body with each pending link replaced by `url(id)` and its anchor; `None` when a
    /// target's id or URL is missing, or a link's place is not in the body.
    pub fn body_with(&self, mut url: impl FnMut(&str) -> Option<String>) -> Option<String> {
        let mut links: Vec<&PendingLink> = self.links.iter().collect();
        links.sort_by_key(|l| std::cmp::Reverse(l.at));
        let mut body = self.body_markdown.clone();
        for l in links {
            let mut target = url(l.id.as_deref()?)?;
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
}

impl Op {
    /// The operations of other changes that this one waits for (the writes that give its
    /// links' targets their URLs).
    pub fn waits_for(&self) -> Vec<&OpRef> {
        let mut out: Vec<&OpRef> = Vec::new();
        if let Op::LinkArticle(l) = self {
            for p in &l.links {
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
            for p in &mut l.links {
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
            body_markdown: body.into(),
            links: vec![
                PendingLink {
                    at: 8,
                    len: 6,
                    anchor: Some("x".into()),
                    id: None,
                    after: after.clone(),
                },
                PendingLink {
                    at: 24,
                    len: 4,
                    anchor: None,
                    id: Some("7".into()),
                    after: after.clone(),
                },
            ],
        };
        let op = Op::LinkArticle(links);
        assert_eq!(op.waits_for(), [&after]);
        let Op::LinkArticle(filled) = op.with_outputs(|_| Some("5".into())) else {
            unreachable!()
        };
        let body = filled.body_with(|id| Some(format!("https://h/articles/{id}-t")));
        assert_eq!(
            body.as_deref(),
            Some("See [b](https://h/articles/5-t#x) and [c](https://h/articles/7-t).\n")
        );
        let mut outside = filled.clone();
        outside.links[0].at = usize::MAX;
        assert_eq!(outside.body_with(|_| Some("u".into())), None);
    }
}
