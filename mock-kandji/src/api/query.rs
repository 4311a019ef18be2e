//! Query-string handling shared by the list endpoints: reading parameters,
//! DRF-style `limit`/`offset` clamping, and absolute `next`/`previous` URLs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::host;

/// The decoded query string, in order, repeats kept.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        Ok(Params(
            serde_urlencoded::from_str(query).unwrap_or_default(),
        ))
    }
}

impl Params {
    /// The last value of `key`, if present and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// `limit` and `offset` as DRF reads them: a missing, invalid or
    /// non-positive limit means `default`; above `max` it is clamped; an
    /// invalid or negative offset means 0.
    pub fn limit_offset(&self, default: usize, max: usize) -> (usize, usize) {
        let limit = self
            .get("limit")
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v > 0)
            .map_or(default, |v| (v as usize).min(max));
        let offset = self
            .get("offset")
            .and_then(|v| v.parse::<i64>().ok())
            .map_or(0, |v| v.max(0) as usize);
        (limit, offset)
    }

    /// The query with `replacements` set (a `None` value drops the key),
    /// other parameters kept in their order.
    pub fn with(&self, replacements: &[(&str, Option<String>)]) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(k, _)| !replacements.iter().any(|(r, _)| r == k))
            .cloned()
            .collect();
        for (key, value) in replacements {
            if let Some(value) = value {
                pairs.push(((*key).to_owned(), value.clone()));
            }
        }
        pairs
    }
}

/// `https://<host><path>?<query>` (`http` on loopback).
pub fn absolute_url(host_header: &str, path: &str, pairs: &[(String, String)]) -> String {
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    let scheme = host::scheme(host_header);
    if query.is_empty() {
        format!("{scheme}://{host_header}{path}")
    } else {
        format!("{scheme}://{host_header}{path}?{query}")
    }
}

/// DRF's `next` and `previous` for a limit/offset page. Like DRF, the
/// query keys come out sorted and the first page's link has no `offset`.
pub fn page_links(
    host_header: &str,
    path: &str,
    params: &Params,
    limit: usize,
    offset: usize,
    total: usize,
) -> (Option<String>, Option<String>) {
    let link = |offset: Option<usize>| {
        let mut pairs = params.with(&[
            ("limit", Some(limit.to_string())),
            ("offset", offset.map(|o| o.to_string())),
        ]);
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        absolute_url(host_header, path, &pairs)
    };
    let next = (offset + limit < total).then(|| link(Some(offset + limit)));
    let previous = (offset > 0).then(|| link(offset.checked_sub(limit).filter(|o| *o > 0)));
    (next, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Params {
        Params(serde_urlencoded::from_str(query).unwrap())
    }

    #[test]
    fn limit_is_clamped_and_bad_values_fall_back() {
        assert_eq!(
            params("limit=500&offset=20").limit_offset(300, 300),
            (300, 20)
        );
        assert_eq!(
            params("limit=abc&offset=-4").limit_offset(300, 300),
            (300, 0)
        );
        assert_eq!(params("limit=0").limit_offset(25, 300), (25, 0));
    }

    #[test]
    fn links_keep_filters_and_drop_offset_on_the_first_page() {
        let p = params("name=eng&limit=2&offset=2");
        let (next, previous) = page_links("acme.api.kandji.io", "/api/v1/blueprints", &p, 2, 2, 5);
        assert_eq!(
            next.as_deref(),
            Some("https://acme.api.kandji.io/api/v1/blueprints?limit=2&name=eng&offset=4")
        );
        assert_eq!(
            previous.as_deref(),
            Some("https://acme.api.kandji.io/api/v1/blueprints?limit=2&name=eng")
        );
        let (next, _) = page_links("127.0.0.1:7001", "/x", &params(""), 2, 4, 5);
        assert_eq!(next, None);
    }
}
