//! Applications a fleet's devices carry: macOS's own apps, common
//! third-party apps, the password managers compliance checks look for
//! (bundle ids from `compliance.md` §3), and iOS App Store apps.

/// A Mac application as `/devices/{id}/apps` lists it.
#[derive(Debug)]
pub struct MacApp {
    /// `app_name`, also the `.app` name.
    pub name: &'static str,
    /// `bundle_id`.
    pub bundle_id: &'static str,
    /// `version`.
    pub version: &'static str,
    /// `source`: "Apple", "App Store" or "Identified Developer".
    pub source: &'static str,
    /// Bundle size in bytes (as a string in the API).
    pub size: u64,
    /// A developer tool, common on Engineering Macs and rare elsewhere.
    pub dev: bool,
    /// Relative frequency (out of 100) among the Macs that may have it.
    pub weight: u32,
}

const fn app(
    name: &'static str,
    bundle_id: &'static str,
    version: &'static str,
    size: u64,
    weight: u32,
) -> MacApp {
    MacApp {
        name,
        bundle_id,
        version,
        source: "Identified Developer",
        size,
        dev: false,
        weight,
    }
}

const fn dev(
    name: &'static str,
    bundle_id: &'static str,
    version: &'static str,
    size: u64,
    weight: u32,
) -> MacApp {
    MacApp {
        dev: true,
        ..app(name, bundle_id, version, size, weight)
    }
}

const fn store(
    name: &'static str,
    bundle_id: &'static str,
    version: &'static str,
    size: u64,
    weight: u32,
) -> MacApp {
    MacApp {
        source: "App Store",
        ..app(name, bundle_id, version, size, weight)
    }
}

/// `(name, bundle_id, folder under /System/Applications, version)` of the
/// apps macOS ships. The folder is "" or "Utilities".
#[rustfmt::skip]
pub static APPLE_APPS: &[(&str, &str, &str, &str)] = &[
    ("Activity Monitor", "com.apple.ActivityMonitor", "Utilities", "10.14"),
    ("App Store", "com.apple.AppStore", "", "3.0"),
    ("Automator", "com.apple.Automator", "", "2.10"),
    ("Books", "com.apple.iBooksX", "", "7.2"),
    ("Calculator", "com.apple.calculator", "", "11.0"),
    ("Calendar", "com.apple.iCal", "", "14.0"),
    ("Chess", "com.apple.Chess", "", "3.18"),
    ("Console", "com.apple.Console", "Utilities", "1.1"),
    ("Contacts", "com.apple.AddressBook", "", "14.0"),
    ("Dictionary", "com.apple.Dictionary", "", "2.3.0"),
    ("Disk Utility", "com.apple.DiskUtility", "Utilities", "22.6"),
    ("FaceTime", "com.apple.FaceTime", "", "36"),
    ("Find My", "com.apple.findmy", "", "4.0"),
    ("Font Book", "com.apple.FontBook", "", "12.0"),
    ("Freeform", "com.apple.freeform", "", "3.2"),
    ("Home", "com.apple.Home", "", "9.0"),
    ("Image Capture", "com.apple.Image_Capture", "", "8.0"),
    ("Keychain Access", "com.apple.keychainaccess", "Utilities", "11.0"),
    ("Mail", "com.apple.mail", "", "16.0"),
    ("Maps", "com.apple.Maps", "", "3.0"),
    ("Messages", "com.apple.MobileSMS", "", "14.0"),
    ("Migration Assistant", "com.apple.MigrateAssistant", "Utilities", "15"),
    ("Music", "com.apple.Music", "", "1.5"),
    ("News", "com.apple.news", "", "10.2"),
    ("Notes", "com.apple.Notes", "", "4.11"),
    ("Photo Booth", "com.apple.PhotoBooth", "", "13.1"),
    ("Photos", "com.apple.Photos", "", "10.0"),
    ("Podcasts", "com.apple.podcasts", "", "1.1.0"),
    ("Preview", "com.apple.Preview", "", "11.0"),
    ("QuickTime Player", "com.apple.QuickTimePlayerX", "", "10.5"),
    ("Reminders", "com.apple.reminders", "", "7.0"),
    ("Safari", "com.apple.Safari", "", "18.2"),
    ("Screenshot", "com.apple.screenshot.launcher", "Utilities", "1.0"),
    ("Shortcuts", "com.apple.shortcuts", "", "7.0"),
    ("Stickies", "com.apple.Stickies", "", "10.3"),
    ("System Information", "com.apple.SystemProfiler", "Utilities", "11.0"),
    ("System Settings", "com.apple.systempreferences", "", "15.0"),
    ("Terminal", "com.apple.Terminal", "Utilities", "2.14"),
    ("TextEdit", "com.apple.TextEdit", "", "1.20"),
    ("Voice Memos", "com.apple.VoiceMemos", "", "3.1"),
];

