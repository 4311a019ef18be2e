//! The cache seen from outside: one request never fetches a resource twice, and a stale entry
//! is answered at once while one background refresh brings the new value.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Env, Setup};

fn calls(stats: &Value, route: &str) -> u64 {
    stats["by_route"][route].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn one_request_never_fetches_the_same_device_resource_twice() {
    let mut setup = Setup::default();
    // Per-device calls only, so every resource of every device is read through the cache.
    setup.gateway_args.push("--no-bulk".into());
    let env = Env::start(setup).await;
    let first = env.kandji("devices?limit=5").await;
    let id = first[0]["device_id"].as_str().unwrap().to_string();
    env.reset_counts().await;

    // The same five devices' details, apps and library items are asked for by three fields
    // each (directly, through compliance, and through two aliases of the first device).
    let query = r#"query($id: ID!) {
      devices(first: 5) { edges { node {
        id details { filevault { enabled } } apps(first: 1) { totalCount }
        libraryItems { id } compliance { status }
      } } }
      a: device(id: $id) { details { filevault { enabled } } compliance { status } }
      b: device(id: $id) { apps(first: 3) { totalCount } libraryItems { id } }
    }"#;
    let data = env.data(query, json!({"id": id})).await;
    assert_eq!(data["devices"]["edges"].as_array().unwrap().len(), 5);

    let stats = env.upstream_calls().await;
    for resource in ["details", "apps", "library-items"] {
        let route = format!("GET /api/v1/devices/{{device_id}}/{resource}");
        assert_eq!(calls(&stats, &route), 5, "{route}: {stats:#}");
    }
    assert_eq!(calls(&stats, "GET /api/v1/devices"), 1, "{stats:#}");
}

/// Answers `query` and says how long it took.
async fn timed(env: &Env, query: &str) -> (Value, Duration) {
    let started = Instant::now();
    let data = env.data(query, json!({})).await;
    (data, started.elapsed())
}

#[tokio::test]
async fn a_stale_device_list_is_answered_at_once_while_one_refresh_runs() {
    let mut setup = Setup::default();
    setup.gateway_args.extend(
        [
            "--cache-device-list-ttl",
            "1",
            "--cache-max-stale-secs",
            "60",
        ]
        .map(String::from),
    );
    let env = Env::start(setup).await;
    let query = "{ devices(first: 1) { totalCount } }";
    let (cold, _) = timed(&env, query).await;
    assert_eq!(cold["devices"]["totalCount"], 250);
    let list = "GET /api/v1/devices";
    assert_eq!(calls(&env.upstream_calls().await, list), 1);

    // Past the list's lifetime, Kandji slows to 1.5 s an answer: five stale reads do not wait.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    env.admin(Method::PUT, "faults", Some(json!({"latency_ms": 1_500})))
        .await;
    let reads = futures::future::join_all((0..5).map(|_| timed(&env, query))).await;
    for (data, took) in &reads {
        assert_eq!(data, &cold);
        assert!(*took < Duration::from_millis(1_000), "waited {took:?}");
    }

    // One refresh lands, and the next read is fresh: no call of its own.
    let deadline = Instant::now() + Duration::from_secs(10);
    while calls(&env.upstream_calls().await, list) < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(calls(&env.upstream_calls().await, list), 2);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_, took) = timed(&env, query).await;
    assert!(took < Duration::from_millis(1_000), "waited {took:?}");
    assert_eq!(calls(&env.upstream_calls().await, list), 2);

    let metrics = env.metrics().await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("gateway_cache_stale_total{cache=\"device_list\"}")),
        "{metrics}"
    );
}
