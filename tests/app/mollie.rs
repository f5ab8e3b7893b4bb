//! Paying through Mollie, against a local server that answers as Mollie's v2 payments API
//! documents: the shop creates the payment, sends the customer there, and believes only what the
//! API says when the webhook (or the returning customer) asks.

use bloei::db::schema::{delivery_days, orders, outbox, payments, refunds};
use bloei::staff::model::Role;
use diesel::prelude::*;

use crate::checkout::{location, order_count, place_fields, post, to_overview};
use crate::mollie_mock::{API_KEY, MollieMock};
use crate::support::TestApp;

/// The address customers use in these tests: one Mollie could reach, so webhooks are offered.
const PUBLIC_URL: &str = "http://winkel.example:8080";

fn shop_with(mollie: &MollieMock) -> TestApp {
    let api_url = mollie.api_url.clone();
    TestApp::spawn_with(|s| {
        s.mollie_api_key = Some(API_KEY.into());
        s.mollie_api_url = Some(api_url);
        s.public_url = Some(PUBLIC_URL.into());
        s.worker = Some(false);
    })
}

/// Places an order (cart → overview → order) and returns the response to "order".
fn place(app: &TestApp) -> reqwest::blocking::Response {
    let overview = to_overview(app);
    post(
        app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    )
}

/// `(order status, payment status)` of the newest order and its newest payment.
fn statuses(app: &TestApp) -> (String, String) {
    let order: String = orders::table
        .order(orders::id.desc())
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap();
    let payment: String = payments::table
        .order(payments::id.desc())
        .select(payments::status)
        .first(&mut *app.conn())
        .unwrap();
    (order, payment)
}

fn newest_payment_id(app: &TestApp) -> String {
    payments::table
        .order(payments::id.desc())
        .select(payments::provider_payment_id)
        .first(&mut *app.conn())
        .unwrap()
}

fn mails(app: &TestApp) -> i64 {
    outbox::table.count().get_result(&mut *app.conn()).unwrap()
}

fn booked(app: &TestApp) -> Vec<i32> {
    delivery_days::table
        .select(delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap()
}

/// Mollie calls the webhook the way it documents: a form with only the payment's id, no
/// cookies and no CSRF token.
fn webhook(app: &TestApp, fields: &[(&str, &str)]) -> u16 {
    reqwest::blocking::Client::new()
        .post(app.url("/betaling/webhook"))
        .form(fields)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn a_guest_pays_through_mollie_and_a_paid_webhook_confirms_the_order_once() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    let response = place(&app);
    assert_eq!(response.status(), 303);
    let checkout = location(&response);
    assert!(
        checkout.starts_with("https://www.mollie.com/checkout/select-method/"),
        "the customer is sent to Mollie's checkout: {checkout}"
    );

    // What the shop asked Mollie for.
    let created = mollie.created();
    assert_eq!(created.len(), 1);
    let request = &created[0];
    let (number, token, total): (String, String, i64) = orders::table
        .select((orders::number, orders::status_token, orders::total_cents))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(request["amount"]["currency"], "EUR");
    assert_eq!(
        request["amount"]["value"],
        format!("{}.{:02}", total / 100, total % 100)
    );
    assert!(request["description"].as_str().unwrap().contains(&number));
    assert_eq!(
        request["redirectUrl"],
        format!("{PUBLIC_URL}/bestelling/{token}")
    );
    assert_eq!(
        request["webhookUrl"],
        format!("{PUBLIC_URL}/betaling/webhook")
    );
    assert_eq!(request["locale"], "nl_NL");
    assert_eq!(statuses(&app), ("awaiting_payment".into(), "open".into()));

    // Mollie reports the payment while it is still open: nothing changes.
    let id = newest_payment_id(&app);
    assert_eq!(webhook(&app, &[("id", &id)]), 200);
    assert_eq!(statuses(&app), ("awaiting_payment".into(), "open".into()));

    // The customer pays; Mollie calls the webhook, the shop asks Mollie and confirms.
    mollie.settle(&id, "paid");
    assert_eq!(webhook(&app, &[("id", &id)]), 200);
    assert_eq!(statuses(&app), ("confirmed".into(), "paid".into()));
    assert_eq!(mails(&app), 1, "one confirmation mail is queued");

    // Mollie retries the same webhook: nothing changes, no second mail.
    assert_eq!(webhook(&app, &[("id", &id)]), 200);
    assert_eq!(statuses(&app), ("confirmed".into(), "paid".into()));
    assert_eq!(mails(&app), 1);
    assert_eq!(booked(&app), vec![1]);

    // Back from Mollie, the customer sees the paid order.
    let status = app.page(&format!("/bestelling/{token}"), 200);
    assert!(status.text(".order-status").contains("bevestigd"));
}

#[test]
fn a_webhook_body_is_never_trusted_only_the_status_mollie_reports() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    assert_eq!(place(&app).status(), 303);
    let id = newest_payment_id(&app);
    // Someone posts "paid" for a payment Mollie still reports as open.
    assert_eq!(
        webhook(&app, &[("id", &id), ("status", "paid"), ("amount", "0.01")]),
        200
    );
    assert_eq!(statuses(&app), ("awaiting_payment".into(), "open".into()));
    // Ids the shop does not know, or that are not Mollie's, get the same empty answer.
    assert_eq!(webhook(&app, &[("id", "tr_onbekend123")]), 200);
    assert_eq!(webhook(&app, &[("id", "../../customers")]), 200);
    assert_eq!(webhook(&app, &[("nothing", "here")]), 400);
    assert_eq!(statuses(&app), ("awaiting_payment".into(), "open".into()));
    assert_eq!(mails(&app), 0);
}

