//! The `Tenant` type: which Kandji tenant the gateway reads.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};

use super::errors::upstream;
use crate::check::ProbeResult;

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

    /// Which permissions the API token holds, probed with one call per endpoint (the same
    /// probes as `kandji-gateway check`), refreshed every few minutes.
    async fn permissions(&self, ctx: &Context<'_>) -> Option<Result<Vec<TokenPermission>>> {
        let report = match state(ctx).cache.permissions().await {
            Ok(report) => report,
            Err(error) => return Some(Err(upstream(error))),
        };
        Some(Ok(report
            .lines
            .iter()
            .map(|line| {
                let (status, detail) = match &line.result {
                    ProbeResult::Granted => (PermissionStatus::Granted, None),
                    ProbeResult::Denied(d) => (PermissionStatus::Denied, Some(d.clone())),
                    ProbeResult::Error(d) => (PermissionStatus::Error, Some(d.clone())),
                    ProbeResult::Skipped(d) => (PermissionStatus::Skipped, Some(d.clone())),
                };
                TokenPermission {
                    name: line.permission.api_name().to_string(),
                    label: line.permission.settings_label().to_string(),
                    required: line.permission.required(),
                    endpoint: line.endpoint.template().to_string(),
                    status,
                    detail,
                }
            })
            .collect()))
    }

    /// Whether this is the embedded demo tenant (no Kandji URL configured).
    async fn embedded_mock(&self, ctx: &Context<'_>) -> bool {
        state(ctx).tenant.embedded_mock
    }
}

/// Whether the token holds a permission.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermissionStatus {
    /// The probe call succeeded.
    Granted,
    /// Kandji refused the probe: grant the permission.
    Denied,
    /// The probe failed for another reason (see `detail`).
    Error,
    /// Could not be probed (e.g. no device to probe with).
    Skipped,
}

/// One API token permission, as Kandji's token settings name it.
#[derive(SimpleObject, Debug, Clone)]
pub struct TokenPermission {
    /// The permission's name, e.g. `application_list`.
    pub name: String,
    /// The label in Kandji's token settings, e.g. "Application list".
    pub label: String,
    /// Whether the gateway needs it (the four Drata asks for).
    pub required: bool,
    /// The endpoint probed.
    pub endpoint: String,
    /// Whether it is granted.
    pub status: PermissionStatus,
    /// Why it is not granted, and the fix.
    pub detail: Option<String>,
}
