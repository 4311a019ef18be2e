//! Relay-style pagination shared by every connection: opaque cursors, `first`/`after`
//! validation and `PageInfo`.

use async_graphql::{Result, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::errors::bad_request;

/// Where a page stands in its list.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Whether items precede this page.
    pub has_previous_page: bool,
    /// The cursor of the first edge, to page backwards from.
    pub start_cursor: Option<String>,
    /// The cursor of the last edge: pass it as `after` to get the next page.
    pub end_cursor: Option<String>,
}

/// The cursor of the item at `offset`.
pub fn cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn decode(after: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(after).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("o:")?
        .parse()
        .ok()
}

/// A validated page request: which slice of a list to return.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// Index of the first item.
    pub offset: usize,
    /// Most items to return.
    pub limit: usize,
}

impl PageRequest {
    /// Validates `first` (0 to `max`) and `after` (a cursor this gateway issued).
    pub fn new(first: Option<i32>, after: Option<&str>, max: usize) -> Result<Self> {
        let first = first.unwrap_or(50);
        if first < 0 || first as usize > max {
            return Err(bad_request(format!(
                "`first` must be between 0 and {max}, got {first}; page with `after` for more"
            )));
        }
        let offset = match after {
            None => 0,
            Some(after) => decode(after).map(|o| o + 1).ok_or_else(|| {
                bad_request(format!(
                    "`after` is not a cursor from this API: {after:?}; pass an `endCursor` or \
                     `cursor` value from a previous page"
                ))
            })?,
        };
        Ok(Self {
            offset,
            limit: first as usize,
        })
    }

    /// The items of this page from `items`, with their cursors, and the page info.
    pub fn slice<T: Clone>(&self, items: &[T]) -> (Vec<(String, T)>, PageInfo) {
        let start = self.offset.min(items.len());
        let end = (start + self.limit).min(items.len());
        let edges: Vec<_> = (start..end)
            .map(|i| (cursor(i), items[i].clone()))
            .collect();
        let info = PageInfo {
            has_next_page: end < items.len(),
            has_previous_page: start > 0,
            start_cursor: edges.first().map(|(c, _)| c.clone()),
            end_cursor: edges.last().map(|(c, _)| c.clone()),
        };
        (edges, info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_the_end_cursor_the_next_page_starts_right_after_it() {
        let items: Vec<u32> = (0..5).collect();
        let first = PageRequest::new(Some(2), None, 10).unwrap();
        let (edges, info) = first.slice(&items);
        assert_eq!(edges.iter().map(|e| e.1).collect::<Vec<_>>(), vec![0, 1]);
        assert!(info.has_next_page);
        let next = PageRequest::new(Some(10), info.end_cursor.as_deref(), 10).unwrap();
        let (edges, info) = next.slice(&items);
        assert_eq!(edges.iter().map(|e| e.1).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(!info.has_next_page);
    }

    #[test]
    fn bad_first_and_foreign_cursors_are_rejected_with_a_fix() {
        let err = PageRequest::new(Some(500), None, 300).unwrap_err();
        assert!(err.message.contains("between 0 and 300"));
        let err = PageRequest::new(Some(5), Some("not-a-cursor"), 300).unwrap_err();
        assert!(err.message.contains("endCursor"));
    }
}
