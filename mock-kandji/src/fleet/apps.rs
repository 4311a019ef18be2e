//! A device's installed applications (`GET /devices/{id}/apps` and Prism
//! `apps`), derived from the device's seed on every call.
//!
//! Macs with the agent list 40 to 80 apps: macOS's own, Kandji Self
//! Service, a draw of third-party apps and, on most, a password manager.
//! Macs without the agent list a short MDM-only set. iPhones and iPads list
//! App Store apps only, with UUID ids and "True"/"False" vendability.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::app_catalog::{
    APPLE_APPS, APPLE_PASSWORDS, MOBILE_APPS, PASSWORD_MANAGERS, SELF_SERVICE, THIRD_PARTY_APPS,
    TV_APPS,
};
use super::blueprint_catalog::ENGINEERING_BLUEPRINT;
use super::devices::{Device, PasswordManager, Platform};
use super::draw::{between, chance};
use super::timefmt::iso_micros_z;
use crate::seed::{SeededRng, hash_str, rng_for, salt, uuid};

/// One entry of `apps`, field for field as Kandji sends it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InstalledApp {
    /// Numeric string on Macs, UUID on iOS.
    pub app_id: String,
    /// Display name.
    pub app_name: String,
    /// Bundle identifier.
    pub bundle_id: String,
    /// Size in bytes, as a string.
    pub bundle_size: String,
    /// `""` on Macs, `"True"`/`"False"` on iOS.
    pub app_store_vendable: &'static str,
    /// `""` on Macs, `"True"`/`"False"` on iOS.
    pub device_based_vpp: &'static str,
    /// "Apple", "App Store", "Identified Developer"; `""` on iOS.
    pub source: &'static str,
    /// Process name; `""` on iOS.
    pub process: String,
    /// Code signature; usually `""`.
    pub signature: &'static str,
    /// ISO date; `""` on iOS.
    pub creation_date: String,
    /// ISO date; `""` on iOS.
    pub modification_date: String,
    /// Install path; `""` on iOS.
    pub path: String,
    /// Version string.
    pub version: String,
}

/// The device's apps, sorted by name as Kandji sorts them.
pub fn device_apps(device: &Device) -> Vec<InstalledApp> {
    let mut rng = rng_for(device.seed, salt::APPS);
    let mut apps = match device.platform {
        Platform::Mac => mac_apps(&mut rng, device),
        Platform::IPhone | Platform::IPad => mobile_apps(&mut rng, MOBILE_APPS, 2, 8),
        Platform::AppleTv => mobile_apps(&mut rng, TV_APPS, 0, 2),
    };
    apps.sort_by(
        |a, b| match a.app_name.to_lowercase().cmp(&b.app_name.to_lowercase()) {
            Ordering::Equal => a.bundle_id.cmp(&b.bundle_id),
            other => other,
        },
    );

    // Mac app ids are small integers, unique within the tenant.
    if device.is_mac() {
        for (position, app) in apps.iter_mut().enumerate() {
            app.app_id = (device.index * 200 + position + 1).to_string();
        }
    }
    apps
}

struct MacEntry<'a> {
    name: &'a str,
    bundle_id: &'a str,
    version: &'a str,
    source: &'static str,
    path: String,
    size: u64,
}

