//! Whether Redis is answering, told once in the logs and always in `/metrics`.
//!
//! A Redis outage must not cost every query a timeout, nor fill the logs with one line per
//! call. So the first failure flips the tier to "down" and logs one warning; while down, only
//! one call per probe interval is let through to Redis, and the first success flips it back
//! with one info line. `gateway_redis_up` is 1 or 0 accordingly.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const UNKNOWN: u8 = 0;
const UP: u8 = 1;
const DOWN: u8 = 2;

/// The tier's view of Redis, shared by every clone of one handle.
pub(super) struct Health {
    state: AtomicU8,
    /// Milliseconds since `epoch` from which the next probe may go to Redis.
    next_probe_ms: AtomicU64,
    epoch: Instant,
    probe_interval: Duration,
}

impl Health {
    /// Unknown until the first operation; probing at most once per `probe_interval` while down.
    pub(super) fn new(probe_interval: Duration) -> Self {
        Self {
            state: AtomicU8::new(UNKNOWN),
            next_probe_ms: AtomicU64::new(0),
            epoch: Instant::now(),
            probe_interval,
        }
    }

    /// Whether the last operation reached Redis.
    pub(super) fn is_up(&self) -> bool {
        self.state.load(Ordering::Relaxed) == UP
    }

    /// Whether this call should go to Redis: always while up, and for one caller per probe
    /// interval while down.
    pub(super) fn should_try(&self) -> bool {
        if self.state.load(Ordering::Relaxed) != DOWN {
            return true;
        }
        let now = self.now_ms();
        let due = self.next_probe_ms.load(Ordering::Relaxed);
        now >= due
            && self
                .next_probe_ms
                .compare_exchange(
                    due,
                    now + self.interval_ms(),
                    Ordering::AcqRel,
                    Ordering::Relaxed,
                )
                .is_ok()
    }

    /// Records an answer from Redis; logs the recovery if it was down.
    pub(super) fn mark_up(&self) {
        let previous = self.state.swap(UP, Ordering::AcqRel);
        metrics::gauge!("gateway_redis_up").set(1.0);
        match previous {
            DOWN => tracing::info!("Redis recovered: sharing the cache and rate budget again"),
            UNKNOWN => tracing::info!("Redis connected: sharing the cache and rate budget"),
            _ => {}
        }
    }

    /// Records that Redis could not be reached; logs the degradation if it was not already down.
    pub(super) fn mark_down(&self, op: &'static str, detail: &str) {
        self.next_probe_ms
            .store(self.now_ms() + self.interval_ms(), Ordering::Relaxed);
        let previous = self.state.swap(DOWN, Ordering::AcqRel);
        metrics::gauge!("gateway_redis_up").set(0.0);
        if previous != DOWN {
            tracing::warn!(
                redis.op = op,
                error = detail,
                retry_every_ms = self.interval_ms(),
                "Redis unavailable: using the local cache and rate limiter until it answers again"
            );
        }
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn interval_ms(&self) -> u64 {
        self.probe_interval.as_millis() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_down_tier_lets_one_probe_through_per_interval() {
        let health = Health::new(Duration::from_millis(50));
        assert!(health.should_try(), "unknown lets calls through");

        health.mark_down("l2_get", "connection refused");
        let allowed = (0..100).filter(|_| health.should_try()).count();
        assert_eq!(allowed, 0, "no probe before the interval has passed");

        std::thread::sleep(Duration::from_millis(60));
        let allowed = (0..100).filter(|_| health.should_try()).count();
        assert_eq!(allowed, 1, "exactly one probe once the interval has passed");

        health.mark_up();
        assert!(health.is_up());
        assert_eq!((0..10).filter(|_| health.should_try()).count(), 10);
    }
}
