//! Client tests against a scripted HTTP server on 127.0.0.1: headers, retries, create recovery,
//! decode errors, paging and error mapping. Each server answers one request per connection from
//! a closure, and can also drop the connection or never answer, to play the faults a real
//! network produces.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;
use crate::model::{
    AttributeModel, DataAttributeType, NewAudience, NewDataAttribute, NewOfficeHoursSchedule, Tag,
    Team, TeamMembers,
};
// Two tests read whole workspaces through the kinds registry against this file's scripted
// server; the client itself never imports the kinds.

const TOKEN: &str = "tok_SECRET_value_123";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server does with a request.
pub(crate) enum Act {
    Json(u16, Value),
    Raw {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        headers: Vec<(&'static str, String)>,
    },
    /// Read the request, then close without answering (a reset after the write).
    Close,
    /// Never answer.
    Hang,
}

type Handler = dyn Fn(&Seen, usize) -> Act + Send + Sync;

pub(crate) struct Server {
    url: Url,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub(crate) async fn start(
        handler: impl Fn(&Seen, usize) -> Act + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let counter = Arc::new(AtomicUsize::new(0));
        let seen2 = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let (handler, seen, counter) = (handler.clone(), seen2.clone(), counter.clone());
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut sock).await else {
                        return;
                    };
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    seen.lock().unwrap().push(req.clone());
                    match handler(&req, n) {
                        Act::Json(status, v) => {
                            let body = serde_json::to_vec(&v).unwrap();
                            write_response(&mut sock, status, "application/json", &body, &[]).await;
                        }
                        Act::Raw {
                            status,
                            content_type,
                            body,
                            headers,
                        } => write_response(&mut sock, status, content_type, &body, &headers).await,
                        Act::Close => drop(sock),
                        Act::Hang => {
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                        }
                    }
                });
            }
        });
        Server { url, seen }
    }

    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub(crate) fn count(&self, method: &str, path: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .count()
    }

    pub(crate) fn client(&self) -> Client {
        client_for(&self.url)
    }
}

fn fast_options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_millis(500),
        backoff_base: Duration::from_millis(2),
        backoff_max: Duration::from_millis(10),
        rate_window: Duration::from_millis(300),
        ..ClientOptions::default()
    }
}

fn client_for(url: &Url) -> Client {
    Client::with_options(
        &Target::Endpoint(url.clone()),
        Token::new(TOKEN),
        fast_options(),
    )
    .unwrap()
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen {
        method,
        path,
        query,
        headers,
        body,
    })
}

async fn write_response(
    sock: &mut tokio::net::TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    headers: &[(&'static str, String)],
) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = sock.write_all(head.as_bytes()).await;
    let _ = sock.write_all(body).await;
    let _ = sock.shutdown().await;
}

pub(crate) fn me_json() -> Value {
    json!({"type": "admin", "id": 1, "email": "ops@example.com",
           "app": {"type": "app", "id_code": "sbx4c0de", "name": "Sandbox", "region": "US"}})
}

pub(crate) fn error(code: &str) -> Value {
    json!({"type": "error.list", "request_id": "req-9", "errors": [{"code": code, "message": "m"}]})
}

fn new_list_attribute() -> NewDataAttribute {
    NewDataAttribute {
        model: AttributeModel::Contact,
        name: "plan_tier".into(),
        data_type: DataAttributeType::List,
        options: vec!["free".into(), "pro".into()],
        description: Some("Plan".into()),
        messenger_writable: None,
    }
}

pub(crate) fn created_attribute() -> Value {
    json!({"type": "data_attribute", "id": 77, "model": "contact", "name": "plan_tier",
           "data_type": "string", "options": ["free", "pro"], "custom": true, "archived": false,
           "description": "Plan", "messenger_writable": false})
}

#[tokio::test]
async fn every_call_sends_auth_version_accept_and_user_agent() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/me" => Act::Json(200, me_json()),
        "/teams/5" => Act::Json(200, json!({"id": "5", "name": "T", "admin_ids": [1, 2]})),
        _ => Act::Json(200, json!({"type": "tag", "id": "9", "name": "VIP"})),
    })
    .await;
    let client = server.client();
    let me = client.me().await.unwrap();
    assert_eq!(me.app.id_code, "sbx4c0de");
    assert_eq!(me.id, "1");
    assert_eq!(client.create_tag("VIP").await.unwrap().id, "9");
    let team = Team {
        id: "5".into(),
        name: "T".into(),
        admin_ids: vec!["1".into()],
        secondary_admin_ids: vec![],
        distribution_method: None,
    };
    let members = TeamMembers {
        admin_ids: vec!["1".into(), "2".into()],
        ..TeamMembers::default()
    };
    let updated = client.update_team_members(&team, &members).await.unwrap();
    assert_eq!(updated.admin_ids, ["1", "2"]);

    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(
            s.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(s.header("accept"), Some("application/json"));
        assert_eq!(
            s.header("user-agent"),
            Some(concat!("intercom-iac/", env!("CARGO_PKG_VERSION")))
        );
    }
    assert_eq!(seen[0].header("intercom-version"), Some("2.16"));
    assert_eq!(seen[0].header("content-type"), None);
    assert_eq!(seen[1].header("content-type"), Some("application/json"));
    assert_eq!(seen[1].json(), json!({"name": "VIP"}));
    assert_eq!(seen[2].header("intercom-version"), Some("Preview"));
    assert_eq!(seen[2].method, "PUT");
    assert_eq!(seen[2].json(), json!({"admin_ids": [1, 2]}));
    let counts = client.request_counts();
    assert_eq!(counts.total, 3);
    assert_eq!(counts.by_method.get("GET"), Some(&1));
    assert_eq!(counts.by_method.get("POST"), Some(&1));
    assert_eq!(counts.by_method.get("PUT"), Some(&1));
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_error_is_reported() {
    let server = Server::start(|_, _| Act::Json(500, error("server_error"))).await;
    let client = server.client();
    let err = client.me().await.unwrap_err();
    assert!(matches!(err, ApiError::Server(_)), "{err:?}");
    assert_eq!(err.rejection().unwrap().attempts, 6);
    assert_eq!(server.seen().len(), 6);
    assert!(err.to_string().contains("after 6 attempts"), "{err}");
}

