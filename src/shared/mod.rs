//! The optional Redis tier that lets several gateway replicas act as one.
//!
//! With `--redis-url`, replicas share three things through one Redis server: an L2 cache behind
//! each replica's moka cache ([`l2`]), the Kandji rate budget ([`budget`]) and the automatic
//! persisted query store ([`apq`]). Redis is an optimisation, never a dependency: every
//! operation here is bounded by a short timeout and returns a [`SharedError`] instead of
//! failing, so the caller goes on with its local cache and limiter. While Redis is down the tier
//! stops asking it on every call and probes it at most once per [`SharedSettings::probe_interval`];
//! the connection manager reconnects by itself. Without `--redis-url` none of this exists and the
//! gateway is the single binary it always was.
//!
//! Only `redis://` (TCP) and `redis+unix://` URLs are supported: this build has no TLS for Redis.

pub mod apq;
pub mod budget;
mod health;
pub mod l2;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

pub use apq::SharedQueryStore;
pub use budget::{Reservation, SharedBudget};
pub use l2::SharedCache;

use health::Health;

/// How the tier talks to Redis.
#[derive(Debug, Clone)]
pub struct SharedSettings {
    /// Longest one Redis operation may take before the caller falls back locally.
    pub command_timeout: Duration,
    /// Longest one connection attempt may take.
    pub connect_timeout: Duration,
    /// While Redis is down, how often one call is let through to see whether it is back.
    pub probe_interval: Duration,
    /// How long a replica filling a cold cache key holds its lock; the others wait at most
    /// this long for the value before fetching it themselves.
    pub fill_lock_ttl: Duration,
    /// How long a persisted query stays registered after it was last registered.
    pub persisted_query_ttl: Duration,
}

impl Default for SharedSettings {
    fn default() -> Self {
        Self {
            command_timeout: Duration::from_millis(200),
            connect_timeout: Duration::from_millis(250),
            probe_interval: Duration::from_secs(1),
            fill_lock_ttl: Duration::from_secs(15),
            persisted_query_ttl: Duration::from_secs(24 * 3600),
        }
    }
}

/// Why a Redis operation gave no answer. The caller's answer is always the same: go on locally.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum SharedError {
    /// The URL cannot be used; names what is wrong, never the URL itself (it may hold a password).
    #[error("the Redis URL is not usable: {0}")]
    InvalidUrl(String),
    /// Redis is known to be down and this call was not the one chosen to probe it.
    #[error("Redis is unavailable; {op} skipped")]
    Degraded {
        /// The operation, e.g. `l2_get`.
        op: &'static str,
    },
    /// Redis did not answer within the command timeout.
    #[error("Redis did not answer {op} within {after_ms} ms")]
    Timeout {
        /// The operation.
        op: &'static str,
        /// The timeout that passed.
        after_ms: u64,
    },
    /// Redis answered with an error, or the connection failed.
    #[error("Redis failed {op}: {detail}")]
    Command {
        /// The operation.
        op: &'static str,
        /// What Redis or the connection said.
        detail: String,
    },
}

/// A handle on the Redis tier for one tenant. Cheap to clone; every clone shares one
/// connection and one health state.
#[derive(Clone)]
pub struct SharedTier {
    inner: Arc<TierInner>,
}

struct TierInner {
    client: redis::Client,
    /// Created on first use, inside the runtime (the manager spawns a task when built).
    manager: OnceLock<Result<ConnectionManager, String>>,
    namespace: String,
    /// Which token the cached Kandji answers were read with (see [`SharedTier::with_token`]).
    cache_scope: String,
    settings: SharedSettings,
    health: Health,
    endpoint: String,
}

impl std::fmt::Debug for SharedTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedTier")
            .field("endpoint", &self.inner.endpoint)
            .field("namespace", &self.inner.namespace)
            .finish()
    }
}

