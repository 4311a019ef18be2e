//! Fleet-level dealing: which devices are Macs, which Macs get which
//! situation, who owns what, and which blueprint each device is on.
//!
//! Proportions are dealt as exact counts from shuffled decks rather than
//! drawn per device, so a default 250-device fleet shows every situation
//! whatever the seed.

use rand::Rng;
use rand::seq::SliceRandom;

use super::app_catalog::PASSWORD_MANAGERS;
use super::blueprint_catalog::{
    CONTRACTORS_BLUEPRINT, DEFAULT_BLUEPRINT, ENGINEERING_BLUEPRINT, MOBILE_BLUEPRINT,
    SALES_BLUEPRINT, TV_BLUEPRINT,
};
use super::devices::{Device, PasswordManager, Platform, Situation};
use super::draw::{chance, deck, weighted};
use super::enroll::{self, DeviceSeed};
use super::library_catalog::Control;
use super::people::{Department, User};
use super::tenant::{Blueprint, LibraryItem, TAG_NAMES};
use crate::seed::{SeededRng, mix, rng_for, salt};

const PLATFORM_SHARES: &[(Platform, f64)] = &[
    (Platform::IPhone, 0.12),
    (Platform::IPad, 0.09),
    (Platform::AppleTv, 0.04),
];

/// Each a few percent of Macs; the rest are `Clean`.
const SITUATION_SHARES: &[(Situation, f64)] = &[
    (Situation::DeferredFileVault, 0.03),
    (Situation::ItemFailed, 0.045),
    (Situation::ItemPending, 0.035),
    (Situation::UpdateAvailable, 0.04),
    (Situation::ItemExcluded, 0.025),
    (Situation::NoAgent, 0.035),
    (Situation::Stale, 0.045),
    (Situation::Unassigned, 0.035),
    (Situation::Missing, 0.02),
    (Situation::Removed, 0.01),
];

/// About 70% of Macs with the agent have a password manager.
const PASSWORD_MANAGER_SHARES: &[(PmCard, f64)] =
    &[(PmCard::NameOnly, 0.035), (PmCard::Absent, 0.27)];

#[derive(Debug, Clone, Copy, PartialEq)]
enum PmCard {
    Bundle,
    NameOnly,
    Absent,
}

