//! The Kandji endpoints the gateway calls, with the route template used in logs and metrics
//! and the token permission each one needs.

use std::fmt;

use super::url::Permission;

/// One Kandji REST endpoint, without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /devices`
    DeviceList,
    /// `GET /devices/{device_id}`
    Device,
    /// `GET /devices/{device_id}/details`
    DeviceDetails,
    /// `GET /devices/{device_id}/apps`
    DeviceApps,
    /// `GET /devices/{device_id}/library-items`
    DeviceLibraryItems,
    /// `GET /users`
    Users,
    /// `GET /users/{user_id}`
    User,
    /// `GET /blueprints`
    Blueprints,
    /// `GET /blueprints/{blueprint_id}/list-library-items`
    BlueprintLibraryItems,
    /// `GET /library/library-items/{item_id}/status`
    LibraryItemStatus,
    /// `GET /prism/{category}`
    Prism,
}

impl Endpoint {
    /// The route template, e.g. `GET /api/v1/devices/{device_id}/details`.
    pub fn template(self) -> &'static str {
        match self {
            Endpoint::DeviceList => "GET /api/v1/devices",
            Endpoint::Device => "GET /api/v1/devices/{device_id}",
            Endpoint::DeviceDetails => "GET /api/v1/devices/{device_id}/details",
            Endpoint::DeviceApps => "GET /api/v1/devices/{device_id}/apps",
            Endpoint::DeviceLibraryItems => "GET /api/v1/devices/{device_id}/library-items",
            Endpoint::Users => "GET /api/v1/users",
            Endpoint::User => "GET /api/v1/users/{user_id}",
            Endpoint::Blueprints => "GET /api/v1/blueprints",
            Endpoint::BlueprintLibraryItems => {
                "GET /api/v1/blueprints/{blueprint_id}/list-library-items"
            }
            Endpoint::LibraryItemStatus => "GET /api/v1/library/library-items/{item_id}/status",
            Endpoint::Prism => "GET /api/v1/prism/{category}",
        }
    }

    /// The token permission Kandji checks for this endpoint.
    pub fn permission(self) -> Permission {
        match self {
            Endpoint::DeviceList | Endpoint::Device => Permission::DeviceList,
            Endpoint::DeviceDetails => Permission::DeviceDetails,
            Endpoint::DeviceApps => Permission::ApplicationList,
            Endpoint::DeviceLibraryItems => Permission::DeviceLibraryItems,
            Endpoint::Users | Endpoint::User => Permission::Users,
            Endpoint::Blueprints | Endpoint::BlueprintLibraryItems => Permission::Blueprints,
            Endpoint::LibraryItemStatus => Permission::LibraryItems,
            Endpoint::Prism => Permission::Prism,
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.template())
    }
}
