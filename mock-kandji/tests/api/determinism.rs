//! Same seed, same bytes; a different seed or region, a different fleet.

use mock_kandji::MockConfig;

use crate::support::{EU, Mock, US, config};

async fn fingerprint(mock: &Mock, host: &str) -> Vec<u8> {
    let list = mock.get(host, "/api/v1/devices").await;
    let first = list.json()[0]["device_id"].as_str().unwrap().to_owned();
    let mut bytes = list.body.to_vec();
    for endpoint in ["details", "apps", "library-items"] {
        bytes.extend_from_slice(
            &mock
                .get(host, &format!("/api/v1/devices/{first}/{endpoint}"))
                .await
                .body,
        );
    }
    bytes.extend_from_slice(&mock.get(host, "/api/v1/users").await.body);
    bytes
}

#[tokio::test]
async fn two_states_with_the_same_seed_answer_identical_bytes() {
    let a = fingerprint(&Mock::new(), US).await;
    let b = fingerprint(&Mock::new(), US).await;
    assert!(a.len() > 10_000, "fingerprint too small: {}", a.len());
    assert_eq!(a, b);
}

#[tokio::test]
async fn a_different_seed_gives_a_different_fleet() {
    let other = Mock::with(MockConfig {
        seed: 7,
        ..config()
    });
    assert_ne!(
        fingerprint(&Mock::new(), US).await,
        fingerprint(&other, US).await
    );
}

#[tokio::test]
async fn eu_and_us_tenants_of_one_subdomain_differ_and_eu_staff_use_european_domains() {
    let mock = Mock::new();
    assert_ne!(fingerprint(&mock, US).await, fingerprint(&mock, EU).await);

    let us_users = mock.json(US, "/api/v1/users").await;
    let eu_users = mock.json(EU, "/api/v1/users").await;
    let domain = |v: &serde_json::Value| {
        v["email"]
            .as_str()
            .unwrap()
            .rsplit('@')
            .next()
            .unwrap()
            .to_owned()
    };
    let us_domains: Vec<String> = us_users["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(domain)
        .collect();
    let eu_domains: Vec<String> = eu_users["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(domain)
        .collect();
    assert!(
        us_domains.iter().all(|d| d.ends_with(".com")),
        "{us_domains:?}"
    );
    let european = [".de", ".fr", ".it", ".pt", ".eu"];
    assert!(
        eu_domains
            .iter()
            .all(|d| european.iter().any(|tld| d.ends_with(tld))),
        "{eu_domains:?}"
    );
}

#[tokio::test]
async fn iru_and_kandji_hosts_serve_the_same_us_tenant() {
    let mock = Mock::new();
    let kandji = mock.get(US, "/api/v1/devices?limit=5").await;
    let iru = mock
        .get("acme.api.iru.com", "/api/v1/devices?limit=5")
        .await;
    assert_eq!(kandji.body, iru.body);
}

#[tokio::test]
async fn stale_check_ins_are_10_to_60_days_before_the_clock_anchor() {
    let mock = Mock::new();
    let now = config().now.unwrap();
    let stale = mock.scenario(US, "stale_check_in").await;
    let missing = mock.scenario(US, "missing").await;
    let removed = mock.scenario(US, "removed").await;
    let plain_stale: Vec<_> = stale
        .iter()
        .filter(|id| !missing.contains(id) && !removed.contains(id))
        .collect();
    assert!(!plain_stale.is_empty());
    for id in plain_stale {
        let device = mock.json(US, &format!("/api/v1/devices/{id}")).await;
        let seen = chrono::DateTime::parse_from_rfc3339(device["last_check_in"].as_str().unwrap())
            .unwrap();
        let days = (now - seen.with_timezone(&chrono::Utc)).num_days();
        assert!((10..=60).contains(&days), "{id}: {days} days");
    }
}
