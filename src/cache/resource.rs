//! One cached resource with stale-while-revalidate, so that a warm dashboard never waits on
//! Kandji.
//!
//! An entry is *fresh* for the resource's lifetime, then *stale* for at most `max_stale`
//! more: a stale read answers at once with the old value and starts one background refresh
//! for its key (never two at a time). A refresh that fails leaves the stale value in place until
//! it expires, and is logged once at `warn` until a refresh succeeds again. Past the hard limit
//! the entry is gone and the next read waits for Kandji, sharing one call with every concurrent
//! reader of the same key (moka's `try_get_with`). Failures are never cached.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use moka::future::Cache;

use crate::kandji::{KandjiError, KandjiResult};
use crate::telemetry::RequestStats;

/// How long after a failed refresh the next stale read may try again, at most: a dashboard
/// polling every second must not turn an outage into a stream of upstream calls.
const RETRY_FAILED_REFRESH_AFTER: Duration = Duration::from_secs(30);

/// How a resource bounds its size.
pub enum Capacity<V> {
    /// At most this many entries.
    Entries(u64),
    /// At most about this many bytes, each entry weighed by the function.
    Bytes(u64, fn(&V) -> u32),
}

/// A value and when it was fetched.
#[derive(Clone)]
struct Stamped<V> {
    value: V,
    fetched_at: Instant,
}

/// One cached resource, named for metrics and logs.
pub struct Resource<K, V> {
    name: &'static str,
    fresh_for: Duration,
    cache: Cache<K, Stamped<V>>,
    refreshes: Arc<Refreshes<K>>,
    changes: Arc<AtomicU64>,
    /// Fills of missing entries under way.
    loading: AtomicUsize,
}

/// The keys with a background refresh under way, and those whose last refresh failed.
struct Refreshes<K> {
    running: Mutex<HashSet<K>>,
    failed: Mutex<HashMap<K, Instant>>,
}

