//! Internal articles and content snippets: the live objects, and the requests that create and
//! change one (the payloads of their `Op`s, sent by the client as they are).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An internal article (`/internal_articles`): knowledge for teammates and AI, not published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternalArticle {
    /// Intercom id.
    pub id: String,
    /// Title (its natural key).
    pub title: String,
    /// The body in HTML, as Intercom keeps it (empty when none).
    pub body: String,
    /// The body in Markdown, when Intercom keeps one.
    pub body_markdown: Option<String>,
    /// The author's admin id.
    pub author_id: String,
    /// The owner's admin id.
    pub owner_id: String,
    /// Its locale.
    pub locale: Option<String>,
}

/// `POST /internal_articles`: a new internal article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NewInternalArticle {
    /// Title.
    pub title: String,
    /// The body in Markdown (sent as `body_markdown`).
    pub body_markdown: String,
    /// The author's admin id.
    pub author_id: String,
    /// The owner's admin id.
    pub owner_id: String,
}

/// `PUT /internal_articles/{id}`: what changes (absent fields stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InternalArticleChanges {
    /// New title (a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New body in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    /// New author's admin id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// New owner's admin id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

/// A content snippet (`/content_snippets`, 2.16+): reusable knowledge for Fin and Copilot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentSnippet {
    /// Intercom id.
    pub id: String,
    /// Title (its natural key; Intercom allows none, read as empty).
    pub title: String,
    /// The body in Markdown, when Intercom sends one.
    pub body_markdown: Option<String>,
    /// The text of its content blocks, one paragraph each, for a snippet without Markdown.
    pub block_text: Vec<String>,
    /// Its locale.
    pub locale: String,
}

/// `POST /content_snippets`: a new snippet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NewContentSnippet {
    /// Title.
    pub title: String,
    /// The body in Markdown (sent as `body_markdown`).
    pub body_markdown: String,
    /// Its locale (`None`: Intercom's default, `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `PUT /content_snippets/{id}`: what changes (absent fields stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContentSnippetChanges {
    /// New title (a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New body in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    /// New locale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}
