//! The pool reports how long requests wait for a connection, and how often they give up, to the
//! metrics (a pool that is too small shows here before it shows as slow pages).

use diesel::r2d2::{self, event};

use crate::telemetry::measure;

/// r2d2's event hook, recording checkout waits and time-outs.
#[derive(Debug)]
pub(super) struct PoolEvents;

impl r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: event::CheckoutEvent) {
        metrics::histogram!(measure::DB_POOL_WAIT).record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, _event: event::TimeoutEvent) {
        metrics::counter!(measure::DB_POOL_TIMEOUTS).increment(1);
    }
}