/// Apple's own Passwords app (macOS 15 and later). Present on every such Mac,
/// so compliance rules leave it out of the password manager allow-list.
pub static APPLE_PASSWORDS: (&str, &str, &str, &str) =
    ("Passwords", "com.apple.Passwords", "", "1.0");

/// The Kandji agent's Self Service app, on every Mac with the agent.
pub static SELF_SERVICE: MacApp = app(
    "Kandji Self Service",
    "io.kandji.Self-Service",
    "1.5.4",
    16_393_986,
    100,
);

/// Third-party apps; none of them is a password manager.
#[rustfmt::skip]
pub static THIRD_PARTY_APPS: &[MacApp] = &[
    app("Google Chrome", "com.google.Chrome", "131.0.6778.265", 1_319_454_720, 92),
    app("Slack", "com.tinyspeck.slackmacgap", "4.41.105", 512_163_840, 88),
    app("zoom.us", "us.zoom.xos", "6.3.6 (47101)", 441_450_496, 85),
    app("Microsoft Teams", "com.microsoft.teams2", "24335.206.3315.2960", 621_805_568, 35),
    app("Microsoft Word", "com.microsoft.Word", "16.93", 2_398_150_656, 45),
    app("Microsoft Excel", "com.microsoft.Excel", "16.93", 2_211_577_856, 45),
    app("Microsoft PowerPoint", "com.microsoft.Powerpoint", "16.93", 1_914_703_872, 40),
    app("Microsoft Outlook", "com.microsoft.Outlook", "16.93", 2_106_331_136, 38),
    app("OneDrive", "com.microsoft.OneDrive", "24.246.1204", 611_155_968, 30),
    app("Firefox", "org.mozilla.firefox", "134.0.1", 412_573_696, 30),
    app("Microsoft Edge", "com.microsoft.edgemac", "132.0.2957.115", 1_101_004_800, 12),
    app("Adobe Acrobat Reader", "com.adobe.Reader", "24.005.20320", 1_003_193_735, 40),
    app("Adobe Creative Cloud", "com.adobe.acc.AdobeCreativeCloud", "6.4.0.361", 402_653_184, 15),
    app("Figma", "com.figma.Desktop", "124.7.4", 398_458_880, 25),
    app("Notion", "notion.id", "4.3.0", 361_758_720, 30),
    app("Spotify", "com.spotify.client", "1.2.53.440", 302_383_104, 35),
    app("Google Drive", "com.google.drivefs", "104.0.3.0", 281_018_368, 25),
    app("Dropbox", "com.getdropbox.dropbox", "215.4.7202", 452_984_832, 10),
    app("Loom", "com.loom.desktop", "0.279.4", 355_467_264, 15),
    app("Rectangle", "com.knollsoft.Rectangle", "0.85", 12_582_912, 20),
    app("Raycast", "com.raycast.macos", "1.89.1", 249_561_088, 15),
    app("Alfred 5", "com.runningwithcrayons.Alfred", "5.5.1", 9_437_184, 8),
    app("Grammarly Desktop", "com.grammarly.ProjectLlama", "1.96.0.0", 209_715_200, 12),
    app("Miro", "com.electron.realtimeboard", "0.10.73", 318_767_104, 12),
    app("Webex", "Cisco-Systems.Spark", "44.12.0.31359", 524_288_000, 6),
    app("ChatGPT", "com.openai.chat", "1.2025.014", 104_857_600, 18),
    app("Okta Verify", "com.okta.mobile", "9.27.0", 68_390_912, 40),
    app("CrowdStrike Falcon", "com.crowdstrike.falcon.App", "7.20.19002", 146_800_640, 70),
    app("Microsoft AutoUpdate", "com.microsoft.autoupdate2", "4.77", 10_485_760, 45),
    app("Logi Options+", "com.logi.optionsplus", "1.85.666250", 503_316_480, 12),
    app("DisplayLink Manager", "com.displaylink.DisplayLinkUserAgent", "1.11.2", 41_943_040, 6),
    app("Tailscale", "io.tailscale.ipn.macos", "1.78.1", 60_817_408, 8),
    store("Keynote", "com.apple.iWork.Keynote", "14.3", 759_169_024, 30),
    store("Numbers", "com.apple.iWork.Numbers", "14.3", 548_405_248, 28),
    store("Pages", "com.apple.iWork.Pages", "14.3", 612_368_384, 30),
    MacApp { dev: true, ..store("Xcode", "com.apple.dt.Xcode", "16.2", 12_884_901_888, 35) },
    dev("Visual Studio Code", "com.microsoft.VSCode", "1.96.4", 611_319_808, 85),
    dev("iTerm", "com.googlecode.iterm2", "3.5.11", 108_003_328, 60),
    dev("Docker", "com.docker.docker", "4.37.2", 2_147_483_648, 65),
    dev("Postman", "com.postmanlabs.mac", "11.27.3", 497_025_024, 45),
    dev("GitHub Desktop", "com.github.GitHubClient", "3.4.13", 338_690_048, 25),
    dev("IntelliJ IDEA", "com.jetbrains.intellij", "2024.3.2", 3_221_225_472, 25),
    dev("PyCharm CE", "com.jetbrains.pycharm.ce", "2024.3.2", 1_932_735_283, 15),
    dev("Sublime Text", "com.sublimetext.4", "Build 4189", 57_671_680, 15),
    dev("Cursor", "com.todesktop.230313mzl4w4u92", "0.45.3", 524_288_000, 20),
];

