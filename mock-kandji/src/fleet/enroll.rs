//! Enrolling one device: drawing its model, OS release, serial, name, tags
//! and dates, given the platform, situation, owner and blueprint that the
//! fleet-level deal decided.

use chrono::{DateTime, Duration, Utc};

use super::devices::{Device, Hardware, PasswordManager, Platform, Situation};
use super::draw::{between, chance, chars, weighted};
use super::hardware::{
    AGENT_VERSIONS, APPLE_TV_MODELS, IOS_RELEASES, IPAD_MODELS, IPHONE_MODELS, MAC_MODELS,
    MACOS_RELEASES, TVOS_RELEASES,
};
use super::people::User;
use crate::seed::{SeededRng, uuid};

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
const ROOMS: &[&str] = &[
    "Atlas", "Borealis", "Cascade", "Delta", "Everest", "Fjord", "Glacier", "Harbor",
];

/// Builds the record for one device.
pub fn build(rng: &mut SeededRng, seed: DeviceSeed<'_>) -> Device {
    let DeviceSeed {
        index,
        platform,
        situation,
        owner,
        now,
        ..
    } = seed;
    let (hardware, os) = match platform {
        Platform::Mac => (
            Hardware::Mac(weighted(rng, MAC_MODELS, |m| m.weight)),
            weighted(rng, MACOS_RELEASES, |r| r.weight),
        ),
        Platform::IPhone => (
            Hardware::Mobile(weighted(rng, IPHONE_MODELS, |m| m.weight)),
            weighted(rng, IOS_RELEASES, |r| r.weight),
        ),
        Platform::IPad => (
            Hardware::Mobile(weighted(rng, IPAD_MODELS, |m| m.weight)),
            weighted(rng, IOS_RELEASES, |r| r.weight),
        ),
        Platform::AppleTv => (
            Hardware::Mobile(weighted(rng, APPLE_TV_MODELS, |m| m.weight)),
            weighted(rng, TVOS_RELEASES, |r| r.weight),
        ),
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
        _ => format!(
            "0000{}-{}",
            chars(rng, b"0123456789", 4),
            chars(rng, b"0123456789abcdef", 16)
        ),
    };
    let mac_address = (0..6)
        .map(|_| format!("{:02x}", between(rng, 0, 255)))
        .collect::<Vec<_>>()
        .join(":");

    let name = device_name(rng, platform, hardware, owner, index);
    let asset_tag = if chance(rng, 0.55) {
        format!("ASSET-{:05}", 1000 + index)
    } else {
        String::new()
    };

    // Dates: enrolment in the past 2.5 years, check-in by situation.
    let first_enrollment = now
        - Duration::days(between(rng, 30, 900))
        - Duration::seconds(between(rng, 0, 86_399))
        - Duration::microseconds(between(rng, 0, 999_999));
    let last_enrollment = if chance(rng, 0.3) {
        first_enrollment + Duration::days(between(rng, 1, 25))
    } else {
        first_enrollment
    };
    let ago = match situation {
        Situation::Stale => Duration::days(between(rng, 10, 60)),
        Situation::Missing => Duration::days(between(rng, 31, 120)),
        Situation::Removed => Duration::days(between(rng, 20, 200)),
        _ => Duration::minutes(between(rng, 5, 2160)),
    };
    let last_check_in =
        (now - ago - Duration::microseconds(between(rng, 0, 999_999))).max(last_enrollment);

    let agent_installed = platform == Platform::Mac && situation != Situation::NoAgent;
    let agent_version = if agent_installed {
        weighted(rng, AGENT_VERSIONS, |(_, w)| *w).0
    } else {
        ""
    };
    let filevault_enabled =
        (platform == Platform::Mac).then_some(situation != Situation::DeferredFileVault);

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

fn device_name(
    rng: &mut SeededRng,
    platform: Platform,
    hardware: Hardware,
    owner: Option<&User>,
    index: usize,
) -> String {
    let first = owner.map(|u| u.name.split(' ').next().unwrap_or_default().to_owned());
    match (platform, hardware, first) {
        (Platform::Mac, Hardware::Mac(model), Some(first)) => match between(rng, 0, 9) {
            0..=5 => format!("{first}’s {}", model.family),
            6..=7 => format!("{first}'s {}", model.family),
            _ => format!(
                "{}-{}",
                owner.map_or("mac", |u| u.username.as_str()),
                if model.family == "MacBook Pro" {
                    "mbp"
                } else {
                    "mac"
                }
            ),
        },
        (Platform::Mac, Hardware::Mac(model), None) => {
            format!("Loaner {} {:02}", model.family, index % 100)
        }
        (Platform::IPhone, _, Some(first)) => format!("{first}’s iPhone"),
        (Platform::IPhone, _, None) => format!("Shared iPhone {:02}", index % 100),
        (Platform::IPad, _, Some(first)) => format!("{first}’s iPad"),
        (Platform::IPad, _, None) => format!("Kiosk iPad {:02}", index % 100),
        _ => format!(
            "Conference Room - {} {}",
            ROOMS[index % ROOMS.len()],
            index % 7 + 1
        ),
    }
}
