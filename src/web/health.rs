//! `GET /healthz` for load balancers: 200 when the database answers within two seconds, 503
//! otherwise.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;

use super::AppState;

const TIMEOUT: Duration = Duration::from_secs(2);

/// The health check handler.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.db.pool().clone();
    let check = web::block(move || -> Result<(), String> {
        let mut conn = pool.get_timeout(TIMEOUT).map_err(|e| e.to_string())?;
        conn.batch_execute("SELECT 1").map_err(|e| e.to_string())
    });
    // The pool wait has its own limit, but a server that accepts the connection and then hangs
    // would not: the answer is given after the time-out either way (the blocked thread finishes
    // on its own).
    let answer = match actix_web::rt::time::timeout(TIMEOUT * 2, check).await {
        Ok(Ok(result)) => result,
        Ok(Err(blocking)) => Err(blocking.to_string()),
        Err(_) => Err("no answer in time".to_owned()),
    };
    let mut response = match answer {
        Ok(()) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(cause) => {
            tracing::warn!(%cause, "health check: database does not answer");
            unavailable()
        }
    };
    // Load balancers read the status, not a page: keep the plain body (no error page, and so no
    // session cookie for every probe).
    response.extensions_mut().insert(crate::error::KeepBody);
    response
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body("database unavailable")
}
