//! How many Kandji calls a query costs: fleet-wide endpoints when the token has them, per-device
//! calls when it does not, the same answers either way, and no 429 under Kandji's real limits.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Env, Setup, start_gateway};

/// Drata's four permissions plus blueprints (to tell "not assigned" from "does not exist").
const PER_DEVICE_PERMISSIONS: [&str; 6] = [
    "device_list",
    "device_details",
    "application_list",
    "device_library_items",
    "users",
    "blueprints",
];

const SUMMARY: &str = "{ complianceSummary { total compliant nonCompliant unknown notSupported \
                       byControl { control pass fail unknown notApplicable } } }";

async fn post(env: &Env, gateway: std::net::SocketAddr, query: &str) -> Value {
    let response = env
        .http()
        .post(format!("http://{gateway}/graphql"))
        .json(&json!({"query": query}))
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

fn calls(stats: &Value, route: &str) -> u64 {
    stats["by_route"][route].as_u64().unwrap_or(0)
}

fn setup_with_devices(devices: usize) -> Setup {
    let mut setup = Setup::default();
    setup.mock.devices = devices;
    setup
}

/// How many pages a listing of `rows` rows takes at Kandji's 300 per page.
fn pages(rows: u64) -> u64 {
    rows.div_ceil(300).max(1)
}

/// For each fleet-wide listing the gateway read (one item's statuses, one Prism query), the
/// calls it made and the rows the listing holds, from the mock's journal.
async fn listings_read(env: &Env, route: &str) -> Vec<(String, u64, u64)> {
    let journal = env.admin(Method::GET, "requests", None).await;
    let mut calls: std::collections::BTreeMap<(String, String), u64> = Default::default();
    for request in journal["requests"].as_array().unwrap() {
        if request["route"] != route {
            continue;
        }
        let query = request["query"].as_str().unwrap_or_default();
        let filter: Vec<&str> = query
            .split('&')
            .filter(|p| p.starts_with("filter="))
            .collect();
        let path = request["path"]
            .as_str()
            .unwrap()
            .trim_start_matches("/api/v1/");
        *calls
            .entry((path.to_string(), filter.join("&")))
            .or_default() += 1;
    }
    let mut listings = Vec::new();
    for ((path, filter), made) in calls {
        let first = env.kandji(&format!("{path}?limit=1&{filter}")).await;
        let rows = first["count"].as_u64().or(first["total"].as_u64()).unwrap();
        listings.push((format!("{path}?{filter}"), made, rows));
    }
    listings
}

#[tokio::test]
async fn a_cold_fleet_summary_of_300_devices_reads_each_fleet_wide_page_once() {
    let env = Env::start(setup_with_devices(300)).await;
    env.reset_counts().await;
    let answer = env.data(SUMMARY, json!({})).await;
    assert_eq!(
        answer["complianceSummary"]["total"].as_u64().unwrap()
            + env.scenario("removed").await.len() as u64,
        300
    );

    let stats = env.upstream_calls().await;
    let blueprints = env.kandji("blueprints?limit=300").await["count"]
        .as_u64()
        .unwrap();
    assert_eq!(
        calls(&stats, "GET /api/v1/devices"),
        3,
        "the list, then the FileVault-on and FileVault-off lists: {stats:#}"
    );
    assert_eq!(calls(&stats, "GET /api/v1/blueprints"), 1);
    assert_eq!(
        calls(
            &stats,
            "GET /api/v1/blueprints/{blueprint_id}/list-library-items"
        ),
        blueprints
    );
    let status_route = "/api/v1/library/library-items/{library_item_id}/status";
    let statuses = listings_read(&env, status_route).await;
    assert!(
        (5..=10).contains(&statuses.len()),
        "one listing per control item: {statuses:?}"
    );
    let prism = listings_read(&env, "/api/v1/prism/{category}").await;
    assert_eq!(prism.len(), 2, "apps by bundle id and by name: {prism:?}");
    for (listing, made, rows) in statuses.iter().chain(&prism) {
        assert_eq!(*made, pages(*rows), "{listing} holds {rows} rows");
    }
    // Every Mac is in one FileVault list: no device is read one by one.
    for per_device in ["details", "apps", "library-items"] {
        assert_eq!(
            calls(
                &stats,
                &format!("GET /api/v1/devices/{{device_id}}/{per_device}")
            ),
            0,
            "{stats:#}"
        );
    }
    let listed: u64 = statuses.iter().chain(&prism).map(|(_, made, _)| made).sum();
    assert_eq!(stats["total"].as_u64().unwrap(), 4 + blueprints + listed);
    assert!(stats["total"].as_u64().unwrap() <= 25, "{stats:#}");

    // Warm: no upstream call at all.
    env.reset_counts().await;
    assert_eq!(env.data(SUMMARY, json!({})).await, answer);
    assert_eq!(env.upstream_calls().await["total"], 0);
}

#[tokio::test]
async fn without_bulk_permissions_a_fleet_summary_costs_one_list_pass_and_two_calls_per_mac() {
    let env = Env::start(setup_with_devices(300)).await;
    let macs = env
        .kandji_devices()
        .await
        .iter()
        .filter(|d| d["platform"] == "Mac")
        .count() as u64;
    // A reset drops registered tokens too: reset first.
    env.reset_counts().await;
    let token = "cccccccc-0000-4000-8000-00000000000c";
    env.admin(
        Method::POST,
        "tokens",
        Some(json!({"token": token, "permissions": PER_DEVICE_PERMISSIONS})),
    )
    .await;
    let gateway = start_gateway(
        env.mock,
        "https://demo.api.kandji.io/api/v1/",
        token,
        &Setup::default().gateway_args,
    )
    .await;
    let answer = post(&env, gateway, SUMMARY).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");

    // Apps and library items per Mac; FileVault for every Mac from the device list filtered
    // by `filevault_enabled=true` and `=false` (one page each at 300 devices) instead of each
    // Mac's details.
    let stats = env.upstream_calls().await;
    for per_device in ["apps", "library-items"] {
        assert_eq!(
            calls(
                &stats,
                &format!("GET /api/v1/devices/{{device_id}}/{per_device}")
            ),
            macs,
            "{stats:#}"
        );
    }
    assert_eq!(
        calls(&stats, "GET /api/v1/devices/{device_id}/details"),
        0,
        "{stats:#}"
    );
    assert_eq!(calls(&stats, "GET /api/v1/devices"), 1 + 2);
    let journal = env.admin(Method::GET, "requests", None).await;
    let mut filtered: Vec<&str> = journal["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["route"] == "/api/v1/devices")
        .filter_map(|r| r["query"].as_str())
        .filter(|q| q.contains("filevault_enabled"))
        .collect();
    filtered.sort();
    assert_eq!(filtered.len(), 2, "{filtered:?}");
    assert!(
        filtered[0].contains("filevault_enabled=false"),
        "{filtered:?}"
    );
    assert!(
        filtered[1].contains("filevault_enabled=true"),
        "{filtered:?}"
    );
    // Within Drata's bound: one list pass plus three calls per Mac.
    assert!(
        stats["total"].as_u64().unwrap() <= 1 + 3 * macs,
        "{stats:#}"
    );
    let refused_bulk = calls(&stats, "GET /api/v1/prism/{category}")
        + calls(
            &stats,
            "GET /api/v1/library/library-items/{library_item_id}/status",
        );
    assert!(
        refused_bulk <= 4,
        "one refused try per fleet-wide endpoint at most: {stats:#}"
    );
}

#[tokio::test]
async fn fleet_wide_and_per_device_paths_give_the_same_verdicts_device_by_device() {
    let env = Env::default().await;
    let token = "dddddddd-0000-4000-8000-00000000000d";
    env.admin(
        Method::POST,
        "tokens",
        Some(json!({"token": token, "permissions": PER_DEVICE_PERMISSIONS})),
    )
    .await;
    let per_device = start_gateway(
        env.mock,
        "https://demo.api.kandji.io/api/v1/",
        token,
        &Setup::default().gateway_args,
    )
    .await;
    let query = r#"{ devices(first: 300) { edges { node { id compliance {
        status stale failingControls
        checks { control status itemExists itemAssigned devicePassing reason
                 libraryItem { id itemId name status reportedAt lastAuditLog }
                 matchedItem { id name } installedApp { id name bundleId version } } } } } } }"#;
    let bulk = post(&env, env.gateway, query).await;
    let single = post(&env, per_device, query).await;
    assert!(bulk.get("errors").is_none() && single.get("errors").is_none());
    let bulk_edges = bulk["data"]["devices"]["edges"].as_array().unwrap();
    let single_edges = single["data"]["devices"]["edges"].as_array().unwrap();
    assert_eq!(bulk_edges.len(), 250);
    for (a, b) in bulk_edges.iter().zip(single_edges) {
        assert_eq!(
            a, b,
            "device {} differs between the two paths",
            a["node"]["id"]
        );
    }

    // And the fleet-wide path really was the one used by the first gateway.
    let stats = env.upstream_calls().await;
    assert!(
        calls(&stats, "GET /api/v1/prism/{category}") >= 3,
        "{stats:#}"
    );
}

