//! Web plumbing shared by every capability: application state, the page context templates
//! render with, CSRF protection, flash messages, static assets, security headers, error pages,
//! the language switch and the health check.

pub mod assets;
pub mod consent_cookie;
pub mod csrf;
pub mod errors;
pub mod flash;
pub mod headers;
pub mod health;
pub mod lang;
pub mod logins;
pub mod page;
pub mod rate_limit;
pub mod session_keys;

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;

pub use page::PageCtx;

/// What every handler can reach through `web::Data<AppState>`: the plumbing only. What belongs
/// to one capability (the catalogue snapshot, the delivery plan, the payment provider, the data
/// key) is registered by startup as its own `app_data`, so this struct names no capability.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The resolved configuration.
    pub config: Arc<Config>,
    /// Limits on login attempts.
    pub logins: Arc<rate_limit::Limits>,
    /// Limits on second-step codes.
    pub second_steps: Arc<rate_limit::Limits>,
    /// Limits on customer logins.
    pub customer_logins: Arc<rate_limit::Limits>,
    /// Limits on what sends an account e-mail (registration, reset, new confirmation link).
    pub account_mails: Arc<rate_limit::Limits>,
    /// Limits on questions and complaints sent with the public forms.
    pub contact_messages: Arc<rate_limit::Limits>,
    /// Works out the privacy statement's version (P19).
    pub statement_version: StatementVersion,
}

/// Works out the privacy statement's current version (P19) on a connection. Most of what the
/// statement is made from is fixed while the shop runs, but the processor register is edited by
/// staff on any instance, so the version is read from the database each time it is needed.
/// Startup plugs in the privacy capability's computation; account pages call it at login.
pub type StatementVersion =
    Arc<dyn Fn(&mut crate::db::DbConn) -> diesel::QueryResult<String> + Send + Sync>;

/// The visitor's address: the connection's peer, or, behind a proxy the operator trusts
/// (`BLOEI_BEHIND_PROXY`), the last address in `X-Forwarded-For`: the one that proxy added.
/// Earlier entries come from the client and could be anything.
pub fn client_ip(req: &actix_web::HttpRequest, behind_proxy: bool) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    if !behind_proxy {
        return peer;
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .map(str::trim);
    forwarded
        .and_then(|addr| {
            addr.parse::<std::net::IpAddr>()
                .ok()
                .or_else(|| addr.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        })
        .or(peer)
}

/// Bytes reserved for a rendered page.
const PAGE_BUFFER: usize = 32 * 1024;

/// Renders a template as an HTML response with the given status.
pub fn render<T: Template>(status: StatusCode, template: &T) -> Result<HttpResponse, AppError> {
    // Most pages are 10–30 KB: one allocation up front instead of a dozen reallocations and
    // copies while the page grows (measured: the shop front's throughput, benches/pages.sh).
    let mut body = String::with_capacity(PAGE_BUFFER);
    template.render_into(&mut body)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        // Pages carry the visitor's form token and are in the visitor's language: never from a
        // shared cache, and always revalidated.
        .insert_header(("Cache-Control", "private, no-cache"))
        .insert_header(("Vary", "Accept-Language, Cookie"))
        .body(body))
}

/// A 429 response with `Retry-After`, rendered from `template`.
pub fn too_many<T: Template>(
    wait: rate_limit::TooMany,
    template: &T,
) -> Result<HttpResponse, AppError> {
    let mut response = render(StatusCode::TOO_MANY_REQUESTS, template)?;
    response.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(wait.retry_after.as_secs().max(1)),
    );
    Ok(response)
}

/// Renders a template as a 200 HTML page.
pub fn page<T: Template>(template: &T) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, template)
}

/// A 303 redirect (POST/redirect/GET).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// Reads a posted form, also one with repeated fields (several add-on checkboxes), which
/// `web::Form` cannot.
pub fn parse_form<T: for<'de> serde::Deserialize<'de>>(body: &[u8]) -> Result<T, AppError> {
    serde_html_form::from_bytes(body).map_err(|_| AppError::BadRequest("error-bad-request-text"))
}

/// Whether `target` is a path on this site (so redirecting there cannot send a visitor to
/// another site).
pub fn is_local_path(target: &str) -> bool {
    target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.chars().any(|c| c.is_control() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::{client_ip, is_local_path};

    #[test]
    fn behind_a_proxy_the_address_it_added_counts_not_what_the_client_wrote() {
        let req = actix_web::test::TestRequest::default()
            .peer_addr("10.0.0.2:40000".parse().unwrap())
            .insert_header(("x-forwarded-for", "203.0.113.9, 198.51.100.4"))
            .to_http_request();
        assert_eq!(client_ip(&req, true), Some("198.51.100.4".parse().unwrap()));
        assert_eq!(client_ip(&req, false), Some("10.0.0.2".parse().unwrap()));
        let plain = actix_web::test::TestRequest::default()
            .peer_addr("10.0.0.2:40000".parse().unwrap())
            .to_http_request();
        assert_eq!(client_ip(&plain, true), Some("10.0.0.2".parse().unwrap()));
    }

    #[test]
    fn only_paths_on_this_site_count_as_local() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/product/rode-rozen?x=1"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/a\r\nLocation: x"));
        assert!(!is_local_path(""));
    }
}
