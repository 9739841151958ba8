//! Help Center articles: the live article, and the requests that create and change one (the
//! payloads of `Op::CreateArticle` and `Op::UpdateArticle`, sent by the client as they are).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::change::CollectionRef;
use super::{ArticleContent, ArticleTranslation, Translations};

/// Whether an article is live in the help center.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ArticleState {
    /// Visible in the help center.
    Published,
    /// Not visible.
    Draft,
}

impl ArticleState {
    /// The wire and configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleState::Published => "published",
            ArticleState::Draft => "draft",
        }
    }
}

/// A Help Center article (default locale).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Intercom id.
    pub id: String,
    /// Title (its name within its collection).
    pub title: String,
    /// Description (`None` or empty: none).
    pub description: Option<String>,
    /// The body in HTML, as Intercom keeps it.
    pub body: String,
    /// The body in Markdown, when it was written so (`None`: written in Intercom's editor).
    pub body_markdown: Option<String>,
    /// The author's admin id.
    pub author_id: String,
    /// Published or draft (`None`: a state this tool does not know).
    pub state: Option<ArticleState>,
    /// The collection it sits in (`None`: it stands alone).
    pub parent_id: Option<String>,
    /// Its collection's path of names (`Billing/Invoices`), when the collection was read;
    /// `None` when it stands alone or its collection is unknown.
    pub collection: Option<String>,
    /// Its natural key: the collection's path and the title joined by `/`
    /// (`Billing/Invoices/How to pay`), or the title alone when it stands alone.
    pub key: String,
    /// Its help center's default locale, when Intercom says (multilingual help centers).
    #[serde(default)]
    pub default_locale: Option<String>,
    /// Its content in the other locales.
    #[serde(default)]
    pub translations: Translations<ArticleTranslation>,
    /// Its URL in the help center (`…/en/articles/<id>-<slug of the title>`), when Intercom
    /// gives one: links between articles point there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Article {
    /// The natural key of an article titled `title` in the collection at `collection`.
    pub fn key_of(collection: Option<&str>, title: &str) -> String {
        match collection {
            Some(c) if !c.is_empty() => format!("{c}/{title}"),
            _ => title.to_string(),
        }
    }

    /// Its URL in `locale` (`None`: its own): the translation's `url`, else derived from its
    /// own URL as Intercom builds them (`…/<locale>/articles/<id>-<slug of the translated
    /// title>`). `None` when it has no URL or no content in that locale.
    pub fn url_in(&self, locale: Option<&str>) -> Option<String> {
        let Some(locale) = locale else {
            return self.url.clone();
        };
        let t = self.translations.get(locale)?;
        if let Some(url) = &t.url {
            return Some(url.clone());
        }
        let own = self.url.as_deref()?;
        let at = own.rfind("/articles/")?;
        let prefix = own[..at].rsplit_once('/').map_or(&own[..at], |(p, _)| p);
        Some(format!(
            "{prefix}/{locale}/articles/{}-{}",
            self.id,
            url_slug(&t.title)
        ))
    }
}

/// The slug of a title in a help center URL: lower case, runs of other characters than
/// letters and digits as one `-`.
fn url_slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// `POST /articles`: a new article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NewArticle {
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The body in Markdown (sent as `body_markdown`).
    pub body_markdown: String,
    /// The author's admin id.
    pub author_id: String,
    /// Published or draft.
    pub state: ArticleState,
    /// Its collection (`None`: it stands alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CollectionRef>,
    /// Its collection's path, for messages and the read-back after an ambiguous failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    /// Its content in other locales than the default one (sent as `translated_content`).
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub translated_content: Translations<ArticleContent>,
}

/// `PUT /articles/{id}`: what changes (absent fields stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleChanges {
    /// New title (a rename).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New body in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    /// New author's admin id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// Publish or unpublish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ArticleState>,
    /// New collection (a move).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CollectionRef>,
    /// The locales whose content changes, each with its whole content.
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub translated_content: Translations<ArticleContent>,
}

impl ArticleChanges {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == ArticleChanges::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArticleTranslation;

    #[test]
    fn a_translations_url_is_its_own_else_derived_from_the_articles() {
        let fr = ArticleTranslation {
            title: "Changer de forfait !".into(),
            description: None,
            body: String::new(),
            body_markdown: None,
            author_id: "1".into(),
            state: None,
            url: None,
        };
        let mut a = Article {
            id: "7".into(),
            title: "Change your plan".into(),
            description: None,
            body: String::new(),
            body_markdown: None,
            author_id: "1".into(),
            state: None,
            parent_id: None,
            collection: None,
            key: "Change your plan".into(),
            default_locale: Some("en".into()),
            translations: Translations::from([("fr".to_string(), fr)]),
            url: Some("https://intercom.help/acme/en/articles/7-change-your-plan".into()),
        };
        assert_eq!(a.url_in(None), a.url);
        assert_eq!(
            a.url_in(Some("fr")).as_deref(),
            Some("https://intercom.help/acme/fr/articles/7-changer-de-forfait")
        );
        assert_eq!(a.url_in(Some("de")), None);
        if let Some(t) = a.translations.get_mut("fr") {
            t.url = Some("https://x.test/fr/articles/7-given".into());
        }
        assert_eq!(
            a.url_in(Some("fr")).as_deref(),
            Some("https://x.test/fr/articles/7-given")
        );
    }
}
