//! The HTTP server: the router (GraphQL, GraphiQL, health, readiness, metrics) and the layers
//! around it (client API keys, CORS, compression, in-flight counting, request metrics).
//!
//! `app` builds the router and `serve` runs it until shutdown; `main` and the tests call the
//! same functions. The GraphQL endpoint itself lives in `http::endpoint`.

use std::sync::{Arc, Once, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde_json::json;
use tower_http::compression::CompressionLayer;

use crate::graphql::GatewaySchema;
use crate::http::endpoint::{GraphqlEndpoint, get_graphql, post_graphql};
use crate::http::{HttpSettings, access, shutdown};
use crate::state::GatewayState;

pub use crate::http::shutdown::serve_with_drain;

/// How recently Kandji must have answered for `/readyz` to pass without a probe.
const READY_WITHIN: Duration = Duration::from_secs(60);

/// How long `/readyz` waits for its probe of Kandji.
const READY_PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Upper bounds, in seconds, of the duration histograms' buckets.
const DURATION_BUCKETS: [f64; 13] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// The process-wide Prometheus recorder (installed once, shared by every server in a process).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        // Histograms with buckets (not summaries) so that replicas can be aggregated.
        let recorder = PrometheusBuilder::new()
            .set_buckets(&DURATION_BUCKETS)
            .expect("the bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (an embedding program); then ours stays
        // empty rather than failing the server.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Describes every metric once, and creates the rate-limit counters at zero so that a
/// dashboard sees them before the first wait.
fn describe_metrics() {
    static DESCRIBED: Once = Once::new();
    DESCRIBED.call_once(|| {
        use metrics::{Unit, describe_counter, describe_histogram};
        describe_counter!(
            "gateway_http_requests_total",
            "HTTP requests, by method, route and status"
        );
        describe_histogram!(
            "gateway_http_request_duration_seconds",
            Unit::Seconds,
            "HTTP request duration, by method and route"
        );
        describe_counter!(
            "kandji_upstream_requests_total",
            "Kandji API calls, by endpoint and status"
        );
        describe_histogram!(
            "kandji_upstream_request_duration_seconds",
            Unit::Seconds,
            "Kandji API call duration, by endpoint"
        );
        describe_counter!(
            "gateway_cache_hits_total",
            "Cache lookups answered from the cache, by cache"
        );
        describe_counter!(
            "gateway_cache_misses_total",
            "Cache lookups that went to Kandji, by cache"
        );
        describe_counter!(
            "kandji_rate_limit_waits_total",
            "Waits for the Kandji rate limit, by reason (client_limiter, upstream_429)"
        );
        for reason in ["client_limiter", "upstream_429"] {
            metrics::counter!("kandji_rate_limit_waits_total", "reason" => reason).increment(0);
        }
    });
}

/// The gateway's router for `schema` over `gateway`'s tenant, with `settings`.
pub fn app(schema: GatewaySchema, gateway: Arc<GatewayState>, settings: &HttpSettings) -> Router {
    metrics_handle();
    describe_metrics();
    let settings = Arc::new(settings.clone());

    let graphql = Router::new()
        .route("/graphql", get(get_graphql).post(post_graphql))
        .with_state(GraphqlEndpoint::new(
            schema,
            gateway.clone(),
            settings.clone(),
        ));
    let operations = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(gateway);
    let mut router = Router::new().merge(graphql).merge(operations);
    if settings.graphiql {
        router = router
            .route("/", get(graphiql))
            .merge(crate::graphiql::routes());
    }

    // Layers, innermost first: keys, compression, CORS (which answers preflights before the
    // key check), in-flight counting for the shutdown, metrics for everything.
    let router = router
        .layer(middleware::from_fn_with_state(
            settings.access.clone(),
            access::require_api_key,
        ))
        .layer(CompressionLayer::new());
    let router = match settings.cors.layer() {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router
        .layer(middleware::from_fn(shutdown::count_in_flight))
        .layer(middleware::from_fn(record_http))
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes in-flight requests
/// (with no time limit; `serve_with_drain` has one).
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

/// Headers for probe answers, which must never come from a cache.
const NO_STORE: [(header::HeaderName, HeaderValue); 1] =
    [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];

async fn healthz() -> Response {
    (NO_STORE, Json(json!({"status": "ok"}))).into_response()
}

/// Ready when Kandji answered recently; otherwise probes it once with the device list. Not
/// ready while the tenant rejects the token or cannot be reached.
async fn readyz(State(gateway): State<Arc<GatewayState>>) -> Response {
    let client = gateway.cache.client();
    if client
        .last_success_age()
        .is_some_and(|age| age < READY_WITHIN)
    {
        return (NO_STORE, Json(json!({"status": "ready"}))).into_response();
    }
    let body = match tokio::time::timeout(READY_PROBE_TIMEOUT, client.probe()).await {
        Ok(Ok(())) => return (NO_STORE, Json(json!({"status": "ready"}))).into_response(),
        Ok(Err(error)) => {
            json!({"status": "not ready", "code": error.code(), "reason": error.to_string()})
        }
        Err(_) => json!({
            "status": "not ready",
            "code": "UPSTREAM_TIMEOUT",
            "reason": format!("Kandji did not answer within {} s", READY_PROBE_TIMEOUT.as_secs()),
        }),
    };
    (StatusCode::SERVICE_UNAVAILABLE, NO_STORE, Json(body)).into_response()
}

async fn metrics_text() -> Response {
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    (headers, metrics_handle().render()).into_response()
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
