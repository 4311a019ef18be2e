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
use crate::http::respond::{self, Answered};
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
}

impl GraphqlEndpoint {
    /// The endpoint serving `schema` over `gateway`'s tenant with `settings`.
    pub fn new(
        schema: GatewaySchema,
        gateway: Arc<GatewayState>,
        settings: Arc<HttpSettings>,
    ) -> Self {
        GraphqlEndpoint {
            schema,
            gateway,
            settings,
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
    /// Executes `batch` within the deadline, answers it and logs it.
    async fn run(&self, media: MediaType, batch: BatchRequest) -> Response {
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
            http.status = response.status().as_u16(),
            outcome,
            errors,
            duration_ms = started.elapsed().as_millis() as u64,
            upstream.calls = stats.upstream_calls(),
            cache.hits = stats.cache_hits(),
            cache.misses = stats.cache_misses(),
            "graphql request"
        );
        response
    }

    fn deadline_exceeded(&self, media: MediaType) -> Response {
        let ms = self.settings.deadline.as_millis();
        let message = format!(
            "the request did not finish within {ms} ms (GATEWAY_REQUEST_DEADLINE_MS); ask for \
             less, or retry: what was already read from Kandji stays cached"
        );
        let status = negotiate::status(media, Outcome::DeadlineExceeded);
        respond::error_answer(
            media,
            status,
            vec![error_with_code(message, code::DEADLINE_EXCEEDED)],
        )
    }
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
