//! How failures become GraphQL errors: a message for people and a stable `extensions.code`
//! (documented in README) for programs. This is the only place that mapping lives.

use async_graphql::{Error, ErrorExtensions};

use crate::kandji::KandjiError;

/// Stable error codes, as sent in `extensions.code`.
pub mod code {
    /// The client sent arguments the gateway cannot use.
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
}

impl ErrorExtensions for KandjiError {
    fn extend(&self) -> Error {
        Error::new(self.to_string()).extend_with(|_, e| {
            e.set("code", self.code());
            e.set("endpoint", self.endpoint().template());
            match self {
                KandjiError::Forbidden { endpoint, .. } => {
                    let permission = endpoint.permission();
                    e.set("permission", permission.api_name());
                    e.set("permissionLabel", permission.settings_label());
                }
                KandjiError::RateLimited { retry_after, .. } => {
                    e.set("retryAfterSeconds", retry_after.as_secs().max(1));
                }
                _ => {}
            }
        })
    }
}

/// Converts a Kandji failure into a GraphQL error with its code.
pub fn upstream(error: KandjiError) -> Error {
    error.extend()
}

/// A `BAD_REQUEST` error with a message saying what was wrong and how to fix it.
pub fn bad_request(message: impl Into<String>) -> Error {
    Error::new(message).extend_with(|_, e| e.set("code", code::BAD_REQUEST))
}
