//! Configuration: one clap struct where every flag has an environment variable (the flag
//! wins), plus an optional TOML file for the compliance rules. `--help` is the reference.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Deserialize;

use crate::cache::CacheSettings;
use crate::compliance::ComplianceSettings;
use crate::kandji::ClientSettings;

/// A GraphQL API over the Kandji (Iru) device-management REST API.
///
/// With no Kandji URL it serves an embedded mock tenant, so `cargo run --release` is enough to
/// explore the API in GraphiQL at http://127.0.0.1:4000.
#[derive(Parser, Debug, Clone)]
#[command(name = "kandji-gateway", version, about, long_about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings shared by every subcommand.
    #[command(flatten)]
    pub options: Options,
}

/// Subcommands.
#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve the GraphQL API (the default).
    Serve,
    /// Validate the Kandji URL, test the token and each permission, print a report; exit 0
    /// only when everything the gateway needs is granted.
    Check,
    /// Print the GraphQL schema (SDL), as `schema.graphql` holds it.
    Schema,
}

/// Log output format.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Every setting, each from a flag or its environment variable.
#[derive(clap::Args, Debug, Clone)]
pub struct Options {
    /// Address to serve on.
    #[arg(
        long,
        env = "GATEWAY_LISTEN",
        default_value = "127.0.0.1:4000",
        global = true
    )]
    pub listen: SocketAddr,

    /// The tenant's API URL, e.g. https://acme.api.kandji.io/api/v1/ (Kandji: Settings >
    /// Access). Without it the gateway serves an embedded mock tenant.
    #[arg(long, env = "KANDJI_API_URL", global = true)]
    pub kandji_url: Option<String>,

    /// The API token (required with a URL). Never logged.
    #[arg(long, env = "KANDJI_API_TOKEN", hide_env_values = true, global = true)]
    pub kandji_token: Option<SecretText>,

    /// Send upstream requests to this origin (e.g. http://127.0.0.1:7001) while keeping the
    /// URL's host as the Host header: for local runs against mock-kandji.
    #[arg(long, env = "KANDJI_CONNECT_TO", global = true)]
    pub kandji_connect_to: Option<String>,

    /// A TOML configuration file (compliance rules; see README).
    #[arg(long, env = "GATEWAY_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// Log format.
    #[arg(
        long,
        env = "GATEWAY_LOG_FORMAT",
        value_enum,
        default_value_t,
        global = true
    )]
    pub log_format: LogFormat,

    /// Largest `first` any connection accepts.
    #[arg(
        long,
        env = "GATEWAY_MAX_PAGE_SIZE",
        default_value_t = 300,
        global = true
    )]
    pub max_page_size: usize,

    /// Upstream requests per second the gateway allows itself (Kandji enforces 50; 0 = off).
    #[arg(
        long,
        env = "GATEWAY_UPSTREAM_PER_SECOND",
        default_value_t = 45,
        global = true
    )]
    pub upstream_per_second: u32,

    /// Upstream requests per hour (Kandji enforces 10,000 per tenant; 0 = off).
    #[arg(
        long,
        env = "GATEWAY_UPSTREAM_PER_HOUR",
        default_value_t = 9_000,
        global = true
    )]
    pub upstream_per_hour: u32,

    /// Upstream requests in flight at once.
    #[arg(
        long,
        env = "GATEWAY_UPSTREAM_CONCURRENCY",
        default_value_t = 16,
        global = true
    )]
    pub upstream_concurrency: usize,

    /// Timeout for one upstream request, in milliseconds.
    #[arg(
        long,
        env = "GATEWAY_UPSTREAM_TIMEOUT_MS",
        default_value_t = 20_000,
        global = true
    )]
    pub upstream_timeout_ms: u64,

    /// Timeout for connecting to Kandji, in milliseconds.
    #[arg(
        long,
        env = "GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS",
        default_value_t = 5_000,
        global = true
    )]
    pub upstream_connect_timeout_ms: u64,

    /// How long one upstream call may keep retrying (429, 5xx, timeouts), in milliseconds.
    #[arg(
        long,
        env = "GATEWAY_UPSTREAM_RETRY_DEADLINE_MS",
        default_value_t = 30_000,
        global = true
    )]
    pub upstream_retry_deadline_ms: u64,

    /// Never use the fleet-wide endpoints (library item statuses, Prism, the device list
    /// filtered by FileVault) for compliance; always read each device (three calls per Mac).
    #[arg(long, env = "GATEWAY_NO_BULK", global = true)]
    pub no_bulk: bool,

    /// Seconds the device list stays cached.
    #[arg(
        long,
        env = "GATEWAY_CACHE_DEVICE_LIST_TTL",
        default_value_t = 60,
        global = true
    )]
    pub cache_device_list_ttl: u64,

    /// Seconds a device's details, apps and library items stay cached.
    #[arg(
        long,
        env = "GATEWAY_CACHE_DEVICE_TTL",
        default_value_t = 300,
        global = true
    )]
    pub cache_device_ttl: u64,

    /// Seconds users, blueprints and the tenant library stay cached.
    #[arg(
        long,
        env = "GATEWAY_CACHE_DIRECTORY_TTL",
        default_value_t = 600,
        global = true
    )]
    pub cache_directory_ttl: u64,

    /// Seconds past its lifetime a cached entry is still answered while one refresh runs in
    /// the background (stale-while-revalidate); 0 = off, callers then wait for Kandji.
    #[arg(
        long,
        env = "GATEWAY_CACHE_MAX_STALE_SECS",
        default_value_t = 600,
        global = true
    )]
    pub cache_max_stale_secs: u64,

    /// Megabytes the per-device caches (details, apps, library items) may hold, about; the
    /// least recently useful entries go first.
    #[arg(
        long,
        env = "GATEWAY_CACHE_MAX_MB",
        default_value_t = 64,
        global = true
    )]
    pub cache_max_mb: u64,

    /// Devices per tenant in the embedded mock (no Kandji URL).
    #[arg(
        long,
        env = "GATEWAY_MOCK_DEVICES",
        default_value_t = 250,
        global = true
    )]
    pub mock_devices: usize,

    /// Seed of the embedded mock's fleet.
    #[arg(long, env = "GATEWAY_MOCK_SEED", default_value_t = 42, global = true)]
    pub mock_seed: u64,

    /// Deepest field nesting a query may have (GraphiQL's schema query needs 15).
    #[arg(long, env = "GATEWAY_MAX_DEPTH", default_value_t = 16, global = true)]
    pub max_depth: usize,

    /// Highest cost a query may have: each field costs 1, and a field taking `first`
    /// multiplies the cost of its selection by `first` (README, "Limits").
    #[arg(
        long,
        env = "GATEWAY_MAX_COMPLEXITY",
        default_value_t = 20_000,
        global = true
    )]
    pub max_complexity: u64,

    /// Most aliased fields one query may have.
    #[arg(long, env = "GATEWAY_MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,

    /// Largest request body accepted, in bytes (larger: 413 PAYLOAD_TOO_LARGE).
    #[arg(
        long,
        env = "GATEWAY_MAX_BODY_BYTES",
        default_value_t = 1_048_576,
        global = true
    )]
    pub max_body_bytes: usize,

    /// Most operations in one batch (a JSON array of requests).
    #[arg(
        long,
        env = "GATEWAY_MAX_BATCH_SIZE",
        default_value_t = 10,
        global = true
    )]
    pub max_batch_size: usize,

    /// How long one GraphQL request may run, in milliseconds, before it is answered with
    /// DEADLINE_EXCEEDED.
    #[arg(
        long,
        env = "GATEWAY_REQUEST_DEADLINE_MS",
        default_value_t = 60_000,
        global = true
    )]
    pub request_deadline_ms: u64,

    /// Answer no introspection queries (GraphiQL then has no docs or completion).
    #[arg(long, env = "GATEWAY_NO_INTROSPECTION", global = true)]
    pub no_introspection: bool,

    /// Do not serve GraphiQL.
    #[arg(long, env = "GATEWAY_NO_GRAPHIQL", global = true)]
    pub no_graphiql: bool,

    /// Queries remembered for automatic persisted queries (0 turns them off).
    #[arg(
        long,
        env = "GATEWAY_APQ_CACHE_SIZE",
        default_value_t = 1_000,
        global = true
    )]
    pub apq_cache_size: u64,

    /// Client API keys, comma-separated, 16 to 256 characters each; clients send one as
    /// `Authorization: Bearer <key>` or `X-API-Key: <key>`. Required to listen on a
    /// non-loopback address (or --allow-unauthenticated). Never logged.
    #[arg(long, env = "GATEWAY_API_KEYS", hide_env_values = true, global = true)]
    pub api_keys: Option<crate::http::access::ApiKeysText>,

    /// Listen on a non-loopback address without client API keys (when something in front of
    /// the gateway authenticates clients).
    #[arg(long, env = "GATEWAY_ALLOW_UNAUTHENTICATED", global = true)]
    pub allow_unauthenticated: bool,

    /// Origins browsers may call the API from, comma-separated, or `*`. Default: on loopback,
    /// pages served from localhost, 127.0.0.1 or [::1] on any port; elsewhere none.
    #[arg(
        long,
        env = "GATEWAY_CORS_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,

    /// Seconds a browser may reuse a successful answer (`Cache-Control: private,
    /// max-age=N`); 0 sends `private, no-cache`. Answers with errors are `no-store`.
    #[arg(
        long,
        env = "GATEWAY_RESPONSE_MAX_AGE_SECS",
        default_value_t = 15,
        global = true
    )]
    pub response_max_age_secs: u64,

    /// Seconds the gateway keeps a whole successful answer for identical requests (same query,
    /// operation, variables); any change in its cache ends them sooner. 0 turns this off.
    #[arg(
        long,
        env = "GATEWAY_RESPONSE_CACHE_SECS",
        default_value_t = 5,
        global = true
    )]
    pub response_cache_secs: u64,

    /// Megabytes those kept answers may take in all.
    #[arg(
        long,
        env = "GATEWAY_RESPONSE_CACHE_MB",
        default_value_t = 32,
        global = true
    )]
    pub response_cache_mb: u64,

    /// Seconds to let in-flight requests finish after SIGINT or SIGTERM before exiting.
    #[arg(
        long,
        env = "GATEWAY_SHUTDOWN_TIMEOUT_SECS",
        default_value_t = 20,
        global = true
    )]
    pub shutdown_timeout_secs: u64,

    /// Redis shared by several replicas (e.g. redis://10.0.0.5:6379/0): one cache, one Kandji
    /// rate budget and one persisted-query store for all. Optional; never logged.
    #[arg(long, env = "GATEWAY_REDIS_URL", hide_env_values = true, global = true)]
    pub redis_url: Option<SecretText>,
}

