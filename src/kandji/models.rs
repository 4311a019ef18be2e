//! Typed models of the Kandji responses the gateway reads.
//!
//! Every field is optional or defaulted: keys come and go with the platform (Mac, iPhone, iPad,
//! Apple TV, Windows, Android) and with the API's age, and an unexpected `null` in one field must
//! not lose the whole device. The quirks are handled by the deserialisers in [`super::de`].
//!
//! Per-device values are cached for thousands of devices, so the text that devices repeat (app
//! names, bundle ids, versions, paths, library item names and statuses, blueprint references,
//! hardware names) is a [`SharedStr`]: one copy per distinct value, a pointer per use. Values
//! unique to a device (serial numbers, UDIDs, app ids, free space) stay `String`s.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::SharedStr;
use super::de::{
    flex_bool, flex_datetime, flex_id, flex_shared, flex_shared_id, flex_string, list_or_null,
    object_or_empty,
};

/// One entry of `GET /devices` (also the body of `GET /devices/{id}`).
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceRecord {
    /// The device's UUID.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// The device's name.
    #[serde(deserialize_with = "flex_id")]
    pub device_name: String,
    /// The marketing model name.
    #[serde(deserialize_with = "flex_string")]
    pub model: Option<String>,
    /// The serial number.
    #[serde(deserialize_with = "flex_string")]
    pub serial_number: Option<String>,
    /// `Mac`, `iPhone`, `iPad`, `AppleTV`, `Windows` or `Android`.
    #[serde(deserialize_with = "flex_id")]
    pub platform: String,
    /// The OS version, e.g. `14.4.1`.
    #[serde(deserialize_with = "flex_string")]
    pub os_version: Option<String>,
    /// The OS build, e.g. `23E224`.
    #[serde(deserialize_with = "flex_string")]
    pub supplemental_build_version: Option<String>,
    /// The last check-in.
    #[serde(deserialize_with = "flex_datetime")]
    pub last_check_in: Option<DateTime<Utc>>,
    /// The assigned user; Kandji sends `""` when nobody is assigned.
    #[serde(deserialize_with = "object_or_empty")]
    pub user: Option<DeviceUser>,
    /// The asset tag (`""` when none).
    #[serde(deserialize_with = "flex_string")]
    pub asset_tag: Option<String>,
    /// The blueprint's UUID.
    #[serde(deserialize_with = "flex_string")]
    pub blueprint_id: Option<String>,
    /// The blueprint's name.
    #[serde(deserialize_with = "flex_string")]
    pub blueprint_name: Option<String>,
    /// Whether MDM is enabled.
    #[serde(deserialize_with = "flex_bool")]
    pub mdm_enabled: Option<bool>,
    /// Whether the Kandji agent is installed.
    #[serde(deserialize_with = "flex_bool")]
    pub agent_installed: Option<bool>,
    /// Whether Kandji marks the device missing.
    #[serde(deserialize_with = "flex_bool")]
    pub is_missing: Option<bool>,
    /// Whether the device was removed from Kandji.
    #[serde(deserialize_with = "flex_bool")]
    pub is_removed: Option<bool>,
    /// The agent version, e.g. `4.5.9 (5160)`.
    #[serde(deserialize_with = "flex_string")]
    pub agent_version: Option<String>,
    /// First enrolment.
    #[serde(deserialize_with = "flex_datetime")]
    pub first_enrollment: Option<DateTime<Utc>>,
    /// Last enrolment.
    #[serde(deserialize_with = "flex_datetime")]
    pub last_enrollment: Option<DateTime<Utc>>,
    /// Tag names (absent in 2022 recordings).
    #[serde(deserialize_with = "list_or_null")]
    pub tags: Vec<String>,
}

