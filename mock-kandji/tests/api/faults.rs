//! Seeded fault injection: errors, HTML 404s, malformed bodies, latency,
//! hangs and dropped connections, on `/api/` only.

use std::time::{Duration, Instant};

use axum::http::Method;
use mock_kandji::{FaultSettings, MockConfig, MockState};

use crate::support::{Mock, TOKEN, US, config};

fn with_faults(faults: FaultSettings) -> Mock {
    Mock::with(MockConfig { faults, ..config() })
}

#[tokio::test]
async fn errors_come_from_the_chosen_statuses_in_a_repeatable_order() {
    let faults = FaultSettings {
        error_rate: 1.0,
        seed: 3,
        ..FaultSettings::default()
    };
    let run = |mock: Mock| async move {
        let mut statuses = Vec::new();
        for _ in 0..12 {
            statuses.push(mock.get(US, "/api/v1/blueprints").await.status);
        }
        statuses
    };
    let first = run(with_faults(faults.clone())).await;
    assert_eq!(first, run(with_faults(faults)).await);
    assert!(
        first.iter().all(|s| [500, 502, 503].contains(s)),
        "{first:?}"
    );
    assert!(first.contains(&500) && first.contains(&503));

    let only_502 = with_faults(FaultSettings {
        error_rate: 1.0,
        error_statuses: vec![502],
        ..FaultSettings::default()
    });
    let reply = only_502.get(US, "/api/v1/devices").await;
    assert_eq!(reply.status, 502);
    assert!(reply.json()["message"].is_string());
}

#[tokio::test]
async fn html_404_and_malformed_faults_break_the_body_as_announced() {
    let html = with_faults(FaultSettings {
        html_404_rate: 1.0,
        ..FaultSettings::default()
    });
    let reply = html.get(US, "/api/v1/devices").await;
    assert_eq!(reply.status, 404);
    assert!(reply.text().contains("<h1>Not Found</h1>"));

    let malformed = with_faults(FaultSettings {
        malformed_rate: 1.0,
        ..FaultSettings::default()
    });
    let reply = malformed.get(US, "/api/v1/devices?limit=5").await;
    assert_eq!(reply.status, 200);
    assert!(reply.text().starts_with("[{\"device_id\""));
    assert!(serde_json::from_slice::<serde_json::Value>(&reply.body).is_err());
}

#[tokio::test]
async fn latency_delays_api_answers_but_not_admin_ones() {
    let slow = with_faults(FaultSettings {
        latency_ms: 150,
        ..FaultSettings::default()
    });
    let started = Instant::now();
    slow.get(US, "/api/v1/blueprints").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    let started = Instant::now();
    slow.admin(Method::GET, "/__mock/stats", None).await;
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[tokio::test]
async fn a_hang_outlasts_the_client_and_is_journalled_as_499() {
    let mock = with_faults(FaultSettings {
        hang_rate: 1.0,
        hang_ms: 5_000,
        ..FaultSettings::default()
    });
    let gave_up =
        tokio::time::timeout(Duration::from_millis(200), mock.get(US, "/api/v1/devices")).await;
    assert!(gave_up.is_err(), "the request should still be hanging");
    let journal = mock
        .admin(Method::GET, "/__mock/requests", None)
        .await
        .json();
    let last = journal["requests"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["status"], 499);
    assert_eq!(last["fault"], "hang");
}

#[tokio::test]
async fn faults_never_touch_the_admin_surface() {
    let mock = with_faults(FaultSettings {
        error_rate: 1.0,
        ..FaultSettings::default()
    });
    for path in [
        "/__mock/stats",
        "/__mock/scenarios",
        "/__mock/fleet",
        "/__mock/faults",
    ] {
        assert_eq!(
            mock.admin(Method::GET, path, None).await.status,
            200,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_dropped_connection_sends_headers_then_cuts_the_body() {
    let state = MockState::new(MockConfig {
        faults: FaultSettings {
            drop_rate: 1.0,
            ..FaultSettings::default()
        },
        ..config()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(mock_kandji::serve(listener, state, async move {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{address}/api/v1/devices?limit=50"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let announced = response.content_length().unwrap();
    assert!(announced > 1_000);
    assert!(
        response.bytes().await.is_err(),
        "the body should be cut short"
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
