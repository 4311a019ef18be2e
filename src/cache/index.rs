//! The cached lists and what the resolvers look up in them: the device list and the user
//! directory indexed by id, and the tenant's library as the blueprints assign it.
//!
//! Each list is built whole from one fetch and replaced whole by the next, so a reader never
//! sees half of an old list and half of a new one.

use std::collections::HashMap;
use std::sync::Arc;

use crate::kandji::models::{BlueprintRecord, DeviceRecord, NamedRef, UserRecord};

/// The device list with the look-ups resolvers need.
#[derive(Debug, Default)]
pub struct DeviceIndex {
    /// Devices in Kandji's order.
    pub devices: Vec<Arc<DeviceRecord>>,
    by_id: HashMap<String, usize>,
}

impl DeviceIndex {
    /// Indexes a device list.
    pub fn new(devices: Vec<DeviceRecord>) -> Self {
        let devices: Vec<_> = devices.into_iter().map(Arc::new).collect();
        let by_id = devices
            .iter()
            .enumerate()
            .map(|(i, d)| (d.device_id.clone(), i))
            .collect();
        Self { devices, by_id }
    }

    /// A device by its id.
    pub fn get(&self, id: &str) -> Option<&Arc<DeviceRecord>> {
        self.by_id.get(id).map(|&i| &self.devices[i])
    }
}

/// The user directory with look-ups.
#[derive(Debug, Default)]
pub struct UserIndex {
    /// Users in Kandji's order.
    pub users: Vec<Arc<UserRecord>>,
    by_id: HashMap<String, usize>,
}

impl UserIndex {
    /// Indexes a user list.
    pub fn new(users: Vec<UserRecord>) -> Self {
        let users: Vec<_> = users.into_iter().map(Arc::new).collect();
        let by_id = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect();
        Self { users, by_id }
    }

    /// A user by id.
    pub fn get(&self, id: &str) -> Option<&Arc<UserRecord>> {
        self.by_id.get(id).map(|&i| &self.users[i])
    }

    /// A user by email, matched exactly (as Drata matches).
    pub fn by_email(&self, email: &str) -> Option<&Arc<UserRecord>> {
        self.users
            .iter()
            .find(|u| u.email.as_deref() == Some(email))
    }
}

/// A library item that exists in the tenant, with the blueprints that assign it.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantLibraryItem {
    /// The item's id.
    pub id: String,
    /// The item's name.
    pub name: String,
    /// Blueprints assigning it.
    pub blueprint_ids: Vec<String>,
}

/// Merges the blueprints' item lists into one entry per item, in first-seen order.
pub(super) fn merge_library<'a>(
    lists: impl Iterator<Item = (&'a BlueprintRecord, Vec<NamedRef>)>,
) -> Vec<TenantLibraryItem> {
    let mut items: Vec<TenantLibraryItem> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (blueprint, list) in lists {
        for item in list {
            let i = *index.entry(item.id.to_string()).or_insert_with(|| {
                items.push(TenantLibraryItem {
                    id: item.id.to_string(),
                    name: item.name.to_string(),
                    blueprint_ids: vec![],
                });
                items.len() - 1
            });
            items[i].blueprint_ids.push(blueprint.id.clone());
        }
    }
    items
}
