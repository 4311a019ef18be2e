//! Approximate memory weights of per-device cache entries, so that the per-device caches are
//! bounded by a byte budget (`--cache-max-mb`) rather than an entry count: one Mac's app list
//! can be a hundred times the size of an iPhone's.
//!
//! A weight is the value's own size plus the heap blocks it owns, each rounded as a malloc
//! rounds it (16-byte steps, 32 bytes at least, with its header), plus an allowance for moka's
//! bookkeeping of the entry. It is an estimate, not an exact count; measured against resident
//! memory on the mock's fleets it is within about a fifth.

use std::mem::size_of;

use crate::kandji::models::{
    AppRecord, DetailsVolume, DeviceApps, DeviceDetails, DeviceLibraryItems, LibraryItemStatus,
    NamedRef,
};

/// Bytes allowed for each cache entry (key, timestamps, moka's node, the `Arc`).
const ENTRY: usize = 200;

/// What a heap block of `len` bytes takes from the allocator.
fn block(len: usize) -> usize {
    if len == 0 {
        0
    } else {
        (len + 8).next_multiple_of(16).max(32)
    }
}

/// Something whose approximate size in memory is known.
pub trait Weigh {
    /// About how many bytes the value holds, itself included.
    fn bytes(&self) -> usize;
}

fn text(value: &str) -> usize {
    block(value.len())
}

fn opt(value: &Option<String>) -> usize {
    value.as_deref().map_or(0, text)
}

/// A vector's block plus what its elements own beyond their inline size.
fn list<T: Weigh>(items: &Vec<T>) -> usize {
    block(items.capacity() * size_of::<T>())
        + items
            .iter()
            .map(|item| item.bytes() - size_of::<T>())
            .sum::<usize>()
}

impl Weigh for AppRecord {
    fn bytes(&self) -> usize {
        let texts = [
            &self.app_id,
            &self.app_name,
            &self.bundle_id,
            &self.version,
            &self.path,
            &self.source,
        ];
        size_of::<Self>() + texts.into_iter().map(opt).sum::<usize>()
    }
}

impl Weigh for DeviceApps {
    fn bytes(&self) -> usize {
        size_of::<Self>() + text(&self.device_id) + list(&self.apps)
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
            .map(|r| r.bytes() - size_of::<NamedRef>());
        let optional = [&self.id, &self.last_audit_log, &self.control_log];
        let texts = [&self.item_id, &self.name, &self.item_type, &self.status];
        size_of::<Self>()
            + optional.into_iter().map(opt).sum::<usize>()
            + texts.into_iter().map(|t| text(t)).sum::<usize>()
            + refs.sum::<usize>()
    }
}

impl Weigh for DeviceLibraryItems {
    fn bytes(&self) -> usize {
        size_of::<Self>() + text(&self.device_id) + list(&self.library_items)
    }
}

impl Weigh for DetailsVolume {
    fn bytes(&self) -> usize {
        let texts = [
            &self.name,
            &self.format,
            &self.capacity,
            &self.available,
            &self.percent_used,
        ];
        size_of::<Self>() + texts.into_iter().map(opt).sum::<usize>()
    }
}

impl Weigh for DeviceDetails {
    fn bytes(&self) -> usize {
        let g = &self.general;
        let h = &self.hardware_overview;
        let texts = [
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
        size_of::<Self>() + texts.into_iter().map(opt).sum::<usize>() + list(&self.volumes)
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
        // An app: its record, a 32-byte block for "Safari" and one for its bundle id.
        let per_app = app("Safari").bytes();
        assert_eq!(per_app, size_of::<AppRecord>() + 32 + 32);
        assert!(hundred.bytes() >= 100 * per_app, "{}", hundred.bytes());
        assert!(hundred.bytes() > 50 * one.bytes());
    }

    #[test]
    fn an_empty_value_still_weighs_its_entry() {
        let empty = std::sync::Arc::new(DeviceLibraryItems::default());
        assert_eq!(
            weight(&empty) as usize,
            size_of::<DeviceLibraryItems>() + ENTRY
        );
    }
}
