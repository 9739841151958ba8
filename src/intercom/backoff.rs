//! Retry timing: exponential backoff with jitter, and the small random source behind it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Exponential backoff: the wait after failed attempt `n` (1-based) is drawn from
/// `[b/2, b]` with `b = min(base * 2^(n-1), max)` ("equal jitter"), so retries from many
/// tasks spread out but never shrink to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backoff {
    /// Wait ceiling after the first failure.
    pub base: Duration,
    /// Wait ceiling for any attempt.
    pub max: Duration,
}

impl Backoff {
    /// The upper bound of the wait after failed attempt `attempt` (1-based).
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let shift = attempt.saturating_sub(1).min(20);
        self.base.saturating_mul(1u32 << shift).min(self.max)
    }

    /// The wait after failed attempt `attempt` (1-based), jittered.
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let half = ceiling / 2;
        half + half.mul_f64(random_unit())
    }
}

/// A uniform number in `[0, 1)`. Jitter only needs spread between tasks and processes, not
/// unpredictability, so a SplitMix64 sequence seeded from the clock is enough.
pub(crate) fn random_unit() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut seed = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    if seed == 0 {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x1234_5678);
        // First call: mix in the clock and the process id so processes differ.
        seed = nanos ^ (u64::from(std::process::id()) << 32);
        STATE.store(seed, Ordering::Relaxed);
    }
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_exponentially_within_bounds() {
        let b = Backoff {
            base: Duration::from_millis(200),
            max: Duration::from_secs(5),
        };
        assert_eq!(b.ceiling(1), Duration::from_millis(200));
        assert_eq!(b.ceiling(2), Duration::from_millis(400));
        assert_eq!(b.ceiling(4), Duration::from_millis(1600));
        assert_eq!(b.ceiling(6), Duration::from_secs(5));
        assert_eq!(b.ceiling(1000), Duration::from_secs(5));
        for attempt in 1..=10 {
            let ceiling = b.ceiling(attempt);
            for _ in 0..200 {
                let d = b.delay(attempt);
                assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d:?}");
            }
        }
    }

    #[test]
    fn random_unit_is_in_range_and_varies() {
        let xs: Vec<f64> = (0..1000).map(|_| random_unit()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let low = xs.iter().filter(|x| **x < 0.5).count();
        assert!((300..700).contains(&low), "{low}");
    }
}
