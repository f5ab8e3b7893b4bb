//! Logging and metrics, for the operator. Request logs carry a request id, the method, the route
//! *pattern* (`/product/{slug}`, never the concrete path or query, which may one day hold tokens
//! or e-mail addresses), the status and the time taken — and no client IP or other personal data.
//! Metrics (`measure` below) use the same route patterns as labels, for the same reason.

pub mod measure;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event (the default).
    #[default]
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Starts logging to stderr in `format`. The level comes from `RUST_LOG` (default `info`).
/// Calling it twice is harmless (tests start many apps in one process).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
        // The request's span (request id, method, route) comes along as `span`; the event's own
        // fields (status, latency) sit at the top level.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

/// Builds the per-request span without personal data.
pub struct PrivacyRootSpan;

impl RootSpanBuilder for PrivacyRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            route = %route_of(request),
        )
    }

    fn on_request_end<B: MessageBody>(_span: Span, _outcome: &Result<ServiceResponse<B>, Error>) {
        // `observe` writes the one line per request, with status and latency.
    }
}

/// The route pattern a request matches, or `(unmatched)`: never the concrete path.
fn route_of(request: &ServiceRequest) -> String {
    request
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned())
}

/// Middleware (inside the tracing span): one log line per finished request with its status and
/// latency, and the request metrics. Error responses are already responses here (the error
/// pages turn them into pages), so every request is counted once.
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let route = route_of(&request);
    let method = measure::method_label(request.method());
    let outcome = next.call(request).await;
    let status = match &outcome {
        Ok(response) => response.status().as_u16(),
        Err(error) => error.as_response_error().status_code().as_u16(),
    };
    let elapsed = started.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    tracing::info!(status, latency_ms, "finished");
    measure::record_request(method, route, status, elapsed);
    outcome
}
