//! A per-instance cache of the catalogue [`Snapshot`]. The shop front is read far more often
//! than the catalogue changes, so each instance keeps the snapshot for a short time
//! (`BLOEI_CATALOGUE_CACHE_MS`, default one second) instead of querying on every request. A
//! change therefore shows on every instance within that time; nothing else depends on the cache
//! (orders will always price from the database), and an instance that changes the catalogue
//! calls [`CatalogueCache::invalidate`] so its own next page is fresh.

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

impl CatalogueCache {
    /// A cache keeping snapshots for `ttl` (zero: always load).
    pub fn new(ttl: Duration) -> CatalogueCache {
        CatalogueCache {
            ttl,
            current: RwLock::new(None),
            refreshing: AtomicBool::new(false),
        }
    }

    /// The current snapshot. A fresh one is returned without touching the database. When it has
    /// expired, one request reloads it while concurrent requests keep using the old one for the
    /// moment, so a busy shop does not load the catalogue many times at once.
    pub async fn get(&self, db: &Db) -> Result<Arc<Snapshot>, AppError> {
        let cached = self.current.read().ok().and_then(|c| c.clone());
        if let Some((loaded, snapshot)) = &cached {
            if loaded.elapsed() < self.ttl {
                return Ok(snapshot.clone());
            }
        }
        let someone_else_loads = self.refreshing.swap(true, Ordering::AcqRel);
        if someone_else_loads {
            if let Some((_, snapshot)) = cached {
                return Ok(snapshot);
            }
        }
        let loaded = db.run(service::load_snapshot).await;
        if !someone_else_loads {
            self.refreshing.store(false, Ordering::Release);
        }
        let snapshot = Arc::new(loaded?);
        if let Ok(mut current) = self.current.write() {
            *current = Some((Instant::now(), snapshot.clone()));
        }
        Ok(snapshot)
    }

    /// Forgets the snapshot, so the next request loads the catalogue again.
    pub fn invalidate(&self) {
        if let Ok(mut current) = self.current.write() {
            *current = None;
        }
    }
}
