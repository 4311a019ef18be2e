//! The L2 cache: values cross replicas with their lifetime, and a cold key is fetched once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kandji_gateway::shared::SharedCache;

use crate::redis_server::RedisServer;
use crate::{replicas, settings};

#[tokio::test]
async fn a_cold_key_missed_by_three_replicas_at_once_is_fetched_once() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let caches: Vec<SharedCache> = replicas(&server.url(), 3, settings())
        .into_iter()
        .map(SharedCache::new)
        .collect();
    let fetches = Arc::new(AtomicUsize::new(0));

    // Ten concurrent callers per replica, all missing the same key.
    let callers = (0..30).map(|i| {
        let cache = caches[i % 3].clone();
        let fetches = fetches.clone();
        tokio::spawn(async move {
            cache
                .get_or_fetch("device_list", "all", Duration::from_secs(60), || async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Ok::<_, String>(vec!["C02XK1".to_string(), "F9FZ2L".to_string()])
                })
                .await
        })
    });
    let answers = futures::future::join_all(callers).await;

    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "one upstream fetch in all"
    );
    for answer in answers {
        assert_eq!(
            answer.unwrap(),
            Ok(vec!["C02XK1".to_string(), "F9FZ2L".into()])
        );
    }
}

#[tokio::test]
async fn a_value_stored_by_one_replica_is_read_by_another_until_its_lifetime_ends() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let tiers = replicas(&server.url(), 2, settings());
    let (a, b) = (
        SharedCache::new(tiers[0].clone()),
        SharedCache::new(tiers[1].clone()),
    );

    a.set_bytes("device_apps", "d-1", b"[1,2]", Duration::from_millis(400))
        .await
        .unwrap();
    assert_eq!(
        b.get_bytes("device_apps", "d-1").await.unwrap().as_deref(),
        Some(&b"[1,2]"[..])
    );
    assert_eq!(b.get_bytes("device_apps", "d-2").await.unwrap(), None);

    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        b.get_bytes("device_apps", "d-1").await.unwrap(),
        None,
        "expired"
    );
}

#[tokio::test]
async fn a_failed_fetch_is_not_stored_and_the_next_replica_fetches_again() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let tiers = replicas(&server.url(), 3, settings());
    let caches: Vec<_> = tiers.into_iter().map(SharedCache::new).collect();
    let ttl = Duration::from_secs(60);

    let failed: Result<u32, String> = caches[0]
        .get_or_fetch("users", "all", ttl, || async {
            Err("HTTP 503".to_string())
        })
        .await;
    assert_eq!(failed, Err("HTTP 503".to_string()));

    let fetches = AtomicUsize::new(0);
    let fetch = || async {
        fetches.fetch_add(1, Ordering::SeqCst);
        Ok::<u32, String>(7)
    };
    assert_eq!(
        caches[1].get_or_fetch("users", "all", ttl, fetch).await,
        Ok(7)
    );
    assert_eq!(
        caches[2].get_or_fetch("users", "all", ttl, fetch).await,
        Ok(7)
    );
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        1,
        "the third replica read the second's value"
    );
}

#[tokio::test]
async fn waiting_replicas_take_over_when_the_lock_holder_fails() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let caches: Vec<SharedCache> = replicas(&server.url(), 3, settings())
        .into_iter()
        .map(SharedCache::new)
        .collect();
    let ttl = Duration::from_secs(60);
    let (failures, successes) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));

    // The first replica takes the lock and fails after 150 ms; the two others are waiting.
    let holder = {
        let (cache, failures) = (caches[0].clone(), failures.clone());
        tokio::spawn(async move {
            cache
                .get_or_fetch("blueprints", "all", ttl, || async {
                    failures.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    Err::<u32, _>("timeout".to_string())
                })
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(30)).await;
    let waiters = caches[1..].iter().cloned().map(|cache| {
        let successes = successes.clone();
        tokio::spawn(async move {
            cache
                .get_or_fetch("blueprints", "all", ttl, || async {
                    successes.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok::<u32, String>(6)
                })
                .await
        })
    });
    let answers = futures::future::join_all(waiters).await;

    assert_eq!(holder.await.unwrap(), Err("timeout".to_string()));
    for answer in answers {
        assert_eq!(answer.unwrap(), Ok(6));
    }
    assert_eq!(failures.load(Ordering::SeqCst), 1);
    assert_eq!(
        successes.load(Ordering::SeqCst),
        1,
        "one waiter fetched, the other read it"
    );
}
