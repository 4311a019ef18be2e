//! Several gateway replicas on one tenant, sharing a real `redis-server`: one cache, one Kandji
//! rate budget, one persisted-query store; and no lost answer when Redis dies.

use std::net::SocketAddr;

use serde_json::{Value, json};

use crate::common::{Env, Setup, TOKEN, start_gateway};
use crate::redis_server::RedisServer;

const TENANT: &str = "https://demo.api.kandji.io/api/v1/";

/// Three gateways on `env`'s mock sharing `redis`, each with `extra` flags.
async fn replicas(env: &Env, redis: &RedisServer, extra: &[&str]) -> Vec<SocketAddr> {
    let mut args: Vec<String> = vec!["--redis-url".into(), redis.url()];
    args.extend(extra.iter().map(|a| a.to_string()));
    let mut gateways = Vec::new();
    for _ in 0..3 {
        gateways.push(start_gateway(env.mock, TENANT, TOKEN, &args).await);
    }
    gateways
}

async fn post(env: &Env, gateway: SocketAddr, body: Value) -> Value {
    let response = env
        .http()
        .post(format!("http://{gateway}/graphql"))
        .json(&body)
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

const SUMMARY: &str = "{ complianceSummary { total compliant nonCompliant unknown notSupported } }";

#[tokio::test]
async fn three_replicas_answer_a_cold_fleet_query_with_the_upstream_calls_of_one() {
    let Some(redis) = RedisServer::start() else {
        return;
    };

    // Calls one gateway makes, cold, on its own.
    let alone = Env::default().await;
    alone.reset_counts().await;
    let expected = alone.data(SUMMARY, json!({})).await;
    let calls_of_one = alone.upstream_calls().await["total"].as_u64().unwrap();

    // The same query on three replicas at once, then once more on each.
    let env = Env::default().await;
    let gateways = replicas(&env, &redis, &[]).await;
    env.reset_counts().await;
    let answers = futures::future::join_all(
        gateways
            .iter()
            .map(|g| post(&env, *g, json!({"query": SUMMARY}))),
    )
    .await;
    for answer in &answers {
        assert_eq!(answer["data"], expected, "{answer:#}");
    }
    let calls = env.upstream_calls().await["total"].as_u64().unwrap();
    assert!(
        calls <= calls_of_one,
        "three replicas made {calls} calls, one alone {calls_of_one}"
    );
}

#[tokio::test]
async fn a_burst_across_three_replicas_stays_under_kandjis_50_per_second() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut setup = Setup::default();
    setup.mock.devices = 120;
    setup.mock.rate_per_second = 50;
    setup.mock.rate_per_hour = 10_000;
    let env = Env::start(setup).await;
    // The gateways' default budget: 45 per second, shared through Redis; per-device reads only.
    let gateways = replicas(&env, &redis, &["--no-bulk", "--max-aliases", "100"]).await;
    let ids: Vec<String> = env
        .kandji_devices()
        .await
        .iter()
        .map(|d| d["device_id"].as_str().unwrap().to_string())
        .collect();
    env.reset_counts().await;

    // Each replica reads the details of a different third of the fleet at once.
    let burst = gateways.iter().enumerate().map(|(i, gateway)| {
        let chunk: Vec<&String> = ids.iter().skip(i).step_by(3).collect();
        let env = &env;
        async move {
            let fields: Vec<String> = chunk
                .iter()
                .enumerate()
                .map(|(n, id)| {
                    format!(
                        "d{n}: device(id: \"{id}\") {{ details {{ filevault {{ enabled }} }} }}"
                    )
                })
                .collect();
            post(
                env,
                *gateway,
                json!({"query": format!("{{ {} }}", fields.join(" "))}),
            )
            .await
        }
    });
    let answers = futures::future::join_all(burst).await;
    for answer in &answers {
        assert!(answer.get("errors").is_none(), "{answer:#}");
    }
    let journal = env.admin(reqwest::Method::GET, "requests", None).await;
    let requests = journal["requests"].as_array().unwrap();
    assert!(
        requests.len() >= 120,
        "every device was read: {}",
        requests.len()
    );
    let throttled = requests.iter().filter(|r| r["status"] == 429).count();
    assert_eq!(
        throttled, 0,
        "the shared budget keeps three replicas under 50 per second together"
    );
}

