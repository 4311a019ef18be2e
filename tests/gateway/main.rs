//! Gateway integration tests: mock-kandji and the gateway run in process on port 0, real
//! GraphQL queries go over HTTP, and answers are compared with what the mock serves for the
//! same tenant.

mod answers;
mod cache;
mod check;
mod common;
mod compliance;
mod fleet;
mod http;
mod operations;
#[path = "../redis_tier/redis_server.rs"]
mod redis_server;
mod replicas;
mod resilience;
mod upstream_calls;
