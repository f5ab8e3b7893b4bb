//! What the operator's machinery asks the shop: `/readyz` for load balancers (on the shop's own
//! listener; `/healthz` in `web::health` is the cheap liveness probe) and `/metrics` in
//! Prometheus text, served on its own listener (`BLOEI_METRICS_LISTEN`) so it is never public.
//! This sits at the top of the house because readiness and the gauges read several layers: the
//! database, the outbox and the catalogue cache.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::PrometheusHandle;

use crate::catalog::cache::CatalogueCache;
use crate::db::{Db, DbConn};
use crate::error::AppError;
use crate::telemetry::measure;
use crate::web::AppState;

/// A pending e-mail due longer than this means the sender is stuck (the longest back-off between
/// two attempts is an hour, but a due message should go within seconds).
pub const OUTBOX_STUCK_AFTER: Duration = Duration::from_secs(15 * 60);

/// How long one readiness check may take in all.
const READY_TIMEOUT: Duration = Duration::from_secs(4);

/// What keeps this instance from taking traffic, as lines safe to show anyone (the causes go
/// to the log); empty when it is ready. A failing database is an error, so `Db::query`
/// replaces a connection that died with a server restart.
fn problems(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1").map_err(AppError::internal)?;
    let mut problems = Vec::new();
    match crate::db::pending_migrations(conn) {
        Ok(0) => {}
        Ok(n) => problems.push(format!("database: {n} migration(s) not applied")),
        Err(cause) => {
            tracing::warn!(%cause, "readiness: migrations unreadable");
            problems.push("database: migrations unreadable".to_owned());
        }
    }
    let backlog = crate::mail::repo::backlog(conn).map_err(AppError::internal)?;
    let now = crate::db::now();
    let limit = chrono::Duration::from_std(OUTBOX_STUCK_AFTER).unwrap_or_default();
    // Stuck, not merely busy: mail has been due for a long time *and* nothing went out
    // meanwhile (a newsletter to thousands is slow but moves).
    let overdue = backlog.oldest_due.filter(|due| now - *due > limit);
    let moving = backlog.last_sent.is_some_and(|sent| now - sent <= limit);
    if let Some(due) = overdue
        && !moving
    {
        let minutes = (now - due).num_minutes();
        problems.push(format!(
            "outbox: the oldest e-mail has been due for {minutes} minutes"
        ));
    }
    Ok(problems)
}

/// `GET /readyz`: 200 `ready` when the database answers, its migrations are current and the
/// outbox is not stuck; otherwise 503 with one line per problem.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let check = web::block(move || db.query(problems));
    // A server that accepts the connection and then hangs is cut off here (the blocked thread
    // finishes on its own).
    let problems = match actix_web::rt::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(Ok(problems))) => problems,
        Ok(Ok(Err(error))) => {
            tracing::warn!(error = %crate::error::chain(&error), "readiness: database unavailable");
            vec!["database: unavailable".to_owned()]
        }
        Ok(Err(_)) | Err(_) => vec!["database: no answer in time".to_owned()],
    };
    let mut response = if problems.is_empty() {
        HttpResponse::Ok().body("ready")
    } else {
        tracing::warn!(problems = %problems.join("; "), "not ready");
        HttpResponse::ServiceUnavailable().body(problems.join("\n"))
    };
    plain(&mut response);
    response
}

/// Probes get a plain text body that no cache keeps, and no error page (so no session cookie).
pub fn plain(response: &mut HttpResponse) {
    use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response.extensions_mut().insert(crate::error::KeepBody);
}

/// What the metrics listener reads besides the recorder.
struct Sources {
    handle: PrometheusHandle,
    db: Db,
    catalogue: web::Data<CatalogueCache>,
}

/// Gauges read at scrape time: the pool, the outbox and the catalogue cache.
async fn scrape(sources: web::Data<Sources>) -> HttpResponse {
    let state = sources.db.pool().state();
    let idle = f64::from(state.idle_connections);
    measure::gauge_with("bloei_db_pool_connections", "state", "idle", idle);
    measure::gauge_with(
        "bloei_db_pool_connections",
        "state",
        "in_use",
        f64::from(state.connections) - idle,
    );
    let pool = sources.db.pool().clone();
    let backlog = web::block(move || {
        let mut conn = pool.get_timeout(Duration::from_secs(2)).ok()?;
        crate::mail::repo::backlog(&mut conn).ok()
    });
    if let Ok(Ok(Some(backlog))) = actix_web::rt::time::timeout(READY_TIMEOUT, backlog).await {
        let now = crate::db::now();
        let age = backlog
            .oldest_queued
            .map_or(0.0, |queued| (now - queued).as_seconds_f64().max(0.0));
        measure::gauge("bloei_outbox_pending", backlog.pending as f64);
        measure::gauge("bloei_outbox_given_up", backlog.given_up as f64);
        measure::gauge("bloei_outbox_oldest_age_seconds", age);
    }
    if let Some(age) = sources.catalogue.age() {
        measure::gauge("bloei_catalogue_cache_age_seconds", age.as_secs_f64());
    }
    sources.handle.run_upkeep();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(sources.handle.render())
}

/// Binds the metrics listener and installs the recorder; the server runs on the caller's
/// runtime with one worker (a scrape every few seconds needs no more).
pub fn metrics_server(
    address: &str,
    db: Db,
    catalogue: web::Data<CatalogueCache>,
) -> Result<(Server, u16), String> {
    let listener = TcpListener::bind(address)
        .map_err(|e| format!("BLOEI_METRICS_LISTEN {address} cannot be used: {e}."))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let handle = measure::install();
    // Latency samples wait in the recorder until upkeep folds them into the buckets: without a
    // scrape for a long time they would pile up, so upkeep runs on its own clock too.
    let upkeep = handle.clone();
    actix_web::rt::spawn(async move {
        loop {
            actix_web::rt::time::sleep(Duration::from_secs(5)).await;
            upkeep.run_upkeep();
        }
    });
    let sources = web::Data::new(Sources {
        handle,
        db,
        catalogue,
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(sources.clone())
            .route("/metrics", web::get().to(scrape))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .map_err(|e| format!("BLOEI_METRICS_LISTEN: {e}."))?
    .run();
    Ok((server, port))
}
