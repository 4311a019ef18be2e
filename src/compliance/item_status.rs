//! What a device's Kandji library-item status means for a compliance check
//! (`reference/compliance.md` §2.3), and the reason shown for each outcome.
//!
//! Kandji has no `FAIL` value: failures arrive as `ERROR` (audit failed) or `failed` (profile
//! failed to install). `AVAILABLE` looks harmless but means the item is only offered in Self
//! Service, so nothing is enforced and the check fails.

use super::{CheckResult, CheckStatus, DeviceItemFact};

/// A Kandji library-item status, grouped by what it means for compliance. The declaration
/// order is the preference order when several matching items are assigned (last wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ItemStatus {
    /// `EXCLUDED`: the device is outside the item's assignment rules.
    Excluded,
    /// `INCOMPATIBLE`: the item cannot apply to this device or OS version.
    Incompatible,
    /// A status this code does not know; reported as unknown, naming the status.
    Unrecognised,
    /// Waiting on the device: `PENDING`, `INSTALLING`, `DOWNLOADING`, `CACHED`,
    /// `CHANGE_PENDING`.
    Pending,
    /// `AVAILABLE`: only offered in Self Service, so not enforced.
    NotEnforced,
    /// `ERROR` or `failed`.
    Failed,
    /// `PASS` or `success`.
    Passing,
}

impl ItemStatus {
    /// Classifies a status as Kandji sent it. Kandji mixes `PENDING` and `pending`, so case and
    /// surrounding spaces are ignored.
    pub(crate) fn classify(status: &str) -> ItemStatus {
        match status.trim().to_ascii_uppercase().as_str() {
            "PASS" | "SUCCESS" => ItemStatus::Passing,
            "ERROR" | "FAILED" => ItemStatus::Failed,
            "AVAILABLE" => ItemStatus::NotEnforced,
            "PENDING" | "INSTALLING" | "DOWNLOADING" | "CACHED" | "CHANGE_PENDING" => {
                ItemStatus::Pending
            }
            "EXCLUDED" => ItemStatus::Excluded,
            "INCOMPATIBLE" => ItemStatus::Incompatible,
            _ => ItemStatus::Unrecognised,
        }
    }
}