#[test]
fn failed_canceled_and_expired_mollie_payments_end_the_order_and_give_its_place_back() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    for (outcome, order_status) in [
        ("failed", "payment_failed"),
        ("canceled", "payment_failed"),
        ("expired", "expired"),
    ] {
        assert_eq!(place(&app).status(), 303);
        let id = newest_payment_id(&app);
        mollie.settle(&id, outcome);
        assert_eq!(webhook(&app, &[("id", &id)]), 200);
        assert_eq!(statuses(&app), (order_status.into(), outcome.into()));
        assert_eq!(booked(&app), vec![0], "{outcome}: the place is given back");
    }
    assert_eq!(order_count(&app), 3);
    assert_eq!(mails(&app), 0);
}

#[test]
fn a_customer_back_from_mollie_sees_the_paid_order_before_the_webhook_arrives() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    assert_eq!(place(&app).status(), 303);
    let token: String = orders::table
        .select(orders::status_token)
        .first(&mut *app.conn())
        .unwrap();
    let status = app.page(&format!("/bestelling/{token}"), 200);
    assert!(status.text(".order-status").contains("betaling"));
    let fetches = mollie.fetches();
    // Someone else with the link does not make the shop ask Mollie.
    let other = crate::support::browser();
    let seen = other
        .get(app.url(&format!("/bestelling/{token}")))
        .send()
        .unwrap();
    assert_eq!(seen.status(), 200);
    assert_eq!(mollie.fetches(), fetches);
    mollie.settle(&newest_payment_id(&app), "paid");
    let status = app.page(&format!("/bestelling/{token}"), 200);
    assert!(status.text(".order-status").contains("bevestigd"));
    assert_eq!(mollie.fetches(), fetches + 1, "the shop asked Mollie");
    assert_eq!(statuses(&app), ("confirmed".into(), "paid".into()));
    assert_eq!(mails(&app), 1);
}

#[test]
fn when_mollie_is_down_the_order_is_kept_and_sending_the_form_again_pays_it() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    mollie.set_down(true);
    let overview = to_overview(&app);
    let fields = place_fields(&overview, "place");
    let response = post(&app, &app.client, "/afrekenen/bestellen", &fields);
    assert_eq!(response.status(), 503);
    assert!(response.text().unwrap().contains("betaaldienst"));
    assert_eq!(order_count(&app), 1);
    let (status,): (String,) = orders::table
        .select((orders::status,))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "awaiting_payment");
    // An id the shop never recorded needs no call to Mollie.
    assert_eq!(webhook(&app, &[("id", "tr_WDqYK6vl01")]), 200);
    mollie.set_down(false);
    let again = post(&app, &app.client, "/afrekenen/bestellen", &fields);
    assert_eq!(again.status(), 303);
    assert!(location(&again).starts_with("https://www.mollie.com/checkout/"));
    assert_eq!(order_count(&app), 1, "the same order, now with a payment");
    let id = newest_payment_id(&app);
    // A webhook that cannot be checked is answered 503, so Mollie tries again later.
    mollie.set_down(true);
    assert_eq!(webhook(&app, &[("id", &id)]), 503);
    mollie.set_down(false);
    mollie.settle(&id, "paid");
    assert_eq!(webhook(&app, &[("id", &id)]), 200);
    assert_eq!(statuses(&app), ("confirmed".into(), "paid".into()));
}

#[test]
fn a_mollie_payment_of_another_amount_does_not_confirm_the_order() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    assert_eq!(place(&app).status(), 303);
    let id = newest_payment_id(&app);
    mollie.settle(&id, "paid");
    mollie.set_amount(&id, "0.01");
    assert_eq!(webhook(&app, &[("id", &id)]), 200);
    assert_eq!(statuses(&app), ("awaiting_payment".into(), "open".into()));
    assert_eq!(mails(&app), 0);
}

#[test]
fn a_payment_that_arrives_after_the_order_lapsed_still_confirms_it_while_the_day_has_room() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    assert_eq!(place(&app).status(), 303);
    diesel::update(orders::table)
        .set(orders::payment_expires_at.eq(Some(bloei::db::now() - chrono::Duration::minutes(1))))
        .execute(&mut *app.conn())
        .unwrap();
    bloei::ordering::service::expire_unpaid(&mut app.conn(), bloei::db::now()).unwrap();
    assert_eq!(statuses(&app), ("expired".into(), "expired".into()));
    assert_eq!(booked(&app), vec![0]);
    // The customer had paid at Mollie just in time; the webhook comes late.
    let id = newest_payment_id(&app);
    mollie.settle(&id, "paid");
    assert_eq!(webhook(&app, &[("id", &id)]), 200);
    assert_eq!(statuses(&app), ("confirmed".into(), "paid".into()));
    assert_eq!(booked(&app), vec![1]);
    assert_eq!(mails(&app), 1);
}

