//! `GET /devices/{id}/details`, rebuilt from the device's seed per call.
//!
//! Reproduces the real quirks: `"True"`/`"False"` strings in `mdm` and
//! `kandji_agent`, `"Yes"`/`"No"` volumes, `{}` for empty sections,
//! `blueprint_uuid` instead of `blueprint_id`, several date formats, and
//! platform differences (iOS `hardware_overview`, no `lost_mode` or
//! `cellular` on Apple TV, `filevault_enabled: null` off the Mac).

use chrono::Duration;
use serde_json::{Value, json};

use super::devices::{Device, Hardware, Platform};
use super::draw::{between, chance};
use super::library::{device_items, item_state};
use super::tenant::Tenant;
use super::timefmt::{
    human_ago, iso_micros_z, space_micros_offset, space_offset, space_space_offset,
};
use crate::api::shapes::user_ref;
use crate::seed::{SeededRng, rng_for, salt};

/// The details object for one device.
pub fn device_details(tenant: &Tenant, device: &Device) -> Value {
    let mut rng = rng_for(device.seed, salt::DETAILS);
    let mac = device.is_mac();
    let user = device.user.map(|u| &tenant.users[u]);
    let blueprint = &tenant.blueprints[device.blueprint];
    let boot_seconds = between(&mut rng, 600, 20 * 86_400);

    let system_version = if mac {
        format!("{} ({})", device.os.version, device.os.build)
    } else {
        String::new()
    };
    let general = json!({
        "device_id": device.id,
        "device_name": device.name,
        "last_enrollment": space_micros_offset(device.last_enrollment),
        "first_enrollment": space_micros_offset(device.first_enrollment),
        "model": device.model_name(),
        "platform": device.platform.api_name(),
        "os_version": device.os.version,
        "supplemental_build_version": device.os.build,
        "supplemental_os_version_extra": "",
        "system_version": system_version,
        "boot_volume": if mac { "Macintosh HD" } else { "" },
        "time_since_boot": if mac { human_ago(boot_seconds) } else { String::new() },
        "last_user": if mac { user.map_or("admin", |u| u.username.as_str()) } else { "" },
        "asset_tag": device.asset_tag,
        "assigned_user": user_ref(user),
        "blueprint_name": blueprint.plan.name,
        "blueprint_uuid": blueprint.id,
    });

    let mdm_installed = device.last_enrollment - Duration::milliseconds(between(&mut rng, 50, 400));
    let mdm_check_in = device.last_check_in - Duration::seconds(between(&mut rng, 10, 900));
    let mdm_users: Vec<String> = match user {
        Some(u) if mac => vec![u.name.clone()],
        _ => Vec::new(),
    };
    let mut mdm = json!({
        "mdm_enabled": if device.mdm_enabled { "True" } else { "False" },
        "supervised": "True",
        "install_date": space_micros_offset(mdm_installed),
        "last_check_in": space_micros_offset(mdm_check_in),
        "mdm_enabled_user": mdm_users,
    });
    if device.platform == Platform::AppleTv {
        mdm.as_object_mut().map(|m| m.remove("supervised"));
    }

    let agent_install = device.last_enrollment + Duration::minutes(between(&mut rng, 3, 90));
    let agent_installed_at = if device.agent_installed {
        space_offset(agent_install)
    } else {
        String::new()
    };
    let automated_enrollment = if chance(&mut rng, 0.8) {
        json!({ "auto_enroll_eligible": true, "auto_enrolled": true })
    } else {
        json!({})
    };
    let remote_desktop = if mac {
        json!(chance(&mut rng, 0.05))
    } else {
        Value::Null
    };
    let mut details = json!({
        "general": general,
        "mdm": mdm,
        "activation_lock": {
            "bypass_code_failed": false,
            "user_activation_lock_enabled": false,
            "device_activation_lock_enabled": !mac && chance(&mut rng, 0.3),
            "activation_lock_allowed_while_supervised": false,
            "activation_lock_supported": true,
        },
        "filevault": filevault(device),
        "lost_mode": {},
        "automated_device_enrollment": automated_enrollment,
        "kandji_agent": {
            "agent_installed": if device.agent_installed { "True" } else { "False" },
            "install_date": agent_installed_at,
            "last_check_in": iso_micros_z(device.last_check_in),
            "agent_version": device.agent_version,
        },
        "hardware_overview": hardware(device),
        "volumes": volumes(&mut rng, device),
        "network": network(&mut rng, device),
        "recovery_information": {
            "recovery_lock_enabled": false,
            "firmware_password_exist": false,
            "firmware_password_pending": false,
            "password_rotation_scheduled": null,
            "password_has_been_set": false,
        },
        "users": local_users(device, user.map(|u| (u.username.as_str(), u.name.as_str()))),
        "installed_profiles": installed_profiles(tenant, device),
        "apple_business_manager": apple_business_manager(&mut rng, device, &tenant.company.domain),
        "security_information": { "remote_desktop_enabled": remote_desktop },
        "cellular": cellular(device),
        "tags": device.tags.iter().map(|&t| tenant.tags[t].name).collect::<Vec<_>>(),
    });

    if device.platform == Platform::AppleTv
        && let Some(sections) = details.as_object_mut()
    {
        sections.remove("lost_mode");
        sections.remove("cellular");
    }
    details
}

