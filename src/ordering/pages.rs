//! Cart page and past-order page templates.

use askama::Template;

use super::cart::{MAX_QUANTITY, PricedCart, PricedLine};
use super::pricing::{self, Totals};
use crate::accounts::pages::HistoryItem;
use crate::error::AppError;
use crate::money::Money;
use crate::web::PageCtx;

/// `GET /winkelwagen`.
#[derive(Template)]
#[template(path = "ordering/cart.html")]
pub struct CartPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The priced lines.
    pub lines: Vec<PricedLine>,
    /// Whether lines were dropped because they can no longer be bought.
    pub dropped: bool,
    /// Totals without delivery (that is chosen at checkout).
    pub totals: Totals,
    /// Highest quantity per line.
    pub max_quantity: u32,
}

impl CartPage {
    /// The page for a priced cart.
    pub fn new(ctx: PageCtx, cart: PricedCart) -> Result<CartPage, AppError> {
        let totals = pricing::totals(&cart.vat_parts(), crate::money::Money::ZERO)
            .map_err(|_| AppError::BadRequest("cart-error-quantity"))?;
        Ok(CartPage {
            ctx,
            dropped: cart.dropped > 0,
            lines: cart.lines,
            totals,
            max_quantity: MAX_QUANTITY,
        })
    }

    /// "btw 9%" / "VAT 9%" for a VAT line.
    pub fn vat_label(&self, line: &pricing::VatLine) -> String {
        self.ctx.t_args(
            "cart-vat-rate",
            &[("rate", line.rate.percent().to_string())],
        )
    }
}

/// A line of a past order.
pub struct OrderLineItem {
    pub name: String,
    pub size: String,
    pub quantity: i32,
    pub total: Money,
    pub addons: Vec<String>,
}

/// `GET /account/bestellingen/{number}`.
#[derive(Template)]
#[template(path = "accounts/order.html")]
pub struct OrderPage {
    pub ctx: PageCtx,
    pub order: HistoryItem,
    pub lines: Vec<OrderLineItem>,
    pub status_path: String,
}
