//! The library items and blueprints every tenant starts from.
//!
//! Items whose names hit the compliance keywords (FileVault, Firewall,
//! Passcode, Screen Saver, Managed OS) carry the [`Control`]s they satisfy.
//! The EU quirk lives here: EU tenants have no item whose name mentions a
//! screen saver (Vanta says those profiles are gone), so every EU Mac
//! lacks a screen-lock item.

use crate::host::Region;

/// A compliance control that a library item can satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Control {
    /// FileVault disk encryption.
    DiskEncryption,
    /// The application firewall.
    Firewall,
    /// A passcode policy.
    Passcode,
    /// Screen saver and lock timing.
    ScreenLock,
    /// Managed OS / software updates.
    SoftwareUpdate,
}

impl Control {
    /// Every control a library item can satisfy.
    pub const ALL: [Control; 5] = [
        Control::DiskEncryption,
        Control::Firewall,
        Control::Passcode,
        Control::ScreenLock,
        Control::SoftwareUpdate,
    ];
}

/// Which devices a blueprint or item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Macs.
    Mac,
    /// iPhones and iPads.
    Mobile,
    /// Apple TVs.
    Tv,
}

/// A library item as the tenant's admins configured it.
#[derive(Debug)]
pub struct ItemTemplate {
    /// Stable key used by blueprint plans.
    pub key: &'static str,
    /// The item's name.
    pub name: &'static str,
    /// Kandji's `type`: `profile`, `automatic-app`, `custom-script`, ...
    pub kind: &'static str,
    /// Compliance controls the item satisfies (empty for most).
    pub controls: &'static [Control],
    /// Offered in Self Service rather than installed: mostly `AVAILABLE`.
    pub self_service: bool,
}

impl ItemTemplate {
    /// Profiles report lowercase statuses (`success`, `failed`, `pending`).
    pub fn is_profile(&self) -> bool {
        self.kind == "profile"
    }
}

const fn item(
    key: &'static str,
    name: &'static str,
    kind: &'static str,
    controls: &'static [Control],
) -> ItemTemplate {
    ItemTemplate {
        key,
        name,
        kind,
        controls,
        self_service: false,
    }
}

/// An item offered in Self Service.
const fn offered(key: &'static str, name: &'static str, kind: &'static str) -> ItemTemplate {
    ItemTemplate {
        self_service: true,
        ..item(key, name, kind, &[])
    }
}

/// Every item a tenant library can hold; [`items_for_region`] picks a region's.
#[rustfmt::skip]
pub static ITEM_TEMPLATES: &[ItemTemplate] = &[
    item("filevault", "FileVault", "profile", &[Control::DiskEncryption]),
    item("firewall", "Firewall", "profile", &[Control::Firewall]),
    item("passcode_ss", "Passcode & Screen Saver", "profile",
        &[Control::Passcode, Control::ScreenLock]),
    item("passcode", "Passcode", "profile", &[Control::Passcode]),
    item("screensaver", "Screen Saver", "profile", &[Control::ScreenLock]),
    item("managed_os_14", "Managed OS - macOS 14 Sonoma", "macos-release",
        &[Control::SoftwareUpdate]),
    item("managed_os_15", "Managed OS - macOS 15 Sequoia", "macos-release",
        &[Control::SoftwareUpdate]),
    item("chrome", "Google Chrome", "automatic-app", &[]),
    item("zoom", "Zoom", "automatic-app", &[]),
    item("slack", "Slack", "automatic-app", &[]),
    item("office", "Microsoft 365 Apps", "automatic-app", &[]),
    item("crowdstrike", "CrowdStrike Falcon", "custom-app", &[]),
    item("rosetta", "Rosetta 2", "custom-script", &[]),
    item("dock", "Configure Dock", "custom-script", &[]),
    item("homebrew", "Install Homebrew", "custom-script", &[]),
    item("liftoff", "Liftoff", "kandji-setup", &[]),
    item("wifi", "Wi-Fi - Corporate", "profile", &[]),
    offered("docker", "Docker Desktop", "automatic-app"),
    offered("adobe_cc", "Adobe Creative Cloud", "custom-app"),
    item("vscode", "Visual Studio Code", "automatic-app", &[]),
    item("mobile_passcode", "Passcode - iOS", "profile", &[]),
    item("restrictions", "Restrictions - Mobile", "profile", &[]),
    item("okta_verify", "Okta Verify", "vpp-app", &[]),
    item("slack_ios", "Slack for iOS", "vpp-app", &[]),
    item("atv_display", "Conference Room Display", "profile", &[]),
    item("atv_airplay", "AirPlay Security", "profile", &[]),
    item("atv_home", "Home Screen Layout", "profile", &[]),
];

/// The template for a key, after the region's substitutions: EU tenants use
/// "Passcode" where US ones use "Passcode & Screen Saver", and have no
/// "Screen Saver" item at all.
pub fn template_for(key: &str, region: Region) -> Option<&'static ItemTemplate> {
    let key = match (region, key) {
        (Region::Eu, "passcode_ss") => "passcode",
        (Region::Eu, "screensaver") => return None,
        _ => key,
    };
    ITEM_TEMPLATES.iter().find(|t| t.key == key)
}

/// The items a region's tenant library holds, in catalog order.
pub fn items_for_region(region: Region) -> Vec<&'static ItemTemplate> {
    ITEM_TEMPLATES
        .iter()
        .filter(|t| template_for(t.key, region).is_some_and(|found| found.key == t.key))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_library_has_no_screen_saver_item() {
        for template in items_for_region(Region::Eu) {
            let name = template.name.to_lowercase();
            assert!(
                !name.contains("screen saver") && !name.contains("screensaver"),
                "{name}"
            );
        }
        let us: Vec<_> = items_for_region(Region::Us)
            .iter()
            .map(|t| t.name)
            .collect();
        assert!(us.contains(&"Screen Saver") && us.contains(&"Passcode & Screen Saver"));
    }
}
