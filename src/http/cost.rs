//! What a query asks of the gateway, measured from its text before it runs: how deep its
//! fields nest, how many aliases it uses, and what it costs.
//!
//! Cost is an upper bound on the objects a query can make the gateway build, each of which
//! may need Kandji calls: every field costs 1, and a field that takes `first` (a connection)
//! multiplies the cost of its selection by `first` (the value sent, or the schema's default
//! when none is). So `devices(first: 300) { edges { node { apps(first: 300) { edges { node {
//! name } } } } } }` costs 1 + 300 × (1 + 1 + (1 + 300 × 3)) = 270,901, while the same query
//! with `apps(first: 5)` costs 5,401. Fragments count where they are spread; with several
//! operations in one document, the most expensive one counts.

use std::collections::HashMap;

use async_graphql::Value;
use async_graphql::Variables;
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, OperationType, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};

/// The argument that sizes a connection.
const PAGE_ARGUMENT: &str = "first";

/// What the measurement needs to know about one field of the schema.
#[derive(Debug, Clone)]
struct FieldShape {
    /// The named type it returns (lists and non-null stripped).
    returns: String,
    /// `Some(default)` when the field takes `first`; the default is 1 if the schema has none.
    page_default: Option<u64>,
}

/// Each object and interface field's type and page argument, read from the schema's SDL.
#[derive(Debug, Clone, Default)]
pub struct SchemaShape {
    fields: HashMap<(String, String), FieldShape>,
}

impl SchemaShape {
    /// Reads the shape from SDL; a schema that does not parse gives an empty shape (every
    /// field then costs 1, which only makes the limit more lenient).
    pub fn from_sdl(sdl: &str) -> Self {
        let mut fields = HashMap::new();
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            return SchemaShape::default();
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let type_fields = match ty.node.kind {
                TypeKind::Object(object) => object.fields,
                TypeKind::Interface(interface) => interface.fields,
                _ => continue,
            };
            for field in type_fields {
                let field = field.node;
                let page_default = field
                    .arguments
                    .iter()
                    .find(|a| a.node.name.node == PAGE_ARGUMENT)
                    .map(|a| match &a.node.default_value {
                        Some(value) => page_size(&value.node).unwrap_or(1),
                        None => 1,
                    });
                let shape = FieldShape {
                    returns: named_type(&field.ty.node).to_string(),
                    page_default,
                };
                fields.insert(
                    (ty.node.name.node.to_string(), field.name.node.to_string()),
                    shape,
                );
            }
        }
        SchemaShape { fields }
    }

    fn field(&self, parent: &str, name: &str) -> Option<&FieldShape> {
        self.fields.get(&(parent.to_string(), name.to_string()))
    }
}

/// What one query asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryShape {
    /// The deepest field nesting; `{ a }` is 1, `{ a { b } }` is 2.
    pub depth: usize,
    /// The cost, as the module documentation defines it.
    pub complexity: u64,
    /// Fields with an alias.
    pub aliases: usize,
    /// Whether it asks for `__schema` or `__type` (introspection).
    pub introspection: bool,
}

/// Measures every operation of `document` and keeps the largest of each figure.
pub fn measure(
    document: &ExecutableDocument,
    variables: &Variables,
    schema: &SchemaShape,
) -> QueryShape {
    let mut shape = QueryShape::default();
    for (_, operation) in document.operations.iter() {
        let root = match operation.node.ty {
            OperationType::Query => Some("Query"),
            OperationType::Mutation | OperationType::Subscription => None,
        };
        let mut walker = Walker {
            document,
            variables,
            schema,
            spreading: Vec::new(),
            aliases: 0,
            introspection: false,
        };
        let (complexity, depth) = walker.selection_set(&operation.node.selection_set.node, root, 1);
        shape.depth = shape.depth.max(depth);
        shape.complexity = shape.complexity.max(complexity);
        shape.aliases = shape.aliases.max(walker.aliases);
        shape.introspection |= walker.introspection;
    }
    shape
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    schema: &'a SchemaShape,
    /// Fragments being expanded, to stop on a cycle (validation rejects those later).
    spreading: Vec<&'a str>,
    aliases: usize,
    introspection: bool,
}

