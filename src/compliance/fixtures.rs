//! Realistic device facts shared by the compliance unit tests, so each test states only the
//! one fact it changes. Names, ids and statuses follow Kandji's published examples.

use chrono::{DateTime, TimeDelta, Utc};

use super::{AppFact, CheckResult, DeviceFacts, DeviceItemFact, TenantItemFact};

/// The fixed "current time" of every test: 2025-06-02 12:00 UTC.
pub(crate) fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-06-02T12:00:00Z")
        .expect("valid timestamp")
        .with_timezone(&Utc)
}

/// A library item as a device reports it, seen an hour ago.
pub(crate) fn item(item_id: &str, name: &str, status: &str) -> DeviceItemFact {
    DeviceItemFact {
        item_id: item_id.to_string(),
        name: name.to_string(),
        status: status.to_string(),
        reported_at: Some(now() - TimeDelta::hours(1)),
        last_audit_log: None,
        control_log: None,
    }
}

/// The tenant's library from `(id, name)` pairs.
pub(crate) fn tenant(items: &[(&str, &str)]) -> Vec<TenantItemFact> {
    items
        .iter()
        .map(|(id, name)| TenantItemFact {
            id: id.to_string(),
            name: name.to_string(),
        })
        .collect()
}

/// An installed app.
pub(crate) fn app(name: &str, bundle_id: Option<&str>) -> AppFact {
    AppFact {
        name: name.to_string(),
        bundle_id: bundle_id.map(str::to_string),
    }
}

/// The library items of a well-managed Mac: every item-based control passes. One Passcode
/// item named for the screen saver too covers both PASSCODE and SCREEN_LOCK.
pub(crate) fn passing_items() -> Vec<DeviceItemFact> {
    vec![
        item("fv-0001", "FileVault", "success"),
        item("fw-0001", "Firewall", "PASS"),
        item("pc-0001", "Passcode & Screen Saver", "success"),
        item("os-0001", "Managed OS for macOS 15", "PASS"),
    ]
}

/// An app list with Safari and 1Password 8.
pub(crate) fn apps_with_1password() -> Vec<AppFact> {
    vec![
        app("Safari", Some("com.apple.Safari")),
        app("1Password", Some("com.1password.1password")),
    ]
}

/// A Mac with the agent, an encrypted disk, a check-in an hour ago, and the given data.
pub(crate) fn mac<'a>(items: &'a [DeviceItemFact], apps: &'a [AppFact]) -> DeviceFacts<'a> {
    DeviceFacts {
        is_mac: true,
        is_removed: false,
        last_check_in: Some(now() - TimeDelta::hours(1)),
        agent_installed: Some(true),
        filevault_enabled: Some(true),
        library_items: Some(items),
        apps: Some(apps),
    }
}

/// The value recorded for `field` in a check's evidence.
pub(crate) fn evidence<'c>(check: &'c CheckResult, field: &str) -> Option<&'c str> {
    check
        .evidence
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.value.as_str())
}
