//! The `Device` type and what hangs off it: details, apps and library items.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, Result, SimpleObject};

use super::blueprint::Blueprint;
use super::compliance::DeviceCompliance;
use super::connection::{PageInfo, PageRequest};
use super::errors::upstream;
use super::scalars::{DateTime, opt};
use super::state;
use super::user::User;
use crate::kandji::models::{
    AppRecord, DeviceDetails as DetailsRecord, DeviceRecord, LibraryItemStatus,
};

/// The operating-system family of a device.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// macOS computer.
    Mac,
    /// iPhone.
    Iphone,
    /// iPad.
    Ipad,
    /// Apple TV.
    AppleTv,
    /// Windows computer (when Windows management is on).
    Windows,
    /// Android device (when Android management is on).
    Android,
    /// A platform this gateway does not know yet.
    Other,
}

impl Platform {
    /// Maps Kandji's `platform` string.
    pub fn from_kandji(platform: &str) -> Self {
        match platform.to_ascii_lowercase().as_str() {
            "mac" | "macos" => Platform::Mac,
            "iphone" => Platform::Iphone,
            "ipad" => Platform::Ipad,
            "appletv" | "apple tv" | "tvos" => Platform::AppleTv,
            "windows" => Platform::Windows,
            "android" => Platform::Android,
            _ => Platform::Other,
        }
    }
}

/// A device enrolled in Kandji: a Mac, iPhone, iPad, Apple TV, or (when enabled) a Windows or
/// Android device. The list fields come from one device-list call; `details`, `apps`,
/// `libraryItems` and `compliance` each cost upstream calls and are fetched only when asked.
#[derive(Clone)]
pub struct Device(pub Arc<DeviceRecord>);

/// A device enrolled in Kandji: a Mac, iPhone, iPad, Apple TV, or (when enabled) a Windows or
/// Android device. The list fields come from one device-list call; `details`, `apps`,
/// `libraryItems` and `compliance` each cost upstream calls and are fetched only when asked.
#[Object]
impl Device {
    /// Kandji's device id (a UUID), stable and unique.
    async fn id(&self) -> ID {
        ID(self.0.device_id.clone())
    }

    /// The device's name.
    async fn name(&self) -> &str {
        &self.0.device_name
    }

    /// The serial number.
    async fn serial_number(&self) -> Option<&str> {
        self.0.serial_number.as_deref()
    }

    /// The model, e.g. "MacBook Air (M1, 2020)".
    async fn model(&self) -> Option<&str> {
        self.0.model.as_deref()
    }

    /// The platform.
    async fn platform(&self) -> Platform {
        Platform::from_kandji(&self.0.platform)
    }

    /// The OS version, e.g. "14.4.1".
    async fn os_version(&self) -> Option<&str> {
        self.0.os_version.as_deref()
    }

    /// The OS build, e.g. "23E224".
    async fn os_build(&self) -> Option<&str> {
        self.0.supplemental_build_version.as_deref()
    }

    /// When the device last checked in with Kandji.
    async fn last_check_in(&self) -> Option<DateTime> {
        opt(self.0.last_check_in)
    }

    /// When the device first enrolled.
    async fn first_enrollment(&self) -> Option<DateTime> {
        opt(self.0.first_enrollment)
    }

    /// Whether the Kandji agent is installed.
    async fn agent_installed(&self) -> Option<bool> {
        self.0.agent_installed
    }

    /// The Kandji agent version, e.g. "4.5.9 (5160)".
    async fn agent_version(&self) -> Option<&str> {
        self.0.agent_version.as_deref()
    }

    /// Whether MDM is enabled.
    async fn mdm_enabled(&self) -> Option<bool> {
        self.0.mdm_enabled
    }

    /// Whether Kandji marks the device as missing.
    async fn is_missing(&self) -> Option<bool> {
        self.0.is_missing
    }

    /// Whether the device was removed from Kandji.
    async fn is_removed(&self) -> Option<bool> {
        self.0.is_removed
    }

    /// The asset tag, if set.
    async fn asset_tag(&self) -> Option<&str> {
        self.0.asset_tag.as_deref()
    }

    /// Tag names.
    async fn tags(&self) -> &[String] {
        &self.0.tags
    }

    /// The blueprint the device is on.
    async fn blueprint(&self) -> Option<Blueprint> {
        let id = self.0.blueprint_id.clone()?;
        Some(Blueprint::from_ref(
            id,
            self.0.blueprint_name.clone().unwrap_or_default(),
        ))
    }