/// A password manager product: the name apps show and the bundle ids that
/// `compliance.md` §3 lists for it.
#[derive(Debug)]
pub struct PasswordManagerApp {
    /// `app_name` of the installed app.
    pub name: &'static str,
    /// The bundle id a compliance rule matches.
    pub bundle_id: &'static str,
    /// An unusual bundle id (beta, nightly, store build) that only a match on
    /// the app's name finds.
    pub odd_bundle_id: &'static str,
    /// `version`.
    pub version: &'static str,
    /// Relative frequency among Macs with a password manager.
    pub weight: u32,
}

const fn pm(
    name: &'static str,
    bundle_id: &'static str,
    odd: &'static str,
    version: &'static str,
    weight: u32,
) -> PasswordManagerApp {
    PasswordManagerApp {
        name,
        bundle_id,
        odd_bundle_id: odd,
        version,
        weight,
    }
}

/// Password managers installed on Macs.
#[rustfmt::skip]
pub static PASSWORD_MANAGERS: &[PasswordManagerApp] = &[
    pm("1Password", "com.1password.1password", "com.1password.1password-nightly", "8.10.56", 45),
    pm("1Password 7", "com.agilebits.onepassword7", "com.agilebits.onepassword7-beta", "7.9.11", 6),
    pm("Bitwarden", "com.bitwarden.desktop", "com.bitwarden.desktop.beta", "2025.1.1", 12),
    pm("LastPass", "com.lastpass.lastpassmacdesktop", "com.lastpass.lastpass-beta", "4.135.0", 8),
    pm("Dashlane", "com.dashlane.dashlanephonefinal", "com.dashlane.desktop", "6.2451.0", 3),
    pm("Keeper Password Manager", "com.keepersecurity.passwordmanager",
        "com.keepersecurity.keeper-beta", "17.0.1", 6),
    pm("KeePassXC", "org.keepassx.keepassxc", "org.keepassxc.KeePassXC.snapshot", "2.7.9", 8),
    pm("NordPass", "com.nordsec.nordpass", "com.nordsec.nordpass-beta", "5.27.17", 4),
    pm("Enpass", "in.sinew.Enpass-Desktop", "in.sinew.Enpass-Desktop-Beta", "6.11.8", 3),
    pm("Proton Pass", "me.proton.pass.electron", "me.proton.pass.electron-beta", "1.26.1", 5),
];

/// `(name, bundle_id, version, size)` of App Store apps on iPhones and iPads;
/// Apple's own apps are never listed for mobile devices.
#[rustfmt::skip]
pub static MOBILE_APPS: &[(&str, &str, &str, u64)] = &[
    ("Okta Verify", "com.okta.mobile", "9.27.0", 68_390_912),
    ("Slack", "com.tinyspeck.chatlyio", "25.01.10", 292_552_704),
    ("Microsoft Outlook", "com.microsoft.Office.Outlook", "4.2501.0", 370_147_328),
    ("Microsoft Teams", "com.microsoft.skype.teams", "6.29.1", 305_135_616),
    ("Zoom Workplace", "us.zoom.videomeetings", "6.3.6", 199_229_440),
    ("Google Chrome", "com.google.chrome.ios", "131.6778.154", 243_269_632),
    ("1Password", "com.1password.1password", "8.10.56", 148_897_792),
    ("Microsoft Authenticator", "com.microsoft.azureauthenticator", "6.8.20", 141_557_760),
    ("Gmail", "com.google.Gmail", "6.0.250106", 330_301_440),
    ("Notion", "notion.id", "1.13.6", 97_517_568),
];

/// `(name, bundle_id, version, size)` of tvOS apps on conference-room TVs.
#[rustfmt::skip]
pub static TV_APPS: &[(&str, &str, &str, u64)] = &[
    ("Zoom Rooms", "us.zoom.zoomrooms.tvos", "6.3.0", 88_080_384),
    ("YouTube", "com.google.ios.youtube", "2.01.3", 120_586_240),
];
