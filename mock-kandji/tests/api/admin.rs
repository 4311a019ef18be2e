//! The `/__mock/` control surface.

use axum::http::Method;

use crate::support::{EU, Mock, TOKEN, US};

#[tokio::test]
async fn stats_count_requests_by_route_template_and_filter_by_tenant() {
    let mock = Mock::new();
    let list = mock.json(US, "/api/v1/devices?limit=2").await;
    for device in list.as_array().unwrap() {
        mock.get(
            US,
            &format!(
                "/api/v1/devices/{}/details",
                device["device_id"].as_str().unwrap()
            ),
        )
        .await;
    }
    mock.get(EU, "/api/v1/users").await;
    mock.get(US, "/api/v1/bogus").await;

    let all = mock.admin(Method::GET, "/__mock/stats", None).await.json();
    assert_eq!(all["total"], 5);
    assert_eq!(all["by_route"]["GET /api/v1/devices"], 1);
    assert_eq!(
        all["by_route"]["GET /api/v1/devices/{device_id}/details"],
        2
    );
    assert_eq!(all["by_route"]["GET /api/v1/users"], 1);
    let us = mock
        .admin(Method::GET, &format!("/__mock/stats?host={US}"), None)
        .await
        .json();
    assert_eq!(us["total"], 4);
    assert!(us["by_route"].get("GET /api/v1/users").is_none());
}

#[tokio::test]
async fn the_journal_records_requests_without_the_token() {
    let mock = Mock::new();
    mock.get(US, "/api/v1/devices?platform=Mac&limit=1").await;
    let reply = mock.admin(Method::GET, "/__mock/requests", None).await;
    assert!(!reply.text().contains(TOKEN));
    let entry = &reply.json()["requests"][0];
    assert_eq!(entry["method"], "GET");
    assert_eq!(entry["host"], US);
    assert_eq!(entry["tenant"], "US/acme");
    assert_eq!(entry["path"], "/api/v1/devices");
    assert_eq!(entry["query"], "platform=Mac&limit=1");
    assert_eq!(entry["status"], 200);
    assert!(entry["duration_ms"].is_u64());
}

#[tokio::test]
async fn reset_clears_the_journal_faults_and_extra_tokens() {
    let mock = Mock::new();
    mock.admin(
        Method::POST,
        "/__mock/tokens",
        Some(r#"{"token":"extra","permissions":["users"]}"#),
    )
    .await;
    mock.admin(Method::PUT, "/__mock/faults", Some(r#"{"error_rate":1.0}"#))
        .await;
    assert_eq!(mock.get(US, "/api/v1/users").await.status / 100, 5);

    assert_eq!(
        mock.admin(Method::POST, "/__mock/reset", None).await.status,
        200
    );
    assert_eq!(
        mock.admin(Method::GET, "/__mock/stats", None).await.json()["total"],
        0
    );
    assert_eq!(mock.get(US, "/api/v1/users").await.status, 200);
    let extra = mock
        .send(Method::GET, US, "/api/v1/users", Some("extra"), None)
        .await;
    assert_eq!(extra.json()["detail"], "Invalid token.");
}

#[tokio::test]
async fn bad_admin_bodies_answer_400_saying_what_is_wrong() {
    let mock = Mock::new();
    let cases = [
        ("/__mock/faults", "{not json", "invalid fault settings"),
        (
            "/__mock/faults",
            r#"{"eror_rate":0.5}"#,
            "unknown field `eror_rate`",
        ),
        (
            "/__mock/faults",
            r#"{"error_rate":2}"#,
            "error_rate must be between 0 and 1",
        ),
        (
            "/__mock/rate-limit",
            r#"{"per_second":-1}"#,
            "invalid rate limits",
        ),
    ];
    for (path, body, expected) in cases {
        let reply = mock.admin(Method::PUT, path, Some(body)).await;
        assert_eq!(reply.status, 400, "{body}");
        let message = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(message.contains(expected), "{message}");
    }
    let token = mock
        .admin(
            Method::POST,
            "/__mock/tokens",
            Some(r#"{"token":"x","permissions":["users","devices"]}"#),
        )
        .await;
    assert_eq!(token.status, 400);
    assert!(
        token.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown permission \"devices\"")
    );
}

#[tokio::test]
async fn missing_fault_fields_mean_off_and_the_settings_read_back() {
    let mock = Mock::new();
    let set = mock
        .admin(
            Method::PUT,
            "/__mock/faults",
            Some(r#"{"latency_ms":5,"fault_seed":9}"#),
        )
        .await
        .json();
    assert_eq!(set["latency_ms"], 5);
    assert_eq!(set["seed"], 9);
    assert_eq!(set["error_rate"], 0.0);
    assert_eq!(set["error_statuses"], serde_json::json!([500, 502, 503]));
    assert_eq!(
        mock.admin(Method::GET, "/__mock/faults", None).await.json(),
        set
    );
}

#[tokio::test]
async fn the_fleet_summary_counts_devices_by_platform() {
    let mock = Mock::new();
    let fleet = mock
        .admin(Method::GET, &format!("/__mock/fleet?host={EU}"), None)
        .await
        .json();
    assert_eq!(fleet["devices"], 250);
    assert_eq!(fleet["region"], "EU");
    let by_platform = fleet["by_platform"].as_object().unwrap();
    let macs = by_platform["Mac"].as_u64().unwrap();
    assert!((180..=195).contains(&macs), "{macs} Macs");
    assert_eq!(
        by_platform
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        250
    );
    let bad = mock
        .admin(Method::GET, "/__mock/fleet?host=example.com", None)
        .await;
    assert_eq!(bad.status, 400);
}
