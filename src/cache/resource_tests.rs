//! Stale-while-revalidate and the byte budget, pinned down on one resource with lifetimes of
//! milliseconds and fetches that count themselves.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::resource::{Capacity, Resource};
use crate::kandji::{Endpoint, KandjiError, KandjiResult};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn resource(fresh: Duration, max_stale: Duration) -> Resource<String, Arc<String>> {
    Resource::new("test", fresh, max_stale, Capacity::Entries(100))
}

/// A fetch that counts its calls, waits `delay`, then answers `value` (or fails).
fn fetch(
    calls: &Arc<AtomicUsize>,
    delay: Duration,
    value: Option<&str>,
) -> impl FnOnce() -> std::pin::Pin<Box<dyn Future<Output = KandjiResult<Arc<String>>> + Send>> {
    let calls = calls.clone();
    let value = value.map(str::to_string);
    move || {
        Box::pin(async move {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(delay).await;
            value.map(Arc::new).ok_or(KandjiError::Unavailable {
                endpoint: Endpoint::DeviceList,
                detail: "HTTP 503".into(),
            })
        })
    }
}

async fn read(r: &Resource<String, Arc<String>>, f: impl FnOnce() -> BoxedFetch) -> String {
    r.get("k".into(), f).await.map(|v| v.to_string()).unwrap()
}

type BoxedFetch = std::pin::Pin<Box<dyn Future<Output = KandjiResult<Arc<String>>> + Send>>;

#[tokio::test]
async fn concurrent_misses_share_one_fetch_and_fresh_reads_fetch_nothing() {
    let r = resource(Duration::from_secs(10), Duration::from_secs(10));
    let calls = Arc::new(AtomicUsize::new(0));
    let slow = ms(30);
    let reads = (0..10).map(|_| read(&r, fetch(&calls, slow, Some("v1"))));
    let values = futures::future::join_all(reads).await;
    assert!(values.iter().all(|v| v == "v1"));
    assert_eq!(read(&r, fetch(&calls, slow, Some("v2"))).await, "v1");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_stale_read_answers_at_once_and_one_background_refresh_replaces_it() {
    let fresh = ms(400);
    let r = resource(fresh, Duration::from_secs(10));
    let calls = Arc::new(AtomicUsize::new(0));
    read(&r, fetch(&calls, Duration::ZERO, Some("v1"))).await;
    tokio::time::sleep(fresh + ms(20)).await;

    // Ten stale reads while Kandji takes 150 ms: all answer the old value at once.
    let slow = ms(150);
    let started = Instant::now();
    let reads = (0..10).map(|_| read(&r, fetch(&calls, slow, Some("v2"))));
    let values = futures::future::join_all(reads).await;
    assert!(values.iter().all(|v| v == "v1"), "{values:?}");
    assert!(started.elapsed() < ms(100), "{:?}", started.elapsed());

    // One refresh ran, and its value is now served fresh.
    tokio::time::sleep(slow + ms(100)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(read(&r, fetch(&calls, slow, Some("v3"))).await, "v2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_stale_value_until_the_hard_limit() {
    let (fresh, max_stale) = (ms(300), ms(400));
    let r = resource(fresh, max_stale);
    let calls = Arc::new(AtomicUsize::new(0));
    read(&r, fetch(&calls, Duration::ZERO, Some("v1"))).await;
    tokio::time::sleep(fresh + ms(20)).await;

    assert_eq!(read(&r, fetch(&calls, Duration::ZERO, None)).await, "v1");
    tokio::time::sleep(ms(20)).await;
    // The refresh failed: still the stale value, and no new attempt straight away (not before
    // a lifetime has passed).
    assert_eq!(read(&r, fetch(&calls, Duration::ZERO, None)).await, "v1");
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    // Past fresh + max_stale the entry is gone: the read waits for Kandji and sees its error.
    tokio::time::sleep(max_stale).await;
    let failed = r.get("k".into(), fetch(&calls, Duration::ZERO, None)).await;
    assert!(matches!(failed, Err(KandjiError::Unavailable { .. })));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn without_max_stale_an_expired_entry_is_fetched_before_answering() {
    let fresh = ms(80);
    let r = resource(fresh, Duration::ZERO);
    let calls = Arc::new(AtomicUsize::new(0));
    read(&r, fetch(&calls, Duration::ZERO, Some("v1"))).await;
    tokio::time::sleep(fresh + ms(20)).await;
    let value = read(&r, fetch(&calls, ms(50), Some("v2"))).await;
    assert_eq!(value, "v2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_byte_budget_bounds_what_the_entries_weigh_not_how_many_they_are() {
    fn weigh(value: &Arc<String>) -> u32 {
        value.len() as u32
    }
    let r: Resource<String, Arc<String>> = Resource::new(
        "test",
        Duration::from_secs(60),
        Duration::ZERO,
        Capacity::Bytes(10_000, weigh),
    );
    let calls = Arc::new(AtomicUsize::new(0));
    let big = "x".repeat(1_000);
    for i in 0..50 {
        r.get(format!("k{i}"), fetch(&calls, Duration::ZERO, Some(&big)))
            .await
            .unwrap();
    }
    r.run_pending_tasks().await;
    assert_eq!(calls.load(Ordering::SeqCst), 50);
    assert!(r.weighted_size() <= 10_000, "{}", r.weighted_size());
    assert!(r.entry_count() <= 10, "{}", r.entry_count());

    // Small entries: many more fit in the same budget.
    let small = Resource::new(
        "test",
        Duration::from_secs(60),
        Duration::ZERO,
        Capacity::Bytes(10_000, weigh),
    );
    for i in 0..50 {
        small
            .get(format!("k{i}"), fetch(&calls, Duration::ZERO, Some("tiny")))
            .await
            .unwrap();
    }
    small.run_pending_tasks().await;
    assert_eq!(small.entry_count(), 50);
    assert_eq!(small.weighted_size(), 200);
}

#[tokio::test]
async fn the_change_count_moves_when_a_value_is_stored_and_not_on_hits_or_failures() {
    let fresh = ms(300);
    let changes = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let r = resource(fresh, Duration::from_secs(10)).counting_changes_in(changes.clone());
    let count = || changes.load(Ordering::SeqCst);
    let calls = Arc::new(AtomicUsize::new(0));

    // Ten concurrent misses store one value: one change.
    let reads = (0..10).map(|_| read(&r, fetch(&calls, ms(20), Some("v1"))));
    futures::future::join_all(reads).await;
    assert_eq!(count(), 1);
    // Hits change nothing; a failed fill stores nothing.
    read(&r, fetch(&calls, Duration::ZERO, Some("v2"))).await;
    let failed = r
        .get("other".into(), fetch(&calls, Duration::ZERO, None))
        .await;
    assert!(failed.is_err());
    assert_eq!(count(), 1);

    // A background refresh that lands is one more change, counted once the value is served.
    tokio::time::sleep(fresh + ms(20)).await;
    assert_eq!(read(&r, fetch(&calls, ms(50), Some("v2"))).await, "v1");
    assert_eq!(count(), 1);
    tokio::time::sleep(ms(150)).await;
    assert_eq!(count(), 2);
    assert_eq!(
        read(&r, fetch(&calls, Duration::ZERO, Some("v3"))).await,
        "v2"
    );
}
