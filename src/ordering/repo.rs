//! Order queries. Every function takes `&mut DbConn` so placement composes them in one
//! transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{order_events, order_line_addons, order_lines, orders, payments};

/// A new order row (serialised by column name for PostgreSQL's one-statement placement).
#[derive(Insertable, serde::Serialize)]
#[diesel(table_name = orders)]
pub struct NewOrder<'a> {
    pub number: &'a str,
    pub status_token: &'a str,
    pub checkout_token: &'a str,
    pub status: &'a str,
    pub lang: &'a str,
    pub fulfilment: &'a str,
    pub delivery_date: NaiveDate,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub sender_phone: Option<&'a str>,
    pub recipient_name: Option<&'a str>,
    pub recipient_street: Option<&'a str>,
    pub recipient_postcode: Option<&'a str>,
    pub recipient_city: Option<&'a str>,
    pub recipient_phone: Option<&'a str>,
    pub card_message: Option<&'a str>,
    pub card_anonymous: bool,
    pub delivery_instructions: Option<&'a str>,
    pub not_home: Option<&'a str>,
    pub zone_name: Option<&'a str>,
    pub goods_cents: i64,
    pub delivery_fee_cents: i64,
    pub total_cents: i64,
    pub vat_reduced_gross_cents: i64,
    pub vat_reduced_cents: i64,
    pub vat_standard_gross_cents: i64,
    pub vat_standard_cents: i64,
    pub payment_expires_at: Option<NaiveDateTime>,
    pub customer_id: Option<i64>,
    pub company_id: Option<i64>,
    pub on_account: bool,
    pub po_number: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An order as the status page shows it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub status_token: String,
    pub status: String,
    pub lang: String,
    pub fulfilment: String,
    pub delivery_date: NaiveDate,
    pub recipient_name: Option<String>,
    pub recipient_city: Option<String>,
    pub card_message: Option<String>,
    pub goods_cents: i64,
    pub delivery_fee_cents: i64,
    pub total_cents: i64,
    pub vat_reduced_gross_cents: i64,
    pub vat_reduced_cents: i64,
    pub vat_standard_gross_cents: i64,
    pub vat_standard_cents: i64,
    pub on_account: bool,
}

/// An order line with its add-ons' names.
#[derive(Queryable, Selectable)]
#[diesel(table_name = order_lines)]
pub struct LineRow {
    pub id: i64,
    pub product_name_nl: String,
    pub product_name_en: String,
    pub size: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
    pub line_total_cents: i64,
}

/// An add-on of an order line.
#[derive(Queryable, Selectable)]
#[diesel(table_name = order_line_addons)]
pub struct AddonRow {
    pub line_id: i64,
    pub name_nl: String,
    pub name_en: String,
    pub price_cents: i64,
}

/// The order placed with this checkout token: `(id, status token)`.
pub fn by_checkout_token(conn: &mut DbConn, token: &str) -> QueryResult<Option<(i64, String)>> {
    orders::table
        .filter(orders::checkout_token.eq(token))
        .select((orders::id, orders::status_token))
        .first(conn)
        .optional()
}

/// The order behind a status-page token.
pub fn by_status_token(conn: &mut DbConn, token: &str) -> QueryResult<Option<OrderRow>> {
    orders::table
        .filter(orders::status_token.eq(token))
        .select(OrderRow::as_select())
        .first(conn)
        .optional()
}

/// The lines of an order with their add-ons, in order.
pub fn lines_of(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<(LineRow, Vec<AddonRow>)>> {
    let lines: Vec<LineRow> = order_lines::table
        .filter(order_lines::order_id.eq(order_id))
        .order(order_lines::position)
        .select(LineRow::as_select())
        .load(conn)?;
    let addons: Vec<AddonRow> = order_line_addons::table
        .inner_join(order_lines::table)
        .filter(order_lines::order_id.eq(order_id))
        .order(order_line_addons::id)
        .select(AddonRow::as_select())
        .load(conn)?;
    Ok(lines
        .into_iter()
        .map(|line| {
            let own = addons
                .iter()
                .filter(|a| a.line_id == line.id)
                .map(|a| AddonRow {
                    line_id: a.line_id,
                    name_nl: a.name_nl.clone(),
                    name_en: a.name_en.clone(),
                    price_cents: a.price_cents,
                });
            let own = own.collect();
            (line, own)
        })
        .collect())
}

/// Inserts an order and returns its id.
pub fn insert_order(conn: &mut DbConn, order: &NewOrder<'_>) -> QueryResult<i64> {
    diesel::insert_into(orders::table)
        .values(order)
        .returning(orders::id)
        .get_result(conn)
}

/// Inserts an order line and returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_line(
    conn: &mut DbConn,
    order_id: i64,
    position: i32,
    slug: &str,
    name: (&str, &str),
    size: &str,
    quantity: i32,
    unit_price_cents: i64,
    vat_rate: &str,
    line_total_cents: i64,
) -> QueryResult<i64> {
    diesel::insert_into(order_lines::table)
        .values((
            order_lines::order_id.eq(order_id),
            order_lines::position.eq(position),
            order_lines::product_slug.eq(slug),
            order_lines::product_name_nl.eq(name.0),
            order_lines::product_name_en.eq(name.1),
            order_lines::size.eq(size),
            order_lines::quantity.eq(quantity),
            order_lines::unit_price_cents.eq(unit_price_cents),
            order_lines::vat_rate.eq(vat_rate),
            order_lines::line_total_cents.eq(line_total_cents),
        ))
        .returning(order_lines::id)
        .get_result(conn)
}

