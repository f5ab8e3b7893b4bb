//! Catalogue use cases: the shop-front listing and the product page.

use std::collections::HashMap;

use super::model::{
    Addon, Category, Listing, Localized, Occasion, ProductCard, ProductDetail, Size, Variant,
    VatRate,
};
use super::repo::{self, CategoryRow, OccasionRow, ProductRow, VariantRow};
use crate::db::DbConn;
use crate::error::AppError;
use crate::money::Money;

/// The shop front: every active product, optionally narrowed to a category and/or an occasion
/// (by slug). An unknown slug is a 404, not an empty page.
pub fn listing(
    conn: &mut DbConn,
    category_slug: Option<&str>,
    occasion_slug: Option<&str>,
) -> Result<Listing, AppError> {
    let category = match category_slug {
        Some(slug) => Some(repo::category_by_slug(conn, slug)?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let occasion = match occasion_slug {
        Some(slug) => Some(repo::occasion_by_slug(conn, slug)?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let rows = repo::active_products(
        conn,
        category.as_ref().map(|c| c.id),
        occasion.as_ref().map(|o| o.id),
    )?;
    let mut prices: HashMap<i64, Vec<i64>> = HashMap::new();
    for v in repo::variants_of_active_products(conn)? {
        prices.entry(v.product_id).or_default().push(v.price_cents);
    }
    let products = rows
        .into_iter()
        .filter_map(|p| {
            // A product without any variant cannot be bought, so it is not listed.
            let product_prices = prices.get(&p.id)?;
            let from = *product_prices.iter().min()?;
            Some(ProductCard {
                slug: p.slug,
                name: Localized {
                    nl: p.name_nl,
                    en: p.name_en,
                },
                image: p.image,
                from_price: Money::from_cents(from),
                has_several_prices: product_prices.iter().any(|&c| c != from),
            })
        })
        .collect();
    Ok(Listing {
        categories: repo::all_categories(conn)?
            .into_iter()
            .map(category_model)
            .collect(),
        occasions: repo::all_occasions(conn)?
            .into_iter()
            .map(occasion_model)
            .collect(),
        category: category.map(category_model),
        occasion: occasion.map(occasion_model),
        products,
    })
}

/// The product page. Inactive products and products without variants are not for sale: 404.
pub fn product_detail(conn: &mut DbConn, slug: &str) -> Result<ProductDetail, AppError> {
    let row = repo::product_by_slug(conn, slug)?
        .filter(|p| p.active)
        .ok_or(AppError::NotFound)?;
    let variants = repo::variants_of(conn, row.id)?
        .into_iter()
        .map(variant)
        .collect::<Result<Vec<_>, _>>()?;
    if variants.is_empty() {
        return Err(AppError::NotFound);
    }
    let addons = repo::addons_of(conn, row.id)?
        .into_iter()
        .map(|(p, v)| {
            Ok(Addon {
                vat_rate: vat_rate(&p)?,
                slug: p.slug,
                name: Localized {
                    nl: p.name_nl,
                    en: p.name_en,
                },
                image: p.image,
                price: Money::from_cents(v.price_cents),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let occasions = repo::occasions_of(conn, row.id)?
        .into_iter()
        .map(occasion_model)
        .collect();
    let category = category_model(repo::category_by_id(conn, row.category_id)?);
    let mut variants = variants;
    variants.sort_by_key(|v| (v.size, v.price));
    Ok(ProductDetail {
        vat_rate: vat_rate(&row)?,
        slug: row.slug,
        name: Localized {
            nl: row.name_nl,
            en: row.name_en,
        },
        description: Localized {
            nl: row.description_nl,
            en: row.description_en,
        },
        image: row.image,
        lead_time_days: row.lead_time_days,
        is_addon: row.is_addon,
        category,
        variants,
        addons,
        occasions,
    })
}

fn category_model(row: CategoryRow) -> Category {
    Category {
        slug: row.slug,
        name: Localized {
            nl: row.name_nl,
            en: row.name_en,
        },
        description: Localized {
            nl: row.description_nl,
            en: row.description_en,
        },
    }
}

fn occasion_model(row: OccasionRow) -> Occasion {
    Occasion {
        slug: row.slug,
        name: Localized {
            nl: row.name_nl,
            en: row.name_en,
        },
    }
}

fn variant(row: VariantRow) -> Result<Variant, AppError> {
    let size = Size::parse(&row.size)
        .ok_or_else(|| AppError::Internal(format!("variant {} has size {:?}", row.id, row.size)))?;
    Ok(Variant {
        size,
        price: Money::from_cents(row.price_cents),
    })
}

fn vat_rate(row: &ProductRow) -> Result<VatRate, AppError> {
    VatRate::parse(&row.vat_rate).ok_or_else(|| {
        AppError::Internal(format!(
            "product {} has VAT class {:?}",
            row.id, row.vat_rate
        ))
    })
}
