//! Prism rows per device and category, derived from the same facts as the
//! per-device endpoints so the two never disagree.

use chrono::Duration;
use serde_json::{Map, Value, json};

use super::apps::device_apps;
use super::devices::{Device, Hardware, Platform};
use super::draw::chance;
use super::library::{device_items, item_state};
use super::library_catalog::Control;
use super::tenant::Tenant;
use super::timefmt::iso_micros_offset;
use crate::seed::{rng_for, salt};

/// The Prism categories the mock generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Installed applications, one row per app.
    Apps,
    /// FileVault state of agent Macs.
    FileVault,
    /// Application firewall state of agent Macs.
    ApplicationFirewall,
    /// Hardware and OS facts of every device.
    DeviceInformation,
}

impl Category {
    /// Parses the path segment.
    pub fn from_name(name: &str) -> Option<Category> {
        match name {
            "apps" => Some(Category::Apps),
            "filevault" => Some(Category::FileVault),
            "application_firewall" => Some(Category::ApplicationFirewall),
            "device_information" => Some(Category::DeviceInformation),
            _ => None,
        }
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Identity and timestamps every agent-collected row starts with.
fn common(tenant: &Tenant, device: &Device) -> Map<String, Value> {
    let user = device.user.map(|u| &tenant.users[u]);
    let blueprint = &tenant.blueprints[device.blueprint];
    let model_id = match device.hardware {
        Hardware::Mac(m) => m.identifier,
        Hardware::Mobile(m) => m.identifier,
    };
    object(json!({
        "device_id": device.id,
        "device__name": device.name,
        "device__family": device.platform.prism_family(),
        "device__user_id": user.map_or("", |u| u.deprecated_id.as_str()),
        "device__user_name": user.map_or("", |u| u.name.as_str()),
        "device__user_email": user.map_or("", |u| u.email.as_str()),
        "blueprint_id": blueprint.id,
        "blueprint_name": blueprint.plan.name,
        "tags": null,
        "asset_tag": device.asset_tag,
        "serial_number": device.serial,
        "model_id": model_id,
        "count": null,
        "created_at": iso_micros_offset(device.first_enrollment + Duration::minutes(20)),
        "updated_at": iso_micros_offset(device.last_check_in),
        "last_changed_at": null,
        "last_collected_at": iso_micros_offset(device.last_check_in + Duration::microseconds(1)),
    }))
}

fn with(mut base: Map<String, Value>, extra: Value) -> Map<String, Value> {
    base.extend(object(extra));
    base
}

/// The rows `device` contributes to `category` (none when Prism would not
/// collect that category from it).
pub fn rows(tenant: &Tenant, device: &Device, category: Category) -> Vec<Map<String, Value>> {
    let agent_mac = device.is_mac() && device.agent_installed;
    match category {
        Category::Apps => device_apps(device)
            .into_iter()
            .map(|app| {
                with(
                    common(tenant, device),
                    serde_json::to_value(app).unwrap_or_default(),
                )
            })
            .collect(),
        Category::FileVault if agent_mac => {
            let enabled = device.filevault_enabled == Some(true);
            vec![with(
                common(tenant, device),
                json!({
                    "status": enabled,
                    "key_type": if enabled { json!("Personal") } else { Value::Null },
                    "key_escrowed": enabled,
                    "regeneration_needed": false,
                    "scheduled_key_rotation": null,
                }),
            )]
        }
        Category::ApplicationFirewall if agent_mac => {
            // On only where a Firewall item is assigned and installed.
            let on = device_items(tenant, device)
                .filter(|i| i.template.controls.contains(&Control::Firewall))
                .any(|i| item_state(device, i).status == "success");
            let mut rng = rng_for(device.seed, salt::PRISM);
            vec![with(
                common(tenant, device),
                json!({
                    "status": on,
                    "block_all_incoming": on && chance(&mut rng, 0.1),
                    "logging": on,
                    "logging_option": "throttled",
                    "stealth_mode": on && chance(&mut rng, 0.6),
                    "version": "1.7",
                    "allow_signed_applications": true,
                    "unloading": false,
                }),
            )]
        }
        Category::DeviceInformation => vec![device_information(tenant, device)],
        _ => Vec::new(),
    }
}

fn device_information(tenant: &Tenant, device: &Device) -> Map<String, Value> {
    let user = device.user.map(|u| &tenant.users[u]);
    let blueprint = &tenant.blueprints[device.blueprint];
    let mac = device.is_mac();
    let (family, identifier, capacity, silicon, cellular) = match device.hardware {
        Hardware::Mac(m) => (
            m.family,
            m.identifier,
            m.capacity_gb,
            Some(m.apple_silicon),
            None,
        ),
        Hardware::Mobile(m) => (
            device.platform.api_name(),
            m.identifier,
            m.capacity_gb,
            None,
            Some(m.cellular),
        ),
    };
    let hostname: String = device
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let os_name = match device.platform {
        Platform::Mac => "macOS",
        Platform::IPhone => "iOS",
        Platform::IPad => "iPadOS",
        Platform::AppleTv => "tvOS",
    };
    object(json!({
        "blueprint_id": blueprint.id,
        "blueprint_name": blueprint.plan.name,
        "device__user_id": user.map_or("", |u| u.deprecated_id.as_str()),
        "device__user_name": user.map_or("", |u| u.name.as_str()),
        "device__user_email": user.map_or("", |u| u.email.as_str()),
        "device__name": device.name,
        "device__family": device.platform.prism_family(),
        "asset_tag": (!device.asset_tag.is_empty()).then_some(&device.asset_tag),
        "serial_number": device.serial,
        "device_id": device.id,
        "device_capacity": capacity.round(),
        "host_name": if mac { json!(hostname) } else { Value::Null },
        "apple_silicon": silicon,
        "local_hostname": if mac { json!(hostname) } else { Value::Null },
        "model": family,
        "model_name": device.model_name(),
        "model_identifier": identifier,
        "shared_ipad": if device.platform == Platform::IPad { json!(false) } else { Value::Null },
        "cellular_technology": cellular.map(|c| if c { "LTE" } else { "None" }),
        "data_roaming": cellular.map(|_| false),
        "hotspot": null,
        "first_enrollment_date": iso_micros_offset(device.first_enrollment),
        "last_enrollment_date": iso_micros_offset(device.last_enrollment),
        "agent_version": device.agent_installed.then_some(device.agent_version),
        "mdm_enabled": device.mdm_enabled,
        "agent_installed": device.agent_installed,
        "updated_at": iso_micros_offset(device.last_check_in),
        "last_collected_at": iso_micros_offset(device.last_check_in + Duration::microseconds(4)),
        "os_version": device.os.version,
        "os_build": device.os.build,
        "os_name": os_name,
        "supplemental_build_version": device.os.build,
        "supplemental_os_version_extra": null,
        "display_os_version": device.os.version,
    }))
}
