//! Orders taken by phone: staff type what the customer says, and the order is checked and
//! placed exactly as a web checkout is — the catalogue's prices, checkout's rules, the date's
//! capacity, one `place_order`. How it is paid is agreed on the phone: a payment link mailed to
//! the customer, on account for an approved company's orderer, or paid in the shop.

use serde::Deserialize;

use super::cart::{Cart, CartLine, PricedCart};
use super::checkout::{self, Checkout, CheckoutForm};
use super::pricing::{self, Totals};
use super::service::Buyer;
use crate::catalog::service::Snapshot;
use crate::db::DbConn;
use crate::delivery::service::DeliveryPlan;
use crate::domain::{Email, FieldErrors};
use crate::error::AppError;

/// How many product lines the phone form offers.
pub const LINES: usize = 3;
/// How long a mailed payment link keeps the order's place (a customer reads mail later than a
/// browser returns from a payment page).
pub const LINK_HOURS: i64 = 24;

/// How the customer pays, as agreed on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayBy {
    /// A payment link mailed to the customer; the order is confirmed once paid.
    Link,
    /// On account: the sender orders for an approved company; invoiced monthly.
    Account,
    /// Paid in the shop (cash or card at the counter): confirmed at once.
    Shop,
}

impl PayBy {
    /// Parses the form value.
    pub fn parse(s: &str) -> Option<PayBy> {
        match s {
            "link" => Some(PayBy::Link),
            "account" => Some(PayBy::Account),
            "shop" => Some(PayBy::Shop),
            _ => None,
        }
    }
}

/// The phone form's own fields (the checkout fields are read as a [`CheckoutForm`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct PhoneLines {
    pub product_1: String,
    pub size_1: String,
    pub quantity_1: String,
    pub product_2: String,
    pub size_2: String,
    pub quantity_2: String,
    pub product_3: String,
    pub size_3: String,
    pub quantity_3: String,
    /// `link`, `account` or `shop`.
    pub payment: String,
    /// The form's own idempotency key (placing twice with it gives the same order).
    pub order_token: String,
}

/// One line of the form as typed: `(product, size, quantity)`.
pub type TypedLine = (String, String, String);

impl PhoneLines {
    /// The product lines as typed.
    pub fn lines(&self) -> [TypedLine; LINES] {
        [
            (
                self.product_1.clone(),
                self.size_1.clone(),
                self.quantity_1.clone(),
            ),
            (
                self.product_2.clone(),
                self.size_2.clone(),
                self.quantity_2.clone(),
            ),
            (
                self.product_3.clone(),
                self.size_3.clone(),
                self.quantity_3.clone(),
            ),
        ]
    }
}

/// The field names of line `n` (1-based): product, size, quantity.
pub fn line_fields(n: usize) -> (&'static str, &'static str, &'static str) {
    match n {
        1 => ("product_1", "size_1", "quantity_1"),
        2 => ("product_2", "size_2", "quantity_2"),
        _ => ("product_3", "size_3", "quantity_3"),
    }
}

/// A checked phone order, ready to place.
pub struct Checked {
    /// Who, where, when.
    pub checkout: Checkout,
    /// What, at today's prices.
    pub cart: PricedCart,
    /// The totals.
    pub totals: Totals,
    /// How it is paid.
    pub pay_by: PayBy,
}

/// Checks the lines against the catalogue and the rest as checkout does; what to fix per
/// field otherwise.
pub fn check(
    lines: &PhoneLines,
    form: &CheckoutForm,
    catalogue: &Snapshot,
    plan: &DeliveryPlan,
) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut cart = Cart::default();
    for (n, (product, size, quantity)) in lines.lines().into_iter().enumerate() {
        let (product_field, _, quantity_field) = line_fields(n + 1);
        if product.trim().is_empty() {
            continue;
        }
        let Some(quantity) = quantity
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|q| (1..=super::cart::MAX_QUANTITY).contains(q))
        else {
            errors.insert(quantity_field, "cart-error-quantity");
            continue;
        };
        let line = CartLine {
            product: product.trim().to_owned(),
            size: size.trim().to_owned(),
            addons: Vec::new(),
            quantity,
        };
        // Priced alone first, so a size the product does not have is named on its own line.
        let alone = Cart {
            lines: vec![line.clone()],
        };
        if alone.price(catalogue).dropped > 0 {
            errors.insert(product_field, "phone-error-line");
            continue;
        }
        cart.lines.push(line);
    }
    if cart.lines.is_empty() && errors.is_empty() {
        errors.insert("product_1", "phone-error-no-lines");
    }
    let pay_by = PayBy::parse(&lines.payment);
    if pay_by.is_none() {
        errors.insert("payment", "phone-error-payment");
    }
    let priced = cart.price(catalogue);
    let checkout =
        checkout::validate(form, plan, priced.lead_time_days()).map_err(|e| errors.extend(e));
    let (Ok(checkout), Some(pay_by)) = (checkout, pay_by) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let totals = pricing::totals(&priced.vat_parts(), checkout.fee())
        .map_err(|_| FieldErrors::from([("quantity_1", "cart-error-quantity")]))?;
    Ok(Checked {
        checkout,
        cart: priced,
        totals,
        pay_by,
    })
}

/// Who the order is for, by how it is paid: on account only for an orderer of an approved
/// company (found by the sender's e-mail address); otherwise a guest order, which joins the
/// account of that address once it is confirmed.
pub fn buyer(
    conn: &mut DbConn,
    email: &Email,
    pay_by: PayBy,
) -> Result<Result<Buyer<'static>, FieldErrors>, AppError> {
    if pay_by != PayBy::Account {
        return Ok(Ok(Buyer::default()));
    }
    let address = email.as_str().to_lowercase();
    let Some(customer) = crate::accounts::repo::by_email(conn, &address)? else {
        return Ok(Err(FieldErrors::from([(
            "payment",
            "phone-error-not-company",
        )])));
    };
    match crate::accounts::repo::membership_of(conn, customer.id)? {
        Some(m) if m.approved => Ok(Ok(Buyer {
            customer_id: Some(customer.id),
            company_id: Some(m.company_id),
            on_account: true,
            po_number: None,
        })),
        _ => Ok(Err(FieldErrors::from([(
            "payment",
            "phone-error-not-company",
        )]))),
    }
}
