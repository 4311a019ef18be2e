//! PASSWORD_MANAGER: an approved password manager's desktop app must be in the device's app
//! list. No library item is involved.
//!
//! Kandji only sees installed apps, never browser extensions, so a person using an extension
//! alone fails and is told why. The full app list needs the Kandji agent: on a Mac without it
//! a missing app proves nothing, so the check is UNKNOWN rather than FAIL.

use super::password_manager_apps::find;
use super::{CheckResult, CheckStatus, ComplianceControl, ComplianceSettings, DeviceFacts};

/// Checks PASSWORD_MANAGER on a Mac against the configured allow-list.
pub(crate) fn check(device: &DeviceFacts<'_>, settings: &ComplianceSettings) -> CheckResult {
    let mut check = CheckResult::empty(ComplianceControl::PasswordManager);
    let agent = match device.agent_installed {
        Some(flag) => flag.to_string(),
        None => "unknown".to_string(),
    };
    check.note("device.agent_installed", agent);

    let Some(apps) = device.apps else {
        check.note("device.apps", "unavailable");
        check.reason = "Could not read this device's app list from Kandji, so whether a password \
                        manager is installed is unknown; check that the API token may read \
                        device apps"
            .to_string();
        return check;
    };
    check.note("device.apps", format!("{} apps", apps.len()));

    if let Some(found) = find(apps, &settings.password_managers) {
        let app = &apps[found.app];
        check.status = CheckStatus::Pass;
        check.device_passing = Some(true);
        check.installed_app = Some(found.app);
        check.note("app.name", &app.name);
        check.note("app.bundle_id", app.bundle_id.as_deref().unwrap_or("none"));
        check.note("app.matched_by", found.by);
        check.reason = format!(
            "{} is installed (app {:?}, matched by {}); nothing to do",
            found.rule.name, app.name, found.by
        );
        return check;
    }

    match device.agent_installed {
        Some(true) => {
            let approved: Vec<&str> = settings
                .password_managers
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            check.status = CheckStatus::Fail;
            check.device_passing = Some(false);
            check.reason = format!(
                "No approved password manager among the installed apps (browser \
                 extensions are not visible to Kandji); install an approved password manager \
                 app: {}",
                approved.join(", ")
            );
        }
        Some(false) => {
            check.reason = "No approved password manager among the apps Kandji lists, but the \
                 Kandji agent is not installed, so the list may be incomplete; install the \
                 Kandji agent on this Mac"
                .to_string();
        }
        None => {
            check.reason = "No approved password manager among the apps Kandji lists, but Kandji \
                 did not say whether its agent is installed, so the list may be incomplete; \
                 check the device's agent status in Kandji"
                .to_string();
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::fixtures::{app, evidence, mac};

    fn run(device: &DeviceFacts<'_>) -> CheckResult {
        check(device, &ComplianceSettings::default())
    }

    #[test]
    fn password_manager_matched_by_bundle_id_ignoring_case() {
        let apps = [
            app("Safari", Some("com.apple.Safari")),
            app("BW", Some("COM.BITWARDEN.DESKTOP")),
        ];
        let check = run(&mac(&[], &apps));

        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.installed_app, Some(1));
        assert_eq!(evidence(&check, "app.matched_by"), Some("bundle id"));
        assert!(!check.item_exists && !check.item_assigned);
    }

    #[test]
    fn password_manager_matched_by_name_only() {
        let apps = [app("1Password 7", None)];
        let check = run(&mac(&[], &apps));

        assert_eq!(check.status, CheckStatus::Pass);
        assert_eq!(check.installed_app, Some(0));
        assert_eq!(evidence(&check, "app.matched_by"), Some("app name"));
        assert_eq!(evidence(&check, "app.bundle_id"), Some("none"));
        assert_eq!(
            check.reason,
            "1Password is installed (app \"1Password 7\", matched by app name); nothing to do"
        );
    }

    #[test]
    fn bundle_id_match_wins_over_an_earlier_name_match() {
        let apps = [
            app("KeePassXC", None),
            app("Vault", Some("com.1password.1password")),
        ];
        let check = run(&mac(&[], &apps));

        assert_eq!(check.installed_app, Some(1));
        assert!(
            check.reason.starts_with("1Password is installed"),
            "{}",
            check.reason
        );
    }

    #[test]
    fn apple_passwords_is_not_approved_by_default() {
        let apps = [app("Passwords", Some("com.apple.Passwords"))];
        let check = run(&mac(&[], &apps));

        assert_eq!(check.status, CheckStatus::Fail);
        assert!(
            check.reason.contains("browser extensions are not visible"),
            "{}",
            check.reason
        );
        assert!(
            check
                .reason
                .contains("install an approved password manager")
        );
    }

    #[test]
    fn mac_without_agent_and_no_password_manager_is_unknown() {
        let apps = [app("Safari", Some("com.apple.Safari"))];
        let device = DeviceFacts {
            agent_installed: Some(false),
            ..mac(&[], &apps)
        };

        let check = run(&device);

        assert_eq!(check.status, CheckStatus::Unknown);
        assert_eq!(check.device_passing, None);
        assert_eq!(evidence(&check, "device.agent_installed"), Some("false"));
        assert!(
            check.reason.contains("agent is not installed"),
            "{}",
            check.reason
        );
    }

    #[test]
    fn mac_without_agent_but_with_a_password_manager_passes() {
        let apps = [app("Bitwarden", Some("com.bitwarden.desktop"))];
        let device = DeviceFacts {
            agent_installed: Some(false),
            ..mac(&[], &apps)
        };

        assert_eq!(run(&device).status, CheckStatus::Pass);
    }

    #[test]
    fn unreadable_app_list_is_unknown() {
        let device = DeviceFacts {
            apps: None,
            ..mac(&[], &[])
        };
        let check = run(&device);

        assert_eq!(check.status, CheckStatus::Unknown);
        assert_eq!(evidence(&check, "device.apps"), Some("unavailable"));
    }
}
