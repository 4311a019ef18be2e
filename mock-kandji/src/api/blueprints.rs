//! `GET /blueprints`, `/blueprints/{id}` and
//! `/blueprints/{id}/list-library-items`: DRF `{count,next,previous,results}`
//! pages with absolute links on the API host. Past the end `results` is
//! empty while `count` stays the total.

use axum::Json;
use axum::extract::Path;
use serde::Serialize;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::query::{Params, page_links};
use super::shapes::blueprint_entry;
use crate::fleet::Blueprint;

/// Default and largest page for blueprint lists.
pub const BLUEPRINT_PAGE: usize = 300;

/// A DRF limit/offset page.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// Rows matching, across pages.
    pub count: usize,
    /// Absolute URL of the next page.
    pub next: Option<String>,
    /// Absolute URL of the previous page.
    pub previous: Option<String>,
    /// This page's rows.
    pub results: Vec<T>,
}

impl<T> Page<T> {
    /// Cuts `rows` to the page that `params` asks for.
    pub fn of(
        rows: Vec<T>,
        host: &str,
        path: &str,
        params: &Params,
        default_limit: usize,
        max: usize,
    ) -> Page<T> {
        let (limit, offset) = params.limit_offset(default_limit, max);
        let count = rows.len();
        let (next, previous) = page_links(host, path, params, limit, offset, count);
        let results = rows.into_iter().skip(offset).take(limit).collect();
        Page {
            count,
            next,
            previous,
            results,
        }
    }

    /// The same page with each row converted.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        let results = self.results.into_iter().map(convert).collect();
        Page {
            count: self.count,
            next: self.next,
            previous: self.previous,
            results,
        }
    }
}

/// `GET /api/v1/blueprints`.
pub async fn list_blueprints(ctx: TenantContext, params: Params) -> Json<Page<Value>> {
    let tenant = &ctx.tenant;
    let ids: Option<Vec<String>> = params.get("id__in").map(|v| {
        v.split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .collect()
    });
    let wanted = |b: &&Blueprint| {
        params
            .get("id")
            .is_none_or(|v| b.id.eq_ignore_ascii_case(v))
            && ids.as_ref().is_none_or(|ids| ids.contains(&b.id))
            && params
                .get("name")
                .is_none_or(|v| b.plan.name.to_lowercase().contains(&v.to_lowercase()))
    };
    let rows = tenant
        .blueprints
        .iter()
        .filter(wanted)
        .map(|b| blueprint_entry(tenant, b))
        .collect();
    Json(Page::of(
        rows,
        &ctx.host,
        "/api/v1/blueprints",
        &params,
        BLUEPRINT_PAGE,
        BLUEPRINT_PAGE,
    ))
}

fn find<'t>(ctx: &'t TenantContext, id: &str) -> Result<&'t Blueprint, ApiError> {
    ctx.tenant
        .blueprint(&id.to_ascii_lowercase())
        .ok_or(ApiError::NotFound)
}

/// `GET /api/v1/blueprints/{blueprint_id}`.
pub async fn get_blueprint(
    ctx: TenantContext,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let blueprint = find(&ctx, &id)?;
    Ok(Json(blueprint_entry(&ctx.tenant, blueprint)))
}

/// `GET /api/v1/blueprints/{blueprint_id}/list-library-items`.
pub async fn list_blueprint_items(
    ctx: TenantContext,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Page<Value>>, ApiError> {
    let blueprint = find(&ctx, &id)?;
    let rows = blueprint
        .items
        .iter()
        .map(|&i| &ctx.tenant.items[i])
        .map(|item| json!({ "id": item.id, "name": item.template.name }))
        .collect();
    let path = format!("/api/v1/blueprints/{}/list-library-items", blueprint.id);
    Ok(Json(Page::of(
        rows,
        &ctx.host,
        &path,
        &params,
        BLUEPRINT_PAGE,
        BLUEPRINT_PAGE,
    )))
}
