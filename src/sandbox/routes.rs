//! The HTTP surface: the route table, the layer every Intercom call goes through (auth, rate
//! limit, fault injection, version check, persistence), Intercom's error body, and the small
//! request helpers the endpoint modules share. Also the `/_sandbox/*` test hooks.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use super::conn::Connection;
use super::limits::{Fault, RateDecision};
use super::store::uuid_like;
use super::{
    Shared, activity_log, admins, attributes, audiences, brands, contacts, content_snippets,
    data_export, help_center, internal_articles, office_hours, permissions, references, security,
    seed, tags, ticket_types,
};

/// The handlers' shared state.
pub(crate) type AppState = Arc<Shared>;

/// What a handler returns.
pub(crate) type ApiResult = Result<Response, ApiError>;

/// How long an injected slow response takes: longer than any sensible client timeout.
const SLOW_FAULT: Duration = Duration::from_secs(35);

/// Builds the route table.
pub(crate) fn router(shared: AppState) -> Router {
    let api = Router::new()
        .route("/me", get(admins::me))
        .route("/admins", get(admins::list))
        .route("/admins/activity_logs", get(activity_log::list))
        .route("/admins/activity_logs/search", post(activity_log::search))
        .route(
            "/admins/activity_log_event_types",
            get(activity_log::event_types),
        )
        .route("/admins/{id}", get(admins::show))
        .route("/teams", get(admins::list_teams))
        .route(
            "/teams/{id}",
            get(admins::show_team).put(admins::update_team),
        )
        .route("/away_status_reasons", get(admins::away_status_reasons))
        .route(
            "/data_attributes",
            get(attributes::list_data).post(attributes::create_data),
        )
        .route("/data_attributes/{id}", put(attributes::update_data))
        .route(
            "/conversations/attributes",
            get(attributes::list_conversation).post(attributes::create_conversation),
        )
        .route(
            "/conversations/attributes/{id}",
            get(attributes::show_conversation)
                .put(attributes::update_conversation)
                .delete(attributes::archive_conversation),
        )
        .route(
            "/conversations/attributes/{id}/options",
            post(attributes::add_option),
        )
        .route(
            "/conversations/attributes/{id}/options/{option_id}",
            put(attributes::rename_option).delete(attributes::archive_option),
        )
        .route("/tags", get(tags::list).post(tags::create_or_rename))
        .route("/tags/{id}", get(tags::show).delete(tags::delete))
        .route("/segments", get(tags::list_segments))
        .route("/segments/{id}", get(tags::show_segment))
        .route("/audiences", get(audiences::list).post(audiences::create))
        .route(
            "/audiences/{id}",
            get(audiences::show)
                .put(audiences::update)
                .delete(audiences::delete),
        )
        .route(
            "/office_hours_schedules",
            get(office_hours::list).post(office_hours::create),
        )
        .route(
            "/office_hours_schedules/{id}",
            get(office_hours::show)
                .put(office_hours::update)
                .delete(office_hours::delete),
        )
        .route(
            "/office_hours_schedules/{id}/office_hours_exceptions",
            get(office_hours::list_exceptions).post(office_hours::create_exception),
        )
        .route(
            "/office_hours_schedules/{id}/office_hours_exceptions/{exception_id}",
            get(office_hours::show_exception)
                .put(office_hours::update_exception)
                .delete(office_hours::delete_exception),
        )
        .route("/brands", get(brands::list))
        .route("/brands/{id}", get(brands::show))
        .route("/macros", get(references::list_macros))
        .route("/macros/{id}", get(references::show_macro))
        .route(
            "/subscription_types",
            get(references::list_subscription_types),
        )
        .route(
            "/help_center/help_centers",
            get(help_center::list_help_centers),
        )
        .route(
            "/help_center/help_centers/{id}",
            get(help_center::show_help_center),
        )
        .route(
            "/help_center/collections",
            get(help_center::list_collections).post(help_center::create_collection),
        )
        .route(
            "/help_center/collections/{id}",
            get(help_center::show_collection)
                .put(help_center::update_collection)
                .delete(help_center::delete_collection),
        )
        .route(
            "/articles",
            get(help_center::list_articles).post(help_center::create_article),
        )
        .route(
            "/articles/{id}",
            get(help_center::show_article)
                .put(help_center::update_article)
                .delete(help_center::delete_article),
        )
        .route(
            "/ip_allowlist",
            get(security::ip_allowlist).put(security::set_ip_allowlist),
        )
        .route(
            "/ticket_types",
            get(ticket_types::list).post(ticket_types::create),
        )
        .route(
            "/ticket_types/{id}",
            get(ticket_types::show).put(ticket_types::update),
        )
        .route(
            "/ticket_types/{id}/attributes",
            post(ticket_types::create_attribute),
        )
        .route(
            "/ticket_types/{id}/attributes/{attribute_id}",
            put(ticket_types::update_attribute),
        )
        .route(
            "/internal_articles",
            get(internal_articles::list).post(internal_articles::create),
        )
        .route(
            "/internal_articles/{id}",
            get(internal_articles::show)
                .put(internal_articles::update)
                .delete(internal_articles::delete),
        )
        .route(
            "/content_snippets",
            get(content_snippets::list).post(content_snippets::create),
        )
        .route(
            "/content_snippets/{id}",
            get(content_snippets::show)
                .put(content_snippets::update)
                .delete(content_snippets::delete),
        )
        .route("/contacts", get(contacts::list))
        .route("/export/content/data", post(data_export::create))
        .route(
            "/export/content/data/{job_identifier}",
            get(data_export::show),
        )
        .route("/export/cancel/{job_identifier}", post(data_export::cancel))
        .route(
            "/events",
            post(contacts::submit_event).get(contacts::events_summary),
        )
        .route("/_sandbox/stats", get(sandbox_stats))
        .route("/_sandbox/reset", post(sandbox_reset))
        .route("/_sandbox/activity_logs", post(activity_log::add_entry))
        // Intercom answers an unknown path, and an unsupported method, with 404 `not_found`.
        .fallback(unknown_route)
        .method_not_allowed_fallback(unknown_route);
    api.layer(middleware::from_fn_with_state(
        shared.clone(),
        intercom_layer,
    ))
    .with_state(shared)
}

