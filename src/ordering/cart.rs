//! The cart, kept in the visitor's (encrypted) session cookie, so it needs no account and no
//! server-side state. It holds only what was chosen; prices are always looked up again.

use serde::{Deserialize, Serialize};

use crate::catalog::model::{Localized, Size, VatRate};
use crate::catalog::service::Snapshot;
use crate::money::Money;

/// Most lines a cart can hold (the session cookie must stay small).
pub const MAX_LINES: usize = 15;
/// Most items of one line.
pub const MAX_QUANTITY: u32 = 25;

/// The cart as stored in the session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    /// The lines, in the order they were added.
    pub lines: Vec<CartLine>,
}

/// One chosen product size with its add-ons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// Product slug.
    pub product: String,
    /// Size code (`S`, `M`, `L`, `one`).
    pub size: String,
    /// Add-on slugs, sorted.
    pub addons: Vec<String>,
    /// How many.
    pub quantity: u32,
}

impl CartLine {
    /// A stable key naming the line in forms (the same choice is always the same line).
    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.product, self.size, self.addons.join("+"))
    }
}

/// Why the cart refused a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartError {
    /// The cart already has [`MAX_LINES`] lines.
    TooManyLines,
    /// A quantity outside 1..=[`MAX_QUANTITY`].
    BadQuantity,
    /// No line with that key (changed in another tab, say).
    NoSuchLine,
}

impl CartError {
    /// Catalogue key of the explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            CartError::TooManyLines => "cart-error-too-many-lines",
            CartError::BadQuantity => "cart-error-quantity",
            CartError::NoSuchLine => "cart-error-no-such-line",
        }
    }
}

impl Cart {
    /// Adds a line; the same product, size and add-ons add up in one line.
    pub fn add(&mut self, mut line: CartLine) -> Result<(), CartError> {
        if !(1..=MAX_QUANTITY).contains(&line.quantity) {
            return Err(CartError::BadQuantity);
        }
        line.addons.sort();
        line.addons.dedup();
        if let Some(existing) = self.lines.iter_mut().find(|l| l.key() == line.key()) {
            existing.quantity = (existing.quantity + line.quantity).min(MAX_QUANTITY);
            return Ok(());
        }
        if self.lines.len() >= MAX_LINES {
            return Err(CartError::TooManyLines);
        }
        self.lines.push(line);
        Ok(())
    }

    /// Sets the quantity of a line; zero removes it.
    pub fn set_quantity(&mut self, key: &str, quantity: u32) -> Result<(), CartError> {
        if quantity > MAX_QUANTITY {
            return Err(CartError::BadQuantity);
        }
        let index = self
            .lines
            .iter()
            .position(|l| l.key() == key)
            .ok_or(CartError::NoSuchLine)?;
        if quantity == 0 {
            self.lines.remove(index);
        } else {
            self.lines[index].quantity = quantity;
        }
        Ok(())
    }

    /// Whether the cart is empty.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many items the cart holds (the header shows it).
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Prices the cart from the catalogue. Lines that can no longer be bought (the product or
    /// size is gone, or an add-on is no longer offered with it) are dropped and counted.
    pub fn price(&self, catalogue: &Snapshot) -> PricedCart {
        let mut lines = Vec::new();
        let mut dropped = 0;
        for line in &self.lines {
            match price_line(line, catalogue) {
                Some(priced) => lines.push(priced),
                None => dropped += 1,
            }
        }
        PricedCart { lines, dropped }
    }
}

/// A cart line with today's prices.
#[derive(Debug, Clone)]
pub struct PricedLine {
    /// The line's form key.
    pub key: String,
    /// Product slug.
    pub slug: String,
    /// Product name.
    pub name: Localized,
    /// Its photo or illustration.
    pub image: crate::catalog::model::ProductImage,
    /// Size.
    pub size: Size,
    /// Price of one item of the product, VAT included.
    pub unit_price: Money,
    /// The product's VAT rate.
    pub vat_rate: VatRate,
    /// Add-ons (price per item).
    pub addons: Vec<PricedAddon>,
    /// Days the product needs before it can be delivered.
    pub lead_time_days: u32,
    /// How many.
    pub quantity: u32,
    /// (unit price + add-ons) × quantity.
    pub total: Money,
}

impl PricedLine {
    /// The line's amounts per VAT rate, for the order's VAT totals.
    pub fn vat_parts(&self) -> Vec<(VatRate, Money)> {
        let q = i64::from(self.quantity);
        let mut parts = vec![(
            self.vat_rate,
            Money::from_cents(self.unit_price.cents() * q),
        )];
        parts.extend(
            self.addons
                .iter()
                .map(|a| (a.vat_rate, Money::from_cents(a.price.cents() * q))),
        );
        parts
    }
}

/// An add-on on a priced line.
#[derive(Debug, Clone)]
pub struct PricedAddon {
    /// Add-on slug.
    pub slug: String,
    /// Name.
    pub name: Localized,
    /// Price per item, VAT included.
    pub price: Money,
    /// VAT rate.
    pub vat_rate: VatRate,
}

/// The cart priced from the catalogue.
#[derive(Debug, Clone)]
pub struct PricedCart {
    /// Lines that can be bought.
    pub lines: Vec<PricedLine>,
    /// How many stored lines could no longer be bought.
    pub dropped: usize,
}

impl PricedCart {
    /// The longest lead time of any line (the order is delivered in one go).
    pub fn lead_time_days(&self) -> u32 {
        self.lines
            .iter()
            .map(|l| l.lead_time_days)
            .max()
            .unwrap_or(0)
    }

