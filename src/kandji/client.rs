//! The Kandji REST client: one place that knows how to call the tenant, page through its five
//! pagination schemes, stay under its rate limits, retry what can be retried and turn every
//! failure into a [`KandjiError`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{ACCEPT, AUTHORIZATION, HOST, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::endpoint::Endpoint;
use super::error::{KandjiError, KandjiResult};
use super::models::*;
use super::token::ApiToken;
use super::url::ApiUrl;

/// How long a permission Kandji refused stays refused without asking again: token
/// permissions rarely change, and asking again for every device would spend the rate budget.
const DENIED_MEMO: Duration = Duration::from_secs(60);

/// The device list's hard page size.
pub const DEVICE_PAGE_SIZE: usize = 300;
/// The most pages any listing follows, so a server that never ends a list cannot hang us.
const MAX_PAGES: usize = 10_000;

/// How the client talks to Kandji.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Time to establish a connection.
    pub connect_timeout: Duration,
    /// Time for one whole request.
    pub request_timeout: Duration,
    /// Total time one call may spend retrying before it fails.
    pub retry_deadline: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Requests per second the gateway allows itself (Kandji enforces 50).
    pub per_second: u32,
    /// Requests per hour the gateway allows itself (Kandji enforces 10,000 per tenant).
    pub per_hour: u32,
    /// Requests in flight at once.
    pub max_concurrency: usize,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            retry_deadline: Duration::from_secs(30),
            max_retries: 4,
            per_second: 45,
            per_hour: 9_000,
            max_concurrency: 16,
        }
    }
}

/// A client for one Kandji tenant. Cheap to clone.
#[derive(Clone)]
pub struct KandjiClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api: ApiUrl,
    connect_to: Option<url::Url>,
    token: ApiToken,
    settings: ClientSettings,
    per_second: Option<DefaultDirectRateLimiter>,
    per_hour: Option<HourWindow>,
    in_flight: Semaphore,
    token_accepted: AtomicBool,
    shared_budget: std::sync::OnceLock<crate::shared::SharedBudget>,
    shared_responses: std::sync::OnceLock<SharedResponses>,
    denied: std::sync::Mutex<std::collections::HashMap<super::url::Permission, (Instant, u16)>>,
    last_success_ms: AtomicI64,
    started: Instant,
}

impl std::fmt::Debug for KandjiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KandjiClient")
            .field("api", &self.inner.api.to_string())
            .finish()
    }
}

