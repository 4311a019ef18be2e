//! `GET /prism/{category}`: fleet-wide Visibility reports as
//! `{offset, limit, total, data, cursor}` pages (limit 25 by default, at
//! most 300), with `filter`, `blueprint_ids`, `device_families` and an
//! opaque cursor. Rows come from the same derived data as the per-device
//! endpoints: a `filevault` row's `status` is the device's
//! `filevault_enabled`, `apps` rows are its app list.
//!
//! Four categories are generated (`apps`, `filevault`,
//! `application_firewall`, `device_information`); Kandji's other valid
//! categories answer an empty page because nothing in the gateway reads
//! them yet.

use axum::Json;
use axum::extract::Path;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::prism_filter;
use super::query::Params;
use crate::fleet::Tenant;
use crate::fleet::prism_rows::{Category, rows};

/// Categories Kandji accepts but the mock leaves empty.
const OTHER_CATEGORIES: &[&str] = &[
    "activation_lock",
    "cellular",
    "certificates",
    "desktop_and_screensaver",
    "gatekeeper_and_xprotect",
    "installed_profiles",
    "kernel_extensions",
    "launch_agents_and_daemons",
    "local_users",
    "startup_settings",
    "system_extensions",
    "transparency_database",
];

fn csv(value: Option<&str>) -> Option<Vec<String>> {
    value.map(|v| {
        v.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

/// `GET /api/v1/prism/{category}`.
pub async fn prism(
    ctx: TenantContext,
    Path(category): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let tenant: &Tenant = &ctx.tenant;
    let (limit, offset) = params.limit_offset(25, 300);
    let Some(category) = Category::from_name(&category) else {
        if OTHER_CATEGORIES.contains(&category.as_str()) {
            return Ok(Json(
                json!({ "offset": offset, "limit": limit, "total": 0, "data": [], "cursor": null }),
            ));
        }
        return Err(ApiError::BadRequest(format!(
            "Invalid category: {category}"
        )));
    };
    let conditions = match params.get("filter") {
        Some(text) => prism_filter::parse(text).map_err(ApiError::BadRequest)?,
        None => Vec::new(),
    };
    let blueprints = csv(params.get("blueprint_ids"));
    let families = csv(params.get("device_families"));

    let devices = tenant.devices.iter().filter(|d| {
        blueprints.as_ref().is_none_or(|ids| {
            ids.iter()
                .any(|id| id.eq_ignore_ascii_case(&tenant.blueprints[d.blueprint].id))
        }) && families.as_ref().is_none_or(|f| {
            f.iter()
                .any(|f| f.eq_ignore_ascii_case(d.platform.prism_family()))
        })
    });
    let mut matched: Vec<(String, Map<String, Value>)> = Vec::new();
    for device in devices {
        for row in rows(tenant, device, category) {
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

    // A cursor carries the position of the next row; it wins over `offset`.
    let cursor_start = match params.get("cursor") {
        Some(cursor) => Some(
            decode_cursor(cursor)
                .ok_or_else(|| ApiError::BadRequest("Invalid cursor".to_owned()))?,
        ),
        None => None,
    };
    let start = cursor_start.unwrap_or(offset);
    let total = matched.len();
    let end = (start + limit).min(total);
    let next_cursor =
        (end < total).then(|| STANDARD.encode(format!("{}|{end}", matched[end - 1].0)));
    let data: Vec<Value> = matched
        .into_iter()
        .skip(start)
        .take(limit)
        .map(|(_, row)| Value::Object(row))
        .collect();
    let offset_echo = if cursor_start.is_some() {
        Value::Null
    } else {
        json!(offset)
    };
    Ok(Json(json!({
        "offset": offset_echo,
        "limit": limit,
        "total": total,
        "data": data,
        "cursor": next_cursor,
    })))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let raw = String::from_utf8(STANDARD.decode(cursor).ok()?).ok()?;
    raw.rsplit_once('|')?.1.parse().ok()
}
