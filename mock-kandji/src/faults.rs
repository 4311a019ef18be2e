//! Latency and fault injection for `/api/` routes, drawn from a seeded RNG
//! so that a test run with the same settings fails in the same places.
//!
//! Each request draws the same three numbers whatever the settings, in
//! arrival order: one for latency, one to pick a fault kind, one to pick an
//! error status. `/__mock/` routes never draw.

use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Latency and fault settings: the JSON of `PUT /__mock/faults`, where a
/// missing field means "off".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Added to every response: fixed, or the lower bound of a uniform range.
    pub latency_ms: u64,
    /// Upper bound of the uniform latency range; `None` for a fixed latency.
    pub latency_max_ms: Option<u64>,
    /// Share of requests answered with an error status.
    pub error_rate: f64,
    /// Statuses an error is drawn from.
    pub error_statuses: Vec<u16>,
    /// Share of requests that sleep `hang_ms` before answering.
    pub hang_rate: f64,
    /// How long a hanging request sleeps; longer than a client timeout.
    pub hang_ms: u64,
    /// Share of requests cut off after the headers and part of the body.
    pub drop_rate: f64,
    /// Share of requests answered 200 with truncated JSON.
    pub malformed_rate: f64,
    /// Share of requests answered with Kandji's HTML 404 page.
    pub html_404_rate: f64,
    /// Seed of the fault RNG.
    #[serde(alias = "fault_seed")]
    pub seed: u64,
}

impl Default for FaultSettings {
    fn default() -> Self {
        FaultSettings {
            latency_ms: 0,
            latency_max_ms: None,
            error_rate: 0.0,
            error_statuses: vec![500, 502, 503],
            hang_rate: 0.0,
            hang_ms: 30_000,
            drop_rate: 0.0,
            malformed_rate: 0.0,
            html_404_rate: 0.0,
            seed: 0,
        }
    }
}

impl FaultSettings {
    /// Checks rates and statuses; the error says which field is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let rates = [
            ("error_rate", self.error_rate),
            ("hang_rate", self.hang_rate),
            ("drop_rate", self.drop_rate),
            ("malformed_rate", self.malformed_rate),
            ("html_404_rate", self.html_404_rate),
        ];
        for (name, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be between 0 and 1, got {rate}"));
            }
        }
        let total: f64 = rates.iter().map(|(_, rate)| rate).sum();
        if total > 1.0 + 1e-9 {
            return Err(format!("the fault rates add up to {total}, more than 1"));
        }
        if let Some(max) = self.latency_max_ms
            && max < self.latency_ms
        {
            return Err(format!(
                "latency_max_ms ({max}) is below latency_ms ({})",
                self.latency_ms
            ));
        }
        if self.error_rate > 0.0 && self.error_statuses.is_empty() {
            return Err("error_statuses is empty while error_rate is above 0".to_owned());
        }
        if let Some(bad) = self
            .error_statuses
            .iter()
            .find(|s| !(400..=599).contains(*s))
        {
            return Err(format!("error_statuses holds {bad}, not an error status"));
        }
        Ok(())
    }
}

/// What one request suffers, besides its latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    /// Answer with this status instead of the real response.
    Error(u16),
    /// Sleep this long, then answer normally.
    Hang(Duration),
    /// Send the headers and half the body, then cut the connection.
    Drop,
    /// Answer 200 with the body cut in half.
    Malformed,
    /// Answer with the HTML 404 page.
    Html404,
}

impl FaultAction {
    /// The name used in the request journal.
    pub fn name(self) -> &'static str {
        match self {
            FaultAction::Error(_) => "error",
            FaultAction::Hang(_) => "hang",
            FaultAction::Drop => "drop",
            FaultAction::Malformed => "malformed",
            FaultAction::Html404 => "html_404",
        }
    }
}

/// The faults drawn for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaultPlan {
    /// Sleep before answering.
    pub latency: Duration,
    /// The fault, if any.
    pub action: Option<FaultAction>,
}

