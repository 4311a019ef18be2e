//! Kept answers (`--response-cache-secs`): an identical query is answered from the kept answer
//! (with an `Age` header) until any cached value changes; answers with errors are never kept;
//! `0` turns it off.

use reqwest::Method;
use reqwest::header::AGE;
use serde_json::{Value, json};

use crate::common::{Env, Setup};

/// POSTs `query`; the body and the `Age` header (a kept answer has one).
async fn ask(env: &Env, query: &str, variables: Value) -> (Value, Option<String>) {
    let response = env
        .http()
        .post(env.gateway_url("/graphql"))
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let age = response
        .headers()
        .get(AGE)
        .map(|v| v.to_str().unwrap().to_string());
    (response.json().await.unwrap(), age)
}

const SERIALS: &str =
    "query Serials($n: Int) { devices(first: $n) { edges { node { serialNumber } } } }";

/// Asks until the answer is a kept one (the first warm answer is computed once more: the cold
/// one was computed while the cache filled). Returns the kept body.
async fn until_kept(env: &Env, query: &str, variables: Value) -> Value {
    for _ in 0..3 {
        let (body, age) = ask(env, query, variables.clone()).await;
        if age.is_some() {
            return body;
        }
    }
    panic!("{query} was never answered from a kept answer");
}

#[tokio::test]
async fn identical_queries_share_an_answer_until_a_cached_value_changes() {
    let env = Env::default().await;
    let two = json!({"n": 2});
    let (cold, age) = ask(&env, SERIALS, two.clone()).await;
    assert_eq!(age, None, "a cold answer is computed");
    let serials = cold["data"]["devices"]["edges"].clone();
    assert_eq!(serials.as_array().unwrap().len(), 2);

    let kept = until_kept(&env, SERIALS, two.clone()).await;
    assert_eq!(kept, cold);
    let (again, age) = ask(&env, SERIALS, two.clone()).await;
    assert_eq!((again, age.as_deref()), (cold.clone(), Some("0")));
    // Other variables are another answer.
    let (three, age) = ask(&env, SERIALS, json!({"n": 3})).await;
    assert_eq!(age, None);
    let edges = three["data"]["devices"]["edges"].as_array().unwrap();
    assert_eq!(edges[..2], serials.as_array().unwrap()[..]);

    // Reading one device's details stores a value: every kept answer is computed again.
    let id = env.kandji_devices().await[0]["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    let details = "query($id: ID!) { device(id: $id) { details { filevault { enabled } } } }";
    ask(&env, details, json!({"id": id})).await;
    let (recomputed, age) = ask(&env, SERIALS, two.clone()).await;
    assert_eq!((recomputed, age), (cold, None));

    let metrics = env.metrics().await;
    let hits = metrics
        .lines()
        .find(|l| l.starts_with("gateway_response_cache_total{result=\"hit\"}"));
    assert!(hits.is_some(), "{metrics}");
}

#[tokio::test]
async fn answers_with_errors_are_computed_every_time() {
    let env = Env::default().await;
    let id = env.kandji_devices().await[0]["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    let query = "query($id: ID!) { device(id: $id) { name details { filevault { enabled } } } }";
    let variables = json!({"id": id});
    until_kept(&env, "{ devices(first: 1) { totalCount } }", json!({})).await;

    env.admin(Method::PUT, "faults", Some(json!({"malformed_rate": 1.0})))
        .await;
    let details = "GET /api/v1/devices/{device_id}/details";
    for attempt in 1..=3 {
        let (answer, age) = ask(&env, query, variables.clone()).await;
        assert_eq!(age, None);
        assert_eq!(answer["data"]["device"]["details"], Value::Null);
        assert_eq!(
            answer["errors"][0]["extensions"]["code"],
            "UPSTREAM_UNAVAILABLE"
        );
        let calls = env.upstream_calls().await["by_route"][details]
            .as_u64()
            .unwrap_or(0);
        assert!(calls >= attempt, "each attempt asked Kandji: {calls}");
    }

    env.admin(Method::PUT, "faults", Some(json!({}))).await;
    let (answer, _) = ask(&env, query, variables.clone()).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    assert!(answer["data"]["device"]["details"]["filevault"].is_object());
}

#[tokio::test]
async fn a_zero_lifetime_computes_every_answer() {
    let mut setup = Setup::default();
    setup
        .gateway_args
        .extend(["--response-cache-secs", "0"].map(String::from));
    let env = Env::start(setup).await;
    for _ in 0..4 {
        let (answer, age) = ask(&env, SERIALS, json!({"n": 1})).await;
        assert_eq!(age, None);
        assert!(answer["data"]["devices"]["edges"][0]["node"]["serialNumber"].is_string());
    }
}
