//! A hostile server: a raw TCP server on 127.0.0.1 answering `GET /me` or a list call with
//! malformed JSON, HTML error pages, a truncated body, a wrong content type, a body larger than
//! the client accepts, or a response that never ends. Each must give a clear typed error, in
//! bounded time and memory; through the binary, `plan` exits 1 with an `error:` message.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use intercom_iac::intercom::{ApiError, Client, ClientOptions, FetchError, TransportKind};
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::model::Kind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::timeout;

use crate::fixtures::write_config;
use crate::support::{Cli, endpoint_client};

/// The client's body cap in these tests: small, so "too large" is cheap to reach.
const MAX_BODY: usize = 64 * 1024;
/// A turn of the hostile server that exceeds this means the client kept reading or waiting.
const GUARD: Duration = Duration::from_secs(20);

const ME: &str = r#"{"type":"admin","id":"1","email":"alice@example.com","app":{"type":"app","id_code":"evil0001","name":"Evil Co","region":"US"}}"#;

/// How the server misbehaves on the poisoned path.
#[derive(Debug, Clone, Copy)]
enum Evil {
    /// 200, `application/json`, a body that is not JSON.
    MalformedJson,
    /// An HTML error page with this status.
    Html(u16),
    /// `Content-Length` larger than what is sent, then the connection closes.
    Truncated,
    /// Valid JSON labelled `text/plain`.
    WrongContentType,
    /// `Content-Length` far above the cap, and a body streamed until the client hangs up.
    HugeDeclared,
    /// No length; a body streamed until the client hangs up.
    HugeStreamed,
    /// Headers, then a byte of whitespace every few milliseconds, forever.
    Endless,
}

/// A running hostile server.
struct Hostile {
    url: String,
    /// Body bytes written on poisoned answers.
    sent: Arc<AtomicU64>,
    /// Requests to the poisoned path.
    hits: Arc<AtomicU64>,
    /// Poisoned connections that have ended (the client hung up or the answer was complete).
    ended: Arc<AtomicU64>,
    /// Signalled whenever a poisoned connection ends.
    ended_signal: Arc<Notify>,
}

impl Hostile {
    async fn start(mode: Evil, poisoned: &'static str) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let sent = Arc::new(AtomicU64::new(0));
        let hits = Arc::new(AtomicU64::new(0));
        let ended = Arc::new(AtomicU64::new(0));
        let ended_signal = Arc::new(Notify::new());
        let (s, h, e, n) = (
            sent.clone(),
            hits.clone(),
            ended.clone(),
            ended_signal.clone(),
        );
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let (s, h, e, n) = (s.clone(), h.clone(), e.clone(), n.clone());
                tokio::spawn(async move {
                    let poisoned_hit = answer(sock, mode, poisoned, &s, &h).await;
                    if poisoned_hit {
                        e.fetch_add(1, Ordering::SeqCst);
                        n.notify_waiters();
                    }
                });
            }
        });
        Hostile {
            url,
            sent,
            hits,
            ended,
            ended_signal,
        }
    }

    fn client(&self) -> Client {
        endpoint_client(
            &self.url,
            "hostile-test-token",
            ClientOptions {
                timeout: Duration::from_millis(500),
                max_attempts: 2,
                max_body_bytes: MAX_BODY,
                backoff_base: Duration::from_millis(5),
                backoff_max: Duration::from_millis(10),
                ..ClientOptions::default()
            },
        )
    }

    /// Waits until every poisoned connection has ended, then returns the body bytes sent.
    async fn sent_after_hangup(&self) -> u64 {
        timeout(GUARD, async {
            loop {
                let signalled = self.ended_signal.notified();
                tokio::pin!(signalled);
                signalled.as_mut().enable();
                if self.ended.load(Ordering::SeqCst) >= self.hits.load(Ordering::SeqCst) {
                    return;
                }
                signalled.await;
            }
        })
        .await
        .expect("the server saw the client hang up");
        self.sent.load(Ordering::SeqCst)
    }
}