fn filevault(device: &Device) -> Value {
    match device.filevault_enabled {
        Some(enabled) => json!({
            "filevault_enabled": enabled,
            "filevault_recoverykey_type": if enabled { "Personal" } else { "" },
            "filevault_prk_escrowed": enabled,
            "filevault_next_rotation": "",
            "filevault_regen_required": false,
        }),
        None => json!({
            "filevault_enabled": null,
            "filevault_recoverykey_type": "",
            "filevault_prk_escrowed": false,
            "filevault_next_rotation": "",
            "filevault_regen_required": false,
        }),
    }
}

fn hardware(device: &Device) -> Value {
    match device.hardware {
        Hardware::Mac(model) => json!({
            "model_name": model.family,
            "model_identifier": model.identifier,
            "processor_name": model.processor,
            "processor_speed": model.speed,
            "number_of_processors": model.cores,
            "total_number_of_cores": model.cores,
            "memory": model.memory,
            "udid": device.udid,
            "serial_number": device.serial,
        }),
        Hardware::Mobile(model) => json!({
            "uuid": device.udid,
            "serial_number": device.serial,
            "model_identifier": model.identifier,
        }),
    }
}

fn volumes(rng: &mut SeededRng, device: &Device) -> Value {
    let (capacity, mac) = match device.hardware {
        Hardware::Mac(model) => (model.capacity_gb, true),
        Hardware::Mobile(model) => (model.capacity_gb, false),
    };
    let used = between(rng, 8, 85);
    let available = format!("{:.2} GB", capacity * (100 - used) as f64 / 100.0);
    let percent = format!("{used}%");
    if !mac {
        return json!([{
            "name": "", "format": "", "percent_used": percent, "identifier": "",
            "capacity": format!("{capacity:.1} GB"), "available": available, "encrypted": "",
        }]);
    }
    let encrypted = device.filevault_enabled == Some(true);
    let data_format = if encrypted {
        "APFS (Encrypted)"
    } else {
        "APFS"
    };
    let capacity_text = format!("{capacity:.2} GB");
    json!([
        {
            "name": "Macintosh HD", "format": "APFS", "percent_used": percent,
            "identifier": "disk3s1s1", "capacity": capacity_text, "available": available,
            "encrypted": "No",
        },
        {
            "name": "Macintosh HD - Data", "format": data_format, "percent_used": percent,
            "identifier": "disk3s5", "capacity": capacity_text, "available": available,
            "encrypted": if encrypted { "Yes" } else { "No" },
        },
    ])
}

fn network(rng: &mut SeededRng, device: &Device) -> Value {
    if device.platform == Platform::AppleTv && chance(rng, 0.5) {
        return json!({});
    }
    let hostname: String = device
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mac = device.is_mac();
    let (ip_address, public_ip) = if mac {
        let private = (
            between(rng, 0, 40),
            between(rng, 0, 255),
            between(rng, 2, 254),
        );
        (
            format!("10.{}.{}.{}", private.0, private.1, private.2),
            // Documentation-only addresses (RFC 5737): no real host is named.
            format!("203.0.113.{}", between(rng, 1, 254)),
        )
    } else {
        (String::new(), String::new())
    };
    json!({
        "local_hostname": if mac { hostname } else { String::new() },
        "mac_address": device.mac_address,
        "ip_address": ip_address,
        "public_ip": public_ip,
    })
}