/// Inserts a priced cart line with its add-ons at `position`; returns the line's id.
pub fn insert_priced_line(
    conn: &mut DbConn,
    order_id: i64,
    position: i32,
    line: &super::cart::PricedLine,
) -> QueryResult<i64> {
    let line_id = insert_line(
        conn,
        order_id,
        position,
        &line.slug,
        (&line.name.nl, &line.name.en),
        line.size.as_str(),
        i32::try_from(line.quantity).unwrap_or(i32::MAX),
        line.unit_price.cents(),
        line.vat_rate.as_str(),
        line.total.cents(),
    )?;
    for addon in &line.addons {
        let name = (addon.name.nl.as_str(), addon.name.en.as_str());
        let (price, rate) = (addon.price.cents(), addon.vat_rate.as_str());
        insert_line_addon(conn, line_id, &addon.slug, name, price, rate)?;
    }
    Ok(line_id)
}

/// Inserts an add-on of an order line.
pub fn insert_line_addon(
    conn: &mut DbConn,
    line_id: i64,
    slug: &str,
    name: (&str, &str),
    price_cents: i64,
    vat_rate: &str,
) -> QueryResult<()> {
    diesel::insert_into(order_line_addons::table)
        .values((
            order_line_addons::line_id.eq(line_id),
            order_line_addons::addon_slug.eq(slug),
            order_line_addons::name_nl.eq(name.0),
            order_line_addons::name_en.eq(name.1),
            order_line_addons::price_cents.eq(price_cents),
            order_line_addons::vat_rate.eq(vat_rate),
        ))
        .execute(conn)
        .map(drop)
}

