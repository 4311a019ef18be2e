//! The `DateTime` scalar: RFC 3339 in UTC, whatever format Kandji sent.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{SecondsFormat, Utc};

/// An instant in time, sent as an RFC 3339 string in UTC, e.g. `2024-07-23T14:11:37.150080Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// An RFC 3339 date-time in UTC (`Z`), e.g. `2024-07-23T14:11:37.150080Z`. Kandji sends several
/// formats; the gateway normalises them all to this one.
#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| DateTime(t.with_timezone(&Utc)))
                .map_err(|_| InputValueError::custom("expected an RFC 3339 date-time")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(t: chrono::DateTime<Utc>) -> Self {
        DateTime(t)
    }
}

/// Converts an optional chrono time to the scalar.
pub fn opt(t: Option<chrono::DateTime<Utc>>) -> Option<DateTime> {
    t.map(DateTime)
}
