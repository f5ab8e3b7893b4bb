//! Privacy routes.

use actix_web::HttpResponse;

use super::pages::PrivacyPage;
use crate::error::AppError;
use crate::web::{self, PageCtx};

/// `GET /privacy`: the privacy statement, generated from the data map.
pub async fn privacy(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    web::page(&PrivacyPage::new(ctx))
}
