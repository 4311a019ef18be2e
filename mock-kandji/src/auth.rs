//! Bearer tokens and the per-endpoint permissions Kandji's API token
//! settings offer. The start-up token has every permission; tests register
//! more through `POST /__mock/tokens` with a chosen subset.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

/// A permission from Kandji's API token settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// `GET /devices` and `GET /devices/{id}`.
    DeviceList,
    /// `GET /devices/{id}/details`.
    DeviceDetails,
    /// `GET /devices/{id}/apps`.
    ApplicationList,
    /// `GET /devices/{id}/library-items`, `/status` and `/parameters`.
    DeviceLibraryItems,
    /// `GET /users` and `GET /users/{id}`.
    Users,
    /// `GET /blueprints` and its sub-resources.
    Blueprints,
    /// `GET /library/library-items/{id}/status`.
    LibraryItems,
    /// `GET /prism/*`.
    Prism,
}

impl Permission {
    /// Every permission, in the order Kandji's settings page lists them.
    pub const ALL: [Permission; 8] = [
        Permission::DeviceList,
        Permission::DeviceDetails,
        Permission::ApplicationList,
        Permission::DeviceLibraryItems,
        Permission::Users,
        Permission::Blueprints,
        Permission::LibraryItems,
        Permission::Prism,
    ];

    /// The snake-case name used in `POST /__mock/tokens`.
    pub fn name(self) -> &'static str {
        match self {
            Permission::DeviceList => "device_list",
            Permission::DeviceDetails => "device_details",
            Permission::ApplicationList => "application_list",
            Permission::DeviceLibraryItems => "device_library_items",
            Permission::Users => "users",
            Permission::Blueprints => "blueprints",
            Permission::LibraryItems => "library_items",
            Permission::Prism => "prism",
        }
    }

    /// Parses a snake-case name.
    pub fn from_name(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Why a request was not let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// A bearer token the tenant does not know.
    Invalid,
    /// A known token without the route's permission.
    Denied,
}

/// The tokens the mock accepts and what each may do.
#[derive(Debug, Clone)]
pub struct TokenRegistry {
    master: String,
    extra: HashMap<String, BTreeSet<Permission>>,
}

impl TokenRegistry {
    /// A registry holding only the token with every permission.
    pub fn new(master: String) -> Self {
        TokenRegistry {
            master,
            extra: HashMap::new(),
        }
    }

    /// Adds or replaces a token with exactly these permissions.
    pub fn register(&mut self, token: String, permissions: BTreeSet<Permission>) {
        self.extra.insert(token, permissions);
    }

    /// Checks an `Authorization` header value against `needed`.
    pub fn check(&self, header: Option<&str>, needed: Permission) -> Result<(), AuthFailure> {
        let token = header
            .and_then(|value| {
                let (scheme, rest) = value.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or(AuthFailure::Missing)?;

        if token == self.master {
            return Ok(());
        }
        match self.extra.get(token) {
            Some(granted) if granted.contains(&needed) => Ok(()),
            Some(_) => Err(AuthFailure::Denied),
            None => Err(AuthFailure::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_token_passes_every_permission() {
        let registry = TokenRegistry::new("t0".to_owned());
        for permission in Permission::ALL {
            assert_eq!(registry.check(Some("Bearer t0"), permission), Ok(()));
        }
    }

    #[test]
    fn missing_wrong_and_limited_tokens_fail_differently() {
        let mut registry = TokenRegistry::new("t0".to_owned());
        registry.register("t1".to_owned(), BTreeSet::from([Permission::Users]));
        assert_eq!(
            registry.check(None, Permission::Users),
            Err(AuthFailure::Missing)
        );
        assert_eq!(
            registry.check(Some("Token t0"), Permission::Users),
            Err(AuthFailure::Missing)
        );
        assert_eq!(
            registry.check(Some("Bearer nope"), Permission::Users),
            Err(AuthFailure::Invalid)
        );
        assert_eq!(registry.check(Some("bearer t1"), Permission::Users), Ok(()));
        assert_eq!(
            registry.check(Some("Bearer t1"), Permission::Prism),
            Err(AuthFailure::Denied)
        );
    }

    #[test]
    fn permission_names_round_trip() {
        for permission in Permission::ALL {
            assert_eq!(Permission::from_name(permission.name()), Some(permission));
        }
        assert_eq!(Permission::from_name("devices"), None);
    }
}
