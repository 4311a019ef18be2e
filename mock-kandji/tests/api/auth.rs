//! Bearer tokens, permissions, and the 401/403/404/405 answers.

use axum::http::Method;
use mock_kandji::MockConfig;

use crate::support::{Mock, TOKEN, US, config};

#[tokio::test]
async fn a_missing_header_and_a_wrong_token_answer_distinct_401s() {
    let mock = Mock::new();
    let missing = mock
        .send(Method::GET, US, "/api/v1/devices", None, None)
        .await;
    assert_eq!(missing.status, 401);
    assert_eq!(
        missing.json(),
        serde_json::json!({"detail": "Authentication credentials were not provided."})
    );
    let wrong = mock
        .send(
            Method::GET,
            US,
            "/api/v1/devices",
            Some("11111111-1111-4111-8111-111111111111"),
            None,
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json(),
        serde_json::json!({"detail": "Invalid token."})
    );
}

#[tokio::test]
async fn unknown_paths_and_hosts_answer_djangos_html_404() {
    let mock = Mock::new();
    for (host, path) in [
        (US, "/api/v1/nothing-here"),
        (US, "/api/v2/devices"),
        ("example.com", "/api/v1/devices"),
        (US, "/"),
    ] {
        let reply = mock.send(Method::GET, host, path, None, None).await;
        assert_eq!(reply.status, 404, "{host}{path}");
        assert!(reply.header("content-type").starts_with("text/html"));
        assert!(
            reply.text().contains("<h1>Not Found</h1>"),
            "{}",
            reply.text()
        );
    }
}

#[tokio::test]
async fn a_token_without_a_permission_is_denied_with_403_and_allowed_elsewhere() {
    let mock = Mock::new();
    let body = r#"{"token":"22222222-2222-4222-8222-222222222222","permissions":["device_list"]}"#;
    assert_eq!(
        mock.admin(Method::POST, "/__mock/tokens", Some(body))
            .await
            .status,
        201
    );
    let token = Some("22222222-2222-4222-8222-222222222222");

    let list = mock
        .send(Method::GET, US, "/api/v1/devices?limit=1", token, None)
        .await;
    assert_eq!(list.status, 200);
    let id = list.json()[0]["device_id"].as_str().unwrap().to_owned();
    for path in [
        format!("/api/v1/devices/{id}/details"),
        format!("/api/v1/devices/{id}/apps"),
        format!("/api/v1/devices/{id}/status"),
        "/api/v1/users".to_owned(),
        "/api/v1/prism/apps".to_owned(),
    ] {
        let denied = mock.send(Method::GET, US, &path, token, None).await;
        assert_eq!(denied.status, 403, "{path}");
        assert_eq!(
            denied.json(),
            serde_json::json!({"detail": "You do not have permission to perform this action."})
        );
    }
    assert_eq!(
        mock.send(
            Method::GET,
            US,
            &format!("/api/v1/devices/{id}"),
            token,
            None
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn denied_status_can_be_401_like_some_tenants_answer() {
    let mock = Mock::with(MockConfig {
        denied_status: 401,
        ..config()
    });
    mock.admin(
        Method::POST,
        "/__mock/tokens",
        Some(r#"{"token":"t-users","permissions":["users"]}"#),
    )
    .await;
    let reply = mock
        .send(Method::GET, US, "/api/v1/devices", Some("t-users"), None)
        .await;
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.json()["detail"],
        "You do not have permission to perform this action."
    );
}

#[tokio::test]
async fn other_methods_answer_drf_405_after_authentication() {
    let mock = Mock::new();
    let reply = mock
        .send(Method::POST, US, "/api/v1/devices", Some(TOKEN), Some("{}"))
        .await;
    assert_eq!(reply.status, 405);
    assert_eq!(
        reply.json(),
        serde_json::json!({"detail": "Method \"POST\" not allowed."})
    );
    assert_eq!(
        mock.send(Method::DELETE, US, "/api/v1/devices", None, None)
            .await
            .status,
        401
    );
}
