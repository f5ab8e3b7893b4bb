//! Prometheus metrics through the `metrics` facade. Nothing is recorded (the macros are no-ops)
//! until [`install`] runs, which `bloei serve` does only when `BLOEI_METRICS_LISTEN` is set; the
//! text is then served on that separate listener, never on the shop's own. Labels are route
//! patterns, methods, statuses and job names: never anything a customer typed.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests served, by method, route pattern and status.
pub const HTTP_REQUESTS: &str = "bloei_http_requests_total";
/// Time to answer, by method, route pattern and status.
pub const HTTP_DURATION: &str = "bloei_http_request_duration_seconds";
/// Time a request waited for a pooled database connection.
pub const DB_POOL_WAIT: &str = "bloei_db_pool_wait_seconds";
/// Requests that gave up waiting for a pooled connection.
pub const DB_POOL_TIMEOUTS: &str = "bloei_db_pool_timeouts_total";
/// Order events: `placed`, `paid`, `cancelled` (payment failed or cancelled), `expired`.
pub const ORDERS: &str = "bloei_orders_total";
/// Outgoing e-mail attempts by `outcome`: `sent`, `failed`, `given_up`.
pub const MAIL_SENDS: &str = "bloei_mail_sends_total";
/// Background job runs by `job` and `outcome` (`ok`, `failed`).
pub const JOB_RUNS: &str = "bloei_job_runs_total";

/// Upper bounds of the latency buckets, in seconds (1 ms to 10 s).
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder (once; later calls return the same handle) and returns
/// the handle that renders the text.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .expect("buckets are not empty");
            builder.install_recorder().unwrap_or_else(|_| {
                // Another recorder is already installed (only possible when embedding Bloei):
                // render our own, unregistered one so /metrics still answers.
                PrometheusBuilder::new().build_recorder().handle()
            })
        })
        .clone()
}

/// The method as a label: the standard ones by name, anything else as `OTHER` (a client can
/// send any token as a method, and labels must stay few).
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// Counts one finished request and its latency.
pub fn record_request(method: &'static str, route: String, status: u16, elapsed: Duration) {
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_DURATION, &labels).record(elapsed.as_secs_f64());
}

/// Counts an order event (`placed`, `paid`, `cancelled`, `expired`).
pub fn order_event(event: &'static str, count: u64) {
    if count > 0 {
        metrics::counter!(ORDERS, "event" => event).increment(count);
    }
}

/// Counts an outgoing e-mail attempt (`sent`, `failed`, `given_up`).
pub fn mail_send(outcome: &'static str) {
    metrics::counter!(MAIL_SENDS, "outcome" => outcome).increment(1);
}

/// Counts a run of a background job.
pub fn job_run(job: &'static str, ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!(JOB_RUNS, "job" => job, "outcome" => outcome).increment(1);
}

/// Sets a gauge read at scrape time (pool, outbox, cache).
pub fn gauge(name: &'static str, value: f64) {
    metrics::gauge!(name).set(value);
}

/// Sets a gauge with one label.
pub fn gauge_with(
    name: &'static str,
    label: &'static str,
    value_of_label: &'static str,
    value: f64,
) {
    metrics::gauge!(name, label => value_of_label).set(value);
}