fn mac_apps(rng: &mut SeededRng, device: &Device) -> Vec<InstalledApp> {
    let mut entries: Vec<MacEntry<'_>> = Vec::new();
    let macos_15 = device.os.version.starts_with("15.");
    let apple = APPLE_APPS
        .iter()
        .chain(macos_15.then_some(&APPLE_PASSWORDS));
    let mdm_only = !device.agent_installed;

    for &(name, bundle_id, folder, version) in apple {
        // Without the agent only a handful of Apple apps are reported.
        if mdm_only && !chance(rng, 0.2) {
            continue;
        }
        let path = match (name, folder) {
            ("Safari", _) => "/Applications/Safari.app".to_owned(),
            (_, "") => format!("/System/Applications/{name}.app"),
            (_, folder) => format!("/System/Applications/{folder}/{name}.app"),
        };
        let size = 1_000_000 + hash_str(name) % 90_000_000;
        entries.push(MacEntry {
            name,
            bundle_id,
            version,
            source: "Apple",
            path,
            size,
        });
    }

    let engineering = device.blueprint == ENGINEERING_BLUEPRINT;
    let extra = if mdm_only {
        3
    } else {
        between(rng, 8, 36) as usize
    };
    let mut third_party: Vec<_> = THIRD_PARTY_APPS
        .iter()
        .filter(|app| {
            let weight = if app.dev && !engineering {
                app.weight / 8
            } else {
                app.weight
            };
            chance(rng, f64::from(weight) / 100.0)
        })
        .collect();
    third_party.truncate(extra);
    if device.agent_installed {
        third_party.push(&SELF_SERVICE);
    }
    for app in third_party {
        let path = format!("/Applications/{}.app", app.name);
        entries.push(MacEntry {
            name: app.name,
            bundle_id: app.bundle_id,
            version: app.version,
            source: app.source,
            path,
            size: app.size,
        });
    }

    let pm = match device.password_manager {
        PasswordManager::ByBundle(i) => {
            Some((&PASSWORD_MANAGERS[i], PASSWORD_MANAGERS[i].bundle_id))
        }
        PasswordManager::ByNameOnly(i) => {
            Some((&PASSWORD_MANAGERS[i], PASSWORD_MANAGERS[i].odd_bundle_id))
        }
        PasswordManager::Absent => None,
    };
    // Without the agent the inventory comes from MDM, which does not see apps installed
    // outside the App Store: the password manager is there but Kandji cannot tell.
    if let Some((product, bundle_id)) = pm.filter(|_| !mdm_only) {
        let path = format!("/Applications/{}.app", product.name);
        entries.push(MacEntry {
            name: product.name,
            bundle_id,
            version: product.version,
            source: "Identified Developer",
            path,
            size: 250_000_000,
        });
    }

    entries
        .into_iter()
        .map(|e| {
            let seen = seen_at(rng, device);
            InstalledApp {
                app_id: String::new(),
                app_name: e.name.to_owned(),
                bundle_id: e.bundle_id.to_owned(),
                bundle_size: e.size.to_string(),
                app_store_vendable: "",
                device_based_vpp: "",
                source: e.source,
                process: e.name.to_owned(),
                signature: "",
                creation_date: iso_micros_z(seen),
                modification_date: iso_micros_z(seen + Duration::microseconds(between(rng, 5, 40))),
                path: e.path,
                version: e.version.to_owned(),
            }
        })
        .collect()
}

/// When the inventory first saw an app: between enrolment and last check-in.
fn seen_at(rng: &mut SeededRng, device: &Device) -> DateTime<Utc> {
    let span = (device.last_check_in - device.last_enrollment)
        .num_seconds()
        .max(1);
    device.last_enrollment
        + Duration::seconds(between(rng, 0, span))
        + Duration::microseconds(between(rng, 0, 999_999))
}

fn mobile_apps(
    rng: &mut SeededRng,
    catalog: &[(&str, &str, &str, u64)],
    low: i64,
    high: i64,
) -> Vec<InstalledApp> {
    let wanted = between(rng, low, high) as usize;
    let picked: Vec<_> = catalog
        .iter()
        .filter(|_| chance(rng, 0.6))
        .take(wanted)
        .collect();
    picked
        .into_iter()
        .map(|&(name, bundle_id, version, size)| {
            let vendable = chance(rng, 0.3);
            InstalledApp {
                app_id: uuid(rng),
                app_name: name.to_owned(),
                bundle_id: bundle_id.to_owned(),
                bundle_size: size.to_string(),
                app_store_vendable: if vendable { "True" } else { "False" },
                device_based_vpp: if vendable { "False" } else { "True" },
                source: "",
                process: String::new(),
                signature: "",
                creation_date: String::new(),
                modification_date: String::new(),
                path: String::new(),
                version: version.to_owned(),
            }
        })
        .collect()
}
