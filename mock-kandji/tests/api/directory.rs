//! Users (cursor paging on the web host) and blueprints (DRF pages).

use std::collections::HashSet;

use serde_json::Value;

use crate::support::{EU, LOCAL, Mock, US, names};

fn cursor_of(url: &str) -> String {
    url.split("cursor=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn walking_the_users_cursor_returns_every_user_exactly_once() {
    let mock = Mock::new();
    let mut seen = HashSet::new();
    let mut path = "/api/v1/users".to_owned();
    let mut pages = 0;
    loop {
        let page = mock.json(US, &path).await;
        assert!(page.get("count").is_none());
        let results = page["results"].as_array().unwrap();
        assert!(results.len() <= 25);
        for user in results {
            assert!(seen.insert(user["id"].as_str().unwrap().to_owned()));
        }
        pages += 1;
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/users?cursor={}", cursor_of(next)),
            None => break,
        }
    }
    assert_eq!(seen.len(), 200);
    assert_eq!(pages, 8);
}

#[tokio::test]
async fn the_users_next_link_points_at_the_web_host_except_on_loopback() {
    let mock = Mock::new();
    let page = mock.json(EU, "/api/v1/users").await;
    assert_eq!(
        page["next"],
        "https://acme.eu.kandji.io/api/v1/users?cursor=cD0yNQ%3D%3D"
    );
    assert_eq!(page["previous"], Value::Null);
    let local = mock.json(LOCAL, "/api/v1/users").await;
    assert_eq!(
        local["next"],
        "http://127.0.0.1:7001/api/v1/users?cursor=cD0yNQ%3D%3D"
    );
    let second = mock.json(US, "/api/v1/users?cursor=cD0yNQ%3D%3D").await;
    assert_eq!(
        second["previous"],
        "https://acme.kandji.io/api/v1/users?cursor=cD0w"
    );
}

#[tokio::test]
async fn user_filters_and_single_user_lookups_work() {
    let mock = Mock::new();
    let archived = mock.json(US, "/api/v1/users?archived=true").await;
    let archived = archived["results"].as_array().unwrap();
    assert!(!archived.is_empty());
    assert!(
        archived
            .iter()
            .all(|u| u["archived"] == true && u["active"] == false)
    );

    let first = &mock.json(US, "/api/v1/users").await["results"][0];
    let email = first["email"].as_str().unwrap();
    let by_email = mock
        .json(US, &format!("/api/v1/users?email={}", &email[..6]))
        .await;
    assert!(
        by_email["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == first["id"])
    );
    let one = mock
        .json(
            US,
            &format!("/api/v1/users/{}", first["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(&one, first);
    assert_eq!(mock.get(US, "/api/v1/users/not-a-user").await.status, 404);
    let bad_cursor = mock.get(US, "/api/v1/users?cursor=%%%").await;
    assert_eq!(bad_cursor.status, 404);
    assert_eq!(
        bad_cursor.json(),
        serde_json::json!({"detail": "Invalid cursor"})
    );
}

#[tokio::test]
async fn some_users_have_no_devices_and_device_counts_add_up() {
    let mock = Mock::new();
    let mut total = 0;
    let mut idle = 0;
    let mut path = "/api/v1/users".to_owned();
    loop {
        let page = mock.json(US, &path).await;
        for user in page["results"].as_array().unwrap() {
            let count = user["device_count"].as_u64().unwrap();
            total += count;
            idle += u64::from(count == 0);
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/users?cursor={}", cursor_of(next)),
            None => break,
        }
    }
    let devices = mock.json(US, "/api/v1/devices").await;
    let owned = devices
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["user"].is_object())
        .count() as u64;
    assert_eq!(total, owned);
    assert!(idle > 0);
}

#[tokio::test]
async fn a_blueprint_page_past_the_end_keeps_count_and_links_back() {
    let mock = Mock::new();
    let page = mock
        .json(US, "/api/v1/blueprints?offset=100&limit=100")
        .await;
    assert_eq!(page["count"], 6);
    assert_eq!(page["results"], serde_json::json!([]));
    assert_eq!(page["next"], Value::Null);
    assert_eq!(
        page["previous"],
        "https://acme.api.kandji.io/api/v1/blueprints?limit=100"
    );

    let first = mock.json(US, "/api/v1/blueprints?limit=2").await;
    assert_eq!(
        first["next"],
        "https://acme.api.kandji.io/api/v1/blueprints?limit=2&offset=2"
    );
    assert_eq!(first["results"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn blueprint_filters_and_lookups_find_the_same_records() {
    let mock = Mock::new();
    let all = mock.json(US, "/api/v1/blueprints").await;
    let ids: Vec<&str> = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    let two = mock
        .json(
            US,
            &format!("/api/v1/blueprints?id__in={},{}", ids[0], ids[3]),
        )
        .await;
    assert_eq!(two["count"], 2);
    let named = mock.json(US, "/api/v1/blueprints?name=sales").await;
    assert_eq!(named["results"][0]["name"], "Sales & Marketing");
    let one = mock
        .json(US, &format!("/api/v1/blueprints/{}", ids[1]))
        .await;
    assert_eq!(one, all["results"][1]);
    assert_eq!(one["enrollment_code"]["code"].as_str().unwrap().len(), 6);
}

#[tokio::test]
async fn blueprint_library_items_hold_the_compliance_items_and_contractors_lack_a_firewall() {
    let mock = Mock::new();
    let all = mock.json(US, "/api/v1/blueprints").await;
    for blueprint in all["results"].as_array().unwrap() {
        let id = blueprint["id"].as_str().unwrap();
        let items = mock
            .json(US, &format!("/api/v1/blueprints/{id}/list-library-items"))
            .await;
        let names = names(&items["results"]);
        match blueprint["name"].as_str().unwrap() {
            "Default Blueprint" => {
                for expected in [
                    "FileVault",
                    "Firewall",
                    "Passcode & Screen Saver",
                    "Managed OS - macOS 14 Sonoma",
                    "Google Chrome",
                    "Zoom",
                    "Slack",
                    "Rosetta 2",
                ] {
                    assert!(
                        names.contains(&expected.to_owned()),
                        "{expected} missing: {names:?}"
                    );
                }
            }
            "Contractors" => assert!(!names.contains(&"Firewall".to_owned())),
            _ => {}
        }
        assert_eq!(items["count"].as_u64().unwrap() as usize, names.len());
    }
}

#[tokio::test]
async fn eu_tenants_have_no_screen_saver_item_anywhere() {
    let mock = Mock::new();
    let all = mock.json(EU, "/api/v1/blueprints").await;
    for blueprint in all["results"].as_array().unwrap() {
        let items = mock
            .json(
                EU,
                &format!(
                    "/api/v1/blueprints/{}/list-library-items",
                    blueprint["id"].as_str().unwrap()
                ),
            )
            .await;
        for name in names(&items["results"]) {
            let lower = name.to_lowercase();
            assert!(
                !lower.contains("screen saver") && !lower.contains("screensaver"),
                "{name}"
            );
        }
    }
}
