//! The Redis tier against a real `redis-server`: each test starts its own on a free loopback
//! port and plays several replicas with several handles on it. Covers the L2 cache and its
//! single flight, the shared rate budget, the shared persisted queries, and what happens when
//! Redis dies or freezes mid-run.

mod apq;
mod budget;
mod l2;
mod outage;
mod redis_server;
mod values;

use std::time::Duration;

use kandji_gateway::shared::{SharedSettings, SharedTier};

/// The tenant every test namespaces its keys under.
pub const TENANT: &str = "acme.api.kandji.io";

/// Settings with short timeouts, so failure tests finish quickly.
pub fn settings() -> SharedSettings {
    SharedSettings {
        command_timeout: Duration::from_millis(200),
        connect_timeout: Duration::from_millis(200),
        probe_interval: Duration::from_millis(200),
        fill_lock_ttl: Duration::from_secs(5),
        persisted_query_ttl: Duration::from_secs(60),
    }
}

/// `n` independent handles on the server at `url`, as `n` replicas would hold.
pub fn replicas(url: &str, n: usize, settings: SharedSettings) -> Vec<SharedTier> {
    (0..n)
        .map(|_| SharedTier::connect(url, TENANT, settings.clone()).unwrap())
        .collect()
}
