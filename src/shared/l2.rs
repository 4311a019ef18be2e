//! The L2 cache: Kandji answers kept in Redis for every replica, behind each one's moka cache.
//!
//! A value is stored under `l2:v1:<resource>:<key>` with the same lifetime as the moka entry it
//! backs, encoded as compact JSON of the Kandji models (they read their own JSON back). A cold
//! key missed by several replicas at once is fetched from Kandji once: the first replica takes a
//! short lock (`SET NX PX`), fetches, stores the value and releases the lock; the others poll for
//! the value until the lock goes away or [`super::SharedSettings::fill_lock_ttl`] passes. Any
//! Redis failure on this path ends in a local fetch, never in an error. Where each value came
//! from is counted in `gateway_l2_lookups_total{cache, outcome}`.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use redis::AsyncCommands;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{SharedError, SharedTier};

/// Releases a fill lock only if this replica still holds it (it may have expired and been taken).
const RELEASE_LOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";
static RELEASE_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(RELEASE_LOCK));

/// How often a waiting replica looks for the value: quickly at first, then less often.
const FIRST_POLL: Duration = Duration::from_millis(10);
const LAST_POLL: Duration = Duration::from_millis(100);

/// Times a replica tries to take a lock that its holders keep releasing without a value (their
/// fetch failed), before it fetches without one.
const LOCK_ROUNDS: usize = 3;

/// The shared cache of one tenant. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SharedCache {
    tier: SharedTier,
}

/// A fill lock this replica holds on one key.
#[derive(Debug)]
pub struct FillLock {
    key: String,
    token: String,
}

/// What a replica waiting on another's fetch ended with.
#[derive(Debug, PartialEq, Eq)]
pub enum WaitOutcome {
    /// The other replica stored the value.
    Value(Vec<u8>),
    /// The lock went away with no value (the other fetch failed or its holder died).
    LockGone,
    /// The wait bound passed with the lock still held.
    TimedOut,
}

impl SharedCache {
    /// The shared cache on `tier`.
    pub fn new(tier: SharedTier) -> Self {
        Self { tier }
    }

    /// The stored bytes of `resource`/`key`, if any.
    pub async fn get_bytes(
        &self,
        resource: &str,
        key: &str,
    ) -> Result<Option<Vec<u8>>, SharedError> {
        let key = self.value_key(resource, key);
        self.tier
            .run("l2_get", |mut redis| async move { redis.get(key).await })
            .await
    }

    /// Stores `value` for `resource`/`key` for `ttl`.
    pub async fn set_bytes(
        &self,
        resource: &str,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), SharedError> {
        let key = self.value_key(resource, key);
        let ttl_ms = ttl.as_millis().max(1) as u64;
        self.tier
            .run("l2_set", |mut redis| async move {
                redis.pset_ex(key, value, ttl_ms).await
            })
            .await
    }

    /// Takes the fill lock of `resource`/`key`, or `None` when another replica holds it.
    pub async fn try_lock(
        &self,
        resource: &str,
        key: &str,
    ) -> Result<Option<FillLock>, SharedError> {
        let lock = FillLock {
            key: self.lock_key(resource, key),
            token: format!("{:016x}", rand::random::<u64>()),
        };
        let ttl_ms = self.tier.settings().fill_lock_ttl.as_millis().max(1) as u64;
        let (key, token) = (lock.key.clone(), lock.token.clone());
        let taken: Option<String> = self
            .tier
            .run("l2_lock", |mut redis| async move {
                redis::cmd("SET")
                    .arg(key)
                    .arg(token)
                    .arg("NX")
                    .arg("PX")
                    .arg(ttl_ms)
                    .query_async(&mut redis)
                    .await
            })
            .await?;
        Ok(taken.map(|_| lock))
    }

    /// Releases `lock`; false when it had already expired.
    pub async fn release(&self, lock: FillLock) -> Result<bool, SharedError> {
        let released: i64 = self
            .tier
            .run("l2_unlock", |mut redis| async move {
                RELEASE_SCRIPT
                    .key(lock.key)
                    .arg(lock.token)
                    .invoke_async(&mut redis)
                    .await
            })
            .await?;
        Ok(released == 1)
    }

