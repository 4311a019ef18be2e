//! Compliance facts for the whole fleet from Kandji's fleet-wide endpoints, so that a fleet
//! view costs a few dozen calls instead of three per Mac.
//!
//! - library item statuses across devices (`/library/library-items/{id}/status`), only for the
//!   items that enforce a control;
//! - the device list filtered by `filevault_enabled=true` and `=false` for the disk-encryption
//!   flag of every Mac, with or without the agent (a Mac in neither list has no reported flag
//!   and is read one by one, as the per-device path would);
//! - Prism `apps` filtered to the password managers' bundle ids and names.
//!
//! Statuses and Prism need the *Library items* and *Visibility (Prism)* permissions that Drata
//! does not ask for; without them the gateway falls back to per-device calls, with the same
//! answers.

mod pages;
mod verdicts;

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::try_join_all;
use serde::Deserialize;
use serde_json::json;

use crate::cache::TenantCache;
use crate::compliance::{ComplianceSettings, enforces_a_control};
use crate::kandji::models::{AppRecord, DeviceApps, DeviceLibraryItems, LibraryItemStatus};
use crate::kandji::{KandjiClient, KandjiResult};
use pages::{PrismQuery, device_ids_where, statuses_first, statuses_rest};
pub use verdicts::KeptVerdicts;

/// What the fleet-wide endpoints say about every device.
#[derive(Debug, Default)]
pub struct FleetFacts {
    library: HashMap<String, Arc<DeviceLibraryItems>>,
    apps: HashMap<String, Arc<DeviceApps>>,
    filevault: HashMap<String, bool>,
    /// Verdicts already computed from these facts.
    pub verdicts: KeptVerdicts,
}

impl FleetFacts {
    /// The device's statuses for the items that enforce controls (empty when none).
    pub fn library_items(&self, device_id: &str) -> Arc<DeviceLibraryItems> {
        self.library.get(device_id).cloned().unwrap_or_else(|| {
            Arc::new(DeviceLibraryItems {
                device_id: device_id.to_string(),
                library_items: vec![],
            })
        })
    }

    /// The device's password-manager apps (empty when none).
    pub fn apps(&self, device_id: &str) -> Arc<DeviceApps> {
        self.apps.get(device_id).cloned().unwrap_or_else(|| {
            Arc::new(DeviceApps {
                device_id: device_id.to_string(),
                apps: vec![],
            })
        })
    }

    /// The FileVault flag, when the device is in one of the two filtered device lists.
    pub fn filevault_enabled(&self, device_id: &str) -> Option<bool> {
        self.filevault.get(device_id).copied()
    }
}

/// A Prism `apps` row: the device plus the same app fields as `/devices/{id}/apps`.
#[derive(Debug, Deserialize)]
struct PrismAppRow {
    device_id: String,
    #[serde(flatten)]
    app: AppRecord,
}

/// Reads the fleet-wide facts the compliance rules need.
pub async fn fetch(cache: &TenantCache, settings: &ComplianceSettings) -> KandjiResult<FleetFacts> {
    let client = cache.client();
    let library = cache.tenant_library().await?;
    let control_items: Vec<&str> = library
        .iter()
        .filter(|item| enforces_a_control(settings, &item.id, &item.name))
        .map(|item| item.id.as_str())
        .collect();

    let bundle_ids: Vec<&str> = settings
        .password_managers
        .iter()
        .flat_map(|m| m.bundle_ids.iter().map(String::as_str))
        .collect();
    let name_patterns: Vec<String> = settings
        .password_managers
        .iter()
        .flat_map(|m| m.app_names.iter().map(|n| format!("{n}%")))
        .collect();
    let by_bundle = json!({"bundle_id": {"in": bundle_ids}});
    let by_name = json!({"app_name": {"like": name_patterns}});
    let by_bundle = PrismQuery {
        category: "apps",
        filter: &by_bundle,
    };
    let by_name = PrismQuery {
        category: "apps",
        filter: &by_name,
    };

    // The first page of each permission-gated listing, together: a token without the
    // permissions is refused once per endpoint, before anything else is spent.
    let first_status = async {
        match control_items.first() {
            Some(id) => statuses_first(client, id).await.map(Some),
            None => Ok(None),
        }
    };
    let (first_status, bundle_first, name_first) = tokio::try_join!(
        first_status,
        by_bundle.first::<PrismAppRow>(client),
        by_name.first::<PrismAppRow>(client),
    )?;

    // Then every other page at once, with the two FileVault lists.
    let statuses = async {
        let first = match (control_items.first(), first_status) {
            (Some(id), Some(page)) => statuses_rest(client, id, page).await?,
            _ => vec![],
        };
        let rest = try_join_all(control_items.iter().skip(1).map(|id| async move {
            let page = statuses_first(client, id).await?;
            statuses_rest(client, id, page).await
        }))
        .await?;
        Ok(first
            .into_iter()
            .chain(rest.into_iter().flatten())
            .collect::<Vec<_>>())
    };
    let (statuses, apps_by_bundle, apps_by_name, filevault) = tokio::try_join!(
        statuses,
        by_bundle.rest(client, bundle_first),
        by_name.rest(client, name_first),
        filevault_flags(client),
    )?;

    Ok(FleetFacts {
        library: library_by_device(statuses),
        apps: apps_by_device(apps_by_bundle.into_iter().chain(apps_by_name)),
        filevault,
        verdicts: KeptVerdicts::default(),
    })
}

/// The FileVault flag of every Mac that reports one, from the device list filtered by
/// `filevault_enabled=true` and `=false` (the *Device list* permission alone suffices).
pub async fn filevault_flags(client: &KandjiClient) -> KandjiResult<HashMap<String, bool>> {
    let (encrypted, unencrypted) = tokio::try_join!(
        device_ids_where(client, ("filevault_enabled", "true")),
        device_ids_where(client, ("filevault_enabled", "false")),
    )?;
    Ok(unencrypted
        .into_iter()
        .map(|id| (id, false))
        .chain(encrypted.into_iter().map(|id| (id, true)))
        .collect())
}

/// Status rows grouped by device, in the order Kandji sent them.
fn library_by_device(statuses: Vec<LibraryItemStatus>) -> HashMap<String, Arc<DeviceLibraryItems>> {
    let mut rows: HashMap<String, Vec<LibraryItemStatus>> = HashMap::new();
    for row in statuses {
        let Some(device) = row.computer.as_ref().map(|c| c.id.to_string()) else {
            continue;
        };
        rows.entry(device).or_default().push(row);
    }
    rows.into_iter()
        .map(|(id, library_items)| {
            let items = DeviceLibraryItems {
                device_id: id.clone(),
                library_items,
            };
            (id, Arc::new(items))
        })
        .collect()
}

/// Prism app rows grouped by device, one row per app.
fn apps_by_device(rows: impl Iterator<Item = PrismAppRow>) -> HashMap<String, Arc<DeviceApps>> {
    let mut by_device: HashMap<String, Vec<AppRecord>> = HashMap::new();
    for row in rows {
        let apps = by_device.entry(row.device_id).or_default();
        // The two filters overlap: keep one row per app.
        if !apps
            .iter()
            .any(|a| a.app_id == row.app.app_id && a.bundle_id == row.app.bundle_id)
        {
            apps.push(row.app);
        }
    }
    by_device
        .into_iter()
        .map(|(id, apps)| {
            let apps = DeviceApps {
                device_id: id.clone(),
                apps,
            };
            (id, Arc::new(apps))
        })
        .collect()
}
