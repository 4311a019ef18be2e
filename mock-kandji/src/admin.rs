//! The `/__mock/` control surface for tests and demos: journal and counts,
//! reset, faults, rate limits, extra tokens, and the scenario and fleet
//! summaries. No auth, never rate limited or faulted. Errors are
//! `{"error": "…"}` with a message that says what to fix.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::auth::Permission;
use crate::faults::FaultSettings;
use crate::host::{self, TenantKey};
use crate::ratelimit::RateLimits;
use crate::state::MockState;

/// Routes under `/__mock/`.
pub fn router() -> Router<MockState> {
    Router::new()
        .route("/__mock/stats", get(stats))
        .route("/__mock/requests", get(requests))
        .route("/__mock/reset", post(reset))
        .route("/__mock/faults", put(set_faults).get(get_faults))
        .route(
            "/__mock/rate-limit",
            put(set_rate_limit).get(get_rate_limit),
        )
        .route("/__mock/tokens", post(add_token))
        .route("/__mock/scenarios", get(scenarios))
        .route("/__mock/fleet", get(fleet))
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

/// Parses a JSON body, turning serde's complaint into a readable 400.
fn parse<T: DeserializeOwned>(body: &Bytes, what: &str) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| bad_request(format!("invalid {what}: {e}")))
}

/// `?host=`: which tenant an admin call is about (the demo tenant by default).
#[derive(Debug, Deserialize)]
struct HostQuery {
    host: Option<String>,
}

fn tenant_key(query: &HostQuery) -> Result<TenantKey, Response> {
    match &query.host {
        None => Ok(TenantKey::demo()),
        Some(h) => host::tenant_for_host(h).ok_or_else(|| bad_request(format!("{h} is not a tenant host: use <sub>.api.kandji.io, <sub>.api.eu.kandji.io or <sub>.api.iru.com"))),
    }
}

async fn stats(State(state): State<MockState>, Query(query): Query<HostQuery>) -> Response {
    let tenant = match &query.host {
        Some(_) => match tenant_key(&query) {
            Ok(key) => Some(key.label()),
            Err(response) => return response,
        },
        None => None,
    };
    Json(state.stats(tenant.as_deref())).into_response()
}

async fn requests(State(state): State<MockState>) -> Json<Value> {
    Json(json!({ "requests": state.recent_requests() }))
}

async fn reset(State(state): State<MockState>) -> Json<Value> {
    state.reset();
    Json(json!({ "reset": true }))
}

async fn get_faults(State(state): State<MockState>) -> Json<FaultSettings> {
    Json(state.fault_settings())
}

async fn set_faults(State(state): State<MockState>, body: Bytes) -> Response {
    let settings: FaultSettings = match parse(&body, "fault settings") {
        Ok(settings) => settings,
        Err(response) => return response,
    };
    if let Err(message) = settings.validate() {
        return bad_request(format!("invalid fault settings: {message}"));
    }
    state.set_fault_settings(settings.clone());
    Json(settings).into_response()
}

/// `PUT /__mock/rate-limit` body; a missing field keeps its current value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimitChange {
    per_second: Option<u32>,
    per_hour: Option<u32>,
}

async fn get_rate_limit(State(state): State<MockState>) -> Json<RateLimits> {
    Json(state.rate_limits())
}

async fn set_rate_limit(State(state): State<MockState>, body: Bytes) -> Response {
    let change: RateLimitChange = match parse(&body, "rate limits") {
        Ok(change) => change,
        Err(response) => return response,
    };
    let current = state.rate_limits();
    let limits = RateLimits {
        per_second: change.per_second.unwrap_or(current.per_second),
        per_hour: change.per_hour.unwrap_or(current.per_hour),
    };
    state.set_rate_limits(limits);
    Json(limits).into_response()
}

/// `POST /__mock/tokens` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    token: String,
    permissions: Vec<String>,
}

async fn add_token(State(state): State<MockState>, body: Bytes) -> Response {
    let request: NewToken = match parse(&body, "token request") {
        Ok(request) => request,
        Err(response) => return response,
    };
    if request.token.trim().is_empty() {
        return bad_request("token must not be empty".to_owned());
    }
    let mut permissions = BTreeSet::new();
    for name in &request.permissions {
        match Permission::from_name(name) {
            Some(permission) => permissions.insert(permission),
            None => {
                let known: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
                return bad_request(format!(
                    "unknown permission \"{name}\"; known: {}",
                    known.join(", ")
                ));
            }
        };
    }
    state.register_token(request.token, permissions.clone());
    (
        StatusCode::CREATED,
        Json(json!({ "permissions": permissions })),
    )
        .into_response()
}

async fn scenarios(State(state): State<MockState>, Query(query): Query<HostQuery>) -> Response {
    let key = match tenant_key(&query) {
        Ok(key) => key,
        Err(response) => return response,
    };
    let tenant = state.tenant(&key);
    Json(json!({ "tenant": key.subdomain, "region": key.region, "scenarios": tenant.scenarios() }))
        .into_response()
}

async fn fleet(State(state): State<MockState>, Query(query): Query<HostQuery>) -> Response {
    let key = match tenant_key(&query) {
        Ok(key) => key,
        Err(response) => return response,
    };
    let tenant = state.tenant(&key);
    let mut by_platform: BTreeMap<&str, usize> = BTreeMap::new();
    for device in &tenant.devices {
        *by_platform.entry(device.platform.api_name()).or_default() += 1;
    }
    Json(json!({
        "tenant": key.subdomain,
        "region": key.region,
        "devices": tenant.devices.len(),
        "users": tenant.users.len(),
        "blueprints": tenant.blueprints.len(),
        "by_platform": by_platform,
    }))
    .into_response()
}