/// The `Intercom-Version` a request asked for (or the workspace default, 2.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    /// A published version `major.minor`.
    Numbered(u8, u8),
    /// `Preview`: 2.16 plus preview-only endpoints.
    Preview,
}

impl ApiVersion {
    /// Versions Intercom publishes (the spec's `intercom_version` enum).
    fn parse(raw: &str) -> Option<ApiVersion> {
        if raw.eq_ignore_ascii_case("preview") {
            return Some(ApiVersion::Preview);
        }
        let (major, minor) = raw.split_once('.')?;
        let (major, minor): (u8, u8) = (major.parse().ok()?, minor.parse().ok()?);
        let known = match major {
            1 => minor <= 4,
            2 => minor <= 16,
            _ => false,
        };
        // Reject spellings like "2.07" that parse but are not published names.
        (known && raw == format!("{major}.{minor}")).then_some(ApiVersion::Numbered(major, minor))
    }

    /// Whether the request gets 2.16's behaviour (2.16 or Preview).
    pub fn is_2_16_or_later(self) -> bool {
        self.is_at_least(2, 16)
    }

    /// Whether the version is `major.minor` or later (Preview is later than every number).
    fn is_at_least(self, major: u8, minor: u8) -> bool {
        match self {
            ApiVersion::Preview => true,
            ApiVersion::Numbered(have_major, have_minor) => {
                (have_major, have_minor) >= (major, minor)
            }
        }
    }
}

/// Per-request context the layer hands to handlers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    /// The requested API version.
    pub version: ApiVersion,
}

/// An Intercom error answer: `{"type":"error.list","request_id":…,"errors":[{code,message}]}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// An error with any status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 404 `not_found` "Resource Not Found".
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Resource Not Found")
    }

    /// 400 `parameter_invalid`.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "parameter_invalid", message)
    }

    /// 422 with the given code.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    /// 422 `validation_error`.
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::unprocessable("validation_error", message)
    }

    /// The same error with another code.
    fn with_code(mut self, code: &'static str) -> ApiError {
        self.code = code;
        self
    }

    fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Access Token Invalid",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "type": "error.list",
            "request_id": next_request_id(),
            "errors": [{"code": self.code, "message": self.message}],
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// A UUID-shaped request id, unique within the process.
fn next_request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    uuid_like(0x5a4d_b0c5, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A JSON answer.
pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A 200 JSON answer.
pub(crate) fn ok(body: Value) -> ApiResult {
    Ok(json_response(StatusCode::OK, body))
}

/// Parses a request body as a JSON object; an empty body counts as `{}`.
pub(crate) fn json_object(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid("The request body must be a JSON object")),
        Err(e) => Err(ApiError::invalid(format!(
            "The request body is not valid JSON: {e}"
        ))),
    }
}

