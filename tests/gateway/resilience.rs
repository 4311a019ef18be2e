//! Surviving the real Kandji: missing permissions, 5xx storms, 429 storms, hangs, malformed
//! bodies and fleets past the 300-device page, each against mock-kandji's faults and tokens.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Env, Setup, start_gateway};

fn codes(answer: &Value) -> Vec<String> {
    answer["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn fast_failing(timeout_ms: u64, deadline_ms: u64) -> Vec<String> {
    let mut args = Setup::default().gateway_args;
    args.extend([
        "--upstream-timeout-ms".to_string(),
        timeout_ms.to_string(),
        "--upstream-retry-deadline-ms".to_string(),
        deadline_ms.to_string(),
    ]);
    args
}

#[tokio::test]
async fn a_ten_thousand_device_fleet_is_read_whole_past_the_300_page() {
    let mut setup = Setup::default();
    setup.mock.devices = 10_000;
    let env = Env::start(setup).await;
    env.reset_counts().await;
    let data = env
        .data("{ devices(first: 1) { totalCount } }", json!({}))
        .await;
    assert_eq!(data["devices"]["totalCount"], 10_000);
    let stats = env.upstream_calls().await;
    assert_eq!(
        stats["by_route"]["GET /api/v1/devices"], 34,
        "ceil(10000 / 300) pages: {stats:#}"
    );
}

#[tokio::test]
async fn a_token_without_the_application_list_still_answers_names_and_apps_fail_forbidden() {
    let env = Env::default().await;
    let limited = "aaaaaaaa-0000-4000-8000-00000000000a";
    let permissions = [
        "device_list",
        "device_details",
        "device_library_items",
        "users",
        "blueprints",
    ];
    env.admin(
        Method::POST,
        "tokens",
        Some(json!({"token": limited, "permissions": permissions})),
    )
    .await;
    let gateway = start_gateway(
        env.mock,
        "https://demo.api.kandji.io/api/v1/",
        limited,
        &Setup::default().gateway_args,
    )
    .await;

    let query = r#"{ devices(first: 3, filter: { platform: MAC }) { edges { node { name apps(first: 1) { totalCount } } } } }"#;
    let answer: Value = env
        .http()
        .post(format!("http://{gateway}/graphql"))
        .json(&json!({"query": query}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let edges = answer["data"]["devices"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 3);
    for edge in edges {
        assert!(edge["node"]["name"].is_string());
        assert_eq!(
            edge["node"].get("apps"),
            Some(&Value::Null),
            "null, not missing"
        );
    }
    let errors = answer["errors"].as_array().unwrap();
    assert_eq!(
        errors.len(),
        3,
        "one error per device, at its path: {answer:#}"
    );
    for error in errors {
        assert_eq!(error["extensions"]["code"], "FORBIDDEN");
        assert_eq!(error["extensions"]["permission"], "application_list");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("Application list")
        );
        assert_eq!(error["path"][4], "apps");
    }

    let permissions = "{ tenant { permissions { name required status } } }";
    let answer: Value = env
        .http()
        .post(format!("http://{gateway}/graphql"))
        .json(&json!({"query": permissions}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = answer["data"]["tenant"]["permissions"].as_array().unwrap();
    let status = |name: &str| list.iter().find(|p| p["name"] == name).unwrap()["status"].clone();
    assert_eq!(status("device_list"), "GRANTED");
    assert_eq!(status("application_list"), "DENIED");
    assert_eq!(status("prism"), "DENIED");
}

#[tokio::test]
async fn a_missing_permission_answered_with_401_is_still_reported_as_forbidden() {
    let mut setup = Setup::default();
    setup.mock.denied_status = 401;
    let limited = "bbbbbbbb-0000-4000-8000-00000000000b";
    setup.token = limited.into();
    let env = Env::start(setup).await;
    env.admin(
        Method::POST,
        "tokens",
        Some(json!({"token": limited, "permissions": ["device_list"]})),
    )
    .await;
    let answer = env
        .graphql(
            "{ devices(first: 1) { edges { node { name details { filevault { enabled } } } } } }",
            json!({}),
        )
        .await;
    assert!(
        answer["data"]["devices"]["edges"][0]["node"]["name"].is_string(),
        "{answer:#}"
    );
    assert_eq!(codes(&answer), ["FORBIDDEN"]);
    assert_eq!(
        answer["errors"][0]["extensions"]["permission"],
        "device_details"
    );
}

#[tokio::test]
async fn thirty_percent_503s_still_yield_a_complete_answer() {
    let env = Env::default().await;
    env.admin(
        Method::PUT,
        "faults",
        Some(json!({"error_rate": 0.3, "error_statuses": [503]})),
    )
    .await;
    let answer = env
        .graphql(
            "{ devices(first: 40, filter: { platform: MAC }) { edges { node { name details { filevault { enabled } } libraryItems { status } } } } }",
            json!({}),
        )
        .await;
    assert!(
        answer.get("errors").is_none(),
        "retries hide 503s: {answer:#}"
    );
    let edges = answer["data"]["devices"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 40);
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["details"].is_object() && e["node"]["libraryItems"].is_array())
    );
    let journal = env.admin(Method::GET, "requests", None).await;
    let statuses: Vec<i64> = journal["requests"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["status"].as_i64()).collect())
        .unwrap_or_default();
    assert!(statuses.contains(&503), "the mock did answer 503s");
}

#[tokio::test]
async fn a_429_storm_ends_in_a_complete_answer_or_rate_limited_never_a_hang() {
    let mut setup = Setup::default();
    setup.mock.rate_per_second = 5;
    setup.gateway_args = fast_failing(5_000, 3_000);
    let env = Env::start(setup).await;
    let started = Instant::now();
    let answer = env.graphql("{ devices(first: 30, filter: { platform: MAC }) { edges { node { name details { filevault { enabled } } } } } }", json!({})).await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    let codes = codes(&answer);
    assert!(codes.iter().all(|c| c == "RATE_LIMITED"), "{answer:#}");
    let edges = answer["data"]["devices"]["edges"]
        .as_array()
        .expect("the device list itself survives");
    let answered = edges
        .iter()
        .filter(|e| e["node"]["details"].is_object())
        .count();
    assert_eq!(
        answered + codes.len(),
        edges.len(),
        "every device answers or fails RATE_LIMITED"
    );
    if let Some(error) = answer["errors"].as_array().and_then(|e| e.first()) {
        assert!(error["extensions"]["retryAfterSeconds"].as_u64().unwrap() >= 1);
    }
}

#[tokio::test]
async fn a_hung_upstream_fails_within_the_configured_timeout() {
    let env = Env::start(Setup {
        gateway_args: fast_failing(300, 1_000),
        ..Setup::default()
    })
    .await;
    env.admin(
        Method::PUT,
        "faults",
        Some(json!({"hang_rate": 1.0, "hang_ms": 20_000})),
    )
    .await;
    let started = Instant::now();
    let answer = env
        .graphql("{ devices(first: 1) { totalCount } }", json!({}))
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(codes(&answer), ["UPSTREAM_TIMEOUT"], "{answer:#}");
}

#[tokio::test]
async fn a_malformed_body_fails_the_field_naming_the_endpoint_and_is_not_cached() {
    let env = Env::default().await;
    let id = env.kandji_devices().await[0]["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.data("{ devices(first: 1) { totalCount } }", json!({}))
        .await;

    env.admin(Method::PUT, "faults", Some(json!({"malformed_rate": 1.0})))
        .await;
    let query = r#"query($id: ID!) { device(id: $id) { name details { filevault { enabled } } } }"#;
    let answer = env.graphql(query, json!({"id": id})).await;
    assert_eq!(
        answer["data"]["device"]["details"],
        Value::Null,
        "{answer:#}"
    );
    assert!(
        answer["data"]["device"]["name"].is_string(),
        "siblings still answer"
    );
    assert_eq!(codes(&answer), ["UPSTREAM_UNAVAILABLE"]);
    assert_eq!(
        answer["errors"][0]["extensions"]["endpoint"],
        "GET /api/v1/devices/{device_id}/details"
    );

    env.admin(Method::PUT, "faults", Some(json!({}))).await;
    let answer = env.data(query, json!({"id": id})).await;
    assert!(
        answer["device"]["details"].is_object(),
        "the failure was not cached"
    );
}

#[tokio::test]
async fn readiness_fails_while_the_token_is_rejected() {
    let env = Env::start(Setup {
        token: "22222222-0000-4000-8000-000000000002".into(),
        ..Setup::default()
    })
    .await;
    let response = env
        .http()
        .get(env.gateway_url("/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "UNAUTHENTICATED");

    let good = Env::default().await;
    assert_eq!(
        good.http()
            .get(good.gateway_url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        good.http()
            .get(good.gateway_url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
