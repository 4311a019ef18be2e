//! Compliance facts for the whole fleet from Kandji's fleet-wide endpoints, so that a fleet
//! view costs a few dozen calls instead of three per Mac.
//!
//! - library item statuses across devices (`/library/library-items/{id}/status`), only for the
//!   items that enforce a control;
//! - Prism `filevault` for the disk-encryption flag;
//! - Prism `apps` filtered to the password managers' bundle ids and names.
//!
//! These need the *Library items* and *Visibility (Prism)* permissions that Drata does not ask
//! for; without them the gateway falls back to per-device calls, with the same answers.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::cache::TenantCache;
use crate::compliance::{ComplianceSettings, enforces_a_control};
use crate::kandji::KandjiResult;
use crate::kandji::models::{
    AppRecord, DeviceApps, DeviceLibraryItems, LibraryItemStatus, PrismFileVaultRow,
};

/// What the fleet-wide endpoints say about every device.
#[derive(Debug, Default)]
pub struct FleetFacts {
    library: HashMap<String, Arc<DeviceLibraryItems>>,
    apps: HashMap<String, Arc<DeviceApps>>,
    filevault: HashMap<String, Option<bool>>,
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

    /// The FileVault flag, when Prism has a row for the device.
    pub fn filevault_enabled(&self, device_id: &str) -> Option<bool> {
        self.filevault.get(device_id).copied().flatten()
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
    let control_items: Vec<_> = library
        .iter()
        .filter(|item| enforces_a_control(settings, &item.id, &item.name))
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

    // One call to each kind of fleet-wide endpoint first: a token without the permission is
    // then refused once, not once per item.
    let filevault = client.prism::<PrismFileVaultRow>("filevault", None).await?;
    let mut statuses = Vec::with_capacity(control_items.len());
    if let Some(first) = control_items.first() {
        statuses.push(client.library_item_statuses(&first.id).await?);
    }
    let rest = futures::future::try_join_all(
        control_items
            .iter()
            .skip(1)
            .map(|item| Box::pin(client.library_item_statuses(&item.id))),
    );
    let (rest, apps_by_bundle, apps_by_name) = tokio::try_join!(
        rest,
        Box::pin(client.prism::<PrismAppRow>("apps", Some(&by_bundle))),
        Box::pin(client.prism::<PrismAppRow>("apps", Some(&by_name))),
    )?;
    statuses.extend(rest);

    let mut library_rows: HashMap<String, Vec<LibraryItemStatus>> = HashMap::new();
    for row in statuses.into_iter().flatten() {
        let Some(device) = row.computer.as_ref().map(|c| c.id.clone()) else {
            continue;
        };
        library_rows.entry(device).or_default().push(row);
    }
    let mut app_rows: HashMap<String, Vec<AppRecord>> = HashMap::new();
    for row in apps_by_bundle.into_iter().chain(apps_by_name) {
        let apps = app_rows.entry(row.device_id).or_default();
        // The two filters overlap: keep one row per app.
        if !apps
            .iter()
            .any(|a| a.app_id == row.app.app_id && a.bundle_id == row.app.bundle_id)
        {
            apps.push(row.app);
        }
    }

    Ok(FleetFacts {
        library: library_rows
            .into_iter()
            .map(|(id, rows)| {
                let items = DeviceLibraryItems {
                    device_id: id.clone(),
                    library_items: rows,
                };
                (id, Arc::new(items))
            })
            .collect(),
        apps: app_rows
            .into_iter()
            .map(|(id, apps)| {
                (
                    id.clone(),
                    Arc::new(DeviceApps {
                        device_id: id,
                        apps,
                    }),
                )
            })
            .collect(),
        filevault: filevault
            .into_iter()
            .map(|row| (row.device_id, row.status))
            .collect(),
    })
}