/// Sets the check's status, `device_passing` and reason from the assigned item's status.
/// `label` names the kind of item, e.g. `FileVault`.
pub(crate) fn judge(check: &mut CheckResult, label: &str, item: &DeviceItemFact) {
    let (name, status) = (&item.name, &item.status);
    let (outcome, passing, reason) = match ItemStatus::classify(status) {
        ItemStatus::Passing => (
            CheckStatus::Pass,
            Some(true),
            format!("{label} item {name:?} is assigned and reports {status}; nothing to do"),
        ),
        ItemStatus::Failed => (
            CheckStatus::Fail,
            Some(false),
            format!(
                "{label} item {name:?} reports {status} on this device; open the item's log \
                 in Kandji and fix the failure"
            ),
        ),
        ItemStatus::NotEnforced => (
            CheckStatus::Fail,
            Some(false),
            format!(
                "{label} item {name:?} is AVAILABLE in Self Service only, so it is not \
                 enforced; set it to install automatically on the blueprint"
            ),
        ),
        ItemStatus::Pending => (
            CheckStatus::Unknown,
            None,
            format!(
                "{label} item {name:?} is not applied yet ({status}); wait for the next \
                 check-in, or find out why the device has not installed it"
            ),
        ),
        ItemStatus::Excluded => (
            CheckStatus::NotApplicable,
            None,
            format!(
                "{label} item {name:?} is EXCLUDED for this device by its assignment rules; \
                 change the rules if the control should apply to this device"
            ),
        ),
        ItemStatus::Incompatible => (
            CheckStatus::NotApplicable,
            None,
            format!(
                "{label} item {name:?} is INCOMPATIBLE with this device or its macOS version; \
                 update macOS or enforce the control another way"
            ),
        ),
        ItemStatus::Unrecognised => (
            CheckStatus::Unknown,
            None,
            format!(
                "{label} item {name:?} reports an unrecognised status {status:?}; look at the \
                 item on this device in Kandji"
            ),
        ),
    };
    check.status = outcome;
    check.device_passing = passing;
    check.reason = reason;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::ComplianceControl;
    use crate::compliance::fixtures::item;

    fn judged(status: &str) -> CheckResult {
        let mut check = CheckResult::empty(ComplianceControl::Firewall);
        judge(&mut check, "Firewall", &item("fw-0001", "Firewall", status));
        check
    }

    #[test]
    fn statuses_map_to_the_documented_groups_in_either_case() {
        assert_eq!(ItemStatus::classify("PASS"), ItemStatus::Passing);
        assert_eq!(ItemStatus::classify("success"), ItemStatus::Passing);
        assert_eq!(ItemStatus::classify("ERROR"), ItemStatus::Failed);
        assert_eq!(ItemStatus::classify("failed"), ItemStatus::Failed);
        assert_eq!(ItemStatus::classify("AVAILABLE"), ItemStatus::NotEnforced);
        for s in [
            "PENDING",
            "pending",
            "INSTALLING",
            "DOWNLOADING",
            "CACHED",
            "CHANGE_PENDING",
        ] {
            assert_eq!(ItemStatus::classify(s), ItemStatus::Pending, "{s}");
        }
        assert_eq!(ItemStatus::classify("EXCLUDED"), ItemStatus::Excluded);
        assert_eq!(
            ItemStatus::classify("INCOMPATIBLE"),
            ItemStatus::Incompatible
        );
        assert_eq!(ItemStatus::classify("REMEDIATED"), ItemStatus::Unrecognised);
    }

    #[test]
    fn a_pass_is_preferred_over_a_failure_and_a_failure_over_pending() {
        assert!(ItemStatus::Passing > ItemStatus::Failed);
        assert!(ItemStatus::Failed > ItemStatus::Pending);
        assert!(ItemStatus::Pending > ItemStatus::Excluded);
    }

    #[test]
    fn lower_case_success_passes() {
        let check = judged("success");
        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.device_passing, Some(true));
    }

    #[test]
    fn error_item_fails_and_points_at_its_log() {
        let check = judged("ERROR");
        assert_eq!(check.status, CheckStatus::Fail);
        assert_eq!(check.device_passing, Some(false));
        assert_eq!(
            check.reason,
            "Firewall item \"Firewall\" reports ERROR on this device; open the item's log in \
             Kandji and fix the failure"
        );
    }

    #[test]
    fn available_item_fails_as_not_enforced() {
        let check = judged("AVAILABLE");
        assert_eq!(check.status, CheckStatus::Fail);
        assert_eq!(check.device_passing, Some(false));
        assert!(check.reason.contains("not enforced"), "{}", check.reason);
        assert!(
            check.reason.contains("install automatically"),
            "{}",
            check.reason
        );
    }

    #[test]
    fn pending_item_is_unknown() {
        for status in ["pending", "INSTALLING", "CHANGE_PENDING"] {
            let check = judged(status);
            assert_eq!(check.status, CheckStatus::Unknown, "{status}");
            assert_eq!(check.device_passing, None);
            assert!(
                check.reason.contains(&format!("({status})")),
                "{}",
                check.reason
            );
        }
    }

    #[test]
    fn excluded_item_is_not_applicable() {
        let check = judged("EXCLUDED");
        assert_eq!(check.status, CheckStatus::NotApplicable);
        assert_eq!(check.device_passing, None);
    }

    #[test]
    fn incompatible_item_is_not_applicable() {
        assert_eq!(judged("INCOMPATIBLE").status, CheckStatus::NotApplicable);
    }

    #[test]
    fn unrecognised_status_is_unknown_and_named() {
        let check = judged("REMEDIATED");
        assert_eq!(check.status, CheckStatus::Unknown);
        assert!(
            check.reason.contains("unrecognised status \"REMEDIATED\""),
            "{}",
            check.reason
        );
    }
}