/// The user embedded in a device entry.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceUser {
    /// The user's id: a UUID today, an integer in 2022-2023 recordings.
    #[serde(deserialize_with = "flex_id")]
    pub id: String,
    /// Display name.
    #[serde(deserialize_with = "flex_string")]
    pub name: Option<String>,
    /// Email address.
    #[serde(deserialize_with = "flex_string")]
    pub email: Option<String>,
    /// Whether the user is archived.
    #[serde(deserialize_with = "flex_bool")]
    pub is_archived: Option<bool>,
}

/// `GET /devices/{id}/details`. Only the sections the gateway uses are modelled.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceDetails {
    /// General facts.
    pub general: DetailsGeneral,
    /// MDM state.
    pub mdm: DetailsMdm,
    /// FileVault state (Mac only; `filevault_enabled` is `null` elsewhere).
    pub filevault: DetailsFileVault,
    /// Kandji agent state.
    pub kandji_agent: DetailsAgent,
    /// Hardware.
    pub hardware_overview: DetailsHardware,
    /// Volumes.
    #[serde(deserialize_with = "list_or_null")]
    pub volumes: Vec<DetailsVolume>,
    /// Security facts.
    pub security_information: DetailsSecurity,
    /// Activation lock state.
    pub activation_lock: DetailsActivationLock,
    /// Recovery lock and firmware password state.
    pub recovery_information: DetailsRecovery,
}

/// `details.general`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsGeneral {
    /// `"14.4.1 (23E224)"` on macOS, `""` on iOS.
    #[serde(deserialize_with = "flex_shared")]
    pub system_version: Option<SharedStr>,
    /// Boot volume name.
    #[serde(deserialize_with = "flex_shared")]
    pub boot_volume: Option<SharedStr>,
    /// Human text such as "18 minutes ago".
    #[serde(deserialize_with = "flex_shared")]
    pub time_since_boot: Option<SharedStr>,
    /// Last local user to log in.
    #[serde(deserialize_with = "flex_string")]
    pub last_user: Option<String>,
}

/// `details.mdm`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsMdm {
    /// `"True"`/`"False"` on the wire.
    #[serde(deserialize_with = "flex_bool")]
    pub mdm_enabled: Option<bool>,
    /// `"True"`/`"False"` on the wire.
    #[serde(deserialize_with = "flex_bool")]
    pub supervised: Option<bool>,
    /// MDM profile installation time.
    #[serde(deserialize_with = "flex_datetime")]
    pub install_date: Option<DateTime<Utc>>,
    /// The MDM's last check-in.
    #[serde(deserialize_with = "flex_datetime")]
    pub last_check_in: Option<DateTime<Utc>>,
}

/// `details.filevault`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsFileVault {
    /// Whether the disk is encrypted; `null` on non-Macs.
    #[serde(deserialize_with = "flex_bool")]
    pub filevault_enabled: Option<bool>,
    /// `Personal` or `""`.
    #[serde(deserialize_with = "flex_shared")]
    pub filevault_recoverykey_type: Option<SharedStr>,
    /// Whether the personal recovery key is escrowed to Kandji.
    #[serde(deserialize_with = "flex_bool")]
    pub filevault_prk_escrowed: Option<bool>,
    /// Whether the recovery key must be regenerated.
    #[serde(deserialize_with = "flex_bool")]
    pub filevault_regen_required: Option<bool>,
}

/// `details.kandji_agent`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsAgent {
    /// `"True"`/`"False"` on Apple devices, `is_agent_installed` on Windows.
    #[serde(deserialize_with = "flex_bool", alias = "is_agent_installed")]
    pub agent_installed: Option<bool>,
    /// Agent installation time.
    #[serde(deserialize_with = "flex_datetime")]
    pub install_date: Option<DateTime<Utc>>,
    /// The agent's last check-in.
    #[serde(deserialize_with = "flex_datetime", alias = "last_check_in_datetime")]
    pub last_check_in: Option<DateTime<Utc>>,
    /// Agent version.
    #[serde(deserialize_with = "flex_shared", alias = "version")]
    pub agent_version: Option<SharedStr>,
}

