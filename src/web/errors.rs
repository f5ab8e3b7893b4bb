//! Error pages in the visitor's language. Error responses (our own `AppError`s and actix's, such
//! as an unknown route or a bad form) pass through this middleware, which replaces their body
//! with a full page; pages a handler rendered itself (a form with field errors) are left alone.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpResponse, Result};
use askama::Template;

use super::PageCtx;
use crate::error::{ErrorPage, KeepBody};

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    /// Page context.
    pub ctx: PageCtx,
    /// HTTP status code.
    pub status: u16,
    /// Catalogue key of the heading.
    pub title_key: &'static str,
    /// Catalogue key of the explanation.
    pub text_key: &'static str,
}

/// The middleware that renders error pages.
pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render_error_page)
}

fn title_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "error-not-found-title",
        403 => "error-forbidden-title",
        405 => "error-method-title",
        413 => "error-too-large-title",
        429 => "error-too-many-title",
        503 => "error-unavailable-title",
        s if s >= 500 => "error-internal-title",
        _ => "error-bad-request-title",
    }
}

fn default_text_key(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "error-not-found-text",
        403 => "error-csrf-text",
        405 => "error-method-text",
        413 => "error-too-large-text",
        429 => "error-too-many-text",
        503 => "error-unavailable-text",
        s if s >= 500 => "error-internal-text",
        _ => "error-bad-request-text",
    }
}

fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> Result<ErrorHandlerResponse<B>> {
    if res.response().extensions().get::<KeepBody>().is_some() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let marker = res.response().extensions().get::<ErrorPage>().copied();
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if marker.is_none() && is_html {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, original) = res.into_parts();
    let template = ErrorTemplate {
        ctx: PageCtx::from_request(&req),
        status: status.as_u16(),
        title_key: title_key(status),
        text_key: marker.map_or_else(|| default_text_key(status), |m| m.message_key),
    };
    let body = template.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed to render");
        format!("{status}")
    });
    let mut page = HttpResponse::build(status);
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.append_header((name.clone(), value.clone()));
        }
    }
    let page = page
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/html; charset=utf-8")
        .body(body);
    let res: ServiceResponse<EitherBody<B, BoxBody>> =
        ServiceResponse::new(req, page).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
