//! Settings that parse but cannot work: a control no item could ever match, a keyword that
//! matches every item, an empty password-manager allow-list, a zero staleness limit.
//!
//! Each of these would silently turn a compliance check into an automatic pass or fail, so
//! the gateway refuses to start with them; the message names the offending TOML key.

use super::matching::squash;
use super::{ComplianceControl, ComplianceSettings};

impl ComplianceSettings {
    /// Checks values that parse but cannot work; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        if self.stale_after_days == 0 {
            return Err("compliance.stale_after_days must be at least 1 day".to_string());
        }

        for (control, rule) in &self.controls {
            let key = control_key(*control);
            if *control == ComplianceControl::PasswordManager {
                return Err(format!(
                    "compliance.controls.{key} is not an item-based control; \
                     configure compliance.password_managers instead"
                ));
            }
            if rule.keywords.is_empty() && rule.item_ids.is_empty() {
                return Err(format!(
                    "compliance.controls.{key} has no keywords and no item_ids, \
                     so no library item could ever match it"
                ));
            }
            if let Some(k) = rule.keywords.iter().find(|k| squash(k).is_empty()) {
                return Err(format!(
                    "compliance.controls.{key}.keywords contains {k:?}, which has no letters \
                     or digits and would match every item"
                ));
            }
            if rule.item_ids.iter().any(|id| id.trim().is_empty()) {
                return Err(format!(
                    "compliance.controls.{key}.item_ids contains an empty id"
                ));
            }
        }

        if self.password_managers.is_empty() {
            return Err(
                "compliance.password_managers is empty, so every Mac with the agent \
                 would fail PASSWORD_MANAGER; list at least one approved app"
                    .to_string(),
            );
        }
        for (i, pm) in self.password_managers.iter().enumerate() {
            if pm.name.trim().is_empty() {
                return Err(format!(
                    "compliance.password_managers[{i}] has an empty name"
                ));
            }
            if pm.bundle_ids.is_empty() && pm.app_names.is_empty() {
                return Err(format!(
                    "compliance.password_managers[{i}] ({}) has no bundle_ids and no app_names",
                    pm.name
                ));
            }
            let blank = |v: &Vec<String>| v.iter().any(|s| s.trim().is_empty());
            if blank(&pm.bundle_ids) || blank(&pm.app_names) {
                return Err(format!(
                    "compliance.password_managers[{i}] ({}) has an empty bundle id or app name",
                    pm.name
                ));
            }
        }
        Ok(())
    }
}

/// The control as it is spelled in TOML and GraphQL, e.g. `DISK_ENCRYPTION`.
pub(crate) fn control_key(control: ComplianceControl) -> &'static str {
    match control {
        ComplianceControl::DiskEncryption => "DISK_ENCRYPTION",
        ComplianceControl::Firewall => "FIREWALL",
        ComplianceControl::Passcode => "PASSCODE",
        ComplianceControl::ScreenLock => "SCREEN_LOCK",
        ComplianceControl::SoftwareUpdate => "SOFTWARE_UPDATE",
        ComplianceControl::PasswordManager => "PASSWORD_MANAGER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses settings given as a `[compliance]` table.
    fn parse(toml_text: &str) -> Result<ComplianceSettings, toml::de::Error> {
        #[derive(serde::Deserialize)]
        struct ConfigFile {
            compliance: ComplianceSettings,
        }
        toml::from_str::<ConfigFile>(toml_text).map(|c| c.compliance)
    }

    #[test]
    fn default_settings_are_valid() {
        assert_eq!(ComplianceSettings::default().validate(), Ok(()));
    }

    #[test]
    fn zero_stale_days_is_invalid() {
        let s = ComplianceSettings {
            stale_after_days: 0,
            ..Default::default()
        };
        assert_eq!(
            s.validate().unwrap_err(),
            "compliance.stale_after_days must be at least 1 day"
        );
    }

    #[test]
    fn control_with_no_keywords_and_no_ids_is_invalid() {
        let s = parse("[compliance.controls.PASSCODE]\nkeywords = []\n").unwrap();
        let err = s.validate().unwrap_err();
        assert!(err.starts_with("compliance.controls.PASSCODE has no keywords and no item_ids"));
    }

    #[test]
    fn keyword_without_letters_is_invalid() {
        let s = parse("[compliance.controls.FIREWALL]\nkeywords = [\"firewall\", \" - \"]\n");
        let err = s.unwrap().validate().unwrap_err();
        assert!(
            err.contains("compliance.controls.FIREWALL.keywords contains \" - \""),
            "{err}"
        );
    }

    #[test]
    fn password_manager_under_controls_is_invalid() {
        let s = parse("[compliance.controls.PASSWORD_MANAGER]\nkeywords = [\"1password\"]\n");
        let err = s.unwrap().validate().unwrap_err();
        assert!(
            err.contains("configure compliance.password_managers instead"),
            "{err}"
        );
    }

    #[test]
    fn password_manager_rules_need_a_way_to_match() {
        let empty = ComplianceSettings {
            password_managers: vec![],
            ..Default::default()
        };
        assert!(
            empty
                .validate()
                .unwrap_err()
                .contains("password_managers is empty")
        );

        let s = parse("[[compliance.password_managers]]\nname = \"RoboForm\"\n").unwrap();
        assert_eq!(
            s.validate().unwrap_err(),
            "compliance.password_managers[0] (RoboForm) has no bundle_ids and no app_names"
        );
    }
}
