//! `ApiError`: everything that can go wrong on one Intercom call, with what was being done, where
//! (method, path, status, Intercom code and request id) and what to do about it. Variants are
//! chosen from the HTTP status and Intercom's error `code`, never from the message text.

use std::fmt;

use serde::Deserialize;

/// The call an error belongs to: what was being done and the HTTP request that did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallInfo {
    /// What was being done, naming the resource: `list tags`, `create tag["VIP"]`.
    pub what: String,
    /// HTTP method.
    pub method: String,
    /// Path below the base URL (no query string).
    pub path: String,
}

impl fmt::Display for CallInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.what, self.method, self.path)
    }
}

/// An error answer from Intercom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The call.
    pub call: CallInfo,
    /// HTTP status.
    pub status: u16,
    /// Intercom's error code (`errors[0].code`), when the body had one.
    pub code: Option<String>,
    /// Intercom's message (`errors[0].message`), for people only.
    pub message: Option<String>,
    /// The field Intercom named (`errors[0].field`), if any.
    pub field: Option<String>,
    /// Intercom's request id (`x-request-id` header or `request_id` in the body).
    pub request_id: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Intercom answered {}", self.call, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection could be made; the request was not sent.
    Connect,
    /// No complete answer within the per-request timeout.
    Timeout,
    /// The connection failed after the request may have been sent (reset, truncated body).
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Other => "the connection failed",
        })
    }
}

/// A failed Intercom call.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: the token is wrong, expired or revoked.
    #[error("{0}\n  help: the access token was refused; check INTERCOM_ACCESS_TOKEN")]
    Unauthorized(Box<Rejection>),

    /// 403 `api_plan_restricted`: the feature is not available to this workspace at all.
    #[error(
        "{0}\n  help: this API feature is not enabled for the workspace, so no request will \
         succeed; ask Intercom to enable it, or stop managing this kind"
    )]
    PlanRestricted(Box<Rejection>),

    /// 403 (other codes), or 401 `token_unauthorized`: the token or its teammate lacks a
    /// permission or OAuth scope.
    #[error(
        "{0}\n  help: the token may not do this; grant the app the needed permission or OAuth \
         scope in the Developer Hub"
    )]
    Forbidden(Box<Rejection>),

    /// 404: the object (or route) does not exist.
    #[error(
        "{0}\n  help: the object no longer exists in Intercom; run `plan` again to refresh the live state"
    )]
    NotFound(Box<Rejection>),

    /// 404 on `POST /events`: no contact matches the event's identifier. Not retried.
    #[error(
        "{0}\n  help: no contact matches the event's user_id, email or id; create the contact first or fix the identifier"
    )]
    UnknownUser(Box<Rejection>),

    /// 409 `conflict`: another request changed the object at the same time. Re-read it, then
    /// retry the change.
    #[error(
        "{0}\n  help: another request changed this object at the same time; read it again and \
         retry (run `plan` and `apply` again)"
    )]
    Conflict(Box<Rejection>),

    /// 400 `intercom_version_invalid`: the endpoint does not exist in the pinned API version.
    #[error(
        "{0}\n  help: this endpoint is not available in the API version this tool pins for this workspace"
    )]
    VersionUnsupported(Box<Rejection>),

    /// 429 on every attempt, even after waiting out rate-limit windows for the client's
    /// `rate_limit_patience`.
    #[error(
        "{0}\n  help: the rate limit stayed exhausted; another app may share this workspace's limit, try again later"
    )]
    RateLimited(Box<Rejection>),

    /// 408 or 5xx on every attempt.
    #[error(
        "{0}\n  help: Intercom failed to answer this call; try again later, and quote the request id if you contact Intercom"
    )]
    Server(Box<Rejection>),

    /// Any other error status (400, 422, …): Intercom refused the request as sent.
    #[error("{0}\n  help: Intercom refused the values sent; fix them in the configuration")]
    Rejected(Box<Rejection>),

    /// No HTTP answer: connection refused or reset, or timed out, on every attempt.
    #[error(
        "{call}: {kind} after {attempts} attempt(s): {detail}\n  help: check the network and the target URL, then try again"
    )]
    Transport {
        /// The call.
        call: Box<CallInfo>,
        /// What went wrong.
        kind: TransportKind,
        /// How many times the request was sent.
        attempts: u32,
        /// The underlying error, rendered (it names the URL, never headers).
        detail: String,
    },

    /// A success status with a body that is not the expected JSON.
    #[error(
        "{call}: Intercom answered {status} with a body that could not be read: {reason}{}\n  \
         help: the target may not be the Intercom API (a proxy or an HTML error page?); check the endpoint",
        snippet.as_deref().map(|s| format!("; body starts: {s}")).unwrap_or_default()
    )]
    Decode {
        /// The call.
        call: Box<CallInfo>,
        /// HTTP status.
        status: u16,
        /// Why parsing failed: content type, JSON error, truncation.
        reason: String,
        /// The first characters of the body, token redacted.
        snippet: Option<String>,
    },

    /// The request was not sent: a value cannot be put on the wire (e.g. a non-numeric admin id).
    #[error("{call}: not sent: {reason}\n  help: fix the value in the configuration")]
    NotSent {
        /// The call.
        call: Box<CallInfo>,
        /// What is wrong.
        reason: String,
    },

    /// The body was larger than the configured cap.
    #[error(
        "{call}: the response body is larger than {limit} bytes\n  help: the target may not be the Intercom API; check the endpoint"
    )]
    TooLarge {
        /// The call.
        call: Box<CallInfo>,
        /// The cap in bytes.
        limit: usize,
    },
}