/// Answers one connection; returns whether it was a poisoned request.
async fn answer(
    mut sock: TcpStream,
    mode: Evil,
    poisoned: &str,
    sent: &AtomicU64,
    hits: &AtomicU64,
) -> bool {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return false;
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    if !path.starts_with(poisoned) {
        let body = if path.starts_with("/me") {
            ME
        } else {
            r#"{"type":"list","data":[]}"#
        };
        let _ = sock
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            )
            .await;
        let _ = sock.shutdown().await;
        return false;
    }
    hits.fetch_add(1, Ordering::SeqCst);
    let simple = |status: &str, ct: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let html = "<!DOCTYPE html><html><head><title>Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let _ = match mode {
        Evil::MalformedJson => {
            sock.write_all(
                simple(
                    "200 OK",
                    "application/json",
                    r#"{"type":"admin" "id": 1,, "app": }"#,
                )
                .as_bytes(),
            )
            .await
        }
        Evil::Html(200) => {
            sock.write_all(simple("200 OK", "text/html; charset=utf-8", html).as_bytes())
                .await
        }
        Evil::Html(status) => {
            sock.write_all(
                simple(
                    &format!("{status} Bad Gateway"),
                    "text/html; charset=utf-8",
                    html,
                )
                .as_bytes(),
            )
            .await
        }
        Evil::Truncated => {
            let partial = &ME[..20];
            sock.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\nConnection: close\r\n\r\n{partial}"
                )
                .as_bytes(),
            )
            .await
        }
        Evil::WrongContentType => {
            sock.write_all(simple("200 OK", "text/plain", ME).as_bytes())
                .await
        }
        Evil::HugeDeclared | Evil::HugeStreamed => {
            let length = match mode {
                Evil::HugeDeclared => "Content-Length: 1000000000\r\n",
                _ => "",
            };
            let header = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n["
            );
            match sock.write_all(header.as_bytes()).await {
                Err(e) => Err(e),
                Ok(()) => {
                    let chunk = "0,".repeat(32 * 1024);
                    loop {
                        if let Err(e) = sock.write_all(chunk.as_bytes()).await {
                            break Err(e);
                        }
                        sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                    }
                }
            }
        }
        Evil::Endless => {
            let header =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
            match sock.write_all(header.as_bytes()).await {
                Err(e) => Err(e),
                Ok(()) => loop {
                    if let Err(e) = sock.write_all(b" ").await {
                        break Err(e);
                    }
                    sent.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                },
            }
        }
    };
    let _ = sock.shutdown().await;
    true
}

/// `GET /me` against a server poisoned on `/me`.
async fn me_error(mode: Evil) -> (ApiError, Hostile) {
    let server = Hostile::start(mode, "/me").await;
    let result = timeout(GUARD, server.client().me())
        .await
        .unwrap_or_else(|_| panic!("{mode:?}: GET /me did not give up"));
    let err = result.expect_err("a hostile answer is an error");
    (err, server)
}

/// `list tags` against a server poisoned on `/tags` (and honest on `/me`).
async fn list_error(mode: Evil) -> (ApiError, Hostile) {
    let server = Hostile::start(mode, "/tags").await;
    let result = timeout(
        GUARD,
        fetch_live(&server.client(), &Scope::only([Kind::Tags])),
    )
    .await
    .unwrap_or_else(|_| panic!("{mode:?}: list tags did not give up"));
    match result {
        Err(FetchError::Api(e)) => (e, server),
        other => panic!("{mode:?}: expected an API error, got {other:?}"),
    }
}

