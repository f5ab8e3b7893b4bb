//! Shop-front routes: thin handlers that run one catalogue use case and render its page.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::pages::{ListingPage, ProductPage};
use super::service;
use crate::error::AppError;
use crate::web::{AppState, PageCtx, page};

/// Filters of the shop front, as query parameters.
#[derive(Debug, Deserialize)]
pub struct Filters {
    /// Category slug.
    pub categorie: Option<String>,
    /// Occasion slug.
    pub gelegenheid: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

/// `GET /?categorie=…&gelegenheid=…`: every available product, optionally filtered.
pub async fn home(
    state: web::Data<AppState>,
    ctx: PageCtx,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    let Filters {
        categorie,
        gelegenheid,
    } = filters.into_inner();
    let (category, occasion) = (non_empty(categorie), non_empty(gelegenheid));
    let listing = state
        .db
        .run(move |conn| service::listing(conn, category.as_deref(), occasion.as_deref()))
        .await?;
    page(&ListingPage { ctx, listing })
}

/// `GET /categorie/{slug}?gelegenheid=…`: one category's products.
pub async fn category(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let occasion = non_empty(filters.into_inner().gelegenheid);
    let listing = state
        .db
        .run(move |conn| service::listing(conn, Some(&slug), occasion.as_deref()))
        .await?;
    page(&ListingPage { ctx, listing })
}

/// `GET /product/{slug}`: sizes with prices, add-ons, occasions.
pub async fn product(
    state: web::Data<AppState>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let product = state
        .db
        .run(move |conn| service::product_detail(conn, &slug))
        .await?;
    page(&ProductPage { ctx, product })
}