    /// Whether nobody is assigned to the device (Kandji sends `user: ""`).
    async fn unassigned(&self) -> bool {
        self.0.user.is_none()
    }

    /// The person the device is assigned to; null when unassigned.
    async fn user(&self) -> Option<User> {
        self.0.user.as_ref().map(User::from_device_user)
    }

    /// Hardware, FileVault, MDM, agent and security details (one upstream call per device).
    async fn details(&self, ctx: &Context<'_>) -> Option<Result<DeviceDetails>> {
        let result: Result<Option<DeviceDetails>> = Box::pin(async {
            let details = state(ctx)
                .cache
                .details(&self.0.device_id)
                .await
                .map_err(upstream)?;
            Ok(Some(DeviceDetails(details)))
        })
        .await;
        result.transpose()
    }

    /// Installed apps (one upstream call per device), filtered by name.
    async fn apps(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many apps to return.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Which apps to return.")] filter: Option<AppFilter>,
    ) -> Option<Result<AppConnection>> {
        let result: Result<Option<AppConnection>> = Box::pin(async {
            let gateway = state(ctx);
            let page = PageRequest::new(first, after.as_deref(), gateway.max_page_size)?;
            let apps = gateway
                .cache
                .apps(&self.0.device_id)
                .await
                .map_err(upstream)?;
            let needle = filter.and_then(|f| f.name).map(|n| n.to_lowercase());
            let matching: Vec<&AppRecord> = apps
                .apps
                .iter()
                .filter(|a| match &needle {
                    Some(n) => a
                        .app_name
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains(n),
                    None => true,
                })
                .collect();
            let (edges, page_info) = page.slice(&matching);
            let device_id = &self.0.device_id;
            let edges = edges
                .into_iter()
                .map(|(cursor, app)| {
                    let position = apps
                        .apps
                        .iter()
                        .position(|a| std::ptr::eq(a, app))
                        .unwrap_or(0);
                    AppEdge {
                        cursor,
                        node: App::new(device_id, position, app),
                    }
                })
                .collect();
            Ok(Some(AppConnection {
                edges,
                page_info,
                total_count: matching.len(),
            }))
        })
        .await;
        result.transpose()
    }

    /// Library items assigned to the device and their status on it (one upstream call).
    async fn library_items(&self, ctx: &Context<'_>) -> Option<Result<Vec<DeviceLibraryItem>>> {
        let result: Result<Option<Vec<DeviceLibraryItem>>> = Box::pin(async {
            let items = state(ctx)
                .cache
                .library_items(&self.0.device_id)
                .await
                .map_err(upstream)?;
            let device_id = &self.0.device_id;
            Ok(Some(
                items
                    .library_items
                    .iter()
                    .map(|i| DeviceLibraryItem::new(device_id, i))
                    .collect(),
            ))
        })
        .await;
        result.transpose()
    }

    /// Compliance per control, with evidence. Macs only; other platforms are `NOT_SUPPORTED`.
    async fn compliance(&self, ctx: &Context<'_>) -> Option<Result<DeviceCompliance>> {
        let result: Result<Option<DeviceCompliance>> =
            Box::pin(async { DeviceCompliance::resolve(ctx, &self.0).await }).await;
        result.transpose()
    }
}

/// Filters on a device's apps.
#[derive(InputObject, Default)]
pub struct AppFilter {
    /// Case-insensitive substring of the app's name.
    pub name: Option<String>,
}

/// A page of apps.
#[derive(SimpleObject)]
pub struct AppConnection {
    /// The apps on this page.
    pub edges: Vec<AppEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
    /// Apps matching the filter, across all pages.
    pub total_count: usize,
}

/// One app and its cursor.
#[derive(SimpleObject)]
pub struct AppEdge {
    /// Pass as `after` to continue after this app.
    pub cursor: String,
    /// The app.
    pub node: App,
}

/// An app installed on one device.
#[derive(SimpleObject, Clone)]
pub struct App {
    /// Unique per device and app (`<device id>:app:<Kandji app id>`).
    pub id: ID,
    /// The app's name.
    pub name: String,
    /// The bundle id, e.g. `com.1password.1password`.
    pub bundle_id: Option<String>,
    /// The installed version.
    pub version: Option<String>,
    /// Where it is installed.
    pub path: Option<String>,
    /// Where it came from: "Apple", "App Store", "Identified Developer", ...
    pub source: Option<String>,
}

