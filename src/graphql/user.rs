//! The `User` type: a person from Kandji's user directory (synced from the identity provider).

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};

use super::device::Device;
use super::errors::upstream;
use super::state;
use crate::kandji::models::{DeviceUser, UserRecord};

/// A person in Kandji's user directory, synced from the company's identity provider.
#[derive(Clone)]
pub struct User {
    id: String,
    name: Option<String>,
    email: Option<String>,
    archived: Option<bool>,
    record: Option<Arc<UserRecord>>,
}

impl User {
    /// A user as embedded in a device entry.
    pub fn from_device_user(user: &DeviceUser) -> Self {
        User {
            id: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            archived: user.is_archived,
            record: None,
        }
    }

    /// A user from the directory.
    pub fn from_record(record: Arc<UserRecord>) -> Self {
        User {
            id: record.id.clone(),
            name: record.name.clone(),
            email: record.email.clone(),
            archived: record.archived,
            record: Some(record),
        }
    }

    /// The directory entry, looked up when this user came from a device entry.
    async fn record(&self, ctx: &Context<'_>) -> Result<Option<Arc<UserRecord>>> {
        if let Some(record) = &self.record {
            return Ok(Some(record.clone()));
        }
        let users = state(ctx).cache.users().await.map_err(upstream)?;
        Ok(users.get(&self.id).cloned())
    }
}

/// A person in Kandji's user directory, synced from the company's identity provider.
#[Object]
impl User {
    /// Kandji's user id (a UUID; an integer on tenants recorded before 2024).
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// Display name.
    async fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Email address, as the identity provider has it.
    async fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// Whether the user is archived in Kandji.
    async fn archived(&self) -> Option<bool> {
        self.archived
    }

    /// Whether the identity provider reports the user active (reads the user directory).
    async fn active(&self, ctx: &Context<'_>) -> Option<Result<bool>> {
        let result: Result<Option<bool>> =
            Box::pin(async { Ok(self.record(ctx).await?.and_then(|r| r.active)) }).await;
        result.transpose()
    }

    /// Department (reads the user directory).
    async fn department(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        let result: Result<Option<String>> =
            Box::pin(async { Ok(self.record(ctx).await?.and_then(|r| r.department.clone())) })
                .await;
        result.transpose()
    }

    /// Job title (reads the user directory).
    async fn job_title(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        let result: Result<Option<String>> =
            Box::pin(async { Ok(self.record(ctx).await?.and_then(|r| r.job_title.clone())) }).await;
        result.transpose()
    }

    /// How the email compares with the identity provider's roster (exact match, as Drata
    /// matches; `CASE_MISMATCH` will not link). Null when no roster is configured.
    async fn idp_match(&self, ctx: &Context<'_>) -> Option<crate::people::IdpMatch> {
        state(ctx)
            .roster
            .as_ref()
            .map(|r| r.classify(self.email.as_deref()))
    }

    /// Devices assigned to this user.
    async fn devices(&self, ctx: &Context<'_>) -> Option<Result<Vec<Device>>> {
        let result: Result<Option<Vec<Device>>> = Box::pin(async {
            let index = state(ctx).cache.devices().await.map_err(upstream)?;
            let devices = index
                .devices
                .iter()
                .filter(|d| d.user.as_ref().is_some_and(|u| u.id == self.id))
                .map(|d| Device(d.clone()))
                .collect();
            Ok(Some(devices))
        })
        .await;
        result.transpose()
    }
}