#[test]
fn without_mollie_the_webhook_does_not_exist() {
    let app = TestApp::spawn();
    assert_eq!(webhook(&app, &[("id", "tr_WDqYK6vllg")]), 404);
}

/// A paid Mollie order, cancelled by the owner: `(order id, owner's client)`.
fn paid_through_mollie(app: &TestApp, mollie: &MollieMock) -> (i64, reqwest::blocking::Client) {
    assert_eq!(place(app).status(), 303);
    let id = newest_payment_id(app);
    mollie.settle(&id, "paid");
    assert_eq!(webhook(app, &[("id", &id)]), 200);
    let order: i64 = orders::table
        .order(orders::id.desc())
        .select(orders::id)
        .first(&mut *app.conn())
        .unwrap();
    let owner = crate::roles::client_for(app, crate::roles::Visitor::Staff(Role::Owner));
    (order, owner)
}

fn refund_rows(app: &TestApp) -> Vec<(String, Option<String>, i64)> {
    refunds::table
        .order(refunds::id)
        .select((
            refunds::status,
            refunds::provider_refund_id,
            refunds::amount_cents,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn cancelling_a_paid_order_refunds_it_through_mollie_once_even_when_pressed_twice() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    let (order, owner) = paid_through_mollie(&app, &mollie);
    let total: i64 = orders::table
        .find(order)
        .select(orders::total_cents)
        .first(&mut *app.conn())
        .unwrap();
    let path = format!("/medewerkers/bestellingen/{order}/annuleren");
    let question = crate::back_office::page(&app, &owner, &path);
    let shown = format!("€ {},{:02}", total / 100, total % 100);
    assert!(
        question.text(".confirm").contains(&shown),
        "{}",
        question.text(".confirm")
    );
    let token = question.csrf_token();
    for _ in 0..2 {
        let response = owner
            .post(app.url(&path))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .unwrap();
        assert_eq!(response.status(), 303);
    }
    let calls = mollie.refund_calls();
    assert_eq!(calls.len(), 1, "one refund call: {calls:?}");
    assert!(
        calls[0]
            .1
            .as_deref()
            .is_some_and(|k| k.starts_with("bloei-refund-"))
    );
    let rows = refund_rows(&app);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "accepted");
    assert!(rows[0].1.as_deref().is_some_and(|id| id.starts_with("re_")));
    assert_eq!(rows[0].2, total);
    assert_eq!(statuses(&app).0, "cancelled");
    assert_eq!(booked(&app), vec![0], "the place is free again");
    // The customer's mail says how much and when.
    let text: String = outbox::table
        .order(outbox::id.desc())
        .select(outbox::body_text)
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        text.contains(&format!("We betalen {shown} aan je terug")),
        "{text}"
    );
    assert!(text.contains("5 werkdagen"), "{text}");
    // The order page says it was sent.
    let seen =
        crate::back_office::page(&app, &owner, &format!("/medewerkers/bestellingen/{order}"));
    assert!(
        seen.text(".refunds")
            .contains("Verstuurd naar de betaaldienst")
    );
    assert!(seen.text(".order-state").contains("Geannuleerd"));
    // So does the customer's own status page.
    let token: String = orders::table
        .find(order)
        .select(orders::status_token)
        .first(&mut *app.conn())
        .unwrap();
    let status = app.page(&format!("/bestelling/{token}"), 200);
    assert!(status.text(".order-status").contains("geannuleerd"));
    assert!(
        status.text(".order-refund").contains(&shown),
        "{}",
        status.text(".order-refund")
    );
}

#[test]
fn a_refund_mollie_could_not_take_stays_ready_and_is_sent_once_when_tried_again() {
    let mollie = MollieMock::start();
    let app = shop_with(&mollie);
    let (order, owner) = paid_through_mollie(&app, &mollie);
    let path = format!("/medewerkers/bestellingen/{order}/annuleren");
    let token = crate::back_office::page(&app, &owner, &path).csrf_token();
    mollie.set_down(true);
    owner
        .post(app.url(&path))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .unwrap();
    assert_eq!(statuses(&app).0, "cancelled", "the cancellation stands");
    assert_eq!(refund_rows(&app)[0].0, "pending");
    let page =
        crate::back_office::page(&app, &owner, &format!("/medewerkers/bestellingen/{order}"));
    assert!(page.text(".flash").contains("niet bereikbaar"));
    let retry = page.attrs(".refunds form", "action").remove(0);
    mollie.set_down(false);
    for _ in 0..2 {
        owner
            .post(app.url(&retry))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .unwrap();
    }
    assert_eq!(mollie.refund_calls().len(), 1);
    assert_eq!(refund_rows(&app)[0].0, "accepted");
}
