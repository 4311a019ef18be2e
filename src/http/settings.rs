//! Every setting of the HTTP layer in one value, derived once from the command line, so the
//! router, the schema's limits and the shutdown all read the same numbers.

use std::time::Duration;

use crate::config::Options;
use crate::http::access::{AccessError, AccessPolicy};
use crate::http::cors::{CorsError, CorsPolicy};
use crate::http::limits::QueryLimits;

/// Why the HTTP layer cannot start with the given options; the message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum HttpSettingsError {
    /// Client access is not configured safely for the listen address.
    #[error(transparent)]
    Access(#[from] AccessError),
    /// A CORS origin is malformed.
    #[error(transparent)]
    Cors(#[from] CorsError),
}

/// The HTTP layer's settings.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Depth, cost and alias limits on each query, and the introspection switch.
    pub limits: QueryLimits,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Most operations in one batch.
    pub max_batch_size: usize,
    /// How long one HTTP request's GraphQL execution may take.
    pub deadline: Duration,
    /// Whether GraphiQL is served.
    pub graphiql: bool,
    /// Queries remembered for automatic persisted queries; 0 turns them off.
    pub apq_cache_size: u64,
    /// Who may call the API.
    pub access: AccessPolicy,
    /// Which browser origins may call the API.
    pub cors: CorsPolicy,
    /// How long a browser may reuse a successful answer; zero means revalidate every time.
    pub response_max_age: Duration,
    /// How long the gateway keeps a whole answer for identical requests (while the cache
    /// holds the same data); zero turns this off.
    pub response_cache_lifetime: Duration,
    /// About how many bytes those answers may take.
    pub response_cache_max_bytes: u64,
    /// How long to wait for in-flight requests after a shutdown signal.
    pub shutdown_timeout: Duration,
}

impl Default for HttpSettings {
    /// The defaults of the command line, for a gateway on loopback.
    fn default() -> Self {
        HttpSettings {
            limits: QueryLimits::default(),
            max_body_bytes: 1_048_576,
            max_batch_size: 10,
            deadline: Duration::from_secs(60),
            graphiql: true,
            apq_cache_size: 1_000,
            access: AccessPolicy::Open,
            cors: CorsPolicy::LocalDevServers,
            response_max_age: Duration::from_secs(15),
            response_cache_lifetime: Duration::from_secs(5),
            response_cache_max_bytes: 32 * 1024 * 1024,
            shutdown_timeout: Duration::from_secs(20),
        }
    }
}

impl HttpSettings {
    /// Reads the options; fails when the gateway would serve a non-loopback address without
    /// client API keys (and without `--allow-unauthenticated`), or a CORS origin is malformed.
    pub fn from_options(options: &Options) -> Result<Self, HttpSettingsError> {
        let keys = match &options.api_keys {
            Some(text) => text.keys()?,
            None => Default::default(),
        };
        let access =
            AccessPolicy::for_listen_address(options.listen, &keys, options.allow_unauthenticated)?;
        let cors = CorsPolicy::from_origins(&options.cors_origins, options.listen)?;
        Ok(HttpSettings {
            limits: QueryLimits {
                max_depth: options.max_depth,
                max_complexity: options.max_complexity,
                max_aliases: options.max_aliases,
                introspection: !options.no_introspection,
            },
            max_body_bytes: options.max_body_bytes,
            max_batch_size: options.max_batch_size.max(1),
            deadline: Duration::from_millis(options.request_deadline_ms.max(1)),
            graphiql: !options.no_graphiql,
            apq_cache_size: options.apq_cache_size,
            access,
            cors,
            response_max_age: Duration::from_secs(options.response_max_age_secs),
            response_cache_lifetime: Duration::from_secs(options.response_cache_secs),
            response_cache_max_bytes: options.response_cache_mb.saturating_mul(1024 * 1024),
            shutdown_timeout: Duration::from_secs(options.shutdown_timeout_secs),
        })
    }

    /// The `Cache-Control` value for a successful answer.
    pub fn success_cache_control(&self) -> String {
        match self.response_max_age.as_secs() {
            0 => "private, no-cache".to_string(),
            seconds => format!("private, max-age={seconds}"),
        }
    }
}
