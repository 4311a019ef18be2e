//! The verdict on one device: which devices are assessed at all, one check per control, the
//! staleness rule that overrides every check, and the roll-up into an overall status.
//!
//! The per-control logic lives next door: library-item controls in `library_items` (with the
//! FileVault state rule in `disk_encryption`) and the app-list control in
//! `password_managers`.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::{
    CheckResult, CheckStatus, ComplianceControl, ComplianceSettings, ComplianceStatus, DeviceFacts,
    DeviceVerdict, Evidence, TenantItemFact, library_items, password_managers,
};

/// Evaluates every control for one device.
///
/// Devices that are not Macs get `NOT_SUPPORTED` and no checks. Removed devices are evaluated
/// but marked `counted = false` so summaries leave them out. A device whose last check-in is
/// older than `settings.stale_after_days` keeps each check's evidence but every check becomes
/// `UNKNOWN`. An unknown check-in time is not treated as stale.
pub fn evaluate(
    device: &DeviceFacts<'_>,
    tenant_items: Option<&[TenantItemFact]>,
    settings: &ComplianceSettings,
    now: DateTime<Utc>,
) -> DeviceVerdict {
    let counted = !device.is_removed;
    if !device.is_mac {
        return DeviceVerdict {
            status: ComplianceStatus::NotSupported,
            checks: Vec::new(),
            stale: false,
            counted,
        };
    }

    let mut checks: Vec<CheckResult> = ComplianceControl::ALL
        .into_iter()
        .map(|control| match control {
            ComplianceControl::PasswordManager => password_managers::check(device, settings),
            _ => library_items::check(control, device, tenant_items, &settings.rule(control)),
        })
        .collect();

    // Every check read the data as of the last check-in, so every check shows it.
    let last_check_in = device
        .last_check_in
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| "unknown".to_string());
    for check in &mut checks {
        check.note("device.last_check_in", &last_check_in);
    }

    let age_days = stale_age_days(device.last_check_in, settings.stale_after_days, now);
    if let Some(age_days) = age_days {
        for check in &mut checks {
            mark_stale(check, age_days, settings.stale_after_days);
        }
    }

    DeviceVerdict {
        status: overall_status(&checks),
        checks,
        stale: age_days.is_some(),
        counted,
    }
}

/// The age in whole days when the last check-in is older than the limit; `None` when fresh
/// or unknown.
fn stale_age_days(
    last_check_in: Option<DateTime<Utc>>,
    limit_days: u32,
    now: DateTime<Utc>,
) -> Option<i64> {
    let age = now - last_check_in?;
    (age > TimeDelta::days(i64::from(limit_days))).then(|| age.num_days())
}

/// Turns a check into `UNKNOWN` because its data is too old, keeping what it found.
fn mark_stale(check: &mut CheckResult, age_days: i64, limit_days: u32) {
    let before = status_word(check.status);
    // The old advice ("nothing to do") no longer holds; the new one replaces it.
    let finding = check.reason.trim_end_matches("; nothing to do");
    check.reason = format!(
        "Last check-in {age_days} days ago (limit {limit_days} days); last evidence: {before}: \
         {finding}. Get the device online so it checks in with Kandji"
    );
    check.status = CheckStatus::Unknown;
    check.device_passing = None;
}

/// `NON_COMPLIANT` if any check fails, else `UNKNOWN` if any is unknown, else `COMPLIANT`.
/// Not-applicable checks do not count either way.
fn overall_status(checks: &[CheckResult]) -> ComplianceStatus {
    if checks.iter().any(|c| c.status == CheckStatus::Fail) {
        ComplianceStatus::NonCompliant
    } else if checks.iter().any(|c| c.status == CheckStatus::Unknown) {
        ComplianceStatus::Unknown
    } else {
        ComplianceStatus::Compliant
    }
}

/// The status as the schema spells it, for reasons.
fn status_word(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "PASS",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Unknown => "UNKNOWN",
        CheckStatus::NotApplicable => "NOT_APPLICABLE",
    }
}

impl CheckResult {
    /// A check with nothing found yet: `UNKNOWN`, no item, no app, no evidence.
    pub(crate) fn empty(control: ComplianceControl) -> CheckResult {
        CheckResult {
            control,
            status: CheckStatus::Unknown,
            item_exists: false,
            item_assigned: false,
            device_passing: None,
            library_item: None,
            tenant_item: None,
            installed_app: None,
            reason: String::new(),
            evidence: Vec::new(),
        }
    }

