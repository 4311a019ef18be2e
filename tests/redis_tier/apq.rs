//! The shared persisted query store: a hash registered on one replica answers on another.

use std::time::Duration;

use kandji_gateway::shared::SharedQueryStore;

use crate::redis_server::RedisServer;
use crate::{replicas, settings};

/// SHA-256 of `{ tenant { region } }`.
const HASH: &str = "66e4d2db178a41502996e8f5bdadc6ef45cda25f922b25163dd0fd7dc0c3509e";

#[tokio::test]
async fn a_query_registered_on_one_replica_answers_on_another() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let tiers = replicas(&server.url(), 2, settings());
    let (a, b) = (
        SharedQueryStore::new(tiers[0].clone()),
        SharedQueryStore::new(tiers[1].clone()),
    );

    assert_eq!(b.get(HASH).await.unwrap(), None, "nothing registered yet");
    a.set(HASH, "{ tenant { region } }").await.unwrap();
    assert_eq!(
        b.get(HASH).await.unwrap().as_deref(),
        Some("{ tenant { region } }")
    );
    assert_eq!(
        b.get(&HASH.to_ascii_uppercase()).await.unwrap().as_deref(),
        Some("{ tenant { region } }"),
        "hex digits in either case name the same query"
    );
}

#[tokio::test]
async fn a_persisted_query_expires_after_its_lifetime() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut short = settings();
    short.persisted_query_ttl = Duration::from_secs(1);
    let tiers = replicas(&server.url(), 2, short);
    let (a, b) = (
        SharedQueryStore::new(tiers[0].clone()),
        SharedQueryStore::new(tiers[1].clone()),
    );

    a.set(HASH, "{ blueprints { name } }").await.unwrap();
    assert!(b.get(HASH).await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(b.get(HASH).await.unwrap(), None);
}
