//! Which browser origins may call the API. A frontend under development runs on its own dev
//! server (Vite on :5173, Next.js on :3000, ...), a different origin from the gateway, so on
//! loopback the default lets any page served from a loopback host call it. Elsewhere the
//! default is same-origin only, and `--cors-origins` names the frontends.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, Method, request::Parts};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// Request headers a browser may send: ours plus those Apollo Client adds.
const ALLOWED_HEADERS: [&str; 4] = [
    "x-api-key",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
];

/// A malformed `--cors-origins` entry.
#[derive(Debug, thiserror::Error)]
#[error(
    "GATEWAY_CORS_ORIGINS: `{0}` is not an origin; give scheme, host and optional port, \
     e.g. https://dashboard.example.com or http://localhost:5173, or `*` for any origin"
)]
pub struct CorsError(String);

/// Which origins may call the API from a browser.
#[derive(Debug, Clone)]
pub enum CorsPolicy {
    /// None: same-origin pages only (no CORS headers).
    SameOriginOnly,
    /// Pages served from `localhost`, `127.0.0.1` or `[::1]`, on any port.
    LocalDevServers,
    /// Any origin (`*`); requests carry no cookies either way.
    AnyOrigin,
    /// Exactly these origins.
    Origins(Vec<HeaderValue>),
}

impl CorsPolicy {
    /// The policy for `--cors-origins` (empty: the default for the listen address).
    pub fn from_origins(origins: &[String], listen: SocketAddr) -> Result<Self, CorsError> {
        let origins: Vec<&str> = origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
            .collect();
        if origins.is_empty() {
            return Ok(if listen.ip().is_loopback() {
                CorsPolicy::LocalDevServers
            } else {
                CorsPolicy::SameOriginOnly
            });
        }
        if origins.contains(&"*") {
            return Ok(CorsPolicy::AnyOrigin);
        }
        let parsed = origins
            .into_iter()
            .map(normalise_origin)
            .collect::<Result<_, _>>()?;
        Ok(CorsPolicy::Origins(parsed))
    }

    /// The tower layer answering preflights and adding CORS headers, if any origin may call.
    pub fn layer(&self) -> Option<CorsLayer> {
        let allow_origin = match self {
            CorsPolicy::SameOriginOnly => return None,
            CorsPolicy::LocalDevServers => AllowOrigin::predicate(is_loopback_origin),
            CorsPolicy::AnyOrigin => AllowOrigin::any(),
            CorsPolicy::Origins(origins) => AllowOrigin::list(origins.iter().cloned()),
        };
        let headers = [CONTENT_TYPE, AUTHORIZATION, ACCEPT]
            .into_iter()
            .chain(ALLOWED_HEADERS.map(HeaderName::from_static));
        Some(
            CorsLayer::new()
                .allow_origin(allow_origin)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers(headers.collect::<Vec<_>>())
                .max_age(PREFLIGHT_MAX_AGE),
        )
    }
}

/// `https://Example.com:443/` becomes `https://example.com`, as browsers send it.
fn normalise_origin(text: &str) -> Result<HeaderValue, CorsError> {
    let invalid = || CorsError(text.to_string());
    let url = url::Url::parse(text).map_err(|_| invalid())?;
    let is_origin = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && matches!(url.path(), "" | "/")
        && url.query().is_none()
        && url.username().is_empty();
    if !is_origin {
        return Err(invalid());
    }
    HeaderValue::from_str(&url.origin().ascii_serialization()).map_err(|_| invalid())
}

/// Whether `origin` is a page served from a loopback host, on any port.
fn is_loopback_origin(origin: &HeaderValue, _request: &Parts) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host_and_port = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .find_map(|host| rest.strip_prefix(host));
    match host_and_port {
        Some("") => true,
        Some(port) => port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(origin: &'static str) -> bool {
        let (parts, ()) = axum::http::Request::new(()).into_parts();
        is_loopback_origin(&HeaderValue::from_static(origin), &parts)
    }

    #[test]
    fn loopback_dev_servers_are_allowed_on_any_port_and_lookalikes_are_not() {
        assert!(allowed("http://localhost:5173"));
        assert!(allowed("http://127.0.0.1:3000"));
        assert!(allowed("https://[::1]:8443"));
        assert!(allowed("http://localhost"));
        assert!(!allowed("http://localhost.evil.example"));
        assert!(!allowed("http://localhost:5173.evil.example"));
        assert!(!allowed("https://evil.example"));
        assert!(!allowed("null"));
    }

    #[test]
    fn configured_origins_are_normalised_and_paths_rejected() {
        let listen: SocketAddr = "0.0.0.0:4000".parse().unwrap();
        let origins = vec!["https://Dashboard.Example.com/".to_string()];
        let CorsPolicy::Origins(list) = CorsPolicy::from_origins(&origins, listen).unwrap() else {
            panic!("a list");
        };
        assert_eq!(
            list,
            [HeaderValue::from_static("https://dashboard.example.com")]
        );

        let bad = vec!["https://dashboard.example.com/app".to_string()];
        let error = CorsPolicy::from_origins(&bad, listen)
            .unwrap_err()
            .to_string();
        assert!(error.contains("`https://dashboard.example.com/app` is not an origin"));
        assert!(matches!(
            CorsPolicy::from_origins(&[], listen).unwrap(),
            CorsPolicy::SameOriginOnly
        ));
    }
}
