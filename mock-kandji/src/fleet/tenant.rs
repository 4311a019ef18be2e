//! A tenant: the company, its library, blueprints, tags, users and devices,
//! generated once on first use from (seed, region, subdomain).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

use super::assign;
use super::blueprint_catalog::{BLUEPRINT_PLANS, BlueprintPlan, PARAMETERS};
use super::devices::Device;
use super::draw::{between, chance, chars, weighted};
use super::library_catalog::{ItemTemplate, items_for_region, template_for};
use super::people::{self, User};
use super::scenarios::Scenarios;
use crate::host::{Region, TenantKey};
use crate::seed::{SeededRng, hash_str, mix, rng_for, uuid};

/// The company behind a tenant and its identity-provider integration.
#[derive(Debug)]
pub struct Company {
    /// Display name, e.g. "Acme".
    pub name: String,
    /// Staff email domain.
    pub domain: String,
    /// Contractors' email domain.
    pub partner_domain: String,
    /// `integration.id` (an int).
    pub integration_id: u32,
    /// `integration.uuid`.
    pub integration_uuid: String,
    /// `integration.type`: `office365`, `gsuite` or `okta`.
    pub integration_type: &'static str,
}

/// One item of the tenant's library.
#[derive(Debug)]
pub struct LibraryItem {
    /// Position in the tenant library.
    pub index: usize,
    /// `item_id`, a UUID.
    pub id: String,
    /// What the item is.
    pub template: &'static ItemTemplate,
}

/// One blueprint.
#[derive(Debug)]
pub struct Blueprint {
    /// Position in the tenant's blueprint list.
    pub index: usize,
    /// UUID.
    pub id: String,
    /// Name, icon and audience.
    pub plan: &'static BlueprintPlan,
    /// Tenant library item indices assigned to it.
    pub items: Vec<usize>,
    /// `(parameter index, mute)` pairs it enforces.
    pub parameters: Vec<(usize, bool)>,
    /// The 6-digit enrollment code.
    pub enrollment_code: String,
    /// Devices on it (`computers_count`).
    pub device_count: usize,
}

/// A device tag.
#[derive(Debug)]
pub struct Tag {
    /// UUID.
    pub id: String,
    /// Name (case-sensitive in filters).
    pub name: &'static str,
}

/// Identity providers a tenant's directory syncs from.
const INTEGRATION_TYPES: [&str; 3] = ["office365", "gsuite", "okta"];

/// The tags every tenant defines.
pub const TAG_NAMES: &[&str] = &[
    "remote",
    "hq",
    "loaner",
    "executive",
    "soc2-scope",
    "conference-room",
];

/// A generated tenant. Immutable once built; shared behind an `Arc`.
#[derive(Debug)]
pub struct Tenant {
    /// Region and subdomain.
    pub key: TenantKey,
    /// The tenant's seed.
    pub seed: u64,
    /// The clock anchor every timestamp is relative to.
    pub now: DateTime<Utc>,
    /// The company.
    pub company: Company,
    /// The tenant library.
    pub items: Vec<LibraryItem>,
    /// Blueprints.
    pub blueprints: Vec<Blueprint>,
    /// UUIDs of the blueprint parameters (same in every tenant, as in Kandji).
    pub parameter_ids: Vec<String>,
    /// Device tags.
    pub tags: Vec<Tag>,
    /// The user directory.
    pub users: Vec<User>,
    /// The fleet.
    pub devices: Vec<Device>,
    device_ids: HashMap<String, usize>,
    user_ids: HashMap<String, usize>,
    item_ids: HashMap<String, usize>,
    blueprint_ids: HashMap<String, usize>,
    scenarios: OnceLock<Scenarios>,
}

