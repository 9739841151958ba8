//! The HTTP core: one `Client` (cheap to clone, shared state behind an `Arc`) that sends every
//! request with the right headers, through the shared rate limiter, with bounded retries, a
//! per-request timeout and a size cap on bodies; and that logs each call without secrets.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::backoff::Backoff;
use super::error::{ApiError, CallInfo, ErrorBody, Rejection, TransportKind};
use super::limiter::{RateInfo, RateLimiter};
pub(crate) use super::request::{ApiVersion, Idempotency, Reply, Request};
use super::target::{Target, TargetError, same_origin};
use super::token::Token;
use super::wire;
use crate::model::Me;

/// The API version pinned on every call but one.
pub const API_VERSION: &str = "2.16";
/// The version sent on `PUT /teams/{id}`, which exists only in Preview.
pub const PREVIEW_VERSION: &str = "Preview";

/// Tuning knobs; the defaults suit Intercom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Longest wait for one complete answer (headers and body).
    pub timeout: Duration,
    /// Longest wait for a connection.
    pub connect_timeout: Duration,
    /// Most times one request is sent after failures other than 429 (first try included).
    pub max_attempts: u32,
    /// How long one request keeps waiting out 429s. A 429 was not processed and the rate
    /// limiter holds the retry until the window resets, so 429s do not use up `max_attempts`:
    /// another app sharing the workspace's limit can cause many in a row.
    pub rate_limit_patience: Duration,
    /// Largest response body accepted.
    pub max_body_bytes: usize,
    /// Length of a rate-limit window; caps every rate-limit wait (Intercom uses 10 s).
    pub rate_window: Duration,
    /// Backoff ceiling after the first failure (doubles each attempt).
    pub backoff_base: Duration,
    /// Backoff ceiling for any attempt.
    pub backoff_max: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_attempts: 6,
            rate_limit_patience: Duration::from_secs(300),
            max_body_bytes: 32 * 1024 * 1024,
            rate_window: Duration::from_secs(10),
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(8),
        }
    }
}

/// Why a client could not be built. Nothing has been sent when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The target is unusable or would expose the token.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// The token is empty.
    #[error(
        "the access token is empty\n  help: set INTERCOM_ACCESS_TOKEN to the workspace's access token"
    )]
    EmptyToken,
    /// The token has characters that cannot go in an HTTP header (the value is not shown).
    #[error(
        "the access token contains characters that cannot be sent in an HTTP header\n  help: check INTERCOM_ACCESS_TOKEN for stray quotes, spaces or newlines"
    )]
    MalformedToken,
    /// The HTTP client could not be set up (TLS roots, resolver).
    #[error("cannot set up the HTTP client: {0}")]
    Http(String),
}

/// How many requests a client has sent (every attempt counts), for tests and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// All requests.
    pub total: u64,
    /// Requests per HTTP method (`GET`, `POST`, …).
    pub by_method: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
struct Counter {
    total: AtomicU64,
    by_method: Mutex<BTreeMap<String, u64>>,
}

impl Counter {
    fn record(&self, method: &Method) {
        self.total.fetch_add(1, Ordering::Relaxed);
        let mut m = self
            .by_method
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *m.entry(method.as_str().to_string()).or_default() += 1;
    }

    fn snapshot(&self) -> RequestCounts {
        let by_method = self
            .by_method
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        RequestCounts {
            total: self.total.load(Ordering::Relaxed),
            by_method,
        }
    }
}

/// An Intercom REST client. Clones share the connection pool, the rate limiter, the request
/// counters and the cached `GET /me`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    /// Kept so error snippets can be redacted; never printed.
    token: Token,
    /// `Bearer …`, marked sensitive.
    authorization: HeaderValue,
    limiter: RateLimiter,
    counter: Counter,
    options: ClientOptions,
    me: Mutex<Option<Me>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("token", &self.inner.token)
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

