//! The one vocabulary of kinds, used by `prune`, `--only`, `ignore`, addresses and messages.

use std::fmt;
use std::str::FromStr;

/// A kind of object that a configuration can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Custom data attributes on contacts.
    ContactAttributes,
    /// Custom data attributes on companies.
    CompanyAttributes,
    /// Conversation attributes (2.16+).
    ConversationAttributes,
    /// Tags.
    Tags,
    /// Teams (membership only; teams cannot be created by API).
    Teams,
    /// Segments (read-only in Intercom).
    Segments,
    /// Audiences.
    Audiences,
    /// Office hours schedules.
    OfficeHours,
    /// Event definitions (documentation and contract only).
    Events,
    /// Brands (read-only in Intercom).
    Brands,
    /// Macros (read-only in Intercom).
    Macros,
    /// Subscription types (read-only in Intercom).
    SubscriptionTypes,
    /// Away status reasons (read-only in Intercom).
    AwayStatusReasons,
    /// Workspace security settings (IP allowlist, identity verification).
    Workspace,
    /// Help Center collections, keyed by their path of names (`Billing/Invoices`).
    HelpCenterCollections,
    /// Ticket types with their attributes (archived, never deleted).
    TicketTypes,
    /// Help Center articles, keyed by their collection's path and title
    /// (`Billing/Invoices/How to pay`).
    Articles,
    /// Internal articles (knowledge for teammates and AI), keyed by title.
    InternalArticles,
    /// Content snippets (knowledge for Fin and Copilot, 2.16+), keyed by title.
    ContentSnippets,
}

impl Kind {
    /// Every kind, in the order objects are planned and listed.
    pub const ALL: [Kind; 19] = [
        Kind::ContactAttributes,
        Kind::CompanyAttributes,
        Kind::ConversationAttributes,
        Kind::Tags,
        Kind::Teams,
        Kind::Segments,
        Kind::Audiences,
        Kind::OfficeHours,
        Kind::Events,
        Kind::Brands,
        Kind::Macros,
        Kind::SubscriptionTypes,
        Kind::AwayStatusReasons,
        Kind::Workspace,
        Kind::HelpCenterCollections,
        Kind::TicketTypes,
        Kind::Articles,
        Kind::InternalArticles,
        Kind::ContentSnippets,
    ];

