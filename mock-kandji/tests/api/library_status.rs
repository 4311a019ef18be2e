//! `GET /library/library-items/{id}/status` agrees with the per-device rows.

use crate::support::{Mock, US};

async fn filevault_item(mock: &Mock) -> String {
    let blueprints = mock.json(US, "/api/v1/blueprints").await;
    let id = blueprints["results"][0]["id"].as_str().unwrap().to_owned();
    let items = mock
        .json(US, &format!("/api/v1/blueprints/{id}/list-library-items"))
        .await;
    let item = items["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "FileVault")
        .unwrap();
    item["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn fleet_rows_match_each_devices_own_rows() {
    let mock = Mock::new();
    let item = filevault_item(&mock).await;
    let page = mock
        .json(
            US,
            &format!("/api/v1/library/library-items/{item}/status?limit=20"),
        )
        .await;
    let macs = mock.json(US, "/api/v1/devices?platform=Mac").await;
    assert_eq!(
        page["count"].as_u64().unwrap() as usize,
        macs.as_array().unwrap().len()
    );
    for row in page["results"].as_array().unwrap() {
        let device = row["computer"]["id"].as_str().unwrap();
        let own = mock
            .json(US, &format!("/api/v1/devices/{device}/library-items"))
            .await;
        let same = own["library_items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["item_id"] == item)
            .unwrap();
        assert_eq!(same, row);
    }
}

#[tokio::test]
async fn status_rows_page_by_limit_and_offset_and_filter_by_computer() {
    let mock = Mock::new();
    let item = filevault_item(&mock).await;
    let path = format!("/api/v1/library/library-items/{item}/status");
    let first = mock.json(US, &format!("{path}?limit=50")).await;
    let count = first["count"].as_u64().unwrap();
    assert_eq!(first["results"].as_array().unwrap().len(), 50);
    assert_eq!(
        first["next"],
        format!("https://acme.api.kandji.io{path}?limit=50&offset=50")
    );
    let past = mock.json(US, &format!("{path}?limit=50&offset=5000")).await;
    assert_eq!(past["results"], serde_json::json!([]));
    assert_eq!(past["count"].as_u64().unwrap(), count);
    let huge = mock.json(US, &format!("{path}?limit=1000")).await;
    assert_eq!(
        huge["results"].as_array().unwrap().len(),
        (count as usize).min(300)
    );

    let computer = first["results"][3]["computer"]["id"].as_str().unwrap();
    let one = mock
        .json(US, &format!("{path}?computer_id={computer}"))
        .await;
    assert_eq!(one["count"], 1);
    assert_eq!(one["results"][0], first["results"][3]);
}

#[tokio::test]
async fn an_unknown_library_item_is_not_found() {
    let reply = Mock::new()
        .get(
            US,
            "/api/v1/library/library-items/3f0e5c4c-0000-4000-8000-000000000000/status",
        )
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json(), serde_json::json!({"detail": "Not found."}));
}
