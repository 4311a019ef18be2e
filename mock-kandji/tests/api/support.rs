//! Helpers shared by the integration tests: an in-process mock and a small
//! reply type.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request};
use chrono::{TimeZone, Utc};
use mock_kandji::{DEFAULT_TOKEN, MockConfig, MockState, app};
use serde_json::Value;
use tower::ServiceExt;

/// The token with every permission.
pub const TOKEN: &str = DEFAULT_TOKEN;
/// A US tenant host.
pub const US: &str = "acme.api.kandji.io";
/// An EU tenant host.
pub const EU: &str = "acme.api.eu.kandji.io";
/// The loopback host that serves the demo tenant.
pub const LOCAL: &str = "127.0.0.1:7001";

/// The default configuration with a fixed clock and no rate limits, so
/// tests that make many calls are not throttled.
pub fn config() -> MockConfig {
    MockConfig {
        rate_per_second: 0,
        rate_per_hour: 0,
        now: Some(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap()),
        ..MockConfig::default()
    }
}

/// One in-process mock.
#[derive(Clone)]
pub struct Mock {
    router: Router,
}

/// A finished response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("<absent>")
    }
}

impl Mock {
    pub fn new() -> Mock {
        Mock::with(config())
    }

    pub fn with(config: MockConfig) -> Mock {
        Mock {
            router: app(MockState::new(config)),
        }
    }

    /// Sends a request; `token` `None` sends no `Authorization` header.
    pub async fn send(
        &self,
        method: Method,
        host: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_owned()));
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `GET` with the all-powerful token.
    pub async fn get(&self, host: &str, path: &str) -> Reply {
        self.send(Method::GET, host, path, Some(TOKEN), None).await
    }

    /// `GET` that must answer 200 with JSON.
    pub async fn json(&self, host: &str, path: &str) -> Value {
        let reply = self.get(host, path).await;
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.text());
        reply.json()
    }

    /// An admin call (no token).
    pub async fn admin(&self, method: Method, path: &str, body: Option<&str>) -> Reply {
        self.send(method, LOCAL, path, None, body).await
    }

    /// The scenario lists of a tenant.
    pub async fn scenario(&self, host: &str, name: &str) -> Vec<String> {
        let reply = self
            .admin(Method::GET, &format!("/__mock/scenarios?host={host}"), None)
            .await;
        let list = &reply.json()["scenarios"][name];
        list.as_array()
            .unwrap_or_else(|| panic!("no scenario {name}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }
}

/// The names of a tenant's devices' library items whose name matches.
pub fn names(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}
