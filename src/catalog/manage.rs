//! Catalogue management: the queries that read a product for the back office's form and store
//! a checked [`ProductDraft`], and the line the change log keeps about it. Placed orders keep
//! the names and prices they were placed with (order lines hold copies), so nothing here
//! touches them.

use chrono::Utc;
use diesel::prelude::*;

use super::model::{Localized, Size, VatRate};
use super::product_form::{Choices, ProductDraft, SIZES, VariantDraft};
use super::repo::{self, NewProduct, NewVariant, ProductRow, VariantRow};
use crate::db::DbConn;
use crate::db::schema::{product_addons, product_occasions, product_variants, products};
use crate::i18n::Lang;
use crate::money::Money;

/// Everything the form chooses from.
pub fn choices(conn: &mut DbConn, except: Option<i64>) -> QueryResult<Choices> {
    let addons = products::table
        .filter(products::is_addon.eq(true))
        .order((products::position, products::id))
        .select((products::id, products::name_nl))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .filter(|(id, _)| Some(*id) != except)
        .collect();
    Ok(Choices {
        categories: repo::all_categories(conn)?,
        occasions: repo::all_occasions(conn)?,
        addons,
        illustrations: crate::web::assets::files_under("img/products/"),
    })
}

/// Every product, on sale or not, in shop order, with its sizes (for the back office's list).
pub fn all_products(conn: &mut DbConn) -> QueryResult<Vec<(ProductRow, Vec<VariantRow>)>> {
    let rows = products::table
        .order((products::is_addon, products::position, products::id))
        .select(ProductRow::as_select())
        .load(conn)?;
    let mut variants: Vec<VariantRow> = product_variants::table
        .order(product_variants::id)
        .select(VariantRow::as_select())
        .load(conn)?;
    variants.sort_by_key(|v| Size::parse(&v.size));
    Ok(rows
        .into_iter()
        .map(|p| {
            let own = variants
                .iter()
                .filter(|v| v.product_id == p.id)
                .cloned()
                .collect();
            (p, own)
        })
        .collect())
}

