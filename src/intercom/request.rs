//! One call before and after it is sent: the `Request` (method, path, query, body, version,
//! whether it may be repeated) that every read and write builds, and the `Reply` it gets.

use reqwest::{Method, StatusCode, Url};

use super::error::CallInfo;

/// Which `Intercom-Version` a call sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    Stable,
    Preview,
}

/// Whether a request may be sent again after an ambiguous failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// GET, PUT, DELETE, tag upsert: sending twice is the same as once.
    Safe,
    /// A create: after a timeout, reset or 5xx it must not be re-sent blindly.
    Once,
}

/// One request, before it is sent.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    /// A full URL to use instead of base + path (a `pages.next` link); same origin only.
    pub url: Option<Url>,
    pub body: Option<serde_json::Value>,
    pub what: String,
    pub version: ApiVersion,
    pub idempotency: Idempotency,
    /// A DELETE whose earlier attempt may have succeeded: a 404 then means "done".
    pub gone_ok: bool,
}

impl Request {
    /// A request with the defaults: stable version, no body, safe to repeat.
    pub fn new(method: Method, path: impl Into<String>, what: impl Into<String>) -> Self {
        let idempotency = Idempotency::Safe;
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            url: None,
            body: None,
            what: what.into(),
            version: ApiVersion::Stable,
            idempotency,
            gone_ok: false,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    /// Attaches a JSON body. Serialising our own wire structs cannot fail; if it somehow did,
    /// the request goes without a body and Intercom's 400 says so.
    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = serde_json::to_value(body).ok();
        self
    }

    /// Marks the request as a create that must not be re-sent blindly.
    pub fn once(mut self) -> Self {
        self.idempotency = Idempotency::Once;
        self
    }

    /// Sends `Intercom-Version: Preview`.
    pub fn preview(mut self) -> Self {
        self.version = ApiVersion::Preview;
        self
    }

    /// A DELETE: a 404 after an ambiguous earlier attempt means it is done.
    pub fn gone_ok(mut self) -> Self {
        self.gone_ok = true;
        self
    }

    /// What the request does, for errors.
    pub fn call_info(&self) -> CallInfo {
        CallInfo {
            what: self.what.clone(),
            method: self.method.as_str().to_string(),
            path: self
                .url
                .as_ref()
                .map_or_else(|| self.path.clone(), |u| u.path().to_string()),
        }
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub call: CallInfo,
}