/// Settings plus the RNG they draw from; reset whenever settings change.
#[derive(Debug)]
pub struct FaultInjector {
    settings: FaultSettings,
    rng: ChaCha8Rng,
}

impl FaultInjector {
    /// An injector whose RNG starts at `settings.seed`.
    pub fn new(settings: FaultSettings) -> Self {
        let rng = ChaCha8Rng::seed_from_u64(settings.seed);
        FaultInjector { settings, rng }
    }

    /// The settings in force.
    pub fn settings(&self) -> &FaultSettings {
        &self.settings
    }

    /// Draws the faults for the next request.
    pub fn draw(&mut self) -> FaultPlan {
        let (latency_draw, kind_draw, status_draw) = (
            self.rng.random::<f64>(),
            self.rng.random::<f64>(),
            self.rng.random::<f64>(),
        );
        let s = &self.settings;

        let latency_ms = match s.latency_max_ms {
            Some(max) if max > s.latency_ms => {
                s.latency_ms + ((max - s.latency_ms + 1) as f64 * latency_draw) as u64
            }
            _ => s.latency_ms,
        };

        // Walk the cumulative rates; the first band the draw falls in wins.
        let mut edge = 0.0;
        let mut pick = |rate: f64| {
            let hit = kind_draw >= edge && kind_draw < edge + rate;
            edge += rate;
            hit
        };
        let action = if pick(s.error_rate) {
            let index = (status_draw * s.error_statuses.len() as f64) as usize;
            let status = s.error_statuses[index.min(s.error_statuses.len() - 1)];
            Some(FaultAction::Error(status))
        } else if pick(s.hang_rate) {
            Some(FaultAction::Hang(Duration::from_millis(s.hang_ms)))
        } else if pick(s.drop_rate) {
            Some(FaultAction::Drop)
        } else if pick(s.malformed_rate) {
            Some(FaultAction::Malformed)
        } else if pick(s.html_404_rate) {
            Some(FaultAction::Html404)
        } else {
            None
        };

        FaultPlan {
            latency: Duration::from_millis(latency_ms.min(s.latency_max_ms.unwrap_or(u64::MAX))),
            action,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_inject_nothing() {
        let mut injector = FaultInjector::new(FaultSettings::default());
        for _ in 0..100 {
            assert_eq!(injector.draw(), FaultPlan::default());
        }
    }

    #[test]
    fn a_rate_of_one_always_faults_and_the_seed_repeats_the_statuses() {
        let settings = FaultSettings {
            error_rate: 1.0,
            seed: 9,
            ..FaultSettings::default()
        };
        let draw = |n| {
            let mut injector = FaultInjector::new(settings.clone());
            (0..n).map(|_| injector.draw().action).collect::<Vec<_>>()
        };
        let first = draw(30);
        assert_eq!(first, draw(30));
        assert!(
            first
                .iter()
                .all(|a| matches!(a, Some(FaultAction::Error(500 | 502 | 503))))
        );
        assert!(first.contains(&Some(FaultAction::Error(502))));
    }

    #[test]
    fn uniform_latency_stays_within_its_bounds() {
        let mut injector = FaultInjector::new(FaultSettings {
            latency_ms: 10,
            latency_max_ms: Some(20),
            ..FaultSettings::default()
        });
        let latencies: Vec<u128> = (0..200)
            .map(|_| injector.draw().latency.as_millis())
            .collect();
        assert!(latencies.iter().all(|ms| (10..=20).contains(ms)));
        assert!(latencies.contains(&10) && latencies.contains(&20));
    }

    #[test]
    fn validation_names_the_bad_field() {
        let bad = FaultSettings {
            drop_rate: 1.5,
            ..FaultSettings::default()
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            "drop_rate must be between 0 and 1, got 1.5"
        );
        let statuses = FaultSettings {
            error_statuses: vec![200],
            ..FaultSettings::default()
        };
        assert!(statuses.validate().unwrap_err().contains("200"));
    }
}
