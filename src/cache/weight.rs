//! Approximate memory weights of per-device cache entries, so that the per-device caches are
//! bounded by a byte budget (`--cache-max-mb`) rather than an entry count: one Mac's app list
//! can be a hundred times the size of an iPhone's.
//!
//! A weight is the value's own size plus the text it owns, plus a fixed allowance per heap
//! allocation for the allocator and moka's bookkeeping. It is an estimate, not an exact count.

use std::mem::size_of;

use crate::kandji::models::{
    AppRecord, DeviceApps, DeviceDetails, DeviceLibraryItems, LibraryItemStatus, NamedRef,
};

/// Bytes allowed for each heap allocation and for each cache entry's bookkeeping.
const OVERHEAD: usize = 16;
/// Bytes allowed for each cache entry (key, timestamps, moka's node).
const ENTRY: usize = 160;

/// Something whose approximate size in memory is known.
pub trait Weigh {
    /// About how many bytes the value holds, itself included.
    fn bytes(&self) -> usize;
}

fn text(value: &str) -> usize {
    if value.is_empty() {
        0
    } else {
        value.len() + OVERHEAD
    }
}

fn opt(value: &Option<String>) -> usize {
    value.as_deref().map_or(0, text)
}

impl Weigh for AppRecord {
    fn bytes(&self) -> usize {
        size_of::<Self>()
            + [
                &self.app_id,
                &self.app_name,
                &self.bundle_id,
                &self.version,
                &self.path,
                &self.source,
            ]
            .into_iter()
            .map(opt)
            .sum::<usize>()
    }
}

impl Weigh for DeviceApps {
    fn bytes(&self) -> usize {
        size_of::<Self>()
            + text(&self.device_id)
            + self.apps.iter().map(Weigh::bytes).sum::<usize>()
            + OVERHEAD
    }
}

impl Weigh for NamedRef {
    fn bytes(&self) -> usize {
        size_of::<Self>() + text(&self.id) + text(&self.name)
    }
}

impl Weigh for LibraryItemStatus {
    fn bytes(&self) -> usize {
        let refs = [&self.computer, &self.blueprint]
            .into_iter()
            .flatten()
            .map(|r| r.bytes() + OVERHEAD)
            .sum::<usize>();
        size_of::<Self>()
            + [&self.id, &self.last_audit_log, &self.control_log]
                .into_iter()
                .map(opt)
                .sum::<usize>()
            + [&self.item_id, &self.name, &self.item_type, &self.status]
                .into_iter()
                .map(|s| text(s))
                .sum::<usize>()
            + refs
    }
}

impl Weigh for DeviceLibraryItems {
    fn bytes(&self) -> usize {
        size_of::<Self>()
            + text(&self.device_id)
            + self.library_items.iter().map(Weigh::bytes).sum::<usize>()
            + OVERHEAD
    }
}

impl Weigh for DeviceDetails {
    fn bytes(&self) -> usize {
        let g = &self.general;
        let h = &self.hardware_overview;
        let strings = [
            &g.system_version,
            &g.boot_volume,
            &g.time_since_boot,
            &g.last_user,
            &self.filevault.filevault_recoverykey_type,
            &self.kandji_agent.agent_version,
            &h.model_name,
            &h.model_identifier,
            &h.processor_name,
            &h.total_number_of_cores,
            &h.memory,
            &h.serial_number,
            &h.udid,
        ];
        let volumes = self.volumes.iter().map(|v| {
            [
                &v.name,
                &v.format,
                &v.capacity,
                &v.available,
                &v.percent_used,
            ]
            .into_iter()
            .map(opt)
            .sum::<usize>()
        });
        size_of::<Self>()
            + strings.into_iter().map(opt).sum::<usize>()
            + volumes.sum::<usize>()
            + self.volumes.capacity() * size_of::<crate::kandji::models::DetailsVolume>()
    }
}

/// The weight moka keeps for a cached value: its bytes plus the entry's bookkeeping, capped
/// at what a `u32` holds.
pub fn weight<T: Weigh>(value: &std::sync::Arc<T>) -> u32 {
    u32::try_from(value.bytes() + ENTRY).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(name: &str) -> AppRecord {
        AppRecord {
            app_name: Some(name.to_string()),
            bundle_id: Some(format!("com.example.{name}")),
            ..Default::default()
        }
    }

    #[test]
    fn an_app_list_weighs_in_proportion_to_its_apps() {
        let one = DeviceApps {
            device_id: "d1".into(),
            apps: vec![app("Safari")],
        };
        let hundred = DeviceApps {
            device_id: "d1".into(),
            apps: (0..100).map(|i| app(&format!("App{i}"))).collect(),
        };
        let per_app = app("Safari").bytes();
        assert!(per_app >= size_of::<AppRecord>() + "Safari".len());
        assert!(hundred.bytes() > 90 * per_app, "{}", hundred.bytes());
        assert!(hundred.bytes() > 50 * one.bytes());
    }

    #[test]
    fn an_empty_value_still_weighs_its_entry() {
        let empty = std::sync::Arc::new(DeviceLibraryItems::default());
        assert_eq!(
            weight(&empty) as usize,
            size_of::<DeviceLibraryItems>() + OVERHEAD + ENTRY
        );
    }
}