fn local_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Client {
    /// A client for `target` with default options. Refuses plain HTTP to a non-loopback host
    /// before anything is sent.
    pub fn new(target: &Target, token: Token) -> Result<Client, ClientError> {
        Client::with_options(target, token, ClientOptions::default())
    }

    /// A client with explicit options.
    pub fn with_options(
        target: &Target,
        token: Token,
        options: ClientOptions,
    ) -> Result<Client, ClientError> {
        let base = target.base_url()?;
        if token.is_blank() {
            return Err(ClientError::EmptyToken);
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .map_err(|_| ClientError::MalformedToken)?;
        authorization.set_sensitive(true);

        let mut defaults = HeaderMap::new();
        defaults.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(concat!("intercom-iac/", env!("CARGO_PKG_VERSION")))
            .default_headers(defaults)
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            // A redirect could carry the token elsewhere; Intercom's API does not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::Http(e.to_string()))?;
        let options = ClientOptions {
            max_attempts: options.max_attempts.max(1),
            ..options
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                token,
                authorization,
                limiter: RateLimiter::new(options.rate_window),
                counter: Counter::default(),
                options,
                me: Mutex::new(None),
            }),
        })
    }

    /// The checked base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The options in use.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// How many requests this client and its clones have sent (every attempt counts).
    pub fn request_counts(&self) -> RequestCounts {
        self.inner.counter.snapshot()
    }

    /// `GET /me`: the token's admin and workspace. The answer is cached for `fetch_live`.
    pub async fn me(&self) -> Result<Me, ApiError> {
        let req = Request::new(Method::GET, "/me", "read the token's workspace");
        let me: wire::Me = self.get_json(&req).await?;
        let me = Me::from(me);
        *self
            .inner
            .me
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(me.clone());
        Ok(me)
    }

    /// The `GET /me` answer from an earlier call, if any.
    pub fn cached_me(&self) -> Option<Me> {
        self.inner
            .me
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn backoff(&self) -> Backoff {
        Backoff {
            base: self.inner.options.backoff_base,
            max: self.inner.options.backoff_max,
        }
    }

    /// The URL for a `pages.next` link, if it points at the same origin as the base URL (a
    /// token is never sent anywhere else).
    pub(crate) fn next_url(&self, link: &str) -> Option<Url> {
        let url = self.inner.base.join(link).ok()?;
        same_origin(&url, &self.inner.base).then_some(url)
    }

    /// Sends and decodes a JSON answer.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, req: &Request) -> Result<T, ApiError> {
        let reply = self.send(req).await?;
        self.decode(&reply)
    }

    /// Decodes a JSON body into `T`, or explains why it cannot.
    pub(crate) fn decode<T: DeserializeOwned>(&self, reply: &Reply) -> Result<T, ApiError> {
        let fail = |reason: String| ApiError::Decode {
            call: Box::new(reply.call.clone()),
            status: reply.status.as_u16(),
            reason,
            snippet: self.snippet(&reply.body),
        };
        if let Some(ct) = &reply.content_type
            && !ct.to_ascii_lowercase().contains("json")
        {
            return Err(fail(format!("expected JSON, got content type `{ct}`")));
        }
        if reply.body.iter().all(u8::is_ascii_whitespace) {
            return Err(fail("expected JSON, got an empty body".into()));
        }
        let mut de = serde_json::Deserializer::from_slice(&reply.body);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let reason = if inner.is_eof() {
                format!("the JSON is truncated ({inner})")
            } else if inner.is_syntax() {
                format!("invalid JSON: {inner}")
            } else if path.is_empty() || path == "." {
                format!("unexpected JSON: {inner}")
            } else {
                format!("unexpected JSON at `{path}`: {inner}")
            };
            fail(reason)
        })
    }

    /// The start of a body for an error message: one line, at most 160 characters, with the
    /// token removed in case a server echoed it.
    fn snippet(&self, body: &[u8]) -> Option<String> {
        let text = String::from_utf8_lossy(body);
        let line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(160)
            .collect();
        let line = self.inner.token.redact(line.trim());
        (!line.is_empty()).then_some(line)
    }

    /// Sends a request with retries: 429 (after the limiter's wait) for up to
    /// `rate_limit_patience`; refused connections always, timeouts, resets, 408 and 5xx only
    /// when the request is safe to repeat, for at most `max_attempts` sends. The last error is
    /// returned.
    pub(crate) async fn send(&self, req: &Request) -> Result<Reply, ApiError> {
        let max = self.inner.options.max_attempts;
        let mut ambiguous_before = false;
        // Every send, for messages; and the sends that count against `max_attempts`.
        let mut attempt = 0;
        let mut failures = 0;
        let mut rate_limited_since: Option<Instant> = None;
        loop {
            attempt += 1;
            let err = match self.send_once(req, attempt).await {
                Ok(reply) => return Ok(reply),
                Err(e) => e,
            };
            if req.gone_ok && ambiguous_before && matches!(err, ApiError::NotFound(_)) {
                // An earlier attempt deleted it but its answer was lost.
                return Ok(Reply {
                    status: StatusCode::NOT_FOUND,
                    body: Vec::new(),
                    content_type: None,
                    call: req.call_info(),
                });
            }
            if matches!(err, ApiError::RateLimited(_)) {
                // Not processed; the limiter holds every request until the window resets, so
                // retrying at once cannot spin.
                let since = *rate_limited_since.get_or_insert_with(Instant::now);
                if since.elapsed() < self.inner.options.rate_limit_patience {
                    continue;
                }
                return Err(with_attempts(err, attempt));
            }
            failures += 1;
            let retry = match &err {
                // Never reached the server.
                ApiError::Transport {
                    kind: TransportKind::Connect,
                    ..
                } => true,
                e if e.is_ambiguous() => req.idempotency == Idempotency::Safe,
                _ => false,
            };
            ambiguous_before |= err.is_ambiguous();
            if !retry || failures >= max {
                return Err(with_attempts(err, attempt));
            }
            let wait = self.backoff().delay(failures);
            tracing::debug!(
                method = %req.method,
                path = %req.call_info().path,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying after {}",
                short_reason(&err)
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// A create that must never run twice: send it once (retrying only answers that prove it
    /// was not processed); after an ambiguous failure, wait, call `recover` to look for the
    /// object by its natural key, return it if found, else send the create again. At most
    /// `max_attempts` rounds.
    pub(crate) async fn create<T, P, R, Fut>(
        &self,
        req: &Request,
        parse: P,
        recover: R,
    ) -> Result<T, ApiError>
    where
        P: Fn(&Reply) -> Result<T, ApiError>,
        R: Fn() -> Fut,
        Fut: Future<Output = Result<Option<T>, ApiError>>,
    {
        debug_assert_eq!(req.idempotency, Idempotency::Once);
        let max = self.inner.options.max_attempts;
        let mut round = 1;
        loop {
            let err = match self.send(req).await {
                Ok(reply) => return parse(&reply),
                Err(e) if e.is_ambiguous() => e,
                Err(e) => return Err(e),
            };
            tracing::debug!(
                what = %req.what,
                round,
                "create may or may not have been applied ({}); reading back before sending it again",
                short_reason(&err)
            );
            tokio::time::sleep(self.backoff().delay(round)).await;
            if let Some(found) = recover().await? {
                tracing::debug!(what = %req.what, "found the object created by the earlier attempt");
                return Ok(found);
            }
            if round >= max {
                return Err(err);
            }
            round += 1;
        }
    }

    async fn send_once(&self, req: &Request, attempt: u32) -> Result<Reply, ApiError> {
        let inner = &self.inner;
        let call = req.call_info();
        let url = match &req.url {
            Some(u) => u.clone(),
            None => self.url_for(&req.path),
        };
        let version = match req.version {
            ApiVersion::Stable => API_VERSION,
            ApiVersion::Preview => PREVIEW_VERSION,
        };
        let mut builder = inner
            .http
            .request(req.method.clone(), url)
            .header(header::AUTHORIZATION, inner.authorization.clone())
            .header("Intercom-Version", version);
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        if let Some(body) = &req.body {
            // `json()` also sets `Content-Type: application/json`.
            builder = builder.json(body);
            tracing::trace!(method = %req.method, path = %call.path, body = %body, "request body");
        }

        let permit = inner.limiter.acquire().await;
        inner.counter.record(&req.method);
        let started = Instant::now();
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                drop(permit);
                let kind = transport_kind(&e);
                tracing::debug!(
                    method = %req.method,
                    path = %call.path,
                    attempt,
                    duration_ms = started.elapsed().as_millis() as u64,
                    error = %kind,
                    "intercom call failed"
                );
                return Err(ApiError::Transport {
                    call: Box::new(call),
                    kind,
                    attempts: attempt,
                    detail: error_chain(&e),
                });
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let info = RateInfo::from_headers(&headers, local_unix(), inner.limiter.window_cap());
        permit.complete(info, status == StatusCode::TOO_MANY_REQUESTS);

        let header_request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = self.read_body(response, &call, attempt).await;
        let duration_ms = started.elapsed().as_millis() as u64;
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                tracing::debug!(
                    method = %req.method,
                    path = %call.path,
                    status = status.as_u16(),
                    request_id = header_request_id.as_deref().unwrap_or("-"),
                    attempt,
                    duration_ms,
                    "intercom call failed while reading the body"
                );
                return Err(e);
            }
        };

        let error_body = (!status.is_success()).then(|| ErrorBody::parse(&body));
        let request_id = header_request_id.or_else(|| {
            error_body
                .as_ref()
                .and_then(|b| b.request_id.clone())
                .or_else(|| body_request_id(&body))
        });
        tracing::debug!(
            method = %req.method,
            path = %call.path,
            status = status.as_u16(),
            request_id = request_id.as_deref().unwrap_or("-"),
            attempt,
            duration_ms,
            "intercom call"
        );
        tracing::trace!(
            method = %req.method,
            path = %call.path,
            body = %inner.token.redact(&String::from_utf8_lossy(&body)),
            "response body"
        );

        match error_body {
            None => Ok(Reply {
                status,
                body,
                content_type,
                call,
            }),
            Some(eb) => {
                let first = eb.errors.into_iter().next().unwrap_or_default();
                Err(ApiError::from_rejection(Rejection {
                    call,
                    status: status.as_u16(),
                    code: first.code,
                    message: first.message.map(|m| inner.token.redact(&m)),
                    field: first.field,
                    request_id,
                    attempts: attempt,
                }))
            }
        }
    }

    fn url_for(&self, path: &str) -> Url {
        let mut url = self.inner.base.clone();
        let joined = format!(
            "{}/{}",
            url.path().trim_end_matches('/'),
            path.trim_start_matches('/')
        );
        url.set_path(&joined);
        url
    }

    /// Reads a body up to the size cap.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        call: &CallInfo,
        attempt: u32,
    ) -> Result<Vec<u8>, ApiError> {
        let limit = self.inner.options.max_body_bytes;
        let too_large = || ApiError::TooLarge {
            call: Box::new(call.clone()),
            limit,
        };
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => {
                    let kind = match transport_kind(&e) {
                        TransportKind::Connect => TransportKind::Other,
                        k => k,
                    };
                    return Err(ApiError::Transport {
                        call: Box::new(call.clone()),
                        kind,
                        attempts: attempt,
                        detail: error_chain(&e),
                    });
                }
            }
        }
    }
}