impl KandjiClient {
    /// A client for the tenant at `api`. With `connect_to`, requests go to that origin (e.g. a
    /// local mock-kandji) while the `Host` header keeps the tenant's API host.
    pub fn new(
        api: ApiUrl,
        token: ApiToken,
        connect_to: Option<url::Url>,
        settings: ClientSettings,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .user_agent(concat!("kandji-gateway/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(settings.max_concurrency)
            .build()?;
        // Kong counts fixed windows, so a full burst at the end of one window plus the steady
        // rate in the next could exceed the limit: allow only a tenth of the rate as burst.
        let quota = |n: u32, per: fn(std::num::NonZeroU32) -> Quota| {
            let rate = std::num::NonZeroU32::new(n)?;
            let burst = std::num::NonZeroU32::new((n / 10).max(1))?;
            Some(RateLimiter::direct(per(rate).allow_burst(burst)))
        };
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                per_second: quota(settings.per_second, Quota::per_second),
                per_hour: (settings.per_hour > 0).then(|| HourWindow::new(settings.per_hour)),
                in_flight: Semaphore::new(settings.max_concurrency.max(1)),
                api,
                connect_to,
                token,
                settings,
                token_accepted: AtomicBool::new(false),
                shared_budget: std::sync::OnceLock::new(),
                shared_responses: std::sync::OnceLock::new(),
                denied: Default::default(),
                last_success_ms: AtomicI64::new(-1),
                started: Instant::now(),
            }),
        })
    }

    /// The tenant's API URL.
    pub fn api(&self) -> &ApiUrl {
        &self.inner.api
    }

    /// How long ago Kandji last answered a call successfully, if ever.
    pub fn last_success_age(&self) -> Option<Duration> {
        let ms = self.inner.last_success_ms.load(Ordering::Relaxed);
        (ms >= 0).then(|| {
            self.inner
                .started
                .elapsed()
                .saturating_sub(Duration::from_millis(ms as u64))
        })
    }

    /// Every device, read page by page (300 at a time) until Kandji says the list ended.
    pub async fn list_devices(&self) -> KandjiResult<Vec<DeviceRecord>> {
        let mut devices = Vec::new();
        for _ in 0..MAX_PAGES {
            let query = [
                ("limit", DEVICE_PAGE_SIZE.to_string()),
                ("offset", devices.len().to_string()),
            ];
            let (page, headers): (Vec<DeviceRecord>, _) = self
                .get_with_headers(Endpoint::DeviceList, "devices", &query)
                .await?;
            let total = header_u64(&headers, "x-total-count");
            let received = page.len();
            devices.extend(page);

            // Stop on an empty page (the documented loop), or once the total Kandji reported is
            // reached. A short page alone is not the end: a server may clamp `limit`.
            let reached_total = total.is_some_and(|t| devices.len() as u64 >= t);
            if received == 0 || reached_total {
                break;
            }
        }
        Ok(devices)
    }

    /// One cheap call (`GET /devices?limit=1`) that proves the URL and token work.
    pub async fn probe(&self) -> KandjiResult<()> {
        let query = [("limit", "1".to_string())];
        self.get::<serde_json::Value>(Endpoint::DeviceList, "devices", &query)
            .await
            .map(|_| ())
    }

    /// One device's list entry.
    pub async fn device(&self, id: &str) -> KandjiResult<DeviceRecord> {
        self.get(Endpoint::Device, &format!("devices/{}", segment(id)), &[])
            .await
    }

    /// One device's details.
    pub async fn device_details(&self, id: &str) -> KandjiResult<DeviceDetails> {
        self.get(
            Endpoint::DeviceDetails,
            &format!("devices/{}/details", segment(id)),
            &[],
        )
        .await
    }

    /// One device's installed apps.
    pub async fn device_apps(&self, id: &str) -> KandjiResult<DeviceApps> {
        self.get(
            Endpoint::DeviceApps,
            &format!("devices/{}/apps", segment(id)),
            &[],
        )
        .await
    }

    /// One device's library items and their statuses.
    pub async fn device_library_items(&self, id: &str) -> KandjiResult<DeviceLibraryItems> {
        let path = format!("devices/{}/library-items", segment(id));
        self.get(Endpoint::DeviceLibraryItems, &path, &[]).await
    }

    /// Every directory user, following the cursor pages. The `next` URL may name the web host
    /// instead of the API host (a documented quirk), so only its `cursor` is used.
    pub async fn list_users(&self) -> KandjiResult<Vec<UserRecord>> {
        self.users_matching(None).await
    }

    /// Directory users whose email contains `email` (Kandji's filter), or all of them.
    pub async fn users_matching(&self, email: Option<&str>) -> KandjiResult<Vec<UserRecord>> {
        let mut users = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query: Vec<(&str, String)> =
                cursor.iter().map(|c| ("cursor", c.clone())).collect();
            if let Some(email) = email {
                query.push(("email", email.to_string()));
            }
            let page: CountedPage<UserRecord> = self.get(Endpoint::Users, "users", &query).await?;
            users.extend(page.results);
            cursor = page.next.as_deref().and_then(next_cursor);
            if cursor.is_none() {
                break;
            }
        }
        Ok(users)
    }

    /// One directory user.
    pub async fn user(&self, id: &str) -> KandjiResult<UserRecord> {
        self.get(Endpoint::User, &format!("users/{}", segment(id)), &[])
            .await
    }

    /// Every blueprint.
    pub async fn list_blueprints(&self) -> KandjiResult<Vec<BlueprintRecord>> {
        self.counted_pages(Endpoint::Blueprints, "blueprints", 300)
            .await
    }

    /// The library items assigned by one blueprint.
    pub async fn blueprint_library_items(&self, id: &str) -> KandjiResult<Vec<NamedRef>> {
        let path = format!("blueprints/{}/list-library-items", segment(id));
        self.counted_pages(Endpoint::BlueprintLibraryItems, &path, 300)
            .await
    }

    /// Every device's status for one library item (the fleet-wide view).
    pub async fn library_item_statuses(
        &self,
        item_id: &str,
    ) -> KandjiResult<Vec<LibraryItemStatus>> {
        let path = format!("library/library-items/{}/status", segment(item_id));
        self.counted_pages(Endpoint::LibraryItemStatus, &path, 300)
            .await
    }

    /// Every row of one Prism category, optionally filtered (Prism's JSON `filter`).
    pub async fn prism<T: DeserializeOwned>(
        &self,
        category: &str,
        filter: Option<&serde_json::Value>,
    ) -> KandjiResult<Vec<T>> {
        let mut rows = Vec::new();
        let mut cursor: Option<String> = None;
        let path = format!("prism/{}", segment(category));
        for _ in 0..MAX_PAGES {
            let mut query = vec![("limit", "300".to_string())];
            if let Some(filter) = filter {
                query.push(("filter", filter.to_string()));
            }
            if let Some(c) = &cursor {
                query.push(("cursor", c.clone()));
            }
            let page: PrismPage<T> = self.get(Endpoint::Prism, &path, &query).await?;
            let received = page.data.len();
            rows.extend(page.data);
            cursor = page.cursor.filter(|c| !c.is_empty());
            if cursor.is_none() || received == 0 {
                break;
            }
        }
        Ok(rows)
    }

    /// Follows a `{count, next, previous, results}` listing with `limit`/`offset`.
    async fn counted_pages<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        path: &str,
        limit: usize,
    ) -> KandjiResult<Vec<T>> {
        let mut rows = Vec::new();
        for _ in 0..MAX_PAGES {
            let query = [
                ("limit", limit.to_string()),
                ("offset", rows.len().to_string()),
            ];
            let page: CountedPage<T> = self.get(endpoint, path, &query).await?;
            let received = page.results.len();
            rows.extend(page.results);
            let reached_count = page.count.is_some_and(|c| rows.len() as u64 >= c);
            if received == 0 || page.next.is_none() || reached_count {
                break;
            }
        }
        Ok(rows)
    }

    /// A GET that decodes JSON.
    pub async fn get<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> KandjiResult<T> {
        self.get_with_headers(endpoint, path, query)
            .await
            .map(|(body, _)| body)
    }

    async fn get_with_headers<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> KandjiResult<(T, HeaderMap)> {
        let (bytes, headers) = match self.inner.shared_responses.get() {
            Some(shared) => self.send_through_l2(shared, endpoint, path, query).await?,
            None => self.send_with_retries(endpoint, path, query).await?,
        };
        match serde_json::from_slice(&bytes) {
            Ok(body) => Ok((body, headers)),
            Err(error) => {
                let detail = format!("the JSON did not match the expected shape ({error})");
                tracing::warn!(upstream.endpoint = endpoint.template(), %detail, "malformed Kandji response");
                Err(KandjiError::Malformed { endpoint, detail })
            }
        }
    }

    /// Keeps Kandji's answers in Redis, shared with other replicas, for `lifetime(endpoint)`:
    /// a replica reads there before calling Kandji, and when several miss the same cold answer
    /// at once, one calls Kandji and the others wait for its answer.
    pub fn share_responses(
        &self,
        cache: crate::shared::SharedCache,
        lifetime: fn(&crate::cache::CacheSettings, Endpoint) -> Duration,
        settings: crate::cache::CacheSettings,
    ) {
        let _ = self.inner.shared_responses.set(SharedResponses {
            cache,
            lifetime,
            settings,
        });
    }

    /// One GET through the replicas' shared cache. Only well-formed JSON is stored; failures
    /// never are. Redis failing means calling Kandji here, as without it.
    async fn send_through_l2(
        &self,
        shared: &SharedResponses,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> KandjiResult<(bytes::Bytes, HeaderMap)> {
        let key: String = std::iter::once(path.to_string())
            .chain(query.iter().map(|(k, v)| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join("&");
        let ttl = (shared.lifetime)(&shared.settings, endpoint);
        let fetch = || async {
            let (bytes, headers) = self.send_with_retries(endpoint, path, query).await?;
            if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
                let detail = format!("the body is not JSON ({error})");
                tracing::warn!(upstream.endpoint = endpoint.template(), %detail, "malformed Kandji response");
                return Err(KandjiError::Malformed { endpoint, detail });
            }
            Ok(StoredResponse {
                body: String::from_utf8_lossy(&bytes).into_owned(),
                total_count: header_u64(&headers, "x-total-count"),
            })
        };
        let stored = shared
            .cache
            .get_or_fetch(endpoint.template(), &key, ttl, fetch)
            .await?;
        let mut headers = HeaderMap::new();
        if let Some(total) = stored.total_count {
            headers.insert("x-total-count", total.into());
        }
        Ok((bytes::Bytes::from(stored.body), headers))
    }

    /// Sends one GET, retrying transient failures with backoff until the retry deadline.
    async fn send_with_retries(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
    ) -> KandjiResult<(bytes::Bytes, HeaderMap)> {
        if let Some(status) = self.recently_denied(endpoint) {
            return Err(KandjiError::Forbidden { endpoint, status });
        }
        let settings = &self.inner.settings;
        let deadline = Instant::now() + settings.retry_deadline;
        let mut attempt = 0u32;
        loop {
            // No attempt outlives the deadline: the last one gets only the time that is left.
            let remaining = deadline.saturating_duration_since(Instant::now());
            let timeout = settings
                .request_timeout
                .min(remaining.max(Duration::from_millis(50)));
            let (error, wait) = match self.send_once(endpoint, path, query, timeout).await {
                Ok(ok) => return Ok(ok),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retry { error, wait }) => (error, wait),
            };
            let wait = wait.unwrap_or_else(|| backoff(attempt));
            attempt += 1;
            // 429s are retried for as long as the deadline allows: Kandji said when to come back.
            let out_of_attempts =
                attempt > settings.max_retries && !matches!(error, KandjiError::RateLimited { .. });
            if out_of_attempts || Instant::now() + wait >= deadline {
                tracing::warn!(
                    upstream.endpoint = endpoint.template(),
                    attempts = attempt,
                    error = %error,
                    "giving up on Kandji call"
                );
                return Err(error);
            }
            tracing::debug!(upstream.endpoint = endpoint.template(), wait_ms = wait.as_millis() as u64, error = %error, "retrying Kandji call");
            tokio::time::sleep(wait).await;
        }
    }

    async fn send_once(
        &self,
        endpoint: Endpoint,
        path: &str,
        query: &[(&str, String)],
        timeout: Duration,
    ) -> Result<(bytes::Bytes, HeaderMap), Attempt> {
        let inner = &self.inner;
        // A connection slot first, then the rate budget: requests that waited for a slot must
        // not leave together on budget they took long before.
        let _permit = inner
            .in_flight
            .acquire()
            .await
            .expect("semaphore never closes");
        if let Err(retry_after) = self.wait_for_budget().await {
            tracing::warn!(
                retry_after_s = retry_after.as_secs(),
                "hourly Kandji budget spent"
            );
            return Err(Attempt::Final(KandjiError::RateLimited {
                endpoint,
                retry_after,
            }));
        }

        let started = Instant::now();
        let mut request = inner
            .http
            .get(self.request_url(path))
            .timeout(timeout)
            .query(query)
            .header(AUTHORIZATION, inner.token.bearer_header())
            .header(ACCEPT, "application/json");
        if inner.connect_to.is_some() {
            request = request.header(HOST, inner.api.host());
        }
        let outcome = async {
            let response = request.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        }
        .await;
        let elapsed = started.elapsed();

        let (status, headers, body) = match outcome {
            Ok(parts) => parts,
            Err(error) => {
                let label = if error.is_timeout() {
                    "timeout"
                } else {
                    "error"
                };
                record_call(endpoint, label, elapsed);
                let error = if error.is_timeout() {
                    KandjiError::Timeout {
                        endpoint,
                        after: timeout,
                    }
                } else {
                    KandjiError::Unavailable {
                        endpoint,
                        detail: describe_transport_error(&error),
                    }
                };
                return Err(Attempt::Retry { error, wait: None });
            }
        };
        record_call(endpoint, status.as_str(), elapsed);

        let code = status.as_u16();
        match code {
            200..=299 => {
                inner.token_accepted.store(true, Ordering::Relaxed);
                let ms = inner.started.elapsed().as_millis() as i64;
                inner.last_success_ms.store(ms, Ordering::Relaxed);
                Ok((body, headers))
            }
            401 | 403 => Err(Attempt::Final(self.auth_error(endpoint, code))),
            404 => Err(Attempt::Final(KandjiError::NotFound { endpoint })),
            429 => {
                let wait = retry_after(&headers);
                metrics::counter!("kandji_rate_limit_waits_total", "reason" => "upstream_429")
                    .increment(1);
                let error = KandjiError::RateLimited {
                    endpoint,
                    retry_after: wait.unwrap_or(Duration::from_secs(1)),
                };
                Err(Attempt::Retry { error, wait })
            }
            500 | 502 | 503 | 504 => {
                let error = KandjiError::Unavailable {
                    endpoint,
                    detail: format!("HTTP {code}"),
                };
                Err(Attempt::Retry {
                    error,
                    wait: retry_after(&headers),
                })
            }
            _ => Err(Attempt::Final(KandjiError::BadRequest {
                endpoint,
                status: code,
            })),
        }
    }

    /// 401 on the first calls means a bad token; once the token has been accepted, a 401 or 403
    /// on another endpoint means that endpoint's permission is missing (tenants answer both).
    fn auth_error(&self, endpoint: Endpoint, status: u16) -> KandjiError {
        let accepted = self.inner.token_accepted.load(Ordering::Relaxed);
        if status == 403 || (accepted && endpoint != Endpoint::DeviceList) {
            let mut denied = self.inner.denied.lock().unwrap_or_else(|e| e.into_inner());
            denied.insert(endpoint.permission(), (Instant::now(), status));
            KandjiError::Forbidden { endpoint, status }
        } else {
            KandjiError::Unauthenticated { endpoint, status }
        }
    }

    /// The status Kandji refused this endpoint's permission with, if it did within the memo.
    fn recently_denied(&self, endpoint: Endpoint) -> Option<u16> {
        let denied = self.inner.denied.lock().unwrap_or_else(|e| e.into_inner());
        let (at, status) = denied.get(&endpoint.permission())?;
        (at.elapsed() < DENIED_MEMO).then_some(*status)
    }

    /// Takes rate budget from `budget`, shared with other replicas, instead of this process's
    /// own limiter (which stays the fallback while the shared budget cannot answer).
    pub fn share_budget(&self, budget: crate::shared::SharedBudget) {
        let _ = self.inner.shared_budget.set(budget);
    }

    /// Waits for rate budget; `Err` holds how long until the hourly budget comes back.
    async fn wait_for_budget(&self) -> Result<(), Duration> {
        let inner = &self.inner;
        if let Some(shared) = inner.shared_budget.get()
            && shared.acquire().await.is_ok()
        {
            return Ok(());
        }
        if let Some(hour) = &inner.per_hour {
            hour.take()?;
        }
        if let Some(limiter) = &inner.per_second
            && limiter.check().is_err()
        {
            metrics::counter!("kandji_rate_limit_waits_total", "reason" => "client_limiter")
                .increment(1);
            limiter.until_ready().await;
        }
        Ok(())
    }

    fn request_url(&self, path: &str) -> url::Url {
        let mut url = self.inner.api.endpoint(path);
        if let Some(origin) = &self.inner.connect_to {
            // Keep the path; swap scheme, host and port for the connect-to origin.
            let _ = url.set_scheme(origin.scheme());
            let _ = url.set_host(origin.host_str());
            let _ = url.set_port(origin.port_or_known_default());
        }
        url
    }
}