/// Deals `count` devices for a tenant and records each user's device count.
pub fn deal(
    rng: &mut SeededRng,
    tenant_seed: u64,
    count: usize,
    users: &mut [User],
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<Device> {
    let platforms = deck(rng, count, PLATFORM_SHARES, Platform::Mac, 25);
    let mac_count = platforms.iter().filter(|p| **p == Platform::Mac).count();
    let mut situations = deck(rng, mac_count, SITUATION_SHARES, Situation::Clean, 40).into_iter();

    // Macs take users in a shuffled order; past the end, people get a second Mac.
    let mut order: Vec<usize> = (0..users.len()).collect();
    order.shuffle(rng);
    let mut next_user = 0;
    let mut mac_owners = Vec::new();

    let mut devices = Vec::with_capacity(count);
    for (index, platform) in platforms.into_iter().enumerate() {
        let situation = if platform == Platform::Mac {
            situations.next().unwrap_or(Situation::Clean)
        } else {
            Situation::Clean
        };
        let owner = match platform {
            _ if users.is_empty() => None,
            Platform::Mac if situation != Situation::Unassigned => {
                next_user += 1;
                Some(order[(next_user - 1) % order.len()])
            }
            Platform::IPhone if chance(rng, 0.75) => {
                Some(pick_owner(rng, &mac_owners, users.len()))
            }
            Platform::IPad if chance(rng, 0.4) => Some(pick_owner(rng, &mac_owners, users.len())),
            _ => None,
        };
        if platform == Platform::Mac {
            mac_owners.extend(owner);
        }
        let blueprint = match (platform, owner.map(|u| users[u].department)) {
            (Platform::Mac, Some(Department::Engineering)) => ENGINEERING_BLUEPRINT,
            (Platform::Mac, Some(Department::Revenue)) => SALES_BLUEPRINT,
            (Platform::Mac, Some(Department::Contractor)) => CONTRACTORS_BLUEPRINT,
            (Platform::Mac, _) => DEFAULT_BLUEPRINT,
            (Platform::AppleTv, _) => TV_BLUEPRINT,
            _ => MOBILE_BLUEPRINT,
        };

        let seed = mix(tenant_seed, index as u64);
        let mut device_rng = rng_for(seed, salt::DEVICE);
        let owner_record = owner.map(|u| &users[u]);
        let mut device = enroll::build(
            &mut device_rng,
            DeviceSeed {
                index,
                seed,
                platform,
                situation,
                owner: owner_record,
                blueprint,
                now,
            },
        );
        device.user = owner;
        devices.push(device);
    }

    for device in &devices {
        if let Some(user) = device.user {
            users[user].device_count += 1;
        }
    }
    deal_password_managers(rng, &mut devices);
    devices
}

fn pick_owner(rng: &mut SeededRng, mac_owners: &[usize], user_count: usize) -> usize {
    if mac_owners.is_empty() || chance(rng, 0.1) {
        rng.random_range(0..user_count)
    } else {
        mac_owners[rng.random_range(0..mac_owners.len())]
    }
}

/// Password managers go to Macs with the agent only: without it Kandji's
/// app list is short and MDM-only.
fn deal_password_managers(rng: &mut SeededRng, devices: &mut [Device]) {
    let agent_macs: Vec<usize> = devices
        .iter()
        .filter(|d| d.is_mac() && d.agent_installed)
        .map(|d| d.index)
        .collect();
    let cards = deck(
        rng,
        agent_macs.len(),
        PASSWORD_MANAGER_SHARES,
        PmCard::Bundle,
        40,
    );
    for (index, card) in agent_macs.into_iter().zip(cards) {
        let product = PASSWORD_MANAGERS
            .iter()
            .position(|p| std::ptr::eq(p, weighted(rng, PASSWORD_MANAGERS, |p| p.weight)))
            .unwrap_or(0);
        devices[index].password_manager = match card {
            PmCard::Bundle => PasswordManager::ByBundle(product),
            PmCard::NameOnly => PasswordManager::ByNameOnly(product),
            PmCard::Absent => PasswordManager::Absent,
        };
    }
}

/// Settles what depends on the device's blueprint: the item its situation
/// is about, FileVault state, and tags.
pub fn settle(
    rng: &mut SeededRng,
    device: &mut Device,
    blueprint: &Blueprint,
    items: &[LibraryItem],
) {
    device.affected_item = affected_item(rng, device, blueprint, items);

    // A FileVault profile that failed or is still pending has not encrypted the disk.
    let filevault_item = device.affected_item.is_some_and(|i| {
        items[i]
            .template
            .controls
            .contains(&Control::DiskEncryption)
    });
    if filevault_item
        && matches!(
            device.situation,
            Situation::ItemFailed | Situation::ItemPending
        )
    {
        device.filevault_enabled = Some(false);
    }
    device.tags = device_tags(rng, device);
}

/// Which item an item situation applies to: any compliance item on the
/// blueprint for a failure or a pending install, the Managed OS item for an
/// update or exclusion, the FileVault item for deferred enablement.
fn affected_item(
    rng: &mut SeededRng,
    device: &Device,
    blueprint: &Blueprint,
    items: &[LibraryItem],
) -> Option<usize> {
    let wanted: &[Control] = match device.situation {
        Situation::ItemFailed | Situation::ItemPending => &Control::ALL,
        Situation::UpdateAvailable | Situation::ItemExcluded => &[Control::SoftwareUpdate],
        Situation::DeferredFileVault => &[Control::DiskEncryption],
        _ => return None,
    };
    let candidates: Vec<usize> = blueprint
        .items
        .iter()
        .copied()
        .filter(|&i| {
            items[i]
                .template
                .controls
                .iter()
                .any(|c| wanted.contains(c))
        })
        .collect();
    (!candidates.is_empty()).then(|| *weighted(rng, &candidates, |_| 1))
}

/// Tags (indices into [`TAG_NAMES`]): `conference-room` on Apple TVs,
/// `loaner` on unassigned devices, a few others at random elsewhere.
fn device_tags(rng: &mut SeededRng, device: &Device) -> Vec<usize> {
    let tag = |name: &str| {
        TAG_NAMES
            .iter()
            .position(|t| *t == name)
            .into_iter()
            .collect()
    };
    match device.platform {
        Platform::AppleTv => tag("conference-room"),
        _ if device.user.is_none() => tag("loaner"),
        _ => (0..TAG_NAMES.len())
            .filter(|&i| !matches!(TAG_NAMES[i], "conference-room" | "loaner") && chance(rng, 0.12))
            .collect(),
    }
}
