//! What a real workspace refuses and the default sandbox allows: scopes the token lacks
//! (`--deny-scope`), features the workspace's plan does not include (`--restrict`), and
//! membership writes that lose a race with another request (`--team-conflicts`).
//!
//! - A denied scope answers every endpoint of its family with 401 `token_unauthorized` "Not
//!   authorized to access resource": what Intercom sends a token whose app lacks the
//!   permission (raw answers in intercom-node#78, intercom-php#189 and #257; Intercom support:
//!   "a token_unauthorized error will be returned"), and the only error status the 2.16
//!   description documents on these endpoints besides the invalid-token 401. Unlike an invalid
//!   token, the answer carries the rate-limit headers (the token itself is valid). Macros
//!   are the exception: their description documents 403 `forbidden` "You do not have the
//!   required scope (read_conversations) to access this resource", so that is their answer.
//! - `team-membership` answers Preview's `PUT /teams/{id}` with the description's 403
//!   `api_plan_restricted`, before looking at the request ("no request will succeed").
//! - A team conflict answers a membership write that would have succeeded with the
//!   description's 409 `conflict` (the "declined, unchanged, send again" case), N times.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::{Method, StatusCode};

use super::SandboxError;
use super::routes::ApiError;

/// A family of endpoints a token may lack the permission for (`--deny-scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenScope {
    /// `/admins…`.
    Admins,
    /// `/teams…`.
    Teams,
    /// `/away_status_reasons`.
    AwayStatusReasons,
    /// `/data_attributes…` (contact and company attributes share the endpoint).
    DataAttributes,
    /// `/conversations/attributes…`.
    ConversationAttributes,
    /// `/tags…`.
    Tags,
    /// `/segments…`.
    Segments,
    /// `/audiences…`.
    Audiences,
    /// `/office_hours_schedules…` (Intercom: the `read_write_office_hours` OAuth scope).
    OfficeHours,
    /// `/brands…`.
    Brands,
    /// `/macros…` (Intercom: the `read_conversations` OAuth scope; refused with 403
    /// `forbidden`, as the description documents for these endpoints).
    Macros,
    /// `/subscription_types`.
    SubscriptionTypes,
    /// `/contacts`.
    Contacts,
    /// `/events`.
    Events,
    /// `/ip_allowlist` (Intercom: the `manage_ip_allowlist` OAuth scope).
    IpAllowlist,
    /// `/ticket_types…` (no OAuth scope of its own is documented).
    TicketTypes,
    /// `/admins/activity_logs…` (a narrower family than `admins`).
    ActivityLogs,
    /// `/internal_articles…`.
    InternalArticles,
    /// `/content_snippets…` (Intercom: the `read_write_content_snippets` OAuth scope).
    ContentSnippets,
}

impl TokenScope {
    /// Every scope, with its name and the path prefix of its endpoints.
    const ALL: [(TokenScope, &'static str, &'static str); 19] = [
        (TokenScope::Admins, "admins", "/admins"),
        (TokenScope::Teams, "teams", "/teams"),
        (
            TokenScope::AwayStatusReasons,
            "away_status_reasons",
            "/away_status_reasons",
        ),
        (
            TokenScope::DataAttributes,
            "data_attributes",
            "/data_attributes",
        ),
        (
            TokenScope::ConversationAttributes,
            "conversation_attributes",
            "/conversations/attributes",
        ),
        (TokenScope::Tags, "tags", "/tags"),
        (TokenScope::Segments, "segments", "/segments"),
        (TokenScope::Audiences, "audiences", "/audiences"),
        (
            TokenScope::OfficeHours,
            "office_hours",
            "/office_hours_schedules",
        ),
        (TokenScope::Brands, "brands", "/brands"),
        (TokenScope::Macros, "macros", "/macros"),
        (
            TokenScope::SubscriptionTypes,
            "subscription_types",
            "/subscription_types",
        ),
        (TokenScope::Contacts, "contacts", "/contacts"),
        (TokenScope::Events, "events", "/events"),
        (TokenScope::IpAllowlist, "ip_allowlist", "/ip_allowlist"),
        (TokenScope::TicketTypes, "ticket_types", "/ticket_types"),
        (
            TokenScope::ActivityLogs,
            "activity_logs",
            "/admins/activity_logs",
        ),
        (
            TokenScope::InternalArticles,
            "internal_articles",
            "/internal_articles",
        ),
        (
            TokenScope::ContentSnippets,
            "content_snippets",
            "/content_snippets",
        ),
    ];

    fn entry(self) -> (TokenScope, &'static str, &'static str) {
        TokenScope::ALL
            .into_iter()
            .find(|(s, _, _)| *s == self)
            .expect("every scope is listed in TokenScope::ALL")
    }

