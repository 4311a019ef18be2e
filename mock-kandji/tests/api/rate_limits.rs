//! Kong-style rate limiting per tenant.

use axum::http::Method;
use mock_kandji::MockConfig;

use crate::support::{EU, Mock, US, config};

#[tokio::test]
async fn every_api_answer_carries_kongs_rate_limit_headers() {
    let mock = Mock::with(MockConfig {
        rate_per_second: 50,
        rate_per_hour: 10_000,
        ..config()
    });
    let ok = mock.get(US, "/api/v1/blueprints").await;
    assert_eq!(ok.header("ratelimit-limit"), "50");
    assert_eq!(ok.header("ratelimit-reset"), "1");
    assert_eq!(ok.header("x-ratelimit-limit-second"), "50");
    assert_eq!(ok.header("x-ratelimit-limit-hour"), "10000");
    assert_eq!(ok.header("x-ratelimit-remaining-hour"), "9999");
    let unauthorized = mock
        .send(Method::GET, US, "/api/v1/blueprints", None, None)
        .await;
    assert_eq!(unauthorized.status, 401);
    assert_eq!(unauthorized.header("x-ratelimit-remaining-hour"), "9998");
}

#[tokio::test]
async fn going_over_the_hourly_limit_answers_429_with_retry_after() {
    let mock = Mock::with(MockConfig {
        rate_per_second: 0,
        rate_per_hour: 3,
        ..config()
    });
    for _ in 0..3 {
        assert_eq!(mock.get(US, "/api/v1/blueprints").await.status, 200);
    }
    let over = mock.get(US, "/api/v1/blueprints").await;
    assert_eq!(over.status, 429);
    assert_eq!(
        over.json(),
        serde_json::json!({"message": "API rate limit exceeded"})
    );
    let retry: u64 = over.header("retry-after").parse().unwrap();
    assert!((1..=3600).contains(&retry));
    assert_eq!(over.header("x-ratelimit-remaining-hour"), "0");

    // Tenants are limited separately, and the admin surface never is.
    assert_eq!(mock.get(EU, "/api/v1/blueprints").await.status, 200);
    assert_eq!(
        mock.admin(Method::GET, "/__mock/stats", None).await.status,
        200
    );
}

#[tokio::test]
async fn a_burst_over_the_per_second_limit_is_refused_within_the_second() {
    let mock = Mock::with(MockConfig {
        rate_per_second: 5,
        rate_per_hour: 0,
        ..config()
    });
    let mut refused = None;
    for _ in 0..40 {
        let reply = mock.get(US, "/api/v1/blueprints").await;
        if reply.status == 429 {
            refused = Some(reply);
            break;
        }
    }
    let refused = refused.expect("40 quick requests never hit a 5/s limit");
    assert_eq!(refused.header("retry-after"), "1");
    assert_eq!(refused.header("x-ratelimit-remaining-second"), "0");
}

#[tokio::test]
async fn the_admin_endpoint_changes_limits_at_run_time() {
    let mock = Mock::new();
    assert_eq!(
        mock.get(US, "/api/v1/blueprints")
            .await
            .header("x-ratelimit-limit-hour"),
        "<absent>"
    );
    let reply = mock
        .admin(
            Method::PUT,
            "/__mock/rate-limit",
            Some(r#"{"per_hour": 2}"#),
        )
        .await;
    assert_eq!(
        reply.json(),
        serde_json::json!({"per_second": 0, "per_hour": 2})
    );
    mock.get(US, "/api/v1/blueprints").await;
    mock.get(US, "/api/v1/blueprints").await;
    assert_eq!(mock.get(US, "/api/v1/blueprints").await.status, 429);
}