fn local_users(device: &Device, owner: Option<(&str, &str)>) -> Value {
    if !device.is_mac() {
        return json!({ "regular_users": [], "system_users": [] });
    }
    let (username, name) = owner.unwrap_or(("admin", "Admin"));
    let system: Vec<Value> = [
        ("root", "0", "/var/root", "Yes"),
        ("daemon", "1", "/var/root", "No"),
        ("_www", "70", "/Library/WebServer", "No"),
        ("_sshd", "75", "/var/empty", "No"),
        ("_mbsetupuser", "248", "/var/setup", "No"),
        ("_screensaver", "203", "/var/empty", "No"),
    ]
    .iter()
    .map(|(u, uid, path, admin)| json!({ "username": u, "uid": uid, "path": path, "admin": admin }))
    .collect();
    json!({
        "regular_users": [{
            "username": username, "uid": "501", "path": format!("/Users/{username}"),
            "admin": "Yes", "name": name,
        }],
        "system_users": system,
    })
}

/// The MDM profile plus every profile item that installed on the device.
fn installed_profiles(tenant: &Tenant, device: &Device) -> Value {
    let installed = device.last_enrollment;
    let mut profiles = vec![json!({
        "name": "MDM Profile", "uuid": tenant.company.integration_uuid, "verified": "verified",
        "identifier": "com.kandji.profile.mdmprofile", "organization": "Kandji, Inc.",
        "payload_types": ["com.apple.mdm", "com.apple.security.scep"],
        "install_date": space_space_offset(installed),
    })];
    for item in device_items(tenant, device).filter(|i| i.template.is_profile()) {
        if item_state(device, item).status != "success" {
            continue;
        }
        profiles.push(json!({
            "name": item.template.name, "uuid": item.id, "verified": "verified",
            "identifier": format!("com.kandji.profile.custom.{}", item.id),
            "organization": tenant.company.name,
            "payload_types": [payload_type(item.template.name)],
            "install_date": space_space_offset(installed + Duration::minutes(2)),
        }));
    }
    Value::Array(profiles)
}

fn payload_type(name: &str) -> &'static str {
    match name {
        "FileVault" => "com.apple.MCX.FileVault2",
        "Firewall" => "com.apple.security.firewall",
        n if n.starts_with("Passcode") => "com.apple.mobiledevice.passwordpolicy",
        "Screen Saver" => "com.apple.screensaver",
        n if n.starts_with("Wi-Fi") => "com.apple.wifi.managed",
        _ => "com.apple.applicationaccess",
    }
}

fn apple_business_manager(rng: &mut SeededRng, device: &Device, domain: &str) -> Value {
    let Hardware::Mobile(model) = device.hardware else {
        return json!({});
    };
    if device.platform == Platform::AppleTv {
        return json!({});
    }
    let (family, os) = if device.platform == Platform::IPad {
        ("iPad", "iPadOS")
    } else {
        ("iPhone", "iOS")
    };
    let assigned = device.first_enrollment - Duration::days(between(rng, 2, 40));
    json!({
        "model": model.name, "color": if chance(rng, 0.5) { "SILVER" } else { "SPACE GRAY" },
        "description": format!("{} {:.0}GB", model.name.to_uppercase(), model.capacity_gb),
        "serial_number": device.serial,
        "device_family": family, "os": os,
        "device_assigned_date": space_offset(assigned),
        "device_assigned_by": format!("it@{domain}"),
    })
}

fn cellular(device: &Device) -> Value {
    match device.hardware {
        Hardware::Mobile(model) => json!({
            "voice_roaming": false,
            "data_roaming": false,
            "cellular_technology": u8::from(model.cellular),
            "subscriptions": null,
        }),
        Hardware::Mac(_) => json!({}),
    }
}