    /// Whether the route template (`/teams/{id}`) is one of this scope's endpoints.
    fn covers(self, template: &str) -> bool {
        let (_, _, prefix) = self.entry();
        template
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The accepted names, for help texts.
    pub fn names() -> String {
        let mut names: Vec<&str> = TokenScope::ALL.iter().map(|(_, n, _)| *n).collect();
        names.extend(["contact_attributes", "company_attributes"]);
        names.join(", ")
    }
}

impl FromStr for TokenScope {
    type Err = SandboxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The tool's kind names for data attributes name the one endpoint they share.
        if s == "contact_attributes" || s == "company_attributes" {
            return Ok(TokenScope::DataAttributes);
        }
        TokenScope::ALL
            .into_iter()
            .find(|(_, name, _)| *name == s)
            .map(|(scope, _, _)| scope)
            .ok_or_else(|| SandboxError::UnknownScope(s.to_string()))
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.entry().1)
    }
}

/// A feature the workspace's plan may not include (`--restrict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Restriction {
    /// Preview's `PUT /teams/{id}` (team membership and priority levels).
    TeamMembership,
}

impl FromStr for Restriction {
    type Err = SandboxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "team-membership" => Ok(Restriction::TeamMembership),
            other => Err(SandboxError::UnknownRestriction(other.to_string())),
        }
    }
}

impl fmt::Display for Restriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Restriction::TeamMembership => "team-membership",
        })
    }
}

/// The refusal, if any, that `method template` gets before its handler runs: a denied scope
/// (401) or a restricted feature (403).
pub(crate) fn refusal(
    denied: &BTreeSet<TokenScope>,
    restricted: &BTreeSet<Restriction>,
    method: &Method,
    template: &str,
) -> Option<ApiError> {
    if denied.contains(&TokenScope::Macros) && TokenScope::Macros.covers(template) {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "You do not have the required scope (read_conversations) to access this resource",
        ));
    }
    if denied.iter().any(|s| s.covers(template)) {
        return Some(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "token_unauthorized",
            "Not authorized to access resource",
        ));
    }
    if restricted.contains(&Restriction::TeamMembership)
        && method == Method::PUT
        && template == "/teams/{id}"
    {
        return Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "api_plan_restricted",
            "Updating team memberships via the API is not available for this workspace",
        ));
    }
    None
}

/// How many more membership writes get a 409 (`--team-conflicts`); reset with the sandbox.
#[derive(Debug)]
pub(crate) struct Conflicts {
    initial: u32,
    left: AtomicU32,
}

impl Conflicts {
    /// `n` conflicts to come.
    pub fn new(n: u32) -> Conflicts {
        Conflicts {
            initial: n,
            left: AtomicU32::new(n),
        }
    }

    /// Uses up one conflict: the 409 to answer, or `None` when none are left.
    pub fn take(&self) -> Option<ApiError> {
        self.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .ok()
            .map(|_| {
                ApiError::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    "The members of this team are being changed by another request. Try again.",
                )
            })
    }

    /// Back to the configured number.
    pub fn reset(&self) {
        self.left.store(self.initial, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_names_parse_and_cover_their_endpoints_only() {
        for (scope, name, _) in TokenScope::ALL {
            assert_eq!(name.parse::<TokenScope>().unwrap(), scope);
            assert_eq!(scope.to_string(), name);
        }
        assert_eq!(
            "company_attributes".parse::<TokenScope>().unwrap(),
            TokenScope::DataAttributes
        );
        assert!("office_hour".parse::<TokenScope>().is_err());

        let denied: BTreeSet<TokenScope> = [TokenScope::OfficeHours, TokenScope::Tags].into();
        let none = BTreeSet::new();
        let refused = |template: &str| refusal(&denied, &none, &Method::GET, template).is_some();
        assert!(refused("/office_hours_schedules"));
        assert!(refused(
            "/office_hours_schedules/{id}/office_hours_exceptions/{exception_id}"
        ));
        assert!(refused("/tags/{id}"));
        assert!(!refused("/teams"));
        assert!(!refused("/me"));
        assert!(!refused("/tagsx"));
    }

    #[test]
    fn team_membership_restriction_refuses_only_the_write() {
        let restricted: BTreeSet<Restriction> = ["team-membership".parse().unwrap()].into();
        let none = BTreeSet::new();
        assert!(refusal(&none, &restricted, &Method::PUT, "/teams/{id}").is_some());
        assert!(refusal(&none, &restricted, &Method::GET, "/teams/{id}").is_none());
        assert!(refusal(&none, &BTreeSet::new(), &Method::PUT, "/teams/{id}").is_none());
        assert!("teams".parse::<Restriction>().is_err());
    }

    #[test]
    fn conflicts_run_out_and_reset() {
        let c = Conflicts::new(2);
        assert!(c.take().is_some());
        assert!(c.take().is_some());
        assert!(c.take().is_none());
        c.reset();
        assert!(c.take().is_some());
        assert!(Conflicts::new(0).take().is_none());
    }
}
