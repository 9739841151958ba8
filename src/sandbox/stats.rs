//! Counters behind `GET /_sandbox/stats`: what the sandbox was asked and what it answered
//! (calls per operation, 429s, injected faults, events and their metadata keys).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// What tests can read back through `GET /_sandbox/stats`. Cleared by `POST /_sandbox/reset`.
#[derive(Debug, Default, Clone, Serialize)]
pub(crate) struct Stats {
    /// Calls per `"METHOD /path/{template}"` (unmatched paths count as `"METHOD (unmatched)"`).
    pub calls: BTreeMap<String, u64>,
    /// Calls per operation that were answered with a 2xx: a write counted here took effect
    /// exactly once, so tests can tell resent requests from duplicated writes.
    pub succeeded: BTreeMap<String, u64>,
    /// All calls to the Intercom API paths.
    pub total_calls: u64,
    /// 401 answers sent.
    pub unauthorized: u64,
    /// 429 answers sent.
    pub rate_limited: u64,
    /// Injected faults of every kind.
    pub faults_injected: u64,
    /// `POST /events` accepted (202), duplicates included.
    pub events_received: u64,
    /// Accepted events that were duplicates and not recorded again.
    pub events_deduplicated: u64,
    /// Event names seen, with the metadata keys each was sent with.
    pub event_names: BTreeMap<String, BTreeSet<String>>,
}
