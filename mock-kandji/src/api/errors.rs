//! Every error answer the mock gives on `/api/`, in one place: DRF's
//! `{"detail": …}` JSON, Kong's `{"message": …}`, and Django's HTML pages.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Django's production 404 page, which Kandji serves for unknown paths.
pub const DJANGO_NOT_FOUND: &str = concat!(
    "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n",
    "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n",
    "</body>\n</html>\n",
);

/// Django's production 500 page.
const DJANGO_SERVER_ERROR: &str = concat!(
    "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n",
    "</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n",
);

/// Why an `/api/` request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// An unknown id: DRF's `{"detail":"Not found."}`.
    #[error("not found")]
    NotFound,
    /// A users `cursor` that does not decode: DRF answers 404.
    #[error("invalid cursor")]
    InvalidCursor,
    /// An unknown path or host: Django's HTML page.
    #[error("no such page")]
    PageNotFound,
    /// No bearer token.
    #[error("no credentials")]
    MissingCredentials,
    /// A bearer token the tenant does not know.
    #[error("invalid token")]
    InvalidToken,
    /// A token without the permission; carries 401 or 403.
    #[error("permission denied")]
    PermissionDenied(u16),
    /// A bad parameter, with DRF's detail text.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A bad value for one field: DRF's `{"<field>": ["<message>"]}`.
    #[error("bad value for {0}")]
    FieldError(&'static str, String),
    /// A method the route does not serve.
    #[error("method {0} not allowed")]
    MethodNotAllowed(String),
    /// Over a Kong rate limit; seconds until the window resets.
    #[error("rate limited")]
    RateLimited(u64),
    /// An injected upstream failure with this status.
    #[error("upstream failure {0}")]
    Upstream(u16),
}

fn detail(status: StatusCode, text: &str) -> Response {
    (status, axum::Json(json!({ "detail": text }))).into_response()
}

fn html(status: StatusCode, page: &'static str) -> Response {
    let mut response = (status, page).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::NotFound => detail(StatusCode::NOT_FOUND, "Not found."),
            ApiError::InvalidCursor => detail(StatusCode::NOT_FOUND, "Invalid cursor"),
            ApiError::PageNotFound => html(StatusCode::NOT_FOUND, DJANGO_NOT_FOUND),
            ApiError::MissingCredentials | ApiError::InvalidToken => {
                let text = if self == ApiError::InvalidToken {
                    "Invalid token."
                } else {
                    "Authentication credentials were not provided."
                };
                let mut response = detail(StatusCode::UNAUTHORIZED, text);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"api\""),
                );
                response
            }
            ApiError::PermissionDenied(status) => detail(
                StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN),
                "You do not have permission to perform this action.",
            ),
            ApiError::BadRequest(text) => detail(StatusCode::BAD_REQUEST, &text),
            ApiError::FieldError(field, message) => (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({ field: [message] })),
            )
                .into_response(),
            ApiError::MethodNotAllowed(method) => detail(
                StatusCode::METHOD_NOT_ALLOWED,
                &format!("Method \"{method}\" not allowed."),
            ),
            ApiError::RateLimited(retry_after) => {
                let body = axum::Json(json!({ "message": "API rate limit exceeded" }));
                let mut response = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
                response
            }
            ApiError::Upstream(500) => html(StatusCode::INTERNAL_SERVER_ERROR, DJANGO_SERVER_ERROR),
            ApiError::Upstream(status) => {
                let message = match status {
                    502 => "An invalid response was received from the upstream server",
                    503 => "The upstream server is currently unavailable",
                    504 => "The upstream server is timing out",
                    _ => "An unexpected error occurred",
                };
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
                (status, axum::Json(json!({ "message": message }))).into_response()
            }
        }
    }
}

/// Answers a method a route does not serve, after authentication, as DRF does.
pub async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::MethodNotAllowed(method.to_string())
}

/// Answers any path under `/api/` that Kandji does not have.
pub async fn page_not_found() -> ApiError {
    ApiError::PageNotFound
}
