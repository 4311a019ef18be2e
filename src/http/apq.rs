//! Apollo's automatic persisted queries: a client sends a query's SHA-256 hash instead of its
//! text; on a miss (`PersistedQueryNotFound`) it sends both once, and the hash alone works
//! from then on. This saves upload bandwidth and lets GET URLs stay short and cacheable.
//!
//! async-graphql's extension checks the protocol and the hash; it hands its storage parsed
//! documents, which a shared store could not keep, so its storage here keeps nothing and the
//! query *text* lives in a [`PersistedQueryStore`] behind a trait object: in memory today, and
//! a Redis store can replace it without touching the rest. Errors carry the codes Apollo
//! clients look for (`PERSISTED_QUERY_NOT_FOUND`, `PERSISTED_QUERY_NOT_SUPPORTED`).

use std::sync::Arc;

use async_graphql::extensions::apollo_persisted_queries::{ApolloPersistedQueries, CacheStorage};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    ObjectType, Request, SchemaBuilder, ServerError, ServerResult, SubscriptionType,
};
use futures::future::BoxFuture;

use crate::http::{code, set_code_if_missing};

/// Where persisted query texts are kept, by their SHA-256 hash (lower-case hex).
pub trait PersistedQueryStore: Send + Sync + 'static {
    /// The query text registered under `hash`, if any.
    fn get<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<Arc<str>>>;
    /// Registers `query` under `hash`; the hash has been checked against the text.
    fn put<'a>(&'a self, hash: &'a str, query: Arc<str>) -> BoxFuture<'a, ()>;
}

/// The in-memory store: at most `capacity` queries, the least used evicted first.
pub struct MemoryStore {
    queries: moka::future::Cache<String, Arc<str>>,
}

impl MemoryStore {
    /// A store for `capacity` queries.
    pub fn new(capacity: u64) -> Self {
        MemoryStore {
            queries: moka::future::Cache::new(capacity),
        }
    }
}

impl PersistedQueryStore for MemoryStore {
    fn get<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<Arc<str>>> {
        Box::pin(self.queries.get(hash))
    }

    fn put<'a>(&'a self, hash: &'a str, query: Arc<str>) -> BoxFuture<'a, ()> {
        Box::pin(self.queries.insert(hash.to_string(), query))
    }
}

/// Persisted queries kept in this process and in Redis, shared with other replicas: a hash
/// registered on one replica answers on every other; with Redis down, the local store answers.
pub struct TieredStore {
    local: MemoryStore,
    shared: crate::shared::SharedQueryStore,
}

impl TieredStore {
    /// A local store of `capacity` queries in front of `shared`.
    pub fn new(capacity: u64, shared: crate::shared::SharedQueryStore) -> Self {
        TieredStore {
            local: MemoryStore::new(capacity),
            shared,
        }
    }
}

impl PersistedQueryStore for TieredStore {
    fn get<'a>(&'a self, hash: &'a str) -> BoxFuture<'a, Option<Arc<str>>> {
        Box::pin(async move {
            if let Some(query) = self.local.get(hash).await {
                return Some(query);
            }
            let query: Arc<str> = self.shared.get(hash).await.ok().flatten()?.into();
            self.local.put(hash, query.clone()).await;
            Some(query)
        })
    }

    fn put<'a>(&'a self, hash: &'a str, query: Arc<str>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            // Redis failing only loses the sharing; the local copy still answers here.
            let _ = self.shared.set(hash, &query).await;
            self.local.put(hash, query).await;
        })
    }
}

/// Adds automatic persisted queries to `builder`, kept in `store`; with `None`, requests that
/// use them are answered `PersistedQueryNotSupported` so clients stop trying.
pub fn install<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    store: Option<Arc<dyn PersistedQueryStore>>,
) -> SchemaBuilder<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    match store {
        Some(store) => builder
            .extension(QueryTexts(Some(store)))
            .extension(ApolloPersistedQueries::new(NoDocuments)),
        None => builder.extension(QueryTexts(None)),
    }
}

/// The hash of an APQ request, when the request is one.
fn persisted_hash(request: &Request) -> Option<String> {
    let persisted = request.extensions.get("persistedQuery")?;
    let async_graphql::Value::Object(fields) = persisted else {
        return Some(String::new());
    };
    match fields.get("sha256Hash") {
        Some(async_graphql::Value::String(hash)) => Some(hash.clone()),
        _ => Some(String::new()),
    }
}

/// Fills in the text of a known hash before async-graphql's extension runs, stores the text
/// of a newly registered one after it checked the hash, and puts codes on its errors. Without
/// a store, persisted queries are off.
struct QueryTexts(Option<Arc<dyn PersistedQueryStore>>);

impl ExtensionFactory for QueryTexts {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueryTexts(self.0.clone()))
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for QueryTexts {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let Some(hash) = persisted_hash(&request) else {
            return next.run(ctx, request).await;
        };
        let Some(store) = &self.0 else {
            let mut error = ServerError::new("PersistedQueryNotSupported", None);
            set_code_if_missing(&mut error, code::PERSISTED_QUERY_NOT_SUPPORTED);
            return Err(error);
        };
        if request.query.is_empty() {
            if let Some(text) = store.get(&hash).await {
                request.query = text.to_string();
            }
            return next.run(ctx, request).await.map_err(with_code);
        }
        let text: Arc<str> = request.query.as_str().into();
        let prepared = next.run(ctx, request).await.map_err(with_code)?;
        store.put(&hash, text).await;
        Ok(prepared)
    }
}

/// Codes for the errors async-graphql's extension raises without one.
fn with_code(mut error: ServerError) -> ServerError {
    let code = if error.message == "PersistedQueryNotFound" {
        code::PERSISTED_QUERY_NOT_FOUND
    } else if !error.locations.is_empty() {
        code::GRAPHQL_PARSE_FAILED
    } else {
        code::BAD_REQUEST
    };
    set_code_if_missing(&mut error, code);
    error
}

/// async-graphql's storage: keeps nothing, since the texts live in the `PersistedQueryStore`.
#[derive(Clone)]
struct NoDocuments;

#[async_graphql::async_trait::async_trait]
impl CacheStorage for NoDocuments {
    async fn get(&self, _key: String) -> Option<ExecutableDocument> {
        None
    }

    async fn set(&self, _key: String, _query: ExecutableDocument) {}
}
