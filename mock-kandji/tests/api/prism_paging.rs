//! Paging one Prism query: pages by offset and by cursor are the same rows, and the scan
//! behind a large query does not hold up the mock's other requests.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Mock, US};

fn encode(key: &str, value: &str) -> String {
    serde_urlencoded::to_string([(key, value)]).unwrap()
}

/// `device_id/app_id` of every row of a page.
fn row_ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}/{}", r["device_id"], r["app_id"]))
        .collect()
}

#[tokio::test]
async fn pages_by_offset_and_by_cursor_walk_the_same_rows() {
    let mock = Mock::new();
    let filter = encode("filter", r#"{"app_name":{"like":["%a%"]}}"#);
    let path = format!("/api/v1/prism/apps?limit=300&{filter}");
    let first = mock.json(US, &path).await;
    let total = first["total"].as_u64().unwrap() as usize;
    assert!(total > 600, "three pages at least: {total}");

    let mut by_cursor = row_ids(&first);
    let mut cursor = first["cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = mock
            .json(US, &format!("{path}&{}", encode("cursor", &c)))
            .await;
        by_cursor.extend(row_ids(&page));
        cursor = page["cursor"].as_str().map(str::to_owned);
    }

    let mut by_offset = row_ids(&first);
    for offset in (300..total).step_by(300) {
        let page = mock.json(US, &format!("{path}&offset={offset}")).await;
        assert_eq!(page["total"].as_u64().unwrap() as usize, total);
        by_offset.extend(row_ids(&page));
    }
    assert_eq!(by_cursor.len(), total);
    assert_eq!(by_offset, by_cursor);
}

#[tokio::test]
async fn a_long_prism_scan_does_not_hold_up_other_requests() {
    // The test runtime has one thread: a scan run on it would stall every other request.
    let mut config = crate::support::config();
    config.devices = 600;
    let mock = Mock::with(config);
    let scan = {
        let mock = mock.clone();
        tokio::spawn(async move {
            let reply = mock.get(US, "/api/v1/prism/apps?limit=300").await;
            (reply.status, Instant::now())
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;

    let mut answered = Instant::now();
    for _ in 0..5 {
        let devices = mock.json(US, "/api/v1/devices?limit=1").await;
        assert_eq!(devices.as_array().unwrap().len(), 1);
        answered = Instant::now();
    }
    let (status, scanned) = scan.await.unwrap();
    assert_eq!(status, 200);
    assert!(
        answered < scanned,
        "the device list waited for the Prism scan"
    );
}
