//! Compliance rules: pure functions that turn what Kandji reports about a device into a
//! pass/fail verdict per control, the way compliance platforms (Drata first) compute it, but
//! without their known mistakes (see `reference/compliance.md`).
//!
//! Nothing here performs I/O. The GraphQL layer gathers the facts (device list entry, details,
//! library items, apps, the tenant's library) and calls [`evaluate`]; the fleet summary is
//! [`summarize`] over the verdicts.

use chrono::{DateTime, Utc};

/// A control that a compliance platform checks on every Mac.
#[derive(
    async_graphql::Enum,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplianceControl {
    /// FileVault disk encryption: a FileVault library item passing and the disk encrypted.
    DiskEncryption,
    /// The macOS application firewall, enforced by a Firewall library item.
    Firewall,
    /// A passcode policy, enforced by a Passcode library item.
    Passcode,
    /// Screen lock after idle time, enforced by a Screen Saver library item.
    ScreenLock,
    /// Automatic OS updates, enforced by a Managed OS / Software Update library item.
    SoftwareUpdate,
    /// An approved password manager app installed on the Mac.
    PasswordManager,
}

impl ComplianceControl {
    /// Every control, in the order checks are reported.
    pub const ALL: [ComplianceControl; 6] = [
        ComplianceControl::DiskEncryption,
        ComplianceControl::Firewall,
        ComplianceControl::Passcode,
        ComplianceControl::ScreenLock,
        ComplianceControl::SoftwareUpdate,
        ComplianceControl::PasswordManager,
    ];
}

/// The outcome of one control on one device.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    /// The device meets the control.
    Pass,
    /// The device does not meet the control; `reason` says why.
    Fail,
    /// Kandji has no usable answer yet (pending item, no agent, stale or missing data).
    Unknown,
    /// The control does not apply to this device (item excluded or incompatible).
    NotApplicable,
}

/// A device's overall compliance.
#[derive(
    async_graphql::Enum,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ComplianceStatus {
    /// Every check passes (not-applicable checks are ignored).
    Compliant,
    /// At least one check fails.
    NonCompliant,
    /// No check fails but at least one is unknown.
    Unknown,
    /// Not a Mac: compliance platforms only assess macOS computers.
    NotSupported,
}

/// One library item as it appears in a device's library items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceItemFact {
    /// Kandji's `item_id` (the same on every device).
    pub item_id: String,
    /// The item's name as the admin typed it.
    pub name: String,
    /// The status as Kandji sent it (`PASS`, `success`, `ERROR`, `pending`, ...).
    pub status: String,
    /// When the device last reported on the item.
    pub reported_at: Option<DateTime<Utc>>,
    /// The last audit log line, if any.
    pub last_audit_log: Option<String>,
    /// The control log (FileVault writes "Not Encrypted" here under deferred enablement).
    pub control_log: Option<String>,
}

/// One library item that exists in the tenant (on any blueprint).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TenantItemFact {
    /// The library item id.
    pub id: String,
    /// The item's name.
    pub name: String,
}

/// One installed app.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppFact {
    /// The app's display name.
    pub name: String,
    /// The bundle id, when Kandji sent one.
    pub bundle_id: Option<String>,
}

/// What the gateway knows about one device. `None` means the data could not be read (the
/// upstream call failed or the permission is missing); the affected checks become `UNKNOWN`.
#[derive(Debug, Clone, Default)]
pub struct DeviceFacts<'a> {
    /// Whether Kandji reports the device as a Mac (`platform == "Mac"`).
    pub is_mac: bool,
    /// `is_removed` from the device list.
    pub is_removed: bool,
    /// The newer of the agent's and MDM's last check-in.
    pub last_check_in: Option<DateTime<Utc>>,
    /// Whether the Kandji agent is installed.
    pub agent_installed: Option<bool>,
    /// `filevault.filevault_enabled` from the device details.
    pub filevault_enabled: Option<bool>,
    /// The device's library items.
    pub library_items: Option<&'a [DeviceItemFact]>,
    /// The device's installed apps.
    pub apps: Option<&'a [AppFact]>,
}

/// A field the rule read, shown as evidence next to the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Where the value came from, e.g. `details.filevault.filevault_enabled`.
    pub field: String,
    /// The value as read, e.g. `false`.
    pub value: String,
}

/// The verdict on one control for one device.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The control checked.
    pub control: ComplianceControl,
    /// The outcome.
    pub status: CheckStatus,
    /// Whether a library item matching the control exists in the tenant.
    pub item_exists: bool,
    /// Whether that item is among the device's library items.
    pub item_assigned: bool,
    /// Whether the device passes the item; `None` when unknown or not applicable.
    pub device_passing: Option<bool>,
    /// Index into `DeviceFacts::library_items` of the matching item on the device.
    pub library_item: Option<usize>,
    /// Index into the tenant items of the matching item, when it exists in the tenant.
    pub tenant_item: Option<usize>,
    /// Index into `DeviceFacts::apps` of the app that satisfied the control.
    pub installed_app: Option<usize>,
    /// One line a person can act on.
    pub reason: String,
    /// The state fields the rule used.
    pub evidence: Vec<Evidence>,
}

/// The verdict on one device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceVerdict {
    /// The overall status.
    pub status: ComplianceStatus,
    /// One check per control (empty for devices that are not Macs).
    pub checks: Vec<CheckResult>,
    /// Whether the last check-in is older than the staleness limit.
    pub stale: bool,
    /// Whether summaries count this device (removed devices are left out).
    pub counted: bool,
}

mod disk_encryption;
#[cfg(test)]
mod fixtures;
mod item_status;
mod library_items;
mod matching;
mod password_manager_apps;
mod password_managers;
mod rules;
mod settings;
mod summary;
mod unassigned;
mod validation;

pub use rules::evaluate;
pub use settings::{ComplianceSettings, ControlRule, PasswordManagerRule};
pub use summary::{ControlCounts, FleetSummary, summarize};

/// Whether a library item (by id and name) is the one some item-based control looks for:
/// lets the gateway fetch fleet-wide statuses for just those items.
pub fn enforces_a_control(settings: &ComplianceSettings, id: &str, name: &str) -> bool {
    ComplianceControl::ALL
        .iter()
        .filter(|c| **c != ComplianceControl::PasswordManager)
        .any(|c| matching::item_matches(&settings.rule(*c), id, name))
}
