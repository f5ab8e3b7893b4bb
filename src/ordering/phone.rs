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
    pub addons_1: Vec<String>,
    pub product_2: String,
    pub size_2: String,
    pub quantity_2: String,
    pub addons_2: Vec<String>,
    pub product_3: String,
    pub size_3: String,
    pub quantity_3: String,
    pub addons_3: Vec<String>,
    /// `link`, `account` or `shop`.
    pub payment: String,
    /// The form's own idempotency key (placing twice with it gives the same order).
    pub order_token: String,
}

/// One line of the form as typed.
#[derive(Debug, Clone, Default)]
pub struct TypedLine {
    /// The product's slug (empty: the line is not used).
    pub product: String,
    /// The size's code.
    pub size: String,
    /// The quantity as typed.
    pub quantity: String,
    /// The slugs of the add-ons ticked.
    pub addons: Vec<String>,
}

impl TypedLine {
    /// Whether the add-on is ticked on this line.
    pub fn has_addon(&self, slug: &str) -> bool {
        self.addons.iter().any(|a| a == slug)
    }
}

impl PhoneLines {
    /// The product lines as typed.
    pub fn lines(&self) -> [TypedLine; LINES] {
        let line =
            |product: &String, size: &String, quantity: &String, addons: &Vec<String>| TypedLine {
                product: product.trim().to_owned(),
                size: size.trim().to_owned(),
                quantity: quantity.trim().to_owned(),
                addons: addons.clone(),
            };
        [
            line(
                &self.product_1,
                &self.size_1,
                &self.quantity_1,
                &self.addons_1,
            ),
            line(
                &self.product_2,
                &self.size_2,
                &self.quantity_2,
                &self.addons_2,
            ),
            line(
                &self.product_3,
                &self.size_3,
                &self.quantity_3,
                &self.addons_3,
            ),
        ]
    }
}

/// The field names of one line of the form.
#[derive(Debug, Clone, Copy)]
pub struct LineFields {
    /// The product's select.
    pub product: &'static str,
    /// The size's select.
    pub size: &'static str,
    /// The quantity.
    pub quantity: &'static str,
    /// The add-on checkboxes (one name, repeated).
    pub addons: &'static str,
}

/// The field names of line `n` (1-based).
pub fn line_fields(n: usize) -> LineFields {
    let (product, size, quantity, addons) = match n {
        1 => ("product_1", "size_1", "quantity_1", "addons_1"),
        2 => ("product_2", "size_2", "quantity_2", "addons_2"),
        _ => ("product_3", "size_3", "quantity_3", "addons_3"),
    };
    LineFields {
        product,
        size,
        quantity,
        addons,
    }
}

/// Checks one typed line against the catalogue: the cart line, or the field and message to
/// show. `None` when the line is not used.
pub fn check_line(
    typed: &TypedLine,
    fields: LineFields,
    catalogue: &Snapshot,
) -> Option<Result<CartLine, (&'static str, &'static str)>> {
    if typed.product.is_empty() {
        // Extras ticked without a product would silently vanish: say so instead.
        return (!typed.addons.is_empty())
            .then_some(Err((fields.product, "phone-error-addons-alone")));
    }
    let Some(quantity) = typed
        .quantity
        .parse::<u32>()
        .ok()
        .filter(|q| (1..=super::cart::MAX_QUANTITY).contains(q))
    else {
        return Some(Err((fields.quantity, "cart-error-quantity")));
    };
    let Ok(product) = catalogue.product(&typed.product) else {
        return Some(Err((fields.product, "phone-error-line")));
    };
    if !typed
        .addons
        .iter()
        .all(|slug| product.addons.iter().any(|a| &a.slug == slug))
    {
        return Some(Err((fields.addons, "phone-error-addon")));
    }
    let line = CartLine {
        product: typed.product.clone(),
        size: typed.size.clone(),
        addons: typed.addons.clone(),
        quantity,
    };
    // Priced alone, so a size the product does not have is named on its own line.
    let alone = Cart {
        lines: vec![line.clone()],
    };
    if alone.price(catalogue).dropped > 0 {
        return Some(Err((fields.product, "phone-error-line")));
    }
    Some(Ok(line))
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
    for (n, typed) in lines.lines().iter().enumerate() {
        match check_line(typed, line_fields(n + 1), catalogue) {
            None => {}
            Some(Ok(line)) => cart.lines.push(line),
            Some(Err((field, key))) => {
                errors.insert(field, key);
            }
        }
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
