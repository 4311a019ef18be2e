//! `GET /devices`: a bare JSON array paged by `limit`/`offset` (at most 300),
//! Kandji's filters with their contains/exact semantics, `ordering`, and the
//! `X-Total-Count` / `X-Total-Pages` / `Link: <None>` headers.

use std::cmp::Ordering;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::query::{Params, page_links};
use super::shapes::device_entry;
use crate::fleet::{Device, Tenant};

/// The most devices one page holds, and the default page size.
pub const MAX_DEVICE_PAGE: usize = 300;

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn csv(value: &str) -> Vec<&str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// A query parameter and the test its value puts a device to.
type FilterCheck<'a> = (&'static str, &'a dyn Fn(&str) -> bool);

/// Whether `device` passes every filter in `params`.
fn matches(tenant: &Tenant, device: &Device, params: &Params, filevault: Option<bool>) -> bool {
    let user = device.user.map(|u| &tenant.users[u]);
    let blueprint = &tenant.blueprints[device.blueprint];
    // Tags compare case-sensitively, as Kandji documents.
    let has_tag_name = |name: &str| device.tags.iter().any(|&t| tenant.tags[t].name == name);
    let has_tag_id = |id: &str| device.tags.iter().any(|&t| tenant.tags[t].id == id);
    let user_field = |pick: fn(&crate::fleet::User) -> &str| user.map(pick).unwrap_or_default();

    let checks: [FilterCheck<'_>; 19] = [
        ("platform", &|v| {
            device.platform.api_name().eq_ignore_ascii_case(v)
        }),
        ("blueprint_id", &|v| contains(&blueprint.id, v)),
        ("device_id", &|v| device.id.eq_ignore_ascii_case(v)),
        ("device_name", &|v| contains(&device.name, v)),
        ("serial_number", &|v| contains(&device.serial, v)),
        ("asset_tag", &|v| device.asset_tag.eq_ignore_ascii_case(v)),
        ("model", &|v| contains(device.model_name(), v)),
        ("os_version", &|v| device.os.version.contains(v)),
        ("mac_address", &|v| {
            device.mac_address.eq_ignore_ascii_case(v)
        }),
        ("user", &|v| {
            user.is_some() && contains(user_field(|u| &u.name), v)
        }),
        ("user_name", &|v| {
            user.is_some() && contains(user_field(|u| &u.name), v)
        }),
        ("user_email", &|v| {
            user.is_some() && contains(user_field(|u| &u.email), v)
        }),
        ("user_email_exact", &|v| user_field(|u| &u.email) == v),
        ("user_id", &|v| {
            user.is_some() && user_field(|u| &u.id).eq_ignore_ascii_case(v)
        }),
        ("tag_name", &has_tag_name),
        ("tag_name_in", &|v| csv(v).into_iter().any(has_tag_name)),
        ("tag_id", &has_tag_id),
        ("tag_id_in", &|v| csv(v).into_iter().any(has_tag_id)),
        ("filevault_enabled", &|_| {
            filevault.is_none_or(|want| device.filevault_enabled == Some(want))
        }),
    ];
    checks
        .iter()
        .all(|(key, test)| params.get(key).is_none_or(test))
}

/// Compares two devices on one `ordering` field.
fn compare(tenant: &Tenant, field: &str, a: &Device, b: &Device) -> Ordering {
    let user_name = |d: &Device| {
        d.user
            .map(|u| tenant.users[u].name.to_lowercase())
            .unwrap_or_default()
    };
    match field {
        "asset_tag" => a.asset_tag.cmp(&b.asset_tag),
        "blueprint_id" => tenant.blueprints[a.blueprint]
            .id
            .cmp(&tenant.blueprints[b.blueprint].id),
        "device_id" => a.id.cmp(&b.id),
        "device_name" => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        "last_check_in" => a.last_check_in.cmp(&b.last_check_in),
        "model" => a.model_name().cmp(b.model_name()),
        "platform" => a.platform.api_name().cmp(b.platform.api_name()),
        "os_version" => a.os.version.cmp(b.os.version),
        "serial_number" => a.serial.cmp(&b.serial),
        "user" => user_name(a).cmp(&user_name(b)),
        _ => Ordering::Equal,
    }
}

/// `GET /api/v1/devices`.
pub async fn list_devices(ctx: TenantContext, params: Params) -> Result<Response, ApiError> {
    let tenant = &ctx.tenant;
    let filevault = match params
        .get("filevault_enabled")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Err(ApiError::FieldError(
                "filevault_enabled",
                "Enter a valid boolean.".to_owned(),
            ));
        }
    };
    let mut devices: Vec<&Device> = tenant
        .devices
        .iter()
        .filter(|d| matches(tenant, d, &params, filevault))
        .collect();

    // `ordering=-last_check_in,device_name`: later keys break ties.
    if let Some(ordering) = params.get("ordering") {
        let keys: Vec<(bool, &str)> = csv(ordering)
            .into_iter()
            .map(|k| (k.starts_with('-'), k.trim_start_matches('-')))
            .collect();
        devices.sort_by(|a, b| {
            keys.iter()
                .map(|(desc, field)| {
                    if *desc {
                        compare(tenant, field, b, a)
                    } else {
                        compare(tenant, field, a, b)
                    }
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
    }

    let (limit, offset) = params.limit_offset(MAX_DEVICE_PAGE, MAX_DEVICE_PAGE);
    let total = devices.len();
    let page: Vec<_> = devices
        .iter()
        .skip(offset)
        .take(limit)
        .map(|d| device_entry(tenant, d))
        .collect();
    let (next, previous) = page_links(&ctx.host, "/api/v1/devices", &params, limit, offset, total);

    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(total));
    headers.insert("x-total-pages", HeaderValue::from(total.div_ceil(limit)));
    insert_link(&mut headers, next, previous);
    Ok((headers, Json(page)).into_response())
}

/// Kandji's `Link` header, with the literal `<None>` for a missing link.
pub fn insert_link(headers: &mut HeaderMap, next: Option<String>, previous: Option<String>) {
    let next = next.unwrap_or_else(|| "None".to_owned());
    let previous = previous.unwrap_or_else(|| "None".to_owned());
    if let Ok(value) = HeaderValue::from_str(&format!(
        "<{next}>; rel=\"next\", <{previous}>; rel=\"prev\""
    )) {
        headers.insert("link", value);
    }
}
