//! The `Query` root: tenant, devices, users, blueprints and the compliance summary.

use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::blueprint::Blueprint;
use super::compliance::{ComplianceSummary, evaluate_many};
use super::connection::{PageInfo, PageRequest};
use super::device::{Device, Platform};
use super::errors::{bad_request, upstream};
use super::state;
use super::tenant::Tenant;
use super::user::User;
use crate::compliance::{CheckStatus, ComplianceControl, ComplianceStatus};
use crate::kandji::KandjiError;
use crate::kandji::models::DeviceRecord;

/// The entry points of the API.
pub struct Query;

/// Filters on devices. All given filters must match.
#[derive(InputObject, Default, Clone)]
pub struct DeviceFilter {
    /// Only this platform.
    pub platform: Option<Platform>,
    /// Only devices on this blueprint.
    pub blueprint_id: Option<ID>,
    /// Only devices assigned to this email (case-insensitive, exact).
    pub user_email: Option<String>,
    /// Serial numbers containing this text (case-insensitive).
    pub serial_number: Option<String>,
    /// Names containing this text (case-insensitive).
    pub name: Option<String>,
    /// Only devices with this overall compliance (evaluates compliance for matching devices).
    pub compliance_status: Option<ComplianceStatus>,
    /// Only devices failing this control (evaluates compliance for matching devices).
    pub failing_control: Option<ComplianceControl>,
}

/// Whether `value` contains `needle` ignoring case; no needle matches everything.
fn contains(value: Option<&str>, needle: &Option<String>) -> bool {
    needle.as_ref().is_none_or(|n| {
        value
            .unwrap_or("")
            .to_lowercase()
            .contains(&n.to_lowercase())
    })
}

impl DeviceFilter {
    fn matches_list_fields(&self, d: &DeviceRecord) -> bool {
        self.platform
            .is_none_or(|p| Platform::from_kandji(&d.platform) == p)
            && self
                .blueprint_id
                .as_ref()
                .is_none_or(|b| d.blueprint_id.as_deref() == Some(b.as_str()))
            && self.user_email.as_ref().is_none_or(|email| {
                d.user
                    .as_ref()
                    .and_then(|u| u.email.as_deref())
                    .is_some_and(|e| e.eq_ignore_ascii_case(email.trim()))
            })
            && contains(d.serial_number.as_deref(), &self.serial_number)
            && contains(Some(&d.device_name), &self.name)
    }

    fn needs_compliance(&self) -> bool {
        self.compliance_status.is_some() || self.failing_control.is_some()
    }
}

/// Filters on users.
#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Emails containing this text (case-insensitive).
    pub email: Option<String>,
    /// Names containing this text (case-insensitive).
    pub name: Option<String>,
    /// Only archived (true) or only active (false) users.
    pub archived: Option<bool>,
}

/// A page of devices.
#[derive(SimpleObject)]
pub struct DeviceConnection {
    /// The devices on this page.
    pub edges: Vec<DeviceEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
    /// Devices matching the filter, across all pages.
    pub total_count: usize,
}

/// One device and its cursor.
#[derive(SimpleObject)]
pub struct DeviceEdge {
    /// Pass as `after` to continue after this device.
    pub cursor: String,
    /// The device.
    pub node: Device,
}

/// A page of users.
#[derive(SimpleObject)]
pub struct UserConnection {
    /// The users on this page.
    pub edges: Vec<UserEdge>,
    /// Where this page stands.
    pub page_info: PageInfo,
    /// Users matching the filter, across all pages.
    pub total_count: usize,
}

/// One user and its cursor.
#[derive(SimpleObject)]
pub struct UserEdge {
    /// Pass as `after` to continue after this user.
    pub cursor: String,
    /// The user.
    pub node: User,
}

/// Devices matching `filter`, evaluating compliance only when the filter asks for it.
async fn filtered_devices(
    ctx: &Context<'_>,
    filter: &DeviceFilter,
) -> Result<Vec<Arc<DeviceRecord>>> {
    let gateway = state(ctx);
    let index = gateway.cache.devices().await.map_err(upstream)?;
    let mut devices: Vec<Arc<DeviceRecord>> = index
        .devices
        .iter()
        .filter(|d| filter.matches_list_fields(d))
        .cloned()
        .collect();
    if filter.needs_compliance() {
        let evaluations = Box::pin(evaluate_many(gateway, &devices)).await;
        let keep: Vec<bool> = evaluations
            .iter()
            .map(|e| {
                filter
                    .compliance_status
                    .is_none_or(|s| e.verdict.status == s)
                    && filter.failing_control.is_none_or(|c| {
                        e.verdict
                            .checks
                            .iter()
                            .any(|k| k.control == c && k.status == CheckStatus::Fail)
                    })
            })
            .collect();
        let mut keep = keep.into_iter();
        devices.retain(|_| keep.next().unwrap_or(false));
    }
    Ok(devices)
}

