//! The built `kandji-gateway` binary as operators run it: its log lines (JSON, one event per
//! GraphQL request, never the token or personal data, even at `RUST_LOG=trace`) and its
//! shutdown on SIGTERM (in-flight queries finish, exit 0, a drain timeout bounds the wait).
//!
//! Each test starts mock-kandji in this process on loopback and the binary pointed at it with
//! `--kandji-connect-to`, listening on 127.0.0.1 port 0; the binary's log says which port.

#![cfg(unix)]

use std::net::SocketAddr;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

/// A token no other test uses, so a match in the logs can only be a leak.
const TOKEN: &str = "5e1f0c7a-9b2d-4e6f-8a3c-d41b7e2f9c05";

/// Starts mock-kandji with `latency_ms` on every Kandji call, accepting `TOKEN`.
async fn start_mock(latency_ms: u64) -> SocketAddr {
    let mut config = mock_kandji::MockConfig {
        token: TOKEN.into(),
        rate_per_second: 0,
        rate_per_hour: 0,
        ..Default::default()
    };
    config.faults.latency_ms = latency_ms;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = mock_kandji::MockState::new(config);
    tokio::spawn(mock_kandji::serve(listener, state, std::future::pending()));
    address
}

/// The running binary and every line it wrote to standard error so far.
struct Gateway {
    child: tokio::process::Child,
    address: SocketAddr,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Gateway {
    /// Starts the binary against `mock` with `env` and `args`.
    async fn start(mock: SocketAddr, env: &[(&str, &str)], args: &[&str]) -> Gateway {
        let connect_to = format!("http://{mock}");
        let settings = [
            ("KANDJI_API_URL", "https://demo.api.kandji.io/api/v1/"),
            ("KANDJI_API_TOKEN", TOKEN),
            ("KANDJI_CONNECT_TO", &connect_to),
            ("GATEWAY_LISTEN", "127.0.0.1:0"),
            ("GATEWAY_UPSTREAM_PER_SECOND", "0"),
            ("GATEWAY_UPSTREAM_PER_HOUR", "0"),
        ];
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_kandji-gateway"))
            .env_clear()
            .envs(settings.iter().chain(env).copied())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the gateway binary starts");

        // Collect every line; report the listen address once the binary logs it.
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (found, address) = tokio::sync::oneshot::channel();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let collected = logs.clone();
        tokio::spawn(async move {
            let mut found = Some(found);
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(address) = listen_address(&line) {
                    found.take().map(|f| f.send(address));
                }
                collected.lock().unwrap().push(line);
            }
        });
        let address = tokio::time::timeout(Duration::from_secs(60), address)
            .await
            .expect("the gateway logs its address within a minute")
            .expect("the gateway logs its address before exiting");
        Gateway {
            child,
            address,
            logs,
        }
    }

    fn url(&self) -> String {
        format!("http://{}/graphql", self.address)
    }

    fn sigterm(&self) {
        let pid = self.child.id().expect("still running").to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        assert!(sent.unwrap().success());
    }

    /// Waits for the exit, at most `limit`.
    async fn exit_within(&mut self, limit: Duration) -> (ExitStatus, Duration) {
        let started = Instant::now();
        let status = tokio::time::timeout(limit, self.child.wait()).await;
        let status = status.unwrap_or_else(|_| panic!("still running after {limit:?}"));
        (status.unwrap(), started.elapsed())
    }

    /// Sends SIGTERM and expects exit status 0 within 20 seconds.
    async fn stop(&mut self) {
        self.sigterm();
        let (status, _) = self.exit_within(Duration::from_secs(20)).await;
        assert!(status.success(), "{status}");
    }

    /// Every log line so far, after giving the reader a moment to catch up.
    async fn logs(&self) -> Vec<String> {
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.logs.lock().unwrap().clone()
    }
}

/// `127.0.0.1:PORT` from the line announcing the GraphQL endpoint.
fn listen_address(line: &str) -> Option<SocketAddr> {
    let start = line.find("endpoint http://127.0.0.1:")? + "endpoint http://".len();
    let rest = &line[start..];
    rest[..rest.find('/')?].parse().ok()
}

