//! Turning configuration into a running gateway: which tenant, which client, which caches,
//! and (with no Kandji URL) the embedded mock tenant.

use std::sync::Arc;

use crate::cache::TenantCache;
use crate::config::{ConfigFile, LogFormat, Options};
use crate::kandji::{ApiToken, ApiUrl, KandjiClient};
use crate::state::{GatewayState, TenantInfo};

/// Why the gateway cannot start; the message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The Kandji URL is malformed.
    #[error("KANDJI_API_URL is not usable: {0}")]
    Url(#[from] crate::kandji::url::ApiUrlError),
    /// A token or connect-to origin without a URL.
    #[error(
        "KANDJI_API_TOKEN or KANDJI_CONNECT_TO is set but KANDJI_API_URL is not: set the tenant's \
         API URL (e.g. https://acme.api.kandji.io/api/v1/), or unset both to serve the embedded \
         demo tenant"
    )]
    UrlMissing,
    /// A URL without a token.
    #[error(
        "KANDJI_API_TOKEN is required with KANDJI_API_URL: create a token in Kandji under \
         Settings > Access > API Token and set it"
    )]
    MissingToken,
    /// The token cannot be sent.
    #[error("KANDJI_API_TOKEN is not usable: {0}")]
    Token(&'static str),
    /// The connect-to origin is malformed.
    #[error(
        "KANDJI_CONNECT_TO must be an origin such as http://127.0.0.1:7001 (scheme, host and \
         port, no path): {0}"
    )]
    ConnectTo(String),
    /// The Redis URL is wrong.
    #[error("GATEWAY_REDIS_URL is not usable: {0}")]
    Redis(String),
    /// The configuration file is wrong.
    #[error("{0}")]
    Config(String),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// The embedded mock is not compiled in.
    #[error(
        "no KANDJI_API_URL is set and this build has no embedded mock tenant (feature \
         `embedded-mock`); set KANDJI_API_URL and KANDJI_API_TOKEN"
    )]
    NoEmbeddedMock,
    /// The embedded mock could not start.
    #[error("cannot start the embedded mock tenant: {0}")]
    EmbeddedMock(std::io::Error),
}

/// Where upstream calls go and with which credentials.
pub struct Upstream {
    /// The tenant URL.
    pub api: ApiUrl,
    /// The token.
    pub token: ApiToken,
    /// The origin requests really go to, if not the tenant's host.
    pub connect_to: Option<url::Url>,
    /// Whether this is the embedded mock.
    pub embedded_mock: bool,
}

/// Parses `--kandji-connect-to`.
pub fn parse_connect_to(origin: &str) -> Result<url::Url, StartupError> {
    let url = url::Url::parse(origin.trim()).map_err(|e| StartupError::ConnectTo(e.to_string()))?;
    let is_origin = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && matches!(url.path(), "" | "/")
        && url.query().is_none();
    if !is_origin {
        return Err(StartupError::ConnectTo(format!(
            "got {}",
            url.origin().ascii_serialization()
        )));
    }
    Ok(url)
}

/// The upstream named by the options, when a Kandji URL is configured.
pub fn configured_upstream(options: &Options) -> Result<Option<Upstream>, StartupError> {
    let Some(url) = options
        .kandji_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    else {
        // A token or connect-to origin without a URL is a misspelt or forgotten URL, not a wish
        // for the demo tenant: serving fake data then would mislead.
        if options.kandji_token.is_some() || options.kandji_connect_to.is_some() {
            return Err(StartupError::UrlMissing);
        }
        return Ok(None);
    };
    let api = ApiUrl::parse(url)?;
    let token = options
        .kandji_token
        .as_ref()
        .map(|t| t.expose())
        .ok_or(StartupError::MissingToken)?;
    let token = ApiToken::new(token).map_err(StartupError::Token)?;
    let connect_to = options
        .kandji_connect_to
        .as_deref()
        .map(parse_connect_to)
        .transpose()?;
    Ok(Some(Upstream {
        api,
        token,
        connect_to,
        embedded_mock: false,
    }))
}