impl Tenant {
    /// Generates the tenant for `key` from the run's seed.
    pub fn generate(
        key: &TenantKey,
        run_seed: u64,
        device_count: usize,
        now: DateTime<Utc>,
    ) -> Tenant {
        let seed = mix(
            mix(run_seed, hash_str(key.region.label())),
            hash_str(&key.subdomain),
        );
        let mut rng = rng_for(seed, 0);
        let company = company(&mut rng, key);

        let items: Vec<LibraryItem> = items_for_region(key.region)
            .into_iter()
            .enumerate()
            .map(|(index, template)| LibraryItem {
                index,
                id: uuid(&mut rng),
                template,
            })
            .collect();
        let mut blueprints: Vec<Blueprint> = BLUEPRINT_PLANS
            .iter()
            .enumerate()
            .map(|(index, plan)| blueprint(&mut rng, index, plan, key.region, &items))
            .collect();
        let mut global = rng_for(hash_str("kandji-blueprint-parameters"), 0);
        let parameter_ids = PARAMETERS.iter().map(|_| uuid(&mut global)).collect();
        let tags = TAG_NAMES
            .iter()
            .map(|name| Tag {
                id: uuid(&mut rng),
                name,
            })
            .collect();

        let user_count = (device_count as f64 * 0.8).round() as usize;
        let mut users = people::generate(
            &mut rng,
            user_count,
            key.region,
            &company.domain,
            &company.partner_domain,
            now,
        );
        let mut devices = assign::deal(&mut rng, seed, device_count, &mut users, now);

        for device in &mut devices {
            let blueprint = &mut blueprints[device.blueprint];
            blueprint.device_count += 1;
            assign::settle(&mut rng, device, blueprint, &items);
        }

        Tenant {
            device_ids: devices.iter().map(|d| (d.id.clone(), d.index)).collect(),
            user_ids: users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id.clone(), i))
                .collect(),
            item_ids: items.iter().map(|i| (i.id.clone(), i.index)).collect(),
            blueprint_ids: blueprints.iter().map(|b| (b.id.clone(), b.index)).collect(),
            key: key.clone(),
            seed,
            now,
            company,
            items,
            blueprints,
            parameter_ids,
            tags,
            users,
            devices,
            scenarios: OnceLock::new(),
        }
    }

    /// The device with this `device_id`.
    pub fn device(&self, id: &str) -> Option<&Device> {
        self.device_ids.get(id).map(|&i| &self.devices[i])
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.user_ids.get(id).map(|&i| &self.users[i])
    }

    /// The library item with this `item_id`.
    pub fn item(&self, id: &str) -> Option<&LibraryItem> {
        self.item_ids.get(id).map(|&i| &self.items[i])
    }

    /// The blueprint with this id.
    pub fn blueprint(&self, id: &str) -> Option<&Blueprint> {
        self.blueprint_ids.get(id).map(|&i| &self.blueprints[i])
    }

    /// The scenario lists, computed on first request and kept.
    pub fn scenarios(&self) -> &Scenarios {
        self.scenarios.get_or_init(|| Scenarios::compute(self))
    }
}

fn company(rng: &mut SeededRng, key: &TenantKey) -> Company {
    let mut name: Vec<char> = key.subdomain.chars().collect();
    if let Some(first) = name.first_mut() {
        *first = first.to_ascii_uppercase();
    }
    let (domain, partner_domain) = match key.region {
        Region::Us => (
            format!("{}.com", key.subdomain),
            "brightpath-consulting.com".to_owned(),
        ),
        Region::Eu => {
            let tld = *weighted(rng, &["de", "fr", "it", "pt", "eu"], |_| 1);
            (
                format!("{}.{tld}", key.subdomain),
                format!("freelance-partner.{tld}"),
            )
        }
    };
    Company {
        name: name.into_iter().collect(),
        domain,
        partner_domain,
        integration_id: between(rng, 100, 999) as u32,
        integration_uuid: uuid(rng),
        integration_type: INTEGRATION_TYPES[between(rng, 0, 2) as usize],
    }
}

fn blueprint(
    rng: &mut SeededRng,
    index: usize,
    plan: &'static BlueprintPlan,
    region: Region,
    items: &[LibraryItem],
) -> Blueprint {
    let assigned = plan
        .items
        .iter()
        .filter_map(|key| template_for(key, region))
        .filter_map(|template| items.iter().find(|i| std::ptr::eq(i.template, template)))
        .map(|i| i.index)
        .collect();
    Blueprint {
        index,
        id: uuid(rng),
        plan,
        items: assigned,
        parameters: plan
            .parameters
            .iter()
            .map(|&p| (p, chance(rng, 0.1)))
            .collect(),
        enrollment_code: chars(rng, b"0123456789", 6),
        device_count: 0,
    }
}
