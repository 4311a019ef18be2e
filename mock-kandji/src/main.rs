//! `mock-kandji`: serves a fake Kandji tenant on loopback.
//!
//! ```text
//! cargo run -p mock-kandji -- --listen 127.0.0.1:7001 --seed 42
//! curl -H 'Authorization: Bearer 00000000-0000-4000-8000-000000000000' \
//!      http://127.0.0.1:7001/api/v1/devices?limit=2
//! ```

use std::net::SocketAddr;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Parser;
use mock_kandji::{DEFAULT_TOKEN, FaultSettings, MockConfig, MockState};

/// A fake Kandji (Iru) tenant: real paths, shapes, paging, errors, rate
/// limits and quirks, with seeded fleets and injectable faults.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to serve on.
    #[arg(long, env = "MOCK_KANDJI_LISTEN", default_value = "127.0.0.1:7001")]
    listen: SocketAddr,
    /// Same seed, same fleet, byte for byte.
    #[arg(long, env = "MOCK_KANDJI_SEED", default_value_t = 42)]
    seed: u64,
    /// Devices per tenant.
    #[arg(long, env = "MOCK_KANDJI_DEVICES", default_value_t = 250)]
    devices: usize,
    /// The bearer token with every permission.
    #[arg(
        long,
        env = "MOCK_KANDJI_TOKEN",
        default_value = DEFAULT_TOKEN,
        hide_default_value = true,
        hide_env_values = true
    )]
    token: String,
    /// Requests per second per tenant before a 429 (0 = no limit).
    #[arg(long, env = "MOCK_KANDJI_RATE_PER_SECOND", default_value_t = 50)]
    rate_per_second: u32,
    /// Requests per hour per tenant before a 429 (0 = no limit).
    #[arg(long, env = "MOCK_KANDJI_RATE_PER_HOUR", default_value_t = 10_000)]
    rate_per_hour: u32,
    /// Status for a token that lacks a permission: 403 or 401.
    #[arg(
        long,
        env = "MOCK_KANDJI_DENIED_STATUS",
        default_value_t = 403,
        value_parser = parse_denied
    )]
    denied_status: u16,
    /// The fleet's clock: RFC 3339 or YYYY-MM-DD (default: today 00:00 UTC).
    #[arg(long, env = "MOCK_KANDJI_NOW", value_parser = parse_now)]
    now: Option<DateTime<Utc>>,
    /// Latency added to every /api response, or its lower bound.
    #[arg(long, env = "MOCK_KANDJI_LATENCY_MS", default_value_t = 0)]
    latency_ms: u64,
    /// Upper bound of a uniform latency range.
    #[arg(long, env = "MOCK_KANDJI_LATENCY_MAX_MS")]
    latency_max_ms: Option<u64>,
    /// Share of /api requests answered 500, 502 or 503.
    #[arg(long, env = "MOCK_KANDJI_ERROR_RATE", default_value_t = 0.0)]
    error_rate: f64,
    /// Share of /api requests that hang for --hang-ms.
    #[arg(long, env = "MOCK_KANDJI_HANG_RATE", default_value_t = 0.0)]
    hang_rate: f64,
    /// How long a hanging request sleeps.
    #[arg(long, env = "MOCK_KANDJI_HANG_MS", default_value_t = 30_000)]
    hang_ms: u64,
    /// Share of /api requests cut off mid-body.
    #[arg(long, env = "MOCK_KANDJI_DROP_RATE", default_value_t = 0.0)]
    drop_rate: f64,
    /// Share of /api requests answered with truncated JSON.
    #[arg(long, env = "MOCK_KANDJI_MALFORMED_RATE", default_value_t = 0.0)]
    malformed_rate: f64,
    /// Share of /api requests answered with the HTML 404 page.
    #[arg(long, env = "MOCK_KANDJI_HTML_404_RATE", default_value_t = 0.0)]
    html_404_rate: f64,
    /// Seed of the fault RNG.
    #[arg(long, env = "MOCK_KANDJI_FAULT_SEED", default_value_t = 0)]
    fault_seed: u64,
}

fn parse_denied(text: &str) -> Result<u16, String> {
    match text {
        "401" => Ok(401),
        "403" => Ok(403),
        _ => Err(format!("{text} is not 401 or 403")),
    }
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        .map_err(|_| format!("{text} is neither RFC 3339 nor YYYY-MM-DD"))
}

impl Args {
    fn config(&self) -> Result<MockConfig, String> {
        let faults = FaultSettings {
            latency_ms: self.latency_ms,
            latency_max_ms: self.latency_max_ms,
            error_rate: self.error_rate,
            hang_rate: self.hang_rate,
            hang_ms: self.hang_ms,
            drop_rate: self.drop_rate,
            malformed_rate: self.malformed_rate,
            html_404_rate: self.html_404_rate,
            seed: self.fault_seed,
            ..FaultSettings::default()
        };
        faults.validate()?;
        Ok(MockConfig {
            seed: self.seed,
            devices: self.devices,
            token: self.token.clone(),
            rate_per_second: self.rate_per_second,
            rate_per_hour: self.rate_per_hour,
            denied_status: self.denied_status,
            now: self.now,
            faults,
        })
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let args = Args::parse();
    let config = match args.config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("mock-kandji: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(listen = %args.listen, cause = %error, "cannot bind");
            return std::process::ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().map_or(args.listen, |a| a);
    tracing::info!(
        listen = %address,
        seed = config.seed,
        devices = config.devices,
        hosts = concat!(
            "loopback = US tenant demo; <sub>.api.kandji.io, <sub>.api.iru.com = US; ",
            "<sub>.api.eu.kandji.io = EU"
        ),
        "mock-kandji serving http://{address}/api/v1/"
    );
    match mock_kandji::serve(listener, MockState::new(config), shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(cause = %error, "server failed");
            std::process::ExitCode::FAILURE
        }
    }
}
