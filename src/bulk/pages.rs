//! Paging the fleet-wide listings in as few round trips as possible: the first page says how
//! many rows there are, and the other pages are then fetched at once instead of one after
//! another. The client's own listings follow `next` links or cursors page by page; here the
//! fleet-wide compliance read cannot wait that long.

use futures::future::try_join_all;
use serde::de::DeserializeOwned;

use crate::kandji::models::{CountedPage, DeviceRecord, LibraryItemStatus, PrismPage};
use crate::kandji::{Endpoint, KandjiClient, KandjiResult};

/// Rows asked for per page: the most Kandji serves.
const PAGE: usize = 300;
/// The most pages one device listing follows, so a server that never ends it cannot hang us.
const MAX_PAGES: usize = 1_000;

fn limit_offset(offset: usize) -> Vec<(&'static str, String)> {
    vec![("limit", PAGE.to_string()), ("offset", offset.to_string())]
}

/// The first page of one item's status rows (`/library/library-items/{id}/status`).
pub async fn statuses_first(
    client: &KandjiClient,
    item_id: &str,
) -> KandjiResult<CountedPage<LibraryItemStatus>> {
    let path = status_path(item_id);
    client
        .get(Endpoint::LibraryItemStatus, &path, &limit_offset(0))
        .await
}

/// Every status row of one item, given its first page: the other pages concurrently by
/// offset, as many as `count` says. Without a `count`, the client's page-by-page listing.
pub async fn statuses_rest(
    client: &KandjiClient,
    item_id: &str,
    first: CountedPage<LibraryItemStatus>,
) -> KandjiResult<Vec<LibraryItemStatus>> {
    let step = first.results.len();
    if first.next.is_none() || step == 0 {
        return Ok(first.results);
    }
    let Some(count) = first.count else {
        return client.library_item_statuses(item_id).await;
    };
    let path = status_path(item_id);
    let offsets = (step..count as usize).step_by(step);
    let pages: Vec<CountedPage<LibraryItemStatus>> = try_join_all(offsets.map(|offset| {
        let query = limit_offset(offset);
        let path = &path;
        async move { client.get(Endpoint::LibraryItemStatus, path, &query).await }
    }))
    .await?;
    let mut rows = first.results;
    rows.extend(pages.into_iter().flat_map(|p| p.results));
    Ok(rows)
}

fn status_path(item_id: &str) -> String {
    let id: String = url::form_urlencoded::byte_serialize(item_id.as_bytes()).collect();
    format!("library/library-items/{id}/status")
}

/// A Prism query: its category and JSON filter.
pub struct PrismQuery<'a> {
    /// e.g. `apps`.
    pub category: &'a str,
    /// Prism's `filter` parameter.
    pub filter: &'a serde_json::Value,
}

impl PrismQuery<'_> {
    fn query(&self, offset: Option<usize>) -> Vec<(&'static str, String)> {
        let mut query = vec![
            ("limit", PAGE.to_string()),
            ("filter", self.filter.to_string()),
        ];
        if let Some(offset) = offset {
            query.push(("offset", offset.to_string()));
        }
        query
    }

    fn path(&self) -> String {
        format!("prism/{}", self.category)
    }

    /// The first page.
    pub async fn first<T: DeserializeOwned>(
        &self,
        client: &KandjiClient,
    ) -> KandjiResult<PrismPage<T>> {
        client
            .get(Endpoint::Prism, &self.path(), &self.query(None))
            .await
    }

    /// Every row, given the first page: the other pages concurrently by offset, as many as
    /// `total` says. Without a `total`, the client's cursor listing.
    pub async fn rest<T: DeserializeOwned>(
        &self,
        client: &KandjiClient,
        first: PrismPage<T>,
    ) -> KandjiResult<Vec<T>> {
        let step = first.data.len();
        if first.cursor.as_deref().is_none_or(str::is_empty) || step == 0 {
            return Ok(first.data);
        }
        let Some(total) = first.total else {
            return client.prism(self.category, Some(self.filter)).await;
        };
        let path = self.path();
        let offsets = (step..total as usize).step_by(step);
        let pages: Vec<PrismPage<T>> = try_join_all(offsets.map(|offset| {
            let query = self.query(Some(offset));
            let path = &path;
            async move { client.get(Endpoint::Prism, path, &query).await }
        }))
        .await?;
        let mut rows = first.data;
        rows.extend(pages.into_iter().flat_map(|p| p.data));
        Ok(rows)
    }
}

/// The ids of the devices `GET /devices?<filter>` lists, page by page. A page shorter than
/// asked for ends the list (Kandji serves up to 300 per page); should a server serve fewer,
/// the devices left out are simply not in the answer, and the caller reads them one by one.
pub async fn device_ids_where(
    client: &KandjiClient,
    filter: (&'static str, &'static str),
) -> KandjiResult<Vec<String>> {
    let mut ids = Vec::new();
    for _ in 0..MAX_PAGES {
        let mut query = limit_offset(ids.len());
        query.push((filter.0, filter.1.to_string()));
        let page: Vec<DeviceRecord> = client.get(Endpoint::DeviceList, "devices", &query).await?;
        let received = page.len();
        ids.extend(page.into_iter().map(|d| d.device_id));
        if received < PAGE {
            break;
        }
    }
    Ok(ids)
}