/// A secret from the command line or environment (the Kandji token): `Debug` prints nothing
/// of it, so logging the options never leaks it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for SecretText {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(SecretText(s.to_string()))
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The TOML configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigFile {
    /// Compliance rules.
    pub compliance: ComplianceSettings,
    /// People: the identity provider's roster.
    pub people: PeopleSettings,
}

/// The `[people]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeopleSettings {
    /// A CSV, text or JSON file of the identity provider's emails; relative to the
    /// configuration file. Each user then says whether its email matches it exactly.
    pub roster: Option<PathBuf>,
}

impl ConfigFile {
    /// Reads and validates the file; errors say which file and what is wrong.
    pub fn load(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the configuration file {}: {e}", path.display()))?;
        let mut file: ConfigFile = toml::from_str(&text).map_err(|e| {
            format!(
                "the configuration file {} is not valid: {e}",
                path.display()
            )
        })?;
        file.compliance
            .validate()
            .map_err(|e| format!("the configuration file {}: {e}", path.display()))?;
        if let Some(roster) = &mut file.people.roster
            && roster.is_relative()
        {
            *roster = path
                .parent()
                .unwrap_or(std::path::Path::new("."))
                .join(&*roster);
        }
        Ok(file)
    }
}

impl Options {
    /// How the Kandji client should behave.
    pub fn client_settings(&self) -> ClientSettings {
        ClientSettings {
            connect_timeout: Duration::from_millis(self.upstream_connect_timeout_ms),
            request_timeout: Duration::from_millis(self.upstream_timeout_ms),
            retry_deadline: Duration::from_millis(self.upstream_retry_deadline_ms),
            max_retries: 4,
            per_second: self.upstream_per_second,
            per_hour: self.upstream_per_hour,
            max_concurrency: self.upstream_concurrency.max(1),
        }
    }

