//! `GET /library/library-items/{id}/status`: one library item's status on
//! every device whose blueprint holds it, as DRF pages of the same rows
//! `/devices/{id}/library-items` returns (so both always agree).

use axum::Json;
use axum::extract::Path;
use serde_json::Value;

use super::blueprints::Page;
use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::query::Params;
use crate::fleet::library::row;

/// Default and largest page of status rows.
pub const STATUS_PAGE: usize = 300;

/// `GET /api/v1/library/library-items/{library_item_id}/status`.
pub async fn item_status(
    ctx: TenantContext,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Page<Value>>, ApiError> {
    let tenant = &ctx.tenant;
    let item = tenant
        .item(&id.to_ascii_lowercase())
        .ok_or(ApiError::NotFound)?;
    let path = format!("/api/v1/library/library-items/{}/status", item.id);

    // Only the requested page is rendered; the other devices are only counted.
    let devices: Vec<_> = tenant
        .devices
        .iter()
        .filter(|d| tenant.blueprints[d.blueprint].items.contains(&item.index))
        .filter(|d| {
            params
                .get("computer_id")
                .is_none_or(|c| d.id.eq_ignore_ascii_case(c))
        })
        .collect();
    let page = Page::of(devices, &ctx.host, &path, &params, STATUS_PAGE, STATUS_PAGE);
    Ok(Json(page.map(|device| {
        serde_json::to_value(row(tenant, device, item)).unwrap_or_default()
    })))
}
