//! The `/api/v1/` surface: Kandji's paths, each behind the token check for
//! the permission Kandji's API token settings name, all behind the
//! tenant / rate-limit / fault / journal layer in [`pipeline`].

pub mod blueprints;
pub mod device;
pub mod devices;
pub mod errors;
pub mod library;
pub mod pipeline;
pub mod prism;
pub mod prism_filter;
pub mod prism_scan;
pub mod query;
pub mod shapes;
pub mod users;

use axum::Router;
use axum::handler::Handler;
use axum::middleware::{from_fn_with_state, map_response};
use axum::routing::{MethodRouter, get};

use crate::auth::Permission;
use crate::state::MockState;

/// A GET route guarded by `permission`; other methods answer DRF's 405
/// once the token has been checked.
fn guarded<H, T>(state: &MockState, permission: Permission, handler: H) -> MethodRouter<MockState>
where
    H: Handler<T, MockState>,
    T: 'static,
{
    get(handler)
        .fallback(errors::method_not_allowed)
        .layer(from_fn_with_state(
            (state.clone(), permission),
            pipeline::authorize,
        ))
}

/// Every `/api/` route, wrapped in the tenant / rate-limit / fault layer.
pub fn router(state: &MockState) -> Router<MockState> {
    use Permission::*;
    let s = state;
    Router::new()
        .route(
            "/api/v1/devices",
            guarded(s, DeviceList, devices::list_devices),
        )
        .route(
            "/api/v1/devices/{device_id}",
            guarded(s, DeviceList, device::get_device),
        )
        .route(
            "/api/v1/devices/{device_id}/details",
            guarded(s, DeviceDetails, device::get_details),
        )
        .route(
            "/api/v1/devices/{device_id}/apps",
            guarded(s, ApplicationList, device::get_apps),
        )
        .route(
            "/api/v1/devices/{device_id}/library-items",
            guarded(s, DeviceLibraryItems, device::get_library_items),
        )
        .route(
            "/api/v1/devices/{device_id}/status",
            guarded(s, DeviceLibraryItems, device::get_status),
        )
        .route(
            "/api/v1/devices/{device_id}/parameters",
            guarded(s, DeviceLibraryItems, device::get_parameters),
        )
        .route("/api/v1/users", guarded(s, Users, users::list_users))
        .route(
            "/api/v1/users/{user_id}",
            guarded(s, Users, users::get_user),
        )
        .route(
            "/api/v1/blueprints",
            guarded(s, Blueprints, blueprints::list_blueprints),
        )
        .route(
            "/api/v1/blueprints/{blueprint_id}",
            guarded(s, Blueprints, blueprints::get_blueprint),
        )
        .route(
            "/api/v1/blueprints/{blueprint_id}/list-library-items",
            guarded(s, Blueprints, blueprints::list_blueprint_items),
        )
        .route(
            "/api/v1/library/library-items/{library_item_id}/status",
            guarded(s, LibraryItems, library::item_status),
        )
        .route("/api/v1/prism/{category}", guarded(s, Prism, prism::prism))
        .route("/api", axum::routing::any(errors::page_not_found))
        .route("/api/{*rest}", axum::routing::any(errors::page_not_found))
        .layer(map_response(json_charset))
        .layer(from_fn_with_state(state.clone(), pipeline::gateway))
}

/// Kandji (behind Kong 3) answers `application/json; charset=utf-8`.
async fn json_charset(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json");
    if is_json {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    response
}