    /// The plural name used in `prune`, `--only` and `ignore` (`contact_attributes`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::ContactAttributes => "contact_attributes",
            Kind::CompanyAttributes => "company_attributes",
            Kind::ConversationAttributes => "conversation_attributes",
            Kind::Tags => "tags",
            Kind::Teams => "teams",
            Kind::Segments => "segments",
            Kind::Audiences => "audiences",
            Kind::OfficeHours => "office_hours",
            Kind::Events => "events",
            Kind::Brands => "brands",
            Kind::Macros => "macros",
            Kind::SubscriptionTypes => "subscription_types",
            Kind::AwayStatusReasons => "away_status_reasons",
            Kind::Workspace => "workspace",
            Kind::HelpCenterCollections => "help_center_collections",
            Kind::TicketTypes => "ticket_types",
            Kind::Articles => "articles",
            Kind::InternalArticles => "internal_articles",
            Kind::ContentSnippets => "content_snippets",
        }
    }

    /// The singular name used in addresses (`contact_attribute["plan_tier"]`).
    pub fn singular(self) -> &'static str {
        match self {
            Kind::ContactAttributes => "contact_attribute",
            Kind::CompanyAttributes => "company_attribute",
            Kind::ConversationAttributes => "conversation_attribute",
            Kind::Tags => "tag",
            Kind::Teams => "team",
            Kind::Segments => "segment",
            Kind::Audiences => "audience",
            Kind::OfficeHours => "office_hours",
            Kind::Events => "event",
            Kind::Brands => "brand",
            Kind::Macros => "macro",
            Kind::SubscriptionTypes => "subscription_type",
            Kind::AwayStatusReasons => "away_status_reason",
            Kind::Workspace => "workspace",
            Kind::HelpCenterCollections => "help_center_collection",
            Kind::TicketTypes => "ticket_type",
            Kind::Articles => "article",
            Kind::InternalArticles => "internal_article",
            Kind::ContentSnippets => "content_snippet",
        }
    }

    /// What one object is called in prose (`contact attribute`, `office-hours schedule`).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::ContactAttributes => "contact attribute",
            Kind::CompanyAttributes => "company attribute",
            Kind::ConversationAttributes => "conversation attribute",
            Kind::Tags => "tag",
            Kind::Teams => "team",
            Kind::Segments => "segment",
            Kind::Audiences => "audience",
            Kind::OfficeHours => "office-hours schedule",
            Kind::Events => "event",
            Kind::Brands => "brand",
            Kind::Macros => "macro",
            Kind::SubscriptionTypes => "subscription type",
            Kind::AwayStatusReasons => "away status reason",
            Kind::Workspace => "workspace setting",
            Kind::HelpCenterCollections => "help center collection",
            Kind::TicketTypes => "ticket type",
            Kind::Articles => "article",
            Kind::InternalArticles => "internal article",
            Kind::ContentSnippets => "content snippet",
        }
    }

    /// The help an editor shows for the kind's name in `prune`, `ignore` and `--only`.
    pub fn description(self) -> &'static str {
        match self {
            Kind::ContactAttributes => "Custom contact attributes.",
            Kind::CompanyAttributes => "Custom company attributes.",
            Kind::ConversationAttributes => "Conversation attributes.",
            Kind::Tags => "Tags.",
            Kind::Teams => "Teams (not prunable: teams cannot be deleted through the API).",
            Kind::Segments => "Segments (not prunable: read-only).",
            Kind::Audiences => "Audiences.",
            Kind::OfficeHours => "Office-hours schedules.",
            Kind::Events => "Event definitions (not prunable: no API).",
            Kind::Brands => "Brands (not prunable: read-only).",
            Kind::Macros => "Macros (not prunable: read-only).",
            Kind::SubscriptionTypes => "Subscription types (not prunable: read-only).",
            Kind::AwayStatusReasons => "Away status reasons (not prunable: read-only).",
            Kind::Workspace => {
                "Workspace security settings: IP allowlist, identity verification (not prunable)."
            }
            Kind::HelpCenterCollections => {
                "Help Center collections (folders under `help_center/`), by path: `Billing/Invoices`."
            }
            Kind::TicketTypes => "Ticket types with their attributes (pruning archives them).",
            Kind::Articles => {
                "Help Center articles (Markdown files under `help_center/`), by collection path and title: `Billing/Invoices/How to pay`."
            }
            Kind::InternalArticles => {
                "Internal articles (Markdown files under `internal_articles/`), by title."
            }
            Kind::ContentSnippets => {
                "Content snippets (Markdown files under `content_snippets/`), by title."
            }
        }
    }

    /// Whether live objects of this kind that the configuration omits may be removed.
    pub fn is_prunable(self) -> bool {
        self.prune_refusal().is_none()
    }

    /// Why this kind cannot be pruned, or `None` when it can.
    pub fn prune_refusal(self) -> Option<&'static str> {
        match self {
            Kind::Teams => Some("teams cannot be deleted through the Intercom API"),
            Kind::Segments => Some("segments are read-only in the Intercom API"),
            Kind::Brands => Some("brands are read-only in the Intercom API"),
            Kind::Macros => Some("macros are read-only in the Intercom API"),
            Kind::SubscriptionTypes => Some("subscription types are read-only in the Intercom API"),
            Kind::AwayStatusReasons => {
                Some("away status reasons are read-only in the Intercom API")
            }
            Kind::Events => Some("event definitions cannot be archived through the Intercom API"),
            Kind::Workspace => Some("workspace settings are set, never removed"),
            _ => None,
        }
    }

    /// Whether names of this kind compare case-insensitively in Intercom.
    pub fn case_insensitive_names(self) -> bool {
        matches!(
            self,
            Kind::Tags | Kind::ContactAttributes | Kind::CompanyAttributes
        )
    }

    /// The comma-separated list of every plural name, for help messages.
    pub fn all_plural() -> String {
        Kind::ALL
            .iter()
            .map(|k| k.plural())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Looks a kind up by its singular name.
    pub fn from_singular(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.singular() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plural())
    }
}

/// A string that names no kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{found}`; expected one of: {}", Kind::all_plural())]
pub struct KindParseError {
    /// What was given.
    pub found: String,
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.plural())
    }
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Kind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "KindName".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let variants: Vec<serde_json::Value> = Kind::ALL
            .iter()
            .map(|k| {
                serde_json::json!({
                    "description": k.description(),
                    "type": "string",
                    "const": k.plural(),
                })
            })
            .collect();
        schemars::json_schema!({
            "description": "The kinds of object, by the plural name used in `prune`, `ignore` and `--only`.",
            "oneOf": variants,
        })
    }
}

impl FromStr for Kind {
    type Err = KindParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.plural() == s || k.singular() == s)
            .ok_or_else(|| KindParseError {
                found: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_singular_parse_back() {
        for k in Kind::ALL {
            assert_eq!(k.plural().parse::<Kind>(), Ok(k));
            assert_eq!(k.singular().parse::<Kind>(), Ok(k));
        }
        assert!("tagz".parse::<Kind>().is_err());
    }

    #[test]
    fn only_writable_kinds_are_prunable() {
        let prunable: Vec<_> = Kind::ALL.into_iter().filter(|k| k.is_prunable()).collect();
        assert_eq!(
            prunable,
            vec![
                Kind::ContactAttributes,
                Kind::CompanyAttributes,
                Kind::ConversationAttributes,
                Kind::Tags,
                Kind::Audiences,
                Kind::OfficeHours,
                Kind::HelpCenterCollections,
                Kind::TicketTypes,
                Kind::Articles,
                Kind::InternalArticles,
                Kind::ContentSnippets,
            ]
        );
    }
}
