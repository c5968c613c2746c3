//! A small per-node cache of public JSON answers (directory lists, profiles, figures).
//!
//! The directory is read far more than it is written. An entry is served only while the
//! store has committed nothing since it was computed (local writes are seen at once) and for
//! at most `ttl` (writes by other nodes or CLI processes are seen within it). Responses that
//! depend on who asks are never cached here.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub struct ReadCache {
    ttl: Duration,
    max_bytes: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    bytes: usize,
}

struct Entry {
    version: u64,
    at: Instant,
    body: Bytes,
}

impl ReadCache {
    /// `ttl` zero turns the cache off.
    pub fn new(ttl: Duration, max_bytes: usize) -> Self {
        Self {
            ttl,
            max_bytes,
            inner: Mutex::default(),
        }
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    pub fn get(&self, key: &str, version: u64) -> Option<Bytes> {
        if !self.enabled() {
            return None;
        }
        let inner = self.inner.lock().ok()?;
        let entry = inner.entries.get(key)?;
        (entry.version == version && entry.at.elapsed() < self.ttl).then(|| entry.body.clone())
    }

    /// Stores `body` computed from the store as it was at `version`.
    pub fn put(&self, key: String, version: u64, body: Bytes) {
        if !self.enabled() || body.len() > self.max_bytes / 8 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.bytes + body.len() > self.max_bytes {
            // Wholesale clearing keeps this simple; the working set refills in one TTL.
            inner.entries.clear();
            inner.bytes = 0;
        }
        inner.bytes += body.len();
        let entry = Entry {
            version,
            at: Instant::now(),
            body,
        };
        if let Some(old) = inner.entries.insert(key, entry) {
            inner.bytes = inner.bytes.saturating_sub(old.body.len());
        }
    }
}

pub fn json_response(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Answers from the cache, or computes, stores and answers.
pub async fn cached_json<T, F>(
    cache: &ReadCache,
    store: &crate::db::Store,
    key: String,
    compute: F,
) -> crate::Result<Response>
where
    T: serde::Serialize,
    F: Future<Output = crate::Result<T>>,
{
    let version = store.version();
    if let Some(body) = cache.get(&key, version) {
        return Ok(json_response(body));
    }
    let value = compute.await?;
    let body =
        Bytes::from(serde_json::to_vec(&value).map_err(|e| crate::AppError::Internal(e.into()))?);
    cache.put(key, version, body.clone());
    Ok(json_response(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_with_a_new_version_or_time() {
        let cache = ReadCache::new(Duration::from_secs(60), 1 << 20);
        cache.put("k".into(), 1, Bytes::from_static(b"v"));
        assert_eq!(cache.get("k", 1).as_deref(), Some(&b"v"[..]));
        assert_eq!(cache.get("k", 2), None, "a commit since makes it stale");
        let off = ReadCache::new(Duration::ZERO, 1 << 20);
        off.put("k".into(), 1, Bytes::from_static(b"v"));
        assert_eq!(off.get("k", 1), None);
        let short = ReadCache::new(Duration::from_millis(1), 1 << 20);
        short.put("k".into(), 1, Bytes::from_static(b"v"));
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(short.get("k", 1), None);
    }

    #[test]
    fn the_cache_stays_within_its_size() {
        let cache = ReadCache::new(Duration::from_secs(60), 64);
        for i in 0..100 {
            cache.put(format!("k{i}"), 1, Bytes::from(vec![0u8; 8]));
        }
        assert!(cache.inner.lock().unwrap().bytes <= 64);
    }
}
