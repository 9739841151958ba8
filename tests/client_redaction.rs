//! The access token never leaks: with every log target at TRACE (reqwest, hyper, rustls and
//! ours, `log` records included), a run of reads, writes, retries and a refused token leaves no
//! trace of the token in the captured output or in any error's `Display`/`Debug`.
//!
//! This file holds one test because it installs the process-wide subscriber.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use intercom_iac::intercom::{Client, ClientOptions, Target, Token};
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::sandbox::{Sandbox, SandboxOptions};
use reqwest::Url;
use support::{LiveExt, endpoint_client};

const TOKEN: &str = "sbx_SECRET_token_5e884898da28";
const WRONG: &str = "sbx_WRONG_token_a94a8fe5ccb1";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_appears_in_no_log_line_and_no_error() {
    use tracing_subscriber::util::SubscriberInitExt;
    let buffer = Buffer::default();
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .try_init()
        .expect("no other subscriber in this test binary");

    let sandbox = Sandbox::start(SandboxOptions {
        token: Some(TOKEN.into()),
        fault_rate: 0.2,
        fault_seed: 3,
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let url = sandbox.url();
    let options = ClientOptions {
        timeout: Duration::from_secs(2),
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        ..ClientOptions::default()
    };
    let client = endpoint_client(&url, TOKEN, options.clone());
    let mut shown = vec![format!("{client:?}"), format!("{:?}", Token::new(TOKEN))];

    client.me().await.unwrap();
    let live = fetch_live(&client, &Scope::all()).await.unwrap();
    let tag = client.create_tag("Leak check").await.unwrap();
    client.delete_tag(&tag).await.unwrap();
    // An error carrying Intercom's message and request id.
    let vip = live.tags().iter().find(|t| t.name == "VIP").unwrap();
    let err = client.delete_tag(vip).await.unwrap_err();
    shown.push(format!("{err}"));
    shown.push(format!("{err:?}"));

    let wrong = endpoint_client(&url, WRONG, options);
    let err = wrong.me().await.unwrap_err();
    shown.push(format!("{err}"));
    shown.push(format!("{err:?}"));
    let err = fetch_live(&wrong, &Scope::all()).await.unwrap_err();
    shown.push(format!("{err}"));
    shown.push(format!("{err:?}"));

    let insecure = Target::Endpoint(Url::parse("http://198.51.100.7/").unwrap());
    let err = Client::new(&insecure, Token::new(TOKEN)).unwrap_err();
    shown.push(format!("{err}"));
    shown.push(format!("{err:?}"));

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The capture works: our debug lines and the HTTP stack's trace lines are there.
    assert!(
        logs.contains("intercom call"),
        "no client log lines captured"
    );
    assert!(logs.contains("response body"), "no body trace captured");
    assert!(logs.lines().count() > 50, "too little captured:\n{logs}");
    let targets: std::collections::BTreeSet<&str> = logs
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    for stack in ["reqwest::", "hyper_util::"] {
        assert!(
            targets.iter().any(|t| t.starts_with(stack)),
            "no {stack} lines captured: {targets:?}"
        );
    }
    for secret in [TOKEN, WRONG] {
        assert!(!logs.contains(secret), "token in the logs");
        for text in &shown {
            assert!(!text.contains(secret), "token in an error: {text}");
        }
    }
    // And the part after `Bearer ` is not there in some other encoding either.
    assert!(!logs.contains("SECRET_token"));
}
