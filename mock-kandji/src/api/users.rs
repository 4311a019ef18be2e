//! `GET /users` and `GET /users/{id}`: DRF cursor paging, 25 per page, with
//! no `count`. As in Kandji's own example, `next` points at the tenant's
//! web host (the API host without `.api.`), so clients must read the
//! `cursor` out of it rather than follow it.

use axum::Json;
use axum::extract::Path;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::pipeline::TenantContext;
use super::query::{Params, absolute_url};
use super::shapes::user_entry;
use crate::fleet::User;
use crate::host;

/// Users per page.
pub const USERS_PAGE_SIZE: usize = 25;

/// A cursor for the page starting at `position`: base64 of `p=<position>`.
pub fn encode_cursor(position: usize) -> String {
    STANDARD.encode(format!("p={position}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let raw = STANDARD.decode(cursor).ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.split('&')
        .find_map(|pair| pair.strip_prefix("p="))
        .and_then(|p| p.parse().ok())
}

fn matches(user: &User, params: &Params, integration: (&str, &str)) -> Result<bool, ApiError> {
    let archived = match params
        .get("archived")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            return Err(ApiError::FieldError(
                "archived",
                "Enter a valid boolean.".to_owned(),
            ));
        }
    };
    Ok(params
        .get("email")
        .is_none_or(|v| user.email.to_lowercase().contains(&v.to_lowercase()))
        && params
            .get("id")
            .is_none_or(|v| user.id.eq_ignore_ascii_case(v))
        && params
            .get("integration_id")
            .is_none_or(|v| v == integration.0 || v.eq_ignore_ascii_case(integration.1))
        && archived.is_none_or(|a| user.archived == a))
}

/// `GET /api/v1/users`.
pub async fn list_users(ctx: TenantContext, params: Params) -> Result<Json<Value>, ApiError> {
    let tenant = &ctx.tenant;
    let integration_id = tenant.company.integration_id.to_string();
    let integration = (
        integration_id.as_str(),
        tenant.company.integration_uuid.as_str(),
    );
    let mut users = Vec::new();
    for user in &tenant.users {
        if matches(user, &params, integration)? {
            users.push(user);
        }
    }

    let start = match params.get("cursor") {
        Some(cursor) => decode_cursor(cursor).ok_or(ApiError::InvalidCursor)?,
        None => 0,
    };
    let results: Vec<Value> = users
        .iter()
        .skip(start)
        .take(USERS_PAGE_SIZE)
        .map(|u| user_entry(tenant, u))
        .collect();

    let web = host::web_host(&ctx.host);
    let link = |position: usize| {
        let pairs = params.with(&[("cursor", Some(encode_cursor(position)))]);
        absolute_url(&web, "/api/v1/users", &pairs)
    };
    let next = (start + USERS_PAGE_SIZE < users.len()).then(|| link(start + USERS_PAGE_SIZE));
    let previous = (start > 0).then(|| link(start.saturating_sub(USERS_PAGE_SIZE)));
    Ok(Json(
        json!({ "next": next, "previous": previous, "results": results }),
    ))
}

/// `GET /api/v1/users/{user_id}`.
pub async fn get_user(ctx: TenantContext, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let user = ctx
        .tenant
        .user(&id.to_ascii_lowercase())
        .ok_or(ApiError::NotFound)?;
    Ok(Json(user_entry(&ctx.tenant, user)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_base64_of_a_position_like_kandjis() {
        assert_eq!(encode_cursor(29143), "cD0yOTE0Mw==");
        assert_eq!(decode_cursor("cD0yOTE0Mw=="), Some(29143));
        assert_eq!(decode_cursor("not base64!"), None);
    }
}
