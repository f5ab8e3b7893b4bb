//! Catalogue queries. Every function takes `&mut DbConn` so use cases can compose them inside
//! one transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    categories, occasions, product_addons, product_occasions, product_variants, products,
};

/// A `categories` row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub id: i64,
    pub slug: String,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub position: i32,
}

/// A new `categories` row.
#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub name_nl: &'a str,
    pub name_en: &'a str,
    pub description_nl: &'a str,
    pub description_en: &'a str,
    pub position: i32,
}

/// An `occasions` row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = occasions)]
pub struct OccasionRow {
    pub id: i64,
    pub slug: String,
    pub name_nl: String,
    pub name_en: String,
    pub position: i32,
}

/// A new `occasions` row.
#[derive(Debug, Insertable)]
#[diesel(table_name = occasions)]
pub struct NewOccasion<'a> {
    pub slug: &'a str,
    pub name_nl: &'a str,
    pub name_en: &'a str,
    pub position: i32,
}

/// A `products` row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ProductRow {
    pub id: i64,
    pub slug: String,
    pub category_id: i64,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub vat_rate: String,
    pub lead_time_days: i32,
    pub active: bool,
    pub is_addon: bool,
    pub image: String,
    pub position: i32,
    pub photo: Option<String>,
}

/// A new `products` row.
#[derive(Debug, Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct<'a> {
    pub slug: &'a str,
    pub category_id: i64,
    pub name_nl: &'a str,
    pub name_en: &'a str,
    pub description_nl: &'a str,
    pub description_en: &'a str,
    pub vat_rate: &'a str,
    pub lead_time_days: i32,
    pub active: bool,
    pub is_addon: bool,
    pub image: &'a str,
    pub position: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A `product_variants` row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_variants)]
pub struct VariantRow {
    pub id: i64,
    pub product_id: i64,
    pub size: String,
    pub price_cents: i64,
    pub description_nl: String,
    pub description_en: String,
    pub active: bool,
}

/// A new `product_variants` row.
#[derive(Debug, Insertable)]
#[diesel(table_name = product_variants)]
pub struct NewVariant<'a> {
    pub product_id: i64,
    pub size: &'a str,
    pub price_cents: i64,
    pub description_nl: &'a str,
    pub description_en: &'a str,
    pub active: bool,
}

/// All categories in display order.
pub fn all_categories(conn: &mut DbConn) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .order((categories::position, categories::id))
        .select(CategoryRow::as_select())
        .load(conn)
}

/// All occasions in display order.
pub fn all_occasions(conn: &mut DbConn) -> QueryResult<Vec<OccasionRow>> {
    occasions::table
        .order((occasions::position, occasions::id))
        .select(OccasionRow::as_select())
        .load(conn)
}

/// The category with this slug.
pub fn category_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<CategoryRow>> {
    categories::table
        .filter(categories::slug.eq(slug))
        .select(CategoryRow::as_select())
        .first(conn)
        .optional()
}

/// The occasion with this slug.
pub fn occasion_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<OccasionRow>> {
    occasions::table
        .filter(occasions::slug.eq(slug))
        .select(OccasionRow::as_select())
        .first(conn)
        .optional()
}

/// Every active product, in product order.
pub fn active_products(conn: &mut DbConn) -> QueryResult<Vec<ProductRow>> {
    products::table
        .filter(products::active.eq(true))
        .order((products::position, products::id))
        .select(ProductRow::as_select())
        .load(conn)
}

/// The sizes on sale of every active product, cheapest first.
pub fn active_variants(conn: &mut DbConn) -> QueryResult<Vec<VariantRow>> {
    product_variants::table
        .inner_join(products::table)
        .filter(products::active.eq(true))
        .filter(product_variants::active.eq(true))
        .order((product_variants::price_cents, product_variants::id))
        .select(VariantRow::as_select())
        .load(conn)
}

/// Every `(product, add-on)` link.
pub fn addon_links(conn: &mut DbConn) -> QueryResult<Vec<(i64, i64)>> {
    product_addons::table
        .select((product_addons::product_id, product_addons::addon_id))
        .load(conn)
}

/// Every `(product, occasion)` link.
pub fn occasion_links(conn: &mut DbConn) -> QueryResult<Vec<(i64, i64)>> {
    product_occasions::table
        .select((
            product_occasions::product_id,
            product_occasions::occasion_id,
        ))
        .load(conn)
}

/// How many products exist (active or not).
pub fn product_count(conn: &mut DbConn) -> QueryResult<i64> {
    products::table.count().get_result(conn)
}

/// Inserts a category and returns its id.
pub fn insert_category(conn: &mut DbConn, row: &NewCategory<'_>) -> QueryResult<i64> {
    diesel::insert_into(categories::table)
        .values(row)
        .returning(categories::id)
        .get_result(conn)
}

/// Inserts an occasion and returns its id.
pub fn insert_occasion(conn: &mut DbConn, row: &NewOccasion<'_>) -> QueryResult<i64> {
    diesel::insert_into(occasions::table)
        .values(row)
        .returning(occasions::id)
        .get_result(conn)
}

/// Inserts a product and returns its id.
pub fn insert_product(conn: &mut DbConn, row: &NewProduct<'_>) -> QueryResult<i64> {
    diesel::insert_into(products::table)
        .values(row)
        .returning(products::id)
        .get_result(conn)
}

/// Inserts a variant.
pub fn insert_variant(conn: &mut DbConn, row: &NewVariant<'_>) -> QueryResult<()> {
    diesel::insert_into(product_variants::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Marks a product as suiting an occasion.
pub fn link_occasion(conn: &mut DbConn, product_id: i64, occasion_id: i64) -> QueryResult<()> {
    diesel::insert_into(product_occasions::table)
        .values((
            product_occasions::product_id.eq(product_id),
            product_occasions::occasion_id.eq(occasion_id),
        ))
        .execute(conn)
        .map(drop)
}

/// Offers an add-on with a product.
pub fn link_addon(conn: &mut DbConn, product_id: i64, addon_id: i64) -> QueryResult<()> {
    diesel::insert_into(product_addons::table)
        .values((
            product_addons::product_id.eq(product_id),
            product_addons::addon_id.eq(addon_id),
        ))
        .execute(conn)
        .map(drop)
}

/// Ids of products by slug (for linking add-ons while seeding).
pub fn product_id_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Option<i64>> {
    products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first(conn)
        .optional()
}
