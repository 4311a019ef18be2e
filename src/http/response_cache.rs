//! Whole answers to identical queries, kept for a few seconds, so that a dashboard polled by
//! many browsers costs one execution per refresh of the data rather than one per request.
//!
//! A GraphQL answer over the cache is a function of the request (query text, operation name,
//! variables, extensions), of the cached Kandji data and, for compliance, of the clock. The
//! cache's generation (see [`crate::cache::TenantCache::generation`]) changes whenever a cached
//! value is stored, so an answer is kept under its request *and* the generation it was computed
//! at: the moment a refresh lands, the next request executes again. The lifetime
//! (`--response-cache-secs`) bounds the rest: answers that read the clock, and the background
//! refreshes that only a real execution starts (a kept answer reads no cached resource).
//!
//! Only single requests whose answer has no error at all are kept; a partial answer or a
//! request error is never replayed. Identical requests that arrive while the first one runs
//! wait for it instead of running too. Answers are weighed by their size in bytes.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use moka::future::Cache;
use sha2::{Digest, Sha256};

/// What identifies one answer: a SHA-256 digest of the request as sent (query text,
/// operation name, variables, extensions with sorted keys), and the cache generation it was
/// computed at. A digest, not the text: a key costs the same 40 bytes however large the
/// request, and nothing of it outlives the request but the digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnswerKey {
    generation: u64,
    digest: [u8; 32],
}

impl AnswerKey {
    /// The key of `request` at cache generation `generation`.
    pub fn new(request: &async_graphql::Request, generation: u64) -> Self {
        let extensions: BTreeMap<_, _> = request.extensions.0.iter().collect();
        let mut hasher = Sha256::new();
        // Each part is length-prefixed so that no two requests' parts run together alike.
        let mut part = |bytes: &[u8]| {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        part(request.query.as_bytes());
        match &request.operation_name {
            Some(name) => part(name.as_bytes()),
            None => part(b"\xff(none)"),
        }
        part(&serde_json::to_vec(&request.variables).unwrap_or_default());
        part(&serde_json::to_vec(&extensions).unwrap_or_default());
        AnswerKey {
            generation,
            digest: hasher.finalize().into(),
        }
    }
}

/// One kept answer: the JSON body and what the HTTP answer and the log line need.
#[derive(Debug)]
pub struct KeptAnswer {
    /// The JSON body, the same for every media type (an answer without errors is 200).
    pub body: Bytes,
    /// The `Cache-Control` the first answer had.
    pub cache_control: String,
    /// The operation executed, for the log.
    pub operation_name: Option<String>,
    /// When it was computed.
    pub computed_at: Instant,
}

/// The kept answers.
#[derive(Clone)]
pub struct ResponseCache {
    answers: Cache<AnswerKey, Arc<KeptAnswer>>,
    max_answer_bytes: usize,
}

impl ResponseCache {
    /// Answers kept for `lifetime` within about `max_bytes`; `None` when `lifetime` is zero
    /// (answers are not kept).
    pub fn new(lifetime: Duration, max_bytes: u64) -> Option<Self> {
        if lifetime.is_zero() || max_bytes == 0 {
            return None;
        }
        let answers = Cache::builder()
            .time_to_live(lifetime)
            .max_capacity(max_bytes)
            .weigher(|key: &AnswerKey, answer: &Arc<KeptAnswer>| {
                let bytes = size_of_val(key) + answer.body.len() + answer.cache_control.len();
                u32::try_from(bytes).unwrap_or(u32::MAX)
            })
            .build();
        // One answer may take a thirty-second of the budget: a huge answer is executed each
        // time rather than pushing out every other one (a page of 50 devices is some 60 KB).
        let max_answer_bytes = usize::try_from(max_bytes / 32).unwrap_or(usize::MAX);
        Some(ResponseCache {
            answers,
            max_answer_bytes,
        })
    }

    /// Whether an answer body of `len` bytes may be kept.
    pub fn fits(&self, len: usize) -> bool {
        len <= self.max_answer_bytes
    }