    /// Every line's amounts per VAT rate.
    pub fn vat_parts(&self) -> Vec<(VatRate, Money)> {
        self.lines.iter().flat_map(PricedLine::vat_parts).collect()
    }
}

fn price_line(line: &CartLine, catalogue: &Snapshot) -> Option<PricedLine> {
    let product = catalogue.product(&line.product).ok()?;
    let size = Size::parse(&line.size)?;
    let variant = product.variants.iter().find(|v| v.size == size)?;
    let mut addons = Vec::new();
    for slug in &line.addons {
        let addon = product.addons.iter().find(|a| &a.slug == slug)?;
        addons.push(PricedAddon {
            slug: addon.slug.clone(),
            name: addon.name.clone(),
            price: addon.price,
            vat_rate: addon.vat_rate,
        });
    }
    if !(1..=MAX_QUANTITY).contains(&line.quantity) {
        return None;
    }
    let per_item = addons
        .iter()
        .try_fold(variant.price, |sum, a| sum.checked_add(a.price))?;
    Some(PricedLine {
        key: line.key(),
        slug: product.slug.clone(),
        name: product.name.clone(),
        image: product.image.clone(),
        size,
        unit_price: variant.price,
        vat_rate: product.vat_rate,
        addons,
        lead_time_days: u32::try_from(product.lead_time_days).unwrap_or(0),
        quantity: line.quantity,
        total: per_item.checked_mul(i64::from(line.quantity))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product: &str, addons: &[&str], quantity: u32) -> CartLine {
        CartLine {
            product: product.into(),
            size: "M".into(),
            addons: addons.iter().map(|a| a.to_string()).collect(),
            quantity,
        }
    }

    #[test]
    fn the_same_choice_adds_up_in_one_line_whatever_the_add_on_order() {
        let mut cart = Cart::default();
        cart.add(line("tulpen", &["vaas", "kaart"], 1)).unwrap();
        cart.add(line("tulpen", &["kaart", "vaas"], 2)).unwrap();
        cart.add(line("tulpen", &[], 1)).unwrap();
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.lines[0].quantity, 3);
    }

    #[test]
    fn quantities_outside_the_limits_are_refused_and_zero_removes() {
        let mut cart = Cart::default();
        assert_eq!(
            cart.add(line("tulpen", &[], 0)),
            Err(CartError::BadQuantity)
        );
        assert_eq!(
            cart.add(line("tulpen", &[], MAX_QUANTITY + 1)),
            Err(CartError::BadQuantity)
        );
        cart.add(line("tulpen", &[], 2)).unwrap();
        let key = cart.lines[0].key();
        cart.set_quantity(&key, 5).unwrap();
        assert_eq!(cart.lines[0].quantity, 5);
        assert_eq!(cart.set_quantity("other", 1), Err(CartError::NoSuchLine));
        cart.set_quantity(&key, 0).unwrap();
        assert!(cart.is_empty());
    }

    #[test]
    fn a_cart_holds_a_limited_number_of_lines() {
        let mut cart = Cart::default();
        for i in 0..MAX_LINES {
            cart.add(line(&format!("p{i}"), &[], 1)).unwrap();
        }
        assert_eq!(
            cart.add(line("one-too-many", &[], 1)),
            Err(CartError::TooManyLines)
        );
        // Adding to an existing line still works.
        cart.add(line("p0", &[], 1)).unwrap();
    }
}
