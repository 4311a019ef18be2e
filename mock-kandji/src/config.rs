//! The mock's start-up configuration, shared by `main.rs` and in-process tests.

use chrono::{DateTime, Utc};

use crate::faults::FaultSettings;

/// The token that holds every permission unless `--token` says otherwise.
pub const DEFAULT_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// How the mock starts: fleet seed and size, the all-powerful token, rate
/// limits, the status for a missing permission, the fleet's clock and faults.
#[derive(Clone)]
pub struct MockConfig {
    /// Same seed, same fleet, byte for byte.
    pub seed: u64,
    /// Devices per tenant.
    pub devices: usize,
    /// The bearer token with every permission.
    pub token: String,
    /// Requests per second per tenant before a 429; 0 turns the limit off.
    pub rate_per_second: u32,
    /// Requests per hour per tenant before a 429; 0 turns the limit off.
    pub rate_per_hour: u32,
    /// Status for a token that lacks a permission: 403 (documented) or 401
    /// (what some clients have seen).
    pub denied_status: u16,
    /// The fleet's clock anchor: every generated timestamp is relative to
    /// it. `None` means today's 00:00 UTC.
    pub now: Option<DateTime<Utc>>,
    /// Latency and faults at start-up; `PUT /__mock/faults` changes them.
    pub faults: FaultSettings,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            seed: 42,
            devices: 250,
            token: DEFAULT_TOKEN.to_owned(),
            rate_per_second: 50,
            rate_per_hour: 10_000,
            denied_status: 403,
            now: None,
            faults: FaultSettings::default(),
        }
    }
}

/// Prints everything but the token, so a config can be logged safely.
impl std::fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockConfig")
            .field("seed", &self.seed)
            .field("devices", &self.devices)
            .field("token", &"<redacted>")
            .field("rate_per_second", &self.rate_per_second)
            .field("rate_per_hour", &self.rate_per_hour)
            .field("denied_status", &self.denied_status)
            .field("now", &self.now)
            .field("faults", &self.faults)
            .finish()
    }
}

impl MockConfig {
    /// The clock anchor in force: `now`, or today's 00:00 UTC.
    pub fn clock_anchor(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(|| {
            Utc::now()
                .date_naive()
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let config = MockConfig {
            token: "11111111-2222-4333-8444-555555555555".to_owned(),
            ..MockConfig::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("11111111"), "{printed}");
        assert!(printed.contains("<redacted>"));
    }

    #[test]
    fn clock_anchor_defaults_to_midnight_utc() {
        let anchor = MockConfig::default().clock_anchor();
        assert_eq!(anchor.format("%H:%M:%S").to_string(), "00:00:00");
    }
}
