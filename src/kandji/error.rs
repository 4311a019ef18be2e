//! Errors from the Kandji client, one variant per way a call can end badly.
//!
//! Each variant knows its stable GraphQL `extensions.code`; the mapping lives in
//! [`KandjiError::code`] and nowhere else. Messages name the endpoint and say what to do; they
//! never contain the token or response bodies with personal data.

use std::time::Duration;

use super::endpoint::Endpoint;

/// Why a Kandji call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum KandjiError {
    /// Kandji rejected the token itself.
    #[error(
        "Kandji rejected the API token (HTTP {status} from {endpoint}): it is wrong, revoked or \
         expired. Create a token in Kandji under Settings > Access > API Token and set \
         KANDJI_API_TOKEN"
    )]
    Unauthenticated {
        /// The endpoint called.
        endpoint: Endpoint,
        /// 401 or 403 as sent.
        status: u16,
    },
    /// The token works but lacks the permission this endpoint needs.
    #[error(
        "the API token lacks the \"{}\" permission needed for {endpoint} (HTTP {status}); \
         grant it in Kandji under Settings > Access > API Token",
        endpoint.permission().settings_label()
    )]
    Forbidden {
        /// The endpoint called.
        endpoint: Endpoint,
        /// 403, or 401 on tenants that answer a missing permission that way.
        status: u16,
    },
    /// The resource does not exist in the tenant.
    #[error("not found in the Kandji tenant ({endpoint})")]
    NotFound {
        /// The endpoint called.
        endpoint: Endpoint,
    },
    /// Kandji's rate limit was hit and the retry deadline passed.
    #[error(
        "Kandji's rate limit was exceeded on {endpoint}; retry in {} s",
        retry_after.as_secs().max(1)
    )]
    RateLimited {
        /// The endpoint called.
        endpoint: Endpoint,
        /// When Kandji said to retry.
        retry_after: Duration,
    },
    /// Kandji answered 5xx, or could not be reached, after retries.
    #[error("Kandji is unavailable: {detail} ({endpoint})")]
    Unavailable {
        /// The endpoint called.
        endpoint: Endpoint,
        /// The HTTP status, or the connection problem.
        detail: String,
    },
    /// No answer within the request timeout, after retries.
    #[error("Kandji did not answer within {} ms ({endpoint})", after.as_millis())]
    Timeout {
        /// The endpoint called.
        endpoint: Endpoint,
        /// The per-request timeout.
        after: Duration,
    },
    /// Kandji answered 2xx with a body the gateway cannot read.
    #[error("Kandji sent an unreadable answer from {endpoint}: {detail}")]
    Malformed {
        /// The endpoint called.
        endpoint: Endpoint,
        /// What was wrong (never the body itself).
        detail: String,
    },
    /// Kandji refused the request as malformed (4xx other than auth, 404 and 429).
    #[error("Kandji refused the request to {endpoint} (HTTP {status})")]
    BadRequest {
        /// The endpoint called.
        endpoint: Endpoint,
        /// The HTTP status.
        status: u16,
    },
}

impl KandjiError {
    /// The stable `extensions.code` for GraphQL errors.
    pub fn code(&self) -> &'static str {
        match self {
            KandjiError::Unauthenticated { .. } => "UNAUTHENTICATED",
            KandjiError::Forbidden { .. } => "FORBIDDEN",
            KandjiError::NotFound { .. } => "NOT_FOUND",
            KandjiError::RateLimited { .. } => "RATE_LIMITED",
            KandjiError::Unavailable { .. } | KandjiError::Malformed { .. } => {
                "UPSTREAM_UNAVAILABLE"
            }
            KandjiError::Timeout { .. } => "UPSTREAM_TIMEOUT",
            KandjiError::BadRequest { .. } => "BAD_REQUEST",
        }
    }

    /// The endpoint the failed call went to.
    pub fn endpoint(&self) -> Endpoint {
        match self {
            KandjiError::Unauthenticated { endpoint, .. }
            | KandjiError::Forbidden { endpoint, .. }
            | KandjiError::NotFound { endpoint }
            | KandjiError::RateLimited { endpoint, .. }
            | KandjiError::Unavailable { endpoint, .. }
            | KandjiError::Timeout { endpoint, .. }
            | KandjiError::Malformed { endpoint, .. }
            | KandjiError::BadRequest { endpoint, .. } => *endpoint,
        }
    }

    /// Whether a retry may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            KandjiError::RateLimited { .. }
                | KandjiError::Unavailable { .. }
                | KandjiError::Timeout { .. }
        )
    }
}

/// The client's result type.
pub type KandjiResult<T> = Result<T, KandjiError>;
