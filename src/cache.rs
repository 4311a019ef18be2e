//! Per-resource caches in front of the Kandji client, so that a warm dashboard never waits on
//! Kandji and a cold one costs each resource once.
//!
//! Each resource (the device list, one device's details, apps or library items, the users, the
//! blueprints, the tenant's library, the fleet-wide compliance facts) has its own lifetime,
//! after which it is served stale for at most `max_stale` while one background refresh runs
//! (see [`resource`]). Concurrent misses on the same key share one upstream call, and failures
//! are never cached. The per-device caches are bounded by an approximate byte budget (see
//! [`weight`]); the lists are single entries, replaced whole.

mod index;
mod resource;
#[cfg(test)]
mod resource_tests;
pub mod weight;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::bulk::FleetFacts;
use crate::check::CheckReport;
use crate::compliance::ComplianceSettings;
use crate::kandji::models::{
    BlueprintRecord, DeviceApps, DeviceDetails, DeviceLibraryItems, UserRecord,
};
use crate::kandji::{KandjiClient, KandjiResult};

pub use index::{DeviceIndex, TenantLibraryItem, UserIndex};
use resource::{Capacity, Resource};
use weight::weight;

/// How long each resource stays fresh, how long it may then be served stale, and how much
/// memory the per-device caches may take.
#[derive(Debug, Clone)]
pub struct CacheSettings {
    /// The device list.
    pub device_list_ttl: Duration,
    /// One device's details.
    pub details_ttl: Duration,
    /// One device's apps.
    pub apps_ttl: Duration,
    /// One device's library items (and the fleet-wide compliance facts).
    pub library_items_ttl: Duration,
    /// The user directory.
    pub users_ttl: Duration,
    /// Blueprints, the tenant's library and the token's permissions.
    pub blueprints_ttl: Duration,
    /// How long past its lifetime an entry is still answered while one refresh runs in the
    /// background. Zero turns stale-while-revalidate off.
    pub max_stale: Duration,
    /// About how many bytes the per-device caches (details, apps, library items) hold in all:
    /// half for apps, three eighths for library items, an eighth for details (with repeated
    /// text interned, one Mac's apps weigh some 6 KB, its library items 2 KB, its details
    /// 1 KB: the default budget holds some 5,000 Macs whole).
    pub max_device_bytes: u64,
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
            max_stale: Duration::from_secs(600),
            max_device_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A resource held as one entry: a list replaced whole by each refresh.
fn single<V: Clone + Send + Sync + 'static>(
    name: &'static str,
    ttl: Duration,
    stale: Duration,
    changes: &Arc<AtomicU64>,
) -> Resource<(), V> {
    Resource::new(name, ttl, stale, Capacity::Entries(1)).counting_changes_in(changes.clone())
}

/// The cached view of one Kandji tenant. Cheap to clone: clones share the caches.
#[derive(Clone)]
pub struct TenantCache {
    inner: Arc<Caches>,
}

struct Caches {
    client: KandjiClient,
    /// Values stored by any resource so far: the cache's generation.
    changes: Arc<AtomicU64>,
    devices: Resource<(), Arc<DeviceIndex>>,
    details: Resource<String, Arc<DeviceDetails>>,
    apps: Resource<String, Arc<DeviceApps>>,
    library_items: Resource<String, Arc<DeviceLibraryItems>>,
    users: Resource<(), Arc<UserIndex>>,
    blueprints: Resource<(), Arc<Vec<BlueprintRecord>>>,
    tenant_library: Resource<(), Arc<Vec<TenantLibraryItem>>>,
    permissions: Resource<(), Arc<CheckReport>>,
    fleet_facts: Resource<(), Arc<FleetFacts>>,
    filevault_flags: Resource<(), Arc<HashMap<String, bool>>>,
}

