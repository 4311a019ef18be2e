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
    pub kandji_token: Option<String>,

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

    /// Never use the fleet-wide endpoints (library item statuses, Prism) for compliance; always
    /// read each device (three calls per Mac).
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
            ..CacheSettings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