    /// Records a field the rule read.
    pub(crate) fn note(&mut self, field: &str, value: impl Into<String>) {
        self.evidence.push(Evidence {
            field: field.to_string(),
            value: value.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::compliance::fixtures::{apps_with_1password, evidence, mac, now, passing_items};

    #[test]
    fn iphone_is_not_supported() {
        let items = passing_items();
        let apps = apps_with_1password();
        let iphone = DeviceFacts {
            is_mac: false,
            ..mac(&items, &apps)
        };

        let verdict = evaluate(&iphone, None, &ComplianceSettings::default(), now());

        assert_eq!(verdict.status, ComplianceStatus::NotSupported);
        assert!(verdict.checks.is_empty());
        assert!(verdict.counted);
    }

    #[test]
    fn mac_with_every_item_passing_and_a_password_manager_is_compliant() {
        let items = passing_items();
        let apps = apps_with_1password();
        let verdict = evaluate(
            &mac(&items, &apps),
            None,
            &ComplianceSettings::default(),
            now(),
        );

        assert_eq!(verdict.status, ComplianceStatus::Compliant);
        let statuses: Vec<CheckStatus> = verdict.checks.iter().map(|c| c.status).collect();
        assert_eq!(statuses, vec![CheckStatus::Pass; 6]);
        let controls: Vec<_> = verdict.checks.iter().map(|c| c.control).collect();
        assert_eq!(controls, ComplianceControl::ALL.to_vec());
        assert!(!verdict.stale);

        // "Passcode & Screen Saver" satisfies both PASSCODE and SCREEN_LOCK.
        assert_eq!(verdict.checks[2].library_item, Some(2));
        assert_eq!(verdict.checks[3].library_item, Some(2));
        assert_eq!(verdict.checks[5].installed_app, Some(1));
    }

    #[test]
    fn stale_device_keeps_evidence_but_is_unknown() {
        let items = passing_items();
        let apps = apps_with_1password();
        let device = DeviceFacts {
            last_check_in: Some(now() - TimeDelta::days(12)),
            ..mac(&items, &apps)
        };

        let verdict = evaluate(&device, None, &ComplianceSettings::default(), now());

        assert!(verdict.stale);
        assert_eq!(verdict.status, ComplianceStatus::Unknown);
        assert!(
            verdict
                .checks
                .iter()
                .all(|c| c.status == CheckStatus::Unknown)
        );
        let fv = &verdict.checks[0];
        assert_eq!(
            fv.reason,
            "Last check-in 12 days ago (limit 7 days); last evidence: PASS: FileVault item \
             \"FileVault\" reports success and the disk is encrypted. Get the device online so \
             it checks in with Kandji"
        );
        assert_eq!(fv.device_passing, None);
        assert_eq!(fv.library_item, Some(0));
        assert!(fv.item_assigned);
        assert_eq!(evidence(fv, "library_item.status"), Some("success"));
        assert_eq!(
            evidence(fv, "device.last_check_in"),
            Some("2025-05-21T12:00:00Z")
        );
    }

    #[test]
    fn check_in_exactly_at_the_limit_is_not_stale() {
        let items = passing_items();
        let apps = apps_with_1password();
        let device = DeviceFacts {
            last_check_in: Some(now() - TimeDelta::days(7)),
            ..mac(&items, &apps)
        };

        let verdict = evaluate(&device, None, &ComplianceSettings::default(), now());

        assert!(!verdict.stale);
        assert_eq!(verdict.status, ComplianceStatus::Compliant);
    }

    #[test]
    fn unknown_check_in_time_is_not_stale() {
        let items = passing_items();
        let apps = apps_with_1password();
        let device = DeviceFacts {
            last_check_in: None,
            ..mac(&items, &apps)
        };

        let verdict = evaluate(&device, None, &ComplianceSettings::default(), now());

        assert!(!verdict.stale);
        assert_eq!(
            evidence(&verdict.checks[1], "device.last_check_in"),
            Some("unknown")
        );
    }

    #[test]
    fn removed_mac_is_evaluated_but_not_counted() {
        let items = passing_items();
        let apps = apps_with_1password();
        let device = DeviceFacts {
            is_removed: true,
            ..mac(&items, &apps)
        };

        let verdict = evaluate(&device, None, &ComplianceSettings::default(), now());

        assert!(!verdict.counted);
        assert_eq!(verdict.status, ComplianceStatus::Compliant);
    }

    #[test]
    fn one_failing_check_outweighs_an_unknown_one() {
        let mut checks = vec![
            CheckResult::empty(ComplianceControl::Firewall),
            CheckResult::empty(ComplianceControl::Passcode),
        ];
        checks[1].status = CheckStatus::Fail;
        assert_eq!(overall_status(&checks), ComplianceStatus::NonCompliant);

        checks[1].status = CheckStatus::NotApplicable;
        assert_eq!(overall_status(&checks), ComplianceStatus::Unknown);

        checks[0].status = CheckStatus::Pass;
        assert_eq!(overall_status(&checks), ComplianceStatus::Compliant);
    }
}
