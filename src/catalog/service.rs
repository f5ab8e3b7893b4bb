//! Catalogue use cases. The shop front and product pages read from a [`Snapshot`] of the whole
//! active catalogue, loaded with a handful of queries and shared between requests by
//! [`super::cache::CatalogueCache`]; the functions that answer a page are pure.

use std::collections::HashMap;

use super::model::{
    Addon, Category, Listing, Localized, Occasion, Photo, ProductCard, ProductDetail, ProductImage,
    Size, Variant, VatRate,
};
use super::repo::{self, CategoryRow, OccasionRow, ProductRow, VariantRow};
use crate::db::DbConn;
use crate::error::AppError;
use crate::money::Money;

/// The active catalogue, ready to answer shop-front and product-page requests.
#[derive(Debug, Default)]
pub struct Snapshot {
    categories: Vec<(i64, Category)>,
    occasions: Vec<(i64, Occasion)>,
    /// Listed products in display order, with their category id and occasion ids.
    cards: Vec<(i64, Vec<i64>, ProductCard)>,
    details: HashMap<String, ProductDetail>,
}

/// Loads the active catalogue in six queries inside one read transaction. Products without any
/// variant cannot be bought, so they are left out.
pub fn load_snapshot(conn: &mut DbConn) -> Result<Snapshot, AppError> {
    conn.read_tx(load)
}

fn load(conn: &mut DbConn) -> Result<Snapshot, AppError> {
    let categories: Vec<(i64, Category)> = repo::all_categories(conn)?
        .into_iter()
        .map(|c| (c.id, category_model(c)))
        .collect();
    let occasions: Vec<(i64, Occasion)> = repo::all_occasions(conn)?
        .into_iter()
        .map(|o| (o.id, occasion_model(o)))
        .collect();
    let products = repo::active_products(conn)?;
    let mut variants: HashMap<i64, Vec<Variant>> = HashMap::new();
    for row in repo::active_variants(conn)? {
        variants
            .entry(row.product_id)
            .or_default()
            .push(variant(&row)?);
    }
    let mut occasions_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (product, occasion) in repo::occasion_links(conn)? {
        occasions_of.entry(product).or_default().push(occasion);
    }
    let mut addons_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (product, addon) in repo::addon_links(conn)? {
        addons_of.entry(product).or_default().push(addon);
    }
    let by_id: HashMap<i64, &ProductRow> = products.iter().map(|p| (p.id, p)).collect();

    let mut cards = Vec::new();
    let mut details = HashMap::new();
    for p in &products {
        let Some(mut sizes) = variants.get(&p.id).cloned() else {
            continue;
        };
        let Some((_, category)) = categories.iter().find(|(id, _)| *id == p.category_id) else {
            tracing::error!(product = p.id, "product without a category is not listed");
            continue;
        };
        let from = sizes.iter().map(|v| v.price).min().unwrap_or_default();
        let occasion_ids = occasions_of.get(&p.id).cloned().unwrap_or_default();
        cards.push((
            p.category_id,
            occasion_ids.clone(),
            ProductCard {
                slug: p.slug.clone(),
                name: name(p),
                image: image(p),
                from_price: from,
                has_several_prices: sizes.iter().any(|v| v.price != from),
            },
        ));
        let mut addons = Vec::new();
        for addon_id in addons_of.get(&p.id).map(Vec::as_slice).unwrap_or_default() {
            // Inactive add-ons and add-ons without a price are not offered.
            let (Some(addon), Some(price)) = (by_id.get(addon_id), variants.get(addon_id)) else {
                continue;
            };
            addons.push((
                addon.position,
                Addon {
                    slug: addon.slug.clone(),
                    name: name(addon),
                    image: image(addon),
                    price: price[0].price,
                    vat_rate: vat_rate(addon)?,
                },
            ));
        }
        addons.sort_by_key(|(position, _)| *position);
        sizes.sort_by_key(|v| (v.size, v.price));
        details.insert(
            p.slug.clone(),
            ProductDetail {
                slug: p.slug.clone(),
                name: name(p),
                description: Localized::or_dutch(&p.description_nl, &p.description_en),
                image: image(p),
                vat_rate: vat_rate(p)?,
                lead_time_days: p.lead_time_days,
                is_addon: p.is_addon,
                category: category.clone(),
                variants: sizes,
                addons: addons.into_iter().map(|(_, a)| a).collect(),
                occasions: occasions
                    .iter()
                    .filter(|(id, _)| occasion_ids.contains(id))
                    .map(|(_, o)| o.clone())
                    .collect(),
            },
        );
    }
    // Category order first, then product order (the sort is stable).
    cards.sort_by_key(|(category_id, _, _)| {
        categories
            .iter()
            .position(|(id, _)| id == category_id)
            .unwrap_or(usize::MAX)
    });
    Ok(Snapshot {
        categories,
        occasions,
        cards,
        details,
    })
}

