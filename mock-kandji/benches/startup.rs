//! Start-up and first-page cost with a large fleet: `MockState::new` must
//! stay instant (tenants are generated lazily) and the first
//! `GET /devices` pays for generating one tenant of 10,000 devices.
//!
//! Run with `cargo bench -p mock-kandji --bench startup`; it prints timings
//! rather than asserting them, so a slow CI machine cannot make it flaky.

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use mock_kandji::{DEFAULT_TOKEN, MockConfig, MockState, app};
use tower::ServiceExt;

async fn get(router: &axum::Router, path: &str) -> usize {
    let request = Request::builder()
        .uri(path)
        .header("host", "bench.api.kandji.io")
        .header("authorization", format!("Bearer {DEFAULT_TOKEN}"))
        .body(Body::empty())
        .expect("valid request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body")
        .len()
}

#[tokio::main]
async fn main() {
    let config = MockConfig {
        devices: 10_000,
        rate_per_second: 0,
        rate_per_hour: 0,
        ..MockConfig::default()
    };

    let started = Instant::now();
    let state = MockState::new(config);
    let router = app(state);
    println!("start-up:            {:>8.2?}", started.elapsed());

    let started = Instant::now();
    let bytes = get(&router, "/api/v1/devices").await;
    println!(
        "first page (cold):   {:>8.2?}  ({bytes} bytes)",
        started.elapsed()
    );

    let started = Instant::now();
    get(&router, "/api/v1/devices?offset=9900").await;
    println!("last page (warm):    {:>8.2?}", started.elapsed());

    let started = Instant::now();
    let list = get(&router, "/api/v1/devices?limit=1&offset=5000").await;
    println!(
        "one device (warm):   {:>8.2?}  ({list} bytes)",
        started.elapsed()
    );
}
