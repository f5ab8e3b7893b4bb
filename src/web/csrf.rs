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

use crate::error::AppError;

const SESSION_KEY: &str = "csrf";
/// Name of the hidden form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// Header that may carry the token instead of the form field.
pub const HEADER: &str = "x-csrf-token";

/// Paths that take POSTs from other servers and authenticate them another way (payment
/// webhooks, which are verified by fetching the payment from the provider).
const EXEMPT: &[&str] = &["/betaling/webhook"];

/// Path prefixes exempt for the same reason: the newsletter's unsubscribe links, which mail
/// clients POST to with one click (RFC 8058) and which carry their own random token; all such
/// a request can do is unsubscribe that one address.
const EXEMPT_PREFIXES: &[&str] = &["/nieuwsbrief/afmelden/", "/herinneringen/stoppen/"];

/// The upload paths (`multipart/form-data`, prefix and suffix) the middleware lets through
/// unchecked: their handlers read only multipart bodies and check the token themselves with
/// [`verify`], from the form's first field, before they read the file. Reading a whole upload
/// here, before anyone is known to be logged in, would let anyone make the shop buffer
/// megabytes. Exact paths, not a whole prefix: a handler that reads url-encoded forms could be
/// fooled by a multipart body whose values look like `&name=value`.
const SELF_CHECKED_UPLOADS: &[(&str, &str)] = &[("/medewerkers/catalogus/", "/foto")];

const TOKEN_BYTES: usize = 32;

/// A token for the session's forms. The session holds one secret; every form gets it masked
/// with fresh random bytes (`pad ‖ pad ⊕ secret`), so the token differs on every page and a
/// compressed response cannot leak it byte by byte (BREACH).
pub fn token(session: &Session) -> String {
    let secret = match session_secret(session) {
        Some(secret) => secret,
        None => {
            let mut fresh = [0u8; TOKEN_BYTES];
            rand::fill(&mut fresh);
            let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(fresh);
            if let Err(e) = session.insert(SESSION_KEY, encoded) {
                tracing::warn!(error = %e, "could not store the CSRF secret");
            }
            fresh
        }
    };
    let mut pad = [0u8; TOKEN_BYTES];
    rand::fill(&mut pad);
    let mut masked = pad.to_vec();
    masked.extend(pad.iter().zip(secret).map(|(p, s)| p ^ s));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(masked)
}

fn session_secret(session: &Session) -> Option<[u8; TOKEN_BYTES]> {
    let encoded = session.get::<String>(SESSION_KEY).ok().flatten()?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?
        .try_into()
        .ok()
}

/// Whether a token sent with a form unmasks to the session's secret.
fn matches(sent: &str, secret: &[u8; TOKEN_BYTES]) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sent.trim()) else {
        return false;
    };
    if bytes.len() != 2 * TOKEN_BYTES {
        return false;
    }
    let (pad, masked) = bytes.split_at(TOKEN_BYTES);
    let unmasked: Vec<u8> = pad.iter().zip(masked).map(|(p, m)| p ^ m).collect();
    crate::domain::token::same_secret(&unmasked, secret.as_slice())
}

/// Whether `sent` is a valid token for this session (for upload handlers, which read the token
/// from their multipart body themselves).
pub fn verify(session: &Session, sent: &str) -> bool {
    session_secret(session).is_some_and(|secret| matches(sent, &secret))
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
    if is_safe(req.method())
        || EXEMPT.contains(&req.path())
        || EXEMPT_PREFIXES.iter().any(|p| req.path().starts_with(p))
        || (is_upload(&req)
            && SELF_CHECKED_UPLOADS
                .iter()
                .any(|(start, end)| req.path().starts_with(start) && req.path().ends_with(end)))
    {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let expected = session_secret(&req.get_session());
    let header = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let sent = match header {
        Some(token) => Some(token),
        None if is_form(&req) => {
            // Read the body to find the field, then put it back for the handler.
            let body = match req.extract::<web::Bytes>().await {
                Ok(body) => body,
                // An error returned from here would skip the error page and the security
                // headers, so it is turned into a response now.
                Err(e) => {
                    let response = e.error_response();
                    return Ok(req.into_response(response).map_into_right_body());
                }
            };
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
        (Some(secret), Some(sent)) => matches(&sent, &secret),
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

fn is_upload(req: &ServiceRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

fn is_form(req: &ServiceRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_unmasks_to_the_secret_and_nothing_else_does() {
        let secret = [7u8; TOKEN_BYTES];
        let mut pad = [0u8; TOKEN_BYTES];
        rand::fill(&mut pad);
        let mut token = pad.to_vec();
        token.extend(pad.iter().zip(secret).map(|(p, s)| p ^ s));
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token);
        assert!(matches(&token, &secret));
        assert!(!matches(&token, &[8u8; TOKEN_BYTES]));
        assert!(!matches("", &secret));
        assert!(!matches("not base64 !", &secret));
        let unmasked = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
        assert!(
            !matches(&unmasked, &secret),
            "the bare secret is not a token"
        );
    }
}
