//! Apple hardware and OS releases a fleet is drawn from, with weights that
//! give a plausible mix (mostly recent Apple silicon laptops).

/// A Mac model, as the device list and `hardware_overview` describe it.
#[derive(Debug)]
pub struct MacModel {
    /// The list's `model`: "MacBook Air (M2, 2022)".
    pub name: &'static str,
    /// `hardware_overview.model_name`.
    pub family: &'static str,
    /// `hardware_overview.model_identifier`.
    pub identifier: &'static str,
    /// `hardware_overview.processor_name`.
    pub processor: &'static str,
    /// `hardware_overview.processor_speed` (empty on Apple silicon).
    pub speed: &'static str,
    /// `total_number_of_cores`, a string as Kandji sends it.
    pub cores: &'static str,
    /// `hardware_overview.memory`.
    pub memory: &'static str,
    /// Boot volume capacity in GB.
    pub capacity_gb: f64,
    /// Apple silicon (10-character serials) or Intel (12).
    pub apple_silicon: bool,
    /// Relative frequency in a fleet.
    pub weight: u32,
}

/// An Apple silicon Mac; the arguments follow the table columns.
#[allow(clippy::too_many_arguments)]
const fn mac(
    name: &'static str,
    family: &'static str,
    identifier: &'static str,
    processor: &'static str,
    cores: &'static str,
    memory: &'static str,
    capacity_gb: f64,
    weight: u32,
) -> MacModel {
    MacModel {
        name,
        family,
        identifier,
        processor,
        speed: "",
        cores,
        memory,
        capacity_gb,
        apple_silicon: true,
        weight,
    }
}

/// An Intel Mac: a clock speed and a 12-character serial.
#[allow(clippy::too_many_arguments)]
const fn intel(
    name: &'static str,
    family: &'static str,
    identifier: &'static str,
    processor: &'static str,
    speed: &'static str,
    cores: &'static str,
    memory: &'static str,
    capacity_gb: f64,
    weight: u32,
) -> MacModel {
    MacModel {
        speed,
        apple_silicon: false,
        ..mac(
            name,
            family,
            identifier,
            processor,
            cores,
            memory,
            capacity_gb,
            weight,
        )
    }
}

/// The Macs a fleet is drawn from.
#[rustfmt::skip]
pub static MAC_MODELS: &[MacModel] = &[
    mac("MacBook Air (M1, 2020)", "MacBook Air", "MacBookAir10,1", "Apple M1", "8", "8 GB", 245.11,
        14),
    mac("MacBook Air (M2, 2022)", "MacBook Air", "Mac14,2", "Apple M2", "8", "16 GB", 494.38, 14),
    mac("MacBook Air (15-inch, M3, 2024)", "MacBook Air", "Mac15,13", "Apple M3", "8", "16 GB",
        494.38, 10),
    mac("MacBook Pro (14-inch, M3 Pro, Nov 2023)", "MacBook Pro", "Mac15,6", "Apple M3 Pro", "12",
        "36 GB", 994.66, 14),
    mac("MacBook Pro (14-inch, M4 Pro, 2024)", "MacBook Pro", "Mac16,8", "Apple M4 Pro", "14",
        "48 GB", 994.66, 10),
    mac("MacBook Pro (16-inch, 2021)", "MacBook Pro", "MacBookPro18,2", "Apple M1 Max", "10",
        "64 GB", 994.66, 6),
    mac("MacBook Pro (13-inch, M2, 2022)", "MacBook Pro", "Mac14,7", "Apple M2", "8", "16 GB",
        494.38, 8),
    mac("Mac mini (2023)", "Mac mini", "Mac14,3", "Apple M2", "8", "16 GB", 494.38, 4),
    mac("Mac Studio (2023)", "Mac Studio", "Mac14,13", "Apple M2 Max", "12", "32 GB", 994.66, 2),
    mac("iMac (24-inch, 2023)", "iMac", "Mac15,4", "Apple M3", "8", "16 GB", 494.38, 3),
    mac("Virtual Machine", "Virtual Machine", "VirtualMac2,1", "Apple M1 (Virtual)", "4", "8 GB",
        62.67, 1),
    intel("MacBook Pro (16-inch, 2019)", "MacBook Pro", "MacBookPro16,1", "6-Core Intel Core i7",
        "2.6 GHz", "6", "16 GB 2667 MHz DDR4", 494.38, 4),
    intel("MacBook Air (Retina, 13-inch, 2020)", "MacBook Air", "MacBookAir9,1",
        "Quad-Core Intel Core i5", "1.1 GHz", "4", "8 GB 3733 MHz LPDDR4X", 245.11, 3),
];