/// The hourly budget, counted the way Kong counts it: per clock hour (UTC), so a cold fleet
/// query may spend a large share at once, and no clock hour ever sees more than the budget.
struct HourWindow {
    budget: u32,
    used: std::sync::Mutex<(u64, u32)>,
}

impl HourWindow {
    fn new(budget: u32) -> Self {
        Self {
            budget,
            used: std::sync::Mutex::new((0, 0)),
        }
    }

    /// Takes one call from the current hour's budget; when it is spent, how long until the
    /// next hour (the caller fails the call with that retry time rather than hang).
    fn take(&self) -> Result<(), Duration> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let hour = now.as_secs() / 3600;
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        if used.0 != hour {
            *used = (hour, 0);
        }
        if used.1 < self.budget {
            used.1 += 1;
            return Ok(());
        }
        metrics::counter!("kandji_rate_limit_waits_total", "reason" => "client_hourly_budget")
            .increment(1);
        Err(Duration::from_secs((hour + 1) * 3600).saturating_sub(now))
    }
}

/// The replicas' shared cache of Kandji answers.
struct SharedResponses {
    cache: crate::shared::SharedCache,
    lifetime: fn(&crate::cache::CacheSettings, Endpoint) -> Duration,
    settings: crate::cache::CacheSettings,
}

