//! The rate limiter every request of one `Client` (and its clones) goes through. It follows
//! Intercom's `X-RateLimit-*` headers: it never sends a request the current window has no room
//! for (counting requests still in flight), waits for the window to reset when it is used up,
//! and blocks everyone until the reset after a 429.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::{DATE, HeaderMap};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::backoff::random_unit;

/// Never wait less than this for a window the server says has already reset: a reset time at
/// or before the server's clock means "the next second", and retrying at once would just spin.
const MIN_RESET_WAIT: Duration = Duration::from_millis(100);

/// What one response said about the rate-limit window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateInfo {
    /// `X-RateLimit-Limit`: requests per window.
    pub limit: Option<u32>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: u32,
    /// `X-RateLimit-Reset` as sent (Unix seconds), to tell windows apart.
    pub reset_unix: Option<u64>,
    /// How long from now until the window resets, skew-corrected and capped.
    pub reset_in: Duration,
}

impl RateInfo {
    /// Reads the rate-limit headers. `None` when the response carries none (Intercom omits them
    /// on unauthenticated answers). `local_unix` is this machine's clock; it is used only when
    /// the response has no `Date` header.
    pub fn from_headers(headers: &HeaderMap, local_unix: u64, cap: Duration) -> Option<RateInfo> {
        let number = |name: &str| -> Option<u64> {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse::<u64>().ok())
        };
        let remaining = number("x-ratelimit-remaining")?;
        let limit = number("x-ratelimit-limit").map(|l| l.min(u64::from(u32::MAX)) as u32);
        let reset_unix = number("x-ratelimit-reset");
        let server_now = headers
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date);
        let reset_in = match reset_unix {
            Some(reset) => reset_delay(reset, server_now, local_unix, cap),
            None => cap,
        };
        Some(RateInfo {
            limit,
            remaining: remaining.min(u64::from(u32::MAX)) as u32,
            reset_unix,
            reset_in,
        })
    }
}

/// How long until `reset_unix`, measured against the server's own clock (`Date`) when known so
/// that a skewed local clock does not matter, else against the local clock; never less than a
/// small floor, never more than `cap`.
pub(crate) fn reset_delay(
    reset_unix: u64,
    server_now_unix: Option<u64>,
    local_now_unix: u64,
    cap: Duration,
) -> Duration {
    let now = server_now_unix.unwrap_or(local_now_unix);
    let secs = reset_unix.saturating_sub(now);
    Duration::from_secs(secs).clamp(MIN_RESET_WAIT, cap.max(MIN_RESET_WAIT))
}

/// Parses an HTTP `Date` header (IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`) into Unix
/// seconds.
pub(crate) fn parse_http_date(s: &str) -> Option<u64> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    let ts = PARSER.parse_timestamp(s.trim()).ok()?;
    u64::try_from(ts.as_second()).ok()
}

/// What the limiter knows about the server's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knowledge {
    /// Nothing yet: send one request at a time until an answer shows the headers.
    Unknown,
    /// The server answered without rate-limit headers: do not throttle.
    NoHeaders,
    /// A window was reported.
    Window,
}

#[derive(Debug)]
struct State {
    knowledge: Knowledge,
    limit: Option<u32>,
    remaining: u32,
    reset_unix: Option<u64>,
    reset_at: Option<Instant>,
    /// `X-RateLimit-Reset` of the last window this limiter saw end; answers still carrying it
    /// (sent before the reset, received after) are stale and ignored.
    ended_window: Option<u64>,
    in_flight: u32,
    blocked_until: Option<Instant>,
}

/// What an acquiring task must do.
enum Decision {
    Go,
    /// Wait until this instant (window reset or 429 block).
    Until(Instant),
    /// Wait for an in-flight request to finish, or until the instant if given.
    Completion(Option<Instant>),
}

