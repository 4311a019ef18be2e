//! The fleet scan behind one Prism query, run off the async workers and kept for the query's
//! later pages.
//!
//! Deriving every device's rows for a category is CPU work (an `apps` query over a
//! 1,000-device fleet builds some 60,000 rows). Run on an async worker, it held up every other
//! request of the mock for the best part of a second, which Kandji does not do; so it runs on
//! the blocking pool. And Kandji pages through one query result, while re-deriving the fleet
//! for each page made a three-page read three times as slow as its first page; so the matched
//! rows of the most recent queries are kept. A tenant never changes once generated, and an
//! entry holds its tenant, so a kept result can never be confused with another tenant's.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use super::errors::ApiError;
use super::prism_filter::Condition;
use crate::fleet::Tenant;
use crate::fleet::prism_rows::{Category, rows};

/// How many matched rows are kept in all (a few tens of megabytes): an unfiltered `apps`
/// query over a large fleet is rescanned for each page rather than kept.
const KEPT_ROWS: usize = 50_000;

/// The rows one query matched, each with its device id, in Kandji's order.
pub type Matched = Arc<Vec<(String, Map<String, Value>)>>;

/// One Prism query: the category and what narrows it.
pub struct PrismQuery {
    /// The category.
    pub category: Category,
    /// The `filter` conditions.
    pub conditions: Vec<Condition>,
    /// `blueprint_ids`, when given.
    pub blueprints: Option<Vec<String>>,
    /// `device_families`, when given.
    pub families: Option<Vec<String>>,
    /// The query as text (category and raw parameters): what a kept result is found by.
    pub key: String,
}

/// Recent results, newest last.
static RECENT: Mutex<VecDeque<(Arc<Tenant>, String, Matched)>> = Mutex::new(VecDeque::new());

/// The rows `query` matches on `tenant`: kept from an earlier page, or scanned now on the
/// blocking pool.
pub async fn matched(tenant: &Arc<Tenant>, query: PrismQuery) -> Result<Matched, ApiError> {
    if let Some(rows) = recall(tenant, &query.key) {
        return Ok(rows);
    }
    let key = query.key.clone();
    let scanned = tenant.clone();
    let rows = tokio::task::spawn_blocking(move || scan(&scanned, &query))
        .await
        .map_err(|_| ApiError::Upstream(500))??;
    let rows = Arc::new(rows);

    if rows.len() <= KEPT_ROWS {
        let mut recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
        recent.push_back((tenant.clone(), key, rows.clone()));
        while recent.iter().map(|(_, _, r)| r.len()).sum::<usize>() > KEPT_ROWS {
            recent.pop_front();
        }
    }
    Ok(rows)
}

fn recall(tenant: &Arc<Tenant>, key: &str) -> Option<Matched> {
    let recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
    recent
        .iter()
        .rev()
        .find(|(t, k, _)| Arc::ptr_eq(t, tenant) && k == key)
        .map(|(_, _, rows)| rows.clone())
}

/// Matching rows as (sort key, row).
type Rows = Vec<(String, Map<String, Value>)>;

fn scan(tenant: &Tenant, query: &PrismQuery) -> Result<Rows, ApiError> {
    let devices = tenant.devices.iter().filter(|d| {
        query.blueprints.as_ref().is_none_or(|ids| {
            ids.iter()
                .any(|id| id.eq_ignore_ascii_case(&tenant.blueprints[d.blueprint].id))
        }) && query.families.as_ref().is_none_or(|f| {
            f.iter()
                .any(|f| f.eq_ignore_ascii_case(d.platform.prism_family()))
        })
    });
    let mut matched = Vec::new();
    for device in devices {
        for row in rows(tenant, device, query.category) {
            let conditions = &query.conditions;
            if let Some(bad) = conditions.iter().find(|c| !row.contains_key(c.column())) {
                return Err(ApiError::BadRequest(format!(
                    "Invalid filter column: {}",
                    bad.column()
                )));
            }
            if conditions.iter().all(|c| c.holds(&row)) {
                matched.push((device.id.clone(), row));
            }
        }
    }
    Ok(matched)
}