/// Reads a boolean query flag (`true`/`false`); anything else counts as false.
pub(crate) fn query_flag(query: &HashMap<String, String>, name: &str) -> bool {
    query
        .get(name)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Parses a numeric path id; a non-number can match nothing, so it is "not found".
pub(crate) fn numeric_id(raw: &str) -> Option<u64> {
    raw.parse().ok()
}

/// Endpoints that only some versions have: (method, route template, minimum version).
fn available(method: &Method, template: &str, version: ApiVersion) -> bool {
    let needs_2_16 = [
        "/conversations/attributes",
        "/audiences",
        "/office_hours_schedules",
        "/macros",
        "/content_snippets",
    ]
    .iter()
    .any(|prefix| template.starts_with(prefix));
    if needs_2_16 && !version.is_2_16_or_later() {
        return false;
    }
    // The IP allowlist: 2.14 to 2.16, absent from the Preview description (API-NOTES §7).
    if template == "/ip_allowlist" {
        return version != ApiVersion::Preview && version.is_at_least(2, 14);
    }
    if template.starts_with("/brands") && !version.is_at_least(2, 15) {
        return false;
    }
    if method == Method::PUT && template == "/teams/{id}" {
        return version == ApiVersion::Preview;
    }
    true
}

fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return false;
    };
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return false;
    }
    shared
        .opts
        .token
        .as_deref()
        .is_none_or(|want| want == token)
}

fn add_rate_headers(response: &mut Response, decision: RateDecision) {
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(decision.limit)),
        ("x-ratelimit-remaining", u64::from(decision.remaining)),
        ("x-ratelimit-reset", decision.reset),
    ] {
        headers.insert(name, HeaderValue::from(value));
    }
}

/// Every Intercom call is counted and put on the timeline (arrival and answer) around
/// [`intercom_call`].
async fn intercom_layer(State(shared): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/_sandbox/") {
        return next.run(req).await;
    }
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let operation = format!(
        "{} {}",
        req.method(),
        template.as_deref().unwrap_or("(unmatched)")
    );
    let uri = req.uri().clone();
    let arrival = shared.with_stats(|s| {
        s.total_calls += 1;
        *s.calls.entry(operation.clone()).or_default() += 1;
        s.arrive()
    });
    let response = intercom_call(&shared, req, next, template, &operation).await;
    let status = response.status().as_u16();
    shared.with_stats(|s| s.answer(arrival, operation, &uri, status));
    response
}

/// What an Intercom call goes through, in Intercom's order: auth (401 carries no rate-limit
/// headers), rate limit, injected faults, version, the token's scopes and the plan's features
/// (`permissions.rs`), then the handler; a successful write is persisted before it is answered.
async fn intercom_call(
    shared: &AppState,
    mut req: Request,
    next: Next,
    template: Option<String>,
    operation: &str,
) -> Response {
    let method = req.method().clone();
    shared.sleep(shared.opts.latency).await;

    if !authorized(shared, req.headers()) {
        shared.with_stats(|s| s.unauthorized += 1);
        return ApiError::unauthorized().into_response();
    }
    let decision = shared.limiter.check();
    let answer = |mut response: Response| {
        add_rate_headers(&mut response, decision);
        response
    };
    if decision.exceeded {
        shared.with_stats(|s| s.rate_limited += 1);
        return answer(
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limit_exceeded",
                format!(
                    "Exceeded rate limit of {} in {}",
                    decision.limit,
                    shared.limiter.window_label()
                ),
            )
            .into_response(),
        );
    }
    if let Some(fault) = shared.faults.next() {
        shared.with_stats(|s| s.faults_injected += 1);
        tracing::debug!(?fault, "sandbox injects a fault");
        match fault {
            Fault::Status(code) => return answer(fault_response(code)),
            Fault::Reset => {
                if let Some(ConnectInfo(conn)) = req.extensions().get::<ConnectInfo<Connection>>() {
                    conn.cut();
                }
                return fault_response(500);
            }
            Fault::Slow => {
                // Not applied: a client that gave up must not find its write half done.
                shared.sleep(SLOW_FAULT).await;
                return answer(fault_response(504));
            }
        }
    }
    let version = match req.headers().get("intercom-version") {
        None => ApiVersion::Numbered(2, 16),
        Some(raw) => match raw.to_str().ok().and_then(ApiVersion::parse) {
            Some(version) => version,
            None => {
                return answer(
                    ApiError::invalid("The requested version could not be found")
                        .with_code("intercom_version_invalid")
                        .into_response(),
                );
            }
        },
    };
    if let Some(template) = &template
        && !available(&method, template, version)
    {
        return answer(
            ApiError::invalid("Requested resource is not available in current API version")
                .with_code("intercom_version_invalid")
                .into_response(),
        );
    }
    if let Some(template) = &template
        && let Some(refused) = permissions::refusal(
            &shared.opts.deny_scopes,
            &shared.opts.restrict,
            &method,
            template,
        )
    {
        if refused.status == StatusCode::UNAUTHORIZED {
            shared.with_stats(|s| s.unauthorized += 1);
        }
        return answer(refused.into_response());
    }
    req.extensions_mut().insert(Ctx { version });
    let peer = req
        .extensions()
        .get::<ConnectInfo<Connection>>()
        .and_then(|c| c.0.peer)
        .map(|p| p.ip());
    let path = req.uri().path().to_string();
    let before = template.as_deref().map_or(serde_json::Value::Null, |t| {
        activity_log::before_write(shared, &method, t, &path)
    });
    let response = next.run(req).await;
    // A search is a POST that changes nothing: no log entry, no state save.
    let is_write = matches!(
        method,
        Method::POST | Method::PUT | Method::DELETE | Method::PATCH
    ) && !template.as_deref().is_some_and(|t| t.ends_with("/search"));
    if is_write
        && response.status().is_success()
        && let Some(template) = &template
    {
        activity_log::record_write(shared, (&method, template, &path), before, peer);
    }
    if is_write
        && response.status().is_success()
        && let Err(e) = shared.persist()
    {
        tracing::error!(error = %e, "sandbox cannot save its state");
        return answer(
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "The sandbox could not save its state file",
            )
            .into_response(),
        );
    }
    if response.status().is_success() {
        shared.with_stats(|s| *s.succeeded.entry(operation.to_string()).or_default() += 1);
    }
    answer(response)
}