impl ApiError {
    /// The call this error belongs to.
    pub fn call(&self) -> &CallInfo {
        match self {
            ApiError::Transport { call, .. }
            | ApiError::Decode { call, .. }
            | ApiError::NotSent { call, .. }
            | ApiError::TooLarge { call, .. } => call,
            ApiError::Unauthorized(r)
            | ApiError::PlanRestricted(r)
            | ApiError::Forbidden(r)
            | ApiError::NotFound(r)
            | ApiError::UnknownUser(r)
            | ApiError::Conflict(r)
            | ApiError::VersionUnsupported(r)
            | ApiError::RateLimited(r)
            | ApiError::Server(r)
            | ApiError::Rejected(r) => &r.call,
        }
    }

    /// The Intercom error answer, for errors that have one.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            ApiError::Unauthorized(r)
            | ApiError::PlanRestricted(r)
            | ApiError::Forbidden(r)
            | ApiError::NotFound(r)
            | ApiError::UnknownUser(r)
            | ApiError::Conflict(r)
            | ApiError::VersionUnsupported(r)
            | ApiError::RateLimited(r)
            | ApiError::Server(r)
            | ApiError::Rejected(r) => Some(r),
            ApiError::Transport { .. }
            | ApiError::Decode { .. }
            | ApiError::NotSent { .. }
            | ApiError::TooLarge { .. } => None,
        }
    }

    /// The HTTP status, when Intercom answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Decode { status, .. } => Some(*status),
            other => other.rejection().map(|r| r.status),
        }
    }

    /// Intercom's error code, when the body had one.
    pub fn code(&self) -> Option<&str> {
        self.rejection().and_then(|r| r.code.as_deref())
    }

    /// Intercom's request id, when known.
    pub fn request_id(&self) -> Option<&str> {
        self.rejection().and_then(|r| r.request_id.as_deref())
    }

    /// Whether the request may have been applied even though no success was seen (timeout,
    /// reset connection, 408, 500, 502, 503, 504). Safe calls are retried on these; a create
    /// must read back before it is sent again.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            // 501, 505 and the like say the request cannot work at all; not worth a retry.
            ApiError::Server(r) => matches!(r.status, 408 | 500 | 502 | 503 | 504),
            ApiError::Transport { kind, .. } => *kind != TransportKind::Connect,
            _ => false,
        }
    }

    /// Builds the variant for an error answer from its status and code.
    pub(crate) fn from_rejection(r: Rejection) -> ApiError {
        let r = Box::new(r);
        match (r.status, r.code.as_deref()) {
            // A valid token without the permission for this call (Intercom answers 401
            // `token_unauthorized` then, not 403): a missing scope, not a bad token.
            (401, Some("token_unauthorized")) => ApiError::Forbidden(r),
            (401, _) => ApiError::Unauthorized(r),
            (403, Some("api_plan_restricted")) => ApiError::PlanRestricted(r),
            (403, _) => ApiError::Forbidden(r),
            (404, _) => ApiError::NotFound(r),
            (409, _) => ApiError::Conflict(r),
            (400, Some("intercom_version_invalid")) => ApiError::VersionUnsupported(r),
            (429, _) => ApiError::RateLimited(r),
            (408, _) | (500..=599, _) => ApiError::Server(r),
            _ => ApiError::Rejected(r),
        }
    }
}

/// Intercom's error envelope: `{type: "error.list", request_id, errors: [{code, message, field}]}`.
/// Every field is optional so that odd bodies still give a status-based error.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorItem>,
}

/// One entry of `errors`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorItem {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
}

