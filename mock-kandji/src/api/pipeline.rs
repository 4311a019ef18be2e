//! What every `/api/` request goes through before its handler, in Kandji's
//! order: the host picks the tenant, Kong counts it against the rate limits,
//! the network may add latency or a fault, and DRF checks the token and the
//! route's permission. The journal records the outcome.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};

use super::errors::ApiError;
use crate::auth::{AuthFailure, Permission};
use crate::faults::FaultAction;
use crate::fleet::Tenant;
use crate::host;
use crate::journal::JournalEntry;
use crate::state::MockState;

/// The tenant a request is for, and the `Host` it was sent to (links in
/// responses point back at that host).
#[derive(Clone)]
pub struct TenantContext {
    /// The tenant.
    pub tenant: Arc<Tenant>,
    /// The `Host` header as sent.
    pub host: String,
}

impl<S: Send + Sync> FromRequestParts<S> for TenantContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<TenantContext>()
            .cloned()
            .ok_or(ApiError::PageNotFound)
    }
}

/// The matched route template, passed out to the journal.
#[derive(Clone)]
struct RouteTemplate(String);

/// Records the request when dropped, so a client that gives up during a
/// hang still leaves an entry (status 499, as nginx logs it).
struct JournalGuard {
    state: MockState,
    started: Instant,
    entry: JournalEntry,
}

impl Drop for JournalGuard {
    fn drop(&mut self) {
        self.entry.duration_ms = self.started.elapsed().as_millis() as u64;
        // No query string here: it can hold an email address.
        tracing::debug!(
            http.method = %self.entry.method,
            http.route = %self.entry.route,
            http.status = self.entry.status,
            tenant = self.entry.tenant.as_deref().unwrap_or("-"),
            fault = self.entry.fault.unwrap_or("-"),
            duration_ms = self.entry.duration_ms,
            "request"
        );
        self.state.record(self.entry.clone());
    }
}

/// The outer `/api/` layer: tenant, rate limit, faults, journal.
pub async fn gateway(State(state): State<MockState>, mut request: Request, next: Next) -> Response {
    let host_header = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let key = host::tenant_for_host(&host_header);
    let mut guard = JournalGuard {
        state: state.clone(),
        started: Instant::now(),
        entry: JournalEntry {
            at: chrono::Utc::now().to_rfc3339(),
            method: request.method().to_string(),
            host: host_header.clone(),
            tenant: key.as_ref().map(|k| k.label()),
            path: request.uri().path().to_owned(),
            query: request.uri().query().unwrap_or_default().to_owned(),
            route: "(unmatched)".to_owned(),
            status: 499,
            duration_ms: 0,
            fault: None,
        },
    };
    // The route matched before this layer runs: name it even when a limit or fault answers
    // instead of the handler.
    if let Some(route) = request.extensions().get::<axum::extract::MatchedPath>() {
        guard.entry.route = route.as_str().to_owned();
    }
    let Some(key) = key else {
        guard.entry.status = 404;
        return ApiError::PageNotFound.into_response();
    };

    let limits = state.count_request(&key);
    let mut response = if let Some(retry_after) = limits.retry_after {
        ApiError::RateLimited(retry_after).into_response()
    } else {
        let plan = state.draw_faults();
        guard.entry.fault = plan.action.map(FaultAction::name);
        if !plan.latency.is_zero() {
            tokio::time::sleep(plan.latency).await;
        }
        request.extensions_mut().insert(TenantContext {
            tenant: state.tenant(&key),
            host: host_header,
        });
        match plan.action {
            Some(FaultAction::Error(status)) => ApiError::Upstream(status).into_response(),
            Some(FaultAction::Html404) => ApiError::PageNotFound.into_response(),
            Some(FaultAction::Hang(pause)) => {
                tokio::time::sleep(pause).await;
                next.run(request).await
            }
            Some(FaultAction::Malformed) => malformed(next.run(request).await).await,
            Some(FaultAction::Drop) => dropped(next.run(request).await).await,
            None => next.run(request).await,
        }
    };

    for (name, value) in limits.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    if let Some(RouteTemplate(route)) = response.extensions().get::<RouteTemplate>() {
        guard.entry.route = route.clone();
    }
    guard.entry.status = response.status().as_u16();
    response
}

async fn body_bytes(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// 200 with the first half of the real body: never valid JSON.
async fn malformed(response: Response) -> Response {
    let (mut parts, bytes) = body_bytes(response).await;
    let cut = bytes.slice(..bytes.len() / 2);
    parts.status = StatusCode::OK;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(cut))
}

/// Announces the full length, sends half, then fails the body stream, which
/// makes the server cut the connection. The pause before the failure lets
/// the headers and the first half leave the server's write buffer.
async fn dropped(response: Response) -> Response {
    let (mut parts, bytes) = body_bytes(response).await;
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len().max(1)),
    );
    let cut = stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        Err::<Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected connection drop",
        ))
    });
    let body = stream::once(async move { Ok::<_, std::io::Error>(half) }).chain(cut);
    Response::from_parts(parts, Body::from_stream(body))
}

/// The per-route layer: token and permission, as DRF checks them.
pub async fn authorize(
    State((state, permission)): State<(MockState, Permission)>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let header = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let mut response = match state.authorize(header, permission) {
        Ok(()) => next.run(request).await,
        Err(AuthFailure::Missing) => ApiError::MissingCredentials.into_response(),
        Err(AuthFailure::Invalid) => ApiError::InvalidToken.into_response(),
        Err(AuthFailure::Denied) => {
            ApiError::PermissionDenied(state.config().denied_status).into_response()
        }
    };
    response
        .extensions_mut()
        .insert(RouteTemplate(matched.as_str().to_owned()));
    response
}
