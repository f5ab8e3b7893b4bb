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
    let answer = web::block(move || -> Result<(), String> {
        let mut conn = pool.get_timeout(TIMEOUT).map_err(|e| e.to_string())?;
        conn.batch_execute("SELECT 1").map_err(|e| e.to_string())
    })
    .await;
    match answer {
        Ok(Ok(())) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Ok(Err(cause)) => {
            tracing::warn!(%cause, "health check: database does not answer");
            unavailable()
        }
        Err(_) => unavailable(),
    }
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .insert_header(("Cache-Control", "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body("database unavailable")
}