#[tokio::test]
async fn timeouts_are_retried_for_reads() {
    let server = Server::start(|_, n| {
        if n < 2 {
            Act::Hang
        } else {
            Act::Json(200, me_json())
        }
    })
    .await;
    let client = server.client();
    assert_eq!(client.me().await.unwrap().email, "ops@example.com");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_create_that_was_applied_before_the_connection_dropped_is_found_not_resent() {
    // The server stores the attribute, then drops the connection: an ambiguous failure.
    let created = Arc::new(Mutex::new(false));
    let c = created.clone();
    let server = Server::start(
        move |req, _| match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/data_attributes") => {
                *c.lock().unwrap() = true;
                Act::Close
            }
            ("GET", "/data_attributes") => {
                let data = if *c.lock().unwrap() {
                    vec![created_attribute()]
                } else {
                    vec![]
                };
                Act::Json(200, json!({"type": "list", "data": data}))
            }
            _ => Act::Json(404, error("not_found")),
        },
    )
    .await;
    let attr = server
        .client()
        .create_data_attribute(&new_list_attribute())
        .await
        .unwrap();
    assert_eq!(attr.id.as_deref(), Some("77"));
    assert_eq!(attr.data_type, DataAttributeType::List);
    assert_eq!(server.count("POST", "/data_attributes"), 1);
    assert_eq!(server.count("GET", "/data_attributes"), 1);
    let list = server
        .seen()
        .into_iter()
        .find(|s| s.method == "GET")
        .unwrap();
    assert_eq!(list.query, "model=contact&include_archived=true");
}

#[tokio::test]
async fn a_create_that_failed_ambiguously_and_was_not_applied_is_sent_again_once() {
    let posts = Arc::new(AtomicUsize::new(0));
    let p = posts.clone();
    let server = Server::start(move |req, _| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/audiences") => {
            if p.fetch_add(1, Ordering::SeqCst) == 0 {
                Act::Json(500, error("server_error"))
            } else {
                Act::Json(201, json!({"type": "audience", "id": "a1", "name": "Trials",
                                      "predicates": [], "role_predicates": null}))
            }
        }
        ("GET", "/audiences") => Act::Json(
            200,
            json!({"type": "list", "data": [], "total_count": 0, "page": 1, "per_page": 50, "total_pages": 0}),
        ),
        _ => Act::Json(404, error("not_found")),
    })
    .await;
    let new = NewAudience {
        name: "Trials".into(),
        predicates: Some(vec![]),
        role_predicates: Some(vec![]),
    };
    let a = server.client().create_audience(&new).await.unwrap();
    assert_eq!(a.id, "a1");
    assert_eq!(posts.load(Ordering::SeqCst), 2);
    assert_eq!(server.count("GET", "/audiences"), 1);
}

