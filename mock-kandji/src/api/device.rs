//! The per-device endpoints: the record itself, `details`, `apps`,
//! `library-items`, `status` and `parameters`. An unknown or malformed id
//! answers 404 `{"detail":"Not found."}`.

use axum::Json;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::devices::insert_link;
use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::shapes::device_entry;
use crate::fleet::apps::device_apps;
use crate::fleet::blueprint_catalog::PARAMETERS;
use crate::fleet::details::device_details;
use crate::fleet::library::{device_items, device_parameters, item_state, row, row_id};
use crate::fleet::timefmt::iso_z;
use crate::fleet::{Device, Tenant};

fn find<'t>(tenant: &'t Tenant, id: &str) -> Result<&'t Device, ApiError> {
    tenant
        .device(&id.to_ascii_lowercase())
        .ok_or(ApiError::NotFound)
}

/// `GET /api/v1/devices/{device_id}`: one device-list record.
pub async fn get_device(ctx: TenantContext, Path(id): Path<String>) -> Result<Response, ApiError> {
    let device = find(&ctx.tenant, &id)?;
    Ok(Json(device_entry(&ctx.tenant, device)).into_response())
}

/// `GET /api/v1/devices/{device_id}/details`.
pub async fn get_details(
    ctx: TenantContext,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let device = find(&ctx.tenant, &id)?;
    Ok(Json(device_details(&ctx.tenant, device)))
}

/// `GET /api/v1/devices/{device_id}/apps`, with the count headers the real
/// API sends.
pub async fn get_apps(ctx: TenantContext, Path(id): Path<String>) -> Result<Response, ApiError> {
    let device = find(&ctx.tenant, &id)?;
    let apps = device_apps(device);
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", apps.len().into());
    headers.insert("x-total-pages", 1.into());
    insert_link(&mut headers, None, None);
    Ok((
        headers,
        Json(json!({ "device_id": device.id, "apps": apps })),
    )
        .into_response())
}

/// `GET /api/v1/devices/{device_id}/library-items`.
pub async fn get_library_items(
    ctx: TenantContext,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let tenant = &ctx.tenant;
    let device = find(tenant, &id)?;
    let rows: Vec<_> = device_items(tenant, device)
        .map(|item| row(tenant, device, item))
        .collect();
    Ok(Json(
        json!({ "device_id": device.id, "library_items": rows }),
    ))
}

fn parameters_json(tenant: &Tenant, device: &Device) -> Vec<Value> {
    device_parameters(tenant, device)
        .into_iter()
        .map(|(index, status)| {
            let (name, category, subcategory) = PARAMETERS[index];
            json!({
                "status": status,
                "item_id": tenant.parameter_ids[index],
                "name": name,
                "category": category,
                "subcategory": subcategory,
            })
        })
        .collect()
}

/// `GET /api/v1/devices/{device_id}/status`: slim item rows plus parameters.
pub async fn get_status(
    ctx: TenantContext,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let tenant = &ctx.tenant;
    let device = find(tenant, &id)?;
    let items: Vec<Value> = device_items(tenant, device)
        .map(|item| {
            let state = item_state(device, item);
            let id = row_id(device, item);
            json!({
                "id": id, "item_id": item.id, "name": item.template.name, "status": state.status,
                "reported_at": state.reported_at.map(iso_z), "type": item.template.kind,
                "last_audit_log": state.last_audit_log, "log": state.log,
            })
        })
        .collect();
    Ok(Json(json!({
        "device_id": device.id,
        "library_items": items,
        "parameters": parameters_json(tenant, device),
    })))
}

/// `GET /api/v1/devices/{device_id}/parameters`: Macs only; other devices
/// answer an empty list.
pub async fn get_parameters(
    ctx: TenantContext,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let device = find(&ctx.tenant, &id)?;
    Ok(Json(
        json!({ "device_id": device.id, "parameters": parameters_json(&ctx.tenant, device) }),
    ))
}
