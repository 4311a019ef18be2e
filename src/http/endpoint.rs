//! The `/graphql` endpoint: GET (queries in the query string, or GraphiQL for a browser) and
//! POST (one request, or a JSON array as a batch). Each HTTP request runs under the execution
//! deadline and leaves exactly one log event with its operation name, duration, upstream
//! calls and cache use; never its variables, query text or answer.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::{BatchRequest, BatchResponse};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::graphql::{GatewaySchema, prepare_request};
use crate::http::negotiate::{self, MediaType, Outcome};
use crate::http::record::RequestRecord;
use crate::http::request::{self, RequestError};
use crate::http::respond::{self, Answer, Answered};
use crate::http::response_cache::{AnswerKey, KeptAnswer, ResponseCache};
use crate::http::{HttpSettings, code, error_with_code};
use crate::state::GatewayState;
use crate::telemetry::RequestStats;

/// Longest operation name written to the log, in characters.
const MAX_LOGGED_NAME: usize = 100;

/// What the `/graphql` handlers share.
#[derive(Clone)]
pub struct GraphqlEndpoint {
    schema: GatewaySchema,
    gateway: Arc<GatewayState>,
    settings: Arc<HttpSettings>,
    answers: Option<ResponseCache>,
}

impl GraphqlEndpoint {
    /// The endpoint serving `schema` over `gateway`'s tenant with `settings`.
    pub fn new(
        schema: GatewaySchema,
        gateway: Arc<GatewayState>,
        settings: Arc<HttpSettings>,
    ) -> Self {
        let answers = ResponseCache::new(
            settings.response_cache_lifetime,
            settings.response_cache_max_bytes,
        );
        GraphqlEndpoint {
            schema,
            gateway,
            settings,
            answers,
        }
    }
}

/// `GET /graphql`: GraphiQL for a browser, a query for everyone else.
pub async fn get_graphql(State(endpoint): State<GraphqlEndpoint>, request: Request) -> Response {
    if endpoint.settings.graphiql && negotiate::is_graphiql_navigation(&request) {
        return crate::graphiql::page().into_response();
    }
    let Some(media) = negotiate::choose(request.headers()) else {
        return not_acceptable();
    };
    if !negotiate::has_graphql_params(request.uri()) {
        let message =
            "GET /graphql needs a `query` parameter, e.g. /graphql?query={tenant{region}}";
        return refuse(media, RequestError::Malformed(message.to_string()));
    }
    match request::read_get(request.uri()) {
        Ok(batch) => endpoint.run(media, batch).await,
        Err(error) => refuse(media, error),
    }
}

/// `POST /graphql`: a JSON request, or a JSON array of them (a batch).
pub async fn post_graphql(State(endpoint): State<GraphqlEndpoint>, request: Request) -> Response {
    let Some(media) = negotiate::choose(request.headers()) else {
        return not_acceptable();
    };
    let (parts, body) = request.into_parts();
    let settings = &endpoint.settings;
    match request::read_post(
        &parts.headers,
        body,
        settings.max_body_bytes,
        settings.max_batch_size,
    )
    .await
    {
        Ok(batch) => endpoint.run(media, batch).await,
        Err(error) => refuse(media, error),
    }
}

impl GraphqlEndpoint {
    /// Answers `batch`: a single request from the kept answers when there is one (see
    /// `response_cache`), anything else by executing it.
    async fn run(&self, media: MediaType, batch: BatchRequest) -> Response {
        let (Some(answers), BatchRequest::Single(request)) = (&self.answers, &batch) else {
            return self.execute(media, batch).await.into_response(media);
        };
        let started = Instant::now();
        let key = AnswerKey::new(request, self.gateway.cache.generation());
        if let Some(kept) = answers.get(&key).await {
            return replay(media, &kept, started, "hit");
        }
        // Identical requests arriving now wait for this execution. Ours logs itself; an
        // answer that cannot be kept is handed back here rather than through the cache.
        let mut ran = false;
        let mut unkept = None;
        let execution = async {
            ran = true;
            let answer = self.execute(media, batch).await;
            if !answer.keepable || !answers.fits(answer.body.len()) {
                unkept = Some(answer);
                return None;
            }
            Some(Arc::new(KeptAnswer {
                body: answer.body,
                cache_control: answer.cache_control,
                operation_name: answer.operation,
                computed_at: Instant::now(),
            }))
        };
        let kept = answers.get_or_execute(key, execution).await;
        match (kept, unkept) {
            (Some(kept), _) if ran => respond::kept_answer(media, &kept, false),
            (Some(kept), _) => replay(media, &kept, started, "shared"),
            (None, Some(answer)) => answer.into_response(media),
            (None, None) => {
                let message = "the answer was lost inside the gateway; retry the request";
                respond::error_answer(
                    media,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    vec![error_with_code(message, code::INTERNAL)],
                )
            }
        }
    }

