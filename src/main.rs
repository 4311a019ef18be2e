//! The `kandji-gateway` binary: parse the configuration, then serve, check or print the schema.

use std::process::ExitCode;

use clap::Parser;
use kandji_gateway::config::{Cli, Command};
use kandji_gateway::http::HttpSettings;
use kandji_gateway::http::access::AccessPolicy;
use kandji_gateway::{check, graphql, server, startup};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = cli.options;
    startup::init_tracing(options.log_format);

    match cli.command.unwrap_or(Command::Serve) {
        Command::Schema => {
            print!("{}", graphql::sdl());
            ExitCode::SUCCESS
        }
        Command::Check => match startup::configured_upstream(&options) {
            Ok(Some(upstream)) => match startup::build_state(&check_options(&options), upstream) {
                Ok(state) => {
                    let client = state.cache.client();
                    let report = check::run(client).await;
                    print!("{}", report.render(client));
                    if report.usable() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(error) => fail(&error),
            },
            Ok(None) => {
                eprintln!(
                    "error: `check` needs KANDJI_API_URL and KANDJI_API_TOKEN (or --kandji-url and --kandji-token)"
                );
                ExitCode::from(2)
            }
            Err(error) => fail(&error),
        },
        Command::Serve => match serve(options).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(&*error),
        },
    }
}

/// `check` is interactive: each probe gives up after 10 s at most, whatever serving allows.
fn check_options(options: &kandji_gateway::config::Options) -> kandji_gateway::config::Options {
    let mut options = options.clone();
    options.upstream_retry_deadline_ms = options.upstream_retry_deadline_ms.min(10_000);
    options.upstream_timeout_ms = options.upstream_timeout_ms.min(10_000);
    options
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(2)
}

async fn serve(options: kandji_gateway::config::Options) -> Result<(), Box<dyn std::error::Error>> {
    // Refuse an unsafe listen address before anything starts.
    let settings = HttpSettings::from_options(&options)?;
    let upstream = match startup::configured_upstream(&options)? {
        Some(upstream) => upstream,
        None => startup::embedded_upstream(&options).await?,
    };
    let embedded = upstream.embedded_mock;
    let host = upstream.api.host().to_string();
    let state = startup::build_state(&options, upstream)?;
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let address = listener.local_addr()?;
    if embedded {
        tracing::info!(
            tenant.host = %host,
            devices = options.mock_devices,
            "no KANDJI_API_URL set: serving the embedded mock tenant"
        );
    } else {
        tracing::info!(tenant.host = %host, "serving Kandji tenant");
    }
    if settings.graphiql {
        tracing::info!(
            "GraphiQL on http://{address}/  (GraphQL endpoint http://{address}/graphql)"
        );
    } else {
        tracing::info!("GraphQL endpoint http://{address}/graphql");
    }
    match &settings.access {
        AccessPolicy::ApiKeys(keys) => {
            tracing::info!(keys = keys.len(), "clients must send an API key");
        }
        AccessPolicy::Open if !address.ip().is_loopback() => {
            tracing::warn!(
                "serving {address} without client API keys (--allow-unauthenticated): anyone \
                 who can reach it can read the tenant"
            );
        }
        AccessPolicy::Open => {}
    }

    let schema = graphql::build_schema(state.clone(), &settings);
    let app = server::app(schema, state, &settings);
    server::serve_with_drain(listener, app, shutdown_signal(), settings.shutdown_timeout).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    let signal = tokio::select! {
        _ = ctrl_c => "SIGINT",
        _ = term => "SIGTERM",
    };
    tracing::info!(signal, "shutdown signal received");
}
