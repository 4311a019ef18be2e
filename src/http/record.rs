//! How far each GraphQL request got inside the schema: parsed, validated, executing. The
//! status code depends on it (a request that never executed is a request error: 400 with
//! `application/graphql-response+json`, and its answer has no `data`), and so does the log
//! line, which names the operation the schema picked. Parse and validation errors get their
//! `extensions.code` here too.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};

use crate::http::{code, set_code_if_missing};

/// The furthest step a request reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Not parsed (or refused before parsing, e.g. an unknown persisted query).
    #[default]
    Received,
    /// Parsed.
    Parsed,
    /// Parsed and valid.
    Validated,
    /// Being executed: its answer has `data`.
    Executing,
}

/// What one request's trip through the schema left behind; the handler reads it afterwards.
#[derive(Debug, Default)]
pub struct RequestRecord {
    state: Mutex<(Phase, Option<String>)>,
}

impl RequestRecord {
    /// Attaches a fresh record to `request`, returning both.
    pub fn attach(request: Request) -> (Request, Arc<RequestRecord>) {
        let record = Arc::new(RequestRecord::default());
        (request.data(record.clone()), record)
    }

    /// The furthest step reached.
    pub fn phase(&self) -> Phase {
        self.lock().0
    }

    /// The operation executed, when the schema got that far and it has a name.
    pub fn operation_name(&self) -> Option<String> {
        self.lock().1.clone()
    }

    fn reached(&self, phase: Phase, operation: Option<&str>) {
        let mut state = self.lock();
        state.0 = state.0.max(phase);
        if let Some(operation) = operation {
            state.1 = Some(operation.to_string());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Phase, Option<String>)> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The schema extension that keeps each request's `RequestRecord` up to date.
pub struct RecordExtension;

impl ExtensionFactory for RecordExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RecordExtension)
    }
}

fn record<'a>(ctx: &ExtensionContext<'a>) -> Option<&'a Arc<RequestRecord>> {
    ctx.data_opt::<Arc<RequestRecord>>()
}

#[async_graphql::async_trait::async_trait]
impl Extension for RecordExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        match next.run(ctx, query, variables).await {
            Ok(document) => {
                if let Some(record) = record(ctx) {
                    record.reached(Phase::Parsed, None);
                }
                Ok(document)
            }
            Err(mut error) => {
                set_code_if_missing(&mut error, code::GRAPHQL_PARSE_FAILED);
                Err(error)
            }
        }
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        match next.run(ctx).await {
            Ok(result) => {
                if let Some(record) = record(ctx) {
                    record.reached(Phase::Validated, None);
                }
                Ok(result)
            }
            Err(mut errors) => {
                for error in &mut errors {
                    set_code_if_missing(error, code::GRAPHQL_VALIDATION_FAILED);
                }
                Err(errors)
            }
        }
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(record) = record(ctx) {
            record.reached(Phase::Executing, operation_name);
        }
        next.run(ctx, operation_name).await
    }
}
