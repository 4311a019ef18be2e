//! The automatic persisted query store, shared by every replica.
//!
//! A client that registered a query's SHA-256 hash on one replica sends only the hash next
//! time, and a load balancer may send that to another replica. Keeping the hash-to-query map in
//! Redis (with a lifetime refreshed at each registration) lets any replica answer it. A miss or
//! a Redis failure is answered the way a cold replica would: `PersistedQueryNotFound`, after
//! which the client sends the full query again.

use redis::AsyncCommands;

use super::{SharedError, SharedTier};

/// The shared persisted queries of one deployment. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SharedQueryStore {
    tier: SharedTier,
}

impl SharedQueryStore {
    /// The store on `tier`, keeping queries for the tier's `persisted_query_ttl`.
    pub fn new(tier: SharedTier) -> Self {
        Self { tier }
    }

    /// The query registered under `sha256_hex`, if any. A hash that is not 64 hex digits is
    /// never looked up.
    pub async fn get(&self, sha256_hex: &str) -> Result<Option<String>, SharedError> {
        let Some(key) = self.key(sha256_hex) else {
            return Ok(None);
        };
        self.tier
            .run("apq_get", |mut redis| async move { redis.get(key).await })
            .await
    }

    /// Registers `query` under `sha256_hex`. The caller has checked that the hash matches.
    pub async fn set(&self, sha256_hex: &str, query: &str) -> Result<(), SharedError> {
        let Some(key) = self.key(sha256_hex) else {
            return Ok(());
        };
        let ttl_s = self.tier.settings().persisted_query_ttl.as_secs().max(1);
        self.tier
            .run("apq_set", |mut redis| async move {
                redis.set_ex(key, query, ttl_s).await
            })
            .await
    }

    fn key(&self, sha256_hex: &str) -> Option<String> {
        let valid = sha256_hex.len() == 64 && sha256_hex.bytes().all(|b| b.is_ascii_hexdigit());
        valid.then(|| {
            self.tier
                .key(&format!("apq:{}", sha256_hex.to_ascii_lowercase()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::SharedSettings;

    #[tokio::test]
    async fn malformed_hashes_never_reach_redis() {
        // Port 1 has no Redis: a lookup that went there would fail, not answer None.
        let tier =
            SharedTier::connect("redis://127.0.0.1:1/", "demo", SharedSettings::default()).unwrap();
        let store = SharedQueryStore::new(tier);
        for hash in ["", "abc", "*", &"g".repeat(64), "apq:{x}"] {
            assert_eq!(store.get(hash).await.unwrap(), None, "{hash}");
            store.set(hash, "{ tenant { region } }").await.unwrap();
        }
    }
}
