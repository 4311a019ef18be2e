//! A fake Kandji (Iru) tenant for developing and testing the gateway
//! without a real tenant or token.
//!
//! It serves `/api/v1/` with Kandji's paths, response shapes, five paging
//! schemes, errors, Kong rate-limit headers and data quirks, for any number
//! of tenants chosen by the `Host` header, each a deterministic fake company
//! generated from the seed. `/__mock/` lets tests read the request journal,
//! inject latency and faults, change rate limits, register tokens with fewer
//! permissions and find devices in a given compliance situation.
//!
//! Modules:
//! - [`config`]: [`MockConfig`], the start-up settings.
//! - [`host`]: which tenant a `Host` header names.
//! - [`fleet`]: fleet generation and the per-device data derived on demand.
//! - [`api`]: the `/api/v1/` routes and the layer in front of them.
//! - [`auth`], [`ratelimit`], [`faults`], [`journal`]: what that layer does.
//! - [`admin`]: the `/__mock/` routes.
//! - [`seed`]: the stable seed mixer everything derives from.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let state = mock_kandji::MockState::new(mock_kandji::MockConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! mock_kandji::serve(listener, state, std::future::pending()).await
//! # }
//! ```

pub mod admin;
pub mod api;
pub mod auth;
pub mod config;
pub mod faults;
pub mod fleet;
pub mod host;
pub mod journal;
pub mod ratelimit;
pub mod seed;
mod state;

use std::future::Future;

use axum::Router;

pub use config::{DEFAULT_TOKEN, MockConfig};
pub use faults::FaultSettings;
pub use state::MockState;

/// The whole HTTP surface: `/api/` for tenants, `/__mock/` for control,
/// Django's 404 page for anything else.
pub fn app(state: MockState) -> Router {
    Router::new()
        .merge(api::router(&state))
        .merge(admin::router())
        .fallback(api::errors::page_not_found)
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes, then lets
/// in-flight requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: MockState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
