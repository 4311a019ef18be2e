//! One device's record: what the device list shows, plus the situation it
//! was dealt (failing item, stale check-in, ...) that derived data honours.

use chrono::{DateTime, Duration, Utc};

use super::draw::{between, chance, chars, weighted};
use super::hardware::{
    AGENT_VERSIONS, APPLE_TV_MODELS, IOS_RELEASES, IPAD_MODELS, IPHONE_MODELS, MAC_MODELS,
    MACOS_RELEASES, MacModel, MobileModel, OsRelease, TVOS_RELEASES,
};
use super::people::User;
use crate::seed::{SeededRng, uuid};

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
    pub const ALL: [Platform; 4] = [Platform::Mac, Platform::IPhone, Platform::IPad, Platform::AppleTv];

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

/// The parts of a device decided at fleet level.
pub struct DeviceSeed<'a> {
    /// Position in the fleet.
    pub index: usize,
    /// The device's seed.
    pub seed: u64,
    /// The platform dealt.
    pub platform: Platform,
    /// The situation dealt.
    pub situation: Situation,
    /// The assigned user.
    pub owner: Option<&'a User>,
    /// The blueprint index.
    pub blueprint: usize,
    /// The clock anchor.
    pub now: DateTime<Utc>,
}

const NEW_SERIAL: &[u8] = b"ABCDEFGHJKLMNPQRTVWXY0123456789";
const ROOMS: &[&str] = &["Atlas", "Borealis", "Cascade", "Delta", "Everest", "Fjord", "Glacier", "Harbor"];

/// Builds the record for one device.
pub fn build(rng: &mut SeededRng, seed: DeviceSeed<'_>) -> Device {
    let DeviceSeed { index, platform, situation, owner, now, .. } = seed;
    let (hardware, os) = match platform {
        Platform::Mac => (Hardware::Mac(weighted(rng, MAC_MODELS, |m| m.weight)), weighted(rng, MACOS_RELEASES, |r| r.weight)),
        Platform::IPhone => (Hardware::Mobile(weighted(rng, IPHONE_MODELS, |m| m.weight)), weighted(rng, IOS_RELEASES, |r| r.weight)),
        Platform::IPad => (Hardware::Mobile(weighted(rng, IPAD_MODELS, |m| m.weight)), weighted(rng, IOS_RELEASES, |r| r.weight)),
        Platform::AppleTv => (Hardware::Mobile(weighted(rng, APPLE_TV_MODELS, |m| m.weight)), weighted(rng, TVOS_RELEASES, |r| r.weight)),
    };
    let id = uuid(rng);

    // Serials: 10 random characters on Apple silicon, 12 on Intel and iOS.
    let serial = match hardware {
        Hardware::Mac(model) if model.apple_silicon => chars(rng, NEW_SERIAL, 10),
        Hardware::Mac(_) => format!("C02{}", chars(rng, NEW_SERIAL, 9)),
        Hardware::Mobile(_) => chars(rng, NEW_SERIAL, 12),
    };
    let udid = match platform {
        Platform::Mac => uuid(rng),
        _ => format!("0000{}-{}", chars(rng, b"0123456789", 4), chars(rng, b"0123456789abcdef", 16)),
    };
    let mac_address = (0..6)
        .map(|_| format!("{:02x}", between(rng, 0, 255)))
        .collect::<Vec<_>>()
        .join(":");

    let name = device_name(rng, platform, hardware, owner, index);
    let asset_tag = if chance(rng, 0.55) { format!("ASSET-{:05}", 1000 + index) } else { String::new() };

    // Dates: enrolment in the past 2.5 years, check-in by situation.
    let first_enrollment = now - Duration::days(between(rng, 30, 900)) - Duration::seconds(between(rng, 0, 86_399)) - Duration::microseconds(between(rng, 0, 999_999));
    let last_enrollment = if chance(rng, 0.3) { first_enrollment + Duration::days(between(rng, 1, 25)) } else { first_enrollment };
    let ago = match situation {
        Situation::Stale => Duration::days(between(rng, 10, 60)),
        Situation::Missing => Duration::days(between(rng, 31, 120)),
        Situation::Removed => Duration::days(between(rng, 20, 200)),
        _ => Duration::minutes(between(rng, 5, 2160)),
    };
    let last_check_in = (now - ago - Duration::microseconds(between(rng, 0, 999_999))).max(last_enrollment);

    let agent_installed = platform == Platform::Mac && situation != Situation::NoAgent;
    let agent_version = if agent_installed { weighted(rng, AGENT_VERSIONS, |(_, w)| *w).0 } else { "" };
    let filevault_enabled = (platform == Platform::Mac).then_some(situation != Situation::DeferredFileVault);

    Device {
        index,
        seed: seed.seed,
        id,
        name,
        platform,
        hardware,
        os,
        serial,
        udid,
        user: None,
        blueprint: seed.blueprint,
        asset_tag,
        tags: Vec::new(),
        mac_address,
        mdm_enabled: situation != Situation::Removed,
        agent_installed,
        agent_version,
        is_missing: situation == Situation::Missing,
        is_removed: situation == Situation::Removed,
        first_enrollment,
        last_enrollment,
        last_check_in,
        situation,
        affected_item: None,
        password_manager: PasswordManager::Absent,
        filevault_enabled,
    }
}

fn device_name(rng: &mut SeededRng, platform: Platform, hardware: Hardware, owner: Option<&User>, index: usize) -> String {
    let first = owner.map(|u| u.name.split(' ').next().unwrap_or_default().to_owned());
    match (platform, hardware, first) {
        (Platform::Mac, Hardware::Mac(model), Some(first)) => match between(rng, 0, 9) {
            0..=5 => format!("{first}’s {}", model.family),
            6..=7 => format!("{first}'s {}", model.family),
            _ => format!("{}-{}", owner.map_or("mac", |u| u.username.as_str()), if model.family == "MacBook Pro" { "mbp" } else { "mac" }),
        },
        (Platform::Mac, Hardware::Mac(model), None) => format!("Loaner {} {:02}", model.family, index % 100),
        (Platform::IPhone, _, Some(first)) => format!("{first}’s iPhone"),
        (Platform::IPhone, _, None) => format!("Shared iPhone {:02}", index % 100),
        (Platform::IPad, _, Some(first)) => format!("{first}’s iPad"),
        (Platform::IPad, _, None) => format!("Kiosk iPad {:02}", index % 100),
        _ => format!("Conference Room - {} {}", ROOMS[index % ROOMS.len()], index % 7 + 1),
    }
}
