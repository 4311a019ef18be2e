//! Fleet-wide counts over device verdicts, for the `complianceSummary` query: how many
//! devices are compliant, and per control how many checks pass, fail or are unknown.
//!
//! Removed devices (`counted == false`) are left out entirely. Devices that are not Macs are
//! counted in `total` and `not_supported`, and have no checks to add per control.

use super::{CheckStatus, ComplianceControl, ComplianceStatus, DeviceVerdict};

/// Check outcomes for one control across the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlCounts {
    /// The control counted.
    pub control: ComplianceControl,
    /// Devices passing the control.
    pub pass: usize,
    /// Devices failing the control.
    pub fail: usize,
    /// Devices for which the outcome is unknown (pending, missing data, stale).
    pub unknown: usize,
    /// Devices to which the control does not apply (item excluded or incompatible).
    pub not_applicable: usize,
}

/// Device and per-control counts across the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FleetSummary {
    /// Devices counted (every device except removed ones).
    pub total: usize,
    /// Devices whose every applicable check passes.
    pub compliant: usize,
    /// Devices with at least one failing check.
    pub non_compliant: usize,
    /// Devices with no failing check but at least one unknown.
    pub unknown: usize,
    /// Devices that are not Macs.
    pub not_supported: usize,
    /// One entry per control, in the order of [`ComplianceControl::ALL`].
    pub by_control: Vec<ControlCounts>,
}

impl ControlCounts {
    /// All counts at zero for `control`.
    fn zero(control: ComplianceControl) -> ControlCounts {
        ControlCounts {
            control,
            pass: 0,
            fail: 0,
            unknown: 0,
            not_applicable: 0,
        }
    }
}

/// Counts the verdicts that have `counted == true`.
pub fn summarize<'a>(verdicts: impl IntoIterator<Item = &'a DeviceVerdict>) -> FleetSummary {
    let mut summary = FleetSummary {
        by_control: ComplianceControl::ALL
            .into_iter()
            .map(ControlCounts::zero)
            .collect(),
        ..FleetSummary::default()
    };

    for verdict in verdicts.into_iter().filter(|v| v.counted) {
        summary.total += 1;
        match verdict.status {
            ComplianceStatus::Compliant => summary.compliant += 1,
            ComplianceStatus::NonCompliant => summary.non_compliant += 1,
            ComplianceStatus::Unknown => summary.unknown += 1,
            ComplianceStatus::NotSupported => {
                summary.not_supported += 1;
                continue;
            }
        }

        for check in &verdict.checks {
            let Some(counts) = summary
                .by_control
                .iter_mut()
                .find(|c| c.control == check.control)
            else {
                continue;
            };
            match check.status {
                CheckStatus::Pass => counts.pass += 1,
                CheckStatus::Fail => counts.fail += 1,
                CheckStatus::Unknown => counts.unknown += 1,
                CheckStatus::NotApplicable => counts.not_applicable += 1,
            }
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::CheckResult;

    fn verdict(
        status: ComplianceStatus,
        checks: &[(ComplianceControl, CheckStatus)],
    ) -> DeviceVerdict {
        let checks = checks
            .iter()
            .map(|&(control, status)| CheckResult {
                status,
                ..CheckResult::empty(control)
            })
            .collect();
        DeviceVerdict {
            status,
            checks,
            stale: false,
            counted: true,
        }
    }

    fn counts(summary: &FleetSummary, control: ComplianceControl) -> (usize, usize, usize, usize) {
        let c = summary
            .by_control
            .iter()
            .find(|c| c.control == control)
            .expect("every control");
        (c.pass, c.fail, c.unknown, c.not_applicable)
    }

    #[test]
    fn empty_fleet_has_zero_counts_for_every_control_in_order() {
        let summary = summarize(&[]);

        assert_eq!(summary.total, 0);
        let controls: Vec<_> = summary.by_control.iter().map(|c| c.control).collect();
        assert_eq!(controls, ComplianceControl::ALL.to_vec());
        assert!(
            summary
                .by_control
                .iter()
                .all(|c| c == &ControlCounts::zero(c.control))
        );
    }

    #[test]
    fn devices_and_checks_are_counted_by_status() {
        use CheckStatus::*;
        use ComplianceControl::*;
        let verdicts = [
            verdict(
                ComplianceStatus::Compliant,
                &[(Firewall, Pass), (Passcode, NotApplicable)],
            ),
            verdict(
                ComplianceStatus::NonCompliant,
                &[(Firewall, Fail), (Passcode, Pass)],
            ),
            verdict(
                ComplianceStatus::Unknown,
                &[(Firewall, Unknown), (Passcode, Pass)],
            ),
            verdict(ComplianceStatus::NotSupported, &[]),
        ];

        let summary = summarize(&verdicts);

        assert_eq!(
            (
                summary.total,
                summary.compliant,
                summary.non_compliant,
                summary.unknown
            ),
            (4, 1, 1, 1)
        );
        assert_eq!(summary.not_supported, 1);
        assert_eq!(counts(&summary, Firewall), (1, 1, 1, 0));
        assert_eq!(counts(&summary, Passcode), (2, 0, 0, 1));
        assert_eq!(counts(&summary, DiskEncryption), (0, 0, 0, 0));
    }

    #[test]
    fn removed_device_left_out_of_summary() {
        let mut removed = verdict(
            ComplianceStatus::NonCompliant,
            &[(ComplianceControl::Firewall, CheckStatus::Fail)],
        );
        removed.counted = false;
        let kept = verdict(
            ComplianceStatus::Compliant,
            &[(ComplianceControl::Firewall, CheckStatus::Pass)],
        );

        let summary = summarize([&removed, &kept]);

        assert_eq!(
            (summary.total, summary.compliant, summary.non_compliant),
            (1, 1, 0)
        );
        assert_eq!(counts(&summary, ComplianceControl::Firewall), (1, 0, 0, 0));
    }

    #[test]
    fn removed_phone_is_not_counted_as_not_supported() {
        let mut phone = verdict(ComplianceStatus::NotSupported, &[]);
        phone.counted = false;

        let summary = summarize([&phone]);

        assert_eq!((summary.total, summary.not_supported), (0, 0));
    }
}
