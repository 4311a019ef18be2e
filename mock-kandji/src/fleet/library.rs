//! A device's library item statuses (`/devices/{id}/library-items`,
//! `/status` and the fleet-wide `/library/library-items/{id}/status`),
//! derived per (device, item) so every endpoint tells the same story.
//!
//! Compliance items pass unless the device was dealt a situation naming
//! that item. Profiles report `success`/`failed`/`pending`; everything else
//! `PASS`/`ERROR`/`PENDING`/`AVAILABLE`/`EXCLUDED`/`INCOMPATIBLE`/...

use chrono::{DateTime, Duration, Utc};
use rand::seq::IndexedRandom;
use serde::Serialize;

use super::devices::{Device, Situation};
use super::draw::{between, weighted};
use super::library_catalog::Control;
use super::tenant::{LibraryItem, Tenant};
use super::timefmt::iso_z;
use crate::seed::{SeededRng, mix, rng_for, salt};

/// One item's state on one device.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemState {
    /// Kandji's status string, case as sent.
    pub status: &'static str,
    /// When the device last reported on it.
    pub reported_at: Option<DateTime<Utc>>,
    /// Install log.
    pub log: Option<String>,
    /// Last audit time (agent items only).
    pub last_audit_run: Option<DateTime<Utc>>,
    /// Audit output.
    pub last_audit_log: Option<String>,
    /// What the profile's payload reported (FileVault).
    pub control_log: Option<String>,
}

/// `{id, name}` reference inside a row.
#[derive(Debug, Serialize)]
pub struct Ref<'a> {
    /// UUID.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
}

/// One row of `library_items`, field for field as Kandji sends it.
#[derive(Debug, Serialize)]
pub struct LibraryItemRow<'a> {
    /// Int, unique per (device, item).
    pub id: u64,
    /// Status string.
    pub status: &'static str,
    /// ISO or null.
    pub reported_at: Option<String>,
    /// Log or null.
    pub log: Option<String>,
    /// ISO or null.
    pub last_audit_run: Option<String>,
    /// Audit log or null.
    pub last_audit_log: Option<String>,
    /// Profile control output or null.
    pub control_log: Option<String>,
    /// ISO or null.
    pub control_reported_at: Option<String>,
    /// The library item's UUID.
    pub item_id: &'a str,
    /// Item name.
    pub name: &'static str,
    /// Item type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The device.
    pub computer: Ref<'a>,
    /// The device's blueprint.
    pub blueprint: Ref<'a>,
    /// Assignment rules on the item.
    pub rules_present: bool,
}

/// The row id for an item on a device: stable and unique per tenant.
pub fn row_id(device: &Device, item: &LibraryItem) -> u64 {
    100_000 + device.index as u64 * 64 + item.index as u64
}

/// The items on the device's blueprint, in blueprint order.
pub fn device_items<'t>(
    tenant: &'t Tenant,
    device: &Device,
) -> impl Iterator<Item = &'t LibraryItem> {
    tenant.blueprints[device.blueprint]
        .items
        .iter()
        .map(|&i| &tenant.items[i])
}

/// The status of `item` on `device`.
pub fn item_state(device: &Device, item: &LibraryItem) -> ItemState {
    let mut rng = rng_for(mix(device.seed, item.index as u64), salt::LIBRARY);
    let template = item.template;
    let profile = template.is_profile();
    let affected = device.affected_item == Some(item.index);

    let status: &'static str = match device.situation {
        Situation::ItemFailed if affected => {
            if profile {
                "failed"
            } else {
                "ERROR"
            }
        }
        Situation::ItemPending if affected => {
            if profile {
                "pending"
            } else {
                pick(&mut rng, &["PENDING", "INSTALLING", "DOWNLOADING"])
            }
        }
        Situation::UpdateAvailable if affected => "AVAILABLE",
        Situation::ItemExcluded if affected => pick(&mut rng, &["EXCLUDED", "INCOMPATIBLE"]),
        _ if !template.controls.is_empty() => {
            if profile {
                "success"
            } else {
                "PASS"
            }
        }
        _ if template.self_service => pick_weighted(&mut rng, &[("AVAILABLE", 70), ("PASS", 30)]),
        _ if device.is_mac() && !device.agent_installed && !profile => "PENDING",
        _ if profile => pick_weighted(&mut rng, &[("success", 93), ("pending", 4), ("failed", 3)]),
        _ => pick_weighted(
            &mut rng,
            &[
                ("PASS", 82),
                ("PENDING", 4),
                ("INSTALLING", 2),
                ("DOWNLOADING", 2),
                ("CACHED", 1),
                ("ERROR", 4),
                ("INCOMPATIBLE", 2),
                ("EXCLUDED", 3),
            ],
        ),
    };

    // Items waiting on the device or on the user have never reported.
    let reported_at = match status {
        "PENDING" | "pending" | "AVAILABLE" => None,
        _ => {
            let reported = device.last_check_in - Duration::minutes(between(&mut rng, 1, 600));
            Some(reported.max(device.last_enrollment))
        }
    };
    let agent_item = !profile && template.kind != "macos-release";
    let (log, last_audit_log) = logs(template.name, template.kind, status, device);
    // The FileVault profile reports the disk's state, which can lag the
    // profile's own `success` (deferred enablement).
    let control_log = template
        .controls
        .contains(&Control::DiskEncryption)
        .then(|| {
            if device.filevault_enabled == Some(true) {
                "Disk Encryption Status: Encrypted".to_owned()
            } else {
                concat!(
                    "Disk Encryption Status: Not Encrypted\n",
                    "FileVault enablement is deferred until the user next logs out."
                )
                .to_owned()
            }
        })
        .filter(|_| reported_at.is_some());

    ItemState {
        status,
        reported_at,
        log,
        last_audit_run: reported_at.filter(|_| agent_item && matches!(status, "PASS" | "ERROR")),
        last_audit_log: last_audit_log.filter(|_| agent_item || template.kind == "macos-release"),
        control_log,
    }
}

