//! L2 values are the Kandji models as compact JSON, and every model reads its own JSON back
//! exactly: a value one replica stored is the value another replica would have fetched.

use std::path::PathBuf;

use kandji_gateway::kandji::models::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn sample_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/kandji-samples")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Decodes a real response, encodes it as the L2 does, decodes that, and compares.
fn round_trips<T>(name: &str)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    round_trips_at::<T>(name, "");
}

/// Like [`round_trips`], for the part of the response at the JSON `pointer`.
fn round_trips_at<T>(name: &str, pointer: &str)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let response: serde_json::Value = serde_json::from_str(&sample_text(name)).unwrap();
    let part = response.pointer(pointer).unwrap().clone();
    let original: T = serde_json::from_value(part).unwrap();
    let stored = serde_json::to_vec(&original).unwrap();
    let restored: T = serde_json::from_slice(&stored).unwrap();
    assert_eq!(restored, original, "{name}");
}

#[test]
fn every_cached_kandji_model_reads_its_own_json_back() {
    round_trips::<Vec<DeviceRecord>>("devices_list.json");
    round_trips::<Vec<DeviceRecord>>("devices_list_iphone_unassigned.json");
    round_trips::<Vec<DeviceRecord>>("devices_list_recorded.json");
    round_trips::<DeviceDetails>("device_details.json");
    round_trips::<DeviceDetails>("device_details_ipad.json");
    round_trips::<DeviceApps>("device_apps.json");
    round_trips::<DeviceApps>("device_apps_ipad.json");
    round_trips::<DeviceLibraryItems>("device_library_items.json");
    round_trips::<DeviceParameters>("device_parameters.json");
    round_trips::<DeviceStatus>("device_status.json");
    round_trips_at::<Vec<UserRecord>>("users_list.json", "/results");
    round_trips_at::<Vec<BlueprintRecord>>("blueprints.json", "/results");
}

#[test]
fn quirky_values_survive_the_round_trip() {
    // "True" strings, an integer user id, an empty user, a naive timestamp, a null list.
    let raw = r#"[{"device_id": "d-1", "device_name": "Ada's Mac", "platform": "Mac",
        "mdm_enabled": "True", "agent_installed": 1, "user": {"id": 42, "email": "a@x.io"},
        "last_check_in": "2023-10-13 16:15:00.000000", "tags": null},
        {"device_id": "d-2", "device_name": "Lobby iPad", "platform": "iPad", "user": ""}]"#;
    let original: Vec<DeviceRecord> = serde_json::from_str(raw).unwrap();
    let stored = serde_json::to_vec(&original).unwrap();
    let restored: Vec<DeviceRecord> = serde_json::from_slice(&stored).unwrap();

    assert_eq!(restored, original);
    assert_eq!(restored[0].mdm_enabled, Some(true));
    assert_eq!(restored[0].user.as_ref().unwrap().id, "42");
    assert_eq!(restored[1].user, None);
}