impl State {
    /// Forgets a window (or a block) whose reset time has passed.
    fn roll(&mut self, now: Instant) {
        if self.blocked_until.is_some_and(|t| t <= now) {
            self.blocked_until = None;
        }
        if self.knowledge == Knowledge::Window && self.reset_at.is_some_and(|t| t <= now) {
            self.reset_at = None;
            self.ended_window = self.reset_unix.or(self.ended_window);
            match self.limit {
                Some(limit) if limit > 0 => self.remaining = limit,
                // Without a known limit, probe the new window with one request.
                _ => self.knowledge = Knowledge::Unknown,
            }
        }
    }

    fn decide(&self, now: Instant, cap: Duration) -> Decision {
        if let Some(until) = self.blocked_until {
            return Decision::Until(until);
        }
        match self.knowledge {
            Knowledge::NoHeaders => Decision::Go,
            Knowledge::Unknown if self.in_flight == 0 => Decision::Go,
            Knowledge::Unknown => Decision::Completion(None),
            Knowledge::Window => {
                // Requests in flight may not be counted in `remaining` yet: assume they are not.
                if self.remaining > self.in_flight {
                    Decision::Go
                } else if self.in_flight > 0 {
                    Decision::Completion(self.reset_at)
                } else {
                    Decision::Until(self.reset_at.unwrap_or(now + cap))
                }
            }
        }
    }
}

/// A rate limiter shared by every clone of a `Client`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
    changed: Notify,
    /// The longest wait for one window (Intercom's windows are 10 s).
    window_cap: Duration,
}

impl RateLimiter {
    /// A limiter that caps any single wait at `window_cap` (plus jitter after a 429).
    pub fn new(window_cap: Duration) -> Self {
        RateLimiter {
            state: Mutex::new(State {
                knowledge: Knowledge::Unknown,
                limit: None,
                remaining: 0,
                reset_unix: None,
                reset_at: None,
                ended_window: None,
                in_flight: 0,
                blocked_until: None,
            }),
            changed: Notify::new(),
            window_cap,
        }
    }

    /// The cap passed to [`RateInfo::from_headers`].
    pub fn window_cap(&self) -> Duration {
        self.window_cap
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the counters inconsistent in a way that
        // matters more than stopping every request, so recover the guard.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until a request may be sent, and counts it as in flight until the permit is
    /// completed or dropped.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            // Register interest before looking, so a completion between the look and the wait
            // is not missed.
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let decision = {
                let mut s = self.lock();
                let now = Instant::now();
                s.roll(now);
                let d = s.decide(now, self.window_cap);
                if matches!(d, Decision::Go) {
                    s.in_flight += 1;
                }
                d
            };
            match decision {
                Decision::Go => {
                    return Permit {
                        limiter: self,
                        done: false,
                    };
                }
                Decision::Until(t) => {
                    tracing::debug!(
                        wait_ms = t.saturating_duration_since(Instant::now()).as_millis() as u64,
                        "rate limit: waiting for the window to reset"
                    );
                    tokio::time::sleep_until(t).await;
                }
                Decision::Completion(Some(t)) => {
                    tokio::select! {
                        _ = &mut notified => {}
                        _ = tokio::time::sleep_until(t) => {}
                    }
                }
                Decision::Completion(None) => notified.await,
            }
        }
    }

    fn finish(&self, info: Option<RateInfo>, answered: bool, too_many: bool) {
        {
            let mut s = self.lock();
            let now = Instant::now();
            s.in_flight = s.in_flight.saturating_sub(1);
            let stale = matches!(
                (info.and_then(|i| i.reset_unix), s.ended_window),
                (Some(reset), Some(ended)) if reset <= ended
            );
            match info {
                // From a window already over: says nothing about the current one.
                Some(_) if stale && !too_many => {}
                Some(info) => {
                    let newer = match (info.reset_unix, s.reset_unix) {
                        (Some(new), Some(old)) => new > old,
                        _ => true,
                    };
                    let older = matches!((info.reset_unix, s.reset_unix), (Some(new), Some(old)) if new < old);
                    if s.knowledge != Knowledge::Window || newer || s.reset_at.is_none() {
                        s.knowledge = Knowledge::Window;
                        s.remaining = info.remaining;
                        s.limit = info.limit.or(s.limit);
                        s.reset_unix = info.reset_unix;
                        s.reset_at = Some(now + info.reset_in);
                    } else if !older {
                        // Same window: answers can arrive out of order; the smallest count is
                        // the latest.
                        s.remaining = s.remaining.min(info.remaining);
                        s.limit = info.limit.or(s.limit);
                    }
                }
                None if answered && s.knowledge == Knowledge::Unknown && !too_many => {
                    s.knowledge = Knowledge::NoHeaders;
                }
                None => {}
            }
            if too_many {
                let wait = info.map(|i| i.reset_in).unwrap_or(self.window_cap);
                let jitter = self
                    .window_cap
                    .min(Duration::from_secs(1))
                    .mul_f64(random_unit() / 10.0);
                let until = now + wait.min(self.window_cap) + jitter;
                s.blocked_until = Some(s.blocked_until.map_or(until, |b| b.max(until)));
                s.remaining = 0;
                if s.knowledge != Knowledge::NoHeaders {
                    s.knowledge = Knowledge::Window;
                    s.reset_at = Some(until);
                }
            }
        }
        self.changed.notify_waiters();
    }

    #[cfg(test)]
    fn snapshot(&self) -> (u32, u32) {
        let s = self.lock();
        (s.remaining, s.in_flight)
    }
}