impl SharedTier {
    /// A tier on the Redis server at `url`, with keys under the tenant `tenant_host`. Makes no
    /// connection: the first operation connects, and a Redis that is down then only degrades.
    pub fn connect(
        url: &str,
        tenant_host: &str,
        settings: SharedSettings,
    ) -> Result<Self, SharedError> {
        let endpoint = describe_endpoint(url)?;
        let client = redis::Client::open(url).map_err(|_| {
            SharedError::InvalidUrl(format!("it does not parse as a Redis URL ({URL_HINT})"))
        })?;
        Ok(Self {
            inner: Arc::new(TierInner {
                client,
                manager: OnceLock::new(),
                namespace: format!("kandji-gateway:{{{tenant_host}}}:"),
                cache_scope: "any".to_string(),
                health: Health::new(settings.probe_interval),
                settings,
                endpoint,
            }),
        })
    }

    /// The tier for replicas reading Kandji with `token`: cached Kandji answers are kept apart
    /// per token, so that a replica whose token lacks a permission is never handed what
    /// another token could read. The rate budget and persisted queries stay per tenant. The
    /// keys carry a fingerprint (64 bits of a SHA-256 of the token), never the token.
    pub fn with_token(mut self, token: &str) -> Self {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(b"kandji-gateway cache scope\0")
            .chain_update(token.as_bytes())
            .finalize();
        let fingerprint: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let inner = Arc::get_mut(&mut self.inner).expect("a tier not yet shared");
        inner.cache_scope = fingerprint;
        self
    }

    /// The server as it is safe to log: scheme, host, port and database, never a password.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The settings the tier was built with.
    pub fn settings(&self) -> &SharedSettings {
        &self.inner.settings
    }

    /// Whether the last operation reached Redis (false before the first one).
    pub fn is_up(&self) -> bool {
        self.inner.health.is_up()
    }

    /// A full Redis key for `suffix` in this tenant's namespace.
    fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.inner.namespace)
    }

    /// A full Redis key for a cached Kandji answer: in this tenant's namespace and this
    /// token's scope.
    fn cache_key(&self, suffix: &str) -> String {
        format!(
            "{}t:{}:{suffix}",
            self.inner.namespace, self.inner.cache_scope
        )
    }

    /// Runs one Redis operation under the command timeout, keeping the health state: the one
    /// place where a Redis failure becomes a [`SharedError`].
    async fn run<T, F, Fut>(&self, op: &'static str, operation: F) -> Result<T, SharedError>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let health = &self.inner.health;
        if !health.should_try() {
            metrics::counter!("gateway_redis_skipped_total", "op" => op).increment(1);
            return Err(SharedError::Degraded { op });
        }
        let manager = self.manager().map_err(|detail| {
            health.mark_down(op, &detail);
            SharedError::Command { op, detail }
        })?;

        let timeout = self.inner.settings.command_timeout;
        let error = match tokio::time::timeout(timeout, operation(manager)).await {
            Ok(Ok(value)) => {
                health.mark_up();
                return Ok(value);
            }
            Ok(Err(error)) if !is_connectivity(&error) => {
                // Redis answered, with an error about this command only: the tier stays up.
                metrics::counter!("gateway_redis_errors_total", "op" => op).increment(1);
                tracing::debug!(redis.op = op, error = %error, "Redis command failed");
                return Err(SharedError::Command {
                    op,
                    detail: error.to_string(),
                });
            }
            Ok(Err(error)) => SharedError::Command {
                op,
                detail: error.to_string(),
            },
            Err(_) => SharedError::Timeout {
                op,
                after_ms: timeout.as_millis() as u64,
            },
        };
        metrics::counter!("gateway_redis_errors_total", "op" => op).increment(1);
        health.mark_down(op, &error.to_string());
        Err(error)
    }

    fn manager(&self) -> Result<ConnectionManager, String> {
        let inner = &self.inner;
        let built = inner.manager.get_or_init(|| {
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(inner.settings.connect_timeout))
                .set_response_timeout(Some(inner.settings.command_timeout))
                .set_number_of_retries(1)
                .set_min_delay(Duration::from_millis(50))
                .set_max_delay(Duration::from_millis(500));
            ConnectionManager::new_lazy_with_config(inner.client.clone(), config)
                .map_err(|e| e.to_string())
        });
        built.clone()
    }
}