    /// Executes `batch` within the deadline, answers it and logs it.
    async fn execute(&self, media: MediaType, batch: BatchRequest) -> Answer {
        let stats = Arc::new(RequestStats::default());
        let is_batch = matches!(batch, BatchRequest::Batch(_));
        let requests = match batch {
            BatchRequest::Single(request) => vec![request],
            BatchRequest::Batch(requests) => requests,
        };
        let sent_names: Vec<Option<String>> =
            requests.iter().map(|r| r.operation_name.clone()).collect();
        let (requests, records): (Vec<_>, Vec<_>) = requests
            .into_iter()
            .map(|r| RequestRecord::attach(prepare_request(r, &self.gateway, &stats)))
            .unzip();
        let batch = match is_batch {
            false => BatchRequest::Single(requests.into_iter().next().expect("one request")),
            true => BatchRequest::Batch(requests),
        };

        // Run within the deadline; on expiry the whole request fails (see README).
        let started = Instant::now();
        let execution = RequestStats::scope(stats.clone(), self.schema.execute_batch(batch));
        let executed = tokio::time::timeout(self.settings.deadline, execution).await;
        let (response, outcome, errors) = match executed {
            Ok(responses) => {
                let responses = match responses {
                    BatchResponse::Single(response) => vec![response],
                    BatchResponse::Batch(responses) => responses,
                };
                let answers: Vec<Answered> = responses
                    .into_iter()
                    .zip(&records)
                    .map(|(response, record)| Answered {
                        response,
                        phase: record.phase(),
                    })
                    .collect();
                let outcome = log_outcome(&answers);
                let errors: usize = answers.iter().map(|a| a.response.errors.len()).sum();
                let response = respond::graphql_answer(media, answers, is_batch, &self.settings);
                (response, outcome, errors)
            }
            Err(_) => (self.deadline_exceeded(media), "deadline_exceeded", 1),
        };
        let status = response.status;

        let operations: Vec<String> = records
            .iter()
            .zip(sent_names)
            .map(|(record, sent)| {
                // A name the schema did not resolve is the client's raw text: keep it short.
                let sent = sent.map(|name| name.chars().take(MAX_LOGGED_NAME).collect());
                record
                    .operation_name()
                    .or(sent)
                    .unwrap_or_else(|| "<anonymous>".to_string())
            })
            .collect();
        tracing::info!(
            graphql.operation = operations.join(","),
            graphql.operations = operations.len(),
            http.status = status.as_u16(),
            outcome,
            errors,
            duration_ms = started.elapsed().as_millis() as u64,
            upstream.calls = stats.upstream_calls(),
            cache.hits = stats.cache_hits(),
            cache.misses = stats.cache_misses(),
            "graphql request"
        );
        let mut response = response;
        if !is_batch {
            response.operation = operations.into_iter().next();
        }
        response
    }

    fn deadline_exceeded(&self, media: MediaType) -> Answer {
        let ms = self.settings.deadline.as_millis();
        let message = format!(
            "the request did not finish within {ms} ms (GATEWAY_REQUEST_DEADLINE_MS); ask for \
             less, or retry: what was already read from Kandji stays cached"
        );
        let status = negotiate::status(media, Outcome::DeadlineExceeded);
        respond::errors_only(
            status,
            vec![error_with_code(message, code::DEADLINE_EXCEEDED)],
        )
    }
}

/// Answers with a kept answer and logs it: a `hit` found at once, or `shared` with an
/// identical request that was executing.
fn replay(media: MediaType, kept: &KeptAnswer, started: Instant, how: &'static str) -> Response {
    let response = respond::kept_answer(media, kept, true);
    tracing::info!(
        graphql.operation = kept.operation_name.as_deref().unwrap_or("<anonymous>"),
        graphql.operations = 1,
        http.status = response.status().as_u16(),
        outcome = "ok",
        errors = 0,
        duration_ms = started.elapsed().as_millis() as u64,
        upstream.calls = 0,
        response_cache = how,
        "graphql request"
    );
    response
}

/// The log's summary of how the request went.
fn log_outcome(answers: &[Answered]) -> &'static str {
    if answers
        .iter()
        .any(|a| a.outcome() == Outcome::PersistedQueryMiss)
    {
        "persisted_query_miss"
    } else if answers.iter().any(|a| a.outcome() == Outcome::RequestError) {
        "request_error"
    } else if answers.iter().any(|a| !a.response.is_ok()) {
        "field_errors"
    } else {
        "ok"
    }
}

/// Answers a request that is not a GraphQL request the gateway will run, and logs it.
fn refuse(media: MediaType, error: RequestError) -> Response {
    let status = error.status();
    tracing::info!(
        http.status = status.as_u16(),
        outcome = "refused",
        error.code = error.code(),
        "graphql request"
    );
    respond::error_answer(
        media,
        status,
        vec![error_with_code(error.to_string(), error.code())],
    )
}

fn not_acceptable() -> Response {
    let message = "accepts neither application/graphql-response+json nor application/json";
    tracing::info!(
        http.status = 406,
        outcome = "refused",
        error.code = code::NOT_ACCEPTABLE,
        "graphql request"
    );
    let errors = vec![error_with_code(message, code::NOT_ACCEPTABLE)];
    respond::error_answer(MediaType::Json, StatusCode::NOT_ACCEPTABLE, errors)
}
