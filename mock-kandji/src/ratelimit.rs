//! Per-tenant rate limits the way Kandji's Kong gateway enforces them:
//! fixed one-second and one-hour windows, `RateLimit-*` and
//! `X-RateLimit-*` headers on every `/api/` answer, and a 429 with
//! `Retry-After` once a window is used up.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::host::TenantKey;

/// The limits in force; 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RateLimits {
    /// Requests per second per tenant.
    pub per_second: u32,
    /// Requests per hour per tenant.
    pub per_hour: u32,
}

/// The outcome of counting one request: the header values, and whether it
/// went over a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateDecision {
    /// The headers to send, in order.
    pub headers: Vec<(&'static str, String)>,
    /// Seconds to wait when a limit was exceeded; `None` when allowed.
    pub retry_after: Option<u64>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Window {
    started: u64,
    used: u32,
}

impl Window {
    /// Counts one request in the window that `now` falls in.
    fn count(&mut self, now: u64, length: u64) -> u32 {
        let start = now - now % length;
        if self.started != start {
            *self = Window {
                started: start,
                used: 0,
            };
        }
        self.used = self.used.saturating_add(1);
        self.used
    }
}

/// Counters for every tenant that has been called.
#[derive(Debug)]
pub struct RateLimiter {
    limits: RateLimits,
    windows: HashMap<TenantKey, (Window, Window)>,
}

impl RateLimiter {
    /// A limiter with empty windows.
    pub fn new(limits: RateLimits) -> Self {
        RateLimiter {
            limits,
            windows: HashMap::new(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Changes the limits, keeping the counts of the current windows.
    pub fn set_limits(&mut self, limits: RateLimits) {
        self.limits = limits;
    }

    /// Counts a request for `tenant` now.
    pub fn check(&mut self, tenant: &TenantKey) -> RateDecision {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.check_at(tenant, now)
    }

    /// Counts a request for `tenant` at `now` (seconds since the epoch).
    pub fn check_at(&mut self, tenant: &TenantKey, now: u64) -> RateDecision {
        let RateLimits {
            per_second,
            per_hour,
        } = self.limits;
        let (second, hour) = self.windows.entry(tenant.clone()).or_default();
        let used_second = second.count(now, 1);
        let used_hour = hour.count(now, 3600);
        let hour_reset = 3600 - now % 3600;

        let mut headers = Vec::new();
        let mut retry_after = None;
        if per_second > 0 {
            let remaining = per_second.saturating_sub(used_second);
            headers.extend([
                ("RateLimit-Limit", per_second.to_string()),
                ("RateLimit-Remaining", remaining.to_string()),
                ("RateLimit-Reset", "1".to_owned()),
                ("X-RateLimit-Limit-Second", per_second.to_string()),
                ("X-RateLimit-Remaining-Second", remaining.to_string()),
            ]);
            if used_second > per_second {
                retry_after = Some(1);
            }
        }
        if per_hour > 0 {
            let remaining = per_hour.saturating_sub(used_hour);
            if per_second == 0 {
                headers.extend([
                    ("RateLimit-Limit", per_hour.to_string()),
                    ("RateLimit-Remaining", remaining.to_string()),
                    ("RateLimit-Reset", hour_reset.to_string()),
                ]);
            }
            headers.extend([
                ("X-RateLimit-Limit-Hour", per_hour.to_string()),
                ("X-RateLimit-Remaining-Hour", remaining.to_string()),
            ]);
            if used_hour > per_hour {
                retry_after = Some(hour_reset);
            }
        }
        RateDecision {
            headers,
            retry_after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(decision: &'a RateDecision, name: &str) -> &'a str {
        let found = decision.headers.iter().find(|(n, _)| *n == name);
        found.map(|(_, v)| v.as_str()).unwrap_or("<absent>")
    }

    #[test]
    fn the_second_window_refills_on_the_next_second() {
        let mut limiter = RateLimiter::new(RateLimits {
            per_second: 2,
            per_hour: 100,
        });
        let tenant = TenantKey::demo();
        assert_eq!(
            header(&limiter.check_at(&tenant, 1000), "RateLimit-Remaining"),
            "1"
        );
        assert_eq!(limiter.check_at(&tenant, 1000).retry_after, None);
        let third = limiter.check_at(&tenant, 1000);
        assert_eq!(third.retry_after, Some(1));
        assert_eq!(header(&third, "X-RateLimit-Remaining-Second"), "0");
        assert_eq!(header(&third, "X-RateLimit-Remaining-Hour"), "97");
        assert_eq!(limiter.check_at(&tenant, 1001).retry_after, None);
    }

    #[test]
    fn the_hour_window_retries_after_the_hour_ends() {
        let mut limiter = RateLimiter::new(RateLimits {
            per_second: 0,
            per_hour: 1,
        });
        let tenant = TenantKey::demo();
        assert_eq!(limiter.check_at(&tenant, 7200 + 600).retry_after, None);
        let over = limiter.check_at(&tenant, 7200 + 601);
        assert_eq!(over.retry_after, Some(2999));
        assert_eq!(header(&over, "RateLimit-Reset"), "2999");
        assert_eq!(header(&over, "X-RateLimit-Limit-Second"), "<absent>");
    }
}
