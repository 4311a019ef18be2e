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
use crate::journal::Stats;
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

/// A bad admin request: 400 `{"error": "…"}`.
#[derive(Debug)]
pub struct AdminError(String);

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, Json(json!({ "error": self.0 }))).into_response()
    }
}

/// Parses a JSON body, turning serde's complaint into a readable 400.
fn parse<T: DeserializeOwned>(body: &Bytes, what: &str) -> Result<T, AdminError> {
    serde_json::from_slice(body).map_err(|e| AdminError(format!("invalid {what}: {e}")))
}

/// `?host=`: which tenant an admin call is about (the demo tenant by default).
#[derive(Debug, Deserialize)]
struct HostQuery {
    host: Option<String>,
}

impl HostQuery {
    fn tenant(&self) -> Result<TenantKey, AdminError> {
        match &self.host {
            None => Ok(TenantKey::demo()),
            Some(h) => host::tenant_for_host(h).ok_or_else(|| {
                AdminError(format!(
                    "{h} is not a tenant host: use <sub>.api.kandji.io, \
                     <sub>.api.eu.kandji.io or <sub>.api.iru.com"
                ))
            }),
        }
    }
}

async fn stats(
    State(state): State<MockState>,
    Query(query): Query<HostQuery>,
) -> Result<Json<Stats>, AdminError> {
    let tenant = match query.host {
        Some(_) => Some(query.tenant()?.label()),
        None => None,
    };
    Ok(Json(state.stats(tenant.as_deref())))
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

async fn set_faults(
    State(state): State<MockState>,
    body: Bytes,
) -> Result<Json<FaultSettings>, AdminError> {
    let settings: FaultSettings = parse(&body, "fault settings")?;
    settings
        .validate()
        .map_err(|message| AdminError(format!("invalid fault settings: {message}")))?;
    state.set_fault_settings(settings.clone());
    Ok(Json(settings))
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

async fn set_rate_limit(
    State(state): State<MockState>,
    body: Bytes,
) -> Result<Json<RateLimits>, AdminError> {
    let change: RateLimitChange = parse(&body, "rate limits")?;
    let current = state.rate_limits();
    let limits = RateLimits {
        per_second: change.per_second.unwrap_or(current.per_second),
        per_hour: change.per_hour.unwrap_or(current.per_hour),
    };
    state.set_rate_limits(limits);
    Ok(Json(limits))
}

/// `POST /__mock/tokens` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewToken {
    token: String,
    permissions: Vec<String>,
}

async fn add_token(State(state): State<MockState>, body: Bytes) -> Result<Response, AdminError> {
    let request: NewToken = parse(&body, "token request")?;
    if request.token.trim().is_empty() {
        return Err(AdminError("token must not be empty".to_owned()));
    }
    let mut permissions = BTreeSet::new();
    for name in &request.permissions {
        let permission = Permission::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Permission::ALL.iter().map(|p| p.name()).collect();
            AdminError(format!(
                "unknown permission \"{name}\"; known: {}",
                known.join(", ")
            ))
        })?;
        permissions.insert(permission);
    }
    state.register_token(request.token, permissions.clone());
    let body = Json(json!({ "permissions": permissions }));
    Ok((StatusCode::CREATED, body).into_response())
}

async fn scenarios(
    State(state): State<MockState>,
    Query(query): Query<HostQuery>,
) -> Result<Json<Value>, AdminError> {
    let key = query.tenant()?;
    let tenant = state.tenant(&key);
    Ok(Json(json!({
        "tenant": key.subdomain,
        "region": key.region,
        "scenarios": tenant.scenarios(),
    })))
}

async fn fleet(
    State(state): State<MockState>,
    Query(query): Query<HostQuery>,
) -> Result<Json<Value>, AdminError> {
    let key = query.tenant()?;
    let tenant = state.tenant(&key);
    let mut by_platform: BTreeMap<&str, usize> = BTreeMap::new();
    for device in &tenant.devices {
        *by_platform.entry(device.platform.api_name()).or_default() += 1;
    }
    Ok(Json(json!({
        "tenant": key.subdomain,
        "region": key.region,
        "devices": tenant.devices.len(),
        "users": tenant.users.len(),
        "blueprints": tenant.blueprints.len(),
        "by_platform": by_platform,
    })))
}
