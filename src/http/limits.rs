//! Refusing queries that would cost too much, before any Kandji call: too deep, too costly
//! (see `cost` for the formula) or with too many aliases; and introspection, when it is off
//! (async-graphql's own switch answers such a query with silent nulls). Each refusal has its own
//! `extensions.code`, which async-graphql's built-in limits do not give, and says the limit
//! and the flag that sets it.
//!
//! The defaults let GraphiQL's schema query through: GraphiQL 4 with graphql-js 16.15 asks
//! for types nested nine `ofType` deep, depth 15, at a cost near 230.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

use crate::http::cost::{QueryShape, SchemaShape, measure};
use crate::http::{code, set_code_if_missing};

/// The limits on one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryLimits {
    /// Deepest field nesting.
    pub max_depth: usize,
    /// Highest cost.
    pub max_complexity: u64,
    /// Most aliased fields.
    pub max_aliases: usize,
    /// Whether introspection (`__schema`, `__type`) is answered.
    pub introspection: bool,
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits {
            max_depth: 16,
            max_complexity: 20_000,
            max_aliases: 30,
            introspection: true,
        }
    }
}

impl QueryLimits {
    /// The first limit `shape` exceeds, as a GraphQL error with its code.
    pub fn check(&self, shape: &QueryShape) -> Result<(), ServerError> {
        if shape.introspection && !self.introspection {
            let message = "introspection (`__schema`, `__type`) is turned off on this gateway \
                           (GATEWAY_NO_INTROSPECTION)";
            let mut error = ServerError::new(message, None);
            set_code_if_missing(&mut error, code::INTROSPECTION_DISABLED);
            return Err(error);
        }
        let exceeded = if shape.depth > self.max_depth {
            Some((
                code::QUERY_TOO_DEEP,
                format!("fields nest {} deep", shape.depth),
                self.max_depth as u64,
                shape.depth as u64,
                "GATEWAY_MAX_DEPTH",
            ))
        } else if shape.complexity > self.max_complexity {
            Some((
                code::QUERY_TOO_COMPLEX,
                format!(
                    "costs {} (each field 1, times `first` under a connection)",
                    shape.complexity
                ),
                self.max_complexity,
                shape.complexity,
                "GATEWAY_MAX_COMPLEXITY",
            ))
        } else if shape.aliases > self.max_aliases {
            Some((
                code::TOO_MANY_ALIASES,
                format!("uses {} aliases", shape.aliases),
                self.max_aliases as u64,
                shape.aliases as u64,
                "GATEWAY_MAX_ALIASES",
            ))
        } else {
            None
        };
        let Some((code, what, limit, measured, setting)) = exceeded else {
            return Ok(());
        };
        let mut error = ServerError::new(
            format!(
                "the query {what}; the gateway allows {limit} ({setting}). Ask for less, or page with `first` and `after`"
            ),
            None,
        );
        let extensions = error.extensions.get_or_insert_with(Default::default);
        extensions.set("code", code);
        extensions.set("limit", limit);
        extensions.set("measured", measured);
        Err(error)
    }
}

/// The schema extension enforcing `QueryLimits`.
pub struct LimitsExtension {
    limits: QueryLimits,
    schema: Arc<SchemaShape>,
}

impl LimitsExtension {
    /// Enforces `limits` on queries against the schema described by `schema`.
    pub fn new(limits: QueryLimits, schema: SchemaShape) -> Self {
        LimitsExtension {
            limits,
            schema: Arc::new(schema),
        }
    }
}

impl ExtensionFactory for LimitsExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitCheck {
            limits: self.limits,
            schema: self.schema.clone(),
            measured: Mutex::new(None),
        })
    }
}

/// One request's check: measured after parsing, compared after the schema's own validation
/// (so a query that does not fit the schema gets the validation error first).
struct LimitCheck {
    limits: QueryLimits,
    schema: Arc<SchemaShape>,
    measured: Mutex<Option<QueryShape>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for LimitCheck {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let shape = measure(&document, variables, &self.schema);
        *self.measured.lock().unwrap_or_else(|e| e.into_inner()) = Some(shape);
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let shape = self
            .measured
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(shape) = shape {
            self.limits.check(&shape).map_err(|error| vec![error])?;
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_is_refused_with_its_code_and_the_setting_to_change() {
        let limits = QueryLimits::default();
        let within = QueryShape {
            depth: 16,
            complexity: 20_000,
            aliases: 30,
            introspection: true,
        };
        assert!(limits.check(&within).is_ok());

        for (shape, code, setting) in [
            (
                QueryShape {
                    depth: 17,
                    ..within
                },
                code::QUERY_TOO_DEEP,
                "GATEWAY_MAX_DEPTH",
            ),
            (
                QueryShape {
                    complexity: 20_001,
                    ..within
                },
                code::QUERY_TOO_COMPLEX,
                "GATEWAY_MAX_COMPLEXITY",
            ),
            (
                QueryShape {
                    aliases: 31,
                    ..within
                },
                code::TOO_MANY_ALIASES,
                "GATEWAY_MAX_ALIASES",
            ),
        ] {
            let error = limits.check(&shape).unwrap_err();
            let extensions = error.extensions.unwrap();
            assert_eq!(
                extensions.get("code"),
                Some(&async_graphql::Value::from(code))
            );
            assert!(error.message.contains(setting), "{}", error.message);
        }

        let closed = QueryLimits {
            introspection: false,
            ..limits
        };
        let error = closed.check(&within).unwrap_err();
        let code = error.extensions.unwrap().get("code").cloned();
        assert_eq!(
            code,
            Some(async_graphql::Value::from("INTROSPECTION_DISABLED"))
        );
    }
}
