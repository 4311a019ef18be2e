//! kandji-gateway: a GraphQL API over the Kandji (Iru) device-management REST API.
//!
//! - [`kandji`]: the REST client (URL, token, models, errors, pagination, rate limits);
//! - [`cache`]: per-resource moka caches in front of the client;
//! - [`compliance`]: pure compliance rules over Kandji data;
//! - [`graphql`]: the schema (types and resolvers);
//! - [`server`]: the HTTP server (router, GraphiQL, health, metrics);
//! - [`http`]: GraphQL over HTTP, limits, persisted queries, API keys, CORS, shutdown;
//! - [`config`]: command line, environment and configuration file;
//! - [`shared`]: the optional Redis tier that lets replicas share a cache and a rate budget.

pub mod bulk;
pub mod cache;
pub mod check;
pub mod compliance;
pub mod config;
pub mod graphiql;
pub mod graphql;
pub mod http;
pub mod kandji;
pub mod people;
pub mod server;
pub mod shared;
pub mod startup;
pub mod state;
pub mod telemetry;
