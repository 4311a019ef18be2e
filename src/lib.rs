//! kandji-gateway: a GraphQL API over the Kandji (Iru) device-management REST API.
//!
//! - [`kandji`]: the REST client (URL, token, models, errors, pagination, rate limits);
//! - [`cache`]: per-resource moka caches in front of the client;
//! - [`compliance`]: pure compliance rules over Kandji data;
//! - [`graphql`]: the schema (types and resolvers);
//! - [`server`]: the HTTP server (router, GraphiQL, health, metrics);
//! - [`config`]: command line, environment and configuration file.

pub mod bulk;
pub mod cache;
pub mod check;
pub mod compliance;
pub mod config;
pub mod graphiql;
pub mod graphql;
pub mod kandji;
pub mod people;
pub mod server;
pub mod startup;
pub mod state;
pub mod telemetry;
