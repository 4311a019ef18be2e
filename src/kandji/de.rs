//! Lenient deserialisers for the shapes Kandji really sends.
//!
//! The same field arrives as a JSON boolean, `"True"`, `"Yes"` or `""` depending on the endpoint;
//! ids are sometimes integers and sometimes UUID strings; an unassigned user is `""` instead of
//! `null`; and timestamps come in at least six formats. These helpers accept every form seen in
//! recordings and the published examples, and turn "no value" forms into `None` instead of
//! failing the whole response.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, de::DeserializeOwned};
use serde_json::Value;

/// A boolean sent as `true`, `"True"`, `"true"`, `"Yes"`, `1`; `""`, `null` or anything else
/// unrecognised become `None`.
pub fn flex_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    })
}

/// A string that may be sent as a number (ids, sizes); `null` and `""` become `None`.
pub fn flex_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// Like [`flex_string`] but required: a missing value becomes the empty string.
pub fn flex_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    flex_string(d).map(Option::unwrap_or_default)
}

/// An object that Kandji sends as `""` (or `null`) when absent, such as the device's `user`.
pub fn object_or_empty<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    match Value::deserialize(d)? {
        Value::Object(map) => serde_json::from_value(Value::Object(map))
            .map(Some)
            .map_err(serde::de::Error::custom),
        _ => Ok(None),
    }
}

/// A list that may arrive as `null`.
pub fn list_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A timestamp in any format Kandji uses (all UTC); empty, `null` and human text such as
/// "1 month ago" become `None`.
pub fn flex_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => parse_timestamp(&s),
        _ => None,
    })
}

/// Parses one Kandji timestamp: `2024-07-23T14:11:37.150080Z`, `2021-05-11T19:45:19Z`,
/// `2024-01-26 16:15:36.087016+00:00`, `2024-06-17 11:32:35+00:00`,
/// `2024-05-13 20:09:23 +0000`, `2024-11-18T23:04:43.852118+00:00`, or a naive
/// `2023-10-13 16:15:00.000000` taken as UTC.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    const ZONED: [&str; 3] = [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ];
    for format in ZONED {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    const NAIVE: [&str; 2] = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"];
    NAIVE
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(s, format).ok())
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_timestamp_format_parses_to_the_same_instant_in_utc() {
        let expected = "2024-05-13T20:09:23Z";
        for input in [
            "2024-05-13T20:09:23Z",
            "2024-05-13T20:09:23.000000Z",
            "2024-05-13 20:09:23+00:00",
            "2024-05-13 20:09:23.000000+00:00",
            "2024-05-13 20:09:23 +0000",
            "2024-05-13T20:09:23.000000+00:00",
            "2024-05-13 20:09:23.000000",
            "2024-05-13 22:09:23+02:00",
        ] {
            let parsed = parse_timestamp(input).unwrap_or_else(|| panic!("{input} did not parse"));
            assert_eq!(
                parsed.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn human_and_empty_timestamps_are_none() {
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("1 month ago"), None);
        assert_eq!(parse_timestamp("Feb 27, 2024 at 7:34:21 AM"), None);
    }

    #[derive(Deserialize)]
    struct Flags {
        #[serde(deserialize_with = "flex_bool", default)]
        a: Option<bool>,
        #[serde(deserialize_with = "flex_bool", default)]
        b: Option<bool>,
        #[serde(deserialize_with = "flex_bool", default)]
        c: Option<bool>,
        #[serde(deserialize_with = "flex_string", default)]
        id: Option<String>,
    }

    #[test]
    fn string_booleans_and_integer_ids_are_accepted() {
        let f: Flags = serde_json::from_str(r#"{"a":"True","b":"No","c":"","id":1}"#).unwrap();
        assert_eq!(
            (f.a, f.b, f.c, f.id.as_deref()),
            (Some(true), Some(false), None, Some("1"))
        );
    }
}
