//! Fleet generation: one deterministic fake company per tenant.
//!
//! A [`Tenant`] holds what is cheap to keep (users, blueprints, library
//! items and a small record per device). Everything large per device (its
//! details, apps, library item statuses) is derived on demand from the
//! device's own seed by [`apps`], [`library`] and [`details`], so an
//! endpoint costs the same in a fleet of 250 or 10,000 devices.

pub mod app_catalog;
pub mod apps;
mod assign;
pub mod blueprint_catalog;
pub mod details;
pub mod devices;
mod draw;
mod enroll;
pub mod hardware;
pub mod library;
pub mod library_catalog;
pub mod people;
pub mod prism_rows;
pub mod scenarios;
mod tenant;
pub mod timefmt;

pub use devices::{Device, Hardware, PasswordManager, Platform, Situation};
pub use library_catalog::Control;
pub use people::User;
pub use tenant::{Blueprint, Company, LibraryItem, Tag, Tenant};
