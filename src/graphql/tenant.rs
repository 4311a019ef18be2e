//! The `Tenant` type: which Kandji tenant the gateway reads.

use async_graphql::{Context, Enum, Object};

use super::state;
use crate::kandji::Region as KandjiRegion;

/// The Kandji region hosting the tenant.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// United States (`*.api.kandji.io`, `*.api.iru.com`).
    Us,
    /// European Union (`*.api.eu.kandji.io`).
    Eu,
}

/// The Kandji tenant this gateway reads.
pub struct Tenant;

/// The Kandji tenant this gateway reads.
#[Object]
impl Tenant {
    /// The region hosting the tenant.
    async fn region(&self, ctx: &Context<'_>) -> Region {
        match state(ctx).tenant.region {
            KandjiRegion::Us => Region::Us,
            KandjiRegion::Eu => Region::Eu,
        }
    }

    /// The tenant's API host, e.g. `acme.api.eu.kandji.io`.
    async fn api_host(&self, ctx: &Context<'_>) -> String {
        state(ctx).tenant.api_host.clone()
    }

    /// Whether this is the embedded demo tenant (no Kandji URL configured).
    async fn embedded_mock(&self, ctx: &Context<'_>) -> bool {
        state(ctx).tenant.embedded_mock
    }
}
