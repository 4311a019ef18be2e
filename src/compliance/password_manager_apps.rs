//! Which apps are approved password managers, and how an installed app is recognised as one.
//!
//! The bundle id is the reliable key (exact, ignoring case); several ids per product cover
//! direct-download and App Store builds. The app name is a fallback for entries Kandji sent
//! without a bundle id, compared ignoring case and a trailing version (`1Password 7`).

use super::{AppFact, PasswordManagerRule};

/// The default allow-list: desktop apps with their bundle ids from `reference/compliance.md`
/// §3. Apple Passwords is left out (built in, so it would always pass) and so is RoboForm
/// (bundle id from low-confidence sources only).
const DEFAULT_PASSWORD_MANAGERS: &[(&str, &[&str], &[&str])] = &[
    (
        "1Password",
        &[
            "com.1password.1password",
            "com.agilebits.onepassword7",
            "com.agilebits.onepassword-osx",
        ],
        &["1Password"],
    ),
    ("Bitwarden", &["com.bitwarden.desktop"], &["Bitwarden"]),
    (
        "LastPass",
        &["com.lastpass.lastpassmacdesktop", "com.lastpass.LastPass"],
        &["LastPass"],
    ),
    (
        "Dashlane",
        &["com.dashlane.dashlanephonefinal"],
        &["Dashlane"],
    ),
    (
        "Keeper",
        &["com.keepersecurity.passwordmanager"],
        &["Keeper Password Manager", "Keeper"],
    ),
    (
        "KeePassXC",
        &["org.keepassx.keepassxc", "org.keepassxc.keepassxc"],
        &["KeePassXC"],
    ),
    ("NordPass", &["com.nordsec.nordpass"], &["NordPass"]),
    ("Enpass", &["in.sinew.Enpass-Desktop"], &["Enpass"]),
    (
        "Proton Pass",
        &["me.proton.pass.electron"],
        &["Proton Pass"],
    ),
];

/// The default allow-list as rules.
pub(crate) fn default_allow_list() -> Vec<PasswordManagerRule> {
    DEFAULT_PASSWORD_MANAGERS
        .iter()
        .map(|(name, bundle_ids, app_names)| PasswordManagerRule {
            name: name.to_string(),
            bundle_ids: bundle_ids.iter().map(|b| b.to_string()).collect(),
            app_names: app_names.iter().map(|a| a.to_string()).collect(),
        })
        .collect()
}

/// The app that satisfied the control and how it was recognised.
pub(crate) struct Found<'r> {
    /// Index into the device's apps.
    pub(crate) app: usize,
    /// The allow-list entry it matched.
    pub(crate) rule: &'r PasswordManagerRule,
    /// `bundle id` or `app name`.
    pub(crate) by: &'static str,
}

/// The first approved app: any bundle id match wins over any name match.
pub(crate) fn find<'r>(apps: &[AppFact], rules: &'r [PasswordManagerRule]) -> Option<Found<'r>> {
    for (i, app) in apps.iter().enumerate() {
        let Some(bundle_id) = app.bundle_id.as_deref().map(str::trim) else {
            continue;
        };
        let rule = rules.iter().find(|r| {
            r.bundle_ids
                .iter()
                .any(|b| b.trim().eq_ignore_ascii_case(bundle_id))
        });
        if let Some(rule) = rule {
            return Some(Found {
                app: i,
                rule,
                by: "bundle id",
            });
        }
    }

    for (i, app) in apps.iter().enumerate() {
        let name = bare_app_name(&app.name);
        let rule = rules
            .iter()
            .find(|r| r.app_names.iter().any(|a| bare_app_name(a) == name));
        if let Some(rule) = rule {
            return Some(Found {
                app: i,
                rule,
                by: "app name",
            });
        }
    }
    None
}

/// An app name in lower case without `.app`, extra spaces or a trailing version:
/// `1Password 7` → `1password`, `Bitwarden 2024.6.0` → `bitwarden`.
fn bare_app_name(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_suffix(".app").unwrap_or(name);
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if words.len() > 1 && words.last().is_some_and(|w| is_version(w)) {
        words.pop();
    }
    words.join(" ").to_lowercase()
}

/// `7`, `8.10.3`, `v2`: digits and dots, optionally after a `v`.
fn is_version(word: &str) -> bool {
    let digits = word.strip_prefix(['v', 'V']).unwrap_or(word);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::fixtures::app;

    #[test]
    fn any_bundle_id_match_wins_over_an_earlier_name_match() {
        let rules = default_allow_list();
        let apps = [
            app("Bitwarden", None),
            app("Vault", Some("com.agilebits.onepassword7")),
        ];

        let found = find(&apps, &rules).expect("a password manager");

        assert_eq!(
            (found.app, found.rule.name.as_str(), found.by),
            (1, "1Password", "bundle id")
        );
    }

    #[test]
    fn unknown_bundle_id_falls_back_to_the_app_name() {
        let rules = default_allow_list();
        let apps = [app("KeePassXC", Some("org.example.unsigned-build"))];

        let found = find(&apps, &rules).expect("a password manager");

        assert_eq!(
            (found.rule.name.as_str(), found.by),
            ("KeePassXC", "app name")
        );
    }

    #[test]
    fn similar_but_different_app_names_do_not_match() {
        let rules = default_allow_list();
        let apps = [app("1Password Helper", None), app("Bitwarden CLI", None)];

        assert!(find(&apps, &rules).is_none());
    }

    #[test]
    fn app_names_drop_a_trailing_version_but_keep_leading_digits() {
        assert_eq!(bare_app_name("1Password 7"), "1password");
        assert_eq!(bare_app_name("Bitwarden 2024.6.0"), "bitwarden");
        assert_eq!(bare_app_name("KeePassXC.app"), "keepassxc");
        assert_eq!(bare_app_name("1Password"), "1password");
        assert_eq!(bare_app_name("Proton  Pass"), "proton pass");
        assert_ne!(bare_app_name("1Password Helper"), "1password");
    }
}
