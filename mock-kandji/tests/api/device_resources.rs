//! Per-device endpoints: the record, details, apps, library items, status
//! and parameters, and their platform differences.

use serde_json::Value;

use crate::support::{Mock, US};

async fn first_of(mock: &Mock, platform: &str) -> String {
    let list = mock
        .json(US, &format!("/api/v1/devices?platform={platform}&limit=1"))
        .await;
    list[0]["device_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn one_device_is_the_same_object_the_list_shows() {
    let mock = Mock::new();
    let list = mock.json(US, "/api/v1/devices?limit=3").await;
    let id = list[2]["device_id"].as_str().unwrap();
    assert_eq!(
        mock.json(US, &format!("/api/v1/devices/{id}")).await,
        list[2]
    );
}

#[tokio::test]
async fn unknown_and_malformed_ids_answer_drf_not_found() {
    let mock = Mock::new();
    for id in ["0b9c3a1e-0000-4000-8000-000000000000", "not-a-uuid"] {
        for suffix in [
            "",
            "/details",
            "/apps",
            "/library-items",
            "/status",
            "/parameters",
        ] {
            let reply = mock.get(US, &format!("/api/v1/devices/{id}{suffix}")).await;
            assert_eq!(reply.status, 404, "{id}{suffix}");
            assert_eq!(reply.json(), serde_json::json!({"detail": "Not found."}));
        }
    }
}

#[tokio::test]
async fn mac_details_use_string_booleans_and_blueprint_uuid() {
    let mock = Mock::new();
    let id = first_of(&mock, "Mac").await;
    let details = mock
        .json(US, &format!("/api/v1/devices/{id}/details"))
        .await;
    assert_eq!(details["mdm"]["mdm_enabled"], "True");
    assert!(matches!(
        details["kandji_agent"]["agent_installed"].as_str(),
        Some("True" | "False")
    ));
    assert!(matches!(
        details["volumes"][1]["encrypted"].as_str(),
        Some("Yes" | "No")
    ));
    assert!(details["general"]["blueprint_uuid"].is_string());
    assert!(details["general"].get("blueprint_id").is_none());
    assert_eq!(details["lost_mode"], serde_json::json!({}));
    assert!(details["filevault"]["filevault_enabled"].is_boolean());
    let enrolled = details["general"]["first_enrollment"].as_str().unwrap();
    assert!(
        enrolled.ends_with("+00:00") && enrolled.contains(' '),
        "{enrolled}"
    );
}

#[tokio::test]
async fn apple_tv_details_omit_lost_mode_cellular_and_supervised() {
    let mock = Mock::new();
    let id = first_of(&mock, "AppleTV").await;
    let details = mock
        .json(US, &format!("/api/v1/devices/{id}/details"))
        .await;
    assert!(details.get("lost_mode").is_none());
    assert!(details.get("cellular").is_none());
    assert!(details["mdm"].get("supervised").is_none());
    assert_eq!(details["filevault"]["filevault_enabled"], Value::Null);
    assert!(details["hardware_overview"]["uuid"].is_string());
}

#[tokio::test]
async fn mobile_apps_have_uuid_ids_string_vendability_and_no_apple_apps() {
    let mock = Mock::new();
    let phones = mock.json(US, "/api/v1/devices?platform=iPhone").await;
    let mut checked = 0;
    for phone in phones.as_array().unwrap() {
        let apps = mock
            .json(
                US,
                &format!(
                    "/api/v1/devices/{}/apps",
                    phone["device_id"].as_str().unwrap()
                ),
            )
            .await;
        for app in apps["apps"].as_array().unwrap() {
            assert_eq!(app["app_id"].as_str().unwrap().len(), 36);
            assert!(matches!(
                app["app_store_vendable"].as_str(),
                Some("True" | "False")
            ));
            assert!(!app["bundle_id"].as_str().unwrap().starts_with("com.apple."));
            assert_eq!(app["path"], "");
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} iPhone apps");
}

#[tokio::test]
async fn mac_apps_list_40_to_80_apps_with_numeric_ids() {
    let mock = Mock::new();
    let macs = mock.json(US, "/api/v1/devices?platform=Mac&limit=20").await;
    let no_agent = mock.scenario(US, "no_agent").await;
    for mac in macs.as_array().unwrap() {
        let id = mac["device_id"].as_str().unwrap();
        let apps = mock.json(US, &format!("/api/v1/devices/{id}/apps")).await;
        let count = apps["apps"].as_array().unwrap().len();
        if no_agent.contains(&id.to_owned()) {
            assert!(count < 20, "{id}: MDM-only list has {count}");
        } else {
            assert!((40..=80).contains(&count), "{id}: {count} apps");
        }
        assert!(
            apps["apps"][0]["app_id"]
                .as_str()
                .unwrap()
                .parse::<u64>()
                .is_ok()
        );
    }
}

#[tokio::test]
async fn status_repeats_library_item_statuses_and_adds_parameters() {
    let mock = Mock::new();
    let id = first_of(&mock, "Mac").await;
    let items = mock
        .json(US, &format!("/api/v1/devices/{id}/library-items"))
        .await;
    let status = mock.json(US, &format!("/api/v1/devices/{id}/status")).await;
    let full: Vec<(&Value, &Value)> = items["library_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (&i["id"], &i["status"]))
        .collect();
    let slim: Vec<(&Value, &Value)> = status["library_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (&i["id"], &i["status"]))
        .collect();
    assert_eq!(full, slim);
    assert_eq!(
        status["parameters"],
        mock.json(US, &format!("/api/v1/devices/{id}/parameters"))
            .await["parameters"]
    );
    assert!(!status["parameters"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn parameters_are_empty_for_devices_other_than_macs() {
    let mock = Mock::new();
    let id = first_of(&mock, "iPhone").await;
    let reply = mock
        .json(US, &format!("/api/v1/devices/{id}/parameters"))
        .await;
    assert_eq!(reply["parameters"], serde_json::json!([]));
}

#[tokio::test]
async fn profile_items_report_lowercase_statuses_and_other_items_uppercase() {
    let mock = Mock::new();
    let macs = mock.json(US, "/api/v1/devices?platform=Mac&limit=40").await;
    for mac in macs.as_array().unwrap() {
        let items = mock
            .json(
                US,
                &format!(
                    "/api/v1/devices/{}/library-items",
                    mac["device_id"].as_str().unwrap()
                ),
            )
            .await;
        for item in items["library_items"].as_array().unwrap() {
            let status = item["status"].as_str().unwrap();
            if item["type"] == "profile" {
                assert!(
                    matches!(status, "success" | "failed" | "pending"),
                    "{status}"
                );
            } else {
                assert_eq!(status, status.to_uppercase());
            }
        }
    }
}