#[tokio::test]
async fn a_rate_limited_create_is_retried_after_the_reset_without_reading_back() {
    let server = Server::start(|req, n| match (req.method.as_str(), n) {
        ("POST", 0) => Act::Raw {
            status: 429,
            content_type: "application/json",
            body: serde_json::to_vec(&error("rate_limit_exceeded")).unwrap(),
            headers: vec![
                ("X-RateLimit-Limit", "2".into()),
                ("X-RateLimit-Remaining", "0".into()),
                ("X-RateLimit-Reset", "0".into()),
            ],
        },
        ("POST", _) => Act::Json(
            201,
            json!({"type": "office_hours_schedule", "id": 3, "name": "Std", "time_zone_name": "UTC", "time_intervals": []}),
        ),
        _ => Act::Json(404, error("not_found")),
    })
    .await;
    let new = NewOfficeHoursSchedule {
        name: "Std".into(),
        time_zone: "UTC".into(),
        intervals: vec![],
    };
    let s = server
        .client()
        .create_office_hours_schedule(&new)
        .await
        .unwrap();
    assert_eq!(s.id, "3");
    assert_eq!(server.count("POST", "/office_hours_schedules"), 2);
    assert_eq!(server.count("GET", "/office_hours_schedules"), 0);
}

#[tokio::test]
async fn a_list_attribute_falls_back_to_the_older_string_form_once() {
    let server = Server::start(|req, _| {
        let body = req.json();
        if body["data_type"] == "options" {
            Act::Json(
                400,
                json!({"type": "error.list", "errors": [{"code": "parameter_invalid", "message": "Data Type isn't an option"}]}),
            )
        } else {
            Act::Json(200, created_attribute())
        }
    })
    .await;
    let attr = server
        .client()
        .create_data_attribute(&new_list_attribute())
        .await
        .unwrap();
    assert_eq!(attr.options, ["free", "pro"]);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].json()["data_type"], "string");
    assert_eq!(
        seen[1].json()["options"],
        json!([{"value": "free"}, {"value": "pro"}])
    );
}

#[tokio::test]
async fn a_refused_create_about_another_field_is_not_retried() {
    let server = Server::start(|_, _| {
        Act::Json(
            400,
            json!({"type": "error.list", "errors": [{"code": "parameter_invalid", "field": "name", "message": "exists"}]}),
        )
    })
    .await;
    let err = server
        .client()
        .create_data_attribute(&new_list_attribute())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Rejected(_)), "{err:?}");
    assert_eq!(server.seen().len(), 1);
    assert!(
        err.to_string()
            .contains("create contact_attribute[\"plan_tier\"]"),
        "{err}"
    );
}

#[tokio::test]
async fn a_taken_name_is_reported_as_the_first_answer_without_a_second_create() {
    // Intercom's "Same name already exists" example: parameter_invalid without a field.
    let server = Server::start(|req, _| {
        let message = if req.json()["data_type"] == "options" {
            "You already have 'plan_tier' in your company data. To save this as new people data, use a different name."
        } else {
            "second answer"
        };
        Act::Json(
            400,
            json!({"type": "error.list", "errors": [{"code": "parameter_invalid", "message": message}]}),
        )
    })
    .await;
    let err = server
        .client()
        .create_data_attribute(&new_list_attribute())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Rejected(_)), "{err:?}");
    assert_eq!(server.seen().len(), 1);
    assert!(
        err.to_string().contains("You already have 'plan_tier'"),
        "{err}"
    );
}

#[tokio::test]
async fn a_refusal_naming_the_data_type_field_falls_back_too() {
    let server = Server::start(|req, _| {
        if req.json()["data_type"] == "options" {
            Act::Json(
                400,
                json!({"type": "error.list", "errors": [{"code": "parameter_invalid", "field": "data_type", "message": "invalid"}]}),
            )
        } else {
            Act::Json(200, created_attribute())
        }
    })
    .await;
    server
        .client()
        .create_data_attribute(&new_list_attribute())
        .await
        .unwrap();
    assert_eq!(server.seen().len(), 2);
    assert_eq!(server.seen()[1].json()["data_type"], "string");
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_counts_as_done() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Act::Close
        } else {
            Act::Json(404, error("not_found"))
        }
    })
    .await;
    let tag = Tag {
        id: "9".into(),
        name: "Old".into(),
    };
    server.client().delete_tag(&tag).await.unwrap();
    assert_eq!(server.count("DELETE", "/tags/9"), 2);
    // Without an earlier ambiguous failure, a 404 is an error.
    let server = Server::start(|_, _| Act::Json(404, error("not_found"))).await;
    let err = server.client().delete_tag(&tag).await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound(_)));
}