impl TenantCache {
    /// Caches in front of `client`.
    pub fn new(client: KandjiClient, settings: &CacheSettings) -> Self {
        let stale = settings.max_stale;
        let budget = settings.max_device_bytes;
        let changes = Arc::new(AtomicU64::new(0));
        let inner = Caches {
            client,
            devices: single("device_list", settings.device_list_ttl, stale, &changes),
            details: Resource::new(
                "device_details",
                settings.details_ttl,
                stale,
                Capacity::Bytes(budget / 8, weight),
            )
            .counting_changes_in(changes.clone()),
            apps: Resource::new(
                "device_apps",
                settings.apps_ttl,
                stale,
                Capacity::Bytes(budget / 2, weight),
            )
            .counting_changes_in(changes.clone()),
            library_items: Resource::new(
                "device_library_items",
                settings.library_items_ttl,
                stale,
                Capacity::Bytes(budget / 8 * 3, weight),
            )
            .counting_changes_in(changes.clone()),
            users: single("users", settings.users_ttl, stale, &changes),
            blueprints: single("blueprints", settings.blueprints_ttl, stale, &changes),
            tenant_library: single("tenant_library", settings.blueprints_ttl, stale, &changes),
            permissions: single("permissions", settings.blueprints_ttl, stale, &changes),
            fleet_facts: single("fleet_facts", settings.library_items_ttl, stale, &changes),
            filevault_flags: single("filevault_flags", settings.details_ttl, stale, &changes),
            changes,
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The cache's generation: a number that changes whenever any cached value is stored (a
    /// miss filled, a refresh landed). An answer computed from the cache while the generation
    /// stayed the same would be computed the same way again, up to the clock.
    pub fn generation(&self) -> u64 {
        self.inner.changes.load(Ordering::Acquire)
    }

    /// The client behind the cache.
    pub fn client(&self) -> &KandjiClient {
        &self.inner.client
    }

    /// Every device.
    pub async fn devices(&self) -> KandjiResult<Arc<DeviceIndex>> {
        let client = self.client().clone();
        let fetch = || async move { Ok(Arc::new(DeviceIndex::new(client.list_devices().await?))) };
        self.inner.devices.get((), fetch).await
    }

    /// One device's details.
    pub async fn details(&self, id: &str) -> KandjiResult<Arc<DeviceDetails>> {
        let (client, key) = (self.client().clone(), id.to_string());
        let fetch = || async move {
            let mut details = client.device_details(&key).await?;
            details.volumes.shrink_to_fit();
            Ok(Arc::new(details))
        };
        self.inner.details.get(id.to_string(), fetch).await
    }

    /// One device's apps.
    pub async fn apps(&self, id: &str) -> KandjiResult<Arc<DeviceApps>> {
        let (client, key) = (self.client().clone(), id.to_string());
        let fetch = || async move {
            // Lists grow by doubling while parsed: keep only what they hold.
            let mut apps = client.device_apps(&key).await?;
            apps.apps.shrink_to_fit();
            Ok(Arc::new(apps))
        };
        self.inner.apps.get(id.to_string(), fetch).await
    }

    /// One device's library items.
    pub async fn library_items(&self, id: &str) -> KandjiResult<Arc<DeviceLibraryItems>> {
        let (client, key) = (self.client().clone(), id.to_string());
        let fetch = || async move {
            let mut items = client.device_library_items(&key).await?;
            items.library_items.shrink_to_fit();
            Ok(Arc::new(items))
        };
        self.inner.library_items.get(id.to_string(), fetch).await
    }

    /// The user directory.
    pub async fn users(&self) -> KandjiResult<Arc<UserIndex>> {
        let client = self.client().clone();
        let fetch = || async move { Ok(Arc::new(UserIndex::new(client.list_users().await?))) };
        self.inner.users.get((), fetch).await
    }

    /// The user with exactly this email: from the cached directory when there is one, else
    /// through Kandji's email filter (a page or two instead of the whole directory).
    pub async fn user_by_email(&self, email: &str) -> KandjiResult<Option<Arc<UserRecord>>> {
        let client = self.client().clone();
        let fetch = || async move { Ok(Arc::new(UserIndex::new(client.list_users().await?))) };
        if let Some(directory) = self.inner.users.peek((), fetch).await {
            return Ok(directory.by_email(email).cloned());
        }
        let candidates = self.client().users_matching(Some(email)).await?;
        let exact = candidates
            .into_iter()
            .find(|u| u.email.as_deref() == Some(email));
        Ok(exact.map(Arc::new))
    }

    /// Every blueprint.
    pub async fn blueprints(&self) -> KandjiResult<Arc<Vec<BlueprintRecord>>> {
        let client = self.client().clone();
        let fetch = || async move { client.list_blueprints().await.map(Arc::new) };
        self.inner.blueprints.get((), fetch).await
    }

    /// Every library item assigned by any blueprint: the tenant's library as far as the API
    /// shows it (there is no single "list library items" endpoint).
    pub async fn tenant_library(&self) -> KandjiResult<Arc<Vec<TenantLibraryItem>>> {
        let cache = self.clone();
        let fetch = || async move {
            let blueprints = cache.blueprints().await?;
            let client = cache.client();
            let lists = futures::future::try_join_all(
                blueprints
                    .iter()
                    .map(|b| client.blueprint_library_items(&b.id)),
            )
            .await?;
            Ok(Arc::new(index::merge_library(blueprints.iter().zip(lists))))
        };
        self.inner.tenant_library.get((), fetch).await
    }

    /// Compliance facts for the whole fleet from the fleet-wide endpoints.
    pub async fn fleet_facts(
        &self,
        settings: &ComplianceSettings,
    ) -> KandjiResult<Arc<FleetFacts>> {
        let fetch = self.read_fleet_facts(settings);
        self.inner.fleet_facts.get((), fetch).await
    }

    /// Whether the fleet-wide facts are being read now: a caller of `fleet_facts` then shares
    /// that read instead of making its own calls.
    pub fn fleet_facts_loading(&self) -> bool {
        self.inner.fleet_facts.is_loading()
    }

    /// The fleet-wide compliance facts if they are cached (fresh or stale), without reading
    /// Kandji when they are not: once read, they serve every page of devices for free.
    pub async fn cached_fleet_facts(
        &self,
        settings: &ComplianceSettings,
    ) -> Option<Arc<FleetFacts>> {
        let fetch = self.read_fleet_facts(settings);
        self.inner.fleet_facts.peek((), fetch).await
    }

    /// How the fleet-wide facts are read from Kandji.
    fn read_fleet_facts(
        &self,
        settings: &ComplianceSettings,
    ) -> impl FnOnce() -> BoxedRead<FleetFacts> + use<> {
        let (cache, settings) = (self.clone(), settings.clone());
        move || {
            Box::pin(async move {
                let facts = crate::bulk::fetch(&cache, &settings).await?;
                Ok(Arc::new(facts))
            })
        }
    }

    /// The FileVault flag of every Mac that reports one (two filtered device lists).
    pub async fn filevault_flags(&self) -> KandjiResult<Arc<HashMap<String, bool>>> {
        let fetch = self.read_filevault_flags();
        self.inner.filevault_flags.get((), fetch).await
    }

    /// The FileVault flags if they are cached (fresh or stale), without reading Kandji.
    pub async fn cached_filevault_flags(&self) -> Option<Arc<HashMap<String, bool>>> {
        let fetch = self.read_filevault_flags();
        self.inner.filevault_flags.peek((), fetch).await
    }

    /// How the FileVault flags are read from Kandji.
    fn read_filevault_flags(&self) -> impl FnOnce() -> BoxedRead<HashMap<String, bool>> + use<> {
        let client = self.client().clone();
        move || Box::pin(async move { crate::bulk::filevault_flags(&client).await.map(Arc::new) })
    }

    /// Which permissions the token holds, probed once per directory lifetime.
    pub async fn permissions(&self) -> KandjiResult<Arc<CheckReport>> {
        let client = self.client().clone();
        let fetch = || async move { Ok(Arc::new(crate::check::run(&client).await)) };
        self.inner.permissions.get((), fetch).await
    }

    /// Approximate bytes held by the per-device caches (details, apps, library items), after
    /// moka's pending evictions have run.
    pub async fn device_bytes(&self) -> u64 {
        let inner = &self.inner;
        inner.details.run_pending_tasks().await;
        inner.apps.run_pending_tasks().await;
        inner.library_items.run_pending_tasks().await;
        inner.details.weighted_size()
            + inner.apps.weighted_size()
            + inner.library_items.weighted_size()
    }

    /// Per-device entries held (details, apps and library items together).
    pub async fn device_entries(&self) -> u64 {
        let inner = &self.inner;
        inner.details.run_pending_tasks().await;
        inner.apps.run_pending_tasks().await;
        inner.library_items.run_pending_tasks().await;
        inner.details.entry_count() + inner.apps.entry_count() + inner.library_items.entry_count()
    }
}

/// A read from Kandji of a value shared through the cache.
type BoxedRead<T> = std::pin::Pin<Box<dyn Future<Output = KandjiResult<Arc<T>>> + Send>>;