/// `details.hardware_overview`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsHardware {
    /// e.g. "MacBook Air".
    #[serde(deserialize_with = "flex_shared")]
    pub model_name: Option<SharedStr>,
    /// e.g. "MacBookAir10,1".
    #[serde(deserialize_with = "flex_shared")]
    pub model_identifier: Option<SharedStr>,
    /// e.g. "Apple M1".
    #[serde(deserialize_with = "flex_shared")]
    pub processor_name: Option<SharedStr>,
    /// Sent as a string.
    #[serde(deserialize_with = "flex_shared")]
    pub total_number_of_cores: Option<SharedStr>,
    /// e.g. "8 GB".
    #[serde(deserialize_with = "flex_shared")]
    pub memory: Option<SharedStr>,
    /// Hardware serial number.
    #[serde(deserialize_with = "flex_string")]
    pub serial_number: Option<String>,
    /// The UDID (`uuid` on iOS).
    #[serde(deserialize_with = "flex_string", alias = "uuid")]
    pub udid: Option<String>,
}

/// One entry of `details.volumes`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsVolume {
    /// Volume name.
    #[serde(deserialize_with = "flex_shared")]
    pub name: Option<SharedStr>,
    /// e.g. "APFS (Encrypted)".
    #[serde(deserialize_with = "flex_shared")]
    pub format: Option<SharedStr>,
    /// e.g. "228.27 GB".
    #[serde(deserialize_with = "flex_shared")]
    pub capacity: Option<SharedStr>,
    /// e.g. "210.93 GB" (nearly unique per device: not shared).
    #[serde(deserialize_with = "flex_string")]
    pub available: Option<String>,
    /// e.g. "9%".
    #[serde(deserialize_with = "flex_shared")]
    pub percent_used: Option<SharedStr>,
    /// `"Yes"`/`"No"`/`""` on the wire.
    #[serde(deserialize_with = "flex_bool")]
    pub encrypted: Option<bool>,
}

/// `details.security_information`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsSecurity {
    /// Whether Remote Desktop is on (`null` when unknown).
    #[serde(deserialize_with = "flex_bool")]
    pub remote_desktop_enabled: Option<bool>,
}

/// `details.activation_lock`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsActivationLock {
    /// Device activation lock.
    #[serde(deserialize_with = "flex_bool")]
    pub device_activation_lock_enabled: Option<bool>,
    /// User activation lock (`null` when unknown).
    #[serde(deserialize_with = "flex_bool")]
    pub user_activation_lock_enabled: Option<bool>,
}

/// `details.recovery_information`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DetailsRecovery {
    /// Recovery lock.
    #[serde(deserialize_with = "flex_bool")]
    pub recovery_lock_enabled: Option<bool>,
    /// Firmware password set.
    #[serde(deserialize_with = "flex_bool")]
    pub firmware_password_exist: Option<bool>,
}

/// `GET /devices/{id}/apps`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceApps {
    /// The device.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// The apps.
    #[serde(deserialize_with = "list_or_null")]
    pub apps: Vec<AppRecord>,
}

/// One installed app (Mac, iOS, Windows and Android field names accepted).
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct AppRecord {
    /// A numeric string on Mac, a UUID on iOS; absent on Windows/Android.
    #[serde(deserialize_with = "flex_string")]
    pub app_id: Option<String>,
    /// The app's name (`display_name` on Windows and Android).
    #[serde(deserialize_with = "flex_shared", alias = "display_name")]
    pub app_name: Option<SharedStr>,
    /// The bundle id (`package_name` on Android).
    #[serde(deserialize_with = "flex_shared", alias = "package_name")]
    pub bundle_id: Option<SharedStr>,
    /// The version (`version_name` on Android).
    #[serde(deserialize_with = "flex_shared", alias = "version_name")]
    pub version: Option<SharedStr>,
    /// Install path (`installed_path` on Windows).
    #[serde(deserialize_with = "flex_shared", alias = "installed_path")]
    pub path: Option<SharedStr>,
    /// "Apple", "Identified Developer", "App Store", ...
    #[serde(deserialize_with = "flex_shared")]
    pub source: Option<SharedStr>,
}

