//! A per-instance cache of the catalogue [`Snapshot`]. The shop front is read far more often
//! than the catalogue changes, so each instance keeps the snapshot for a short time
//! (`BLOEI_CATALOGUE_CACHE_MS`, default one second) instead of querying on every request. A
//! change therefore shows on every instance within that time; nothing else depends on the cache
//! (orders will always price from the database).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::service::{self, Snapshot};
use crate::db::Db;
use crate::error::AppError;

/// The cache. One per application instance.
pub struct CatalogueCache {
    ttl: Duration,
    current: RwLock<Option<(Instant, Arc<Snapshot>)>>,
    refreshing: AtomicBool,
}

/// Clears the "a reload is under way" flag when the reloading request ends, however it ends:
/// a request cancelled mid-load (the client went away) must not leave the flag set, or the
/// instance would serve its old snapshot for ever.
struct RefreshGuard<'a>(&'a AtomicBool);

impl Drop for RefreshGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl CatalogueCache {
    /// A cache keeping snapshots for `ttl` (zero: every request loads its own).
    pub fn new(ttl: Duration) -> CatalogueCache {
        CatalogueCache {
            ttl,
            current: RwLock::new(None),
            refreshing: AtomicBool::new(false),
        }
    }

    /// How old the snapshot held now is (`None` before the first load, or with no caching).
    pub fn age(&self) -> Option<Duration> {
        let current = self.current.read().ok()?;
        current.as_ref().map(|(loaded, _)| loaded.elapsed())
    }

    /// Forgets the snapshot, so the next request loads the catalogue as it is now (after a
    /// change in the back office; other instances see it when their snapshot expires).
    pub fn invalidate(&self) {
        if let Ok(mut current) = self.current.write() {
            *current = None;
        }
    }

    /// The current snapshot. A fresh one is returned without touching the database. When it has
    /// expired, one request reloads it while concurrent requests keep using the old one for the
    /// moment, so a busy shop does not load the catalogue many times at once.
    pub async fn get(&self, db: &Db) -> Result<Arc<Snapshot>, AppError> {
        if self.ttl.is_zero() {
            return db.run(service::load_snapshot).await.map(Arc::new);
        }
        let cached = self.current.read().ok().and_then(|c| c.clone());
        if let Some((loaded, snapshot)) = &cached
            && loaded.elapsed() < self.ttl
        {
            return Ok(snapshot.clone());
        }
        let guard = if self.refreshing.swap(true, Ordering::AcqRel) {
            if let Some((_, snapshot)) = cached {
                return Ok(snapshot);
            }
            None // nothing to serve yet: load our own copy too
        } else {
            Some(RefreshGuard(&self.refreshing))
        };
        let started = Instant::now();
        let snapshot = Arc::new(db.run(service::load_snapshot).await?);
        if guard.is_some()
            && let Ok(mut current) = self.current.write()
        {
            // The snapshot is as old as the moment its load began.
            *current = Some((started, snapshot.clone()));
        }
        drop(guard);
        Ok(snapshot)
    }
}
