//! What operators rely on: client API keys, CORS for frontend dev servers, the refusal to
//! serve a non-loopback address unprotected, the introspection and GraphiQL switches, health,
//! readiness and the Prometheus metrics.

use clap::Parser;
use kandji_gateway::config::Cli;
use kandji_gateway::http::HttpSettings;
use reqwest::header::{ACCEPT, AUTHORIZATION, WWW_AUTHENTICATE};
use serde_json::{Value, json};

use crate::common::{Env, Setup};

const KEY: &str = "test-client-key-0123456789abcdef";

fn with_args(args: &[&str]) -> Setup {
    let mut setup = Setup::default();
    setup
        .gateway_args
        .extend(args.iter().map(|a| a.to_string()));
    setup
}

async fn status_of(request: reqwest::RequestBuilder) -> u16 {
    request.send().await.unwrap().status().as_u16()
}

#[test]
fn a_non_loopback_address_without_keys_refuses_to_start_with_the_fix() {
    let settings = |args: &[&str]| {
        let cli = Cli::parse_from([&["kandji-gateway"], args].concat());
        HttpSettings::from_options(&cli.options)
    };
    let refusal = settings(&["--listen", "0.0.0.0:4000"])
        .unwrap_err()
        .to_string();
    assert!(refusal.starts_with("refusing to serve 0.0.0.0:4000 without client API keys"));
    assert!(refusal.contains("GATEWAY_API_KEYS") && refusal.contains("--allow-unauthenticated"));

    assert!(settings(&["--listen", "0.0.0.0:4000", "--allow-unauthenticated"]).is_ok());
    assert!(settings(&["--listen", "0.0.0.0:4000", "--api-keys", KEY]).is_ok());
    assert!(settings(&["--listen", "127.0.0.1:4000"]).is_ok());

    let mistyped = settings(&["--api-keys", "not long enough"])
        .unwrap_err()
        .to_string();
    assert!(mistyped.starts_with("GATEWAY_API_KEYS: each client API key needs 16 to 256"));
    assert!(
        !mistyped.contains("not long enough"),
        "a key is never echoed: {mistyped}"
    );
}

