//! Who may call the gateway. On loopback nobody needs a key unless keys are configured; on
//! any other address the gateway refuses to start without client API keys or an explicit
//! `--allow-unauthenticated`, because the gateway reads the whole Kandji tenant for whoever
//! can reach it.
//!
//! Keys are compared in constant time: each side is padded to a fixed length and the lengths
//! are compared too, so neither the content nor the length of a configured key leaks through
//! timing. Keys never reach a log line, an error message or `Debug` output.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::{Choice, ConstantTimeEq};

use crate::http::{code, negotiate};

/// Shortest key accepted: long enough that guessing is hopeless.
const MIN_KEY_LEN: usize = 16;
/// Longest key accepted; both sides of a comparison are padded to this length.
const MAX_KEY_LEN: usize = 256;

/// A client API key. Neither `Debug` nor any error shows it.
#[derive(Clone)]
pub struct ApiKey(Arc<[u8]>);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl FromStr for ApiKey {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = text.trim();
        if key.len() < MIN_KEY_LEN || key.len() > MAX_KEY_LEN {
            return Err(format!(
                "each client API key needs {MIN_KEY_LEN} to {MAX_KEY_LEN} characters \
                 (e.g. from `openssl rand -hex 32`); one has {}",
                key.len()
            ));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("client API keys must be printable ASCII without spaces".to_string());
        }
        Ok(ApiKey(key.as_bytes().into()))
    }
}

/// `GATEWAY_API_KEYS` as given. Clap would echo a value it rejects in its error, so the keys
/// are checked later, by [`ApiKeys`], whose errors never show them.
#[derive(Clone, Default)]
pub struct ApiKeysText(String);

impl std::fmt::Debug for ApiKeysText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKeysText(<redacted>)")
    }
}

impl FromStr for ApiKeysText {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(ApiKeysText(text.to_string()))
    }
}

impl ApiKeysText {
    /// The keys, checked.
    pub fn keys(&self) -> Result<ApiKeys, AccessError> {
        self.0.parse().map_err(AccessError::InvalidKey)
    }
}

/// The configured client API keys: comma-separated, blank entries ignored. `Debug` shows
/// only how many there are.
#[derive(Clone, Default)]
pub struct ApiKeys(Arc<[ApiKey]>);

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKeys(<{} redacted>)", self.0.len())
    }
}

impl FromStr for ApiKeys {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let keys = text
            .split(',')
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<ApiKey>, _>>()?;
        Ok(ApiKeys(keys.into()))
    }
}

impl ApiKeys {
    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl ApiKey {
    /// Whether `presented` is this key, in time that depends on neither key.
    fn matches(&self, presented: &[u8]) -> Choice {
        let mut ours = [0u8; MAX_KEY_LEN];
        let mut theirs = [0u8; MAX_KEY_LEN];
        ours[..self.0.len()].copy_from_slice(&self.0);
        theirs[..presented.len()].copy_from_slice(presented);
        ours.ct_eq(&theirs) & (self.0.len() as u64).ct_eq(&(presented.len() as u64))
    }
}

/// Why the gateway refuses to start.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// A non-loopback address with neither keys nor `--allow-unauthenticated`.
    #[error(
        "refusing to serve {listen} without client API keys: anyone who can reach that address \
         could read the Kandji tenant through the gateway. Set GATEWAY_API_KEYS (or --api-keys) \
         to one or more comma-separated keys of {MIN_KEY_LEN}+ characters (e.g. from `openssl \
         rand -hex 32`), or pass --allow-unauthenticated (GATEWAY_ALLOW_UNAUTHENTICATED=true) \
         when something in front of the gateway already authenticates clients. On 127.0.0.1 no \
         key is needed."
    )]
    KeysRequired {
        /// The address asked for.
        listen: SocketAddr,
    },
    /// A configured key is unusable; the message says why without showing it.
    #[error("GATEWAY_API_KEYS: {0}")]
    InvalidKey(String),
}

/// Who may call the API.
#[derive(Debug, Clone)]
pub enum AccessPolicy {
    /// Anyone who can reach the address.
    Open,
    /// Callers presenting one of these keys.
    ApiKeys(ApiKeys),
}

impl AccessPolicy {
    /// The policy for serving on `listen`: keys when configured; otherwise open on loopback,
    /// open elsewhere only with `allow_unauthenticated`, and an error in every other case.
    pub fn for_listen_address(
        listen: SocketAddr,
        keys: &ApiKeys,
        allow_unauthenticated: bool,
    ) -> Result<Self, AccessError> {
        if !keys.is_empty() {
            return Ok(AccessPolicy::ApiKeys(keys.clone()));
        }
        if listen.ip().is_loopback() || allow_unauthenticated {
            return Ok(AccessPolicy::Open);
        }
        Err(AccessError::KeysRequired { listen })
    }

    /// Whether `presented` is one of the keys; every key is compared, whatever matches.
    pub fn accepts(&self, presented: &str) -> bool {
        match self {
            AccessPolicy::Open => true,
            AccessPolicy::ApiKeys(keys) => {
                let presented = presented.as_bytes();
                if presented.len() > MAX_KEY_LEN {
                    return false;
                }
                let found = keys
                    .0
                    .iter()
                    .fold(Choice::from(0), |found, key| found | key.matches(presented));
                found.into()
            }
        }
    }
}

