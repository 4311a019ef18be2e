//! The HTTP answer to GraphQL requests: the body (without `data` when the request never
//! executed, as the GraphQL specification says of request errors), the status code from
//! `negotiate`, and the caching headers.
//!
//! Caching: a successful answer (no error at all) may be reused by the browser that asked for
//! it, briefly: `Cache-Control: private, max-age=<--response-max-age-secs>`. It is `private`
//! because the data belongs to one tenant and, with API keys, to an authenticated caller;
//! shared caches must not keep it. Anything with an error, partial answers included, is
//! `no-store`, so a transient Kandji failure is never replayed from a cache.

use std::collections::BTreeMap;

use async_graphql::{ServerError, Value};
use axum::body::{Body as HttpBody, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::http::negotiate::{self, MediaType, Outcome};
use crate::http::record::Phase;
use crate::http::response_cache::KeptAnswer;
use crate::http::{HttpSettings, code, set_code_if_missing};

/// One request's result and how far it got.
pub struct Answered {
    /// What the schema answered.
    pub response: async_graphql::Response,
    /// How far the request got.
    pub phase: Phase,
}

impl Answered {
    /// The outcome that sets the status code.
    pub fn outcome(&self) -> Outcome {
        let is_code = |error: &ServerError, wanted: &str| {
            let code = error
                .extensions
                .as_ref()
                .and_then(|e| e.get("code").cloned());
            code == Some(Value::from(wanted))
        };
        if self.phase == Phase::Executing {
            Outcome::Executed
        } else if self.response.errors.iter().any(|e| {
            is_code(e, code::PERSISTED_QUERY_NOT_FOUND)
                || is_code(e, code::PERSISTED_QUERY_NOT_SUPPORTED)
        }) {
            Outcome::PersistedQueryMiss
        } else {
            Outcome::RequestError
        }
    }

    /// The answer body; request errors that have no code yet get `BAD_REQUEST` (an unknown
    /// operation name, a missing one in a document with several).
    fn body(&mut self) -> AnswerBody<'_> {
        let executed = self.phase == Phase::Executing;
        if !executed {
            for error in &mut self.response.errors {
                set_code_if_missing(error, code::BAD_REQUEST);
            }
        }
        AnswerBody {
            errors: &self.response.errors,
            data: executed.then_some(&self.response.data),
            extensions: &self.response.extensions,
        }
    }
}

#[derive(Serialize)]
struct AnswerBody<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, Value>,
}

/// A GraphQL answer, before it becomes an HTTP response.
pub struct Answer {
    /// The status code.
    pub status: StatusCode,
    /// The `Cache-Control` value.
    pub cache_control: String,
    /// The JSON body.
    pub body: Bytes,
    /// Whether the answer may be kept and replayed: one request, executed, with no error.
    pub keepable: bool,
    /// The operation the schema executed, for the log, when there was one request.
    pub operation: Option<String>,
}

impl Answer {
    /// The HTTP response with `media`'s content type.
    pub fn into_response(self, media: MediaType) -> Response {
        build(
            self.status,
            media,
            &self.cache_control,
            HttpBody::from(self.body),
        )
    }
}

/// The answer to one request (`batch: false`) or to a batch, which is always 200 with an
/// array in the order of the requests.
pub fn graphql_answer(
    media: MediaType,
    mut answers: Vec<Answered>,
    batch: bool,
    settings: &HttpSettings,
) -> Answer {
    let status = match (batch, answers.first()) {
        (false, Some(single)) => negotiate::status(media, single.outcome()),
        _ => StatusCode::OK,
    };
    let cache_control = cache_control(&answers, settings);
    let keepable = !batch && status == StatusCode::OK && all_ok(&answers) && {
        let hint = answers
            .first()
            .map_or(0, |a| a.response.cache_control.max_age);
        hint >= 0
    };
    let json = if batch {
        let bodies: Vec<AnswerBody<'_>> = answers.iter_mut().map(Answered::body).collect();
        serde_json::to_vec(&bodies)
    } else {
        serde_json::to_vec(&answers.first_mut().map(Answered::body))
    };
    let json =
        json.unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"unserialisable answer\"}]}".to_vec());
    Answer {
        status,
        cache_control,
        body: Bytes::from(json),
        keepable,
        operation: None,
    }
}

/// A kept answer: 200 with its body and `Cache-Control`; when `replayed`, with an `Age`
/// header saying how long ago it was computed.
pub fn kept_answer(media: MediaType, kept: &KeptAnswer, replayed: bool) -> Response {
    let mut response = build(
        StatusCode::OK,
        media,
        &kept.cache_control,
        HttpBody::from(kept.body.clone()),
    );
    if replayed {
        let age = kept.computed_at.elapsed().as_secs();
        response
            .headers_mut()
            .insert(header::AGE, HeaderValue::from(age));
    }
    response
}

/// An answer made of errors only, for failures outside the schema (`no-store`).
pub fn error_answer(media: MediaType, status: StatusCode, errors: Vec<ServerError>) -> Response {
    errors_only(status, errors).into_response(media)
}

/// The answer made of `errors` only, with `status`; never kept.
pub fn errors_only(status: StatusCode, errors: Vec<ServerError>) -> Answer {
    let body = AnswerBody {
        errors: &errors,
        data: None,
        extensions: &BTreeMap::new(),
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    Answer {
        status,
        cache_control: "no-store".to_string(),
        body: Bytes::from(json),
        keepable: false,
        operation: None,
    }
}

/// `private, max-age=…` when every answer is free of errors, `no-store` otherwise. A
/// schema hint (`cache_control` on a type or field) can only shorten the lifetime.
fn cache_control(answers: &[Answered], settings: &HttpSettings) -> String {
    if !all_ok(answers) {
        return "no-store".to_string();
    }
    let ours = settings.response_max_age.as_secs();
    let hinted = answers
        .iter()
        .map(|a| a.response.cache_control.max_age)
        .filter(|age| *age != 0)
        .min();
    match hinted {
        Some(age) if age < 0 => "private, no-cache".to_string(),
        Some(age) if (age as u64) < ours => format!("private, max-age={age}"),
        _ => settings.success_cache_control(),
    }
}

/// Whether every answer executed without any error.
fn all_ok(answers: &[Answered]) -> bool {
    answers
        .iter()
        .all(|a| a.phase == Phase::Executing && a.response.is_ok())
}

fn build(status: StatusCode, media: MediaType, cache_control: &str, body: HttpBody) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
    if let Ok(value) = HeaderValue::from_str(cache_control) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.append(header::VARY, HeaderValue::from_static("accept"));
    response
}