impl Snapshot {
    /// The shop front: every listed product, optionally narrowed to a category and/or an
    /// occasion (by slug). An unknown slug is a 404, not an empty page.
    /// (The listing borrows from the snapshot: a shop front of dozens of products is shown
    /// without copying them for every request.)
    pub fn listing(
        &self,
        category_slug: Option<&str>,
        occasion_slug: Option<&str>,
    ) -> Result<Listing<'_>, AppError> {
        let category = category_slug
            .map(|slug| self.categories.iter().find(|(_, c)| c.slug == slug))
            .map(|found| found.ok_or(AppError::NotFound))
            .transpose()?;
        let occasion = occasion_slug
            .map(|slug| self.occasions.iter().find(|(_, o)| o.slug == slug))
            .map(|found| found.ok_or(AppError::NotFound))
            .transpose()?;
        let products = self
            .cards
            .iter()
            .filter(|(category_id, _, _)| category.is_none_or(|(id, _)| id == category_id))
            .filter(|(_, occasion_ids, _)| occasion.is_none_or(|(id, _)| occasion_ids.contains(id)))
            .map(|(_, _, card)| card)
            .collect();
        Ok(Listing {
            categories: self.categories.iter().map(|(_, c)| c).collect(),
            occasions: self.occasions.iter().map(|(_, o)| o).collect(),
            category: category.map(|(_, c)| c),
            occasion: occasion.map(|(_, o)| o),
            products,
        })
    }

    /// Every product on sale as `(slug, name)`, in shop order: the back office's choices.
    pub fn names(&self, lang: crate::i18n::Lang) -> Vec<(String, String)> {
        self.cards
            .iter()
            .map(|(_, _, card)| (card.slug.clone(), card.name.get(lang).to_owned()))
            .collect()
    }

    /// Every add-on some product on sale offers, as `(slug, "name (price)")` in shop order: the
    /// back office's choices when it enters lines by hand.
    pub fn addon_names(&self, lang: crate::i18n::Lang) -> Vec<(String, String)> {
        let mut seen = std::collections::HashSet::new();
        self.cards
            .iter()
            .filter_map(|(_, _, card)| self.details.get(&card.slug))
            .flat_map(|detail| &detail.addons)
            .filter(|addon| seen.insert(addon.slug.as_str()))
            .map(|addon| {
                let label = format!("{} ({})", addon.name.get(lang), addon.price.display(lang));
                (addon.slug.clone(), label)
            })
            .collect()
    }

    /// The product page. Inactive products and products without variants are not for sale: 404.
    pub fn product(&self, slug: &str) -> Result<ProductDetail, AppError> {
        self.details.get(slug).cloned().ok_or(AppError::NotFound)
    }
}

fn name(row: &ProductRow) -> Localized {
    Localized::or_dutch(&row.name_nl, &row.name_en)
}

/// The product's photo, or its illustration when it has none (or the stored photo cannot be
/// read, which is logged rather than breaking the shop front).
pub fn image(row: &ProductRow) -> ProductImage {
    let photo = row.photo.as_deref().and_then(|stored| {
        let photo = Photo::parse(stored);
        if photo.is_none() {
            tracing::error!(product = row.id, "product photo reference unreadable");
        }
        photo
    });
    ProductImage {
        illustration: row.image.clone(),
        photo,
    }
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

fn variant(row: &VariantRow) -> Result<Variant, AppError> {
    let size = Size::parse(&row.size)
        .ok_or_else(|| AppError::internal(format!("variant {} has size {:?}", row.id, row.size)))?;
    Ok(Variant {
        size,
        price: Money::from_cents(row.price_cents),
        description: Localized::or_dutch(&row.description_nl, &row.description_en),
    })
}

fn vat_rate(row: &ProductRow) -> Result<VatRate, AppError> {
    VatRate::parse(&row.vat_rate).ok_or_else(|| {
        AppError::internal(format!(
            "product {} has VAT class {:?}",
            row.id, row.vat_rate
        ))
    })
}
