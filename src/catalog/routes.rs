//! Shop-front routes: thin handlers that answer from the catalogue snapshot and render a page.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::cache::CatalogueCache;
use super::pages::{ListingPage, ProductPage};
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
    catalogue: web::Data<CatalogueCache>,
    ctx: PageCtx,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    let Filters {
        categorie,
        gelegenheid,
    } = filters.into_inner();
    let (category, occasion) = (non_empty(categorie), non_empty(gelegenheid));
    let catalogue = catalogue.get(&state.db).await?;
    let listing = catalogue.listing(category.as_deref(), occasion.as_deref())?;
    page(&ListingPage { ctx, listing })
}

/// `GET /categorie/{slug}?gelegenheid=…`: one category's products.
pub async fn category(
    state: web::Data<AppState>,
    catalogue: web::Data<CatalogueCache>,
    ctx: PageCtx,
    slug: web::Path<String>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let occasion = non_empty(filters.into_inner().gelegenheid);
    let catalogue = catalogue.get(&state.db).await?;
    let listing = catalogue.listing(Some(&slug), occasion.as_deref())?;
    page(&ListingPage { ctx, listing })
}

/// `GET /fotos/{key}-{width}.jpg`: one width of a product photo. The key is the photo's
/// content hash, so the answer never changes and may be cached for a year.
pub async fn photo(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (key, width) = file
        .strip_suffix(".jpg")
        .and_then(|name| name.rsplit_once('-'))
        .and_then(|(key, width)| Some((key.to_owned(), width.parse::<i32>().ok()?)))
        .filter(|(key, _)| key.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or(AppError::NotFound)?;
    let bytes = state
        .db
        .run(move |conn| Ok(super::photos::file(conn, &key, width)?))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=31536000, immutable",
        ))
        .body(bytes))
}

/// `GET /product/{slug}`: sizes with prices, add-ons, occasions.
pub async fn product(
    state: web::Data<AppState>,
    catalogue: web::Data<CatalogueCache>,
    ctx: PageCtx,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = catalogue.get(&state.db).await?;
    let product = catalogue.product(&slug)?;
    page(&ProductPage::new(ctx, product))
}