/// Both calls, for checks that hold for either.
async fn both(mode: Evil) -> Vec<(ApiError, Hostile)> {
    vec![me_error(mode).await, list_error(mode).await]
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_sent_once() {
    for (err, server) in both(Evil::MalformedJson).await {
        let shown = err.to_string();
        assert!(
            matches!(&err, ApiError::Decode { status: 200, reason, .. } if reason.contains("invalid JSON")),
            "{err:?}"
        );
        assert!(shown.contains("help: "), "{shown}");
        // A body Intercom could not have sent is not retried.
        assert_eq!(server.hits.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test]
async fn an_html_page_with_200_is_a_content_type_error() {
    for (err, _) in both(Evil::Html(200)).await {
        assert!(
            matches!(&err, ApiError::Decode { status: 200, reason, .. } if reason.contains("content type `text/html")),
            "{err:?}"
        );
        let shown = err.to_string();
        assert!(shown.contains("<!DOCTYPE html>"), "the snippet: {shown}");
        assert!(shown.contains("check the endpoint"), "{shown}");
    }
}

#[tokio::test]
async fn an_html_page_with_502_is_a_server_error_after_retries() {
    for (err, server) in both(Evil::Html(502)).await {
        match &err {
            ApiError::Server(r) => {
                assert_eq!(r.status, 502);
                assert_eq!(r.attempts, 2);
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("Intercom answered 502"), "{err}");
        assert_eq!(server.hits.load(Ordering::SeqCst), 2);
    }
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    for (err, _) in both(Evil::Truncated).await {
        assert!(
            matches!(
                &err,
                ApiError::Transport {
                    kind: TransportKind::Other,
                    attempts: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("the connection failed"), "{err}");
    }
}

#[tokio::test]
async fn a_wrong_content_type_is_a_decode_error() {
    for (err, _) in both(Evil::WrongContentType).await {
        assert!(
            matches!(&err, ApiError::Decode { reason, .. } if reason.contains("content type `text/plain`")),
            "{err:?}"
        );
    }
}

/// Asserts the error of a body over the cap.
#[track_caller]
fn assert_too_large(err: &ApiError) {
    assert!(
        matches!(
            err,
            ApiError::TooLarge {
                limit: MAX_BODY,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_huge_declared_body_is_refused_without_reading_it() {
    for (err, server) in both(Evil::HugeDeclared).await {
        assert_too_large(&err);
        let sent = server.sent_after_hangup().await;
        assert!(sent < 32 * 1024 * 1024, "{sent} bytes were sent");
    }
}

#[tokio::test]
async fn a_huge_streamed_body_stops_at_the_cap() {
    for (err, server) in both(Evil::HugeStreamed).await {
        assert_too_large(&err);
        assert!(
            err.to_string()
                .contains(&format!("larger than {MAX_BODY} bytes")),
            "{err}"
        );
        // The client hung up: the server could not push more than the cap plus the sockets'
        // buffers.
        let sent = server.sent_after_hangup().await;
        assert!(sent < 32 * 1024 * 1024, "{sent} bytes were sent");
    }
}

#[tokio::test]
async fn a_never_ending_response_times_out() {
    for (err, server) in both(Evil::Endless).await {
        assert!(
            matches!(
                &err,
                ApiError::Transport {
                    kind: TransportKind::Timeout,
                    attempts: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("timed out"), "{err}");
        server.sent_after_hangup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_against_a_hostile_endpoint_exits_1_with_an_error() {
    for mode in [
        Evil::MalformedJson,
        Evil::Html(200),
        Evil::WrongContentType,
        Evil::HugeDeclared,
    ] {
        let server = Hostile::start(mode, "/me").await;
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), "version: 1\ntags:\n  - name: VIP\n");
        let cli = Cli::against(dir.path(), &server.url, "hostile-test-token").args([
            "plan",
            "--timeout",
            "5",
        ]);
        let run = timeout(
            Duration::from_secs(60),
            tokio::task::spawn_blocking(move || cli.run()),
        )
        .await
        .unwrap_or_else(|_| panic!("{mode:?}: plan hung"))
        .unwrap();
        run.code(1);
        assert!(run.stdout.is_empty(), "{mode:?}: {}", run.stdout);
        assert!(
            run.stderr
                .starts_with("error: cannot read the workspace (GET /me)"),
            "{mode:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("Caused by: "),
            "{mode:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{mode:?}: {}", run.stderr);
    }
}