impl<'a> Walker<'a> {
    /// The cost and depth of `set`, whose fields sit at `level` on type `parent`.
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        parent: Option<&'a str>,
        level: usize,
    ) -> (u64, usize) {
        let (mut cost, mut depth) = (0u64, 0usize);
        for item in &set.items {
            let (item_cost, item_depth) = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if field.alias.is_some() {
                        self.aliases += 1;
                    }
                    if level == 1 && matches!(field.name.node.as_str(), "__schema" | "__type") {
                        self.introspection = true;
                    }
                    let shape = parent.and_then(|p| self.schema.field(p, &field.name.node));
                    let (children, child_depth) = if field.selection_set.node.items.is_empty() {
                        (0, level)
                    } else {
                        let returns = shape.map(|s| s.returns.as_str());
                        self.selection_set(&field.selection_set.node, returns, level + 1)
                    };
                    let multiplier = match shape.and_then(|s| s.page_default) {
                        Some(default) => self.page_argument(field).unwrap_or(default),
                        None => 1,
                    };
                    (
                        multiplier.saturating_mul(children).saturating_add(1),
                        child_depth,
                    )
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let Some(fragment) = self.document.fragments.get(name) else {
                        continue;
                    };
                    if self.spreading.contains(&name) {
                        continue;
                    }
                    self.spreading.push(name);
                    let on = fragment.node.type_condition.node.on.node.as_str();
                    let measured =
                        self.selection_set(&fragment.node.selection_set.node, Some(on), level);
                    self.spreading.pop();
                    measured
                }
                Selection::InlineFragment(inline) => {
                    let on = match &inline.node.type_condition {
                        Some(condition) => Some(condition.node.on.node.as_str()),
                        None => parent,
                    };
                    self.selection_set(&inline.node.selection_set.node, on, level)
                }
            };
            cost = cost.saturating_add(item_cost);
            depth = depth.max(item_depth);
        }
        (cost, depth)
    }

    /// The `first` argument's value, literal or from a variable.
    fn page_argument(&self, field: &Field) -> Option<u64> {
        let (_, value) = field
            .arguments
            .iter()
            .find(|(name, _)| name.node == PAGE_ARGUMENT)?;
        let value = value
            .node
            .clone()
            .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
            .ok()?;
        page_size(&value)
    }
}

/// A page size from a GraphQL value; negative sizes count as 0.
fn page_size(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_i64().map(|_| 0)),
        _ => None,
    }
}

fn named_type(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named_type(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(query: &str, variables: serde_json::Value) -> QueryShape {
        let schema = SchemaShape::from_sdl(&crate::graphql::sdl());
        let document = async_graphql::parser::parse_query(query).unwrap();
        measure(&document, &Variables::from_json(variables), &schema)
    }

    #[test]
    fn connections_multiply_their_selection_by_first() {
        let nested = "{ devices(first: 300) { edges { node { apps(first: 300) { edges { node { name } } } } } } }";
        assert_eq!(shape_of(nested, serde_json::json!({})).complexity, 270_901);
        let small = "{ devices(first: 300) { edges { node { apps(first: 5) { edges { node { name } } } } } } }";
        assert_eq!(shape_of(small, serde_json::json!({})).complexity, 5_401);
        let by_variable = "query($n: Int) { devices(first: $n) { totalCount } }";
        assert_eq!(
            shape_of(by_variable, serde_json::json!({"n": 7})).complexity,
            8
        );
    }

    #[test]
    fn a_connection_without_first_weighs_its_schema_default() {
        // `devices` and `apps` default to 50.
        let query = "{ devices { edges { node { apps { totalCount } } } } }";
        assert_eq!(
            shape_of(query, serde_json::json!({})).complexity,
            1 + 50 * (1 + 1 + (1 + 50))
        );
    }

    #[test]
    fn depth_and_aliases_count_through_fragments() {
        let query = "query { a: tenant { ...T } b: tenant { region } }
                     fragment T on Tenant { apiHost permissions { name } }";
        let shape = shape_of(query, serde_json::json!({}));
        assert_eq!(shape.depth, 3);
        assert_eq!(shape.aliases, 2);
        assert_eq!(shape.complexity, (1 + 1 + 2) + (1 + 1));
    }
}
