//! PostgreSQL's placement in one statement. On PostgreSQL every statement is a network round
//! trip, and a checkout's six (begin, order, line, payment, the date's place, commit) made the
//! database the bottleneck under load. `bloei_place_order` (migration 000013) does all of it
//! in one call, atomically: the order row as JSON keyed by column name, the lines and add-ons,
//! the payment, and the place on the date, which raises an error when the date is full so
//! nothing is kept. Orders on account keep the general path, which re-checks the company in
//! the same transaction; SQLite keeps it too (a local call costs nothing).

use diesel::prelude::*;
use diesel::result::Error;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use serde_json::{Value, json};

use super::repo::NewOrder;
use super::service::{PlaceError, PlaceOrder, Placed};
use crate::db::DbConn;

/// What the function raises for a full date.
const DATE_FULL: &str = "bloei: delivery date full";

/// Whether this order is placed by the one-statement path.
pub fn applies(conn: &DbConn, req: &PlaceOrder<'_>) -> bool {
    matches!(conn, DbConn::Pg(_)) && !req.buyer.on_account
}

#[derive(QueryableByName)]
struct NewId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

fn failed(e: impl std::fmt::Display) -> PlaceError {
    PlaceError::Failed(crate::error::AppError::internal(e.to_string()))
}

/// Places the order with one call of `bloei_place_order`, outside any open transaction.
pub fn place(
    conn: &mut DbConn,
    req: &PlaceOrder<'_>,
    order: &NewOrder<'_>,
    status_token: String,
) -> Result<Placed, PlaceError> {
    let DbConn::Pg(pg) = conn else {
        return Err(failed("the one-statement placement is for PostgreSQL"));
    };
    let mut lines = Vec::with_capacity(req.cart.lines.len());
    let mut addons = Vec::new();
    for (position, line) in req.cart.lines.iter().enumerate() {
        let position = i32::try_from(position).map_err(failed)?;
        lines.push(json!({
            "position": position,
            "product_slug": line.slug,
            "product_name_nl": line.name.nl,
            "product_name_en": line.name.en,
            "size": line.size.as_str(),
            "quantity": line.quantity,
            "unit_price_cents": line.unit_price.cents(),
            "vat_rate": line.vat_rate.as_str(),
            "line_total_cents": line.total.cents(),
        }));
        for addon in &line.addons {
            addons.push(json!({
                "position": position,
                "addon_slug": addon.slug,
                "name_nl": addon.name.nl,
                "name_en": addon.name.en,
                "price_cents": addon.price.cents(),
                "vat_rate": addon.vat_rate.as_str(),
            }));
        }
    }
    let payment = req.payment.map(|(provider, payment)| {
        json!({
            "provider": provider,
            "provider_payment_id": payment.id,
            "status": "open",
            "amount_cents": req.totals.total.cents(),
            "checkout_url": payment.checkout_url,
            // jsonb_populate_record fills absent keys with NULL, not the column's default.
            "purpose": "order",
            "created_at": order.created_at,
            "updated_at": order.created_at,
        })
        .to_string()
    });
    let capacity = i32::try_from(req.capacity).unwrap_or(i32::MAX);
    let placed = diesel::sql_query(
        "SELECT bloei_place_order($1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb, $5) AS id",
    )
    .bind::<Text, _>(serde_json::to_string(order).map_err(failed)?)
    .bind::<Text, _>(Value::Array(lines).to_string())
    .bind::<Text, _>(Value::Array(addons).to_string())
    .bind::<Nullable<Text>, _>(payment)
    .bind::<Integer, _>(capacity)
    .get_result::<NewId>(pg);
    match placed {
        Ok(NewId { id }) => Ok(Placed {
            id,
            status_token,
            fresh: true,
            payment_url: req.payment.map(|(_, p)| p.checkout_url.clone()),
        }),
        Err(Error::DatabaseError(_, info)) if info.message().contains(DATE_FULL) => {
            Err(PlaceError::DateFull)
        }
        // A checkout token placed before: a unique violation, answered by `place_order`.
        Err(e) => Err(e.into()),
    }
}
