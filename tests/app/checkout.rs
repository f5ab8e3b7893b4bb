//! Checkout: the guest journey from cart to paid order, and every kind of bad input.

use bloei::db::schema::{delivery_days, orders};
use diesel::prelude::*;

use crate::support::{Page, TestApp};

/// Puts a product in the cart of `client` (a browser with its own cookie jar).
pub(crate) fn add_to_cart(
    app: &TestApp,
    client: &reqwest::blocking::Client,
    product: &str,
    size: &str,
    addons: &[&str],
) {
    let page = Page::parse(
        &client
            .get(app.url(&format!("/product/{product}")))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let token = page.csrf_token();
    let mut form = vec![
        ("product", product),
        ("size", size),
        ("quantity", "1"),
        ("csrf_token", token.as_str()),
    ];
    form.extend(addons.iter().map(|a| ("addons", *a)));
    let response = client
        .post(app.url("/winkelwagen/toevoegen"))
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(response.status(), 303);
}

/// The checkout form's fields for a delivery to Purmerend on the earliest date offered.
pub(crate) fn delivery_fields(page: &Page) -> Vec<(String, String)> {
    let date = page
        .attrs("#delivery_date option", "value")
        .into_iter()
        .find(|v| !v.is_empty())
        .expect("a date is offered");
    [
        ("sender_name", "Jan Jansen"),
        ("sender_email", "jan@example.nl"),
        ("sender_phone", ""),
        ("fulfilment", "delivery"),
        ("recipient_name", "Ans de Vries"),
        ("recipient_street", "Kerkstraat 12"),
        ("recipient_postcode", "1441ab"),
        ("recipient_city", "Purmerend"),
        ("recipient_phone", "06-12345678"),
        ("card_message", "Van harte beterschap!"),
        ("delivery_instructions", "Achterom"),
        ("not_home", "neighbour"),
        ("delivery_date", date.as_str()),
        ("csrf_token", page.csrf_token().as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    fields.iter_mut().find(|(k, _)| k == name).unwrap().1 = value.to_owned();
}

/// The overview's hidden fields plus the button pressed.
pub(crate) fn place_fields(overview: &Page, action: &str) -> Vec<(String, String)> {
    let sel = scraper::Selector::parse("form.place-order input[type=hidden]").unwrap();
    let mut fields: Vec<(String, String)> = overview
        .html
        .select(&sel)
        .map(|e| {
            (
                e.value().attr("name").unwrap().to_owned(),
                e.value().attr("value").unwrap_or("").to_owned(),
            )
        })
        .collect();
    fields.push(("action".into(), action.into()));
    fields
}

pub(crate) fn post(
    app: &TestApp,
    client: &reqwest::blocking::Client,
    path: &str,
    fields: &[(String, String)],
) -> reqwest::blocking::Response {
    client.post(app.url(path)).form(fields).send().unwrap()
}

pub(crate) fn location(response: &reqwest::blocking::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

pub(crate) fn order_count(app: &TestApp) -> i64 {
    orders::table.count().get_result(&mut *app.conn()).unwrap()
}

/// Cart → form → overview; returns the overview page.
pub(crate) fn to_overview(app: &TestApp) -> Page {
    add_to_cart(
        app,
        &app.client,
        "rode-rozen-klassiek",
        "M",
        &["glazen-vaas"],
    );
    let form = app.page("/afrekenen", 200);
    let response = post(app, &app.client, "/afrekenen", &delivery_fields(&form));
    assert_eq!(response.status(), 200);
    Page::parse(&response.text().unwrap())
}

#[test]
fn a_guest_orders_a_bouquet_with_a_vase_on_the_earliest_date_and_pays_with_the_test_provider() {
    let app = TestApp::spawn();
    let overview = to_overview(&app);
    assert_eq!(overview.text(".delivery-fee"), "€ 4,95");
    assert_eq!(overview.text(".order-total"), "€ 52,85"); // 34,95 + 12,95 + 4,95
    assert_eq!(
        overview.texts("dd.vat").len(),
        2,
        "VAT per rate before paying"
    );
    assert!(
        overview.text(".recipient").contains("1441 AB Purmerend"),
        "postcode normalised"
    );

    let response = post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    assert_eq!(response.status(), 303);
    let pay_url = location(&response);
    assert!(pay_url.starts_with("/testbetaling/tst_"), "{pay_url}");
    let pay_page = app.page(&pay_url, 200);
    assert!(pay_page.text(".test-banner").starts_with("TESTBETALING"));

    let token = pay_page.csrf_token();
    let response = app.post_form(&pay_url, &[("outcome", "paid"), ("csrf_token", &token)]);
    assert_eq!(response.status(), 303);
    let status_url = location(&response);
    assert!(
        status_url.starts_with("/bestelling/") && status_url.len() > 40,
        "{status_url}"
    );
    let status = app.page(&status_url, 200);
    assert!(status.text(".order-status").contains("bevestigd"));
    let year = chrono::Datelike::year(&chrono::Utc::now());
    assert_eq!(status.text("h1"), format!("Bestelling B-{year}-000001"));
    assert_eq!(status.text(".status-total"), "€ 52,85");
    assert!(status.text(".status-line").contains("Glazen vaas"));
    assert_eq!(
        app.page("/", 200).count(".cart-count"),
        0,
        "the paid cart is emptied"
    );

    let (state, date, recipient, card): (
        String,
        chrono::NaiveDate,
        Option<String>,
        Option<String>,
    ) = orders::table
        .select((
            orders::status,
            orders::delivery_date,
            orders::recipient_postcode,
            orders::card_message,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(state, "confirmed");
    assert_eq!(recipient.as_deref(), Some("1441 AB"));
    assert_eq!(card.as_deref(), Some("Van harte beterschap!"));
    let booked: i32 = delivery_days::table
        .filter(delivery_days::day.eq(date))
        .select(delivery_days::booked)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, 1);
}

#[test]
fn a_double_submitted_order_is_placed_once_and_a_repeated_payment_report_changes_nothing() {
    let app = TestApp::spawn();
    let overview = to_overview(&app);
    let fields = place_fields(&overview, "place");
    let first = location(&post(&app, &app.client, "/afrekenen/bestellen", &fields));
    let second = location(&post(&app, &app.client, "/afrekenen/bestellen", &fields));
    assert_eq!(first, second, "the retry goes to the same payment");
    assert_eq!(order_count(&app), 1);
    let token = app.page(&first, 200).csrf_token();
    let paid = app.post_form(&first, &[("outcome", "paid"), ("csrf_token", &token)]);
    let status_url = location(&paid);
    // The provider reports "paid" again: nothing changes.
    let again = app.post_form(&first, &[("outcome", "paid"), ("csrf_token", &token)]);
    assert_eq!(location(&again), status_url);
    let booked: Vec<i32> = delivery_days::table
        .select(delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, vec![1]);
    assert_eq!(order_count(&app), 1);
    // After payment the same form leads to the order, not to a new payment.
    let third = location(&post(&app, &app.client, "/afrekenen/bestellen", &fields));
    assert_eq!(third, status_url);
}

#[test]
fn an_empty_form_is_refused_with_a_message_next_to_every_required_field() {
    let app = TestApp::spawn();
    add_to_cart(&app, &app.client, "monstera", "S", &[]);
    let form = app.page("/afrekenen", 200);
    let token = form.csrf_token();
    let response = app.post_form(
        "/afrekenen",
        &[
            ("fulfilment", "delivery"),
            ("not_home", "neighbour"),
            ("sender_name", "Jan"),
            ("csrf_token", &token),
        ],
    );
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    for field in [
        "sender_email",
        "recipient_name",
        "recipient_street",
        "recipient_postcode",
        "recipient_city",
        "delivery_date",
    ] {
        assert_eq!(page.count(&format!("#{field}-error")), 1, "{field}");
    }
    assert_eq!(page.count("#sender_name-error"), 0);
    assert_eq!(
        page.attrs("#sender_name", "value"),
        vec!["Jan"],
        "what was typed is kept"
    );
    assert_eq!(order_count(&app), 0);
}

#[test]
fn bad_values_are_explained_in_the_pages_language_and_kept() {
    let app = TestApp::spawn();
    add_to_cart(&app, &app.client, "monstera", "S", &[]);
    let form = app.page("/afrekenen", 200);
    let mut fields = delivery_fields(&form);
    set(&mut fields, "sender_email", "jan-at-example");
    set(&mut fields, "recipient_phone", "12");
    set(&mut fields, "recipient_postcode", "0441 AB");
    set(&mut fields, "card_message", &"x".repeat(251));
    set(&mut fields, "delivery_date", "2020-01-01");
    let response = post(&app, &app.client, "/afrekenen", &fields);
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    assert!(
        page.text("#sender_email-error")
            .contains("geldig e-mailadres")
    );
    assert!(
        page.text("#recipient_phone-error")
            .contains("10 tot 15 cijfers")
    );
    assert!(
        page.text("#recipient_postcode-error")
            .contains("Nederlandse postcode")
    );
    assert!(page.text("#card_message-error").contains("te lang"));
    assert!(
        page.text("#delivery_date-error").contains("later"),
        "{}",
        page.text("#delivery_date-error")
    );
    assert_eq!(page.attrs("#sender_email", "value"), vec!["jan-at-example"]);
    assert_eq!(page.text("#card_message").len(), 251);
}

#[test]
fn a_postcode_outside_the_delivery_area_is_refused_with_pickup_offered_and_pickup_needs_no_address()
{
    let app = TestApp::spawn();
    add_to_cart(&app, &app.client, "monstera", "S", &[]);
    let form = app.page("/afrekenen", 200);
    let mut fields = delivery_fields(&form);
    set(&mut fields, "recipient_postcode", "9711 AA");
    let response = post(&app, &app.client, "/afrekenen", &fields);
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    assert!(
        page.text("#recipient_postcode-error")
            .contains("Zelf ophalen in de winkel")
    );
    // Pickup: the recipient fields are not needed and not stored (P3).
    set(&mut fields, "fulfilment", "pickup");
    for name in [
        "recipient_name",
        "recipient_street",
        "recipient_city",
        "recipient_phone",
    ] {
        set(&mut fields, name, "");
    }
    let response = post(&app, &app.client, "/afrekenen", &fields);
    assert_eq!(response.status(), 200);
    let overview = Page::parse(&response.text().unwrap());
    assert_eq!(overview.text(".delivery-fee"), "€ 0,00");
    let pay = post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    assert_eq!(pay.status(), 303);
    let (fulfilment, recipient, postcode): (String, Option<String>, Option<String>) = orders::table
        .select((
            orders::fulfilment,
            orders::recipient_name,
            orders::recipient_postcode,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(fulfilment, "pickup");
    assert_eq!((recipient, postcode), (None, None));
}

#[test]
fn a_changed_total_between_overview_and_order_is_shown_again_instead_of_charged() {
    let app = TestApp::spawn();
    let overview = to_overview(&app);
    let mut fields = place_fields(&overview, "place");
    set(&mut fields, "expected_total", "1");
    let response = post(&app, &app.client, "/afrekenen/bestellen", &fields);
    assert_eq!(response.status(), 409);
    let page = Page::parse(&response.text().unwrap());
    assert!(
        page.text("main")
            .contains("De prijzen zijn intussen veranderd")
    );
    assert_eq!(page.text(".order-total"), "€ 52,85");
    assert_eq!(order_count(&app), 0);
}

#[test]
fn changing_details_on_the_overview_goes_back_to_the_filled_in_form() {
    let app = TestApp::spawn();
    let overview = to_overview(&app);
    let response = post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "edit"),
    );
    assert_eq!(response.status(), 200);
    let form = Page::parse(&response.text().unwrap());
    assert_eq!(
        form.attrs("#recipient_street", "value"),
        vec!["Kerkstraat 12"]
    );
    assert_eq!(order_count(&app), 0);
}

#[test]
fn checking_out_with_an_empty_cart_sends_the_visitor_back_to_the_cart() {
    let app = TestApp::spawn();
    let response = app.get("/afrekenen");
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/winkelwagen");
    assert!(
        app.page("/winkelwagen", 200)
            .text(".flash")
            .contains("Je winkelwagen is leeg")
    );
}

#[test]
fn a_full_day_is_refused_at_placement_and_no_longer_offered() {
    let app = TestApp::spawn_with(|s| s.daily_capacity = Some(1));
    let overview = to_overview(&app);
    let date = place_fields(&overview, "place")
        .into_iter()
        .find(|(k, _)| k == "delivery_date")
        .unwrap()
        .1;
    // Someone else takes the last place of that date first.
    let other = crate::support::browser();
    add_to_cart(&app, &other, "monstera", "S", &[]);
    let form = Page::parse(
        &other
            .get(app.url("/afrekenen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let mut fields = delivery_fields(&form);
    set(&mut fields, "delivery_date", &date);
    let theirs = Page::parse(&post(&app, &other, "/afrekenen", &fields).text().unwrap());
    assert_eq!(
        post(
            &app,
            &other,
            "/afrekenen/bestellen",
            &place_fields(&theirs, "place")
        )
        .status(),
        303
    );
    // Now ours is refused with a clear message, and the date is no longer offered.
    let response = post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    assert!(page.text("#delivery_date-error").contains("vol"));
    assert!(!page.attrs("#delivery_date option", "value").contains(&date));
    assert_eq!(order_count(&app), 1);
}

#[test]
fn many_concurrent_checkouts_for_the_last_places_of_a_day_take_exactly_the_capacity() {
    let app = TestApp::spawn_with(|s| {
        s.daily_capacity = Some(3);
        s.db_pool_size = Some(8);
        s.workers = Some(2);
    });
    let date = {
        add_to_cart(&app, &app.client, "monstera", "S", &[]);
        let form = app.page("/afrekenen", 200);
        delivery_fields(&form)
            .into_iter()
            .find(|(k, _)| k == "delivery_date")
            .unwrap()
            .1
    };
    // Every customer reaches the overview first, then all press "order" at once.
    let ready: Vec<_> = (0..8)
        .map(|_| {
            let client = crate::support::browser();
            add_to_cart(&app, &client, "monstera", "S", &[]);
            let form = Page::parse(
                &client
                    .get(app.url("/afrekenen"))
                    .send()
                    .unwrap()
                    .text()
                    .unwrap(),
            );
            let mut fields = delivery_fields(&form);
            set(&mut fields, "delivery_date", &date);
            let overview = Page::parse(&post(&app, &client, "/afrekenen", &fields).text().unwrap());
            (client, place_fields(&overview, "place"))
        })
        .collect();
    let base = app.base.clone();
    let outcomes: Vec<u16> = ready
        .into_iter()
        .map(|(client, fields)| {
            let url = format!("{base}/afrekenen/bestellen");
            std::thread::spawn(move || {
                client
                    .post(url)
                    .form(&fields)
                    .send()
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    assert_eq!(
        outcomes.iter().filter(|&&s| s == 303).count(),
        3,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes.iter().filter(|&&s| s == 422).count(),
        5,
        "{outcomes:?}"
    );
    assert_eq!(order_count(&app), 3);
}

#[test]
fn an_unknown_status_link_is_a_404() {
    let app = TestApp::spawn();
    app.page("/bestelling/bestaat-niet-abcdefghijklmnopqrstuvwxyz", 404);
    app.page("/testbetaling/tst_000000", 404);
}

/// Orders a bouquet with a vase for delivery and pays with the test provider; returns the
/// status page's full URL.
pub fn order_and_pay(app: &TestApp) -> String {
    let overview = to_overview(app);
    let pay_url = location(&post(
        app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    ));
    let token = app.page(&pay_url, 200).csrf_token();
    let paid = app.post_form(&pay_url, &[("outcome", "paid"), ("csrf_token", &token)]);
    app.url(&location(&paid))
}
