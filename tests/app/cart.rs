//! The cart: adding from the product page, prices and VAT recomputed by the server, changing and
//! removing lines, and clear messages for bad input.

use bloei::db::schema::{product_variants, products};
use diesel::prelude::*;

use crate::support::{Page, TestApp};

/// Adds to the cart from the product page like a browser would; returns the response.
fn add(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::blocking::Response {
    let product = fields
        .iter()
        .find(|(k, _)| *k == "product")
        .map_or("rode-rozen-klassiek", |(_, v)| v);
    let token = app.page(&format!("/product/{product}"), 200).csrf_token();
    let mut form = fields.to_vec();
    form.push(("csrf_token", &token));
    app.post_form("/winkelwagen/toevoegen", &form)
}

#[test]
fn a_visitor_adds_a_bouquet_with_a_vase_and_sees_the_prices_and_vat_in_the_cart() {
    let app = TestApp::spawn();
    let response = add(
        &app,
        &[
            ("product", "rode-rozen-klassiek"),
            ("size", "M"),
            ("addons", "glazen-vaas"),
            ("quantity", "2"),
        ],
    );
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/winkelwagen");
    let cart = app.page("/winkelwagen", 200);
    assert_eq!(cart.text(".flash"), "Toegevoegd aan je winkelwagen.");
    let line = cart.text(".cart-line th");
    assert!(
        line.contains("Klassiek boeket rode rozen") && line.contains("Middel"),
        "{line}"
    );
    assert_eq!(cart.text(".line-addons"), "+ Glazen vaas (€ 12,95)");
    // (34,95 + 12,95) × 2
    assert_eq!(cart.text(".line-total"), "€ 95,80");
    assert_eq!(cart.text(".cart-total"), "€ 95,80");
    // 9% of 69,90 gross = 5,77; 21% of 25,90 gross = 4,495 → 4,50.
    assert_eq!(
        cart.texts("dt.vat"),
        vec!["waarvan btw 9%", "waarvan btw 21%"]
    );
    assert_eq!(cart.texts("dd.vat"), vec!["€ 5,77", "€ 4,50"]);
    assert_eq!(cart.text(".cart-count"), "(2)");
}

#[test]
fn choosing_no_size_shows_the_product_page_again_with_the_message_and_the_choices_kept() {
    let app = TestApp::spawn();
    let response = add(
        &app,
        &[
            ("product", "rode-rozen-klassiek"),
            ("addons", "bonbons"),
            ("quantity", "3"),
        ],
    );
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.text("#size-error"), "Kies een formaat.");
    assert_eq!(
        page.attrs("input[name=addons][checked]", "value"),
        vec!["bonbons"]
    );
    assert_eq!(page.attrs("#quantity", "value"), vec!["3"]);
    assert!(
        app.page("/winkelwagen", 200)
            .text("main")
            .contains("Je winkelwagen is leeg.")
    );
}

#[test]
fn a_quantity_that_is_not_between_one_and_twenty_five_is_explained_next_to_the_field() {
    let app = TestApp::spawn();
    for quantity in ["0", "26", "twee", ""] {
        let response = add(
            &app,
            &[
                ("product", "monstera"),
                ("size", "S"),
                ("quantity", quantity),
            ],
        );
        assert_eq!(response.status(), 422, "{quantity:?}");
        let page = Page::parse(&response.text().unwrap());
        assert_eq!(
            page.text("#quantity-error"),
            "Vul een aantal in van 1 tot en met 25."
        );
        assert_eq!(page.attrs("#quantity", "value"), vec![quantity.to_owned()]);
        assert_eq!(
            page.attrs("input[name=size][checked]", "value"),
            vec!["S"],
            "the size stays chosen"
        );
    }
}

#[test]
fn the_same_choice_twice_adds_up_and_changing_the_quantity_updates_the_totals() {
    let app = TestApp::spawn();
    add(
        &app,
        &[("product", "monstera"), ("size", "S"), ("quantity", "1")],
    );
    add(
        &app,
        &[("product", "monstera"), ("size", "S"), ("quantity", "2")],
    );
    let cart = app.page("/winkelwagen", 200);
    assert_eq!(cart.count(".cart-line"), 1);
    assert_eq!(
        cart.attrs(".quantity-form input[name=quantity]", "value"),
        vec!["3"]
    );
    let line = cart
        .attrs(".quantity-form input[name=line]", "value")
        .remove(0);
    let token = cart.csrf_token();
    let response = app.post_form(
        "/winkelwagen/aantal",
        &[("line", &line), ("quantity", "5"), ("csrf_token", &token)],
    );
    assert_eq!(response.status(), 303);
    let cart = app.page("/winkelwagen", 200);
    assert_eq!(cart.text(".line-total"), "€ 124,75"); // 5 × 24,95
    let token = cart.csrf_token();
    app.post_form(
        "/winkelwagen/aantal",
        &[("line", &line), ("quantity", "0"), ("csrf_token", &token)],
    );
    assert_eq!(
        app.page("/winkelwagen", 200).count(".cart-line"),
        0,
        "zero removes the line"
    );
}

