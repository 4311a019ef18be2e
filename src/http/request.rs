//! Reading GraphQL requests off HTTP: a POST body in JSON (one request, or an array of them
//! for a batch) or the query string of a GET. Anything that is not a well-formed
//! GraphQL-over-HTTP request is refused here with a status and a code, before the schema
//! sees it: a body over the size limit, a missing `Content-Type`, JSON that is not a request,
//! a missing `query`, `variables` that are not an object, a batch over its limit.

use async_graphql::BatchRequest;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use futures::StreamExt;
use serde_json::{Map, Value};

use crate::http::code;

/// Why a request is not a GraphQL request the gateway will run.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The body is larger than `--max-body-bytes`.
    #[error("the request body is larger than the gateway accepts ({limit} bytes)")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A POST without `Content-Type: application/json`.
    #[error("POST /graphql needs `Content-Type: application/json`")]
    UnsupportedMediaType,
    /// The JSON is not a GraphQL request; the message says what is wrong.
    #[error("{0}")]
    Malformed(String),
    /// More operations in a batch than `--max-batch-size`.
    #[error("a batch may hold at most {limit} operations; this one has {got}")]
    BatchTooLarge {
        /// The limit.
        limit: usize,
        /// Operations sent.
        got: usize,
    },
}

impl RequestError {
    /// The HTTP status to answer with.
    pub fn status(&self) -> StatusCode {
        match self {
            RequestError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            RequestError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RequestError::Malformed(_) | RequestError::BatchTooLarge { .. } => {
                StatusCode::BAD_REQUEST
            }
        }
    }

    /// The `extensions.code` to answer with.
    pub fn code(&self) -> &'static str {
        match self {
            RequestError::TooLarge { .. } => code::PAYLOAD_TOO_LARGE,
            RequestError::BatchTooLarge { .. } => code::BATCH_TOO_LARGE,
            _ => code::BAD_REQUEST,
        }
    }
}

/// Reads a POST body of at most `max_bytes` holding one request or a batch of at most
/// `max_batch` requests.
pub async fn read_post(
    headers: &HeaderMap,
    body: Body,
    max_bytes: usize,
    max_batch: usize,
) -> Result<BatchRequest, RequestError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if content_type.as_deref() != Some("application/json") {
        return Err(RequestError::UnsupportedMediaType);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > max_bytes) {
        return Err(RequestError::TooLarge { limit: max_bytes });
    }

    // Read chunk by chunk so a body without a Content-Length cannot exceed the limit either.
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| malformed(format!("cannot read the request body: {e}")))?;
        if bytes.len() + chunk.len() > max_bytes {
            return Err(RequestError::TooLarge { limit: max_bytes });
        }
        bytes.extend_from_slice(&chunk);
    }

    let json: Value = serde_json::from_slice(&bytes)
        .map_err(|e| malformed(format!("the request body is not valid JSON: {e}")))?;
    match json {
        Value::Object(params) => Ok(BatchRequest::Single(request_from(params)?)),
        Value::Array(items) if items.is_empty() => {
            Err(malformed("a batch needs at least one operation"))
        }
        Value::Array(items) if items.len() > max_batch => Err(RequestError::BatchTooLarge {
            limit: max_batch,
            got: items.len(),
        }),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(params) => request_from(params),
                _ => Err(malformed("each operation of a batch must be a JSON object")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(BatchRequest::Batch),
        _ => Err(malformed(
            "the request body must be a JSON object (or an array of them, a batch)",
        )),
    }
}

/// Reads `?query=…&operationName=…&variables=…&extensions=…` (the last two JSON-encoded).
pub fn read_get(uri: &Uri) -> Result<BatchRequest, RequestError> {
    let mut params = Map::new();
    for (key, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        let value = match key.as_ref() {
            "query" | "operationName" => Value::String(value.into_owned()),
            "variables" | "extensions" => serde_json::from_str(&value)
                .map_err(|e| malformed(format!("the `{key}` parameter is not valid JSON: {e}")))?,
            _ => continue,
        };
        params.insert(key.into_owned(), value);
    }
    request_from(params).map(BatchRequest::Single)
}

/// Checks the parameters' shapes and builds the request.
fn request_from(mut params: Map<String, Value>) -> Result<async_graphql::Request, RequestError> {
    // `null` means absent for every parameter, and an empty operation name means none.
    params.retain(|_, v| !v.is_null());
    if params.get("operationName").is_some_and(|n| n == "") {
        params.remove("operationName");
    }
    for (key, shape) in [
        ("query", "a string"),
        ("operationName", "a string"),
        ("variables", "an object"),
        ("extensions", "an object"),
    ] {
        let fits = match params.get(key) {
            None => true,
            Some(value) if shape == "a string" => value.is_string(),
            Some(value) => value.is_object(),
        };
        if !fits {
            return Err(malformed(format!("`{key}` must be {shape}")));
        }
    }
    let persisted = params
        .get("extensions")
        .is_some_and(|e| e.get("persistedQuery").is_some());
    if !params.contains_key("query") && !persisted {
        return Err(malformed(
            "a GraphQL request needs a `query` (or a persisted query's hash in `extensions`)",
        ));
    }
    serde_json::from_value(Value::Object(params))
        .map_err(|e| malformed(format!("not a GraphQL request: {e}")))
}

fn malformed(message: impl Into<String>) -> RequestError {
    RequestError::Malformed(message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_parameters_are_decoded_and_checked() {
        let uri: Uri = "/graphql?query=query%20Q(%24n%3AInt)%7Bx%7D&operationName=Q&variables=%7B%22n%22%3A1%7D"
            .parse()
            .unwrap();
        let BatchRequest::Single(request) = read_get(&uri).unwrap() else {
            panic!("one request");
        };
        assert_eq!(request.query, "query Q($n:Int){x}");
        assert_eq!(request.operation_name.as_deref(), Some("Q"));
        assert_eq!(
            request.variables.into_value().into_json().unwrap(),
            serde_json::json!({"n": 1})
        );

        let error = read_get(&"/graphql?variables=%5B7%5D&query=x".parse().unwrap()).unwrap_err();
        assert_eq!(error.to_string(), "`variables` must be an object");
        let error = read_get(&"/graphql?qeury=%7Bx%7D".parse().unwrap()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("a GraphQL request needs a `query`")
        );
    }
}
