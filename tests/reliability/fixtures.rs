//! What the reliability tests share beyond the common harness (`tests/support`): generating
//! large configurations, reading the live workspace back through the library, and a
//! neighbouring app that eats the rate limit.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::support::LiveExt;
use intercom_iac::intercom::ClientOptions;
use intercom_iac::kinds::{Scope, fetch_live};
use intercom_iac::model::Live;
use serde_json::Value;

use crate::support::endpoint_client;

/// Whether the bigger variants should run (`INTERCOM_IAC_RELIABILITY_LARGE=1`, which
/// `bench/run.py` may set).
pub fn large() -> bool {
    std::env::var("INTERCOM_IAC_RELIABILITY_LARGE").is_ok_and(|v| v == "1")
}

/// Reads every kind of the workspace through the library client.
pub fn read_live(url: &str, token: &str) -> Live {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let client = endpoint_client(
            url,
            token,
            ClientOptions {
                timeout: Duration::from_secs(2),
                backoff_base: Duration::from_millis(10),
                backoff_max: Duration::from_millis(100),
                max_attempts: 20,
                rate_window: Duration::from_secs(1),
                ..ClientOptions::default()
            },
        );
        fetch_live(&client, &Scope::all())
            .await
            .expect("the workspace can be read")
    })
}

/// How many live objects carry each name, per kind (`tag`, `audience`, `office_hours`,
/// `contact_attribute`), so duplicates show up as counts above one.
pub fn names(live: &Live) -> BTreeMap<(&'static str, String), usize> {
    let mut out = BTreeMap::new();
    let mut add = |kind: &'static str, name: &str| {
        *out.entry((kind, name.to_string())).or_insert(0) += 1;
    };
    for t in live.tags() {
        add("tag", &t.name);
    }
    for a in live.audiences() {
        add("audience", &a.name);
    }
    for s in live.office_hours() {
        add("office_hours", &s.name);
    }
    for a in live.data_attributes().into_iter().filter(|a| a.custom) {
        add("data_attribute", &a.name);
    }
    out
}

/// Asserts that no kind holds two objects of one name.
#[track_caller]
pub fn assert_no_duplicates(live: &Live) {
    let dups: Vec<_> = names(live).into_iter().filter(|(_, n)| *n > 1).collect();
    assert!(dups.is_empty(), "duplicate objects: {dups:?}");
}

/// A configuration of many changes against the default seed: `tags` new tags, `audiences` new
/// audiences, `schedules` office-hours schedules (every third with an exception) and
/// `attributes` contact attributes. Returns the YAML text.
pub fn big_config(tags: usize, audiences: usize, schedules: usize, attributes: usize) -> String {
    let mut y = String::from("version: 1\nworkspace:\n  app_id: sbx4c0de\n");
    y.push_str("data_attributes:\n  contact:\n");
    for i in 0..attributes {
        match i % 3 {
            0 => y.push_str(&format!(
                "    - {{name: rel_attr_{i}, type: string, description: \"Reliability attribute {i}\"}}\n"
            )),
            1 => y.push_str(&format!("    - {{name: rel_attr_{i}, type: integer}}\n")),
            _ => y.push_str(&format!(
                "    - {{name: rel_attr_{i}, type: list, options: [a{i}, b{i}, c{i}]}}\n"
            )),
        }
    }
    y.push_str("tags:\n");
    for i in 0..tags {
        y.push_str(&format!("  - name: \"rel tag {i:04}\"\n"));
    }
    y.push_str("audiences:\n");
    for i in 0..audiences {
        y.push_str(&format!(
            "  - name: \"Rel audience {i:03}\"\n    predicates:\n      - {{attribute: custom_attributes.score, type: integer, comparison: gt, value: \"{i}\"}}\n    role_predicates:\n      - {{attribute: role, type: role, comparison: eq, value: user}}\n"
        ));
    }
    y.push_str("office_hours:\n");
    for i in 0..schedules {
        let start = 6 + i % 6;
        y.push_str(&format!(
            "  - name: \"Rel hours {i:03}\"\n    time_zone: Europe/Dublin\n    hours:\n      mon-fri: [\"{start:02}:00-17:15\"]\n"
        ));
        if i % 3 == 0 {
            y.push_str(&format!(
                "    exceptions:\n      - {{date: 2026-12-{:02}, closed: true, name: \"Closed {i}\"}}\n",
                1 + i % 28
            ));
        }
    }
    y
}

/// Writes `text` as `dir/intercom/workspace.yaml` (the default config path).
pub fn write_config(dir: &Path, text: &str) {
    let cfg = dir.join("intercom");
    std::fs::create_dir_all(&cfg).expect("the config dir can be made");
    std::fs::write(cfg.join("workspace.yaml"), text).expect("the config can be written");
}

/// The addresses of a plan in JSON (`plan --format json`).
pub fn plan_addresses(json: &str) -> Vec<String> {
    let doc: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("plan JSON: {e}: {json}"));
    doc["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("plan JSON without changes: {json}"))
        .iter()
        .map(|c| {
            c["address"]
                .as_str()
                .unwrap_or_else(|| panic!("a change without address: {c}"))
                .to_string()
        })
        .collect()
}

/// Another app sharing the workspace's rate limit: it sends `GET /me` every 40 ms
/// (above a small limit) until dropped, so the client under test meets 429 storms.
pub struct Neighbour {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<u64>>,
}

impl Neighbour {
    /// Starts hammering `url` with `token`.
    pub fn start(url: &str, token: &str) -> Neighbour {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let url = format!("{url}/me");
        let token = token.to_string();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async move {
                // The sandbox's injected slow answers hit the neighbour too: give up quickly.
                let http = reqwest::Client::builder()
                    .timeout(Duration::from_millis(300))
                    .build()
                    .expect("an HTTP client");
                let mut tick = tokio::time::interval(Duration::from_millis(10));
                let mut refused = 0;
                while !flag.load(Ordering::SeqCst) {
                    tick.tick().await;
                    if let Ok(r) = http.get(&url).bearer_auth(&token).send().await
                        && r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS
                    {
                        refused += 1;
                    }
                }
                refused
            })
        });
        Neighbour {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops it; returns how many of its requests were refused with 429.
    pub fn stop(mut self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Neighbour {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