/// `GET /devices/{id}/library-items`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceLibraryItems {
    /// The device.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// The items.
    #[serde(deserialize_with = "list_or_null")]
    pub library_items: Vec<LibraryItemStatus>,
}

/// The status of one library item on one device (per-device and fleet-wide endpoints).
///
/// The row's own integer `id` and `last_audit_run` are not kept: nothing reads them, and a
/// fleet's rows are cached by the tens of thousands.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct LibraryItemStatus {
    /// The library item's UUID, the same on every device.
    #[serde(deserialize_with = "flex_shared_id")]
    pub item_id: SharedStr,
    /// The item's name.
    #[serde(deserialize_with = "flex_shared_id")]
    pub name: SharedStr,
    /// e.g. `profile`, `custom-app`, `macos-release`.
    #[serde(rename = "type", deserialize_with = "flex_shared_id")]
    pub item_type: SharedStr,
    /// `PASS`, `ERROR`, `success`, `failed`, `pending`, `EXCLUDED`, ... as sent.
    #[serde(deserialize_with = "flex_shared_id")]
    pub status: SharedStr,
    /// When the device reported.
    #[serde(deserialize_with = "flex_datetime")]
    pub reported_at: Option<DateTime<Utc>>,
    /// The last audit's log.
    #[serde(deserialize_with = "flex_shared")]
    pub last_audit_log: Option<SharedStr>,
    /// The control log (FileVault's deferred-enablement note lands here).
    #[serde(deserialize_with = "flex_shared")]
    pub control_log: Option<SharedStr>,
    /// The device (`computer`) the row belongs to.
    #[serde(deserialize_with = "object_or_empty")]
    pub computer: Option<NamedRef>,
    /// The blueprint that assigns the item.
    #[serde(deserialize_with = "object_or_empty")]
    pub blueprint: Option<NamedRef>,
}

/// An `{id, name}` reference.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct NamedRef {
    /// The id.
    #[serde(deserialize_with = "flex_shared_id")]
    pub id: SharedStr,
    /// The name.
    #[serde(deserialize_with = "flex_shared_id")]
    pub name: SharedStr,
}

/// A directory user from `GET /users`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct UserRecord {
    /// UUID.
    #[serde(deserialize_with = "flex_id")]
    pub id: String,
    /// Display name.
    #[serde(deserialize_with = "flex_string")]
    pub name: Option<String>,
    /// Email.
    #[serde(deserialize_with = "flex_string")]
    pub email: Option<String>,
    /// Archived (`archived` here, `is_archived` on device entries).
    #[serde(deserialize_with = "flex_bool", alias = "is_archived")]
    pub archived: Option<bool>,
    /// Active in the directory.
    #[serde(deserialize_with = "flex_bool")]
    pub active: Option<bool>,
    /// Department.
    #[serde(deserialize_with = "flex_string")]
    pub department: Option<String>,
    /// Job title.
    #[serde(deserialize_with = "flex_string")]
    pub job_title: Option<String>,
    /// How many devices Kandji counts for the user.
    pub device_count: Option<i64>,
}

/// A blueprint from `GET /blueprints`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct BlueprintRecord {
    /// UUID.
    #[serde(deserialize_with = "flex_id")]
    pub id: String,
    /// Name.
    #[serde(deserialize_with = "flex_id")]
    pub name: String,
    /// Description.
    #[serde(deserialize_with = "flex_string")]
    pub description: Option<String>,
    /// `classic` or `map`.
    #[serde(rename = "type", deserialize_with = "flex_string")]
    pub blueprint_type: Option<String>,
    /// Number of computers on the blueprint.
    pub computers_count: Option<i64>,
}