/// Whether `error` says Redis cannot be reached (as opposed to refusing one command).
fn is_connectivity(error: &redis::RedisError) -> bool {
    error.is_io_error()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
        || error.is_timeout()
        || error.is_unrecoverable_error()
}

/// `redis://host:port/db` for logs, with any user name and password left out.
fn describe_endpoint(url: &str) -> Result<String, SharedError> {
    let parsed =
        url::Url::parse(url).map_err(|e| SharedError::InvalidUrl(format!("{e} ({URL_HINT})")))?;
    match parsed.scheme() {
        "redis" => {
            let host = parsed.host_str().unwrap_or("127.0.0.1");
            let port = parsed.port().unwrap_or(6379);
            let db = parsed.path().trim_start_matches('/');
            let db = if db.is_empty() { "0" } else { db };
            Ok(format!("redis://{host}:{port}/{db}"))
        }
        "redis+unix" | "unix" => Ok(format!("{}://{}", parsed.scheme(), parsed.path())),
        "rediss" => Err(SharedError::InvalidUrl(
            "rediss:// (TLS) is not supported by this build; use redis:// on a private network"
                .into(),
        )),
        other => Err(SharedError::InvalidUrl(format!(
            "the scheme must be redis:// or redis+unix://, not {other}://"
        ))),
    }
}

/// A reminder of the expected shape, so an error can help without echoing the URL.
const URL_HINT: &str = "expected e.g. redis://127.0.0.1:6379/0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_described_without_credentials() {
        let described = describe_endpoint("redis://:hunter2@10.0.0.5:6380/2").unwrap();
        assert_eq!(described, "redis://10.0.0.5:6380/2");
        let described = describe_endpoint("redis://user:hunter2@cache").unwrap();
        assert_eq!(described, "redis://cache:6379/0");
    }

    #[test]
    fn unusable_urls_are_refused_without_echoing_the_password() {
        for url in [
            "rediss://:hunter2@cache:6380",
            "http://:hunter2@cache",
            "cache:6379 hunter2",
        ] {
            let error = SharedTier::connect(url, "acme.api.kandji.io", SharedSettings::default())
                .unwrap_err()
                .to_string();
            assert!(!error.contains("hunter2"), "{url}: {error}");
            assert!(error.starts_with("the Redis URL is not usable"), "{error}");
        }
    }

    #[test]
    fn keys_live_under_the_tenant_host() {
        let tier = SharedTier::connect(
            "redis://127.0.0.1:1/",
            "acme.api.kandji.io",
            SharedSettings::default(),
        )
        .unwrap();
        assert_eq!(
            tier.key("apq:abc"),
            "kandji-gateway:{acme.api.kandji.io}:apq:abc"
        );
        assert!(!tier.is_up());
    }

    #[test]
    fn cached_answers_are_kept_apart_per_token_without_showing_it() {
        let tier = |token: &str| {
            SharedTier::connect(
                "redis://127.0.0.1:1/",
                "acme.api.kandji.io",
                Default::default(),
            )
            .unwrap()
            .with_token(token)
        };
        let token = "00000000-0000-4000-8000-000000000000";
        let (a, b) = (tier(token), tier("11111111-0000-4000-8000-000000000001"));
        assert_eq!(a.key("apq:abc"), b.key("apq:abc"));
        assert_ne!(a.cache_key("l2:v1:devices"), b.cache_key("l2:v1:devices"));
        assert_eq!(a.cache_key("x"), tier(token).cache_key("x"));
        let key = a.cache_key("l2:v1:devices");
        assert!(
            key.starts_with("kandji-gateway:{acme.api.kandji.io}:t:"),
            "{key}"
        );
        assert!(!key.contains("00000000"), "{key}");
    }
}