#[tokio::test]
async fn a_cold_per_device_fleet_query_never_draws_a_429_under_kandjis_real_limits() {
    let mut setup = setup_with_devices(60);
    setup.mock.rate_per_second = 50;
    setup.mock.rate_per_hour = 10_000;
    // The gateway's defaults: 45 requests per second, 16 in flight; no fleet-wide endpoints.
    setup.gateway_args = vec!["--no-bulk".into()];
    let env = Env::start(setup).await;
    let answer = env.data(SUMMARY, json!({})).await;
    assert!(answer["complianceSummary"]["total"].as_u64().unwrap() > 50);
    let journal = env.admin(Method::GET, "requests", None).await;
    let requests = journal["requests"].as_array().unwrap();
    assert!(
        requests.len() > 100,
        "the per-device path was used: {} calls",
        requests.len()
    );
    let throttled = requests.iter().filter(|r| r["status"] == 429).count();
    assert_eq!(
        throttled, 0,
        "the client-side limiter keeps under 50 per second"
    );
}

#[tokio::test]
async fn a_small_page_asked_while_the_fleet_wide_read_runs_shares_it() {
    let env = Env::start(setup_with_devices(300)).await;
    env.data("{ devices(first: 1) { totalCount } }", json!({}))
        .await;
    env.admin(Method::PUT, "faults", Some(json!({"latency_ms": 50})))
        .await;
    env.reset_counts().await;

    // A page of 50 starts the fleet-wide read; a page of three, on its own too few Macs for
    // it, arrives while the read runs and waits for it rather than reading per device.
    let page = |n: usize| {
        format!(
            "{{ devices(first: {n}, filter: {{ platform: MAC }}) {{ edges {{ node {{ serialNumber \
             compliance {{ status }} }} }} }} }}"
        )
    };
    let (big, small) = (page(50), page(3));
    let late_small = async {
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
        env.data(&small, json!({})).await
    };
    let (big, small) = tokio::join!(env.data(&big, json!({})), late_small);
    let statuses = |answer: &Value| -> Vec<Value> {
        let edges = answer["devices"]["edges"].as_array().unwrap();
        edges
            .iter()
            .map(|e| e["node"]["compliance"]["status"].clone())
            .collect()
    };
    assert_eq!(statuses(&small)[..], statuses(&big)[..3]);

    let stats = env.upstream_calls().await;
    for per_device in ["details", "apps", "library-items"] {
        let route = format!("GET /api/v1/devices/{{device_id}}/{per_device}");
        assert_eq!(calls(&stats, &route), 0, "{route}: {stats:#}");
    }
}