#[tokio::test]
async fn typed_errors_for_team_conflicts_plan_limits_and_unknown_users() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/teams/1" => Act::Json(409, error("conflict")),
        "/teams/2" => Act::Json(403, error("api_plan_restricted")),
        "/events" => Act::Json(404, error("not_found")),
        _ => Act::Json(401, error("unauthorized")),
    })
    .await;
    let client = server.client();
    let team = |id: &str| Team {
        id: id.into(),
        name: "T".into(),
        admin_ids: vec![],
        secondary_admin_ids: vec![],
        distribution_method: None,
    };
    let members = TeamMembers {
        admin_ids: vec!["1".into()],
        ..TeamMembers::default()
    };
    let e = client
        .update_team_members(&team("1"), &members)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Conflict(_)), "{e:?}");
    let e = client
        .update_team_members(&team("2"), &members)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::PlanRestricted(_)), "{e:?}");
    let bad = TeamMembers {
        admin_ids: vec!["not-a-number".into()],
        ..TeamMembers::default()
    };
    let e = client
        .update_team_members(&team("3"), &bad)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::NotSent { .. }), "{e:?}");
    let event = Event {
        event_name: "ordered-item".into(),
        created_at: 1_700_000_000,
        user: EventUser::UserId("u1".into()),
        metadata: serde_json::Map::new(),
    };
    let e = client.submit_event(&event).await.unwrap_err();
    assert!(matches!(e, ApiError::UnknownUser(_)), "{e:?}");
    let e = client.me().await.unwrap_err();
    assert!(matches!(e, ApiError::Unauthorized(_)));
    assert_eq!(e.request_id(), Some("req-9"));
    // Nothing above is retried: one request each (the bad team was never sent).
    assert_eq!(server.seen().len(), 4);
    for shown in [e.to_string(), format!("{e:?}"), format!("{client:?}")] {
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn bodies_that_are_not_json_become_clear_decode_errors() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/me" => Act::Raw {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: b"<html><body>Login</body></html>".to_vec(),
            headers: vec![],
        },
        "/tags" => Act::Raw {
            status: 200,
            content_type: "application/json",
            body: br#"{"type":"list","data":[{"id":1,"na"#.to_vec(),
            headers: vec![],
        },
        _ => Act::Raw {
            status: 200,
            content_type: "application/json",
            body: vec![b' '; 4096],
            headers: vec![],
        },
    })
    .await;
    let client = server.client();
    let e = client.me().await.unwrap_err();
    assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
    assert!(e.to_string().contains("content type `text/html"), "{e}");
    assert!(e.to_string().contains("<html><body>Login"), "{e}");

    let e = fetch::tags(&client).await.unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");

    let small = Client::with_options(
        &Target::Endpoint(server.url.clone()),
        Token::new(TOKEN),
        ClientOptions {
            max_body_bytes: 1024,
            ..fast_options()
        },
    )
    .unwrap();
    let e = fetch::segments(&small).await.unwrap_err();
    assert!(
        matches!(e, FetchError::Api(ApiError::TooLarge { .. })),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_pager_follows_cursors_urls_and_page_numbers() {
    let server = Server::start(|req, _| match (req.path.as_str(), req.query.as_str()) {
        ("/segments", "") => Act::Json(
            200,
            json!({"type": "segment.list", "segments": [{"id": "s1", "name": "A"}],
                   "pages": {"next": {"starting_after": "CUR"}}}),
        ),
        ("/segments", "starting_after=CUR") => Act::Json(
            200,
            json!({"type": "segment.list", "segments": [{"id": "s2", "name": "B"}],
                   "pages": {"next": "/segments?page=3"}}),
        ),
        ("/segments", "page=3") => Act::Json(
            200,
            json!({"type": "segment.list", "segments": [{"id": "s3", "name": "C"}], "pages": {}}),
        ),
        ("/audiences", q) => {
            let page: u64 = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("page="))
                .unwrap()
                .parse()
                .unwrap();
            Act::Json(
                200,
                json!({"type": "list", "data": [{"id": format!("a{page}"), "name": format!("A{page}")}],
                       "page": page, "per_page": 50, "total_pages": 3, "total_count": 3}),
            )
        }
        _ => Act::Json(404, error("not_found")),
    })
    .await;
    let client = server.client();
    let segs = fetch::segments(&client).await.unwrap();
    assert_eq!(
        segs.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["s1", "s2", "s3"]
    );
    let auds = fetch::audiences(&client).await.unwrap();
    assert_eq!(auds.len(), 3);
    assert_eq!(server.count("GET", "/audiences"), 3);
    let first = server
        .seen()
        .into_iter()
        .find(|s| s.path == "/audiences")
        .unwrap();
    assert_eq!(first.query, "per_page=50&page=1");
}

