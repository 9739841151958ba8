//! Rate limiting and fault injection: Intercom's fixed-window request limit with its
//! `X-RateLimit-*` headers, and the deterministic schedule of injected failures.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The limit Intercom reports for a private app: 10,000 calls a minute spread over 10 s windows.
pub(crate) const DEFAULT_LIMIT: u32 = 1666;

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RateDecision {
    /// `X-RateLimit-Limit`.
    pub limit: u32,
    /// `X-RateLimit-Remaining`.
    pub remaining: u32,
    /// `X-RateLimit-Reset`: Unix seconds when the current window ends.
    pub reset: u64,
    /// Whether the request is over the limit (429).
    pub exceeded: bool,
}

/// A fixed-window counter. Windows are aligned on multiples of the window length since the
/// Unix epoch, so the reported reset time is exact.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: Option<u32>,
    window_ms: u64,
    /// (window index, requests counted in it).
    current: Mutex<(u64, u32)>,
}

impl RateLimiter {
    /// `limit` requests per `window`; `None` never refuses but still reports 1666.
    pub fn new(limit: Option<u32>, window: Duration) -> RateLimiter {
        let window_ms = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
        RateLimiter {
            limit,
            window_ms,
            current: Mutex::new((0, 0)),
        }
    }

    /// The window length as Intercom's message names it (`10_seconds`).
    pub fn window_label(&self) -> String {
        format!("{}_seconds", self.window_ms.div_ceil(1000))
    }

    /// Counts one request now and says whether it may go through.
    pub fn check(&self) -> RateDecision {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.check_at(now_ms)
    }

    fn check_at(&self, now_ms: u64) -> RateDecision {
        let window = now_ms / self.window_ms;
        let reset = ((window + 1) * self.window_ms).div_ceil(1000);
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != window {
            *current = (window, 0);
        }
        current.1 = current.1.saturating_add(1);
        let used = current.1;
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        RateDecision {
            limit,
            remaining: limit.saturating_sub(used),
            reset,
            exceeded: self.limit.is_some_and(|l| used > l),
        }
    }

    /// Forgets the current window's count (`POST /_sandbox/reset`).
    pub fn reset(&self) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = (0, 0);
    }
}

/// An injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Answer with this 5xx status and an error body.
    Status(u16),
    /// Drop the connection without answering.
    Reset,
    /// Answer only after longer than a client's timeout.
    Slow,
}

/// Picks which requests fail: request `n` fails when a hash of (seed, n) falls under the
/// fault rate, so the same seed and request order always give the same faults.
#[derive(Debug)]
pub(crate) struct FaultPlan {
    rate: f64,
    seed: u64,
    counter: Mutex<u64>,
}

impl FaultPlan {
    /// A plan failing about `rate` (clamped to 0..=1) of requests.
    pub fn new(rate: f64, seed: u64) -> FaultPlan {
        let rate = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
        FaultPlan {
            rate,
            seed,
            counter: Mutex::new(0),
        }
    }

    /// The fault for the next request, if any.
    pub fn next(&self) -> Option<Fault> {
        if self.rate <= 0.0 {
            return None;
        }
        let n = {
            let mut counter = self.counter.lock().unwrap_or_else(|e| e.into_inner());
            *counter += 1;
            *counter
        };
        let h = splitmix64(self.seed ^ splitmix64(n));
        // The top 53 bits as a fraction in [0, 1).
        let draw = (h >> 11) as f64 / (1u64 << 53) as f64;
        if draw >= self.rate {
            return None;
        }
        Some(match h % 6 {
            0 => Fault::Status(500),
            1 => Fault::Status(502),
            2 => Fault::Status(503),
            3 => Fault::Status(504),
            4 => Fault::Reset,
            _ => Fault::Slow,
        })
    }

    /// Starts the sequence over (`POST /_sandbox/reset`).
    pub fn reset(&self) {
        *self.counter.lock().unwrap_or_else(|e| e.into_inner()) = 0;
    }
}

/// SplitMix64's finaliser: a cheap, well-mixed 64-bit hash.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_and_resets_on_boundary() {
        let limiter = RateLimiter::new(Some(2), Duration::from_secs(10));
        let a = limiter.check_at(1_000_000);
        assert_eq!((a.remaining, a.reset, a.exceeded), (1, 1010, false));
        let b = limiter.check_at(1_005_000);
        assert_eq!((b.remaining, b.exceeded), (0, false));
        let c = limiter.check_at(1_009_999);
        assert!(c.exceeded);
        let d = limiter.check_at(1_010_000);
        assert_eq!((d.remaining, d.reset, d.exceeded), (1, 1020, false));
    }

    #[test]
    fn unlimited_reports_default_limit() {
        let limiter = RateLimiter::new(None, Duration::from_secs(10));
        let d = limiter.check_at(0);
        assert_eq!(
            (d.limit, d.remaining, d.exceeded),
            (DEFAULT_LIMIT, DEFAULT_LIMIT - 1, false)
        );
        assert_eq!(limiter.window_label(), "10_seconds");
    }

    #[test]
    fn faults_follow_the_seed() {
        let run = |seed| {
            let plan = FaultPlan::new(0.5, seed);
            (0..64).map(|_| plan.next()).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let faults = run(7).iter().filter(|f| f.is_some()).count();
        assert!((16..=48).contains(&faults), "{faults}");
        assert!(FaultPlan::new(0.0, 7).next().is_none());
        assert!((0..32).all(|_| FaultPlan::new(1.0, 7).next().is_some()));
    }
}
