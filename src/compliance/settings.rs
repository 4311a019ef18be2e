//! What an admin can tune in the compliance rules: which library items count for each control,
//! which apps count as a password manager, and when a device's data is too old to trust.
//!
//! The settings come from a `[compliance]` TOML table. Every field has a default, and unknown
//! fields are rejected so that a typo in a key fails loudly instead of silently weakening a
//! rule. Values that parse but make no sense are caught by `validation`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ComplianceControl;
use super::password_manager_apps::default_allow_list;

/// The tunable parts of the compliance rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplianceSettings {
    /// How the library item for each control is found, keyed by control
    /// (`DISK_ENCRYPTION`, `FIREWALL`, ...). A control left out uses its default rule.
    pub controls: BTreeMap<ComplianceControl, ControlRule>,
    /// The approved password managers; any one installed passes `PASSWORD_MANAGER`.
    pub password_managers: Vec<PasswordManagerRule>,
    /// A device whose last check-in is older than this many days has every check `UNKNOWN`.
    pub stale_after_days: u32,
}

/// How to find the library item that enforces a control.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ControlRule {
    /// Words looked for in item names, ignoring case, spaces, `-`, `_` and punctuation.
    pub keywords: Vec<String>,
    /// Library item ids. When any are given they replace the keywords for this control.
    pub item_ids: Vec<String>,
}

/// One approved password manager.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordManagerRule {
    /// The product name shown in reasons, e.g. `1Password`.
    pub name: String,
    /// macOS bundle ids, compared exactly but ignoring case.
    pub bundle_ids: Vec<String>,
    /// App names, compared ignoring case and a trailing version (`1Password 7`).
    pub app_names: Vec<String>,
}

/// The stale limit used when none is configured, as Twingate does for Kandji devices.
const DEFAULT_STALE_AFTER_DAYS: u32 = 7;

/// The keywords each item-based control searches for when none are configured.
fn default_keywords(control: ComplianceControl) -> &'static [&'static str] {
    match control {
        ComplianceControl::DiskEncryption => &["filevault"],
        ComplianceControl::Firewall => &["firewall"],
        ComplianceControl::Passcode => &["passcode"],
        ComplianceControl::ScreenLock => &["screen saver", "screensaver"],
        ComplianceControl::SoftwareUpdate => &["software update", "managed os"],
        ComplianceControl::PasswordManager => &[],
    }
}

impl ControlRule {
    /// The rule used for `control` when the settings do not mention it.
    pub fn default_for(control: ComplianceControl) -> ControlRule {
        ControlRule {
            keywords: default_keywords(control)
                .iter()
                .map(|k| k.to_string())
                .collect(),
            item_ids: Vec::new(),
        }
    }
}

impl Default for ComplianceSettings {
    fn default() -> Self {
        let controls = ComplianceControl::ALL
            .into_iter()
            .filter(|c| *c != ComplianceControl::PasswordManager)
            .map(|c| (c, ControlRule::default_for(c)))
            .collect();
        ComplianceSettings {
            controls,
            password_managers: default_allow_list(),
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
        }
    }
}

impl ComplianceSettings {
    /// The rule for `control`: the configured one, else the default.
    pub fn rule(&self, c: ComplianceControl) -> ControlRule {
        self.controls
            .get(&c)
            .cloned()
            .unwrap_or_else(|| ControlRule::default_for(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gateway's config file holds the settings under `[compliance]`.
    #[derive(Debug, Deserialize)]
    struct ConfigFile {
        compliance: ComplianceSettings,
    }

    fn parse(toml_text: &str) -> Result<ComplianceSettings, String> {
        toml::from_str::<ConfigFile>(toml_text)
            .map(|c| c.compliance)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_match_the_documented_rules() {
        let s = ComplianceSettings::default();

        assert_eq!(s.stale_after_days, 7);
        assert_eq!(
            s.rule(ComplianceControl::DiskEncryption).keywords,
            ["filevault"]
        );
        assert_eq!(
            s.rule(ComplianceControl::ScreenLock).keywords,
            ["screen saver", "screensaver"]
        );
        assert_eq!(
            s.rule(ComplianceControl::SoftwareUpdate).keywords,
            ["software update", "managed os"]
        );
        let names: Vec<&str> = s
            .password_managers
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "1Password",
                "Bitwarden",
                "LastPass",
                "Dashlane",
                "Keeper",
                "KeePassXC",
                "NordPass",
                "Enpass",
                "Proton Pass"
            ]
        );
        assert_eq!(s.password_managers[0].bundle_ids.len(), 3);
        assert_eq!(s.password_managers[5].bundle_ids.len(), 2);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn empty_compliance_table_gives_the_defaults() {
        assert_eq!(
            parse("[compliance]\n").unwrap(),
            ComplianceSettings::default()
        );
    }

    #[test]
    fn settings_survive_a_toml_round_trip() {
        let text = toml::to_string(&ComplianceSettings::default()).unwrap();
        assert!(text.contains("[controls.SCREEN_LOCK]"), "{text}");

        let back: ComplianceSettings = toml::from_str(&text).unwrap();
        assert_eq!(back, ComplianceSettings::default());
    }

    #[test]
    fn configured_control_overrides_only_that_control() {
        let s = parse(
            r#"
            [compliance]
            stale_after_days = 14
            [compliance.controls.FIREWALL]
            item_ids = ["7f1c0a2e-0000-4000-8000-000000000001"]
            "#,
        )
        .unwrap();

        assert_eq!(s.stale_after_days, 14);
        let firewall = s.rule(ComplianceControl::Firewall);
        assert_eq!(firewall.item_ids, ["7f1c0a2e-0000-4000-8000-000000000001"]);
        assert!(firewall.keywords.is_empty());
        assert_eq!(s.rule(ComplianceControl::Passcode).keywords, ["passcode"]);
        assert!(s.validate().is_ok());
    }

    #[test]
    fn misspelt_keys_are_rejected() {
        let typo_field = parse("[compliance]\nstale_after_day = 3\n").unwrap_err();
        assert!(
            typo_field.contains("unknown field `stale_after_day`"),
            "{typo_field}"
        );

        let typo_control = parse("[compliance.controls.FIRE_WALL]\nkeywords = [\"fw\"]\n");
        assert!(typo_control.unwrap_err().contains("FIRE_WALL"));

        let typo_rule = parse("[compliance.controls.FIREWALL]\nkeyword = [\"fw\"]\n");
        assert!(typo_rule.unwrap_err().contains("unknown field `keyword`"));
    }
}
