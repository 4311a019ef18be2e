//! Redis failing never fails a call: killed, frozen or never there, every operation gives up
//! within the command timeout, the caller's local fetch answers, the degradation is logged once
//! and counted in the metrics, and the tier recovers by itself when Redis is back.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use kandji_gateway::shared::{SharedBudget, SharedCache, SharedQueryStore, SharedTier};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::redis_server::RedisServer;
use crate::{TENANT, replicas, settings};

/// The command timeout in `settings()` plus room for a slow machine.
const GIVE_UP_WITHIN: Duration = Duration::from_millis(450);

/// This test binary's metrics recorder.
fn metrics() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| PrometheusBuilder::new().install_recorder().unwrap())
}

/// Log lines written while the returned guard lives (this thread's tasks only).
fn capture_logs() -> (Arc<Mutex<Vec<u8>>>, tracing::subscriber::DefaultGuard) {
    #[derive(Clone)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let sink = Sink(buffer.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}

fn count(logs: &Mutex<Vec<u8>>, needle: &str) -> usize {
    String::from_utf8_lossy(&logs.lock().unwrap())
        .matches(needle)
        .count()
}

async fn local_answer(cache: &SharedCache, fetches: &AtomicUsize) -> Result<u32, String> {
    cache
        .get_or_fetch("devices", "all", Duration::from_secs(60), || async {
            fetches.fetch_add(1, Ordering::SeqCst);
            Ok(250)
        })
        .await
}

/// Runs `op` and checks it gave up (or answered) within [`GIVE_UP_WITHIN`].
async fn timed<T>(what: &str, op: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let output = op.await;
    let took = started.elapsed();
    assert!(took < GIVE_UP_WITHIN, "{what} took {took:?}");
    output
}

#[tokio::test]
async fn killing_redis_mid_run_loses_no_answer_and_restarting_it_recovers() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let metrics = metrics();
    let (logs, _guard) = capture_logs();
    let tier = replicas(&server.url(), 1, settings()).remove(0);
    let (cache, store) = (
        SharedCache::new(tier.clone()),
        SharedQueryStore::new(tier.clone()),
    );
    let budget = SharedBudget::new(tier.clone(), 45, 9_000);
    let fetches = AtomicUsize::new(0);

    assert_eq!(local_answer(&cache, &fetches).await, Ok(250));
    budget.acquire().await.unwrap();
    assert!(tier.is_up());

    server.kill();
    for _ in 0..20 {
        assert_eq!(
            timed("a fetch", local_answer(&cache, &fetches)).await,
            Ok(250)
        );
        assert!(timed("a budget slot", budget.acquire()).await.is_err());
        assert!(
            timed("a persisted query", store.get(&"a".repeat(64)))
                .await
                .is_err()
        );
    }
    assert!(!tier.is_up());
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        21,
        "each fetch after the kill went local"
    );
    assert_eq!(
        count(&logs, "Redis unavailable"),
        1,
        "the degradation is logged once"
    );
    let exposed = metrics.render();
    assert!(exposed.contains("gateway_redis_up 0"), "{exposed}");
    assert!(
        exposed.contains("gateway_redis_errors_total{op=\""),
        "{exposed}"
    );

    server.restart();
    let deadline = Instant::now() + Duration::from_secs(5);
    while cache.get_bytes("devices", "all").await.is_err() {
        assert!(Instant::now() < deadline, "the tier did not reconnect");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(tier.is_up());
    assert_eq!(
        count(&logs, "Redis recovered"),
        1,
        "the recovery is logged once"
    );
    assert_eq!(local_answer(&cache, &fetches).await, Ok(250));
    assert_eq!(local_answer(&cache, &fetches).await, Ok(250));
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        22,
        "shared again: the second read hit Redis"
    );
}

#[tokio::test]
async fn a_frozen_redis_costs_one_command_timeout_then_nothing() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let tier = replicas(&server.url(), 1, settings()).remove(0);
    let cache = SharedCache::new(tier.clone());
    let fetches = AtomicUsize::new(0);
    assert_eq!(local_answer(&cache, &fetches).await, Ok(250));

    server.freeze(true);
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(
            timed("a fetch", local_answer(&cache, &fetches)).await,
            Ok(250)
        );
    }
    // The first call waits out the timeout; the others skip Redis but for a probe each 200 ms.
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(900),
        "20 fetches took {took:?}"
    );
    assert!(!tier.is_up());

    server.freeze(false);
    let deadline = Instant::now() + Duration::from_secs(5);
    while cache.get_bytes("devices", "all").await.is_err() {
        assert!(Instant::now() < deadline, "the tier did not come back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(tier.is_up());
}

#[tokio::test]
async fn an_unreachable_redis_never_fails_a_fetch() {
    // A port nobody listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tier =
        SharedTier::connect(&format!("redis://127.0.0.1:{port}/"), TENANT, settings()).unwrap();
    let cache = SharedCache::new(tier.clone());
    let fetches = AtomicUsize::new(0);

    let started = Instant::now();
    for _ in 0..50 {
        assert_eq!(
            timed("a fetch", local_answer(&cache, &fetches)).await,
            Ok(250)
        );
    }
    assert_eq!(fetches.load(Ordering::SeqCst), 50);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(!tier.is_up());
}