fn fault_response(status: u16) -> Response {
    let (status, code, message) = match status {
        502 => (StatusCode::BAD_GATEWAY, "bad_gateway", "Bad Gateway"),
        503 => (
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service Unavailable",
        ),
        504 => (
            StatusCode::GATEWAY_TIMEOUT,
            "request_timeout",
            "The request timed out",
        ),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "An internal server error occurred",
        ),
    };
    ApiError::new(status, code, message).into_response()
}

async fn unknown_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "The requested resource does not exist; check your path and try again",
    )
}

/// `GET /_sandbox/stats`.
async fn sandbox_stats(State(shared): State<AppState>) -> Response {
    let stats = shared.with_stats(|s| s.clone());
    axum::Json(stats).into_response()
}

/// `POST /_sandbox/reset`: back to the seed, stats, rate window and fault sequence cleared,
/// team conflicts back to their number.
async fn sandbox_reset(State(shared): State<AppState>) -> ApiResult {
    let fresh = seed::fresh(&shared.opts);
    shared.with_state(|state| *state = fresh);
    shared.with_stats(|s| *s = Default::default());
    shared.limiter.reset();
    shared.faults.reset();
    shared.conflicts.reset();
    shared.persist().map_err(|e| {
        tracing::error!(error = %e, "sandbox cannot save its state");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "The sandbox could not save its state file",
        )
    })?;
    ok(json!({"reset": true, "seed": shared.opts.seed.to_string()}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(ApiVersion::parse("2.16"), Some(ApiVersion::Numbered(2, 16)));
        assert_eq!(ApiVersion::parse("2.7"), Some(ApiVersion::Numbered(2, 7)));
        assert_eq!(ApiVersion::parse("1.4"), Some(ApiVersion::Numbered(1, 4)));
        assert_eq!(ApiVersion::parse("Preview"), Some(ApiVersion::Preview));
        for bad in ["2.17", "3.0", "2.07", "latest", "", "1.5"] {
            assert_eq!(ApiVersion::parse(bad), None, "{bad}");
        }
        assert!(!ApiVersion::Numbered(2, 15).is_2_16_or_later());
        assert!(ApiVersion::Preview.is_2_16_or_later());
    }

    #[test]
    fn availability() {
        let v215 = ApiVersion::Numbered(2, 15);
        let v216 = ApiVersion::Numbered(2, 16);
        assert!(!available(&Method::GET, "/audiences", v215));
        assert!(available(&Method::GET, "/audiences", v216));
        assert!(!available(&Method::PUT, "/teams/{id}", v216));
        assert!(available(&Method::PUT, "/teams/{id}", ApiVersion::Preview));
        assert!(available(&Method::GET, "/teams/{id}", v215));
        let v214 = ApiVersion::Numbered(2, 14);
        assert!(!available(&Method::GET, "/brands", v214));
        assert!(!available(
            &Method::GET,
            "/brands/{id}",
            ApiVersion::Numbered(1, 4)
        ));
        assert!(available(&Method::GET, "/brands", v215));
        assert!(available(&Method::GET, "/brands/{id}", ApiVersion::Preview));
    }
}
