//! Security headers on every response.

use actix_web::middleware::DefaultHeaders;

/// The Content-Security-Policy: everything from this origin only, no inline script or style,
/// no framing, forms post only to this site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The CSP, allowing scripts from `tracking_origin` too when the operator configured a tracking
/// script (it is still rendered only for visitors who accepted advertisers' cookies).
pub fn content_security_policy(tracking_origin: Option<&str>) -> String {
    match tracking_origin {
        Some(origin) => CONTENT_SECURITY_POLICY.replacen(
            "script-src 'self'",
            &format!("script-src 'self' {origin}"),
            1,
        ),
        None => CONTENT_SECURITY_POLICY.to_owned(),
    }
}

/// The headers added to every response (a handler may set its own instead). HSTS only when the
/// shop is served over TLS, or browsers would refuse the plain-HTTP local default.
pub fn security_headers(https: bool, tracking_origin: Option<&str>) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            content_security_policy(tracking_origin),
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        headers
    }
}
