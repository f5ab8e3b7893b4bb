//! Consumer accounts end to end: registering, confirming, logging in, ordering with the details
//! filled in, the history and reorder, password reset, guest-order linking, and that another
//! account's ids lead nowhere.

use bloei::db::schema::{customer_addresses, customers, orders, outbox};
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::checkout::{add_to_cart, location, place_fields, post};
use crate::support::{Page, TestApp, browser};

pub(crate) const PASSWORD: &str = "paarse tulpen op dinsdag";

fn csrf(app: &TestApp, client: &Client, path: &str) -> String {
    Page::parse(&client.get(app.url(path)).send().unwrap().text().unwrap()).csrf_token()
}

pub(crate) fn send(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::blocking::Response {
    let token = csrf(app, client, "/");
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", &token));
    client.post(app.url(path)).form(&fields).send().unwrap()
}

/// The newest link in the newest e-mail to `to` whose path starts with `prefix`.
pub(crate) fn link_in_mail(app: &TestApp, to: &str, prefix: &str) -> String {
    let bodies: Vec<String> = outbox::table
        .filter(outbox::recipient.eq(to))
        .order(outbox::id.desc())
        .select(outbox::body_text)
        .load(&mut *app.conn())
        .unwrap();
    for body in bodies {
        if let Some(start) = body.find(prefix) {
            let rest = &body[start..];
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            return rest[..end].to_owned();
        }
    }
    panic!("no mail to {to} with a link {prefix}");
}

pub(crate) fn register(
    app: &TestApp,
    client: &Client,
    name: &str,
    email: &str,
) -> reqwest::blocking::Response {
    send(
        app,
        client,
        "/account/registreren",
        &[
            ("name", name),
            ("email", email),
            ("phone", ""),
            ("password", PASSWORD),
            ("age_confirmed", "on"),
        ],
    )
}

/// Registers, confirms through the mailed link (which logs in) with `client`.
pub(crate) fn register_and_verify(app: &TestApp, client: &Client, name: &str, email: &str) {
    let response = register(app, client, name, email);
    assert_eq!(response.status(), 200);
    let link = link_in_mail(app, &email.to_lowercase(), "/account/bevestigen/");
    let confirm = send(app, client, &link, &[("password", PASSWORD)]);
    assert_eq!(confirm.status(), 303, "confirming logs in");
    assert_eq!(location(&confirm), "/account");
}

pub(crate) fn log_in(
    app: &TestApp,
    client: &Client,
    email: &str,
    password: &str,
) -> reqwest::blocking::Response {
    send(
        app,
        client,
        "/account/inloggen",
        &[
            ("email", email),
            ("password", password),
            ("terug", "/account"),
        ],
    )
}

/// Fills in the recipient and the first date on the checkout form as shown (the sender comes
/// prefilled from the account), and goes to the overview.
pub(crate) fn checkout_as_shown(app: &TestApp, client: &Client, extra: &[(&str, &str)]) -> Page {
    let form = Page::parse(
        &client
            .get(app.url("/afrekenen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let value = |id: &str| {
        form.attrs(&format!("#{id}"), "value")
            .pop()
            .unwrap_or_default()
    };
    let date = form
        .attrs("#delivery_date option", "value")
        .into_iter()
        .find(|v| !v.is_empty())
        .unwrap();
    let mut fields: Vec<(String, String)> = [
        ("sender_name", value("sender_name")),
        ("sender_email", value("sender_email")),
        ("sender_phone", value("sender_phone")),
        ("fulfilment", "delivery".into()),
        ("recipient_name", "Oma Jansen".into()),
        ("recipient_street", "Dorpsstraat 1".into()),
        ("recipient_postcode", "1441 AB".into()),
        ("recipient_city", "Purmerend".into()),
        ("not_home", "neighbour".into()),
        ("delivery_date", date),
        ("csrf_token", form.csrf_token()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let response = post(app, client, "/afrekenen", &fields);
    assert_eq!(response.status(), 200, "overview");
    Page::parse(&response.text().unwrap())
}

/// Places the overview's order and pays it with the test provider.
pub(crate) fn place_and_pay(app: &TestApp, client: &Client, overview: &Page) {
    let pay_url = location(&post(
        app,
        client,
        "/afrekenen/bestellen",
        &place_fields(overview, "place"),
    ));
    let token = Page::parse(
        &client
            .get(app.url(&pay_url))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    )
    .csrf_token();
    let paid = client
        .post(app.url(&pay_url))
        .form(&[("outcome", "paid"), ("csrf_token", &token)])
        .send()
        .unwrap();
    assert_eq!(paid.status(), 303);
}

#[test]
fn a_customer_registers_confirms_orders_with_prefilled_details_sees_the_history_and_reorders() {
    let app = TestApp::spawn();
    let client = app.customer("Anna de Boer", "Anna@Example.nl");
    let stored: (String, Option<chrono::NaiveDateTime>) = customers::table
        .select((customers::email, customers::email_verified_at))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(stored.0, "anna@example.nl", "one address however typed");
    assert!(stored.1.is_some());

    add_to_cart(&app, &client, "rode-rozen-klassiek", "M", &["glazen-vaas"]);
    let form = Page::parse(
        &client
            .get(app.url("/afrekenen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert_eq!(form.attrs("#sender_name", "value"), ["Anna de Boer"]);
    assert_eq!(form.attrs("#sender_email", "value"), ["anna@example.nl"]);
    let overview = checkout_as_shown(&app, &client, &[]);
    place_and_pay(&app, &client, &overview);

    let account = Page::parse(
        &client
            .get(app.url("/account"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert_eq!(
        account.count("tr.history-order"),
        1,
        "the order is in the history"
    );
    let number = account.text("tr.history-order td a");
    let detail = Page::parse(
        &client
            .get(app.url(&format!("/account/bestellingen/{number}")))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert!(
        detail.text(".order-lines").contains("rode rozen"),
        "{}",
        detail.text(".order-lines")
    );

    // The cart was emptied by paying; reorder fills it with the same items.
    let again = send(
        &app,
        &client,
        &format!("/account/bestellingen/{number}/opnieuw"),
        &[],
    );
    assert_eq!(location(&again), "/winkelwagen");
    let cart = Page::parse(
        &client
            .get(app.url("/winkelwagen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert!(cart.html.html().contains("Glazen vaas"));
    assert!(cart.html.html().contains("rode rozen"));
}

#[test]
fn registering_twice_gives_the_same_answer_and_mails_the_existing_address_instead() {
    let app = TestApp::spawn();
    let first = Page::parse(
        &register(&app, &browser(), "Bo", "bo@example.nl")
            .text()
            .unwrap(),
    );
    let second = Page::parse(
        &register(&app, &browser(), "Iemand anders", "BO@example.nl")
            .text()
            .unwrap(),
    );
    assert_eq!(first.text("#check-mail"), second.text("#check-mail"));
    let count: i64 = customers::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(count, 1);
    let subjects: Vec<String> = outbox::table
        .filter(outbox::recipient.eq("bo@example.nl"))
        .order(outbox::id)
        .select(outbox::subject)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(subjects.len(), 2);
    assert!(subjects[1].contains("al een account"), "{subjects:?}");
}

#[test]
fn a_weak_password_or_missing_age_confirmation_is_named_next_to_its_field_and_the_form_is_kept() {
    let app = TestApp::spawn();
    let response = send(
        &app,
        &app.client,
        "/account/registreren",
        &[
            ("name", "Cas"),
            ("email", "cas@example.nl"),
            ("password", "password1234"),
        ],
    );
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    assert!(page.text("#password-error").contains("veel gebruikt"));
    assert!(page.text("#age_confirmed-error").contains("16"));
    assert_eq!(page.attrs("#email", "value"), ["cas@example.nl"]);
    assert_eq!(page.attrs("#password", "value"), [""], "never sent back");
}

#[test]
fn an_unconfirmed_account_cannot_log_in_until_it_confirms() {
    let app = TestApp::spawn();
    register(&app, &app.client, "Dirk", "dirk@example.nl");
    let response = log_in(&app, &browser(), "dirk@example.nl", PASSWORD);
    assert_eq!(response.status(), 403);
    assert!(
        Page::parse(&response.text().unwrap())
            .text("#login-error")
            .contains("nog niet bevestigd")
    );
}

#[test]
fn a_forgotten_password_is_reset_by_a_single_use_link_and_old_logins_end() {
    let app = TestApp::spawn();
    let old = app.customer("Eva", "eva@example.nl");
    let other = browser();
    let answer = send(
        &app,
        &other,
        "/account/wachtwoord-vergeten",
        &[("email", "eva@example.nl")],
    );
    let unknown = send(
        &app,
        &other,
        "/account/wachtwoord-vergeten",
        &[("email", "niemand@example.nl")],
    );
    assert_eq!(
        Page::parse(&answer.text().unwrap()).text("#check-mail"),
        Page::parse(&unknown.text().unwrap()).text("#check-mail"),
        "no answer reveals whether an address has an account"
    );
    let link = link_in_mail(&app, "eva@example.nl", "/account/wachtwoord-herstellen/");
    assert_eq!(other.get(app.url(&link)).send().unwrap().status(), 200);
    let weak = send(&app, &other, &link, &[("password", "welkom123456")]);
    assert_eq!(weak.status(), 422, "the same rules as at registration");
    let done = send(
        &app,
        &other,
        &link,
        &[("password", "nieuwe zonnebloemen in mei")],
    );
    assert_eq!(location(&done), "/account/inloggen");

    let again = send(
        &app,
        &other,
        &link,
        &[("password", "nog een ander wachtwoord hier")],
    );
    assert_eq!(again.status(), 410);
    let page = Page::parse(&again.text().unwrap());
    assert!(page.text("#link-problem").contains("al gebruikt"));
    assert_eq!(
        page.count("form.resend-form"),
        1,
        "offers to send a new one"
    );

    assert_eq!(
        old.get(app.url("/account")).send().unwrap().status(),
        303,
        "old login ended"
    );
    assert_eq!(
        log_in(&app, &other, "eva@example.nl", PASSWORD).status(),
        401
    );
    assert_eq!(
        location(&log_in(
            &app,
            &other,
            "eva@example.nl",
            "nieuwe zonnebloemen in mei"
        )),
        "/account"
    );
}

#[test]
fn an_expired_confirmation_link_offers_to_send_a_new_one() {
    let app = TestApp::spawn();
    register(&app, &app.client, "Fien", "fien@example.nl");
    let link = link_in_mail(&app, "fien@example.nl", "/account/bevestigen/");
    diesel::update(bloei::db::schema::customer_tokens::table)
        .set(
            bloei::db::schema::customer_tokens::expires_at
                .eq(bloei::db::now() - chrono::Duration::minutes(1)),
        )
        .execute(&mut *app.conn())
        .unwrap();
    let response = send(&app, &app.client, &link, &[]);
    assert_eq!(response.status(), 410);
    let page = Page::parse(&response.text().unwrap());
    assert!(page.text("#link-problem").contains("verlopen"));
    let resent = send(
        &app,
        &app.client,
        "/account/bevestiging-opnieuw",
        &[("email", "fien@example.nl")],
    );
    assert_eq!(resent.status(), 200);
    let new_link = link_in_mail(&app, "fien@example.nl", "/account/bevestigen/");
    assert_ne!(new_link, link);
    assert_eq!(
        send(&app, &app.client, &new_link, &[("password", PASSWORD)]).status(),
        303
    );
}

#[test]
fn guest_orders_placed_with_the_same_address_appear_in_the_account_once_it_is_confirmed() {
    let app = TestApp::spawn();
    // The checkout helpers order as a guest with jan@example.nl.
    crate::checkout::order_and_pay(&app);
    let client = app.customer("Jan Jansen", "JAN@example.nl");
    let account = Page::parse(
        &client
            .get(app.url("/account"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert_eq!(account.count("tr.history-order"), 1);
    let linked: i64 = orders::table
        .filter(orders::customer_id.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(linked, 1);
}

#[test]
fn another_accounts_order_or_address_is_a_404_and_nothing_changes() {
    let app = TestApp::spawn();
    let anna = app.customer("Anna", "anna@example.nl");
    add_to_cart(&app, &anna, "rode-rozen-klassiek", "M", &[]);
    let overview = checkout_as_shown(&app, &anna, &[]);
    place_and_pay(&app, &anna, &overview);
    let added = send(
        &app,
        &anna,
        "/account/adressen",
        &[
            ("kind", "recipient"),
            ("name", "Oma"),
            ("street", "Dorpsstraat 1"),
            ("postcode", "1441AB"),
            ("city", "Purmerend"),
            ("phone", ""),
        ],
    );
    assert_eq!(location(&added), "/account/adressen");
    let number: String = orders::table
        .select(orders::number)
        .first(&mut *app.conn())
        .unwrap();
    let address: i64 = customer_addresses::table
        .select(customer_addresses::id)
        .first(&mut *app.conn())
        .unwrap();

    let bram = app.customer("Bram", "bram@example.nl");
    for path in [
        format!("/account/bestellingen/{number}"),
        format!("/account/adressen/{address}/verwijderen"),
        format!("/afrekenen?adres={address}"),
    ] {
        add_to_cart(&app, &bram, "rode-rozen-klassiek", "M", &[]);
        assert_eq!(
            bram.get(app.url(&path)).send().unwrap().status(),
            404,
            "GET {path}"
        );
    }
    for path in [
        format!("/account/bestellingen/{number}/opnieuw"),
        format!("/account/adressen/{address}/verwijderen"),
    ] {
        assert_eq!(send(&app, &bram, &path, &[]).status(), 404, "POST {path}");
    }
    let still: i64 = customer_addresses::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(still, 1, "the address is still there");
}

#[test]
fn a_saved_address_fills_in_the_recipient_at_checkout() {
    let app = TestApp::spawn();
    let client = app.customer("Gijs", "gijs@example.nl");
    send(
        &app,
        &client,
        "/account/adressen",
        &[
            ("kind", "recipient"),
            ("name", "Tante Lies"),
            ("street", "Kerkstraat 12"),
            ("postcode", "1441ab"),
            ("city", "Purmerend"),
            ("phone", ""),
        ],
    );
    let id: i64 = customer_addresses::table
        .select(customer_addresses::id)
        .first(&mut *app.conn())
        .unwrap();
    add_to_cart(&app, &client, "rode-rozen-klassiek", "M", &[]);
    let form = Page::parse(
        &client
            .get(app.url(&format!("/afrekenen?adres={id}")))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert_eq!(form.attrs("#recipient_name", "value"), ["Tante Lies"]);
    assert_eq!(form.attrs("#recipient_postcode", "value"), ["1441 AB"]);
}
