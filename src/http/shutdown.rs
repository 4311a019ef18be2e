//! Graceful shutdown: on SIGINT or SIGTERM the gateway stops accepting connections, lets the
//! requests in flight finish for at most the drain timeout, and exits 0 either way, saying in
//! the log which of the two happened. Orchestrators (Kubernetes, systemd) send SIGTERM and
//! wait a grace period; `--shutdown-timeout-secs` should stay below it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// Requests being handled by this process (every server in it).
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Requests in flight right now.
pub fn in_flight() -> usize {
    IN_FLIGHT.load(Ordering::Relaxed)
}

/// Decrements the count when a request ends, however it ends (answered or cancelled).
struct InFlightGuard;

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Middleware counting requests in flight.
pub async fn count_in_flight(request: Request, next: Next) -> Response {
    IN_FLIGHT.fetch_add(1, Ordering::Relaxed);
    let _guard = InFlightGuard;
    next.run(request).await
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and waits up to
/// `drain_timeout` for in-flight requests. Returns `Ok` after a clean drain and after a
/// timeout alike: the process should exit 0 in both cases.
pub async fn serve_with_drain(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    drain_timeout: Duration,
) -> std::io::Result<()> {
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = signalled.send(());
    });
    let server = std::future::IntoFuture::into_future(server);
    tokio::pin!(server);

    // Serve until the signal (or until the server fails on its own).
    tokio::select! {
        result = &mut server => return result,
        _ = on_signal => {}
    }
    tracing::info!(
        in_flight = in_flight(),
        timeout_secs = drain_timeout.as_secs(),
        "shutting down: no longer accepting connections, finishing in-flight requests"
    );

    // Drain, within the timeout.
    match tokio::time::timeout(drain_timeout, &mut server).await {
        Ok(result) => {
            tracing::info!("shutdown complete: every in-flight request finished");
            result
        }
        Err(_) => {
            tracing::warn!(
                abandoned = in_flight(),
                timeout_secs = drain_timeout.as_secs(),
                "shutdown timeout reached: exiting with requests still in flight"
            );
            Ok(())
        }
    }
}