#[tokio::test]
async fn page_numbered_lists_ask_for_every_other_page_once_and_keep_page_order() {
    let server = Server::start(|req, _| {
        let page: u64 = req
            .query
            .split('&')
            .find_map(|kv| kv.strip_prefix("page="))
            .unwrap()
            .parse()
            .unwrap();
        Act::Json(
            200,
            json!({"type": "list", "data": [{"id": format!("a{page}"), "name": format!("A{page}")}],
                   "page": page, "per_page": 50, "total_pages": 12, "total_count": 12}),
        )
    })
    .await;
    let auds = fetch::audiences(&server.client()).await.unwrap();
    let ids: Vec<String> = auds.iter().map(|a| a.id.clone()).collect();
    let want: Vec<String> = (1..=12).map(|p| format!("a{p}")).collect();
    assert_eq!(ids, want);
    let mut asked: Vec<String> = server.seen().into_iter().map(|s| s.query).collect();
    asked.sort();
    asked.dedup();
    assert_eq!(asked.len(), 12, "{asked:?}");
}

#[tokio::test]
async fn a_page_answered_as_another_page_is_refused() {
    // A server that ignores `page` would hand back page 1 again and again.
    let server = Server::start(|_, _| {
        Act::Json(
            200,
            json!({"type": "list", "data": [{"id": "a1", "name": "A1"}],
                   "page": 1, "per_page": 50, "total_pages": 3, "total_count": 3}),
        )
    })
    .await;
    let e = fetch::audiences(&server.client()).await.unwrap_err();
    assert!(matches!(e, FetchError::Paging { .. }), "{e:?}");
    assert!(e.to_string().contains("answered with page 1"), "{e}");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let server = Server::start(|_, _| {
        Act::Json(
            200,
            json!({"type": "segment.list", "segments": [], "pages": {"next": "https://evil.example/segments?page=2"}}),
        )
    })
    .await;
    let e = fetch::segments(&server.client()).await.unwrap_err();
    assert!(matches!(e, FetchError::Paging { .. }), "{e:?}");
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_429_waits_for_the_reset_and_then_succeeds() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Act::Raw {
                status: 429,
                content_type: "application/json",
                body: serde_json::to_vec(&error("rate_limit_exceeded")).unwrap(),
                headers: vec![
                    ("X-RateLimit-Limit", "5".into()),
                    ("X-RateLimit-Remaining", "0".into()),
                    ("X-RateLimit-Reset", "4102444800".into()),
                ],
            }
        } else {
            Act::Json(200, me_json())
        }
    })
    .await;
    let client = server.client();
    let started = std::time::Instant::now();
    client.me().await.unwrap();
    // The reset is far in the future: the wait is capped at one window (300 ms here).
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.seen().len(), 2);
}

fn too_many() -> Act {
    Act::Raw {
        status: 429,
        content_type: "application/json",
        body: serde_json::to_vec(&error("rate_limit_exceeded")).unwrap(),
        headers: vec![
            ("X-RateLimit-Limit", "5".into()),
            ("X-RateLimit-Remaining", "0".into()),
            ("X-RateLimit-Reset", "0".into()),
        ],
    }
}

#[tokio::test]
async fn a_storm_of_429s_longer_than_max_attempts_is_waited_out() {
    // Another app sharing the limit can cause more 429s in a row than `max_attempts`: they
    // were not processed, so they must not turn into a failure.
    let storm = 10;
    let server = Server::start(move |_, n| {
        if n < storm {
            too_many()
        } else {
            Act::Json(200, me_json())
        }
    })
    .await;
    let client = server.client();
    assert!(client.options().max_attempts < storm as u32);
    client.me().await.unwrap();
    assert_eq!(server.seen().len(), storm + 1);
}

