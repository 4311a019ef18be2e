//! The state every request shares: the tenant, its cache, and the settings resolvers read.

use crate::cache::TenantCache;
use crate::compliance::ComplianceSettings;
use crate::kandji::Region;

/// Everything a resolver needs, shared by all requests.
pub struct GatewayState {
    /// Which tenant this gateway serves.
    pub tenant: TenantInfo,
    /// The cached view of the tenant.
    pub cache: TenantCache,
    /// Compliance rules configuration.
    pub compliance: ComplianceSettings,
    /// Largest `first` a connection accepts.
    pub max_page_size: usize,
    /// Upstream calls allowed at once when one query fans out over many devices.
    pub fan_out: usize,
}

/// The tenant the gateway is connected to.
#[derive(Debug, Clone)]
pub struct TenantInfo {
    /// US or EU.
    pub region: Region,
    /// The API host, e.g. `acme.api.eu.kandji.io`.
    pub api_host: String,
    /// Whether this is the embedded mock tenant.
    pub embedded_mock: bool,
}
