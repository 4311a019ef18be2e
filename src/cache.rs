//! Per-resource moka caches in front of the Kandji client.
//!
//! Each resource (the device list, one device's details, apps or library items, the users, the
//! blueprints, the tenant's library) has its own lifetime. Concurrent misses on the same key
//! share one upstream call (moka's `try_get_with`), and failures are never cached as values: the
//! next request tries Kandji again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;

use crate::kandji::models::{
    BlueprintRecord, DeviceApps, DeviceDetails, DeviceLibraryItems, DeviceRecord, NamedRef,
    UserRecord,
};
use crate::kandji::{KandjiClient, KandjiError, KandjiResult};
use crate::telemetry::RequestStats;

/// How long each resource stays fresh.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// The device list.
    pub device_list_ttl: Duration,
    /// One device's details.
    pub details_ttl: Duration,
    /// One device's apps.
    pub apps_ttl: Duration,
    /// One device's library items.
    pub library_items_ttl: Duration,
    /// The user directory.
    pub users_ttl: Duration,
    /// Blueprints and the tenant's library.
    pub blueprints_ttl: Duration,
    /// Most per-device entries kept for each per-device resource.
    pub max_devices: u64,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            device_list_ttl: Duration::from_secs(60),
            details_ttl: Duration::from_secs(300),
            apps_ttl: Duration::from_secs(900),
            library_items_ttl: Duration::from_secs(120),
            users_ttl: Duration::from_secs(300),
            blueprints_ttl: Duration::from_secs(600),
            max_devices: 50_000,
        }
    }
}

/// One cached resource, named for metrics.
struct Resource<K, V> {
    name: &'static str,
    cache: Cache<K, V>,
}

impl<K, V> Resource<K, V>
where
    K: Hash + Eq + Send + Sync + Clone + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn new(name: &'static str, ttl: Duration, capacity: u64) -> Self {
        let cache = Cache::builder()
            .time_to_live(ttl)
            .max_capacity(capacity)
            .build();
        Self { name, cache }
    }

    /// The cached value, or the result of `fetch` shared by every concurrent caller.
    async fn get(&self, key: K, fetch: impl Future<Output = KandjiResult<V>>) -> KandjiResult<V> {
        if let Some(value) = self.cache.get(&key).await {
            metrics::counter!("gateway_cache_hits_total", "cache" => self.name).increment(1);
            RequestStats::record_cache(true);
            return Ok(value);
        }
        metrics::counter!("gateway_cache_misses_total", "cache" => self.name).increment(1);
        RequestStats::record_cache(false);
        self.cache
            .try_get_with(key, fetch)
            .await
            .map_err(|e: Arc<KandjiError>| (*e).clone())
    }
}

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

/// The cached view of one Kandji tenant.
pub struct TenantCache {
    client: KandjiClient,
    devices: Resource<(), Arc<DeviceIndex>>,
    details: Resource<String, Arc<DeviceDetails>>,
    apps: Resource<String, Arc<DeviceApps>>,
    library_items: Resource<String, Arc<DeviceLibraryItems>>,
    users: Resource<(), Arc<UserIndex>>,
    blueprints: Resource<(), Arc<Vec<BlueprintRecord>>>,
    tenant_library: Resource<(), Arc<Vec<TenantLibraryItem>>>,
    permissions: Resource<(), Arc<crate::check::CheckReport>>,
    fleet_facts: Resource<(), Arc<crate::bulk::FleetFacts>>,
}

impl TenantCache {
    /// Caches in front of `client`.
    pub fn new(client: KandjiClient, settings: &CacheSettings) -> Self {
        let per_device = settings.max_devices;
        Self {
            client,
            devices: Resource::new("device_list", settings.device_list_ttl, 1),
            details: Resource::new("device_details", settings.details_ttl, per_device),
            apps: Resource::new("device_apps", settings.apps_ttl, per_device),
            library_items: Resource::new(
                "device_library_items",
                settings.library_items_ttl,
                per_device,
            ),
            users: Resource::new("users", settings.users_ttl, 1),
            blueprints: Resource::new("blueprints", settings.blueprints_ttl, 1),
            tenant_library: Resource::new("tenant_library", settings.blueprints_ttl, 1),
            permissions: Resource::new("permissions", settings.blueprints_ttl, 1),
            fleet_facts: Resource::new("fleet_facts", settings.library_items_ttl, 1),
        }
    }