impl App {
    /// The app at `position` in a device's app list.
    pub fn new(device_id: &str, position: usize, app: &AppRecord) -> Self {
        let app_key = app.app_id.clone().unwrap_or_else(|| position.to_string());
        App {
            id: ID(format!("{device_id}:app:{app_key}")),
            name: app.app_name.as_deref().unwrap_or_default().to_owned(),
            bundle_id: app.bundle_id.as_deref().map(str::to_owned),
            version: app.version.as_deref().map(str::to_owned),
            path: app.path.as_deref().map(str::to_owned),
            source: app.source.as_deref().map(str::to_owned),
        }
    }
}

/// A library item as assigned to one device, with its status there.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct DeviceLibraryItem {
    /// Unique per device and item (`<device id>:item:<item id>`).
    pub id: ID,
    /// Kandji's `item_id`, the same on every device.
    pub item_id: ID,
    /// The item's name.
    pub name: String,
    /// Kandji's item type, e.g. `profile`, `custom-app`, `macos-release`.
    #[graphql(name = "type")]
    pub item_type: String,
    /// Kandji's status as sent: `PASS`, `ERROR`, `success`, `failed`, `pending`, `EXCLUDED`, ...
    pub status: String,
    /// When the device last reported on the item.
    pub reported_at: Option<DateTime>,
    /// The last audit's log.
    pub last_audit_log: Option<String>,
    /// The control log (FileVault reports deferred enablement here).
    pub control_log: Option<String>,
    #[graphql(skip)]
    blueprint_ref: Option<(String, String)>,
}

#[ComplexObject]
impl DeviceLibraryItem {
    /// The blueprint that assigns the item.
    async fn blueprint(&self) -> Option<Blueprint> {
        self.blueprint_ref
            .clone()
            .map(|(id, name)| Blueprint::from_ref(id, name))
    }
}

impl DeviceLibraryItem {
    /// One of a device's library items.
    pub fn new(device_id: &str, item: &LibraryItemStatus) -> Self {
        DeviceLibraryItem {
            id: ID(format!("{device_id}:item:{}", item.item_id)),
            item_id: ID(item.item_id.to_string()),
            name: item.name.to_string(),
            item_type: item.item_type.to_string(),
            status: item.status.to_string(),
            reported_at: opt(item.reported_at),
            last_audit_log: item.last_audit_log.as_deref().map(str::to_owned),
            control_log: item.control_log.as_deref().map(str::to_owned),
            blueprint_ref: item
                .blueprint
                .as_ref()
                .map(|b| (b.id.to_string(), b.name.to_string())),
        }
    }
}

/// Details Kandji collects from a device.
pub struct DeviceDetails(Arc<DetailsRecord>);

/// Details Kandji collects from a device: FileVault, MDM, agent, hardware, volumes, security.
#[Object]
impl DeviceDetails {
    /// FileVault disk encryption (Macs).
    async fn filevault(&self) -> FileVault {
        let f = &self.0.filevault;
        FileVault {
            enabled: f.filevault_enabled,
            recovery_key_type: f.filevault_recoverykey_type.as_deref().map(str::to_owned),
            recovery_key_escrowed: f.filevault_prk_escrowed,
            regeneration_required: f.filevault_regen_required,
        }
    }

    /// MDM state.
    async fn mdm(&self) -> Mdm {
        let m = &self.0.mdm;
        Mdm {
            enabled: m.mdm_enabled,
            supervised: m.supervised,
            installed_at: opt(m.install_date),
            last_check_in: opt(m.last_check_in),
        }
    }

    /// Kandji agent state.
    async fn agent(&self) -> Agent {
        let a = &self.0.kandji_agent;
        Agent {
            installed: a.agent_installed,
            version: a.agent_version.as_deref().map(str::to_owned),
            installed_at: opt(a.install_date),
            last_check_in: opt(a.last_check_in),
        }
    }