    /// The kept answer for `key`, if any.
    pub async fn get(&self, key: &AnswerKey) -> Option<Arc<KeptAnswer>> {
        let answer = self.answers.get(key).await;
        count(if answer.is_some() { "hit" } else { "miss" });
        answer
    }

    /// The kept answer for `key`, or the one `execute` computes. While `execute` runs,
    /// identical requests wait for it; when it yields nothing to keep (an answer with errors),
    /// each of them runs its own `execute`, as without this cache.
    pub async fn get_or_execute<F>(&self, key: AnswerKey, execute: F) -> Option<Arc<KeptAnswer>>
    where
        F: Future<Output = Option<Arc<KeptAnswer>>>,
    {
        let answer = self.answers.optionally_get_with(key, execute).await;
        if answer.is_none() {
            count("not_kept");
        }
        answer
    }
}

fn count(result: &'static str) {
    metrics::counter!("gateway_response_cache_total", "result" => result).increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, variables: serde_json::Value) -> async_graphql::Request {
        let variables = async_graphql::Variables::from_json(variables);
        async_graphql::Request::new(query).variables(variables)
    }

    #[test]
    fn keys_differ_by_variables_operation_and_generation_and_ignore_extension_order() {
        let q = "query Q($n: Int) { devices(first: $n) { totalCount } }";
        let a = AnswerKey::new(&request(q, serde_json::json!({"n": 5})), 1);
        assert_eq!(
            a,
            AnswerKey::new(&request(q, serde_json::json!({"n": 5})), 1)
        );
        assert_ne!(
            a,
            AnswerKey::new(&request(q, serde_json::json!({"n": 6})), 1)
        );
        assert_ne!(
            a,
            AnswerKey::new(&request(q, serde_json::json!({"n": 5})), 2)
        );
        let named = request(q, serde_json::json!({"n": 5})).operation_name("Q");
        assert_ne!(a, AnswerKey::new(&named, 1));

        let with = |pairs: &[(&str, i32)]| {
            let mut r = request(q, serde_json::json!({}));
            for (k, v) in pairs {
                r.extensions
                    .0
                    .insert(k.to_string(), async_graphql::Value::from(*v));
            }
            AnswerKey::new(&r, 1)
        };
        assert_eq!(with(&[("a", 1), ("b", 2)]), with(&[("b", 2), ("a", 1)]));
        assert_ne!(with(&[("a", 1)]), with(&[("a", 2)]));
    }

    #[tokio::test]
    async fn identical_requests_share_one_execution_and_unkept_answers_run_each_time() {
        let cache = ResponseCache::new(Duration::from_secs(5), 1 << 20).unwrap();
        let key = AnswerKey::new(&request("{ tenant { region } }", serde_json::json!({})), 7);
        let runs = std::sync::atomic::AtomicUsize::new(0);
        let execute = || async {
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            Some(Arc::new(KeptAnswer {
                body: Bytes::from_static(b"{\"data\":{}}"),
                cache_control: "private, max-age=15".into(),
                operation_name: None,
                computed_at: Instant::now(),
            }))
        };
        let waits = (0..8).map(|_| cache.get_or_execute(key.clone(), execute()));
        let answers = futures::future::join_all(waits).await;
        assert!(
            answers
                .iter()
                .all(|a| a.as_ref().unwrap().body == "{\"data\":{}}")
        );
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(cache.get(&key).await.is_some());

        let other = AnswerKey::new(
            &request("{ devices { totalCount } }", serde_json::json!({})),
            7,
        );
        for _ in 0..2 {
            let kept = cache
                .get_or_execute(other.clone(), async {
                    runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    None
                })
                .await;
            assert!(kept.is_none());
        }
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert!(cache.get(&other).await.is_none());
    }

    #[test]
    fn a_zero_lifetime_keeps_nothing_and_one_answer_takes_at_most_a_32nd_of_the_budget() {
        assert!(ResponseCache::new(Duration::ZERO, 1 << 20).is_none());
        let cache = ResponseCache::new(Duration::from_secs(5), 32 * 1024).unwrap();
        assert!(cache.fits(1024));
        assert!(!cache.fits(1025));
    }
}