#[tokio::test]
async fn rate_limiting_past_the_patience_is_an_error() {
    let server = Server::start(|_, _| too_many()).await;
    let client = Client::with_options(
        &Target::Endpoint(server.url.clone()),
        Token::new(TOKEN),
        ClientOptions {
            rate_limit_patience: Duration::ZERO,
            ..fast_options()
        },
    )
    .unwrap();
    let e = client.me().await.unwrap_err();
    assert!(
        matches!(&e, ApiError::RateLimited(r) if r.attempts == 1),
        "{e:?}"
    );
    assert!(e.to_string().contains("rate limit stayed exhausted"), "{e}");
}

#[test]
fn building_a_client_refuses_plain_http_and_bad_tokens_without_connecting() {
    let remote = Target::Endpoint(Url::parse("http://203.0.113.9:8080/").unwrap());
    let e = Client::new(&remote, Token::new(TOKEN)).unwrap_err();
    assert!(
        matches!(e, ClientError::Target(TargetError::InsecureEndpoint { .. })),
        "{e:?}"
    );
    assert!(!e.to_string().contains(TOKEN));
    let local = Target::Endpoint(Url::parse("http://127.0.0.1:1/").unwrap());
    assert!(matches!(
        Client::new(&local, Token::new(" ")),
        Err(ClientError::EmptyToken)
    ));
    let e = Client::new(&local, Token::new("abc\ndef")).unwrap_err();
    assert!(matches!(e, ClientError::MalformedToken));
    assert!(!format!("{e:?}{e}").contains("abc"));
}

#[tokio::test]
async fn a_team_conflict_is_read_again_and_retried() {
    use crate::model::TeamMembers;
    // The first PUT is declined with 409; the second succeeds.
    let server = Server::start(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/teams/7") => Act::Json(
            200,
            serde_json::json!({"type": "team", "id": "7", "name": "T", "admin_ids": [1]}),
        ),
        ("PUT", "/teams/7") => Act::Json(
            200,
            serde_json::json!({"type": "team", "id": "7", "name": "T", "admin_ids": [1, 2]}),
        ),
        _ => Act::Json(404, error("not_found")),
    })
    .await;
    let seen_puts = Arc::new(AtomicUsize::new(0));
    let conflicted = Server::start({
        let seen_puts = seen_puts.clone();
        move |req, _| match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/teams/7") if seen_puts.fetch_add(1, Ordering::SeqCst) == 0 => {
                Act::Json(409, error("conflict"))
            }
            ("PUT", "/teams/7") => Act::Json(
                200,
                serde_json::json!({"type": "team", "id": "7", "name": "T", "admin_ids": [1, 2]}),
            ),
            ("GET", "/teams/7") => Act::Json(
                200,
                serde_json::json!({"type": "team", "id": "7", "name": "T", "admin_ids": [1]}),
            ),
            _ => Act::Json(404, error("not_found")),
        }
    })
    .await;
    let members = TeamMembers {
        admin_ids: vec!["1".into(), "2".into()],
        ..TeamMembers::default()
    };
    let set = |c: Client| {
        let members = members.clone();
        async move { c.set_team_members("7", "team 7", &members).await }
    };
    set(conflicted.client()).await.unwrap();
    assert_eq!(conflicted.count("PUT", "/teams/7"), 2);
    assert_eq!(conflicted.count("GET", "/teams/7"), 1);
    // Without a conflict: one PUT, no read.
    set(server.client()).await.unwrap();
    assert_eq!(
        (
            server.count("PUT", "/teams/7"),
            server.count("GET", "/teams/7")
        ),
        (1, 0)
    );
}

#[tokio::test]
async fn a_team_conflict_that_persists_is_reported_after_bounded_retries() {
    use crate::model::TeamMembers;
    let server = Server::start(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", "/teams/7") => Act::Json(409, error("conflict")),
        ("GET", "/teams/7") => Act::Json(
            200,
            serde_json::json!({"type": "team", "id": "7", "name": "T", "admin_ids": [1]}),
        ),
        _ => Act::Json(404, error("not_found")),
    })
    .await;
    let members = TeamMembers {
        admin_ids: vec!["1".into()],
        ..TeamMembers::default()
    };
    let e = server
        .client()
        .set_team_members("7", "team 7", &members)
        .await
        .unwrap_err();
    assert!(
        e.status() == Some(409) && e.code() == Some("conflict"),
        "{e:?}"
    );
    assert_eq!(server.count("PUT", "/teams/7"), 4);
}
