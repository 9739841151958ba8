//! Internal articles (`/internal_articles`) and content snippets (`/content_snippets`, 2.16+)
//! as Intercom sends them, mapped to the model, and their lists. Read leniently: every field
//! but the id may be missing or `null` (a snippet's `title` is nullable in the description).

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::client::{Client, Request};
use super::fetch::{FetchError, list, list_all};
use super::wire::WireId;
use crate::model::{ContentSnippet, InternalArticle};

/// Content snippets allow at most 50 per page.
const SNIPPET_PAGE_SIZE: u32 = 50;

/// An internal article on the wire.
#[derive(Debug, Deserialize)]
pub(crate) struct WireInternalArticle {
    id: WireId,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    body_markdown: Option<String>,
    #[serde(default)]
    author_id: Option<WireId>,
    #[serde(default)]
    owner_id: Option<WireId>,
    #[serde(default)]
    locale: Option<String>,
}

impl From<WireInternalArticle> for InternalArticle {
    fn from(a: WireInternalArticle) -> Self {
        InternalArticle {
            id: a.id.0,
            title: a.title.unwrap_or_default(),
            body: a.body.unwrap_or_default(),
            body_markdown: a.body_markdown,
            author_id: a.author_id.map(|i| i.0).unwrap_or_default(),
            owner_id: a.owner_id.map(|i| i.0).unwrap_or_default(),
            locale: a.locale,
        }
    }
}

/// A content snippet on the wire.
#[derive(Debug, Deserialize)]
pub(crate) struct WireSnippet {
    id: WireId,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body_markdown: Option<String>,
    #[serde(default)]
    json_blocks: Option<Vec<Value>>,
    #[serde(default)]
    locale: Option<String>,
}

impl From<WireSnippet> for ContentSnippet {
    fn from(s: WireSnippet) -> Self {
        ContentSnippet {
            id: s.id.0,
            title: s.title.unwrap_or_default(),
            body_markdown: s.body_markdown,
            block_text: s
                .json_blocks
                .unwrap_or_default()
                .iter()
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .map(str::to_string)
                .collect(),
            locale: s.locale.unwrap_or_else(|| "en".to_string()),
        }
    }
}

/// Every internal article (`GET /internal_articles`, every page).
pub async fn internal_articles(client: &Client) -> Result<Vec<InternalArticle>, FetchError> {
    let raw: Vec<WireInternalArticle> =
        list(client, "/internal_articles", "list internal articles").await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

/// Every content snippet (`GET /content_snippets`, 50 per page).
pub async fn content_snippets(client: &Client) -> Result<Vec<ContentSnippet>, FetchError> {
    let req = Request::new(Method::GET, "/content_snippets", "list content snippets")
        .query("per_page", SNIPPET_PAGE_SIZE.to_string())
        .query("page", "1");
    let raw: Vec<WireSnippet> = list_all(client, req).await?;
    Ok(raw.into_iter().map(Into::into).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_and_null_fields_are_read_leniently() {
        let a: WireInternalArticle = serde_json::from_value(
            json!({"id": "45", "body": null, "owner_id": 991266252, "author_id": 991266252}),
        )
        .unwrap();
        let a = InternalArticle::from(a);
        assert_eq!((a.title.as_str(), a.body.as_str()), ("", ""));
        assert_eq!(a.owner_id, "991266252");
        let s: WireSnippet = serde_json::from_value(json!({
            "type": "content_snippet", "id": "123", "title": null, "body_markdown": null,
            "json_blocks": [{"type": "paragraph", "text": "Go to Settings."}], "locale": "fr"
        }))
        .unwrap();
        let s = ContentSnippet::from(s);
        assert_eq!(s.title, "");
        assert_eq!(s.block_text, ["Go to Settings."]);
        assert_eq!(s.locale, "fr");
    }
}
