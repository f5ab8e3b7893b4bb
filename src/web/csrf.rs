//! CSRF protection for every state-changing request: a random token per session, put in every
//! form as `csrf_token` (or sent as the `X-CSRF-Token` header), checked by a middleware before
//! any POST, PUT, PATCH or DELETE reaches a handler.

use actix_session::{Session, SessionExt};
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError, web};
use base64::Engine;
use subtle::ConstantTimeEq;

use crate::error::AppError;

const SESSION_KEY: &str = "csrf";
/// Name of the hidden form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// Header that may carry the token instead of the form field.
pub const HEADER: &str = "x-csrf-token";

/// Paths that take POSTs from other servers and authenticate them another way (payment
/// webhooks, which are verified by fetching the payment from the provider).
const EXEMPT: &[&str] = &[];

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(SESSION_KEY) {
        return existing;
    }
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let fresh = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    if let Err(e) = session.insert(SESSION_KEY, &fresh) {
        tracing::warn!(error = %e, "could not store the CSRF token");
    }
    fresh
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// The middleware: refuses an unsafe request whose token is missing or differs from the
/// session's with a 403 page, before the handler runs.
pub async fn protect(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if is_safe(req.method()) || EXEMPT.contains(&req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let expected = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let header = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let sent = match header {
        Some(token) => Some(token),
        None if is_form(&req) => {
            // Read the body to find the field, then put it back for the handler.
            let body = req.extract::<web::Bytes>().await?;
            let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
                .ok()
                .and_then(|fields| fields.into_iter().find(|(k, _)| k == FIELD))
                .map(|(_, v)| v);
            req.set_payload(Payload::from(body));
            token
        }
        None => None,
    };
    let valid = match (expected, sent) {
        (Some(expected), Some(sent)) => bool::from(expected.as_bytes().ct_eq(sent.as_bytes())),
        _ => false,
    };
    if !valid {
        tracing::info!(
            path = req.match_pattern().as_deref().unwrap_or("?"),
            "refused a request without a valid CSRF token"
        );
        let response = AppError::Csrf.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn is_form(req: &ServiceRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}