/// Permission to send one request. Complete it with what the answer said; dropping it (a
/// transport error, a cancelled task) just frees its slot.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    limiter: &'a RateLimiter,
    done: bool,
}

impl Permit<'_> {
    /// Records an answer: its rate-limit headers (if any) and whether it was a 429.
    pub fn complete(mut self, info: Option<RateInfo>, too_many: bool) {
        self.done = true;
        self.limiter.finish(info, true, too_many);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.limiter.finish(None, false, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use reqwest::header::HeaderValue;

    use super::*;

    fn info(remaining: u32, reset_unix: u64, reset_in: u64) -> RateInfo {
        RateInfo {
            limit: Some(3),
            remaining,
            reset_unix: Some(reset_unix),
            reset_in: Duration::from_secs(reset_in),
        }
    }

    #[test]
    fn reset_delay_prefers_the_server_clock_and_is_capped() {
        let cap = Duration::from_secs(10);
        // Local clock far ahead: the server's Date decides.
        assert_eq!(
            reset_delay(1000, Some(996), 99_999, cap),
            Duration::from_secs(4)
        );
        // No Date header: local clock.
        assert_eq!(reset_delay(1000, None, 997, cap), Duration::from_secs(3));
        // Local clock far behind: capped at one window.
        assert_eq!(reset_delay(1000, None, 10, cap), cap);
        // Reset already passed: a short floor, not zero.
        assert_eq!(reset_delay(1000, Some(1005), 0, cap), MIN_RESET_WAIT);
    }

    #[test]
    fn reads_headers_and_http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
        let mut h = HeaderMap::new();
        assert_eq!(RateInfo::from_headers(&h, 0, Duration::from_secs(10)), None);
        h.insert("x-ratelimit-limit", HeaderValue::from_static("167"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("784111784"));
        h.insert(
            DATE,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        let i = RateInfo::from_headers(&h, 5, Duration::from_secs(10)).unwrap();
        assert_eq!(i.limit, Some(167));
        assert_eq!(i.remaining, 0);
        assert_eq!(i.reset_in, Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn first_request_probes_alone_then_headers_open_the_window() {
        let l = Arc::new(RateLimiter::new(Duration::from_secs(10)));
        let p = l.acquire().await;
        let l2 = l.clone();
        let second = tokio::spawn(async move {
            let _p = l2.acquire().await;
        });
        // While the probe is in flight nothing else goes out.
        tokio::task::yield_now().await;
        assert!(!second.is_finished());
        p.complete(Some(info(2, 100, 5)), false);
        second.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn never_sends_more_than_remaining_counting_in_flight() {
        let l = RateLimiter::new(Duration::from_secs(10));
        l.acquire().await.complete(Some(info(2, 100, 5)), false);
        let start = Instant::now();
        let a = l.acquire().await;
        let b = l.acquire().await;
        assert_eq!(l.snapshot(), (2, 2));
        // A third must wait: both remaining slots are in flight.
        let third = tokio::time::timeout(Duration::from_secs(1), l.acquire()).await;
        assert!(third.is_err(), "a third request went out with no room left");
        // The answers say the window is used up; the next request waits for the reset.
        a.complete(Some(info(1, 100, 4)), false);
        b.complete(Some(info(0, 100, 4)), false);
        let c = l.acquire().await;
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(5) && waited < Duration::from_secs(6),
            "{waited:?}"
        );
        drop(c);
    }

    #[tokio::test(start_paused = true)]
    async fn many_tasks_never_overshoot_a_window() {
        let l = Arc::new(RateLimiter::new(Duration::from_secs(10)));
        l.acquire().await.complete(Some(info(3, 100, 10)), false);
        let sent = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for _ in 0..9 {
            let (l, sent) = (l.clone(), sent.clone());
            tasks.push(tokio::spawn(async move {
                let p = l.acquire().await;
                let at = Instant::now();
                sent.lock().unwrap().push(at);
                tokio::time::sleep(Duration::from_millis(50)).await;
                // The server counts down within the window, then a new one starts.
                let used = sent.lock().unwrap().len() as u32;
                let remaining = 3u32.saturating_sub(((used - 1) % 3) + 1);
                let window = u64::from((used - 1) / 3);
                p.complete(Some(info(remaining, 100 + window * 10, 10)), false);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let times = sent.lock().unwrap().clone();
        assert_eq!(times.len(), 9);
        let start = times[0];
        for w in 0..3u64 {
            let in_window = times
                .iter()
                .filter(|t| {
                    let e = t.duration_since(start);
                    e >= Duration::from_secs(w * 10) && e < Duration::from_secs((w + 1) * 10)
                })
                .count();
            assert!(in_window <= 3, "window {w} got {in_window} requests");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_blocks_everyone_until_the_reset_capped_at_one_window() {
        let l = RateLimiter::new(Duration::from_secs(10));
        l.acquire().await.complete(Some(info(5, 100, 3)), false);
        let start = Instant::now();
        // The 429 says the window resets in 3 s.
        l.acquire().await.complete(Some(info(0, 100, 3)), true);
        let _p = l.acquire().await;
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(3) && waited <= Duration::from_millis(3100),
            "{waited:?}"
        );
        drop(_p);
        // A 429 without headers waits one window (plus at most 10% of a second of jitter).
        let start = Instant::now();
        l.acquire().await.complete(None, true);
        let _q = l.acquire().await;
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(10) && waited <= Duration::from_millis(10_100),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn servers_without_headers_are_not_throttled() {
        let l = RateLimiter::new(Duration::from_secs(10));
        l.acquire().await.complete(None, false);
        let start = Instant::now();
        let ps: Vec<_> = futures_free_acquire(&l, 20).await;
        assert_eq!(ps.len(), 20);
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    async fn futures_free_acquire(l: &RateLimiter, n: usize) -> Vec<Permit<'_>> {
        let mut v = Vec::new();
        for _ in 0..n {
            v.push(l.acquire().await);
        }
        v
    }

    #[tokio::test(start_paused = true)]
    async fn answers_from_an_ended_window_do_not_block_the_new_one() {
        let l = RateLimiter::new(Duration::from_secs(10));
        l.acquire().await.complete(Some(info(3, 100, 1)), false);
        let late = l.acquire().await;
        // The window ends; the limiter assumes the full limit again.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let a = l.acquire().await;
        // An answer sent in the old window arrives now, saying 0 left there.
        late.complete(Some(info(0, 100, 1)), false);
        let start = Instant::now();
        let b = l.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        drop((a, b));
    }

    #[tokio::test(start_paused = true)]
    async fn dropped_permits_free_their_slot() {
        let l = RateLimiter::new(Duration::from_secs(10));
        l.acquire().await.complete(Some(info(1, 100, 5)), false);
        let p = l.acquire().await;
        assert_eq!(l.snapshot(), (1, 1));
        drop(p);
        assert_eq!(l.snapshot(), (1, 0));
        let start = Instant::now();
        let _again = l.acquire().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}