/// An iPhone, iPad or Apple TV model.
#[derive(Debug)]
pub struct MobileModel {
    /// The list's `model`.
    pub name: &'static str,
    /// `hardware_overview.model_identifier`.
    pub identifier: &'static str,
    /// Storage in GB.
    pub capacity_gb: f64,
    /// Has a cellular modem.
    pub cellular: bool,
    /// Relative frequency in a fleet.
    pub weight: u32,
}

const fn mobile(
    name: &'static str,
    identifier: &'static str,
    gb: f64,
    cell: bool,
    w: u32,
) -> MobileModel {
    MobileModel {
        name,
        identifier,
        capacity_gb: gb,
        cellular: cell,
        weight: w,
    }
}

/// iPhones a fleet is drawn from.
#[rustfmt::skip]
pub static IPHONE_MODELS: &[MobileModel] = &[
    mobile("iPhone 15 Pro", "iPhone16,1", 256.0, true, 8),
    mobile("iPhone 15", "iPhone15,4", 128.0, true, 8),
    mobile("iPhone 16 Pro", "iPhone17,1", 256.0, true, 5),
    mobile("iPhone 14", "iPhone14,7", 128.0, true, 6),
    mobile("iPhone 13", "iPhone14,5", 128.0, true, 4),
    mobile("iPhone SE (3rd generation)", "iPhone14,6", 64.0, true, 3),
    mobile("iPhone 11 Pro Max", "iPhone12,5", 256.0, true, 1),
];

/// iPads a fleet is drawn from.
#[rustfmt::skip]
pub static IPAD_MODELS: &[MobileModel] = &[
    mobile("iPad (8th generation) (Wi-Fi)", "iPad11,6", 128.0, false, 3),
    mobile("iPad (10th generation) (Wi-Fi)", "iPad13,18", 64.0, false, 5),
    mobile("iPad Air (5th generation) (Wi-Fi)", "iPad13,16", 256.0, false, 4),
    mobile("iPad Pro (11-inch) (4th generation) (Wi-Fi + Cellular)", "iPad14,4", 512.0, true, 2),
];

/// Apple TVs a fleet is drawn from.
#[rustfmt::skip]
pub static APPLE_TV_MODELS: &[MobileModel] = &[
    mobile("Apple TV 4K (3rd generation)", "AppleTV14,1", 64.0, false, 3),
    mobile("Apple TV 4K (2nd generation)", "AppleTV11,1", 32.0, false, 1),
];

/// One OS release: `os_version`, `supplemental_build_version`, Prism's
/// `marketing_name`.
#[derive(Debug)]
pub struct OsRelease {
    /// Dotted version: "15.2".
    pub version: &'static str,
    /// Build: "24C101".
    pub build: &'static str,
    /// Marketing name ("Sequoia"), empty for iOS and tvOS.
    pub marketing: &'static str,
    /// Relative frequency in a fleet.
    pub weight: u32,
}

const fn os(
    version: &'static str,
    build: &'static str,
    marketing: &'static str,
    weight: u32,
) -> OsRelease {
    OsRelease {
        version,
        build,
        marketing,
        weight,
    }
}

/// macOS releases in a fleet: most on the latest two majors.
#[rustfmt::skip]
pub static MACOS_RELEASES: &[OsRelease] = &[
    os("15.3.1", "24D70", "Sequoia", 12),
    os("15.2", "24C101", "Sequoia", 20),
    os("15.1.1", "24B91", "Sequoia", 10),
    os("15.1", "24B83", "Sequoia", 6),
    os("14.7.2", "23H311", "Sonoma", 12),
    os("14.7.1", "23H222", "Sonoma", 8),
    os("14.6.1", "23G93", "Sonoma", 6),
    os("14.5", "23F79", "Sonoma", 4),
    os("13.7.2", "22H313", "Ventura", 4),
    os("13.6.7", "22G720", "Ventura", 2),
];

/// iOS and iPadOS releases in a fleet.
#[rustfmt::skip]
pub static IOS_RELEASES: &[OsRelease] = &[
    os("18.3.1", "22D72", "", 15),
    os("18.2.1", "22C161", "", 20),
    os("18.1.1", "22B91", "", 10),
    os("17.7.2", "21H221", "", 8),
    os("17.6.1", "21G93", "", 4),
];

/// tvOS releases in a fleet.
#[rustfmt::skip]
pub static TVOS_RELEASES: &[OsRelease] = &[
    os("18.3", "22K557", "", 5),
    os("18.2", "22K155", "", 5),
    os("17.6", "21M71", "", 2),
];

/// Kandji agent versions, newest most common.
#[rustfmt::skip]
pub static AGENT_VERSIONS: &[(&str, u32)] = &[
    ("4.5.9 (5160)", 40),
    ("4.5.8 (5127)", 25),
    ("4.5.6 (5083)", 15),
    ("4.3.3 (4811)", 5),
];
