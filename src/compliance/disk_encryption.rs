//! The extra rule for DISK_ENCRYPTION: a passing FileVault item is not enough, the disk must
//! be encrypted too.
//!
//! Kandji reports the FileVault profile as `success` as soon as it is installed, while the disk
//! can still be "Not Encrypted" because enablement is deferred until the user logs out. A
//! status-only check would pass such a Mac, so the device-details flag
//! `filevault.filevault_enabled` decides as well.

use super::{CheckResult, CheckStatus, DeviceFacts, DeviceItemFact};

/// Records the FileVault flag from the device details.
pub(crate) fn note_flag(check: &mut CheckResult, device: &DeviceFacts<'_>) {
    let value = match device.filevault_enabled {
        Some(flag) => flag.to_string(),
        None => "unknown".to_string(),
    };
    check.note("details.filevault.filevault_enabled", value);
}

/// Downgrades a passing FileVault check when the disk is not encrypted (FAIL) or when
/// Kandji did not say (UNKNOWN). Other outcomes are left as the item status made them.
pub(crate) fn require_encrypted_disk(
    check: &mut CheckResult,
    device: &DeviceFacts<'_>,
    item: &DeviceItemFact,
) {
    if check.status != CheckStatus::Pass {
        return;
    }

    let name = &item.name;
    let status = &item.status;
    match device.filevault_enabled {
        Some(true) => {
            check.reason = format!(
                "FileVault item {name:?} reports {status} and the disk is encrypted; nothing to do"
            );
        }
        Some(false) => {
            let deferred = item
                .control_log
                .as_deref()
                .is_some_and(|log| log.to_ascii_lowercase().contains("not encrypted"));
            let why = if deferred {
                "; its control_log says \"Not Encrypted\", so enablement is deferred until the \
                 user logs out"
            } else {
                ""
            };
            check.status = CheckStatus::Fail;
            check.device_passing = Some(false);
            check.reason = format!(
                "FileVault item {name:?} reports {status} but the disk is not encrypted \
                 (details.filevault.filevault_enabled = false){why}; ask the user to log out or \
                 restart so FileVault can finish enabling"
            );
        }
        None => {
            check.status = CheckStatus::Unknown;
            check.device_passing = None;
            check.reason = format!(
                "FileVault item {name:?} reports {status} but Kandji did not report whether the \
                 disk is encrypted; check that the API token may read device details"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::compliance::fixtures::{evidence, item, mac, tenant};
    use crate::compliance::{CheckStatus, ComplianceControl, ControlRule, DeviceFacts};

    fn disk_encryption(device: &DeviceFacts<'_>) -> crate::compliance::CheckResult {
        let rule = ControlRule::default_for(ComplianceControl::DiskEncryption);
        let tenant = tenant(&[("fv-0001", "FileVault")]);
        crate::compliance::library_items::check(
            ComplianceControl::DiskEncryption,
            device,
            Some(&tenant),
            &rule,
        )
    }

    #[test]
    fn filevault_profile_success_on_encrypted_disk_passes() {
        let items = [item("fv-0001", "FileVault", "success")];
        let check = disk_encryption(&mac(&items, &[]));

        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.device_passing, Some(true));
        assert_eq!(
            evidence(&check, "details.filevault.filevault_enabled"),
            Some("true")
        );
        assert_eq!(check.tenant_item, Some(0));
    }

    #[test]
    fn filevault_profile_success_on_unencrypted_disk_fails() {
        let mut fv = item("fv-0001", "FileVault", "success");
        fv.control_log = Some("Not Encrypted".to_string());
        let items = [fv];
        let device = DeviceFacts {
            filevault_enabled: Some(false),
            ..mac(&items, &[])
        };

        let check = disk_encryption(&device);

        assert_eq!(check.status, CheckStatus::Fail);
        assert_eq!(check.device_passing, Some(false));
        assert!(
            check.reason.contains("but the disk is not encrypted"),
            "{}",
            check.reason
        );
        assert!(
            check.reason.contains("enablement is deferred"),
            "{}",
            check.reason
        );
        assert_eq!(
            evidence(&check, "details.filevault.filevault_enabled"),
            Some("false")
        );
        assert_eq!(evidence(&check, "library_item.status"), Some("success"));
        assert_eq!(
            evidence(&check, "library_item.control_log"),
            Some("Not Encrypted")
        );
    }

    #[test]
    fn unencrypted_disk_without_control_log_fails_without_mentioning_deferral() {
        let items = [item("fv-0001", "FileVault", "success")];
        let device = DeviceFacts {
            filevault_enabled: Some(false),
            ..mac(&items, &[])
        };

        let check = disk_encryption(&device);

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(!check.reason.contains("deferred"), "{}", check.reason);
    }

    #[test]
    fn filevault_flag_unknown_with_passing_profile_is_unknown() {
        let items = [item("fv-0001", "FileVault", "success")];
        let device = DeviceFacts {
            filevault_enabled: None,
            ..mac(&items, &[])
        };

        let check = disk_encryption(&device);

        assert_eq!(check.status, CheckStatus::Unknown);
        assert_eq!(check.device_passing, None);
        assert_eq!(
            evidence(&check, "details.filevault.filevault_enabled"),
            Some("unknown")
        );
    }

    #[test]
    fn encrypted_disk_without_filevault_item_still_fails() {
        let items = [item("fw-0001", "Firewall", "PASS")];
        let check = disk_encryption(&mac(&items, &[]));

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(!check.item_assigned);
        assert_eq!(
            check.reason,
            "A FileVault item exists (\"FileVault\") but is not assigned to this device's \
             blueprint; assign it to the blueprint"
        );
        assert_eq!(
            evidence(&check, "details.filevault.filevault_enabled"),
            Some("true")
        );
    }

    #[test]
    fn failed_filevault_profile_stays_failed_whatever_the_flag() {
        let items = [item("fv-0001", "FileVault", "failed")];
        let check = disk_encryption(&mac(&items, &[]));

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(check.reason.contains("reports failed"), "{}", check.reason);
    }
}
