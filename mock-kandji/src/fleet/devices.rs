//! One device's record: what the device list shows, plus the situation it
//! was dealt (failing item, stale check-in, ...) that derived data honours.

use chrono::{DateTime, Utc};

use super::hardware::{MacModel, MobileModel, OsRelease};

/// A device platform, as Kandji names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    /// macOS computers.
    Mac,
    /// iPhones.
    IPhone,
    /// iPads.
    IPad,
    /// Apple TVs.
    AppleTv,
}

impl Platform {
    /// Every platform, in list order.
    pub const ALL: [Platform; 4] = [
        Platform::Mac,
        Platform::IPhone,
        Platform::IPad,
        Platform::AppleTv,
    ];

    /// `platform` in the device list: `Mac`, `iPhone`, `iPad`, `AppleTV`.
    pub fn api_name(self) -> &'static str {
        match self {
            Platform::Mac => "Mac",
            Platform::IPhone => "iPhone",
            Platform::IPad => "iPad",
            Platform::AppleTv => "AppleTV",
        }
    }

    /// Prism's `device__family`: `Mac`, `iPhone`, `iPad`, `tvOS`.
    pub fn prism_family(self) -> &'static str {
        match self {
            Platform::AppleTv => "tvOS",
            other => other.api_name(),
        }
    }
}

/// The one situation a Mac was dealt; most are `Clean`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Situation {
    /// Nothing wrong.
    Clean,
    /// FileVault profile `success`, but the disk is not encrypted yet.
    DeferredFileVault,
    /// One compliance item `failed` / `ERROR`.
    ItemFailed,
    /// One compliance item `pending` / `PENDING` / `INSTALLING`.
    ItemPending,
    /// The Managed OS item is `AVAILABLE`.
    UpdateAvailable,
    /// The Managed OS item is `EXCLUDED` or `INCOMPATIBLE`.
    ItemExcluded,
    /// No Kandji agent: MDM only.
    NoAgent,
    /// Last check-in 10 to 60 days ago.
    Stale,
    /// No user assigned.
    Unassigned,
    /// `is_missing: true`.
    Missing,
    /// `is_removed: true`.
    Removed,
}

/// Whether a Mac has a password manager, and how a rule can find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordManager {
    /// None installed.
    Absent,
    /// Installed with its usual bundle id (index into `PASSWORD_MANAGERS`).
    ByBundle(usize),
    /// Installed with an odd bundle id; only its name gives it away.
    ByNameOnly(usize),
}

/// The hardware model.
#[derive(Debug, Clone, Copy)]
pub enum Hardware {
    /// A Mac.
    Mac(&'static MacModel),
    /// An iPhone, iPad or Apple TV.
    Mobile(&'static MobileModel),
}

/// One device, as stored per tenant.
#[derive(Debug, Clone)]
pub struct Device {
    /// Position in the fleet; also seeds derived data.
    pub index: usize,
    /// The device's own seed.
    pub seed: u64,
    /// `device_id`, a UUID.
    pub id: String,
    /// `device_name`.
    pub name: String,
    /// The platform.
    pub platform: Platform,
    /// The model.
    pub hardware: Hardware,
    /// The OS release.
    pub os: &'static OsRelease,
    /// `serial_number`.
    pub serial: String,
    /// Hardware UDID.
    pub udid: String,
    /// Index of the assigned user, if any.
    pub user: Option<usize>,
    /// Index of the device's blueprint.
    pub blueprint: usize,
    /// `asset_tag`, `""` when none.
    pub asset_tag: String,
    /// Indices into the tenant's tags.
    pub tags: Vec<usize>,
    /// Primary MAC address.
    pub mac_address: String,
    /// `mdm_enabled`.
    pub mdm_enabled: bool,
    /// `agent_installed`.
    pub agent_installed: bool,
    /// `agent_version`, `""` without an agent.
    pub agent_version: &'static str,
    /// `is_missing`.
    pub is_missing: bool,
    /// `is_removed`.
    pub is_removed: bool,
    /// `first_enrollment`.
    pub first_enrollment: DateTime<Utc>,
    /// `last_enrollment`.
    pub last_enrollment: DateTime<Utc>,
    /// `last_check_in`.
    pub last_check_in: DateTime<Utc>,
    /// The situation dealt to it.
    pub situation: Situation,
    /// For item situations: the tenant item index whose status is off.
    pub affected_item: Option<usize>,
    /// The password manager, for Macs.
    pub password_manager: PasswordManager,
    /// `filevault_enabled`: `None` on anything but a Mac.
    pub filevault_enabled: Option<bool>,
}

impl Device {
    /// The list's `model`.
    pub fn model_name(&self) -> &'static str {
        match self.hardware {
            Hardware::Mac(model) => model.name,
            Hardware::Mobile(model) => model.name,
        }
    }

    /// True for a Mac.
    pub fn is_mac(&self) -> bool {
        self.platform == Platform::Mac
    }
}
