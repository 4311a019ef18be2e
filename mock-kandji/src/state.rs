//! The mock's shared state: configuration, lazily generated tenants, the
//! token registry, rate-limit windows, the fault RNG and the journal.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};

use crate::auth::{AuthFailure, Permission, TokenRegistry};
use crate::config::MockConfig;
use crate::faults::{FaultInjector, FaultPlan, FaultSettings};
use crate::fleet::Tenant;
use crate::host::TenantKey;
use crate::journal::{Journal, JournalEntry, Stats};
use crate::ratelimit::{RateDecision, RateLimiter, RateLimits};

/// Everything the mock's routes share. Cheap to clone: an `Arc` inside.
#[derive(Clone)]
pub struct MockState {
    inner: Arc<Inner>,
}

struct Inner {
    config: MockConfig,
    now: DateTime<Utc>,
    tenants: Mutex<HashMap<TenantKey, Arc<Tenant>>>,
    tokens: Mutex<TokenRegistry>,
    limiter: Mutex<RateLimiter>,
    faults: Mutex<FaultInjector>,
    journal: Mutex<Journal>,
}

/// Locks a mutex, carrying on after a panic elsewhere: every guarded value
/// stays consistent between statements.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl std::fmt::Debug for MockState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockState")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl MockState {
    /// State for `config`. Cheap: tenants are generated on first use.
    pub fn new(config: MockConfig) -> Self {
        let limits = RateLimits {
            per_second: config.rate_per_second,
            per_hour: config.rate_per_hour,
        };
        MockState {
            inner: Arc::new(Inner {
                now: config.clock_anchor(),
                tenants: Mutex::new(HashMap::new()),
                tokens: Mutex::new(TokenRegistry::new(config.token.clone())),
                limiter: Mutex::new(RateLimiter::new(limits)),
                faults: Mutex::new(FaultInjector::new(config.faults.clone())),
                journal: Mutex::new(Journal::default()),
                config,
            }),
        }
    }

    /// The start-up configuration.
    pub fn config(&self) -> &MockConfig {
        &self.inner.config
    }

    /// The clock anchor every tenant's timestamps are relative to.
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.now
    }

    /// The tenant for `key`, generated on first use and kept.
    pub fn tenant(&self, key: &TenantKey) -> Arc<Tenant> {
        let mut tenants = lock(&self.inner.tenants);
        let config = &self.inner.config;
        tenants
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Tenant::generate(
                    key,
                    config.seed,
                    config.devices,
                    self.inner.now,
                ))
            })
            .clone()
    }

    /// Checks an `Authorization` header for `permission`.
    pub fn authorize(
        &self,
        header: Option<&str>,
        permission: Permission,
    ) -> Result<(), AuthFailure> {
        lock(&self.inner.tokens).check(header, permission)
    }

    /// Registers a token with exactly `permissions`.
    pub fn register_token(&self, token: String, permissions: BTreeSet<Permission>) {
        lock(&self.inner.tokens).register(token, permissions);
    }

    /// Counts a request against `tenant`'s rate limits.
    pub fn count_request(&self, tenant: &TenantKey) -> RateDecision {
        lock(&self.inner.limiter).check(tenant)
    }

    /// The rate limits in force.
    pub fn rate_limits(&self) -> RateLimits {
        lock(&self.inner.limiter).limits()
    }

    /// Changes the rate limits.
    pub fn set_rate_limits(&self, limits: RateLimits) {
        lock(&self.inner.limiter).set_limits(limits);
    }

    /// Draws the faults for the next `/api/` request.
    pub fn draw_faults(&self) -> FaultPlan {
        lock(&self.inner.faults).draw()
    }

    /// The fault settings in force.
    pub fn fault_settings(&self) -> FaultSettings {
        lock(&self.inner.faults).settings().clone()
    }

    /// Replaces the fault settings and restarts their RNG.
    pub fn set_fault_settings(&self, settings: FaultSettings) {
        *lock(&self.inner.faults) = FaultInjector::new(settings);
    }

    /// Records a finished `/api/` request.
    pub fn record(&self, entry: JournalEntry) {
        lock(&self.inner.journal).record(entry);
    }

    /// The recent journal, oldest first.
    pub fn recent_requests(&self) -> Vec<JournalEntry> {
        lock(&self.inner.journal).recent()
    }

    /// Per-route counts, for one tenant label or all.
    pub fn stats(&self, tenant: Option<&str>) -> Stats {
        lock(&self.inner.journal).stats(tenant)
    }

    /// Back to start-up: empty journal and counts, fresh limiter windows,
    /// start-up faults and limits, only the start-up token. Tenants stay:
    /// they are a pure function of the configuration.
    pub fn reset(&self) {
        let config = &self.inner.config;
        lock(&self.inner.journal).clear();
        *lock(&self.inner.limiter) = RateLimiter::new(RateLimits {
            per_second: config.rate_per_second,
            per_hour: config.rate_per_hour,
        });
        *lock(&self.inner.faults) = FaultInjector::new(config.faults.clone());
        *lock(&self.inner.tokens) = TokenRegistry::new(config.token.clone());
    }
}