impl<K, V> Resource<K, V>
where
    K: Hash + Eq + Send + Sync + Clone + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// A resource fresh for `fresh_for`, then servable while stale for `max_stale`.
    pub fn new(
        name: &'static str,
        fresh_for: Duration,
        max_stale: Duration,
        capacity: Capacity<V>,
    ) -> Self {
        let hard = (fresh_for + max_stale).max(Duration::from_millis(1));
        let builder = Cache::builder().time_to_live(hard);
        let cache = match capacity {
            Capacity::Entries(n) => builder.max_capacity(n).build(),
            Capacity::Bytes(bytes, weigh) => builder
                .max_capacity(bytes)
                .weigher(move |_key, entry: &Stamped<V>| weigh(&entry.value))
                .build(),
        };
        Self {
            name,
            fresh_for,
            cache,
            refreshes: Arc::new(Refreshes {
                running: Mutex::new(HashSet::new()),
                failed: Mutex::new(HashMap::new()),
            }),
            changes: Arc::new(AtomicU64::new(0)),
            loading: AtomicUsize::new(0),
        }
    }

    /// Counts every value this resource stores (a miss filled, a refresh landed) in
    /// `changes`, which several resources may share. The count goes up after the value is in
    /// place, so whoever read the count before reading a value sees a different count once
    /// that value may have changed.
    pub fn counting_changes_in(mut self, changes: Arc<AtomicU64>) -> Self {
        self.changes = changes;
        self
    }

    /// The cached value; or, when stale, the cached value while `fetch` refreshes it in the
    /// background; or, when missing, the result of `fetch` shared by every concurrent caller.
    pub async fn get<F, Fut>(&self, key: K, fetch: F) -> KandjiResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = KandjiResult<V>> + Send + 'static,
    {
        if let Some(entry) = self.cache.get(&key).await {
            return Ok(self.answer_cached(key, entry, fetch));
        }

        self.count("gateway_cache_misses_total");
        RequestStats::record_cache(false);
        let loaded = AtomicBool::new(false);
        let load = async {
            self.loading.fetch_add(1, Ordering::AcqRel);
            let _done = Decrement(&self.loading);
            let value = fetch().await?;
            loaded.store(true, Ordering::Relaxed);
            Ok(Stamped {
                value,
                fetched_at: Instant::now(),
            })
        };
        let result = self.cache.try_get_with(key, load).await;
        if loaded.load(Ordering::Relaxed) {
            self.changes.fetch_add(1, Ordering::AcqRel);
        }
        self.report_size();
        match result {
            Ok(entry) => Ok(entry.value),
            Err(error) => Err(KandjiError::clone(&error)),
        }
    }

    /// Publishes the resource's size: bytes (estimated) for a byte-bounded resource, else
    /// entries. Moka's counts lag by its pending maintenance; they catch up on later calls.
    fn report_size(&self) {
        let name = self.name;
        metrics::gauge!("gateway_cache_weighted_size", "cache" => name)
            .set(self.cache.weighted_size() as f64);
        metrics::gauge!("gateway_cache_entries", "cache" => name)
            .set(self.cache.entry_count() as f64);
    }

    /// The cached value, fresh or stale, without fetching when there is none (a stale one
    /// still starts its background refresh).
    pub async fn peek<F, Fut>(&self, key: K, fetch: F) -> Option<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = KandjiResult<V>> + Send + 'static,
    {
        let entry = self.cache.get(&key).await?;
        Some(self.answer_cached(key, entry, fetch))
    }

    /// Counts a hit and, when the entry is stale, starts its refresh.
    fn answer_cached<F, Fut>(&self, key: K, entry: Stamped<V>, fetch: F) -> V
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = KandjiResult<V>> + Send + 'static,
    {
        self.count("gateway_cache_hits_total");
        RequestStats::record_cache(true);
        if entry.fetched_at.elapsed() >= self.fresh_for {
            self.count("gateway_cache_stale_total");
            self.refresh_in_background(key, fetch());
        }
        entry.value
    }

    /// Whether a missing entry is being fetched now: a `get` then shares that fetch.
    pub fn is_loading(&self) -> bool {
        self.loading.load(Ordering::Acquire) > 0
    }

    /// Entries held now (an estimate until moka's pending work has run).
    pub fn entry_count(&self) -> u64 {
        self.cache.entry_count()
    }

    /// Their total weight: bytes for a byte-bounded resource, else the entry count.
    pub fn weighted_size(&self) -> u64 {
        self.cache.weighted_size()
    }

    /// Runs moka's pending maintenance (evictions, counts) now.
    pub async fn run_pending_tasks(&self) {
        self.cache.run_pending_tasks().await;
    }

    fn count(&self, counter: &'static str) {
        metrics::counter!(counter, "cache" => self.name).increment(1);
    }

    /// Starts one refresh of `key`, unless one is under way or the last one failed recently.
    fn refresh_in_background<Fut>(&self, key: K, fetch: Fut)
    where
        Fut: Future<Output = KandjiResult<V>> + Send + 'static,
    {
        let refreshes = &self.refreshes;
        {
            let failed = lock(&refreshes.failed);
            let retry_after = self.fresh_for.min(RETRY_FAILED_REFRESH_AFTER);
            if failed
                .get(&key)
                .is_some_and(|at| at.elapsed() < retry_after)
            {
                return;
            }
        }
        if !lock(&refreshes.running).insert(key.clone()) {
            return;
        }

        let cache = self.cache.clone();
        let refreshes = refreshes.clone();
        let changes = self.changes.clone();
        let name = self.name;
        tokio::spawn(async move {
            // Whatever happens to this task, the key is free for the next refresh.
            let _running = RunningGuard {
                refreshes: &refreshes,
                key: &key,
            };
            match fetch.await {
                Ok(value) => {
                    let entry = Stamped {
                        value,
                        fetched_at: Instant::now(),
                    };
                    cache.insert(key.clone(), entry).await;
                    changes.fetch_add(1, Ordering::AcqRel);
                    metrics::gauge!("gateway_cache_weighted_size", "cache" => name)
                        .set(cache.weighted_size() as f64);
                    if lock(&refreshes.failed).remove(&key).is_some() {
                        tracing::info!(cache = name, "cache refresh succeeded again");
                    }
                }
                Err(error) => {
                    let first = lock(&refreshes.failed)
                        .insert(key.clone(), Instant::now())
                        .is_none();
                    if first {
                        tracing::warn!(
                            cache = name,
                            error = %error,
                            "cache refresh failed: serving the stale value until it expires"
                        );
                    } else {
                        tracing::debug!(cache = name, error = %error, "cache refresh failed again");
                    }
                }
            }
        });
    }
}

/// Frees a key's refresh slot when the refresh ends, however it ends.
struct RunningGuard<'a, K: Hash + Eq> {
    refreshes: &'a Refreshes<K>,
    key: &'a K,
}

impl<K: Hash + Eq> Drop for RunningGuard<'_, K> {
    fn drop(&mut self) {
        lock(&self.refreshes.running).remove(self.key);
    }
}

/// Takes one from a counter when dropped, however the work it counted ended.
struct Decrement<'a>(&'a AtomicUsize);

impl Drop for Decrement<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Locks a mutex, carrying on after a panic elsewhere (the maps stay consistent).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
