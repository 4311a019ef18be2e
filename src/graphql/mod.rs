//! The GraphQL schema: types and resolvers over the cached Kandji tenant.

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

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, EmptyMutation, EmptySubscription, Schema, SchemaBuilder};

pub use query::Query;

use crate::state::GatewayState;

/// The gateway's schema type.
pub type GatewaySchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// The schema without runtime data: for printing SDL.
pub fn schema_builder() -> SchemaBuilder<Query, EmptyMutation, EmptySubscription> {
    Schema::build(Query, EmptyMutation, EmptySubscription)
}

/// The schema serving `gateway`.
pub fn build_schema(gateway: Arc<GatewayState>) -> GatewaySchema {
    let loader = DataLoader::new(compliance::ComplianceLoader(gateway.clone()), tokio::spawn);
    schema_builder()
        .data(gateway)
        .data(loader)
        .limit_depth(16)
        .finish()
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    schema_builder().finish().sdl()
}

/// The shared state, from a resolver's context.
fn state<'a>(ctx: &Context<'a>) -> &'a GatewayState {
    ctx.data_unchecked::<Arc<GatewayState>>()
}
