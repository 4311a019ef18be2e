//! `GET /devices`: bare array, limit/offset paging, headers and filters.

use std::collections::HashSet;

use mock_kandji::MockConfig;

use crate::support::{Mock, US, config};

#[tokio::test]
async fn the_list_is_a_bare_array_with_total_headers_and_literal_none_links() {
    let mock = Mock::new();
    let first = mock.get(US, "/api/v1/devices?limit=100").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.json().as_array().unwrap().len(), 100);
    assert_eq!(first.header("x-total-count"), "250");
    assert_eq!(first.header("x-total-pages"), "3");
    assert_eq!(
        first.header("link"),
        concat!(
            "<https://acme.api.kandji.io/api/v1/devices?limit=100&offset=100>; rel=\"next\", ",
            "<None>; rel=\"prev\""
        )
    );
    assert_eq!(
        first.header("content-type"),
        "application/json; charset=utf-8"
    );

    let last = mock.get(US, "/api/v1/devices?limit=100&offset=200").await;
    assert_eq!(last.json().as_array().unwrap().len(), 50);
    assert_eq!(
        last.header("link"),
        concat!(
            "<None>; rel=\"next\", ",
            "<https://acme.api.kandji.io/api/v1/devices?limit=100&offset=100>; rel=\"prev\""
        )
    );
}

#[tokio::test]
async fn an_offset_past_the_end_answers_an_empty_array() {
    let reply = Mock::new()
        .get(US, "/api/v1/devices?limit=100&offset=300")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "[]");
}

#[tokio::test]
async fn limits_above_300_are_clamped_and_the_default_is_300() {
    let mock = Mock::with(MockConfig {
        devices: 320,
        ..config()
    });
    assert_eq!(
        mock.json(US, "/api/v1/devices?limit=1000")
            .await
            .as_array()
            .unwrap()
            .len(),
        300
    );
    let default = mock.get(US, "/api/v1/devices").await;
    assert_eq!(default.json().as_array().unwrap().len(), 300);
    assert_eq!(default.header("x-total-pages"), "2");
}

#[tokio::test]
async fn paging_by_offset_visits_every_device_exactly_once() {
    let mock = Mock::new();
    let mut seen = HashSet::new();
    let mut offset = 0;
    loop {
        let page = mock
            .json(US, &format!("/api/v1/devices?limit=37&offset={offset}"))
            .await;
        let page = page.as_array().unwrap();
        if page.is_empty() {
            break;
        }
        for device in page {
            assert!(seen.insert(device["device_id"].as_str().unwrap().to_owned()));
        }
        offset += 37;
    }
    assert_eq!(seen.len(), 250);
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| d["device_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn platform_and_text_filters_use_exact_and_contains_matching() {
    let mock = Mock::new();
    let ipads = mock.json(US, "/api/v1/devices?platform=iPad").await;
    assert!(!ipads.as_array().unwrap().is_empty());
    assert!(
        ipads
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["platform"] == "iPad")
    );

    let all = mock.json(US, "/api/v1/devices").await;
    let owned = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["user"].is_object())
        .unwrap();
    let email = owned["user"]["email"].as_str().unwrap();
    let local_part = &email[..email.find('@').unwrap()];
    let by_part = mock
        .json(
            US,
            &format!("/api/v1/devices?user_email={}", local_part.to_uppercase()),
        )
        .await;
    assert!(ids(&by_part).contains(&owned["device_id"].as_str().unwrap().to_owned()));
    let exact = mock
        .json(US, &format!("/api/v1/devices?user_email_exact={email}"))
        .await;
    assert!(
        exact
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["user"]["email"] == email)
    );
    let partial_exact = mock
        .json(
            US,
            &format!("/api/v1/devices?user_email_exact={local_part}"),
        )
        .await;
    assert_eq!(partial_exact.as_array().unwrap().len(), 0);

    let serial = owned["serial_number"].as_str().unwrap();
    let by_serial = mock
        .json(
            US,
            &format!(
                "/api/v1/devices?serial_number={}",
                &serial[2..7].to_lowercase()
            ),
        )
        .await;
    assert!(ids(&by_serial).contains(&owned["device_id"].as_str().unwrap().to_owned()));
}

#[tokio::test]
async fn filevault_filter_matches_the_details_flag_on_macs_only() {
    let mock = Mock::new();
    let off = mock
        .json(US, "/api/v1/devices?filevault_enabled=false")
        .await;
    let off_ids = ids(&off);
    for id in mock
        .scenario(US, "filevault_profile_success_disk_unencrypted")
        .await
    {
        assert!(
            off_ids.contains(&id),
            "{id} missing from filevault_enabled=false"
        );
    }
    assert!(
        off.as_array()
            .unwrap()
            .iter()
            .all(|d| d["platform"] == "Mac")
    );
    let on = mock
        .json(US, "/api/v1/devices?filevault_enabled=true")
        .await;
    let macs = mock.json(US, "/api/v1/devices?platform=Mac").await;
    assert_eq!(
        on.as_array().unwrap().len() + off_ids.len(),
        macs.as_array().unwrap().len()
    );

    let bad = mock
        .get(US, "/api/v1/devices?filevault_enabled=maybe")
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json(),
        serde_json::json!({"filevault_enabled": ["Enter a valid boolean."]})
    );
}

#[tokio::test]
async fn blueprint_tag_and_user_filters_select_the_right_devices() {
    let mock = Mock::new();
    let blueprints = mock.json(US, "/api/v1/blueprints").await;
    let contractors = blueprints["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "Contractors")
        .unwrap();
    let id = contractors["id"].as_str().unwrap();
    let on_it = mock
        .json(US, &format!("/api/v1/devices?blueprint_id={id}"))
        .await;
    assert_eq!(
        on_it.as_array().unwrap().len() as u64,
        contractors["computers_count"].as_u64().unwrap()
    );
    assert!(
        on_it
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["blueprint_name"] == "Contractors")
    );

    let tvs = mock
        .json(US, "/api/v1/devices?tag_name=conference-room")
        .await;
    assert!(!tvs.as_array().unwrap().is_empty());
    assert!(
        tvs.as_array()
            .unwrap()
            .iter()
            .all(|d| d["platform"] == "AppleTV")
    );
    let wrong_case = mock
        .json(US, "/api/v1/devices?tag_name=Conference-Room")
        .await;
    assert_eq!(wrong_case.as_array().unwrap().len(), 0);
    let either = mock
        .json(US, "/api/v1/devices?tag_name_in=conference-room,loaner")
        .await;
    assert!(either.as_array().unwrap().len() > tvs.as_array().unwrap().len());

    let unassigned = mock.scenario(US, "unassigned").await;
    let device = mock
        .json(US, &format!("/api/v1/devices?device_id={}", unassigned[0]))
        .await;
    assert_eq!(device[0]["user"], "");
}

#[tokio::test]
async fn ordering_sorts_by_several_fields_and_descends_with_a_minus() {
    let mock = Mock::new();
    let list = mock
        .json(US, "/api/v1/devices?ordering=-last_check_in&limit=300")
        .await;
    let times: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["last_check_in"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));

    let list = mock
        .json(US, "/api/v1/devices?ordering=platform,serial_number")
        .await;
    let keys: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["platform"].as_str().unwrap().to_owned(),
                d["serial_number"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
}
