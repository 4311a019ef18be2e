//! The client's models parse every real Kandji response body in `shared/kandji-samples/`
//! (published documentation examples and recordings from a live tenant), with their quirks:
//! `user: ""`, integer user ids, `"True"` strings, `"Yes"`/`"No"` volumes, several timestamp
//! formats, `{}` sections and `null` lists.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use kandji_gateway::kandji::client::next_cursor;
use kandji_gateway::kandji::models::*;
use serde::de::DeserializeOwned;

/// The shared samples folder beside the repository (where CI and the project lay it).
fn samples_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/kandji-samples");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: CI lays the project's shared folder beside the repository",
        dir.display()
    );
    eprintln!(
        "skipped: no {} beside this checkout (the project's shared folder)",
        dir.display()
    );
    None
}

/// Parses one sample, or `None` (test skipped) when the shared folder is not there.
fn sample<T: DeserializeOwned>(name: &str) -> Option<T> {
    let path = samples_dir()?.join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} does not parse: {e}")))
}

#[test]
fn documented_device_list_parses_users_dates_and_tags() {
    let Some(devices): Option<Vec<DeviceRecord>> = sample("devices_list.json") else {
        return;
    };
    assert_eq!(devices.len(), 2);
    let air = &devices[0];
    assert_eq!(air.serial_number.as_deref(), Some("FVHHFKF7Q6L4"));
    assert_eq!(air.platform, "Mac");
    let user = air.user.as_ref().expect("assigned");
    assert_eq!(user.email.as_deref(), Some("accuhive.admin@kandji.io"));
    assert_eq!(user.id, "5344c996-8823-4b37-8d6e-8515fc7c3a0a");
    assert_eq!(
        air.last_check_in,
        Some(
            Utc.with_ymd_and_hms(2024, 7, 23, 14, 11, 37).unwrap()
                + chrono::Duration::microseconds(150_080)
        )
    );
    assert_eq!(
        air.first_enrollment.unwrap().to_rfc3339(),
        "2024-01-26T16:15:36.087016+00:00"
    );
    assert_eq!(air.tags, vec!["accuhive_02".to_string()]);
    assert_eq!(air.asset_tag.as_deref(), Some("sending_tag_to_now"));
    assert_eq!(devices[1].is_missing, Some(true));
    assert_eq!(
        devices[1].asset_tag, None,
        "an empty asset tag is no asset tag"
    );
}

#[test]
fn unassigned_iphone_has_no_user() {
    let Some(devices): Option<Vec<DeviceRecord>> = sample("devices_list_iphone_unassigned.json")
    else {
        return;
    };
    assert_eq!(devices[0].platform, "iPhone");
    assert_eq!(devices[0].user, None);
    assert_eq!(devices[0].agent_version, None);
    assert_eq!(devices[0].serial_number.as_deref(), Some("FCLD57YLN70G"));
}

#[test]
fn recorded_device_list_accepts_integer_user_id_and_missing_tags() {
    let Some(devices): Option<Vec<DeviceRecord>> = sample("devices_list_recorded.json") else {
        return;
    };
    let device = &devices[0];
    assert_eq!(device.device_name, "RickandMorty-MBP");
    assert_eq!(device.user.as_ref().unwrap().id, "1");
    assert_eq!(
        device.user.as_ref().unwrap().name.as_deref(),
        Some("Adam Williams")
    );
    assert!(device.tags.is_empty());
    assert_eq!(device.supplemental_build_version, None);
}

#[test]
fn recorded_mac_details_read_string_booleans_and_volumes() {
    let Some(details): Option<DeviceDetails> = sample("device_details.json") else {
        return;
    };
    assert_eq!(details.filevault.filevault_enabled, Some(true));
    assert_eq!(details.filevault.filevault_prk_escrowed, Some(false));
    assert_eq!(details.mdm.mdm_enabled, Some(true), "\"True\" is true");
    assert_eq!(details.mdm.supervised, Some(true));
    assert_eq!(details.kandji_agent.agent_installed, Some(true));
    assert_eq!(
        details.kandji_agent.agent_version.as_deref(),
        Some("3.7.2 (2834)")
    );
    assert_eq!(
        details.hardware_overview.serial_number.as_deref(),
        Some("C02D91CNPV4M")
    );
    assert_eq!(
        details.hardware_overview.total_number_of_cores.as_deref(),
        Some("4")
    );
    assert_eq!(details.volumes.len(), 2);
    assert_eq!(details.volumes[0].encrypted, Some(false), "\"No\" is false");
    assert_eq!(details.volumes[1].encrypted, Some(true), "\"Yes\" is true");
    assert_eq!(
        details.mdm.last_check_in.unwrap().to_rfc3339(),
        "2022-09-19T12:38:28.741621+00:00"
    );
    assert_eq!(
        details.kandji_agent.install_date.unwrap().to_rfc3339(),
        "2022-09-19T12:14:51+00:00"
    );
    assert_eq!(
        details.general.time_since_boot.as_deref(),
        Some("18 minutes ago")
    );
    assert_eq!(
        details.security_information.remote_desktop_enabled,
        Some(false)
    );
}

