//! An account's past orders: one order's page and ordering it again. The account (and, for a
//! company admin, the company) decides which orders are visible; another number is a 404.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::cart::CartLine;
use super::pages::{OrderLineItem, OrderPage};
use super::repo;
use super::routes::{load_cart, save_cart};
use crate::accounts::auth::Customer;
use crate::accounts::pages::HistoryItem;
use crate::business::repo::visible_order;
use crate::error::AppError;
use crate::money::Money;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, see_other};

/// `GET /account/bestellingen/{number}`: one order of the account.
pub async fn order(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
    number: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (owner, number) = (customer.id, number.into_inner());
    let (row, lines) = state
        .db
        .run(move |conn| {
            let row = visible_order(conn, owner, &number)?.ok_or(AppError::NotFound)?;
            let lines = repo::lines_of(conn, row.id)?;
            Ok((row, lines))
        })
        .await?;
    let lang = ctx.lang;
    let lines = lines
        .into_iter()
        .map(|(line, addons)| OrderLineItem {
            name: lang.pick(line.product_name_nl, line.product_name_en),
            size: crate::catalog::model::Size::parse(&line.size)
                .map(|s| lang.t(s.label_key()).into_owned())
                .unwrap_or(line.size),
            quantity: line.quantity,
            total: Money::from_cents(line.line_total_cents),
            addons: addons
                .into_iter()
                .map(|a| lang.pick(a.name_nl, a.name_en))
                .collect(),
        })
        .collect();
    page(&OrderPage {
        order: HistoryItem::from_row(&ctx, &row),
        status_path: format!("/bestelling/{}", row.status_token),
        ctx,
        lines,
    })
}

/// `POST /account/bestellingen/{number}/opnieuw`: puts the order's items in the cart again
/// (what is no longer sold is left out when the cart is priced).
pub async fn reorder(
    state: web::Data<AppState>,
    session: Session,
    customer: Customer,
    number: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (owner, number) = (customer.id, number.into_inner());
    let lines = state
        .db
        .run(move |conn| {
            let row = visible_order(conn, owner, &number)?.ok_or(AppError::NotFound)?;
            Ok(repo::reorder_lines(conn, row.id)?)
        })
        .await?;
    let mut cart = load_cart(&session);
    for (product, size, quantity, addons) in lines {
        // A full cart keeps what fits; the customer sees the cart either way.
        let _ = cart.add(CartLine {
            product,
            size,
            addons,
            quantity: u32::try_from(quantity).unwrap_or(1),
        });
    }
    save_cart(&session, &cart)?;
    flash::set(&session, FlashKind::Success, "account-reordered");
    Ok(see_other("/winkelwagen"))
}