/// Sets an order's status only if it still has `from`; false when it moved on meanwhile.
pub fn set_status_if(conn: &mut DbConn, order_id: i64, from: &str, to: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        orders::table
            .filter(orders::id.eq(order_id))
            .filter(orders::status.eq(from)),
    )
    .set((
        orders::status.eq(to),
        orders::updated_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Orders still awaiting payment whose payment time ended before `now`.
pub fn unpaid_before(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    orders::table
        .filter(orders::status.eq("awaiting_payment"))
        .filter(orders::payment_expires_at.lt(now))
        .select(orders::id)
        .load(conn)
}

/// Expires an order if it still awaits payment (its open payments too); returns its delivery
/// date when it did.
pub fn expire_if_unpaid(conn: &mut DbConn, order_id: i64) -> QueryResult<Option<NaiveDate>> {
    let changed = diesel::update(
        orders::table
            .filter(orders::id.eq(order_id))
            .filter(orders::status.eq("awaiting_payment")),
    )
    .set((
        orders::status.eq("expired"),
        orders::updated_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    diesel::update(
        payments::table
            .filter(payments::order_id.eq(order_id))
            .filter(payments::status.eq("open")),
    )
    .set(payments::status.eq("expired"))
    .execute(conn)?;
    orders::table
        .find(order_id)
        .select(orders::delivery_date)
        .first(conn)
        .optional()
}

/// Locks an order's row until the end of the transaction (PostgreSQL; SQLite's write
/// transactions exclude each other already), so use cases touching the order and its payments
/// take their locks in one order.
pub fn lock(conn: &mut DbConn, order_id: i64) -> QueryResult<()> {
    diesel::update(orders::table.find(order_id))
        .set(orders::updated_at.eq(orders::updated_at))
        .execute(conn)
        .map(drop)
}

/// Whether an order is delivered (rather than picked up).
pub fn is_delivery(conn: &mut DbConn, order_id: i64) -> QueryResult<bool> {
    orders::table
        .find(order_id)
        .select(orders::fulfilment)
        .first::<String>(conn)
        .map(|f| f == "delivery")
}

/// What a payment for an order needs: `(total cents, number, language code)`.
pub fn to_pay(conn: &mut DbConn, order_id: i64) -> QueryResult<(i64, String, String)> {
    orders::table
        .find(order_id)
        .select((orders::total_cents, orders::number, orders::lang))
        .first(conn)
}

/// `(status, delivery date, status token)` of an order.
pub fn state_of(conn: &mut DbConn, order_id: i64) -> QueryResult<(String, NaiveDate, String)> {
    orders::table
        .find(order_id)
        .select((orders::status, orders::delivery_date, orders::status_token))
        .first(conn)
}

/// [`state_of`] for an order named in a request: an unknown one is a 404.
pub fn known_state(
    conn: &mut DbConn,
    order_id: i64,
) -> Result<(String, NaiveDate, String), crate::error::AppError> {
    state_of(conn, order_id)
        .optional()?
        .ok_or(crate::error::AppError::NotFound)
}

/// A past order's line as a cart line: product slug, size, quantity and add-on slugs.
pub type ReorderLine = (String, String, i32, Vec<String>);

/// What a past order held, as cart lines.
pub fn reorder_lines(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<ReorderLine>> {
    let lines: Vec<(i64, String, String, i32)> = order_lines::table
        .filter(order_lines::order_id.eq(order_id))
        .order(order_lines::position)
        .select((
            order_lines::id,
            order_lines::product_slug,
            order_lines::size,
            order_lines::quantity,
        ))
        .load(conn)?;
    let ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    let addons: Vec<(i64, String)> = order_line_addons::table
        .filter(order_line_addons::line_id.eq_any(&ids))
        .select((order_line_addons::line_id, order_line_addons::addon_slug))
        .load(conn)?;
    Ok(lines
        .into_iter()
        .map(|(id, slug, size, quantity)| {
            let slugs = addons
                .iter()
                .filter(|(line, _)| *line == id)
                .map(|(_, s)| s.clone())
                .collect();
            (slug, size, quantity, slugs)
        })
        .collect())
}

/// Stores what a change to a confirmed order decided: the recipient and address, the card,
/// the date, and the totals with the new fee.
pub fn update_delivery(
    conn: &mut DbConn,
    order_id: i64,
    checkout: &super::checkout::Checkout,
    totals: &super::pricing::Totals,
) -> QueryResult<()> {
    use super::checkout::Fulfilment;
    use crate::catalog::model::VatRate;
    let vat = |rate: VatRate| {
        totals
            .vat
            .iter()
            .find(|v| v.rate == rate)
            .map_or((0, 0), |v| (v.gross.cents(), v.vat.cents()))
    };
    let (reduced_gross, reduced_vat) = vat(VatRate::Reduced);
    let (standard_gross, standard_vat) = vat(VatRate::Standard);
    let card = checkout
        .card_message
        .as_ref()
        .map(|t| t.as_str().to_owned());
    diesel::update(orders::table.find(order_id))
        .set((
            orders::delivery_date.eq(checkout.date),
            orders::card_message.eq(card),
            orders::card_anonymous.eq(checkout.card_anonymous),
            orders::goods_cents.eq(totals.goods.cents()),
            orders::delivery_fee_cents.eq(totals.delivery_fee.cents()),
            orders::total_cents.eq(totals.total.cents()),
            orders::vat_reduced_gross_cents.eq(reduced_gross),
            orders::vat_reduced_cents.eq(reduced_vat),
            orders::vat_standard_gross_cents.eq(standard_gross),
            orders::vat_standard_cents.eq(standard_vat),
            orders::updated_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    if let Fulfilment::Delivery {
        recipient,
        instructions,
        not_home,
        zone,
        ..
    } = &checkout.fulfilment
    {
        diesel::update(orders::table.find(order_id))
            .set((
                orders::recipient_name.eq(recipient.name.as_str()),
                orders::recipient_street.eq(recipient.street.as_str()),
                orders::recipient_postcode.eq(recipient.postcode.to_string()),
                orders::recipient_city.eq(recipient.city.as_str()),
                orders::recipient_phone.eq(recipient.phone.as_ref().map(|p| p.as_str())),
                orders::delivery_instructions.eq(instructions.as_ref().map(|t| t.as_str())),
                orders::not_home.eq(not_home.as_str()),
                orders::zone_name.eq(zone.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records a status change, with why when staff said (a step undone).
pub fn insert_event(
    conn: &mut DbConn,
    order_id: i64,
    from: &str,
    to: &str,
    staff_id: i64,
    note: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(order_events::table)
        .values((
            order_events::order_id.eq(order_id),
            order_events::from_status.eq(from),
            order_events::to_status.eq(to),
            order_events::staff_id.eq(Some(staff_id)),
            order_events::created_at.eq(crate::db::now()),
            order_events::note.eq(note),
        ))
        .execute(conn)
        .map(drop)
}
