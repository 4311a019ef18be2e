//! The shared rate budget: replicas together stay under one tenant's limits.

use std::time::{Duration, Instant};

use kandji_gateway::shared::{Reservation, SharedBudget, SharedTier};

use crate::redis_server::RedisServer;
use crate::{TENANT, replicas, settings};

/// The most instants of `sorted` that fall in any window `[t, t + width)`.
fn busiest_window(sorted: &[Duration], width: Duration) -> usize {
    (0..sorted.len())
        .map(|i| {
            sorted[i..]
                .iter()
                .take_while(|t| **t < sorted[i] + width)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn three_replicas_together_stay_under_the_per_second_rate() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    // 20 per second with a burst of 2: at most 22 grants in any one-second window.
    let budgets: Vec<SharedBudget> = replicas(&server.url(), 3, settings())
        .into_iter()
        .map(|tier| SharedBudget::new(tier, 20, 0))
        .collect();

    let started = Instant::now();
    let acquirers = (0..60).map(|i| {
        let budget = budgets[i % 3].clone();
        tokio::spawn(async move { budget.acquire().await.map(|()| started.elapsed()) })
    });
    let mut granted: Vec<Duration> = futures::future::join_all(acquirers)
        .await
        .into_iter()
        .map(|joined| joined.unwrap().expect("Redis answered every acquire"))
        .collect();
    granted.sort();

    let busiest = busiest_window(&granted, Duration::from_secs(1));
    assert!(busiest <= 22, "{busiest} grants within one second");
    // 60 grants at 20 per second after a burst of 2 take 58 intervals of 50 ms.
    let last = *granted.last().unwrap();
    assert!(
        last >= Duration::from_millis(2_800),
        "all 60 granted by {last:?}"
    );
    assert!(
        last < Duration::from_millis(4_000),
        "grants were not starved: {last:?}"
    );
}

#[tokio::test]
async fn the_hourly_share_is_spent_by_all_replicas_together() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    // 36 per hour: one every 100 s, with a burst of 3.
    let budgets: Vec<SharedBudget> = replicas(&server.url(), 3, settings())
        .into_iter()
        .map(|tier| SharedBudget::new(tier, 0, 36))
        .collect();

    for budget in &budgets {
        assert_eq!(
            budget.reserve().await.unwrap(),
            Reservation::Granted(Duration::ZERO)
        );
    }
    for budget in &budgets {
        match budget.reserve().await.unwrap() {
            Reservation::Refused(wait) => assert!(
                wait > Duration::from_secs(99) && wait <= Duration::from_secs(100),
                "the next slot is 100 s away, not {wait:?}"
            ),
            granted => panic!("a fourth call this hour was {granted:?}"),
        }
    }
}

#[tokio::test]
async fn slots_within_reach_are_reserved_in_order() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    // 10 per second, burst 1: the second and third callers get slots 100 and 200 ms away.
    let tiers = replicas(&server.url(), 3, settings());
    let budgets: Vec<_> = tiers
        .into_iter()
        .map(|t| SharedBudget::new(t, 10, 0))
        .collect();

    let mut waits = Vec::new();
    for budget in &budgets {
        match budget.reserve().await.unwrap() {
            Reservation::Granted(wait) => waits.push(wait.as_millis()),
            refused => panic!("{refused:?}"),
        }
    }
    // Each wait is its slot less the time the calls before it took (a few ms, more when busy).
    assert_eq!(waits[0], 0);
    assert!((50..=100).contains(&waits[1]), "{waits:?}");
    assert!((150..=200).contains(&waits[2]), "{waits:?}");
}

#[tokio::test]
async fn a_budget_without_limits_never_asks_redis() {
    // Nothing listens on port 1: asking Redis would fail.
    let tier = SharedTier::connect("redis://127.0.0.1:1/", TENANT, settings()).unwrap();
    let budget = SharedBudget::new(tier.clone(), 0, 0);
    assert_eq!(
        budget.reserve().await.unwrap(),
        Reservation::Granted(Duration::ZERO)
    );
    budget.acquire().await.unwrap();
    assert!(!tier.is_up(), "no call was made");
}
