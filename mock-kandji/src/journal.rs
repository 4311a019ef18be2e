//! The request journal and per-route counts that tests assert on ("the
//! gateway made one `/details` call per device, not two").
//!
//! Only `/api/` requests are recorded. The journal keeps the last
//! [`JOURNAL_CAPACITY`] entries; the counts cover everything since start-up
//! or the last reset. Neither ever holds the `Authorization` header.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

/// How many recent requests `GET /__mock/requests` can show.
pub const JOURNAL_CAPACITY: usize = 1000;

/// One recorded request.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JournalEntry {
    /// Arrival time, RFC 3339 (wall clock, not the fleet's anchor).
    pub at: String,
    /// HTTP method.
    pub method: String,
    /// The `Host` header as sent.
    pub host: String,
    /// `US/acme`, or `null` for a host that is no tenant.
    pub tenant: Option<String>,
    /// The path as sent.
    pub path: String,
    /// The query string as sent, without the `?`.
    pub query: String,
    /// The route template that matched, e.g. `/api/v1/devices/{device_id}`.
    pub route: String,
    /// The status sent; 499 when the client went away first.
    pub status: u16,
    /// Time from arrival to the response, injected latency included.
    pub duration_ms: u64,
    /// The injected fault, if any.
    pub fault: Option<&'static str>,
}

impl JournalEntry {
    /// The key `GET /__mock/stats` counts under: `GET /api/v1/devices`.
    pub fn stats_key(&self) -> String {
        format!("{} {}", self.method, self.route)
    }
}

/// Recent entries plus counts per tenant and route.
#[derive(Debug, Default)]
pub struct Journal {
    recent: VecDeque<JournalEntry>,
    counts: BTreeMap<(String, String), u64>,
}

/// The answer of `GET /__mock/stats`.
#[derive(Debug, Serialize, PartialEq)]
pub struct Stats {
    /// Requests counted.
    pub total: u64,
    /// Requests per `METHOD /route/template`.
    pub by_route: BTreeMap<String, u64>,
}

impl Journal {
    /// Records one finished request.
    pub fn record(&mut self, entry: JournalEntry) {
        let tenant = entry.tenant.clone().unwrap_or_default();
        *self.counts.entry((tenant, entry.stats_key())).or_default() += 1;
        if self.recent.len() == JOURNAL_CAPACITY {
            self.recent.pop_front();
        }
        self.recent.push_back(entry);
    }

    /// The recent entries, oldest first.
    pub fn recent(&self) -> Vec<JournalEntry> {
        self.recent.iter().cloned().collect()
    }

    /// Counts for one tenant label (`US/acme`), or for all when `None`.
    pub fn stats(&self, tenant: Option<&str>) -> Stats {
        let mut by_route = BTreeMap::new();
        for ((entry_tenant, key), count) in &self.counts {
            if tenant.is_none_or(|t| t == entry_tenant) {
                *by_route.entry(key.clone()).or_default() += count;
            }
        }
        Stats {
            total: by_route.values().sum(),
            by_route,
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.recent.clear();
        self.counts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tenant: &str, route: &str) -> JournalEntry {
        JournalEntry {
            at: String::new(),
            method: "GET".to_owned(),
            host: String::new(),
            tenant: Some(tenant.to_owned()),
            path: route.to_owned(),
            query: String::new(),
            route: route.to_owned(),
            status: 200,
            duration_ms: 0,
            fault: None,
        }
    }

    #[test]
    fn stats_count_by_route_and_filter_by_tenant() {
        let mut journal = Journal::default();
        journal.record(entry("US/demo", "/api/v1/devices"));
        journal.record(entry("US/demo", "/api/v1/devices"));
        journal.record(entry("EU/acme", "/api/v1/users"));
        let all = journal.stats(None);
        assert_eq!(all.total, 3);
        assert_eq!(all.by_route["GET /api/v1/devices"], 2);
        let eu = journal.stats(Some("EU/acme"));
        assert_eq!(eu.total, 1);
        assert_eq!(
            eu.by_route.keys().collect::<Vec<_>>(),
            ["GET /api/v1/users"]
        );
    }

    #[test]
    fn the_journal_keeps_only_the_latest_entries() {
        let mut journal = Journal::default();
        for i in 0..JOURNAL_CAPACITY + 5 {
            journal.record(entry("US/demo", &format!("/r{i}")));
        }
        let recent = journal.recent();
        assert_eq!(recent.len(), JOURNAL_CAPACITY);
        assert_eq!(recent[0].path, "/r5");
        assert_eq!(journal.stats(None).total, (JOURNAL_CAPACITY + 5) as u64);
    }
}
