//! `GET /healthz`, the liveness probe: 200 `ok` as long as the process serves requests. It asks
//! nothing of the database on purpose: a database outage must not make an orchestrator restart
//! every instance. Whether an instance should get traffic is `/readyz` (in `ops`).

use actix_web::HttpResponse;

/// The liveness handler.
pub async fn healthz() -> HttpResponse {
    let mut response = HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body("ok");
    // Probes read the status, not a page: no error page, so no session cookie for every probe.
    response.extensions_mut().insert(crate::error::KeepBody);
    response
}
