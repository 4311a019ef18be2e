//! The GraphQL schema: types and resolvers over the cached Kandji tenant.
//!
//! Every field backed by a Kandji call is nullable and returns `Option<Result<T>>`: a failure
//! then answers `null` with the error at the field's path, and its siblings still answer.
//! (async-graphql 7.2 drops the key of a field returning `Result<Option<T>>` that fails, which
//! frontends cannot tell from a field they did not ask for.)

mod blueprint;
mod compliance;
mod connection;
mod device;
pub mod errors;
mod query;
mod scalars;
mod tenant;
mod user;

use std::sync::Arc;

use async_graphql::{Context, EmptyMutation, EmptySubscription, Schema, SchemaBuilder};

pub use query::Query;

use crate::http::HttpSettings;
use crate::http::apq::{MemoryStore, PersistedQueryStore};
use crate::http::cost::SchemaShape;
use crate::http::limits::LimitsExtension;
use crate::http::record::RecordExtension;
use crate::state::GatewayState;

/// The gateway's schema type.
pub type GatewaySchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// The schema without runtime data: for printing SDL.
pub fn schema_builder() -> SchemaBuilder<Query, EmptyMutation, EmptySubscription> {
    Schema::build(Query, EmptyMutation, EmptySubscription)
}

/// The schema serving `gateway`, with the query limits, automatic persisted queries (kept in
/// memory) and introspection switch of `settings`.
pub fn build_schema(gateway: Arc<GatewayState>, settings: &HttpSettings) -> GatewaySchema {
    let store = (settings.apq_cache_size > 0).then(|| match &gateway.shared {
        Some(tier) => {
            let shared = crate::shared::SharedQueryStore::new(tier.clone());
            let tiered = crate::http::apq::TieredStore::new(settings.apq_cache_size, shared);
            Arc::new(tiered) as Arc<dyn PersistedQueryStore>
        }
        None => Arc::new(MemoryStore::new(settings.apq_cache_size)) as Arc<dyn PersistedQueryStore>,
    });
    build_schema_with_store(gateway, settings, store)
}

/// `build_schema` with persisted queries kept in `store` (`None`: persisted queries off).
pub fn build_schema_with_store(
    gateway: Arc<GatewayState>,
    settings: &HttpSettings,
    store: Option<Arc<dyn PersistedQueryStore>>,
) -> GatewaySchema {
    // The record extension comes first so that it sees what the others decide.
    let shape = SchemaShape::from_sdl(&sdl());
    let builder = schema_builder()
        .data(gateway)
        .extension(RecordExtension)
        .extension(LimitsExtension::new(settings.limits, shape));
    let builder = crate::http::apq::install(builder, store);
    match settings.limits.introspection {
        true => builder.finish(),
        false => builder.disable_introspection().finish(),
    }
}

/// Adds what one request needs to `request`: a compliance loader that batches the request's
/// `Device.compliance` fields, whose upstream calls count against `stats`.
pub fn prepare_request(
    request: async_graphql::Request,
    gateway: &Arc<GatewayState>,
    stats: &Arc<crate::telemetry::RequestStats>,
) -> async_graphql::Request {
    let stats = stats.clone();
    let spawner =
        move |work| tokio::spawn(crate::telemetry::RequestStats::scope(stats.clone(), work));
    let loader = async_graphql::dataloader::DataLoader::new(
        compliance::ComplianceLoader(gateway.clone()),
        spawner,
    );
    request.data(loader)
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// The shared state, from a resolver's context.
fn state<'a>(ctx: &Context<'a>) -> &'a GatewayState {
    ctx.data_unchecked::<Arc<GatewayState>>()
}