#[test]
fn removing_a_line_takes_only_that_product_out_of_the_cart() {
    let app = TestApp::spawn();
    add(
        &app,
        &[("product", "monstera"), ("size", "S"), ("quantity", "1")],
    );
    add(
        &app,
        &[
            ("product", "hollandse-tulpen"),
            ("size", "L"),
            ("quantity", "1"),
        ],
    );
    let cart = app.page("/winkelwagen", 200);
    let lines = cart.attrs(
        "form[action='/winkelwagen/verwijderen'] input[name=line]",
        "value",
    );
    assert_eq!(lines.len(), 2);
    let token = cart.csrf_token();
    let response = app.post_form(
        "/winkelwagen/verwijderen",
        &[("line", &lines[0]), ("csrf_token", &token)],
    );
    assert_eq!(response.status(), 303);
    let cart = app.page("/winkelwagen", 200);
    assert_eq!(
        cart.text(".flash"),
        "Het product is uit je winkelwagen gehaald."
    );
    let names = cart.texts(".cart-line th a");
    assert_eq!(names, vec!["Hollandse tulpen"]);
    assert_eq!(cart.text(".cart-count"), "(1)");
}

#[test]
fn prices_come_from_the_catalogue_never_from_the_form() {
    let app = TestApp::spawn_with(|s| s.catalogue_cache_ms = Some(0));
    add(
        &app,
        &[
            ("product", "monstera"),
            ("size", "S"),
            ("quantity", "1"),
            ("price", "1"),
            ("price_cents", "1"),
        ],
    );
    assert_eq!(app.page("/winkelwagen", 200).text(".line-total"), "€ 24,95");
    // A price change reaches a cart that was filled before it.
    let monstera: i64 = products::table
        .filter(products::slug.eq("monstera"))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(
        product_variants::table
            .filter(product_variants::product_id.eq(monstera))
            .filter(product_variants::size.eq("S")),
    )
    .set(product_variants::price_cents.eq(2695))
    .execute(&mut *app.conn())
    .unwrap();
    assert_eq!(app.page("/winkelwagen", 200).text(".line-total"), "€ 26,95");
}

#[test]
fn an_add_on_the_product_does_not_offer_or_an_unknown_product_is_refused() {
    let app = TestApp::spawn();
    let response = add(
        &app,
        &[
            ("product", "rouwkrans-klassiek"),
            ("size", "M"),
            ("addons", "bonbons"),
            ("quantity", "1"),
        ],
    );
    assert_eq!(response.status(), 400);
    let token = app.page("/", 200).csrf_token();
    for product in ["zonnebloemen-zomer", "bestaat-niet"] {
        let response = app.post_form(
            "/winkelwagen/toevoegen",
            &[
                ("product", product),
                ("size", "M"),
                ("quantity", "1"),
                ("csrf_token", &token),
            ],
        );
        assert_eq!(response.status(), 404, "{product}");
    }
    assert_eq!(app.page("/winkelwagen", 200).count(".cart-line"), 0);
}

#[test]
fn a_product_that_is_no_longer_available_leaves_the_cart_with_a_notice() {
    let app = TestApp::spawn_with(|s| s.catalogue_cache_ms = Some(0));
    add(
        &app,
        &[("product", "monstera"), ("size", "M"), ("quantity", "1")],
    );
    add(
        &app,
        &[("product", "olijfboom"), ("size", "L"), ("quantity", "1")],
    );
    diesel::update(products::table.filter(products::slug.eq("monstera")))
        .set(products::active.eq(false))
        .execute(&mut *app.conn())
        .unwrap();
    let cart = app.page("/winkelwagen", 200);
    assert!(cart.text("main").contains("niet meer leverbaar"));
    assert_eq!(cart.texts(".cart-line th a"), vec!["Olijfboom"]);
    assert_eq!(app.page("/", 200).text(".cart-count"), "(1)");
}

#[test]
fn a_product_with_one_size_has_it_chosen_already() {
    let app = TestApp::spawn();
    let page = app.page("/product/relatiegeschenk-box", 200);
    assert_eq!(
        page.attrs("input[name=size][checked]", "value"),
        vec!["one"]
    );
}

#[test]
fn the_cart_page_exists_in_english() {
    let app = TestApp::spawn();
    let response = app.get_in("/winkelwagen", "en");
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.text("h1"), "Cart");
    assert!(page.text("main").contains("Your cart is empty."));
}
