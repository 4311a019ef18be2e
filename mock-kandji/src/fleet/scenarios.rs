//! `GET /__mock/scenarios`: which devices are in which situation, so gateway
//! tests can pick "a Mac whose FileVault profile passes on an unencrypted
//! disk" by name instead of by hard-coded id.
//!
//! The lists are computed from the same derived data the API serves (item
//! statuses, apps, FileVault state), not from what was dealt, so they stay
//! true to the responses. Every list except `mobile` holds Macs only.

use std::collections::BTreeMap;

use chrono::Duration;
use serde::Serialize;

use super::app_catalog::PASSWORD_MANAGERS;
use super::apps::device_apps;
use super::devices::Device;
use super::library::{device_items, item_state};
use super::library_catalog::Control;
use super::tenant::Tenant;
use crate::host::Region;

/// A check-in older than this is stale.
pub const STALE_AFTER_DAYS: i64 = 7;

/// Scenario name to device ids.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Scenarios(pub BTreeMap<&'static str, Vec<String>>);

/// How a Mac's apps satisfy the password manager check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PmMatch {
    Bundle,
    NameOnly,
    Absent,
}

/// What a compliance platform would find on one Mac.
struct MacFacts {
    fresh: bool,
    /// Per control: statuses of the assigned matching items (empty: none assigned).
    controls: BTreeMap<Control, Vec<&'static str>>,
    /// Controls some tenant item covers.
    available: Vec<Control>,
    filevault_on: bool,
    pm: PmMatch,
}

fn passing(status: &str) -> bool {
    matches!(status, "PASS" | "success")
}

fn facts(tenant: &Tenant, device: &Device) -> MacFacts {
    let mut controls: BTreeMap<Control, Vec<&'static str>> =
        Control::ALL.iter().map(|c| (*c, Vec::new())).collect();
    for item in device_items(tenant, device) {
        let status = item_state(device, item).status;
        for control in item.template.controls {
            controls.entry(*control).or_default().push(status);
        }
    }
    let available = Control::ALL
        .into_iter()
        .filter(|c| tenant.items.iter().any(|i| i.template.controls.contains(c)))
        .collect();

    let apps = device_apps(device);
    let by_bundle = apps
        .iter()
        .any(|a| PASSWORD_MANAGERS.iter().any(|p| p.bundle_id == a.bundle_id));
    let by_name = apps.iter().any(|a| {
        PASSWORD_MANAGERS
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&a.app_name))
    });
    let pm = match (by_bundle, by_name) {
        (true, _) => PmMatch::Bundle,
        (false, true) => PmMatch::NameOnly,
        _ => PmMatch::Absent,
    };

    MacFacts {
        fresh: tenant.now - device.last_check_in <= Duration::days(STALE_AFTER_DAYS),
        controls,
        available,
        filevault_on: device.filevault_enabled == Some(true),
        pm,
    }
}

impl MacFacts {
    fn any_item(&self, test: impl Fn(&str) -> bool) -> bool {
        self.controls.values().flatten().any(|s| test(s))
    }

    /// Compliant on every control except, optionally, screen lock.
    fn compliant(&self, device: &Device, skip_screen_lock: bool) -> bool {
        let items_pass = self
            .controls
            .iter()
            .filter(|(c, _)| !(skip_screen_lock && **c == Control::ScreenLock))
            .all(|(_, statuses)| !statuses.is_empty() && statuses.iter().all(|s| passing(s)));
        !device.is_removed
            && self.fresh
            && device.agent_installed
            && items_pass
            && self.filevault_on
            && self.pm == PmMatch::Bundle
    }
}

impl Scenarios {
    /// Computes every list for a tenant.
    pub fn compute(tenant: &Tenant) -> Scenarios {
        let mut lists: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let eu = tenant.key.region == Region::Eu;
        let mut names = vec![
            "compliant",
            "filevault_profile_success_disk_unencrypted",
            "item_not_assigned",
            "item_failed",
            "item_pending",
            "software_update_available",
            "item_excluded",
            "no_password_manager",
            "password_manager_name_only",
            "no_agent",
            "stale_check_in",
            "unassigned",
            "missing",
            "removed",
            "mobile",
        ];
        if eu {
            names.push("compliant_except_screen_lock");
        }
        for name in names {
            lists.insert(name, Vec::new());
        }

        for device in &tenant.devices {
            let mut add =
                |name: &'static str| lists.entry(name).or_default().push(device.id.clone());
            if !device.is_mac() {
                add("mobile");
                continue;
            }
            let f = facts(tenant, device);
            let filevault_success = f.controls[&Control::DiskEncryption].contains(&"success");
            let checks: [(&'static str, bool); 15] = [
                ("compliant", f.compliant(device, false)),
                (
                    "compliant_except_screen_lock",
                    eu && f.compliant(device, true),
                ),
                (
                    "filevault_profile_success_disk_unencrypted",
                    filevault_success && !f.filevault_on,
                ),
                (
                    "item_not_assigned",
                    f.available.iter().any(|c| f.controls[c].is_empty()),
                ),
                (
                    "item_failed",
                    f.any_item(|s| matches!(s, "failed" | "ERROR")),
                ),
                (
                    "item_pending",
                    f.any_item(|s| {
                        matches!(
                            s,
                            "pending" | "PENDING" | "INSTALLING" | "DOWNLOADING" | "CACHED"
                        )
                    }),
                ),
                (
                    "software_update_available",
                    f.controls[&Control::SoftwareUpdate].contains(&"AVAILABLE"),
                ),
                (
                    "item_excluded",
                    f.any_item(|s| matches!(s, "EXCLUDED" | "INCOMPATIBLE")),
                ),
                (
                    "no_password_manager",
                    device.agent_installed && f.pm == PmMatch::Absent,
                ),
                ("password_manager_name_only", f.pm == PmMatch::NameOnly),
                ("no_agent", !device.agent_installed),
                ("stale_check_in", !f.fresh),
                ("unassigned", device.user.is_none()),
                ("missing", device.is_missing),
                ("removed", device.is_removed),
            ];
            for (name, holds) in checks {
                if holds {
                    add(name);
                }
            }
        }
        Scenarios(lists)
    }
}
