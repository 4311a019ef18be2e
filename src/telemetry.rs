//! Per-request accounting (upstream calls, cache hits) and the tracing subscriber set-up.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static CURRENT: Arc<RequestStats>;
}

/// What one GraphQL request cost: upstream calls made and cache hits and misses.
#[derive(Debug, Default)]
pub struct RequestStats {
    upstream_calls: AtomicU64,
    cache_hits: AtomicU64,
    cache_misses: AtomicU64,
}

impl RequestStats {
    /// Runs `fut` with `stats` as the current request's accounting.
    pub async fn scope<F: Future>(stats: Arc<RequestStats>, fut: F) -> F::Output {
        CURRENT.scope(stats, fut).await
    }

    /// Counts one upstream call against the current request, if any.
    pub fn record_upstream_call() {
        let _ = CURRENT.try_with(|s| s.upstream_calls.fetch_add(1, Ordering::Relaxed));
    }

    /// Counts one cache lookup against the current request, if any.
    pub fn record_cache(hit: bool) {
        let _ = CURRENT.try_with(|s| {
            let counter = if hit { &s.cache_hits } else { &s.cache_misses };
            counter.fetch_add(1, Ordering::Relaxed)
        });
    }

    /// Upstream calls so far.
    pub fn upstream_calls(&self) -> u64 {
        self.upstream_calls.load(Ordering::Relaxed)
    }

    /// Cache hits so far.
    pub fn cache_hits(&self) -> u64 {
        self.cache_hits.load(Ordering::Relaxed)
    }

    /// Cache misses so far.
    pub fn cache_misses(&self) -> u64 {
        self.cache_misses.load(Ordering::Relaxed)
    }
}
