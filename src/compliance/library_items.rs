//! Controls enforced by a Kandji library item (FileVault, Firewall, Passcode, Screen Saver,
//! Software Update), checked the way compliance platforms ask: does a matching item exist in
//! the tenant, is it assigned to this device, and does the device pass it.
//!
//! The tenant list is only used to tell "exists but not assigned" from "does not exist". An
//! item assigned to the device counts as existing even when the tenant list lacks it.

use chrono::SecondsFormat;

use super::item_status::{self, ItemStatus};
use super::matching::{describe_search, item_matches, quoted_names};
use super::{
    CheckResult, ComplianceControl, ControlRule, DeviceFacts, DeviceItemFact, TenantItemFact,
    disk_encryption, unassigned,
};

/// Checks one item-based control on a Mac.
pub(crate) fn check(
    control: ComplianceControl,
    device: &DeviceFacts<'_>,
    tenant_items: Option<&[TenantItemFact]>,
    rule: &ControlRule,
) -> CheckResult {
    let label = item_label(control);
    let mut check = CheckResult::empty(control);
    check.note("rule.match", describe_search(rule));

    // Existence in the tenant, when the tenant's library could be read.
    let tenant_matches: Option<Vec<usize>> = tenant_items.map(|items| {
        (0..items.len())
            .filter(|&i| item_matches(rule, &items[i].id, &items[i].name))
            .collect()
    });
    match (tenant_items, &tenant_matches) {
        (Some(items), Some(found)) => {
            let names = quoted_names(found.iter().map(|&i| items[i].name.as_str()));
            check.note(
                "tenant.library_items",
                format!("{} items; matching: {names}", items.len()),
            );
            check.item_exists = !found.is_empty();
            check.tenant_item = found.first().copied();
        }
        _ => check.note("tenant.library_items", "unavailable"),
    }
    if control == ComplianceControl::DiskEncryption {
        disk_encryption::note_flag(&mut check, device);
    }

    let Some(device_items) = device.library_items else {
        check.note("device.library_items", "unavailable");
        check.reason = format!(
            "Could not read this device's library items from Kandji, so whether a {label} item \
             is assigned is unknown; check that the API token may read device library items"
        );
        return check;
    };

    let assigned: Vec<usize> = (0..device_items.len())
        .filter(|&i| item_matches(rule, &device_items[i].item_id, &device_items[i].name))
        .collect();
    let names = quoted_names(assigned.iter().map(|&i| device_items[i].name.as_str()));
    check.note(
        "device.library_items",
        format!("{} items; matching: {names}", device_items.len()),
    );

    let Some(chosen) = most_informative(device_items, &assigned) else {
        unassigned::judge(
            &mut check,
            label,
            rule,
            tenant_items,
            tenant_matches.as_deref(),
        );
        return check;
    };

    // Assigned: the item exists whether or not the tenant list shows it.
    let item = &device_items[chosen];
    check.item_exists = true;
    check.item_assigned = true;
    check.library_item = Some(chosen);
    check.tenant_item = tenant_items.and_then(|items| {
        items
            .iter()
            .position(|t| t.id.eq_ignore_ascii_case(&item.item_id))
    });
    note_item(&mut check, item);

    item_status::judge(&mut check, label, item);
    if control == ComplianceControl::DiskEncryption {
        disk_encryption::require_encrypted_disk(&mut check, device, item);
    }
    if assigned.len() > 1 {
        check.reason.push_str(&format!(
            " ({} matching items assigned: {names}; \"{}\" was used)",
            assigned.len(),
            item.name
        ));
    }
    check
}

/// How reasons name the item a control needs.
fn item_label(control: ComplianceControl) -> &'static str {
    match control {
        ComplianceControl::DiskEncryption => "FileVault",
        ComplianceControl::Firewall => "Firewall",
        ComplianceControl::Passcode => "Passcode",
        ComplianceControl::ScreenLock => "Screen Saver",
        ComplianceControl::SoftwareUpdate => "Software Update (Managed OS)",
        ComplianceControl::PasswordManager => "password manager",
    }
}

/// Among several assigned items, the passing one if any, else the most informative status;
/// on a tie, the one reported most recently.
fn most_informative(items: &[DeviceItemFact], assigned: &[usize]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for &i in assigned {
        let rank = |j: usize| (ItemStatus::classify(&items[j].status), items[j].reported_at);
        if best.is_none_or(|b| rank(i) > rank(b)) {
            best = Some(i);
        }
    }
    best
}