/// A Kandji answer as the replicas share it: the JSON as sent, and the total its headers gave.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredResponse {
    body: String,
    total_count: Option<u64>,
}

/// The outcome of one failed attempt.
enum Attempt {
    Final(KandjiError),
    Retry {
        error: KandjiError,
        wait: Option<Duration>,
    },
}

fn record_call(endpoint: Endpoint, status: &str, elapsed: Duration) {
    let template = endpoint.template();
    metrics::counter!("kandji_upstream_requests_total", "endpoint" => template, "status" => status.to_string())
        .increment(1);
    metrics::histogram!("kandji_upstream_request_duration_seconds", "endpoint" => template)
        .record(elapsed.as_secs_f64());
    crate::telemetry::RequestStats::record_upstream_call();
}

/// Exponential backoff with full jitter: 200 ms, 400 ms, 800 ms ... capped at 5 s.
fn backoff(attempt: u32) -> Duration {
    let cap = Duration::from_millis(200 * 2u64.pow(attempt.min(5))).min(Duration::from_secs(5));
    let jitter = rand::random_range(0.5..=1.0);
    cap.mul_f64(jitter)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    value
        .parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0)
        .map(Duration::from_secs_f64)
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The `cursor` parameter of a cursor page's `next` URL, whatever host the URL names.
pub fn next_cursor(next: &str) -> Option<String> {
    let url = url::Url::parse(next).ok()?;
    let cursor = url
        .query_pairs()
        .find(|(k, _)| k == "cursor")?
        .1
        .into_owned();
    (!cursor.is_empty()).then_some(cursor)
}

/// Percent-encodes an id for use as one path segment.
fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

fn describe_transport_error(error: &reqwest::Error) -> String {
    if error.is_connect() {
        "could not connect".to_string()
    } else if error.is_body() || error.is_decode() {
        "the connection closed before the answer was complete".to_string()
    } else {
        "the request failed".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_budget_is_spent_per_clock_hour_and_says_when_it_returns() {
        let window = HourWindow::new(2);
        assert_eq!(window.take(), Ok(()));
        assert_eq!(window.take(), Ok(()));
        let wait = window
            .take()
            .expect_err("the third call of the hour is refused");
        assert!(wait <= Duration::from_secs(3600), "{wait:?}");
    }
}
