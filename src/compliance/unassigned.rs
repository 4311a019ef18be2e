//! The verdict when no matching library item is assigned to the device.
//!
//! The tenant's library decides between "exists but not assigned" (assign it) and "does not
//! exist" (create it); both fail. When the tenant's library could not be read, the two cannot
//! be told apart, so the check is UNKNOWN instead.

use super::matching::{describe_search, quoted_names};
use super::{CheckResult, CheckStatus, ControlRule, TenantItemFact};

/// No matching item on the device: a failure when the tenant list says whether one exists,
/// unknown when it could not be read.
pub(crate) fn judge(
    check: &mut CheckResult,
    label: &str,
    rule: &ControlRule,
    tenant_items: Option<&[TenantItemFact]>,
    tenant_matches: Option<&[usize]>,
) {
    match (tenant_items, tenant_matches) {
        (Some(items), Some(found)) if !found.is_empty() => {
            let names = quoted_names(found.iter().map(|&i| items[i].name.as_str()));
            check.status = CheckStatus::Fail;
            check.reason = format!(
                "A {label} item exists ({names}) but is not assigned to this device's blueprint; \
                 assign it to the blueprint"
            );
        }
        (Some(_), _) => {
            check.status = CheckStatus::Fail;
            let searched = if rule.item_ids.is_empty() {
                format!(
                    "searched item names for {}",
                    quoted_names(rule.keywords.iter().map(String::as_str))
                )
            } else {
                format!("searched for {}", describe_search(rule))
            };
            check.reason = format!(
                "No {label} item in the tenant's library ({searched}); create one and assign it \
                 to this device's blueprint"
            );
        }
        (None, _) => {
            check.status = CheckStatus::Unknown;
            check.reason = format!(
                "No {label} item is assigned to this device and Kandji could not read the \
                 tenant's library, so whether one exists is unknown; assign a {label} item to \
                 the blueprint or let the API token read blueprints"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::compliance::fixtures::{item, mac, tenant};
    use crate::compliance::library_items::check;
    use crate::compliance::{CheckResult, DeviceItemFact, TenantItemFact};
    use crate::compliance::{CheckStatus, ComplianceControl, ControlRule};

    fn run(
        control: ComplianceControl,
        items: &[DeviceItemFact],
        tenant_items: Option<&[TenantItemFact]>,
    ) -> CheckResult {
        let rule = ControlRule::default_for(control);
        check(control, &mac(items, &[]), tenant_items, &rule)
    }

    #[test]
    fn item_in_tenant_but_not_on_device_fails_as_unassigned() {
        let library = tenant(&[("fw-0001", "Firewall"), ("fv-0001", "FileVault")]);
        let items = [item("os-0001", "Managed OS for macOS 15", "PASS")];

        let check = run(ComplianceControl::Firewall, &items, Some(&library));

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(check.item_exists);
        assert!(!check.item_assigned);
        assert_eq!(check.device_passing, None);
        assert_eq!(check.tenant_item, Some(0));
        assert_eq!(
            check.reason,
            "A Firewall item exists (\"Firewall\") but is not assigned to this device's \
             blueprint; assign it to the blueprint"
        );
    }

    #[test]
    fn no_matching_item_in_tenant_fails_naming_the_keywords() {
        let library = tenant(&[("fw-0001", "Firewall")]);
        let check = run(ComplianceControl::ScreenLock, &[], Some(&library));

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(!check.item_exists);
        assert_eq!(
            check.reason,
            "No Screen Saver item in the tenant's library (searched item names for \
             \"screen saver\", \"screensaver\"); create one and assign it to this device's \
             blueprint"
        );
    }

    #[test]
    fn unreadable_tenant_library_and_no_assigned_item_is_unknown() {
        let check = run(ComplianceControl::Passcode, &[], None);

        assert_eq!(check.status, CheckStatus::Unknown);
        assert!(!check.item_exists);
        assert!(
            check.reason.contains("could not read the tenant's library"),
            "{}",
            check.reason
        );
    }

    #[test]
    fn missing_explicit_item_id_names_the_ids_searched() {
        let library = tenant(&[("fw-0001", "Firewall")]);
        let rule = ControlRule {
            keywords: vec![],
            item_ids: vec!["alf-77".into()],
        };

        let check = check(
            ComplianceControl::Firewall,
            &mac(&[], &[]),
            Some(&library),
            &rule,
        );

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(
            check.reason.contains("(searched for item ids \"alf-77\")"),
            "{}",
            check.reason
        );
    }
}
