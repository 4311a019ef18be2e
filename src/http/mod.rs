//! GraphQL over HTTP, as the GraphQL-over-HTTP specification describes it, plus what an
//! operator needs around it: query limits, automatic persisted queries, client API keys, CORS,
//! caching headers and a graceful shutdown.
//!
//! `server` assembles these pieces into the router; each module holds one of them:
//!
//! - [`settings`]: every HTTP-layer setting, derived from the command line;
//! - [`negotiate`]: which media type to answer with (`Accept`) and which status code;
//! - [`request`]: reading a POST body or GET query string into GraphQL requests;
//! - [`cost`] and [`limits`]: measuring a query's depth, cost and aliases, and refusing it;
//! - [`apq`]: Apollo's automatic persisted queries, with a replaceable store;
//! - [`record`]: how far a request got (parse, validation, execution), for status codes;
//! - [`respond`]: the HTTP answer (status, body, `Cache-Control`);
//! - [`response_cache`]: whole answers to identical queries, kept for a few seconds;
//! - [`endpoint`]: the `/graphql` handlers, with the execution deadline and the request log;
//! - [`access`] and [`cors`]: who may call the API, and from which browser origins;
//! - [`shutdown`]: stop accepting, finish in-flight requests, give up after a timeout.

pub mod access;
pub mod apq;
pub mod cors;
pub mod cost;
pub mod endpoint;
pub mod limits;
pub mod negotiate;
pub mod record;
pub mod request;
pub mod respond;
pub mod response_cache;
pub mod settings;
pub mod shutdown;

pub use settings::HttpSettings;

/// Stable `extensions.code` values the HTTP layer sends (README, "Operating it").
pub mod code {
    /// The request is not a well-formed GraphQL-over-HTTP request.
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    /// The query text is not valid GraphQL syntax.
    pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    /// The query does not fit the schema.
    pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    /// Fields nest deeper than `--max-depth`.
    pub const QUERY_TOO_DEEP: &str = "QUERY_TOO_DEEP";
    /// The query costs more than `--max-complexity`.
    pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
    /// More aliased fields than `--max-aliases`.
    pub const TOO_MANY_ALIASES: &str = "TOO_MANY_ALIASES";
    /// Introspection asked of a gateway started with `--no-introspection`.
    pub const INTROSPECTION_DISABLED: &str = "INTROSPECTION_DISABLED";
    /// More operations in one batch than `--max-batch-size`.
    pub const BATCH_TOO_LARGE: &str = "BATCH_TOO_LARGE";
    /// The request body is larger than `--max-body-bytes`.
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    /// The request ran longer than `--request-deadline-ms`.
    pub const DEADLINE_EXCEEDED: &str = "DEADLINE_EXCEEDED";
    /// No client API key, or a wrong one.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// The client accepts no media type the gateway can answer with.
    pub const NOT_ACCEPTABLE: &str = "NOT_ACCEPTABLE";
    /// The gateway failed itself; the message says what to do.
    pub const INTERNAL: &str = "INTERNAL";
    /// An automatic persisted query's hash is unknown: send the query with it.
    pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
    /// Automatic persisted queries are turned off (`--apq-cache-size 0`).
    pub const PERSISTED_QUERY_NOT_SUPPORTED: &str = "PERSISTED_QUERY_NOT_SUPPORTED";
}

/// A GraphQL error with a code, for answers built outside the schema.
pub fn error_with_code(message: impl Into<String>, code: &str) -> async_graphql::ServerError {
    let mut error = async_graphql::ServerError::new(message, None);
    set_code_if_missing(&mut error, code);
    error
}

/// Gives `error` an `extensions.code` unless it already has one.
pub fn set_code_if_missing(error: &mut async_graphql::ServerError, code: &str) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
}