impl ErrorBody {
    /// Parses an error body leniently: anything that is not the envelope gives an empty one.
    pub(crate) fn parse(bytes: &[u8]) -> ErrorBody {
        // Some answers use a single `error` object or put `code` at the top level.
        #[derive(Deserialize)]
        struct Loose {
            #[serde(default)]
            request_id: Option<String>,
            #[serde(default)]
            errors: Option<Vec<ErrorItem>>,
            #[serde(default)]
            code: Option<String>,
            #[serde(default)]
            message: Option<String>,
        }
        match serde_json::from_slice::<Loose>(bytes) {
            Ok(l) => ErrorBody {
                request_id: l.request_id,
                errors: match l.errors {
                    Some(e) => e,
                    None if l.code.is_some() || l.message.is_some() => vec![ErrorItem {
                        code: l.code,
                        message: l.message,
                        field: None,
                    }],
                    None => Vec::new(),
                },
            },
            Err(_) => ErrorBody::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> CallInfo {
        CallInfo {
            what: "create tag[\"VIP\"]".into(),
            method: "POST".into(),
            path: "/tags".into(),
        }
    }

    fn rejection(status: u16, body: &str) -> ApiError {
        let b = ErrorBody::parse(body.as_bytes());
        let first = b.errors.into_iter().next().unwrap_or_default();
        ApiError::from_rejection(Rejection {
            call: call(),
            status,
            code: first.code,
            message: first.message,
            field: first.field,
            request_id: b.request_id,
            attempts: 1,
        })
    }

    #[test]
    fn parses_the_error_envelope() {
        let b = ErrorBody::parse(
            br#"{"type":"error.list","request_id":"req-1","errors":[{"code":"parameter_invalid","message":"Name invalid","field":"name"}],"extra":1}"#,
        );
        assert_eq!(b.request_id.as_deref(), Some("req-1"));
        assert_eq!(b.errors[0].code.as_deref(), Some("parameter_invalid"));
        assert_eq!(b.errors[0].field.as_deref(), Some("name"));
        let null_id =
            ErrorBody::parse(br#"{"type":"error.list","request_id":null,"errors":[{"code":"x"}]}"#);
        assert_eq!(null_id.request_id, None);
        assert_eq!(null_id.errors[0].code.as_deref(), Some("x"));
        assert!(ErrorBody::parse(b"<html>502</html>").errors.is_empty());
        let flat = ErrorBody::parse(br#"{"code":"not_found","message":"nope"}"#);
        assert_eq!(flat.errors[0].code.as_deref(), Some("not_found"));
    }

    #[test]
    fn variants_follow_status_and_code_not_message() {
        let e = rejection(
            401,
            r#"{"errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}"#,
        );
        assert!(matches!(e, ApiError::Unauthorized(_)));
        let shown = e.to_string();
        assert!(shown.contains("check INTERCOM_ACCESS_TOKEN"), "{shown}");
        assert!(
            shown.contains("create tag[\"VIP\"] (POST /tags)"),
            "{shown}"
        );
        assert!(shown.contains("401 unauthorized"), "{shown}");

        let e = rejection(
            403,
            r#"{"errors":[{"code":"api_plan_restricted","message":"forbidden"}]}"#,
        );
        assert!(matches!(e, ApiError::PlanRestricted(_)));
        let e = rejection(
            403,
            r#"{"errors":[{"code":"forbidden","message":"api_plan_restricted"}]}"#,
        );
        assert!(matches!(e, ApiError::Forbidden(_)));
        let e = rejection(
            409,
            r#"{"errors":[{"code":"conflict","message":"partly applied"}]}"#,
        );
        assert!(matches!(e, ApiError::Conflict(_)));
        assert!(rejection(503, "<html>").is_ambiguous());
        assert!(rejection(408, "").is_ambiguous());
        let not_implemented = rejection(501, "");
        assert!(matches!(not_implemented, ApiError::Server(_)));
        assert!(!not_implemented.is_ambiguous());
        assert!(!rejection(422, "{}").is_ambiguous());
        let e = rejection(400, r#"{"errors":[{"code":"intercom_version_invalid"}]}"#);
        assert!(matches!(e, ApiError::VersionUnsupported(_)));
    }

    #[test]
    fn a_401_for_a_missing_permission_is_not_a_bad_token() {
        let e = rejection(
            401,
            r#"{"errors":[{"code":"token_unauthorized","message":"Not authorized to access resource"}]}"#,
        );
        assert!(matches!(e, ApiError::Forbidden(_)), "{e:?}");
        assert!(
            !e.to_string().contains("check INTERCOM_ACCESS_TOKEN"),
            "{e}"
        );
        let e = rejection(401, r#"{"errors":[{"code":"unauthorized"}]}"#);
        assert!(matches!(e, ApiError::Unauthorized(_)), "{e:?}");
    }

    #[test]
    fn display_names_request_id_and_field() {
        let e = rejection(
            400,
            r#"{"request_id":"abc-123","errors":[{"code":"parameter_invalid","message":"Name invalid","field":"name"}]}"#,
        );
        assert_eq!(e.request_id(), Some("abc-123"));
        assert_eq!(e.code(), Some("parameter_invalid"));
        assert_eq!(e.status(), Some(400));
        let shown = e.to_string();
        assert!(shown.contains("[request id abc-123]"), "{shown}");
        assert!(shown.contains("(field `name`)"), "{shown}");
        assert!(shown.contains("help:"), "{shown}");
    }

    #[test]
    fn transport_errors_tell_ambiguous_from_not_sent() {
        let connect = ApiError::Transport {
            call: Box::new(call()),
            kind: TransportKind::Connect,
            attempts: 6,
            detail: "refused".into(),
        };
        assert!(!connect.is_ambiguous());
        assert!(
            connect
                .to_string()
                .contains("could not connect after 6 attempt(s)")
        );
        let timeout = ApiError::Transport {
            call: Box::new(call()),
            kind: TransportKind::Timeout,
            attempts: 1,
            detail: "t".into(),
        };
        assert!(timeout.is_ambiguous());
        assert_eq!(timeout.call().path, "/tags");
    }
}