#[test]
fn ipad_details_have_null_filevault_and_ios_hardware_shape() {
    let Some(details): Option<DeviceDetails> = sample("device_details_ipad.json") else {
        return;
    };
    assert_eq!(details.filevault.filevault_enabled, None);
    assert_eq!(details.kandji_agent.agent_installed, Some(false));
    assert_eq!(details.kandji_agent.install_date, None);
    assert_eq!(
        details.hardware_overview.udid.as_deref(),
        Some("00008020-0015308c11a1402e")
    );
    assert_eq!(
        details.hardware_overview.serial_number.as_deref(),
        Some("GG7FF8QSQ1GH")
    );
    assert_eq!(details.volumes[0].encrypted, None, "\"\" is unknown");
    assert_eq!(details.security_information.remote_desktop_enabled, None);
    assert_eq!(details.general.system_version, None);
}

#[test]
fn recorded_mac_apps_parse_every_app() {
    let Some(apps): Option<DeviceApps> = sample("device_apps.json") else {
        return;
    };
    assert_eq!(apps.device_id, "d7532562-0fbd-47f5-9609-e41759bf01ef");
    assert_eq!(apps.apps.len(), 58, "the recording's X-Total-Count was 58");
    let first = &apps.apps[0];
    assert_eq!(first.app_name.as_deref(), Some("Activity Monitor"));
    assert_eq!(
        first.bundle_id.as_deref(),
        Some("com.apple.ActivityMonitor")
    );
    assert_eq!(first.app_id.as_deref(), Some("1"));
    assert_eq!(first.source.as_deref(), Some("Apple"));
    let reader = apps
        .apps
        .iter()
        .find(|a| a.bundle_id.as_deref() == Some("com.adobe.Reader"))
        .unwrap();
    assert_eq!(reader.version.as_deref(), Some("22.002.20191"));
}

#[test]
fn ipad_apps_have_uuid_ids() {
    let Some(apps): Option<DeviceApps> = sample("device_apps_ipad.json") else {
        return;
    };
    assert_eq!(apps.apps.len(), 1);
    assert_eq!(apps.apps[0].app_name.as_deref(), Some("Okta Verify"));
    assert_eq!(
        apps.apps[0].app_id.as_deref(),
        Some("f7333eb1-421e-4088-8690-a358169c0421")
    );
    assert_eq!(apps.apps[0].version.as_deref(), Some("47"));
    assert_eq!(apps.apps[0].path, None);
}

#[test]
fn device_library_items_keep_status_case_and_audit_fields() {
    let Some(items): Option<DeviceLibraryItems> = sample("device_library_items.json") else {
        return;
    };
    assert_eq!(items.library_items.len(), 10);
    let rosetta = &items.library_items[0];
    assert_eq!(rosetta.name, "00_rosetta_2");
    assert_eq!(rosetta.status, "PENDING");
    assert_eq!(rosetta.item_id, "109df9e8-3917-4fe9-8a36-51fa35e36f8a");
    assert_eq!(rosetta.item_type, "custom-script");
    assert_eq!(
        rosetta.blueprint.as_ref().unwrap().name,
        "_testing_apple_silicon"
    );
    let profile = items.library_items.last().unwrap();
    assert_eq!(profile.status, "pending", "profiles use lowercase statuses");
    assert_eq!(profile.item_type, "profile");
    assert_eq!(
        profile.last_audit_log.as_deref(),
        Some("The profile installation has been initiated.")
    );
}