/// The entry points of the API.
#[Object]
impl Query {
    /// The Kandji tenant this gateway reads.
    async fn tenant(&self) -> Tenant {
        Tenant
    }

    /// Devices, in Kandji's order, filtered and paged.
    async fn devices(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many devices to return.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Which devices to return.")] filter: Option<DeviceFilter>,
    ) -> Result<DeviceConnection> {
        let page = PageRequest::new(first, after.as_deref(), state(ctx).max_page_size)?;
        let devices = filtered_devices(ctx, &filter.unwrap_or_default()).await?;
        let (edges, page_info) = page.slice(&devices);
        Ok(DeviceConnection {
            edges: edges
                .into_iter()
                .map(|(cursor, d)| DeviceEdge {
                    cursor,
                    node: Device(d),
                })
                .collect(),
            page_info,
            total_count: devices.len(),
        })
    }

    /// One device by its Kandji id; null when the tenant has no such device.
    async fn device(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Kandji's device id.")] id: ID,
    ) -> Option<Result<Device>> {
        let result: Result<Option<Device>> = async {
            if id.trim().is_empty() {
                return Err(bad_request("`id` is empty: pass a Kandji device id"));
            }
            let cache = &state(ctx).cache;
            if let Ok(index) = cache.devices().await
                && let Some(device) = index.get(&id)
            {
                return Ok(Some(Device(device.clone())));
            }
            match cache.client().device(&id).await {
                Ok(record) => Ok(Some(Device(Arc::new(record)))),
                Err(KandjiError::NotFound { .. }) => Ok(None),
                Err(error) => Err(upstream(error)),
            }
        }
        .await;
        result.transpose()
    }

    /// People in Kandji's user directory, filtered and paged.
    async fn users(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many users to return.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Which users to return.")] filter: Option<UserFilter>,
    ) -> Result<UserConnection> {
        let gateway = state(ctx);
        let page = PageRequest::new(first, after.as_deref(), gateway.max_page_size)?;
        let directory = gateway.cache.users().await.map_err(upstream)?;
        let filter = filter.unwrap_or_default();
        let users: Vec<_> = directory
            .users
            .iter()
            .filter(|u| {
                contains(u.email.as_deref(), &filter.email)
                    && contains(u.name.as_deref(), &filter.name)
                    && filter
                        .archived
                        .is_none_or(|a| u.archived.unwrap_or(false) == a)
            })
            .cloned()
            .collect();
        let (edges, page_info) = page.slice(&users);
        Ok(UserConnection {
            edges: edges
                .into_iter()
                .map(|(cursor, u)| UserEdge {
                    cursor,
                    node: User::from_record(u),
                })
                .collect(),
            page_info,
            total_count: users.len(),
        })
    }

    /// One user by id, or by email matched exactly as Drata matches (case and all).
    async fn user(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Kandji's user id.")] id: Option<ID>,
        #[graphql(desc = "The email, matched exactly.")] email: Option<String>,
    ) -> Option<Result<User>> {
        let result: Result<Option<User>> = async {
            let cache = &state(ctx).cache;
            let found = match (id, email) {
                (Some(id), None) if !id.trim().is_empty() => {
                    cache.users().await.map_err(upstream)?.get(&id).cloned()
                }
                (None, Some(email)) if !email.trim().is_empty() => {
                    cache.user_by_email(email.trim()).await.map_err(upstream)?
                }
                _ => {
                    return Err(bad_request(
                        "pass exactly one of `id` or `email` to `user`, not empty",
                    ));
                }
            };
            Ok(found.map(User::from_record))
        }
        .await;
        result.transpose()
    }

    /// Every blueprint.
    async fn blueprints(&self, ctx: &Context<'_>) -> Result<Vec<Blueprint>> {
        let blueprints = state(ctx).cache.blueprints().await.map_err(upstream)?;
        Ok(blueprints
            .iter()
            .map(|b| Blueprint::from_ref(b.id.clone(), b.name.clone()))
            .collect())
    }

    /// Compliance across the devices matching `filter` (removed devices are left out).
    async fn compliance_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which devices to count.")] filter: Option<DeviceFilter>,
    ) -> Result<ComplianceSummary> {
        let filter = filter.unwrap_or_default();
        let devices = Box::pin(filtered_devices(ctx, &filter)).await?;
        let evaluations = Box::pin(evaluate_many(state(ctx), &devices)).await;

        // Checks left unknown by failed Kandji calls are counted as unknown; say why once per
        // kind of failure rather than once per device.
        let mut reported = std::collections::HashSet::new();
        for error in evaluations.iter().flat_map(|e| e.errors.iter()) {
            if reported.insert((error.code(), error.endpoint())) {
                let error = async_graphql::ErrorExtensions::extend(error);
                ctx.add_error(ctx.set_error_path(error.into_server_error(ctx.item.pos)));
            }
        }
        Ok(ComplianceSummary::of(&evaluations))
    }
}