    /// Cache lifetimes.
    pub fn cache_settings(&self) -> CacheSettings {
        let device = Duration::from_secs(self.cache_device_ttl);
        CacheSettings {
            device_list_ttl: Duration::from_secs(self.cache_device_list_ttl),
            details_ttl: device,
            apps_ttl: device,
            library_items_ttl: device,
            users_ttl: Duration::from_secs(self.cache_directory_ttl),
            blueprints_ttl: Duration::from_secs(self.cache_directory_ttl),
            max_stale: Duration::from_secs(self.cache_max_stale_secs),
            max_device_bytes: self.cache_max_mb.saturating_mul(1024 * 1024),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_of_the_options_hides_the_token() {
        let cli = Cli::parse_from([
            "kandji-gateway",
            "--kandji-token",
            "99999999-8888-4777-8666-555555555555",
        ]);
        let printed = format!("{cli:?}");
        assert!(!printed.contains("9999"), "{printed}");
        assert_eq!(
            cli.options.kandji_token.unwrap().expose(),
            "99999999-8888-4777-8666-555555555555"
        );
    }

    #[test]
    fn a_configuration_file_with_a_typo_is_refused_naming_the_file_and_key() {
        let path =
            std::env::temp_dir().join(format!("kandji-gateway-typo-{}.toml", std::process::id()));
        std::fs::write(&path, "[compliance]\nstale_after_dayz = 3\n").unwrap();
        let error = ConfigFile::load(&path).unwrap_err();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(error.contains("stale_after_dayz"), "{error}");
    }

    #[test]
    fn a_roster_path_is_relative_to_the_configuration_file() {
        let dir = std::env::temp_dir().join(format!("kandji-gateway-rel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("c.toml"), "[people]\nroster = \"r.csv\"\n").unwrap();
        let file = ConfigFile::load(&dir.join("c.toml")).unwrap();
        assert_eq!(file.people.roster, Some(dir.join("r.csv")));
    }
}