#[test]
fn device_status_and_parameters_parse() {
    let Some(status): Option<DeviceStatus> = sample("device_status.json") else {
        return;
    };
    assert_eq!(status.library_items.len(), 8);
    assert_eq!(status.library_items[0].name, "zoom");
    assert_eq!(status.library_items[0].status, "PASS");
    assert_eq!(
        status.library_items[0].reported_at.unwrap().to_rfc3339(),
        "2021-05-11T19:45:19+00:00"
    );
    assert_eq!(status.parameters[0].name, "Disable the \"root\" user");
    let Some(parameters): Option<DeviceParameters> = sample("device_parameters.json") else {
        return;
    };
    assert_eq!(parameters.parameters[0].status, "PASS");
    assert_eq!(
        parameters.parameters[0].item_id,
        "1e4be748-e072-4c1f-b1ff-a98f076b8e8e"
    );
}

#[test]
fn users_page_reads_cursor_from_web_host_next_url() {
    let Some(page): Option<CountedPage<UserRecord>> = sample("users_list.json") else {
        return;
    };
    assert_eq!(page.count, None, "the users list has no count");
    assert_eq!(page.results.len(), 2);
    assert_eq!(
        page.results[0].email.as_deref(),
        Some("test_user_01@accuhive.io")
    );
    assert_eq!(page.results[0].archived, Some(false));
    assert_eq!(page.results[0].department, None);
    assert_eq!(page.results[1].device_count, Some(0));
    assert_eq!(
        next_cursor(page.next.as_deref().unwrap()).as_deref(),
        Some("cD0yOTE0Mw==")
    );
}

#[test]
fn blueprints_pages_parse_including_past_the_end() {
    let Some(page): Option<CountedPage<BlueprintRecord>> = sample("blueprints.json") else {
        return;
    };
    let names: Vec<_> = page.results.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["Default Blueprint", "Kandji Level I", "TEST"]);
    assert_eq!(page.results[0].computers_count, Some(1));
    assert_eq!(page.results[2].blueprint_type.as_deref(), Some("map"));
    let Some(past_end): Option<CountedPage<BlueprintRecord>> =
        sample("blueprints_offset_past_end.json")
    else {
        return;
    };
    assert_eq!(past_end.count, Some(3));
    assert!(past_end.results.is_empty());
    assert!(past_end.previous.is_some());
}

#[test]
fn prism_pages_parse_rows_and_end_cursor() {
    let Some(info): Option<PrismPage<PrismDeviceRow>> = sample("prism_device_information.json")
    else {
        return;
    };
    assert_eq!(info.total, Some(10));
    assert_eq!(
        info.data[0].device_id,
        "0389e9cb-a512-46b9-a743-a8d41551ad15"
    );
    assert_eq!(info.data[0].device_family.as_deref(), Some("iPad"));
    assert_eq!(info.data[0].serial_number.as_deref(), Some("GG7FF8QSQ1GH"));
    assert_eq!(info.data[0].agent_installed, Some(false));

    let Some(firewall): Option<PrismPage<PrismFirewallRow>> =
        sample("prism_application_firewall.json")
    else {
        return;
    };
    assert_eq!(firewall.total, None);
    assert_eq!(firewall.cursor, None);
    let row = &firewall.data[0];
    assert_eq!(row.device_id, "aa79459d-8566-4655-b09a-8f5c6bcf8b43");
    assert_eq!(row.status, Some(false));
    assert_eq!(row.stealth_mode, Some(false));
    assert_eq!(
        row.last_collected_at.unwrap().to_rfc3339(),
        "2024-12-10T16:24:07.767955+00:00"
    );
}

#[test]
fn every_sample_file_is_covered_by_a_test_above() {
    let Some(dir) = samples_dir() else { return };
    let covered = [
        "blueprints.json",
        "blueprints_offset_past_end.json",
        "device_apps.json",
        "device_apps_ipad.json",
        "device_details.json",
        "device_details_ipad.json",
        "device_library_items.json",
        "device_parameters.json",
        "device_status.json",
        "devices_list.json",
        "devices_list_iphone_unassigned.json",
        "devices_list_recorded.json",
        "prism_application_firewall.json",
        "prism_device_information.json",
        "users_list.json",
    ];
    for entry in std::fs::read_dir(&dir).expect("shared/kandji-samples beside the repository") {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") {
            assert!(
                covered.contains(&name.as_str()),
                "{name} has no parsing test"
            );
        }
    }
}
