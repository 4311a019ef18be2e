//! Prism's `filter` parameter: a JSON object keyed by column, each with one
//! or more operators (`{"status":{"eq":false}}`,
//! `{"app_name":{"like":["%chrome%"]}}`). `like` is SQL-like with `%` and
//! `_`, compared case-insensitively.

use serde_json::{Map, Value};

/// One parsed condition on one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    column: String,
    operator: Operator,
    operand: Value,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Operator {
    Eq,
    In,
    NotIn,
    Like,
    NotLike,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// Parses the `filter` JSON, or says what is wrong with it.
pub fn parse(text: &str) -> Result<Vec<Condition>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("Invalid filter: not JSON ({e})"))?;
    let Value::Object(columns) = value else {
        return Err("Invalid filter: expected a JSON object keyed by column".to_owned());
    };
    let mut conditions = Vec::new();
    for (column, ops) in columns {
        let Value::Object(ops) = ops else {
            return Err(format!(
                "Invalid filter for {column}: expected an object of operators"
            ));
        };
        for (name, operand) in ops {
            let operator = match name.as_str() {
                "eq" => Operator::Eq,
                "in" => Operator::In,
                "not_in" => Operator::NotIn,
                "like" => Operator::Like,
                "not_like" => Operator::NotLike,
                "lt" => Operator::Lt,
                "lte" => Operator::Lte,
                "gt" => Operator::Gt,
                "gte" => Operator::Gte,
                other => return Err(format!("Invalid filter operator for {column}: {other}")),
            };
            conditions.push(Condition {
                column: column.clone(),
                operator,
                operand,
            });
        }
    }
    Ok(conditions)
}

impl Condition {
    /// The column the condition is on.
    pub fn column(&self) -> &str {
        &self.column
    }

    /// Whether `row` meets the condition.
    pub fn holds(&self, row: &Map<String, Value>) -> bool {
        let value = row.get(&self.column).unwrap_or(&Value::Null);
        let list = || match &self.operand {
            Value::Array(items) => items.clone(),
            single => vec![single.clone()],
        };
        let like_any = || {
            list()
                .iter()
                .any(|p| p.as_str().is_some_and(|p| like(p, &as_text(value))))
        };
        match self.operator {
            Operator::Eq => value == &self.operand,
            Operator::In => list().contains(value),
            Operator::NotIn => !list().contains(value),
            Operator::Like => like_any(),
            Operator::NotLike => !like_any(),
            Operator::Lt => compare(value, &self.operand).is_some_and(|o| o.is_lt()),
            Operator::Lte => compare(value, &self.operand).is_some_and(|o| o.is_le()),
            Operator::Gt => compare(value, &self.operand).is_some_and(|o| o.is_gt()),
            Operator::Gte => compare(value, &self.operand).is_some_and(|o| o.is_ge()),
        }
    }
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Numbers compare as numbers; anything else (ISO dates) as text.
fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::Null, _) | (_, Value::Null) => None,
        _ => Some(as_text(a).cmp(&as_text(b))),
    }
}

/// SQL LIKE: `%` any run, `_` any one character; case-insensitive.
pub fn like(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Classic two-pointer wildcard match with backtracking to the last `%`.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '_' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '%')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn like_handles_wildcards_and_case() {
        assert!(like("%chrome%", "Google Chrome"));
        assert!(like("1Pass_ord", "1password"));
        assert!(!like("%chrome", "Chrome Beta"));
        assert!(like("%", ""));
    }

    #[test]
    fn conditions_apply_each_operator() {
        let r = row(json!({"status": false, "name": "Slack", "count": 3}));
        let holds = |f: &str| parse(f).unwrap().iter().all(|c| c.holds(&r));
        assert!(holds(r#"{"status":{"eq":false}}"#));
        assert!(holds(r#"{"name":{"in":["Slack","Zoom"]}}"#));
        assert!(!holds(r#"{"name":{"not_in":["Slack"]}}"#));
        assert!(holds(r#"{"name":{"like":["sl%"]},"count":{"gte":3}}"#));
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        assert!(
            parse("{")
                .unwrap_err()
                .starts_with("Invalid filter: not JSON")
        );
        assert_eq!(
            parse(r#"{"a":{"near":1}}"#).unwrap_err(),
            "Invalid filter operator for a: near"
        );
    }
}