/// Records the fields of the chosen device item.
fn note_item(check: &mut CheckResult, item: &DeviceItemFact) {
    check.note("library_item.name", &item.name);
    check.note("library_item.item_id", &item.item_id);
    check.note("library_item.status", &item.status);
    let reported = item
        .reported_at
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| "unknown".into());
    check.note("library_item.reported_at", reported);
    if let Some(log) = &item.last_audit_log {
        check.note("library_item.last_audit_log", log);
    }
    if let Some(log) = &item.control_log {
        check.note("library_item.control_log", log);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::CheckStatus;
    use crate::compliance::fixtures::{evidence, item, mac, tenant};

    fn run(
        control: ComplianceControl,
        items: &[DeviceItemFact],
        tenant_items: Option<&[TenantItemFact]>,
    ) -> CheckResult {
        check(
            control,
            &mac(items, &[]),
            tenant_items,
            &ControlRule::default_for(control),
        )
    }

    #[test]
    fn screen_saver_item_named_with_hyphen_still_matches() {
        let items = [item("ss-0001", "Screen-Saver 15 min", "success")];
        let check = run(ComplianceControl::ScreenLock, &items, None);

        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.library_item, Some(0));
        assert_eq!(
            evidence(&check, "library_item.name"),
            Some("Screen-Saver 15 min")
        );
    }

    #[test]
    fn assigned_item_missing_from_tenant_list_still_counts_as_existing() {
        let library = tenant(&[("fv-0001", "FileVault")]);
        let items = [item("fw-0009", "Firewall (new)", "PASS")];

        let check = run(ComplianceControl::Firewall, &items, Some(&library));

        assert_eq!(check.status, CheckStatus::Pass);
        assert!(check.item_exists);
        assert!(check.item_assigned);
        assert_eq!(check.tenant_item, None);
    }

    #[test]
    fn unreadable_tenant_library_infers_existence_from_assignment() {
        let items = [item("pc-0001", "Passcode", "PASS")];
        let check = run(ComplianceControl::Passcode, &items, None);

        assert_eq!(check.status, CheckStatus::Pass);
        assert!(check.item_exists);
        assert_eq!(
            evidence(&check, "tenant.library_items"),
            Some("unavailable")
        );
    }

    #[test]
    fn unreadable_device_library_items_is_unknown() {
        let library = tenant(&[("fw-0001", "Firewall")]);
        let device = DeviceFacts {
            library_items: None,
            ..mac(&[], &[])
        };
        let rule = ControlRule::default_for(ComplianceControl::Firewall);

        let check = check(ComplianceControl::Firewall, &device, Some(&library), &rule);

        assert_eq!(check.status, CheckStatus::Unknown);
        assert!(check.item_exists);
        assert!(!check.item_assigned);
        assert_eq!(
            evidence(&check, "device.library_items"),
            Some("unavailable")
        );
        assert!(
            check
                .reason
                .starts_with("Could not read this device's library items")
        );
    }

    #[test]
    fn passing_item_wins_over_failing_duplicate_and_count_is_mentioned() {
        let items = [
            item("fw-0001", "Firewall (strict)", "ERROR"),
            item("fw-0002", "Firewall", "PASS"),
        ];
        let check = run(ComplianceControl::Firewall, &items, None);

        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.library_item, Some(1));
        assert!(
            check.reason.ends_with(
                "(2 matching items assigned: \"Firewall (strict)\", \"Firewall\"; \"Firewall\" \
                 was used)"
            ),
            "{}",
            check.reason
        );
    }

    #[test]
    fn failing_duplicate_is_preferred_over_pending_one() {
        let items = [
            item("os-0001", "Managed OS for macOS 14", "PENDING"),
            item("os-0002", "Managed OS for macOS 15", "ERROR"),
        ];
        let check = run(ComplianceControl::SoftwareUpdate, &items, None);

        assert_eq!(check.status, CheckStatus::Fail);
        assert_eq!(check.library_item, Some(1));
    }

    #[test]
    fn explicit_item_id_ignores_items_matching_only_by_keyword() {
        let items = [
            item("fw-0001", "Firewall", "PASS"),
            item("alf-77", "ALF policy", "ERROR"),
        ];
        let rule = ControlRule {
            keywords: vec![],
            item_ids: vec!["alf-77".into()],
        };

        let check = check(ComplianceControl::Firewall, &mac(&items, &[]), None, &rule);

        assert_eq!(check.status, CheckStatus::Fail);
        assert_eq!(check.library_item, Some(1));
        assert_eq!(evidence(&check, "rule.match"), Some("item ids \"alf-77\""));
    }
}
