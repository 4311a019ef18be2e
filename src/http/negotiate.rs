//! Content negotiation and status codes, as the GraphQL-over-HTTP specification sets them.
//!
//! The answer's media type follows `Accept`: `application/graphql-response+json` (the
//! specification's type, also for a missing `Accept`, `*/*` and ties) or `application/json`
//! for legacy clients; neither acceptable gives 406. The status code then depends on that
//! type: with `application/json` every well-formed request gets 200, because a legacy client
//! cannot tell a gateway's 4xx from a proxy's; with `application/graphql-response+json` a
//! request that failed before execution (parse, validation, limits) gets 400 and a missed
//! deadline 504.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};

/// The media type of a GraphQL answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`.
    GraphqlResponseJson,
    /// `application/json`, for legacy clients.
    Json,
}

impl MediaType {
    /// The `Content-Type` header value.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

/// How one GraphQL request ended, as far as the status code is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It was executed (the answer has `data`, possibly with field errors).
    Executed,
    /// It failed before execution: parse, validation, limits, unknown operation.
    RequestError,
    /// An automatic persisted query hash the gateway does not know (or APQ is off).
    PersistedQueryMiss,
    /// It did not finish within the deadline.
    DeadlineExceeded,
}

/// The status code for `outcome` answered as `media`.
///
/// A persisted-query miss is 200 whatever the media type: Apollo Client 3 turns persisted
/// queries off for good when the miss comes with 400 or 500, and Apollo Server answers 200.
pub fn status(media: MediaType, outcome: Outcome) -> StatusCode {
    match (media, outcome) {
        (_, Outcome::Executed | Outcome::PersistedQueryMiss) => StatusCode::OK,
        (MediaType::Json, _) => StatusCode::OK,
        (MediaType::GraphqlResponseJson, Outcome::RequestError) => StatusCode::BAD_REQUEST,
        (MediaType::GraphqlResponseJson, Outcome::DeadlineExceeded) => StatusCode::GATEWAY_TIMEOUT,
    }
}

/// The media type to answer with, or `None` when the client accepts neither (406).
pub fn choose(headers: &HeaderMap) -> Option<MediaType> {
    let accept: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if accept.iter().all(|a| a.trim().is_empty()) {
        return Some(MediaType::GraphqlResponseJson);
    }
    let ranges: Vec<(String, f32)> = accept
        .iter()
        .flat_map(|a| a.split(','))
        .filter_map(parse_range)
        .collect();
    let graphql = quality(&ranges, "application/graphql-response+json");
    let json = quality(&ranges, "application/json");
    match (graphql, json) {
        (g, j) if g <= 0.0 && j <= 0.0 => None,
        (g, j) if g >= j => Some(MediaType::GraphqlResponseJson),
        _ => Some(MediaType::Json),
    }
}

/// `type/subtype;q=0.5;charset=utf-8` as (lower-case range, q).
fn parse_range(item: &str) -> Option<(String, f32)> {
    let mut parts = item.split(';');
    let range = parts.next()?.trim().to_ascii_lowercase();
    if range.is_empty() {
        return None;
    }
    let q = parts
        .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
        .find_map(|q| q.trim().parse::<f32>().ok())
        .unwrap_or(1.0);
    Some((range, q))
}

/// The q of the most specific range matching `media` (0 when none does).
fn quality(ranges: &[(String, f32)], media: &str) -> f32 {
    let wildcard = format!("{}/*", media.split('/').next().unwrap_or_default());
    [media, wildcard.as_str(), "*/*"]
        .iter()
        .find_map(|want| ranges.iter().find(|(r, _)| r == want).map(|(_, q)| *q))
        .unwrap_or(0.0)
}

/// Whether the query string carries GraphQL request parameters (`query`, or `extensions`
/// for a persisted query sent by hash).
pub fn has_graphql_params(uri: &Uri) -> bool {
    uri.query().is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "query" || k == "extensions")
    })
}

/// Whether `request` is a browser opening `/graphql` (GraphiQL), not a GraphQL request.
pub fn is_graphiql_navigation(request: &Request) -> bool {
    let wants_html = request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|a| a.to_str().ok())
        .any(|a| a.contains("text/html"));
    request.method() == Method::GET
        && request.uri().path() == "/graphql"
        && wants_html
        && !has_graphql_params(request.uri())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accepting(value: &'static str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(value));
        choose(&headers)
    }

    #[test]
    fn accept_picks_the_highest_quality_and_prefers_graphql_response_json() {
        use MediaType::*;
        assert_eq!(choose(&HeaderMap::new()), Some(GraphqlResponseJson));
        assert_eq!(accepting("application/json"), Some(Json));
        assert_eq!(
            accepting("application/graphql-response+json, application/json;q=0.9"),
            Some(GraphqlResponseJson)
        );
        assert_eq!(
            accepting("application/graphql-response+json;q=0.5, application/json"),
            Some(Json)
        );
        assert_eq!(accepting("*/*"), Some(GraphqlResponseJson));
        assert_eq!(
            accepting("application/*;q=0.8, text/html"),
            Some(GraphqlResponseJson)
        );
        assert_eq!(accepting("application/json; charset=utf-8"), Some(Json));
        assert_eq!(accepting("text/html"), None);
        assert_eq!(accepting("application/json;q=0"), None);
    }

    #[test]
    fn request_errors_are_400_only_for_graphql_response_json() {
        use MediaType::*;
        assert_eq!(status(GraphqlResponseJson, Outcome::RequestError), 400);
        assert_eq!(status(Json, Outcome::RequestError), 200);
        assert_eq!(status(GraphqlResponseJson, Outcome::DeadlineExceeded), 504);
        assert_eq!(status(Json, Outcome::DeadlineExceeded), 200);
        assert_eq!(
            status(GraphqlResponseJson, Outcome::PersistedQueryMiss),
            200
        );
        assert_eq!(status(GraphqlResponseJson, Outcome::Executed), 200);
    }
}