/// Starts the embedded mock tenant on a free loopback port and returns the upstream that
/// points at it through the connect-to path, as a real mock-kandji would be reached.
#[cfg(feature = "embedded-mock")]
pub async fn embedded_upstream(options: &Options) -> Result<Upstream, StartupError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(StartupError::EmbeddedMock)?;
    let address = listener.local_addr().map_err(StartupError::EmbeddedMock)?;
    let config = mock_kandji::MockConfig {
        seed: options.mock_seed,
        devices: options.mock_devices,
        ..mock_kandji::MockConfig::default()
    };
    let token = ApiToken::new(&config.token).map_err(StartupError::Token)?;
    let state = mock_kandji::MockState::new(config);
    tokio::spawn(async move {
        if let Err(error) = mock_kandji::serve(listener, state, std::future::pending()).await {
            tracing::error!(%error, "embedded mock tenant stopped");
        }
    });
    let api = ApiUrl::parse("https://demo.api.kandji.io/api/v1/")?;
    let connect_to = parse_connect_to(&format!("http://{address}"))?;
    tracing::info!(mock.address = %address, "embedded mock tenant started");
    Ok(Upstream {
        api,
        token,
        connect_to: Some(connect_to),
        embedded_mock: true,
    })
}

/// Without the feature there is no embedded tenant.
#[cfg(not(feature = "embedded-mock"))]
pub async fn embedded_upstream(_options: &Options) -> Result<Upstream, StartupError> {
    Err(StartupError::NoEmbeddedMock)
}

/// Builds the shared state for `upstream`.
pub fn build_state(
    options: &Options,
    upstream: Upstream,
) -> Result<Arc<GatewayState>, StartupError> {
    let file = match &options.config {
        Some(path) => ConfigFile::load(path).map_err(StartupError::Config)?,
        None => ConfigFile::default(),
    };
    let roster = match &file.people.roster {
        Some(path) => Some(crate::people::Roster::load(path).map_err(StartupError::Config)?),
        None => None,
    };
    let tenant = TenantInfo {
        region: upstream.api.region(),
        api_host: upstream.api.host().to_string(),
        embedded_mock: upstream.embedded_mock,
    };
    let shared = match &options.redis_url {
        Some(url) => {
            let settings = crate::shared::SharedSettings::default();
            let tier =
                crate::shared::SharedTier::connect(url.expose(), upstream.api.host(), settings)
                    .map_err(|e| StartupError::Redis(e.to_string()))?
                    .with_token(upstream.token.expose());
            tracing::info!(
                redis = tier.endpoint(),
                "sharing cache, rate budget and persisted queries through Redis"
            );
            Some(tier)
        }
        None => None,
    };
    let client = KandjiClient::new(
        upstream.api,
        upstream.token,
        upstream.connect_to,
        options.client_settings(),
    )
    .map_err(|e| StartupError::Client(e.to_string()))?;
    if let Some(tier) = &shared {
        let settings = options.client_settings();
        let budget =
            crate::shared::SharedBudget::new(tier.clone(), settings.per_second, settings.per_hour);
        client.share_budget(budget);
        let l2 = crate::shared::SharedCache::new(tier.clone());
        client.share_responses(l2, response_lifetime, options.cache_settings());
    }
    Ok(Arc::new(GatewayState {
        tenant,
        cache: TenantCache::new(client, &options.cache_settings()),
        compliance: file.compliance,
        max_page_size: options.max_page_size.max(1),
        fan_out: options.upstream_concurrency.max(1),
        bulk: crate::state::BulkSwitch::new(options.no_bulk),
        roster,
        shared,
    }))
}

/// How long replicas share a Kandji answer in Redis: the lifetime of the resource it feeds.
fn response_lifetime(
    settings: &crate::cache::CacheSettings,
    endpoint: crate::kandji::Endpoint,
) -> std::time::Duration {
    use crate::kandji::Endpoint as E;
    match endpoint {
        E::DeviceList => settings.device_list_ttl,
        E::Device | E::DeviceDetails => settings.details_ttl,
        E::DeviceApps => settings.apps_ttl,
        E::DeviceLibraryItems | E::LibraryItemStatus | E::Prism => settings.library_items_ttl,
        E::Users | E::User => settings.users_ttl,
        E::Blueprints | E::BlueprintLibraryItems => settings.blueprints_ttl,
    }
}

/// Installs the tracing subscriber: text or JSON lines, filtered by `RUST_LOG` (default info).
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to standard error (standard output carries `schema` and `check` output), with
    // colours only on a terminal.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
