//! Lenient deserialisers for the shapes Kandji really sends.
//!
//! The same field arrives as a JSON boolean, `"True"`, `"Yes"` or `""` depending on the endpoint;
//! ids are sometimes integers and sometimes UUID strings; an unassigned user is `""` instead of
//! `null`; and timestamps come in at least six formats. These helpers accept every form seen in
//! recordings and the published examples, and turn "no value" forms into `None` instead of
//! failing the whole response.
//!
//! Text is read straight from the parser, without an intermediate `serde_json::Value`; the
//! `flex_shared*` forms hand it to [`SharedStr`], for values that every device repeats.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::SharedStr;

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
    d.deserialize_any(FlexText(str::to_owned))
}

/// Like [`flex_string`] but required: a missing value becomes the empty string.
pub fn flex_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    flex_string(d).map(Option::unwrap_or_default)
}

/// [`flex_string`] for a value repeated across devices: equal values share one copy.
pub fn flex_shared<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SharedStr>, D::Error> {
    d.deserialize_any(FlexText(SharedStr::new))
}

/// [`flex_id`] for a value repeated across devices: equal values share one copy.
pub fn flex_shared_id<'de, D: Deserializer<'de>>(d: D) -> Result<SharedStr, D::Error> {
    flex_shared(d).map(Option::unwrap_or_default)
}

/// Reads a string, number or boolean as text without an intermediate `Value`, and turns it into
/// `T` with the function it holds; `null`, `""`, lists and objects read as `None`.
struct FlexText<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> Visitor<'de> for FlexText<F> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Option<T>, E> {
        Ok((!text.is_empty()).then(|| (self.0)(text)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<T>, E> {
        Ok(Some((self.0)(&n.to_string())))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<T>, E> {
        Ok(Some((self.0)(&n.to_string())))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Option<T>, E> {
        // Written as JSON writes it, as the `Value` this replaced did; NaN cannot be JSON.
        Ok(serde_json::Number::from_f64(n).map(|n| (self.0)(&n.to_string())))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<T>, E> {
        Ok(Some((self.0)(if b { "true" } else { "false" })))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        IgnoredAny.visit_map(map).map(|_| None)
    }
}

/// An object that Kandji sends as `""` (or `null`) when absent, such as the device's `user`.
/// Anything but an object reads as `None`.
pub fn object_or_empty<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_any(ObjectOrEmpty(PhantomData))
}

/// The visitor behind [`object_or_empty`]: an object becomes `T`, anything else `None`.
struct ObjectOrEmpty<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOrEmpty<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object, \"\" or null")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
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

    #[derive(Deserialize)]
    struct Shared {
        #[serde(deserialize_with = "flex_shared", default)]
        texts: Option<SharedStr>,
        #[serde(deserialize_with = "object_or_empty", default)]
        user: Option<serde_json::Map<String, Value>>,
    }

    #[test]
    fn shared_texts_and_empty_objects_read_every_form_kandji_sends() {
        let read = |json: &str| serde_json::from_str::<Vec<Shared>>(json).unwrap();
        let rows = read(
            r#"[{"texts":201,"user":""},{"texts":"","user":null},
            {"texts":null,"user":[1]},{"texts":["x"],"user":0},{"texts":{"k":1}},
            {"texts":1.5},{"texts":true},{"texts":"Safari","user":{"id":7}}]"#,
        );
        let texts: Vec<Option<&str>> = rows.iter().map(|r| r.texts.as_deref()).collect();
        assert_eq!(texts[..3], [Some("201"), None, None]);
        assert_eq!(
            texts[3..],
            [None, None, Some("1.5"), Some("true"), Some("Safari")]
        );
        assert!(rows[..4].iter().all(|r| r.user.is_none()));
        assert_eq!(rows[7].user.as_ref().unwrap()["id"], 7);
    }
}
