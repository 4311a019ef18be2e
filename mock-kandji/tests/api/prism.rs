//! Prism pages, filters and cursors, and their agreement with the
//! per-device endpoints.

use std::collections::HashSet;

use serde_json::Value;

use crate::support::{Mock, US};

fn encode(filter: &str) -> String {
    serde_urlencoded::to_string([("filter", filter)]).unwrap()
}

#[tokio::test]
async fn filevault_rows_report_the_same_state_as_device_details() {
    let mock = Mock::new();
    let page = mock.json(US, "/api/v1/prism/filevault?limit=300").await;
    assert_eq!(page["limit"], 300);
    let rows = page["data"].as_array().unwrap();
    assert_eq!(rows.len() as u64, page["total"].as_u64().unwrap());
    for row in rows.iter().take(40) {
        let details = mock
            .json(
                US,
                &format!(
                    "/api/v1/devices/{}/details",
                    row["device_id"].as_str().unwrap()
                ),
            )
            .await;
        assert_eq!(row["status"], details["filevault"]["filevault_enabled"]);
    }
    let unencrypted = mock
        .scenario(US, "filevault_profile_success_disk_unencrypted")
        .await;
    let off = mock
        .json(
            US,
            &format!(
                "/api/v1/prism/filevault?limit=300&{}",
                encode(r#"{"status":{"eq":false}}"#)
            ),
        )
        .await;
    let off: HashSet<&str> = off["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["device_id"].as_str().unwrap())
        .collect();
    assert!(unencrypted.iter().all(|id| off.contains(id.as_str())));
}

#[tokio::test]
async fn app_rows_are_the_devices_app_list() {
    let mock = Mock::new();
    let mac = &mock.json(US, "/api/v1/devices?platform=Mac&limit=1").await[0];
    let id = mac["device_id"].as_str().unwrap();
    let apps = mock.json(US, &format!("/api/v1/devices/{id}/apps")).await;
    let filter = encode(&format!(r#"{{"device_id":{{"eq":"{id}"}}}}"#));
    let rows = mock
        .json(US, &format!("/api/v1/prism/apps?limit=300&{filter}"))
        .await;
    let from_prism: Vec<&Value> = rows["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["bundle_id"])
        .collect();
    let from_device: Vec<&Value> = apps["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["bundle_id"])
        .collect();
    assert_eq!(from_prism, from_device);
}

#[tokio::test]
async fn like_in_and_not_in_filters_select_rows() {
    let mock = Mock::new();
    let chrome = mock
        .json(
            US,
            &format!(
                "/api/v1/prism/apps?limit=300&{}",
                encode(r#"{"app_name":{"like":["%chrome%"]}}"#)
            ),
        )
        .await;
    assert!(chrome["total"].as_u64().unwrap() > 50);
    assert!(chrome["data"].as_array().unwrap().iter().all(|r| {
        r["app_name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("chrome")
    }));

    let families = mock
        .json(
            US,
            &format!(
                "/api/v1/prism/device_information?limit=300&{}",
                encode(r#"{"device__family":{"in":["iPad","iPhone"]}}"#)
            ),
        )
        .await;
    assert!(
        families["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["device__family"] == "iPad" || r["device__family"] == "iPhone")
    );
    let not_macs = mock
        .json(
            US,
            &format!(
                "/api/v1/prism/device_information?limit=300&{}",
                encode(r#"{"device__family":{"not_in":["Mac"]}}"#)
            ),
        )
        .await;
    assert_eq!(not_macs["total"], mock.scenario(US, "mobile").await.len());
    let tv = mock
        .json(US, "/api/v1/prism/device_information?device_families=tvOS")
        .await;
    assert!(
        tv["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["device__family"] == "tvOS")
    );
}

#[tokio::test]
async fn firewall_rows_are_off_where_no_firewall_item_is_assigned() {
    let mock = Mock::new();
    let blueprints = mock.json(US, "/api/v1/blueprints?name=Contractors").await;
    let contractors = blueprints["results"][0]["id"].as_str().unwrap();
    let rows = mock
        .json(
            US,
            &format!("/api/v1/prism/application_firewall?limit=300&blueprint_ids={contractors}"),
        )
        .await;
    assert!(rows["total"].as_u64().unwrap() > 0);
    assert!(
        rows["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == false && r["blueprint_name"] == "Contractors")
    );
    let everyone = mock
        .json(US, "/api/v1/prism/application_firewall?limit=300")
        .await;
    assert!(
        everyone["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["status"] == true)
    );
}

#[tokio::test]
async fn cursors_walk_every_row_once_and_the_default_page_is_25() {
    let mock = Mock::new();
    let first = mock.json(US, "/api/v1/prism/device_information").await;
    assert_eq!(first["limit"], 25);
    assert_eq!(first["offset"], 0);
    let total = first["total"].as_u64().unwrap() as usize;
    let mut seen: HashSet<String> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["device_id"].as_str().unwrap().to_owned())
        .collect();
    let mut cursor = first["cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = mock
            .json(
                US,
                &format!(
                    "/api/v1/prism/device_information?limit=100&{}",
                    serde_urlencoded::to_string([("cursor", &c)]).unwrap()
                ),
            )
            .await;
        assert_eq!(page["offset"], Value::Null);
        for row in page["data"].as_array().unwrap() {
            assert!(seen.insert(row["device_id"].as_str().unwrap().to_owned()));
        }
        cursor = page["cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), total);
}

#[tokio::test]
async fn bad_categories_and_filters_answer_400_with_a_detail() {
    let mock = Mock::new();
    let bad = mock.get(US, "/api/v1/prism/nonsense").await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.json(),
        serde_json::json!({"detail": "Invalid category: nonsense"})
    );
    let filter = mock
        .get(US, &format!("/api/v1/prism/apps?{}", encode("{not json")))
        .await;
    assert_eq!(filter.status, 400);
    assert!(
        filter.json()["detail"]
            .as_str()
            .unwrap()
            .starts_with("Invalid filter")
    );
    let column = mock
        .get(
            US,
            &format!("/api/v1/prism/apps?{}", encode(r#"{"nope":{"eq":1}}"#)),
        )
        .await;
    assert_eq!(
        column.json(),
        serde_json::json!({"detail": "Invalid filter column: nope"})
    );
    let empty = mock.json(US, "/api/v1/prism/gatekeeper_and_xprotect").await;
    assert_eq!(empty["total"], 0);
}
