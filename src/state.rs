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
    /// Whether the fleet-wide endpoints may be used.
    pub bulk: BulkSwitch,
    /// The identity provider's emails, when a roster is configured.
    pub roster: Option<crate::people::Roster>,
    /// The Redis tier shared with other replicas, when configured.
    pub shared: Option<crate::shared::SharedTier>,
}

/// Remembers that the fleet-wide endpoints failed (usually a missing permission), so the
/// gateway goes straight to per-device calls for a while instead of failing again each time.
#[derive(Debug, Default)]
pub struct BulkSwitch {
    disabled: bool,
    denied_at: std::sync::Mutex<Option<std::time::Instant>>,
}

/// How long to use per-device calls after the fleet-wide endpoints failed.
const BULK_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

impl BulkSwitch {
    /// A switch; `disabled` turns the fleet-wide endpoints off for good.
    pub fn new(disabled: bool) -> Self {
        Self {
            disabled,
            denied_at: Default::default(),
        }
    }

    /// Whether fleet-wide reads are turned off for good (`--no-bulk`).
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }

    /// Whether to try the fleet-wide endpoints now.
    pub fn is_allowed(&self) -> bool {
        if self.disabled {
            return false;
        }
        let denied_at = self.denied_at.lock().unwrap_or_else(|e| e.into_inner());
        denied_at.is_none_or(|at| at.elapsed() > BULK_RETRY_AFTER)
    }

    /// Records that they failed with `error`. Only a refused permission switches them off
    /// for a while; any other failure falls back to per-device calls for this query alone.
    pub fn deny(&self, error: &crate::kandji::KandjiError) {
        if !matches!(error, crate::kandji::KandjiError::Forbidden { .. }) {
            tracing::warn!(error = %error, "fleet-wide read failed: using per-device calls for this query");
            return;
        }
        let mut denied_at = self.denied_at.lock().unwrap_or_else(|e| e.into_inner());
        if denied_at.is_none() {
            tracing::warn!(
                error = %error,
                "fleet-wide endpoints not permitted: using per-device calls for compliance"
            );
        }
        *denied_at = Some(std::time::Instant::now());
    }
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
