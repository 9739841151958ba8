//! Counters behind `GET /_sandbox/stats`: what the sandbox was asked and what it answered
//! (calls per operation, 429s, injected faults, events and their metadata keys), and the
//! timeline of calls (when each arrived and was answered), so tests can check what ran before
//! what.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use axum::http::Uri;
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
    /// Every API call in the order they were answered (the first [`TIMELINE_CAP`]).
    pub timeline: Vec<Call>,
    /// Calls answered after the timeline was full.
    pub timeline_dropped: u64,
    /// The logical clock of `Call::start` and `Call::end`.
    #[serde(skip)]
    ticks: u64,
    /// When the first call since the start (or the last reset) arrived.
    #[serde(skip)]
    epoch: Option<Instant>,
}

/// Most calls the timeline keeps, so a long-running `sandbox serve` does not grow without end.
pub(crate) const TIMELINE_CAP: usize = 100_000;

/// One API call as the sandbox saw it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Call {
    /// `"METHOD /path/{template}"`, as in `calls`.
    pub operation: String,
    /// The path asked for.
    pub path: String,
    /// The query string asked for (empty without one).
    pub query: String,
    /// The answer's HTTP status.
    pub status: u16,
    /// When it arrived on a logical clock shared by every arrival and answer: strictly
    /// increasing, so the order of two events is exact even within one microsecond.
    pub start: u64,
    /// When it was answered, on the same clock.
    pub end: u64,
    /// When it arrived, in microseconds since the first call (after start or reset).
    pub start_us: u64,
    /// When it was answered, in microseconds since the first call.
    pub end_us: u64,
}

/// When a call arrived, to be completed into a [`Call`] when it is answered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Arrival {
    tick: u64,
    at: Instant,
}

impl Stats {
    /// Stamps a call's arrival.
    pub fn arrive(&mut self) -> Arrival {
        let at = Instant::now();
        self.epoch.get_or_insert(at);
        self.ticks += 1;
        Arrival {
            tick: self.ticks,
            at,
        }
    }

    /// Records a call answered now.
    pub fn answer(&mut self, arrival: Arrival, operation: String, uri: &Uri, status: u16) {
        let now = Instant::now();
        let epoch = *self.epoch.get_or_insert(arrival.at);
        self.ticks += 1;
        if self.timeline.len() >= TIMELINE_CAP {
            self.timeline_dropped += 1;
            return;
        }
        let micros = |t: Instant| u64::try_from(t.saturating_duration_since(epoch).as_micros());
        self.timeline.push(Call {
            operation,
            path: uri.path().to_string(),
            query: uri.query().unwrap_or_default().to_string(),
            status,
            start: arrival.tick,
            end: self.ticks,
            start_us: micros(arrival.at).unwrap_or(u64::MAX),
            end_us: micros(now).unwrap_or(u64::MAX),
        });
    }
}
