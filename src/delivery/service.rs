//! Delivery use cases: everything checkout needs to offer dates and a fee, loaded at once.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::repo;
use super::rules::{DateRefusal, DeliveryRules, DeliverySettings, Window};
use super::zones::{Zone, zone_for};
use crate::db::DbConn;
use crate::domain::DutchPostcode;
use crate::error::AppError;

/// The shop's rules with today's overrides, zones and bookings.
#[derive(Debug, Clone)]
pub struct DeliveryPlan {
    /// Rules including the calendar overrides from the database.
    pub rules: DeliveryRules,
    /// Delivery zones.
    pub zones: Vec<Zone>,
    /// Places taken per date.
    pub booked: HashMap<NaiveDate, u32>,
    /// The instant the plan was made for.
    pub now: DateTime<Utc>,
}

/// Loads the plan for orders placed at `now`, in one read transaction.
pub fn load_plan(
    conn: &mut DbConn,
    base: &DeliveryRules,
    now: DateTime<Utc>,
) -> Result<DeliveryPlan, AppError> {
    conn.read_tx(|conn| {
        let window = base.window(now, 0);
        let mut rules = base.clone();
        rules.overrides = repo::overrides(conn, window.today, window.last)?;
        Ok(DeliveryPlan {
            rules,
            zones: repo::zones(conn)?,
            booked: repo::booked(conn, window.today, window.last)?,
            now,
        })
    })
}

impl DeliveryPlan {
    /// The window for a product (or cart) needing `lead_time_days`.
    pub fn window(&self, lead_time_days: u32) -> Window {
        self.rules.window(self.now, lead_time_days)
    }

    /// The dates that can be chosen.
    pub fn available_dates(&self, lead_time_days: u32) -> Vec<NaiveDate> {
        let window = self.window(lead_time_days);
        self.rules
            .available_dates(&window, |d| self.booked.get(&d).copied().unwrap_or(0))
    }

    /// Whether `date` can be chosen.
    pub fn check(&self, lead_time_days: u32, date: NaiveDate) -> Result<(), DateRefusal> {
        let window = self.window(lead_time_days);
        let booked = self.booked.get(&date).copied().unwrap_or(0);
        self.rules.check(&window, date, booked)
    }

    /// The zone of a postcode, if the shop delivers there.
    pub fn zone(&self, postcode: &DutchPostcode) -> Option<&Zone> {
        zone_for(&self.zones, postcode)
    }
}

/// A per-instance cache of the delivery plan's data (overrides, zones, bookings), kept as long
/// as the catalogue snapshot (`BLOEI_CATALOGUE_CACHE_MS`). The clock is never cached: every use
/// gets the current time, so the cut-off is exact. Bookings may be a moment old, which only
/// decides which dates are *offered*; placing an order takes its place atomically and refuses a
/// date that filled up meanwhile.
pub struct PlanCache {
    ttl: std::time::Duration,
    base: DeliveryRules,
    current: std::sync::Mutex<Option<(std::time::Instant, std::sync::Arc<DeliveryPlan>)>>,
}

impl PlanCache {
    /// A cache keeping plans for `ttl` (zero: load every time) made from the configured rules.
    pub fn new(ttl: std::time::Duration, settings: &DeliverySettings) -> PlanCache {
        PlanCache {
            ttl,
            base: DeliveryRules::from(settings),
            current: std::sync::Mutex::new(None),
        }
    }

    /// Forgets the cached plan (after a date turned out full, so the form offers fresh dates).
    pub fn invalidate(&self) {
        if let Ok(mut current) = self.current.lock() {
            *current = None;
        }
    }

    /// The plan for orders placed now.
    pub async fn get(&self, db: &crate::db::Db) -> Result<DeliveryPlan, AppError> {
        let base = &self.base;
        let now = Utc::now();
        if let Ok(current) = self.current.lock()
            && let Some((loaded, plan)) = current.as_ref()
            && loaded.elapsed() < self.ttl
            && plan.window(0).today == base.window(now, 0).today
        {
            let mut plan = (**plan).clone();
            plan.now = now;
            return Ok(plan);
        }
        let rules = base.clone();
        let plan = db.run(move |conn| load_plan(conn, &rules, now)).await?;
        if let Ok(mut current) = self.current.lock() {
            *current = Some((std::time::Instant::now(), std::sync::Arc::new(plan.clone())));
        }
        Ok(plan)
    }
}