    /// Waits for another replica's fetch of `resource`/`key`, at most the fill lock lifetime.
    pub async fn wait_for_value(
        &self,
        resource: &str,
        key: &str,
    ) -> Result<WaitOutcome, SharedError> {
        let deadline = Instant::now() + self.tier.settings().fill_lock_ttl;
        let (value_key, lock_key) = (self.value_key(resource, key), self.lock_key(resource, key));
        let mut poll = FIRST_POLL;
        loop {
            tokio::time::sleep(poll).await;
            poll = (poll * 2).min(LAST_POLL);

            // The lock first, then the value: the holder stores the value before releasing the
            // lock, so a lock seen gone means the value, if any, is already there.
            let (value_key, lock_key) = (value_key.clone(), lock_key.clone());
            let (locked, value): (bool, Option<Vec<u8>>) = self
                .tier
                .run("l2_wait", |mut redis| async move {
                    redis::pipe()
                        .exists(lock_key)
                        .get(value_key)
                        .query_async(&mut redis)
                        .await
                })
                .await?;
            match (value, locked) {
                (Some(value), _) => return Ok(WaitOutcome::Value(value)),
                (None, false) => return Ok(WaitOutcome::LockGone),
                (None, true) if Instant::now() >= deadline => return Ok(WaitOutcome::TimedOut),
                (None, true) => {}
            }
        }
    }

    /// The value of `resource`/`key` from Redis, or from `fetch` run by at most one replica at a
    /// time and then stored for `ttl`. Redis failures fall back to calling `fetch` here; `fetch`
    /// errors are returned as they are and never stored.
    pub async fn get_or_fetch<T, E, F, Fut>(
        &self,
        resource: &str,
        key: &str,
        ttl: Duration,
        fetch: F,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        match self.cached(resource, key).await {
            Ok(Some(value)) => return Ok(count(resource, "hit", value)),
            Ok(None) => {}
            Err(_) => return fetch().await.map(|v| count(resource, "local", v)),
        }
        for _ in 0..LOCK_ROUNDS {
            match self.try_lock(resource, key).await {
                Ok(Some(lock)) => return self.fill(resource, key, ttl, lock, fetch).await,
                Ok(None) => {}
                Err(_) => break,
            }
            match self.wait_for_value(resource, key).await {
                Ok(WaitOutcome::Value(bytes)) => match decode(&bytes) {
                    Some(value) => return Ok(count(resource, "waited", value)),
                    None => break,
                },
                Ok(WaitOutcome::LockGone) => continue,
                Ok(WaitOutcome::TimedOut) | Err(_) => break,
            }
        }
        fetch().await.map(|v| count(resource, "local", v))
    }

    /// Fetches under `lock`, stores a success, and releases the lock either way.
    async fn fill<T, E, F, Fut>(
        &self,
        resource: &str,
        key: &str,
        ttl: Duration,
        lock: FillLock,
        fetch: F,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        // Another replica may have stored the value between our miss and our lock.
        if let Ok(Some(value)) = self.cached(resource, key).await {
            let _ = self.release(lock).await;
            return Ok(count(resource, "hit", value));
        }

        let result = fetch().await;
        if let Ok(value) = &result
            && let Ok(bytes) = serde_json::to_vec(value)
        {
            let _ = self.set_bytes(resource, key, &bytes, ttl).await;
        }
        let _ = self.release(lock).await;
        result.map(|v| count(resource, "fetched", v))
    }

    /// The decoded value, `None` when absent or unreadable (an older format, say).
    async fn cached<T: DeserializeOwned>(
        &self,
        resource: &str,
        key: &str,
    ) -> Result<Option<T>, SharedError> {
        let bytes = self.get_bytes(resource, key).await?;
        Ok(bytes.as_deref().and_then(decode))
    }

    fn value_key(&self, resource: &str, key: &str) -> String {
        self.tier.cache_key(&format!("l2:v1:{resource}:{key}"))
    }

    fn lock_key(&self, resource: &str, key: &str) -> String {
        self.tier.cache_key(&format!("l2:lock:{resource}:{key}"))
    }
}

/// Counts where a value came from: `hit` (Redis had it), `waited` (another replica fetched it),
/// `fetched` (this replica fetched and shared it) or `local` (fetched without Redis).
fn count<T>(resource: &str, outcome: &'static str, value: T) -> T {
    metrics::counter!("gateway_l2_lookups_total", "cache" => resource.to_string(), "outcome" => outcome)
        .increment(1);
    value
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Some(value),
        Err(error) => {
            tracing::debug!(error = %error, "unreadable L2 value; fetching instead");
            None
        }
    }
}