/// `request_id` from a JSON body, when there is one.
fn body_request_id(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct WithId {
        request_id: Option<String>,
    }
    serde_json::from_slice::<WithId>(body)
        .ok()
        .and_then(|w| w.request_id)
}

fn transport_kind(e: &reqwest::Error) -> TransportKind {
    if e.is_timeout() {
        TransportKind::Timeout
    } else if e.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Other
    }
}

/// The error and its causes on one line (reqwest's own message is often just "error sending
/// request").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn short_reason(e: &ApiError) -> String {
    match e {
        ApiError::Transport { kind, .. } => kind.to_string(),
        other => match (other.status(), other.code()) {
            (Some(s), Some(c)) => format!("{s} {c}"),
            (Some(s), None) => s.to_string(),
            _ => "an error".into(),
        },
    }
}

fn with_attempts(mut err: ApiError, attempts: u32) -> ApiError {
    match &mut err {
        ApiError::Transport { attempts: a, .. } => *a = attempts,
        ApiError::Unauthorized(r)
        | ApiError::PlanRestricted(r)
        | ApiError::Forbidden(r)
        | ApiError::NotFound(r)
        | ApiError::UnknownUser(r)
        | ApiError::Conflict(r)
        | ApiError::VersionUnsupported(r)
        | ApiError::RateLimited(r)
        | ApiError::Server(r)
        | ApiError::Rejected(r) => r.attempts = attempts,
        ApiError::Decode { .. } | ApiError::NotSent { .. } | ApiError::TooLarge { .. } => {}
    }
    err
}
