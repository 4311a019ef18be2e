//! The blueprints every tenant starts with and the blueprint parameters
//! (Kandji's built-in macOS settings) they enforce.

use super::library_catalog::Audience;

/// A blueprint every tenant has.
#[derive(Debug)]
pub struct BlueprintPlan {
    /// The blueprint's name.
    pub name: &'static str,
    /// `description`.
    pub description: &'static str,
    /// `icon`.
    pub icon: &'static str,
    /// `color`.
    pub color: &'static str,
    /// `type`: `classic` or `map`.
    pub kind: &'static str,
    /// Which devices it is for.
    pub audience: Audience,
    /// Item keys, before region substitution.
    pub items: &'static [&'static str],
    /// Indices into [`PARAMETERS`] the blueprint enforces.
    pub parameters: &'static [usize],
}

/// Blueprint index of "Default Blueprint", where unassigned Macs go.
pub const DEFAULT_BLUEPRINT: usize = 0;
/// Blueprint index of "Engineering".
pub const ENGINEERING_BLUEPRINT: usize = 1;
/// Blueprint index of "Sales & Marketing".
pub const SALES_BLUEPRINT: usize = 2;
/// Blueprint index of "Contractors", which has no Firewall item.
pub const CONTRACTORS_BLUEPRINT: usize = 3;
/// Blueprint index of the iPhone and iPad blueprint.
pub const MOBILE_BLUEPRINT: usize = 4;
/// Blueprint index of the Apple TV blueprint.
pub const TV_BLUEPRINT: usize = 5;

/// The blueprints, indexed by the constants above.
pub static BLUEPRINT_PLANS: &[BlueprintPlan] = &[
    BlueprintPlan {
        name: "Default Blueprint",
        description: "",
        icon: "ss-files",
        color: "aqua-800",
        kind: "classic",
        audience: Audience::Mac,
        items: &[
            "filevault",
            "firewall",
            "passcode_ss",
            "managed_os_14",
            "chrome",
            "zoom",
            "slack",
            "office",
            "crowdstrike",
            "rosetta",
            "wifi",
            "liftoff",
        ],
        parameters: &[0, 1, 2, 3, 7, 9],
    },
    BlueprintPlan {
        name: "Engineering",
        description: "Developer Macs: Docker and dev tools in Self Service.",
        icon: "ss-laptop",
        color: "blue-600",
        kind: "map",
        audience: Audience::Mac,
        items: &[
            "filevault",
            "firewall",
            "passcode",
            "screensaver",
            "managed_os_15",
            "chrome",
            "slack",
            "zoom",
            "vscode",
            "docker",
            "homebrew",
            "crowdstrike",
            "rosetta",
            "wifi",
            "liftoff",
        ],
        parameters: &[0, 2, 3, 10],
    },
    BlueprintPlan {
        name: "Sales & Marketing",
        description: "Customer-facing teams.",
        icon: "ss-megaphone",
        color: "orange-500",
        kind: "classic",
        audience: Audience::Mac,
        items: &[
            "filevault",
            "firewall",
            "passcode_ss",
            "managed_os_14",
            "chrome",
            "zoom",
            "slack",
            "office",
            "adobe_cc",
            "crowdstrike",
            "dock",
            "wifi",
            "liftoff",
        ],
        parameters: &[0, 1, 2, 3, 4, 6, 7, 9],
    },
    BlueprintPlan {
        name: "Contractors",
        description: "External contractors. Firewall is managed by the agency.",
        icon: "ss-briefcase",
        color: "purple-500",
        kind: "classic",
        audience: Audience::Mac,
        items: &[
            "filevault",
            "passcode_ss",
            "managed_os_14",
            "chrome",
            "zoom",
            "slack",
            "liftoff",
        ],
        parameters: &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    },
    BlueprintPlan {
        name: "_ios_testing",
        description: "Company iPhones and iPads.",
        icon: "ss-phone",
        color: "green-500",
        kind: "classic",
        audience: Audience::Mobile,
        items: &[
            "wifi",
            "mobile_passcode",
            "restrictions",
            "okta_verify",
            "slack_ios",
        ],
        parameters: &[],
    },
    BlueprintPlan {
        name: "ATV - Conference Rooms",
        description: "",
        icon: "ss-tv",
        color: "grey-400",
        kind: "classic",
        audience: Audience::Tv,
        items: &["atv_display", "atv_airplay", "atv_home"],
        parameters: &[],
    },
];

/// `(name, category, subcategory)` of the blueprint parameters Macs report on.
#[rustfmt::skip]
pub static PARAMETERS: &[(&str, &str, &str)] = &[
    ("Disable the \"root\" user", "User Accounts & Authentication", "User Accounts"),
    ("Require an administrator password to access system-wide preferences", "System Preferences",
        "Security & Privacy"),
    ("Enable Gatekeeper", "Security", "Gatekeeper"),
    ("Set time and date automatically", "System Preferences", "Date & Time"),
    ("Disable Remote Apple Events", "Sharing", "Remote Apple Events"),
    ("Disable Remote Login", "Sharing", "Remote Login"),
    ("Disable guest account", "User Accounts & Authentication", "Guest Account"),
    ("Disable automatic login", "User Accounts & Authentication", "Login Window"),
    ("Disable Internet Sharing", "Sharing", "Internet Sharing"),
    ("Disable Bluetooth Sharing", "Sharing", "Bluetooth Sharing"),
    ("Enable Secure Keyboard Entry in Terminal", "Apps", "Terminal"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::library_catalog::ITEM_TEMPLATES;

    #[test]
    fn contractors_blueprint_has_no_firewall() {
        let plan = &BLUEPRINT_PLANS[CONTRACTORS_BLUEPRINT];
        assert_eq!(plan.name, "Contractors");
        assert!(!plan.items.contains(&"firewall"));
    }

    #[test]
    fn every_planned_item_and_parameter_exists() {
        for plan in BLUEPRINT_PLANS {
            assert!(
                plan.items
                    .iter()
                    .all(|k| ITEM_TEMPLATES.iter().any(|t| t.key == *k)),
                "{}",
                plan.name
            );
            assert!(
                plan.parameters.iter().all(|p| *p < PARAMETERS.len()),
                "{}",
                plan.name
            );
        }
    }
}
