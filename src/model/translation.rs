//! Help Center translations: the locales Intercom supports, an article's or a collection's
//! content in a locale other than its help center's default one (live), and what a create or
//! an update sends for one locale (Intercom's `translated_content`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ArticleState;

/// The locales Intercom's help centers support: the properties of `article_translated_content`
/// (and `group_translated_content`) in Intercom's OpenAPI description
/// (`openapi/intercom-2.16.yaml`, `components.schemas.article_translated_content`), in its
/// order. Keep it in step with that schema when the description is updated.
pub const SUPPORTED_LOCALES: &[&str] = &[
    "ar", "bg", "bs", "ca", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hr", "hu",
    "id", "it", "ja", "ko", "lt", "lv", "mn", "nb", "nl", "pl", "pt", "ro", "ru", "sl", "sr", "sv",
    "tr", "vi", "pt-BR", "zh-CN", "zh-TW",
];

/// The locale of a help center that does not say (single-language help centers return no
/// `default_locale`).
pub const FALLBACK_LOCALE: &str = "en";

/// Whether Intercom supports `locale` (exactly as spelled: `pt-BR`, not `pt-br`).
pub fn is_supported_locale(locale: &str) -> bool {
    SUPPORTED_LOCALES.contains(&locale)
}

/// Contents by locale, in locale order.
pub type Translations<T> = BTreeMap<String, T>;

/// An article's content in one locale other than its default one, as read (2.16
/// `article_content`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleTranslation {
    /// Title.
    pub title: String,
    /// Description (`None` or empty: none).
    pub description: Option<String>,
    /// The body in HTML.
    pub body: String,
    /// The body in Markdown, when it was written so.
    pub body_markdown: Option<String>,
    /// The author's admin id (empty: not said).
    pub author_id: String,
    /// Published or draft (`None`: not said, or a state this tool does not know).
    pub state: Option<ArticleState>,
    /// Its URL in the help center (`…/<locale>/articles/<id>-<slug of its title>`), when
    /// Intercom gives one (2.16 `article_content.url`): links to it point there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// What a create or an update sends for one locale of an article (`article_content`): the
/// whole content as declared, so that Intercom keeps exactly it whether it merges or replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleContent {
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The body in Markdown (sent as `body_markdown`).
    pub body_markdown: String,
    /// The author's admin id (`None`: not sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// Published or draft (`None`: not sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ArticleState>,
}

/// A collection's name and description in one locale (2.16 `group_content`), as read and as
/// sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GroupContent {
    /// Name.
    pub name: String,
    /// Description (`None`: none, or not sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_are_spelled_as_intercom_spells_them() {
        assert!(is_supported_locale("fr"));
        assert!(is_supported_locale("pt-BR"));
        assert!(!is_supported_locale("pt-br"));
        assert!(!is_supported_locale("fr-FR"));
        assert!(!is_supported_locale("type"));
    }

    #[test]
    fn the_list_is_the_properties_of_article_translated_content() {
        let spec = include_str!("../../openapi/intercom-2.16.yaml");
        let start = spec
            .find("    article_translated_content:\n")
            .expect("the schema is in the description");
        let properties = &spec[start..];
        let properties = &properties[properties.find("      properties:\n").unwrap()..];
        let mut found = Vec::new();
        for line in properties.lines().skip(1) {
            if !line.starts_with("        ") && !line.trim().is_empty() {
                break;
            }
            if let Some(name) = line.strip_prefix("        ")
                && !name.starts_with(' ')
                && let Some(name) = name.strip_suffix(':')
                && name != "type"
            {
                found.push(name.to_string());
            }
        }
        assert_eq!(found, SUPPORTED_LOCALES);
    }
}