    /// Hardware facts.
    async fn hardware(&self) -> Hardware {
        let h = &self.0.hardware_overview;
        Hardware {
            model_name: h.model_name.as_deref().map(str::to_owned),
            model_identifier: h.model_identifier.as_deref().map(str::to_owned),
            processor: h.processor_name.as_deref().map(str::to_owned),
            cores: h
                .total_number_of_cores
                .as_deref()
                .and_then(|c| c.trim().parse().ok()),
            memory: h.memory.as_deref().map(str::to_owned),
            serial_number: h.serial_number.clone(),
            udid: h.udid.clone(),
        }
    }

    /// Disk volumes.
    async fn volumes(&self) -> Vec<Volume> {
        self.0
            .volumes
            .iter()
            .map(|v| Volume {
                name: v.name.as_deref().map(str::to_owned),
                format: v.format.as_deref().map(str::to_owned),
                capacity: v.capacity.as_deref().map(str::to_owned),
                available: v.available.clone(),
                percent_used: v.percent_used.as_deref().map(str::to_owned),
                encrypted: v.encrypted,
            })
            .collect()
    }

    /// Security settings.
    async fn security(&self) -> Security {
        Security {
            remote_desktop_enabled: self.0.security_information.remote_desktop_enabled,
            activation_lock_enabled: self.0.activation_lock.device_activation_lock_enabled,
            recovery_lock_enabled: self.0.recovery_information.recovery_lock_enabled,
            firmware_password_set: self.0.recovery_information.firmware_password_exist,
        }
    }

    /// The full OS version with build, e.g. "14.4.1 (23E224)" (macOS only).
    async fn system_version(&self) -> Option<&str> {
        self.0.general.system_version.as_deref()
    }

    /// The last local user to log in.
    async fn last_user(&self) -> Option<&str> {
        self.0.general.last_user.as_deref()
    }
}

/// FileVault state.
#[derive(SimpleObject)]
pub struct FileVault {
    /// Whether the disk is encrypted; null on devices that are not Macs.
    pub enabled: Option<bool>,
    /// "Personal" or "Institutional".
    pub recovery_key_type: Option<String>,
    /// Whether the personal recovery key is escrowed to Kandji.
    pub recovery_key_escrowed: Option<bool>,
    /// Whether the recovery key must be regenerated.
    pub regeneration_required: Option<bool>,
}

/// MDM state.
#[derive(SimpleObject)]
pub struct Mdm {
    /// Whether MDM is enabled.
    pub enabled: Option<bool>,
    /// Whether the device is supervised.
    pub supervised: Option<bool>,
    /// When the MDM profile was installed.
    pub installed_at: Option<DateTime>,
    /// The MDM's last check-in.
    pub last_check_in: Option<DateTime>,
}

/// Kandji agent state.
#[derive(SimpleObject)]
pub struct Agent {
    /// Whether the agent is installed.
    pub installed: Option<bool>,
    /// The agent version.
    pub version: Option<String>,
    /// When the agent was installed.
    pub installed_at: Option<DateTime>,
    /// The agent's last check-in.
    pub last_check_in: Option<DateTime>,
}

/// Hardware facts.
#[derive(SimpleObject)]
pub struct Hardware {
    /// e.g. "MacBook Air".
    pub model_name: Option<String>,
    /// e.g. "MacBookAir10,1".
    pub model_identifier: Option<String>,
    /// e.g. "Apple M1".
    pub processor: Option<String>,
    /// CPU cores.
    pub cores: Option<i32>,
    /// e.g. "8 GB".
    pub memory: Option<String>,
    /// The hardware serial number.
    pub serial_number: Option<String>,
    /// The device's UDID.
    pub udid: Option<String>,
}

/// A disk volume.
#[derive(SimpleObject)]
pub struct Volume {
    /// Volume name.
    pub name: Option<String>,
    /// e.g. "APFS (Encrypted)".
    pub format: Option<String>,
    /// e.g. "228.27 GB".
    pub capacity: Option<String>,
    /// e.g. "210.93 GB".
    pub available: Option<String>,
    /// e.g. "9%".
    pub percent_used: Option<String>,
    /// Whether the volume is encrypted.
    pub encrypted: Option<bool>,
}

/// Security settings.
#[derive(SimpleObject)]
pub struct Security {
    /// Whether Remote Desktop is on.
    pub remote_desktop_enabled: Option<bool>,
    /// Whether device activation lock is on.
    pub activation_lock_enabled: Option<bool>,
    /// Whether a recovery lock is set.
    pub recovery_lock_enabled: Option<bool>,
    /// Whether a firmware password is set.
    pub firmware_password_set: Option<bool>,
}
