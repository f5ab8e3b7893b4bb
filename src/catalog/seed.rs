//! The demo catalogue (`demo_catalogue.toml`, compiled into the binary) and the demo delivery
//! zones: loaded into an empty database on first start and by `bloei seed-demo`, which adds whatever is missing by slug and
//! leaves existing rows alone, so running it twice changes nothing.

use serde::Deserialize;

use super::model::{Size, VatRate};
use super::repo::{self, NewCategory, NewOccasion, NewProduct, NewVariant};
use crate::db::DbConn;

const DEMO_CATALOGUE: &str = include_str!("demo_catalogue.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    category: Vec<CategorySeed>,
    occasion: Vec<OccasionSeed>,
    product: Vec<ProductSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CategorySeed {
    slug: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OccasionSeed {
    slug: String,
    name_nl: String,
    name_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductSeed {
    slug: String,
    category: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
    vat: String,
    lead_time_days: i32,
    active: bool,
    is_addon: bool,
    image: String,
    occasions: Vec<String>,
    addons: Vec<String>,
    variants: Vec<VariantSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantSeed {
    size: String,
    price_cents: i64,
    #[serde(default)]
    description_nl: String,
    #[serde(default)]
    description_en: String,
}

/// What a seeding run added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Categories added.
    pub categories: usize,
    /// Occasions added.
    pub occasions: usize,
    /// Products added.
    pub products: usize,
}

fn parse() -> Result<Catalogue, String> {
    toml::from_str(DEMO_CATALOGUE).map_err(|e| format!("the demo catalogue is invalid: {e}"))
}

/// Number of products in the demo catalogue.
pub fn demo_product_count() -> usize {
    parse().map(|c| c.product.len()).unwrap_or(0)
}

/// Adds every demo category, occasion and product whose slug is not yet in the database, in one
/// write transaction. Products that exist are not touched (a florist's edits survive).
/// `also` seeds what else the demo shop needs (its delivery zones and calendar), in the same
/// transaction.
pub fn seed_demo(conn: &mut DbConn, also: AlsoSeed) -> Result<SeedReport, String> {
    seed(conn, false, also).map(Option::unwrap_or_default)
}

/// What else a demo shop needs, seeded in the catalogue's transaction (the catalogue knows no
/// other capability, so startup hands it over).
pub type AlsoSeed = fn(&mut DbConn) -> diesel::QueryResult<()>;

/// Seeds the demo catalogue only in a brand-new shop: one with no products that was never
/// seeded before. A florist who removes the demo products does not get them back at restart.
pub fn seed_if_empty(conn: &mut DbConn, also: AlsoSeed) -> Result<Option<SeedReport>, String> {
    seed(conn, true, also)
}

/// The `app_meta` key recording when the demo catalogue was loaded.
const SEEDED_KEY: &str = "demo_catalogue_loaded_at";

fn seed(
    conn: &mut DbConn,
    only_if_new: bool,
    also: AlsoSeed,
) -> Result<Option<SeedReport>, String> {
    let catalogue = parse()?;
    crate::db::with_startup_lock(conn, |conn| {
        conn.write_tx(|conn| {
            if only_if_new
                && (crate::db::meta(conn, SEEDED_KEY)?.is_some() || repo::product_count(conn)? > 0)
            {
                return Ok(None);
            }
            let report = insert_missing(conn, &catalogue)?;
            also(conn)?;
            crate::db::set_meta(conn, SEEDED_KEY, &crate::db::now().to_string())?;
            Ok(Some(report))
        })
        .map_err(|e: SeedError| e.0)
    })
}

struct SeedError(String);

impl From<diesel::result::Error> for SeedError {
    fn from(e: diesel::result::Error) -> Self {
        SeedError(format!("seeding failed: {e}"))
    }
}

fn insert_missing(conn: &mut DbConn, catalogue: &Catalogue) -> Result<SeedReport, SeedError> {
    let mut report = SeedReport::default();
    let now = crate::db::now();

    for (position, c) in catalogue.category.iter().enumerate() {
        if repo::category_by_slug(conn, &c.slug)?.is_none() {
            repo::insert_category(
                conn,
                &NewCategory {
                    slug: &c.slug,
                    name_nl: &c.name_nl,
                    name_en: &c.name_en,
                    description_nl: &c.description_nl,
                    description_en: &c.description_en,
                    position: position as i32,
                },
            )?;
            report.categories += 1;
        }
    }
    for (position, o) in catalogue.occasion.iter().enumerate() {
        if repo::occasion_by_slug(conn, &o.slug)?.is_none() {
            repo::insert_occasion(
                conn,
                &NewOccasion {
                    slug: &o.slug,
                    name_nl: &o.name_nl,
                    name_en: &o.name_en,
                    position: position as i32,
                },
            )?;
            report.occasions += 1;
        }
    }

    let mut added = Vec::new();
    for (position, p) in catalogue.product.iter().enumerate() {
        if repo::product_id_by_slug(conn, &p.slug)?.is_some() {
            continue;
        }
        let vat = VatRate::parse(&p.vat)
            .ok_or_else(|| SeedError(format!("{}: unknown VAT class {:?}", p.slug, p.vat)))?;
        let category = repo::category_by_slug(conn, &p.category)?
            .ok_or_else(|| SeedError(format!("{}: unknown category {:?}", p.slug, p.category)))?;
        let id = repo::insert_product(
            conn,
            &NewProduct {
                slug: &p.slug,
                category_id: category.id,
                name_nl: &p.name_nl,
                name_en: &p.name_en,
                description_nl: &p.description_nl,
                description_en: &p.description_en,
                vat_rate: vat.as_str(),
                lead_time_days: p.lead_time_days,
                active: p.active,
                is_addon: p.is_addon,
                image: &p.image,
                position: position as i32,
                created_at: now,
                updated_at: now,
            },
        )?;
        for v in &p.variants {
            let size = Size::parse(&v.size)
                .ok_or_else(|| SeedError(format!("{}: unknown size {:?}", p.slug, v.size)))?;
            repo::insert_variant(
                conn,
                &NewVariant {
                    product_id: id,
                    size: size.as_str(),
                    price_cents: v.price_cents,
                    description_nl: &v.description_nl,
                    description_en: &v.description_en,
                    active: true,
                },
            )?;
        }
        for slug in &p.occasions {
            let occasion = repo::occasion_by_slug(conn, slug)?
                .ok_or_else(|| SeedError(format!("{}: unknown occasion {slug:?}", p.slug)))?;
            repo::link_occasion(conn, id, occasion.id)?;
        }
        added.push((id, p));
        report.products += 1;
    }
    // Add-ons are linked once every product exists, since they refer to each other by slug.
    for (id, p) in added {
        for slug in &p.addons {
            let addon = repo::product_id_by_slug(conn, slug)?
                .ok_or_else(|| SeedError(format!("{}: unknown add-on {slug:?}", p.slug)))?;
            repo::link_addon(conn, id, addon)?;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalogue_parses_and_has_at_least_thirty_products() {
        let catalogue = parse().unwrap();
        assert!(catalogue.product.len() >= 30, "{}", catalogue.product.len());
        for p in &catalogue.product {
            assert!(VatRate::parse(&p.vat).is_some(), "{}", p.slug);
            assert!(!p.variants.is_empty(), "{} has no variants", p.slug);
            for v in &p.variants {
                assert!(Size::parse(&v.size).is_some(), "{}", p.slug);
                assert!(v.price_cents > 0, "{}", p.slug);
            }
        }
    }

    #[test]
    fn every_demo_product_has_an_image_in_static() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
        for p in parse().unwrap().product {
            assert!(
                root.join(&p.image).is_file(),
                "{} has no image at {}",
                p.slug,
                p.image
            );
        }
    }
}
