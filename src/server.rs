//! The HTTP server: GraphQL over HTTP, GraphiQL, health checks and metrics.
//!
//! `app` builds the router and `serve` runs it until shutdown; `main` and the tests call the
//! same two functions.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use async_graphql_axum::{GraphQLBatchRequest, GraphQLResponse};
use axum::extract::{FromRequest, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;

use crate::graphql::{GatewaySchema, prepare_request};
use crate::state::GatewayState;
use crate::telemetry::RequestStats;

/// How recently Kandji must have answered for `/readyz` to pass without a probe.
const READY_WITHIN: Duration = Duration::from_secs(60);

/// What the router's handlers share.
#[derive(Clone)]
pub struct ServerState {
    schema: GatewaySchema,
    gateway: Arc<GatewayState>,
}

/// The process-wide Prometheus recorder (installed once, shared by every server in a process).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (an embedding program); then ours stays
        // empty rather than failing the server.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// The gateway's router.
pub fn app(schema: GatewaySchema, gateway: Arc<GatewayState>) -> Router {
    metrics_handle();
    let state = ServerState { schema, gateway };
    Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .merge(crate::graphiql::routes())
        .layer(middleware::from_fn(record_http))
        .with_state(state)
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn graphiql() -> Html<String> {
    crate::graphiql::page()
}

/// `GET /graphql`: GraphiQL for browsers, a query for everyone else.
async fn graphql_get(
    State(state): State<ServerState>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let has_query = request.uri().query().is_some_and(|q| q.contains("query="));
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if !has_query && wants_html {
        return graphiql().await.into_response();
    }
    if !has_query {
        let body = json!({"errors": [{"message": "GET /graphql needs a `query` parameter, e.g. /graphql?query={tenant{region}}", "extensions": {"code": "BAD_REQUEST"}}]});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    match GraphQLBatchRequest::from_request(request, &state).await {
        Ok(batch) => execute(state, batch).await.into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

/// `POST /graphql`: one request or a batch (a JSON array).
async fn graphql_post(State(state): State<ServerState>, batch: GraphQLBatchRequest) -> Response {
    execute(state, batch).await.into_response()
}

async fn execute(state: ServerState, batch: GraphQLBatchRequest) -> GraphQLResponse {
    let stats = Arc::new(RequestStats::default());
    let batch = match batch.into_inner() {
        async_graphql::BatchRequest::Single(r) => {
            async_graphql::BatchRequest::Single(prepare_request(r, &state.gateway, &stats))
        }
        async_graphql::BatchRequest::Batch(requests) => async_graphql::BatchRequest::Batch(
            requests
                .into_iter()
                .map(|r| prepare_request(r, &state.gateway, &stats))
                .collect(),
        ),
    };
    let operation = match &batch {
        async_graphql::BatchRequest::Single(r) => r.operation_name.clone(),
        async_graphql::BatchRequest::Batch(_) => Some("<batch>".to_string()),
    };
    let started = Instant::now();
    let response = RequestStats::scope(stats.clone(), state.schema.execute_batch(batch)).await;
    tracing::info!(
        graphql.operation = operation.as_deref().unwrap_or("<anonymous>"),
        duration_ms = started.elapsed().as_millis() as u64,
        upstream.calls = stats.upstream_calls(),
        cache.hits = stats.cache_hits(),
        cache.misses = stats.cache_misses(),
        ok = response.is_ok(),
        "graphql request"
    );
    response.into()
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when Kandji answered recently; otherwise probes it once with the device list.
async fn readyz(State(state): State<ServerState>) -> Response {
    let client = state.gateway.cache.client();
    if client
        .last_success_age()
        .is_some_and(|age| age < READY_WITHIN)
    {
        return Json(json!({"status": "ready"})).into_response();
    }
    match client.probe().await {
        Ok(()) => Json(json!({"status": "ready"})).into_response(),
        Err(error) => {
            let body =
                json!({"status": "not ready", "code": error.code(), "reason": error.to_string()});
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

async fn metrics_text() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics_handle().render(),
    )
}

/// Counts and times every HTTP request by route and status.
async fn record_http(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "<unmatched>".to_string());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("gateway_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("gateway_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}
