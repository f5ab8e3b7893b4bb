//! Cart routes: add from the product page, view, change quantities, remove. Thin handlers: read
//! the form, change the cart in the session, redirect (POST/redirect/GET).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::cart::{Cart, CartLine, MAX_QUANTITY};
use super::pages::CartPage;
use super::state::OrderingState;
use crate::catalog::model::Size;
use crate::catalog::pages::{AddToCartForm, ProductPage};
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::session_keys::CART_COUNT;
use crate::web::{PageCtx, page, parse_form, render, see_other};

const CART_KEY: &str = "cart";

/// The visitor's cart (empty when there is none or it cannot be read).
/// The header's count is put right on the way when it disagrees (a session from before the
/// count was stored, or one an older instance changed during a rolling upgrade).
pub fn load_cart(session: &Session) -> Cart {
    let cart: Cart = session
        .get::<Cart>(CART_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    let count = cart.item_count();
    let stored = session.get::<u32>(CART_COUNT).ok().flatten().unwrap_or(0);
    if stored != count {
        if count == 0 {
            session.remove(CART_COUNT);
        } else if session.insert(CART_COUNT, count).is_err() {
            tracing::warn!("could not store the cart count");
        }
    }
    cart
}

/// Stores the cart in the session (an empty cart removes it), with its item count for the
/// header.
pub fn save_cart(session: &Session, cart: &Cart) -> Result<(), AppError> {
    if cart.is_empty() {
        clear_cart(session);
        return Ok(());
    }
    let count = cart.item_count();
    session
        .insert(CART_KEY, cart)
        .and_then(|()| session.insert(CART_COUNT, count))
        .map_err(|e| AppError::internal(format!("cannot store the cart: {e}")))
}

/// Empties the visitor's cart.
pub fn clear_cart(session: &Session) {
    session.remove(CART_KEY);
    session.remove(CART_COUNT);
}

/// The product page's order form as sent.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    /// Product slug.
    pub product: String,
    /// Chosen size code.
    #[serde(default)]
    pub size: String,
    /// Chosen add-on slugs.
    #[serde(default)]
    pub addons: Vec<String>,
    /// Quantity as typed.
    #[serde(default)]
    pub quantity: String,
}

/// `POST /winkelwagen/toevoegen`: adds the chosen size, add-ons and quantity. A missing size or
/// a bad quantity shows the product page again with the message next to the field and the
/// choices kept.
pub async fn add(
    state: OrderingState,
    ctx: PageCtx,
    session: Session,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: AddForm = parse_form(&body)?;
    let catalogue = state.catalogue.get(&state.db).await?;
    let product = catalogue.product(&form.product)?;
    let mut kept = AddToCartForm {
        size: Size::parse(&form.size).filter(|s| product.variants.iter().any(|v| v.size == *s)),
        addons: form
            .addons
            .iter()
            .filter(|a| product.addons.iter().any(|offered| &offered.slug == *a))
            .cloned()
            .collect(),
        quantity: form.quantity.trim().to_owned(),
        ..AddToCartForm::default()
    };
    if kept.addons.len() != form.addons.len() {
        // An add-on this product does not offer: a tampered form, not a typing mistake.
        return Err(AppError::BadRequest("cart-error-addon"));
    }
    if kept.size.is_none() {
        kept.size_error = Some("cart-error-size");
    }
    let quantity = kept
        .quantity
        .parse::<u32>()
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q));
    if quantity.is_none() {
        kept.quantity_error = Some("cart-error-quantity");
    }
    let (Some(size), Some(quantity)) = (kept.size, quantity) else {
        let page = ProductPage::with_form(ctx, product, kept);
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let mut cart = load_cart(&session);
    let line = CartLine {
        product: product.slug.clone(),
        size: size.as_str().to_owned(),
        addons: kept.addons,
        quantity,
    };
    if let Err(e) = cart.add(line) {
        flash::set(&session, FlashKind::Error, e.message_key());
        return Ok(see_other(&format!("/product/{}", product.slug)));
    }
    save_cart(&session, &cart)?;
    flash::set(&session, FlashKind::Success, "cart-added");
    Ok(see_other("/winkelwagen"))
}

/// `GET /winkelwagen`: the cart with today's prices and VAT.
pub async fn show(
    state: OrderingState,
    ctx: PageCtx,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let cart = load_cart(&session);
    let catalogue = state.catalogue.get(&state.db).await?;
    let priced = cart.price(&catalogue);
    if priced.dropped > 0 {
        // Keep only what can still be bought, and say so.
        let mut kept = Cart::default();
        for line in &cart.lines {
            if priced.lines.iter().any(|p| p.key == line.key()) {
                kept.lines.push(line.clone());
            }
        }
        save_cart(&session, &kept)?;
    }
    page(&CartPage::new(ctx, priced)?)
}

/// A change to one cart line.
#[derive(Debug, Deserialize)]
pub struct LineForm {
    /// The line's key.
    pub line: String,
    /// New quantity as typed (absent when removing).
    #[serde(default)]
    pub quantity: Option<String>,
}

/// `POST /winkelwagen/aantal`: sets a line's quantity (0 removes it).
pub async fn update(session: Session, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: LineForm = parse_form(&body)?;
    let mut cart = load_cart(&session);
    let quantity = form
        .quantity
        .as_deref()
        .map(str::trim)
        .and_then(|q| q.parse::<u32>().ok());
    let result = match quantity {
        Some(q) => cart.set_quantity(&form.line, q),
        None => Err(super::cart::CartError::BadQuantity),
    };
    match result {
        Ok(()) => {
            save_cart(&session, &cart)?;
            flash::set(&session, FlashKind::Success, "cart-updated");
        }
        Err(e) => flash::set(&session, FlashKind::Error, e.message_key()),
    }
    Ok(see_other("/winkelwagen"))
}

/// `POST /winkelwagen/verwijderen`: removes a line.
pub async fn remove(session: Session, body: web::Bytes) -> Result<HttpResponse, AppError> {
    let form: LineForm = parse_form(&body)?;
    let mut cart = load_cart(&session);
    match cart.set_quantity(&form.line, 0) {
        Ok(()) => {
            save_cart(&session, &cart)?;
            flash::set(&session, FlashKind::Success, "cart-removed");
        }
        Err(e) => flash::set(&session, FlashKind::Error, e.message_key()),
    }
    Ok(see_other("/winkelwagen"))
}
