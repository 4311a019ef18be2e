//! How a library item is recognised as the one enforcing a control.
//!
//! Admins name items freely ("Screen-Saver", "screen_saver", "FileVault 2"), and one platform
//! is known to fail a correctly configured item only because its name differs from the
//! expected one. Names are therefore compared after folding case and dropping everything that
//! is not a letter or a digit, so the keyword `screen saver` finds all of those spellings.

use super::ControlRule;

/// `name` in lower case with only its letters and digits kept: `Screen-Saver` → `screensaver`.
pub(crate) fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the library item `id` / `name` is one that `rule` looks for. Configured item ids
/// replace the keywords; otherwise any keyword found in the name matches.
pub(crate) fn item_matches(rule: &ControlRule, id: &str, name: &str) -> bool {
    if !rule.item_ids.is_empty() {
        let id = id.trim();
        return rule
            .item_ids
            .iter()
            .any(|want| want.trim().eq_ignore_ascii_case(id));
    }

    let name = squash(name);
    rule.keywords
        .iter()
        .map(|k| squash(k))
        .any(|k| !k.is_empty() && name.contains(&k))
}

/// What was searched for, for reasons and evidence: `keywords "filevault"` or
/// `item ids "…"`.
pub(crate) fn describe_search(rule: &ControlRule) -> String {
    let (what, values) = if rule.item_ids.is_empty() {
        ("keywords", &rule.keywords)
    } else {
        ("item ids", &rule.item_ids)
    };
    let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("{what} {}", quoted.join(", "))
}

/// `"A", "B"`, or `none`.
pub(crate) fn quoted_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = names.map(|n| format!("{n:?}")).collect();
    if quoted.is_empty() {
        "none".to_string()
    } else {
        quoted.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(words: &[&str]) -> ControlRule {
        ControlRule {
            keywords: words.iter().map(|w| w.to_string()).collect(),
            item_ids: vec![],
        }
    }

    #[test]
    fn screen_saver_keyword_matches_hyphen_underscore_and_joined_spellings() {
        let rule = keywords(&["screen saver"]);
        for name in [
            "Screen-Saver",
            "screen_saver",
            "ScreenSaver",
            "Screen   Saver (15 min)",
        ] {
            assert!(item_matches(&rule, "id-1", name), "{name} should match");
        }
        assert!(!item_matches(&rule, "id-1", "Screen Time"));
    }

    #[test]
    fn keyword_match_ignores_case_and_finds_words_inside_longer_names() {
        let rule = keywords(&["filevault"]);
        assert!(item_matches(&rule, "x", "Corp FILEVAULT 2 (deferred)"));
        assert!(item_matches(&rule, "x", "File Vault"));
        assert!(!item_matches(&rule, "x", "Firewall"));
    }

    #[test]
    fn one_item_named_for_two_controls_matches_both() {
        let name = "Passcode & Screen Saver";
        assert!(item_matches(&keywords(&["passcode"]), "pc-1", name));
        assert!(item_matches(
            &keywords(&["screen saver", "screensaver"]),
            "pc-1",
            name
        ));
        assert!(!item_matches(&keywords(&["filevault"]), "pc-1", name));
    }

    #[test]
    fn configured_item_ids_replace_keywords() {
        let rule = ControlRule {
            keywords: vec!["firewall".into()],
            item_ids: vec!["7F1C0A2E-0000-4000-8000-000000000001".into()],
        };
        assert!(item_matches(
            &rule,
            "7f1c0a2e-0000-4000-8000-000000000001",
            "Network policy"
        ));
        assert!(!item_matches(&rule, "other-id", "Firewall"));
    }

    #[test]
    fn search_description_names_ids_when_configured() {
        assert_eq!(
            describe_search(&keywords(&["screen saver", "screensaver"])),
            r#"keywords "screen saver", "screensaver""#
        );
        let ids = ControlRule {
            keywords: vec![],
            item_ids: vec!["abc".into()],
        };
        assert_eq!(describe_search(&ids), r#"item ids "abc""#);
    }
}
