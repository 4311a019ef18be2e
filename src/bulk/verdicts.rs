//! Verdicts computed from one set of fleet-wide facts, kept for a minute: a warm dashboard
//! asks for the same pages again and again, and running the compliance rules for every device
//! of every page costs more CPU than everything else in the answer.
//!
//! A kept verdict is reused only for the very same inputs: the same device-list entry and
//! the same tenant library (by identity, so a refreshed list or library is judged afresh),
//! and within [`KEEP_FOR`], so that a device crossing the check-in staleness limit is seen
//! within a minute. Verdicts that read a device's own details, or that met an upstream
//! error, are not kept. At most [`KEEP_AT_MOST`] are kept (a verdict with its evidence is
//! some 5 KB): enough for the pages a dashboard shows, without doubling the memory of a
//! large fleet's compliance data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cache::TenantLibraryItem;
use crate::compliance::DeviceVerdict;
use crate::kandji::models::DeviceRecord;

/// How long a verdict is reused.
const KEEP_FOR: Duration = Duration::from_secs(60);
/// How many verdicts are kept at most.
pub const KEEP_AT_MOST: usize = 1_000;

/// The tenant library a verdict was judged against.
pub type Library = Option<Arc<Vec<TenantLibraryItem>>>;

/// Kept verdicts by device id.
#[derive(Debug, Default)]
pub struct KeptVerdicts {
    by_device: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug)]
struct Kept {
    device: Arc<DeviceRecord>,
    library: Library,
    verdict: DeviceVerdict,
    at: Instant,
}

fn same_library(a: &Library, b: &Library) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

impl KeptVerdicts {
    /// The verdict kept for `device` judged against `library`, if still good.
    pub fn get(&self, device: &Arc<DeviceRecord>, library: &Library) -> Option<DeviceVerdict> {
        let kept = self.lock();
        let kept = kept.get(&device.device_id)?;
        let same = Arc::ptr_eq(&kept.device, device) && same_library(&kept.library, library);
        (same && kept.at.elapsed() < KEEP_FOR).then(|| kept.verdict.clone())
    }

    /// Keeps `verdict` for `device` judged against `library`.
    pub fn keep(&self, device: &Arc<DeviceRecord>, library: &Library, verdict: &DeviceVerdict) {
        let kept = Kept {
            device: device.clone(),
            library: library.clone(),
            verdict: verdict.clone(),
            at: Instant::now(),
        };
        let mut by_device = self.lock();
        if by_device.len() >= KEEP_AT_MOST && !by_device.contains_key(&device.device_id) {
            by_device.retain(|_, k| k.at.elapsed() < KEEP_FOR);
            if by_device.len() >= KEEP_AT_MOST {
                return;
            }
        }
        by_device.insert(device.device_id.clone(), kept);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        self.by_device.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::ComplianceStatus;

    fn verdict() -> DeviceVerdict {
        DeviceVerdict {
            status: ComplianceStatus::Compliant,
            checks: vec![],
            stale: false,
            counted: true,
        }
    }

    fn device(id: &str) -> Arc<DeviceRecord> {
        Arc::new(DeviceRecord {
            device_id: id.into(),
            ..Default::default()
        })
    }

    #[test]
    fn a_verdict_is_reused_only_for_the_same_entry_and_library() {
        let kept = KeptVerdicts::default();
        let (mac, library) = (device("d1"), Some(Arc::new(vec![])));
        kept.keep(&mac, &library, &verdict());
        assert_eq!(kept.get(&mac, &library), Some(verdict()));

        // A refreshed device list or library holds new values: judge again.
        assert_eq!(kept.get(&device("d1"), &library), None);
        assert_eq!(kept.get(&mac, &Some(Arc::new(vec![]))), None);
        assert_eq!(kept.get(&mac, &None), None);
        assert_eq!(kept.get(&device("d2"), &library), None);
    }

    #[test]
    fn no_more_than_the_limit_are_kept() {
        let kept = KeptVerdicts::default();
        let library = Some(Arc::new(vec![]));
        let devices: Vec<_> = (0..KEEP_AT_MOST + 5)
            .map(|i| device(&format!("d{i}")))
            .collect();
        for d in &devices {
            kept.keep(d, &library, &verdict());
        }
        assert_eq!(kept.lock().len(), KEEP_AT_MOST);
        assert!(kept.get(&devices[0], &library).is_some());
        assert!(kept.get(&devices[KEEP_AT_MOST], &library).is_none());
    }
}