    /// The client behind the cache.
    pub fn client(&self) -> &KandjiClient {
        &self.client
    }

    /// Every device.
    pub async fn devices(&self) -> KandjiResult<Arc<DeviceIndex>> {
        let client = &self.client;
        self.devices
            .get((), async {
                Ok(Arc::new(DeviceIndex::new(client.list_devices().await?)))
            })
            .await
    }

    /// One device's details.
    pub async fn details(&self, id: &str) -> KandjiResult<Arc<DeviceDetails>> {
        let client = &self.client;
        self.details
            .get(id.to_string(), async {
                client.device_details(id).await.map(Arc::new)
            })
            .await
    }

    /// One device's apps.
    pub async fn apps(&self, id: &str) -> KandjiResult<Arc<DeviceApps>> {
        let client = &self.client;
        self.apps
            .get(id.to_string(), async {
                client.device_apps(id).await.map(Arc::new)
            })
            .await
    }

    /// One device's library items.
    pub async fn library_items(&self, id: &str) -> KandjiResult<Arc<DeviceLibraryItems>> {
        let client = &self.client;
        let fetch = async { client.device_library_items(id).await.map(Arc::new) };
        self.library_items.get(id.to_string(), fetch).await
    }

    /// The user directory.
    pub async fn users(&self) -> KandjiResult<Arc<UserIndex>> {
        let client = &self.client;
        self.users
            .get((), async {
                Ok(Arc::new(UserIndex::new(client.list_users().await?)))
            })
            .await
    }

    /// Every blueprint.
    pub async fn blueprints(&self) -> KandjiResult<Arc<Vec<BlueprintRecord>>> {
        let client = &self.client;
        self.blueprints
            .get((), async { client.list_blueprints().await.map(Arc::new) })
            .await
    }

    /// Every library item assigned by any blueprint: the tenant's library as far as the API
    /// shows it (there is no single "list library items" endpoint).
    pub async fn tenant_library(&self) -> KandjiResult<Arc<Vec<TenantLibraryItem>>> {
        let fetch = async {
            let blueprints = self.blueprints().await?;
            let lists = futures::future::try_join_all(
                blueprints
                    .iter()
                    .map(|b| self.client.blueprint_library_items(&b.id)),
            )
            .await?;
            Ok(Arc::new(merge_library(blueprints.iter().zip(lists))))
        };
        self.tenant_library.get((), fetch).await
    }
}

impl TenantCache {
    /// Compliance facts for the whole fleet from the fleet-wide endpoints.
    pub async fn fleet_facts(
        &self,
        settings: &crate::compliance::ComplianceSettings,
    ) -> KandjiResult<Arc<crate::bulk::FleetFacts>> {
        let fetch = async { crate::bulk::fetch(self, settings).await.map(Arc::new) };
        self.fleet_facts.get((), fetch).await
    }

    /// Which permissions the token holds, probed once per directory lifetime.
    pub async fn permissions(&self) -> KandjiResult<Arc<crate::check::CheckReport>> {
        let client = &self.client;
        self.permissions
            .get((), async { Ok(Arc::new(crate::check::run(client).await)) })
            .await
    }
}

fn merge_library<'a>(
    lists: impl Iterator<Item = (&'a BlueprintRecord, Vec<NamedRef>)>,
) -> Vec<TenantLibraryItem> {
    let mut items: Vec<TenantLibraryItem> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (blueprint, list) in lists {
        for item in list {
            let i = *index.entry(item.id.clone()).or_insert_with(|| {
                items.push(TenantLibraryItem {
                    id: item.id.clone(),
                    name: item.name.clone(),
                    blueprint_ids: vec![],
                });
                items.len() - 1
            });
            items[i].blueprint_ids.push(blueprint.id.clone());
        }
    }
    items
}