/// The keys a request presents: `X-API-Key: <key>` and `Authorization: Bearer <key>`.
fn presented_keys(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    let api_key = headers.get_all("x-api-key").iter();
    let bearer = headers.get_all(header::AUTHORIZATION).iter();
    api_key.chain(bearer).filter_map(|value| {
        let value = value.to_str().ok()?.trim();
        match value.split_once(' ') {
            Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => Some(key.trim()),
            _ => Some(value),
        }
    })
}

/// Paths anyone may fetch: the liveness and readiness probes, and GraphiQL's static page and
/// assets (a browser cannot add a header when it navigates; the key goes in GraphiQL's
/// Headers tab, and every query it sends is checked).
fn is_public(request: &Request) -> bool {
    let path = request.uri().path();
    path == "/healthz"
        || path == "/readyz"
        || path == "/"
        || path.starts_with("/graphiql/")
        || negotiate::is_graphiql_navigation(request)
}

/// Middleware: answers 401 `UNAUTHENTICATED` unless the request may pass.
pub async fn require_api_key(
    State(policy): State<AccessPolicy>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(policy, AccessPolicy::Open) || is_public(&request) {
        return next.run(request).await;
    }
    let had_key = presented_keys(request.headers()).next().is_some();
    if presented_keys(request.headers()).any(|key| policy.accepts(key)) {
        return next.run(request).await;
    }
    tracing::info!(
        http.path = request.uri().path(),
        reason = if had_key { "wrong key" } else { "no key" },
        "client request refused: no valid API key"
    );
    let media = negotiate::choose(request.headers()).unwrap_or(negotiate::MediaType::Json);
    unauthenticated(had_key, media)
}

/// The 401 answer, a GraphQL-style error body in the media type the client accepts.
fn unauthenticated(had_key: bool, media: negotiate::MediaType) -> Response {
    let message = match had_key {
        true => {
            "the client API key sent is not one of the gateway's keys (GATEWAY_API_KEYS); \
                 check it for typos or ask the operator for a valid one"
        }
        false => {
            "a client API key is required: send `Authorization: Bearer <key>` or \
                  `X-API-Key: <key>`"
        }
    };
    let body = serde_json::json!({"errors": [{"message": message, "extensions": {"code": code::UNAUTHENTICATED}}]});
    let headers = [
        (
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"kandji-gateway\""),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(media.content_type()),
        ),
    ];
    (StatusCode::UNAUTHORIZED, headers, body.to_string()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> ApiKeys {
        text.parse().unwrap()
    }

    #[test]
    fn loopback_is_open_without_keys_and_other_addresses_refuse_to_start() {
        let loopback: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let v6_loopback: SocketAddr = "[::1]:4000".parse().unwrap();
        let anywhere: SocketAddr = "0.0.0.0:4000".parse().unwrap();
        let none = ApiKeys::default();
        assert!(matches!(
            AccessPolicy::for_listen_address(loopback, &none, false),
            Ok(AccessPolicy::Open)
        ));
        assert!(matches!(
            AccessPolicy::for_listen_address(v6_loopback, &none, false),
            Ok(AccessPolicy::Open)
        ));

        let refusal = AccessPolicy::for_listen_address(anywhere, &none, false).unwrap_err();
        let message = refusal.to_string();
        assert!(message.starts_with("refusing to serve 0.0.0.0:4000 without client API keys"));
        assert!(
            message.contains("GATEWAY_API_KEYS") && message.contains("--allow-unauthenticated")
        );

        assert!(matches!(
            AccessPolicy::for_listen_address(anywhere, &none, true),
            Ok(AccessPolicy::Open)
        ));
        let keys = keys("0123456789abcdef-key");
        assert!(matches!(
            AccessPolicy::for_listen_address(anywhere, &keys, false),
            Ok(AccessPolicy::ApiKeys(_))
        ));
        assert!(matches!(
            AccessPolicy::for_listen_address(loopback, &keys, false),
            Ok(AccessPolicy::ApiKeys(_))
        ));
    }

    #[test]
    fn only_an_exact_configured_key_is_accepted() {
        let policy = AccessPolicy::ApiKeys(keys("first-key-0123456789, second-key-0123456789,"));
        assert!(policy.accepts("first-key-0123456789"));
        assert!(policy.accepts("second-key-0123456789"));
        assert!(!policy.accepts("first-key-012345678"));
        assert!(!policy.accepts("first-key-0123456789x"));
        assert!(!policy.accepts(""));
        assert!(!policy.accepts(&"x".repeat(MAX_KEY_LEN + 1)));
    }

    #[test]
    fn short_or_spaced_keys_are_rejected_without_echoing_them() {
        let short = "tooshort".parse::<ApiKey>().unwrap_err();
        assert!(short.contains("16 to 256 characters") && !short.contains("tooshort"));
        let spaced = "with a space inside it".parse::<ApiKey>().unwrap_err();
        assert!(!spaced.contains("with a space"));
        let configured = keys("secret-0123456789abcdef,,");
        assert_eq!(format!("{configured:?}"), "ApiKeys(<1 redacted>)");
        assert!(
            keys("").is_empty(),
            "an empty GATEWAY_API_KEYS means no keys"
        );
    }

    #[test]
    fn bearer_and_x_api_key_headers_are_both_read() {
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static("k1-0123456789abcdef"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer k2-0123456789abcdef"),
        );
        let keys: Vec<&str> = presented_keys(&headers).collect();
        assert_eq!(keys, ["k1-0123456789abcdef", "k2-0123456789abcdef"]);
    }
}