/// The full row for `/library-items` and the fleet-wide status endpoint.
pub fn row<'a>(
    tenant: &'a Tenant,
    device: &'a Device,
    item: &'a LibraryItem,
) -> LibraryItemRow<'a> {
    let state = item_state(device, item);
    let blueprint = &tenant.blueprints[device.blueprint];
    LibraryItemRow {
        id: row_id(device, item),
        status: state.status,
        reported_at: state.reported_at.map(iso_z),
        log: state.log,
        last_audit_run: state.last_audit_run.map(iso_z),
        last_audit_log: state.last_audit_log,
        control_reported_at: state.control_log.as_ref().and(state.reported_at).map(iso_z),
        control_log: state.control_log,
        item_id: &item.id,
        name: item.template.name,
        kind: item.template.kind,
        computer: Ref {
            id: &device.id,
            name: &device.name,
        },
        blueprint: Ref {
            id: &blueprint.id,
            name: blueprint.plan.name,
        },
        rules_present: item.template.self_service,
    }
}

fn logs(name: &str, kind: &str, status: &str, device: &Device) -> (Option<String>, Option<String>) {
    match (kind, status) {
        ("profile", "failed") => (
            Some(format!(
                "The profile \"{name}\" could not be installed: MDM error 12021."
            )),
            None,
        ),
        ("profile", _) => (None, None),
        ("macos-release", "PASS") => (
            None,
            Some(format!(
                "macOS {} is installed, which meets the enforced minimum version.",
                device.os.version
            )),
        ),
        ("macos-release", "AVAILABLE") => (
            None,
            Some(format!(
                "macOS {} is installed; a newer version will be enforced after the deadline.",
                device.os.version
            )),
        ),
        ("macos-release", "ERROR") => (
            None,
            Some("The update could not be installed: not enough free disk space.".to_owned()),
        ),
        ("macos-release", _) => (None, None),
        ("custom-script", "PASS") => (
            Some(format!("Executing {name}...\nExit code: 0")),
            Some("Executing audit script...\nScript exited with status 0.".to_owned()),
        ),
        ("custom-script", "ERROR") => (
            Some(format!("Executing {name}...\nExit code: 1")),
            Some("Executing audit script...\nScript exited with non-zero status.".to_owned()),
        ),
        (_, "PASS") => (
            Some(format!(
                concat!(
                    "Downloading {name}\nCompleted download in six seconds.\n",
                    "Installing {name}\nCompleted package installation in eight seconds."
                ),
                name = name
            )),
            Some(format!("{name} is installed and up to date.")),
        ),
        (_, "ERROR") => (
            Some(format!(
                "Downloading {name}\nThe download failed: the server answered 403."
            )),
            Some(format!("{name} is not installed.")),
        ),
        _ => (None, None),
    }
}

fn pick(rng: &mut SeededRng, options: &[&'static str]) -> &'static str {
    options.choose(rng).copied().unwrap_or("PENDING")
}

fn pick_weighted(rng: &mut SeededRng, options: &[(&'static str, u32)]) -> &'static str {
    weighted(rng, options, |(_, w)| *w).0
}

/// The blueprint parameters on a Mac and their statuses; empty elsewhere.
pub fn device_parameters(tenant: &Tenant, device: &Device) -> Vec<(usize, &'static str)> {
    if !device.is_mac() {
        return Vec::new();
    }
    let mut rng = rng_for(device.seed, salt::PARAMETERS);
    tenant.blueprints[device.blueprint]
        .parameters
        .iter()
        .map(|&(parameter, muted)| {
            let status = match pick_weighted(
                &mut rng,
                &[
                    ("PASS", 88),
                    ("REMEDIATED", 6),
                    ("ERROR", 4),
                    ("INCOMPATIBLE", 2),
                ],
            ) {
                _ if !device.agent_installed => "PENDING",
                "ERROR" if muted => "WARNING",
                other => other,
            };
            (parameter, status)
        })
        .collect()
}
