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
use serde_json::{Value, json};

use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::prism_filter;
use super::prism_scan::{self, PrismQuery};
use super::query::Params;
use crate::fleet::prism_rows::Category;

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
    Path(name): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let (limit, offset) = params.limit_offset(25, 300);
    let Some(category) = Category::from_name(&name) else {
        if OTHER_CATEGORIES.contains(&name.as_str()) {
            return Ok(Json(
                json!({ "offset": offset, "limit": limit, "total": 0, "data": [], "cursor": null }),
            ));
        }
        return Err(ApiError::BadRequest(format!("Invalid category: {name}")));
    };
    let conditions = match params.get("filter") {
        Some(text) => prism_filter::parse(text).map_err(ApiError::BadRequest)?,
        None => Vec::new(),
    };
    let key = format!(
        "{name}?filter={}&blueprint_ids={}&device_families={}",
        params.get("filter").unwrap_or_default(),
        params.get("blueprint_ids").unwrap_or_default(),
        params.get("device_families").unwrap_or_default(),
    );
    let query = PrismQuery {
        category,
        conditions,
        blueprints: csv(params.get("blueprint_ids")),
        families: csv(params.get("device_families")),
        key,
    };
    let matched = prism_scan::matched(&ctx.tenant, query).await?;

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
        .iter()
        .skip(start)
        .take(limit)
        .map(|(_, row)| Value::Object(row.clone()))
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