#[tokio::test]
async fn with_api_keys_configured_queries_need_a_valid_key_and_health_does_not() {
    let env = Env::start(with_args(&[
        "--api-keys",
        &format!("another-key-0123456789,{KEY}"),
    ]))
    .await;
    let graphql = || {
        let request = env.http().post(env.gateway_url("/graphql"));
        request.json(&json!({"query": "{ tenant { region } }"}))
    };

    let refused = graphql().send().await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(
        refused.headers()[WWW_AUTHENTICATE],
        "Bearer realm=\"kandji-gateway\""
    );
    let answer: Value = refused.json().await.unwrap();
    assert_eq!(answer["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    assert_eq!(
        status_of(graphql().header(AUTHORIZATION, format!("Bearer {KEY}"))).await,
        200
    );
    assert_eq!(status_of(graphql().header("x-api-key", KEY)).await, 200);
    assert_eq!(
        status_of(graphql().header("x-api-key", &KEY[1..])).await,
        401
    );
    assert_eq!(
        status_of(graphql().bearer_auth(format!("{KEY}0"))).await,
        401
    );

    let get = |path: &str| env.http().get(env.gateway_url(path));
    assert_eq!(status_of(get("/healthz")).await, 200);
    assert_eq!(status_of(get("/readyz")).await, 200);
    assert_eq!(
        status_of(get("/")).await,
        200,
        "GraphiQL's page holds no data"
    );
    assert_eq!(status_of(get("/metrics")).await, 401);
    assert_eq!(
        status_of(get("/metrics").header("x-api-key", KEY)).await,
        200
    );
}

#[tokio::test]
async fn cors_lets_local_dev_servers_in_by_default_and_keeps_other_origins_out() {
    let env = Env::default().await;
    let preflight = |origin: &'static str| {
        env.http()
            .request(reqwest::Method::OPTIONS, env.gateway_url("/graphql"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, x-api-key")
            .send()
    };
    let allowed = preflight("http://localhost:5173").await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap();
    assert!(methods.contains("POST"), "{methods}");

    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let configured = Env::start(with_args(&[
        "--cors-origins",
        "https://dashboard.example.com",
    ]));
    let configured = configured.await;
    let answer = configured
        .http()
        .post(configured.gateway_url("/graphql"))
        .header("Origin", "https://dashboard.example.com")
        .json(&json!({"query": "{ tenant { region } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.headers()["access-control-allow-origin"],
        "https://dashboard.example.com"
    );
}

#[tokio::test]
async fn introspection_and_graphiql_can_be_turned_off() {
    let env = Env::start(with_args(&["--no-introspection", "--no-graphiql"])).await;
    let answer = env
        .graphql("{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "INTROSPECTION_DISABLED"
    );
    let still = env
        .data("{ __typename tenant { region } }", json!({}))
        .await;
    assert_eq!(
        still,
        json!({"__typename": "Query", "tenant": {"region": "US"}})
    );

    let page = env
        .http()
        .get(env.gateway_url("/"))
        .header(ACCEPT, "text/html");
    assert_eq!(status_of(page).await, 404);
    let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let browser = env
        .http()
        .get(env.gateway_url("/graphql"))
        .header(ACCEPT, accept);
    assert_eq!(
        status_of(browser).await,
        400,
        "a GraphQL request without a query"
    );
}

#[tokio::test]
async fn readyz_is_ready_with_a_valid_token_and_503_when_kandji_rejects_it() {
    let env = Env::default().await;
    let ready = env
        .http()
        .get(env.gateway_url("/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<Value>().await.unwrap(),
        json!({"status": "ready"})
    );

    let rejected = Env::start(Setup {
        token: "99999999-9999-4999-8999-999999999999".into(),
        ..Setup::default()
    })
    .await;
    let answer = rejected
        .http()
        .get(rejected.gateway_url("/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 503);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(
        (body["status"].as_str(), body["code"].as_str()),
        (Some("not ready"), Some("UNAUTHENTICATED"))
    );
    assert!(
        !body.to_string().contains("99999999-9999"),
        "the token is never echoed"
    );
}

#[tokio::test]
async fn readyz_is_503_while_kandji_is_unreachable() {
    // A port that was free a moment ago: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let args: Vec<String> = [
        "--upstream-retry-deadline-ms",
        "300",
        "--upstream-connect-timeout-ms",
        "300",
    ]
    .map(String::from)
    .to_vec();
    let gateway = crate::common::start_gateway(
        closed,
        "https://demo.api.kandji.io/api/v1/",
        crate::common::TOKEN,
        &args,
    )
    .await;
    let answer = reqwest::get(format!("http://{gateway}/readyz"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 503);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["code"], "UPSTREAM_UNAVAILABLE", "{body}");
}

#[tokio::test]
async fn metrics_name_every_documented_series_after_queries() {
    let env = Env::default().await;
    // Twice, so that the second reads the caches the first filled.
    for _ in 0..2 {
        env.data(
            "{ devices(first: 2) { edges { node { name } } } }",
            json!({}),
        )
        .await;
    }
    let text = env
        .http()
        .get(env.gateway_url("/metrics"))
        .send()
        .await
        .unwrap();
    assert!(
        text.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = text.text().await.unwrap();
    for series in [
        "gateway_http_requests_total{",
        "gateway_http_request_duration_seconds_bucket{",
        "kandji_upstream_requests_total{",
        "kandji_upstream_request_duration_seconds_bucket{",
        "gateway_cache_hits_total{",
        "gateway_cache_misses_total{",
        "kandji_rate_limit_waits_total{",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    assert!(
        text.contains(
            r#"kandji_upstream_requests_total{endpoint="GET /api/v1/devices",status="200"}"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="/graphql""#), "{text}");
}
