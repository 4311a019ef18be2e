//! A test environment: mock-kandji and the gateway, both in process on port 0, wired exactly
//! as a user would run them (`--kandji-url`, `--kandji-token`, `--kandji-connect-to`).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use kandji_gateway::config::Cli;
use kandji_gateway::http::HttpSettings;
use kandji_gateway::{graphql, server, startup};
use serde_json::{Value, json};

/// The mock's token with every permission.
pub const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// How to start the environment.
pub struct Setup {
    /// The mock's configuration.
    pub mock: mock_kandji::MockConfig,
    /// The tenant URL the gateway is given.
    pub kandji_url: String,
    /// The token the gateway is given.
    pub token: String,
    /// Extra gateway flags.
    pub gateway_args: Vec<String>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            mock: mock_kandji::MockConfig {
                rate_per_second: 0,
                rate_per_hour: 0,
                ..Default::default()
            },
            kandji_url: "https://demo.api.kandji.io/api/v1/".into(),
            token: TOKEN.into(),
            gateway_args: vec![
                "--upstream-per-second".into(),
                "0".into(),
                "--upstream-per-hour".into(),
                "0".into(),
            ],
        }
    }
}

/// A running mock and gateway.
pub struct Env {
    /// The mock's address.
    pub mock: SocketAddr,
    /// The gateway's address.
    pub gateway: SocketAddr,
    /// The tenant host the gateway reads.
    pub host: String,
    http: reqwest::Client,
}

/// Starts mock-kandji on a free loopback port.
pub async fn start_mock(config: mock_kandji::MockConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let state = mock_kandji::MockState::new(config);
    tokio::spawn(mock_kandji::serve(listener, state, std::future::pending()));
    address
}

/// Starts a gateway against `mock` with `args` (after the program name).
pub async fn start_gateway(
    mock: SocketAddr,
    kandji_url: &str,
    token: &str,
    extra: &[String],
) -> SocketAddr {
    let mut args: Vec<String> = vec![
        "kandji-gateway".into(),
        "--kandji-url".into(),
        kandji_url.into(),
        "--kandji-token".into(),
        token.into(),
        "--kandji-connect-to".into(),
        format!("http://{mock}"),
    ];
    args.extend(extra.iter().cloned());
    let cli = Cli::parse_from(args);
    let upstream = startup::configured_upstream(&cli.options)
        .unwrap()
        .expect("a URL was given");
    let state = startup::build_state(&cli.options, upstream).unwrap();
    let settings = HttpSettings::from_options(&cli.options).unwrap();
    let schema = graphql::build_schema(state.clone(), &settings);
    let app = server::app(schema, state, &settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(server::serve(listener, app, std::future::pending()));
    address
}

impl Env {
    /// Starts both with `setup`.
    pub async fn start(setup: Setup) -> Env {
        let mock = start_mock(setup.mock).await;
        let gateway =
            start_gateway(mock, &setup.kandji_url, &setup.token, &setup.gateway_args).await;
        let host = url::Url::parse(&setup.kandji_url)
            .unwrap()
            .host_str()
            .unwrap()
            .to_string();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        Env {
            mock,
            gateway,
            host,
            http,
        }
    }

    /// Starts both with the defaults: the US demo tenant, 250 devices, no rate limits.
    pub async fn default() -> Env {
        Env::start(Setup::default()).await
    }

    /// POSTs a GraphQL query and returns the whole JSON answer.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let response = self
            .http
            .post(format!("http://{}/graphql", self.gateway))
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    /// POSTs a query and returns `data`, failing the test on any error.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let answer = self.graphql(query, variables).await;
        assert!(
            answer.get("errors").is_none(),
            "unexpected errors: {answer:#}"
        );
        answer["data"].clone()
    }

    /// GETs a mock-kandji API path for the gateway's tenant, as Kandji would answer it.
    pub async fn kandji(&self, path_and_query: &str) -> Value {
        let response = self
            .http
            .get(format!("http://{}/api/v1/{}", self.mock, path_and_query))
            .header("Host", &self.host)
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path_and_query}: {}",
            response.status()
        );
        response.json().await.unwrap()
    }

    /// Every device the mock serves for the tenant, in order.
    pub async fn kandji_devices(&self) -> Vec<Value> {
        let mut all = Vec::new();
        loop {
            let page = self
                .kandji(&format!("devices?limit=300&offset={}", all.len()))
                .await;
            let page = page.as_array().unwrap().clone();
            if page.is_empty() {
                return all;
            }
            all.extend(page);
        }
    }

    /// A mock admin endpoint.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .http
            .request(method, format!("http://{}/__mock/{}", self.mock, path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.status().is_success(),
            "/__mock/{path}: {}",
            response.status()
        );
        response.json().await.unwrap_or(Value::Null)
    }

    /// The gateway's `/metrics` text.
    pub async fn metrics(&self) -> String {
        let response = self.http().get(self.gateway_url("/metrics")).send().await;
        response.unwrap().text().await.unwrap()
    }

    /// Upstream calls the mock counted, by route template, for this tenant.
    pub async fn upstream_calls(&self) -> Value {
        self.admin(
            reqwest::Method::GET,
            &format!("stats?host={}", self.host),
            None,
        )
        .await
    }

    /// Clears the mock's journal and counts.
    pub async fn reset_counts(&self) {
        self.admin(reqwest::Method::POST, "reset", None).await;
    }

    /// Device ids the mock lists for a named situation on this tenant.
    pub async fn scenario(&self, name: &str) -> Vec<String> {
        let all = self
            .admin(
                reqwest::Method::GET,
                &format!("scenarios?host={}", self.host),
                None,
            )
            .await;
        all["scenarios"][name]
            .as_array()
            .unwrap_or_else(|| panic!("no scenario {name} in {all:#}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    /// The gateway's base URL.
    pub fn gateway_url(&self, path: &str) -> String {
        format!("http://{}{}", self.gateway, path)
    }

    /// The shared HTTP client.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }
}