/// A stored product as a draft (what the form shows, and what a change is compared with).
pub fn stored(conn: &mut DbConn, id: i64) -> QueryResult<Option<(ProductRow, ProductDraft)>> {
    let Some(row) = products::table
        .find(id)
        .select(ProductRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let mut variants: Vec<VariantRow> = product_variants::table
        .filter(product_variants::product_id.eq(id))
        .select(VariantRow::as_select())
        .load(conn)?;
    variants.sort_by_key(|v| Size::parse(&v.size));
    let occasions = product_occasions::table
        .filter(product_occasions::product_id.eq(id))
        .select(product_occasions::occasion_id)
        .load::<i64>(conn)?;
    let addons = product_addons::table
        .filter(product_addons::product_id.eq(id))
        .select(product_addons::addon_id)
        .load::<i64>(conn)?;
    let draft = ProductDraft {
        slug: row.slug.clone(),
        category_id: row.category_id,
        name: Localized {
            nl: row.name_nl.clone(),
            en: row.name_en.clone(),
        },
        description: Localized {
            nl: row.description_nl.clone(),
            en: row.description_en.clone(),
        },
        vat_rate: VatRate::parse(&row.vat_rate).unwrap_or(VatRate::Standard),
        lead_time_days: row.lead_time_days,
        position: row.position,
        active: row.active,
        is_addon: row.is_addon,
        illustration: row.image.clone(),
        occasions: occasions.into_iter().collect(),
        addons: addons.into_iter().collect(),
        variants: variants
            .iter()
            .filter_map(|v| {
                Some(VariantDraft {
                    size: Size::parse(&v.size)?,
                    price: Some(Money::from_cents(v.price_cents)),
                    description: Localized {
                        nl: v.description_nl.clone(),
                        en: v.description_en.clone(),
                    },
                    active: v.active,
                })
            })
            .collect(),
    };
    Ok(Some((row, draft)))
}

/// The position after the last product.
pub fn next_position(conn: &mut DbConn) -> QueryResult<i32> {
    let last: Option<i32> = products::table
        .select(diesel::dsl::max(products::position))
        .first(conn)?;
    Ok(last.map_or(0, |p| p.saturating_add(1)))
}

/// Whether another product already has this URL name.
pub fn slug_taken(conn: &mut DbConn, slug: &str) -> QueryResult<bool> {
    repo::product_id_by_slug(conn, slug).map(|found| found.is_some())
}

/// Stores a draft: a new product (`id` `None`) or a change to one. Sizes no longer typed keep
/// their last price but go off sale.
pub fn write(conn: &mut DbConn, id: Option<i64>, draft: &ProductDraft) -> QueryResult<i64> {
    let now = Utc::now().naive_utc();
    let id = match id {
        None => repo::insert_product(
            conn,
            &NewProduct {
                slug: &draft.slug,
                category_id: draft.category_id,
                name_nl: &draft.name.nl,
                name_en: &draft.name.en,
                description_nl: &draft.description.nl,
                description_en: &draft.description.en,
                vat_rate: draft.vat_rate.as_str(),
                lead_time_days: draft.lead_time_days,
                active: draft.active,
                is_addon: draft.is_addon,
                image: &draft.illustration,
                position: draft.position,
                created_at: now,
                updated_at: now,
            },
        )?,
        Some(id) => {
            diesel::update(products::table.find(id))
                .set((
                    products::category_id.eq(draft.category_id),
                    products::name_nl.eq(&draft.name.nl),
                    products::name_en.eq(&draft.name.en),
                    products::description_nl.eq(&draft.description.nl),
                    products::description_en.eq(&draft.description.en),
                    products::vat_rate.eq(draft.vat_rate.as_str()),
                    products::lead_time_days.eq(draft.lead_time_days),
                    products::active.eq(draft.active),
                    products::is_addon.eq(draft.is_addon),
                    products::image.eq(&draft.illustration),
                    products::position.eq(draft.position),
                    products::updated_at.eq(now),
                ))
                .execute(conn)?;
            id
        }
    };
    write_variants(conn, id, &draft.variants)?;
    diesel::delete(product_occasions::table.filter(product_occasions::product_id.eq(id)))
        .execute(conn)?;
    for occasion in &draft.occasions {
        repo::link_occasion(conn, id, *occasion)?;
    }
    diesel::delete(product_addons::table.filter(product_addons::product_id.eq(id)))
        .execute(conn)?;
    for addon in &draft.addons {
        repo::link_addon(conn, id, *addon)?;
    }
    Ok(id)
}

fn write_variants(conn: &mut DbConn, id: i64, variants: &[VariantDraft]) -> QueryResult<()> {
    let existing: Vec<String> = product_variants::table
        .filter(product_variants::product_id.eq(id))
        .select(product_variants::size)
        .load(conn)?;
    for size in SIZES {
        let draft = variants.iter().find(|v| v.size == size);
        let exists = existing.iter().any(|s| s == size.as_str());
        let row = product_variants::table
            .filter(product_variants::product_id.eq(id))
            .filter(product_variants::size.eq(size.as_str()));
        match (draft, exists) {
            (Some(v), true) => {
                diesel::update(row)
                    .set((
                        product_variants::description_nl.eq(&v.description.nl),
                        product_variants::description_en.eq(&v.description.en),
                        product_variants::active.eq(v.active),
                    ))
                    .execute(conn)?;
                if let Some(price) = v.price {
                    diesel::update(row)
                        .set(product_variants::price_cents.eq(price.cents()))
                        .execute(conn)?;
                }
            }
            (Some(v), false) => {
                if let Some(price) = v.price {
                    repo::insert_variant(
                        conn,
                        &NewVariant {
                            product_id: id,
                            size: size.as_str(),
                            price_cents: price.cents(),
                            description_nl: &v.description.nl,
                            description_en: &v.description.en,
                            active: v.active,
                        },
                    )?;
                }
            }
            (None, true) => {
                diesel::update(row)
                    .set(product_variants::active.eq(false))
                    .execute(conn)?;
            }
            (None, false) => {}
        }
    }
    Ok(())
}

/// What changed, in a line for the change log (`None`: nothing did).
pub fn describe_change(before: Option<&ProductDraft>, after: &ProductDraft) -> Option<String> {
    let euros =
        |m: Option<Money>| m.map_or_else(|| "—".to_owned(), |m| format!("€ {}", m.plain(Lang::Nl)));
    let Some(before) = before else {
        let sizes: Vec<String> = after
            .variants
            .iter()
            .filter(|v| v.active)
            .map(|v| format!("{} {}", v.size.as_str(), euros(v.price)))
            .collect();
        return Some(format!("added: {} ({})", after.name.nl, sizes.join(", ")));
    };
    let mut parts = Vec::new();
    let mut note = |changed: bool, what: String| {
        if changed {
            parts.push(what);
        }
    };
    note(
        before.name != after.name,
        format!("name: {} → {}", before.name.nl, after.name.nl),
    );
    note(
        before.description != after.description,
        "description".into(),
    );
    note(before.category_id != after.category_id, "category".into());
    note(
        before.vat_rate != after.vat_rate,
        format!("VAT {}%", after.vat_rate.percent()),
    );
    note(
        before.lead_time_days != after.lead_time_days,
        format!("lead time {} d", after.lead_time_days),
    );
    note(
        before.position != after.position,
        format!("position {}", after.position),
    );
    note(
        before.active != after.active,
        (if after.active { "on sale" } else { "off sale" }).into(),
    );
    note(
        before.is_addon != after.is_addon,
        (if after.is_addon {
            "add-on"
        } else {
            "not an add-on"
        })
        .into(),
    );
    note(
        before.illustration != after.illustration,
        "illustration".into(),
    );
    note(before.occasions != after.occasions, "occasions".into());
    note(before.addons != after.addons, "add-ons".into());
    for size in SIZES {
        let old = before.variants.iter().find(|v| v.size == size);
        let new = after.variants.iter().find(|v| v.size == size);
        let price = |v: Option<&VariantDraft>| v.and_then(|v| v.price);
        let on = |v: Option<&VariantDraft>| v.is_some_and(|v| v.active);
        let name = size.as_str();
        if price(new).is_some() && price(old) != price(new) {
            note(
                true,
                format!("{name} {} → {}", euros(price(old)), euros(price(new))),
            );
        }
        if on(old) != on(new) {
            note(
                true,
                format!("{name} {}", if on(new) { "on sale" } else { "off sale" }),
            );
        }
        let text = |v: Option<&VariantDraft>| v.map(|v| v.description.clone());
        if new.is_some() && text(old) != text(new) {
            note(true, format!("{name} description"));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn draft() -> ProductDraft {
        ProductDraft {
            slug: "tulpen".into(),
            category_id: 1,
            name: Localized::or_dutch("Tulpen", ""),
            description: Localized::or_dutch("Vers", ""),
            vat_rate: VatRate::Reduced,
            lead_time_days: 0,
            position: 1,
            active: true,
            is_addon: false,
            illustration: "img/products/hollandse-tulpen.svg".into(),
            occasions: BTreeSet::new(),
            addons: BTreeSet::new(),
            variants: vec![VariantDraft {
                size: Size::M,
                price: Some(Money::from_cents(2995)),
                description: Localized::or_dutch("20 tulpen", ""),
                active: true,
            }],
        }
    }

    #[test]
    fn the_change_log_line_names_what_changed_with_old_and_new_prices() {
        let before = draft();
        assert_eq!(describe_change(Some(&before), &before), None);
        let mut after = draft();
        after.variants[0].price = Some(Money::from_cents(3495));
        after.active = false;
        assert_eq!(
            describe_change(Some(&before), &after).unwrap(),
            "off sale; M € 29,95 → € 34,95"
        );
        assert_eq!(
            describe_change(None, &before).unwrap(),
            "added: Tulpen (M € 29,95)"
        );
    }
}