/// The Django REST framework page: `{count, next, previous, results}`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct CountedPage<T> {
    /// Total rows (unchanged past the end).
    #[serde(default)]
    pub count: Option<u64>,
    /// The next page's absolute URL.
    #[serde(default)]
    pub next: Option<String>,
    /// The previous page's absolute URL.
    #[serde(default)]
    pub previous: Option<String>,
    /// This page's rows.
    #[serde(default = "Vec::new", deserialize_with = "list_or_null")]
    pub results: Vec<T>,
}

/// A Prism page: `{offset, limit, total, data, cursor}`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct PrismPage<T> {
    /// Total rows, when Prism computes it.
    #[serde(default)]
    pub total: Option<u64>,
    /// Rows.
    #[serde(default = "Vec::new", deserialize_with = "list_or_null")]
    pub data: Vec<T>,
    /// The next page's opaque cursor; empty or null at the end.
    #[serde(default, deserialize_with = "flex_string")]
    pub cursor: Option<String>,
}

/// One row of Prism `filevault`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct PrismFileVaultRow {
    /// Device UUID.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// FileVault on.
    #[serde(deserialize_with = "flex_bool")]
    pub status: Option<bool>,
}

/// One row of Prism `application_firewall`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct PrismFirewallRow {
    /// Device UUID.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// Firewall on.
    #[serde(deserialize_with = "flex_bool")]
    pub status: Option<bool>,
    /// Stealth mode.
    #[serde(deserialize_with = "flex_bool")]
    pub stealth_mode: Option<bool>,
    /// Block all incoming connections.
    #[serde(deserialize_with = "flex_bool")]
    pub block_all_incoming: Option<bool>,
    /// When the agent collected the row.
    #[serde(deserialize_with = "flex_datetime")]
    pub last_collected_at: Option<DateTime<Utc>>,
}

/// One row of Prism `device_information`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct PrismDeviceRow {
    /// Device UUID.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// Device name.
    #[serde(rename = "device__name", deserialize_with = "flex_string")]
    pub device_name: Option<String>,
    /// `Mac`, `iPhone`, `iPad`, `AppleTV`.
    #[serde(rename = "device__family", deserialize_with = "flex_string")]
    pub device_family: Option<String>,
    /// Serial number.
    #[serde(deserialize_with = "flex_string")]
    pub serial_number: Option<String>,
    /// OS version.
    #[serde(deserialize_with = "flex_string")]
    pub os_version: Option<String>,
    /// Whether the agent is installed.
    #[serde(deserialize_with = "flex_bool")]
    pub agent_installed: Option<bool>,
}

/// `GET /devices/{id}/parameters` (macOS only).
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceParameters {
    /// The device.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// Parameter results.
    #[serde(deserialize_with = "list_or_null")]
    pub parameters: Vec<ParameterStatus>,
}

/// One parameter's result on a device.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct ParameterStatus {
    /// The parameter's UUID.
    #[serde(deserialize_with = "flex_id")]
    pub item_id: String,
    /// Its name.
    #[serde(deserialize_with = "flex_id")]
    pub name: String,
    /// `PASS`, `ERROR`, `INCOMPATIBLE`, `PENDING`, `REMEDIATED`, `WARNING`.
    #[serde(deserialize_with = "flex_id")]
    pub status: String,
    /// Category.
    #[serde(deserialize_with = "flex_string")]
    pub category: Option<String>,
}

/// `GET /devices/{id}/status`: library items and parameters in a slimmer shape.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(default)]
pub struct DeviceStatus {
    /// The device.
    #[serde(deserialize_with = "flex_id")]
    pub device_id: String,
    /// Library items.
    #[serde(deserialize_with = "list_or_null")]
    pub library_items: Vec<LibraryItemStatus>,
    /// Parameters.
    #[serde(deserialize_with = "list_or_null")]
    pub parameters: Vec<ParameterStatus>,
}