#[tokio::test]
async fn a_persisted_query_registered_on_one_replica_answers_on_another() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let env = Env::default().await;
    let gateways = replicas(&env, &redis, &[]).await;
    let query = "{ tenant { region apiHost } }";
    // `printf %s '{ tenant { region apiHost } }' | sha256sum`
    let hash = "549f3be2fcfcea991a8e4ff9ab0d18e5f2fa5a39a9fda6a7f5b87fda6261d2ef";
    let persisted = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}});

    let miss = post(&env, gateways[1], json!({"extensions": persisted})).await;
    assert_eq!(
        miss["errors"][0]["message"], "PersistedQueryNotFound",
        "{miss:#}"
    );
    let registered = post(
        &env,
        gateways[0],
        json!({"query": query, "extensions": persisted}),
    )
    .await;
    assert_eq!(registered["data"]["tenant"]["region"], "US");
    let hit = post(&env, gateways[1], json!({"extensions": persisted})).await;
    assert_eq!(hit["data"], registered["data"], "{hit:#}");
}

#[tokio::test]
async fn killing_redis_mid_run_loses_no_answer() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let env = Env::default().await;
    let gateways = replicas(&env, &redis, &[]).await;
    let query = json!({"query": "{ devices(first: 20) { totalCount edges { node { name details { filevault { enabled } } } } } }"});
    let before = post(&env, gateways[0], query.clone()).await;
    assert!(before.get("errors").is_none(), "{before:#}");

    // With Redis gone, cold reads (apps: not fetched yet) must still be answered, each replica
    // falling back to its own cache and rate limiter.
    redis.kill();
    let query = json!({"query": "{ devices(first: 20) { totalCount edges { node { name apps(first: 1) { totalCount } } } } }"});
    for gateway in &gateways {
        let answer = post(&env, *gateway, query.clone()).await;
        assert!(answer.get("errors").is_none(), "{answer:#}");
        assert_eq!(
            answer["data"]["devices"]["totalCount"],
            before["data"]["devices"]["totalCount"]
        );
    }
    let metrics = env
        .http()
        .get(format!("http://{}/metrics", gateways[1]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Metrics are process-wide and other tests' replicas share this process: look for the
    // failure counts rather than the up gauge.
    let redis_lines: Vec<&str> = metrics
        .lines()
        .filter(|l| l.starts_with("gateway_redis_"))
        .collect();
    let degraded = |l: &&str| {
        l.starts_with("gateway_redis_errors_total") || l.starts_with("gateway_redis_skipped_total")
    };
    assert!(
        redis_lines.iter().any(degraded),
        "the degradation shows in /metrics: {redis_lines:#?}"
    );
}

#[tokio::test]
async fn a_replica_never_gets_answers_its_token_may_not_read_from_another_token_via_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let env = Env::default().await;
    let drata = "dddddddd-0000-4000-8000-0000000000d4";
    let permissions = [
        "device_list",
        "device_details",
        "application_list",
        "device_library_items",
    ];
    env.admin(
        reqwest::Method::POST,
        "tokens",
        Some(json!({"token": drata, "permissions": permissions})),
    )
    .await;
    let args = vec!["--redis-url".to_string(), redis.url()];
    let full = start_gateway(env.mock, TENANT, TOKEN, &args).await;
    let limited = start_gateway(env.mock, TENANT, drata, &args).await;

    // The full token reads the user directory into Redis; the other token still may not.
    let users = json!({"query": "{ users(first: 2) { edges { node { email } } } }"});
    let read = post(&env, full, users.clone()).await;
    assert!(
        read["data"]["users"]["edges"][0]["node"]["email"].is_string(),
        "{read:#}"
    );
    let refused = post(&env, limited, users).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused:#}"
    );
    assert!(
        !refused.to_string().contains('@'),
        "no email leaked: {refused:#}"
    );

    // What both tokens may read, both answer.
    let list = json!({"query": "{ devices(first: 1) { totalCount } }"});
    let a = post(&env, full, list.clone()).await;
    let b = post(&env, limited, list).await;
    assert_eq!(a["data"], b["data"]);
}