async fn post(url: &str, body: Value) -> reqwest::Response {
    let client = reqwest::Client::new();
    client.post(url).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn json_logs_carry_one_event_per_graphql_request_with_its_costs() {
    let mock = start_mock(0).await;
    let env = [("GATEWAY_LOG_FORMAT", "json"), ("RUST_LOG", "info")];
    let mut gateway = Gateway::start(mock, &env, &[]).await;
    let query =
        json!({"query": "query DeviceNames { devices(first: 3) { edges { node { name } } } }"});
    for _ in 0..2 {
        assert_eq!(post(&gateway.url(), query.clone()).await.status(), 200);
    }
    gateway.stop().await;

    let lines = gateway.logs().await;
    let events: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let requests: Vec<&Value> = events
        .iter()
        .filter(|e| e["message"] == "graphql request")
        .collect();
    assert_eq!(requests.len(), 2, "one event per request: {lines:#?}");
    for event in &requests {
        assert_eq!(event["graphql.operation"], "DeviceNames");
        assert_eq!(event["http.status"], 200);
        assert!(event["duration_ms"].is_u64(), "{event}");
    }
    // The first request read the device list from Kandji; the second found it cached.
    let (first, second) = (requests[0], requests[1]);
    assert!(first["upstream.calls"].as_u64().unwrap() >= 1, "{first}");
    assert_eq!(second["upstream.calls"], 0, "{second}");
    assert!(second["cache.hits"].as_u64().unwrap() >= 1, "{second}");
}

#[tokio::test]
async fn the_token_and_personal_data_never_reach_the_logs_even_at_trace_level() {
    let mock = start_mock(0).await;
    let mut gateway = Gateway::start(mock, &[("RUST_LOG", "trace")], &[]).await;

    // A full run: people, devices with their details and compliance, an error, the probes.
    let people = json!({"query": "{ users(first: 20) { edges { node { name email devices { name serialNumber } } } } }"});
    let answer: Value = post(&gateway.url(), people).await.json().await.unwrap();
    let fleet = json!({"query": "{ devices(first: 20) { edges { node { name serialNumber user { name email }
        details { hardware { modelName } } compliance { status checks { control reason } } } } } }"});
    assert_eq!(post(&gateway.url(), fleet).await.status(), 200);
    let missing = json!({"query": "{ device(id: \"no-such-device\") { name } }"});
    post(&gateway.url(), missing).await;
    for path in ["/readyz", "/metrics", "/healthz"] {
        reqwest::get(format!("http://{}{path}", gateway.address))
            .await
            .unwrap();
    }
    gateway.stop().await;

    let mut personal: Vec<String> = Vec::new();
    for edge in answer["data"]["users"]["edges"].as_array().unwrap() {
        let user = &edge["node"];
        personal.extend(
            [&user["name"], &user["email"]]
                .iter()
                .filter_map(|v| v.as_str())
                .map(String::from),
        );
        for device in user["devices"].as_array().into_iter().flatten() {
            personal.extend(device["serialNumber"].as_str().map(String::from));
        }
    }
    assert!(
        personal.len() >= 20,
        "the run saw personal data: {answer:#}"
    );

    let logs = gateway.logs().await;
    assert!(
        logs.iter().filter(|l| l.contains("TRACE")).count() > 10,
        "trace logging is on"
    );
    for line in &logs {
        assert!(!line.contains(TOKEN), "the token leaked: {line}");
        assert!(
            !line.contains(&TOKEN[..8]),
            "part of the token leaked: {line}"
        );
        if let Some(value) = personal.iter().find(|p| line.contains(p.as_str())) {
            panic!("personal data ({value}) leaked: {line}");
        }
    }
}

#[tokio::test]
async fn sigterm_lets_the_slow_query_finish_then_exits_0() {
    let mock = start_mock(3_000).await;
    let mut gateway = Gateway::start(mock, &[], &["--shutdown-timeout-secs", "15"]).await;
    let url = gateway.url();
    let slow = tokio::spawn(post_owned(
        url,
        json!({"query": "{ devices(first: 1) { totalCount } }"}),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    gateway.sigterm();

    // New connections are refused while the slow query drains.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let late = tokio::net::TcpStream::connect(gateway.address).await;
    assert!(
        late.is_err(),
        "the listener is closed once the signal arrives"
    );

    let answer = slow.await.unwrap();
    assert_eq!(answer, json!({"data": {"devices": {"totalCount": 250}}}));
    let (status, _) = gateway.exit_within(Duration::from_secs(15)).await;
    assert!(status.success(), "{status}");
    let logs = gateway.logs().await.join("\n");
    assert!(
        logs.contains("shutdown signal received") && logs.contains("SIGTERM"),
        "{logs}"
    );
    assert!(
        logs.contains("in_flight=1"),
        "the query was in flight: {logs}"
    );
    assert!(logs.contains("every in-flight request finished"), "{logs}");
}

#[tokio::test]
async fn sigterm_stops_waiting_at_the_shutdown_timeout_and_still_exits_0() {
    let mock = start_mock(20_000).await;
    let mut gateway = Gateway::start(mock, &[], &["--shutdown-timeout-secs", "1"]).await;
    let url = gateway.url();
    let stuck = tokio::spawn(async move {
        reqwest::Client::new()
            .post(url)
            .json(&json!({"query": "{ devices(first: 1) { totalCount } }"}))
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    gateway.sigterm();

    let (status, waited) = gateway.exit_within(Duration::from_secs(10)).await;
    assert!(status.success(), "{status}");
    assert!(
        waited < Duration::from_secs(5),
        "exited {waited:?} after the signal"
    );
    assert!(
        stuck.await.unwrap().is_err(),
        "the abandoned request got no answer"
    );
    let logs = gateway.logs().await.join("\n");
    assert!(
        logs.contains("shutdown timeout reached") && logs.contains("abandoned=1"),
        "{logs}"
    );
}

async fn post_owned(url: String, body: Value) -> Value {
    post(&url, body).await.json().await.unwrap()
}
