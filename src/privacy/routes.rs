//! Privacy routes.

use actix_web::{HttpResponse, web};

use super::pages::PrivacyPage;
use crate::error::AppError;
use crate::web::{self as site, AppState, PageCtx};

/// `GET /privacy`: the privacy statement, generated from the data map.
pub async fn privacy(state: web::Data<AppState>, ctx: PageCtx) -> Result<HttpResponse, AppError> {
    site::page(&PrivacyPage::new(ctx, &state.config.privacy))
}
