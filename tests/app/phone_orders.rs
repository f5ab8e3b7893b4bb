//! Orders taken by phone at the order desk: the same prices, rules and capacity as the web
//! shop; paid by a mailed link, on account, or in the shop.

use bloei::db::schema::{order_line_addons, order_lines, orders, outbox, refunds};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::back_office::{offered_dates, page};
use crate::order_desk::post_from;
use crate::roles::{Visitor, client_for};
use crate::support::{Page, TestApp};

const NEW: &str = "/medewerkers/bestellingen/nieuw";

/// A phone order's form as the page gives it, with `fields` typed in.
fn phone_order(app: &TestApp, client: &Client, fields: &[(&str, &str)]) -> (u16, String, Page) {
    let form = page(app, client, NEW);
    let mut sent = form.form_fields("form.phone-order");
    // Typed over the page's values; a name typed twice (ticked boxes) is sent twice.
    sent.retain(|(n, _)| !fields.iter().any(|(name, _)| name == n));
    for (name, value) in fields {
        sent.push(((*name).to_owned(), (*value).to_owned()));
    }
    sent.push(("csrf_token".into(), form.csrf_token()));
    post_fields(app, client, &sent)
}

fn post_fields(app: &TestApp, client: &Client, sent: &[(String, String)]) -> (u16, String, Page) {
    let response = client.post(app.url(NEW)).form(sent).send().unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, Page::parse(&response.text().unwrap()))
}

fn delivery_to_ans(date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("product_1", "rode-rozen-klassiek".into()),
        ("size_1", "M".into()),
        ("quantity_1", "2".into()),
        ("fulfilment", "delivery".into()),
        ("recipient_name", "Ans de Vries".into()),
        ("recipient_street", "Kerkstraat 12".into()),
        ("recipient_postcode", "1441 AB".into()),
        ("recipient_city", "Purmerend".into()),
        ("not_home", "neighbour".into()),
        ("delivery_date", date.to_owned()),
        ("card_message", "Gefeliciteerd!".into()),
    ]
}

fn typed<'a>(
    base: &'a [(&'static str, String)],
    more: &[(&'static str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (k, v) in more {
        out.retain(|(n, _)| n != k);
        out.push((k, v));
    }
    out
}

fn order_facts(app: &TestApp, id: i64) -> (String, bool, Option<i64>, i64) {
    orders::table
        .find(id)
        .select((
            orders::status,
            orders::on_account,
            orders::company_id,
            orders::total_cents,
        ))
        .first(&mut *app.conn())
        .unwrap()
}

fn order_count(app: &TestApp) -> i64 {
    orders::table.count().get_result(&mut *app.conn()).unwrap()
}

fn id_in(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

fn mail_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    outbox::table
        .filter(outbox::recipient.eq(to))
        .order(outbox::id)
        .select((outbox::subject, outbox::body_text))
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn support_takes_a_company_order_on_account_and_a_consumer_order_by_link_and_both_reach_the_board()
{
    let app = TestApp::spawn();
    let date = offered_dates(&app)[0].clone();
    crate::business::company_admin(&app, "Bakkerij Bol", "eva@bakkerij.nl", None);
    crate::business::approve_all(&app);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let base = delivery_to_ans(&date);

    // The company's order, on account: confirmed at once, at the catalogue's price.
    let company = typed(
        &base,
        &[
            ("sender_name", "Eva de Vries"),
            ("sender_email", "eva@bakkerij.nl"),
            ("payment", "account"),
        ],
    );
    let (status, location, _) = phone_order(&app, &support, &company);
    assert_eq!(status, 303);
    let company_order = id_in(&location);
    let (state, on_account, company_id, total) = order_facts(&app, company_order);
    assert_eq!((state.as_str(), on_account), ("confirmed", true));
    assert!(company_id.is_some());
    assert_eq!(
        total,
        2 * 3495 + 495,
        "two medium bouquets and the Purmerend fee"
    );
    assert!(
        mail_to(&app, "eva@bakkerij.nl")
            .iter()
            .any(|(s, _)| s.contains("Bevestiging") || s.contains("bevestig"))
    );

    // A consumer's order: a payment link by mail; not on the board until paid.
    let consumer = typed(
        &base,
        &[
            ("sender_name", "Piet Smit"),
            ("sender_email", "piet@example.nl"),
            ("payment", "link"),
        ],
    );
    let (status, location, _) = phone_order(&app, &support, &consumer);
    assert_eq!(status, 303);
    let consumer_order = id_in(&location);
    assert_eq!(order_facts(&app, consumer_order).0, "awaiting_payment");
    let mails = mail_to(&app, "piet@example.nl");
    let (subject, text) = mails.last().unwrap();
    assert!(subject.starts_with("Betaal je bestelling"), "{subject}");
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/testbetaling/"))
        .unwrap();
    let board = format!("/medewerkers/productie?datum={date}");
    assert_eq!(page(&app, &support, &board).count(".board-order"), 1);

    // Piet pays with the link: both orders are on the board.
    let pay = format!(
        "/testbetaling/{}",
        link.split_once("/testbetaling/").unwrap().1
    );
    let token = app.page(&pay, 200).csrf_token();
    app.post_form(&pay, &[("outcome", "paid"), ("csrf_token", &token)]);
    assert_eq!(order_facts(&app, consumer_order).0, "confirmed");
    assert_eq!(page(&app, &support, &board).count(".board-order"), 2);
}

#[test]
fn an_order_paid_in_the_shop_is_confirmed_at_once_and_a_second_submit_places_nothing_more() {
    let app = TestApp::spawn();
    let date = offered_dates(&app)[0].clone();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let base = delivery_to_ans(&date);
    let fields = typed(
        &base,
        &[
            ("sender_name", "Truus"),
            ("sender_email", "truus@example.nl"),
            ("payment", "shop"),
            ("fulfilment", "pickup"),
        ],
    );
    let form = page(&app, &owner, NEW);
    let mut sent = form.form_fields("form.phone-order");
    for (name, value) in &fields {
        sent.retain(|(n, _)| n != name);
        sent.push(((*name).to_owned(), (*value).to_owned()));
    }
    sent.push(("csrf_token".into(), form.csrf_token()));
    let (status, location, _) = post_fields(&app, &owner, &sent);
    assert_eq!(status, 303);
    let id = id_in(&location);
    let (state, _, _, total) = order_facts(&app, id);
    assert_eq!(state, "confirmed");
    assert_eq!(total, 2 * 3495, "picked up: no fee");
    // The same form sent again (a double click): the same order, nothing twice.
    let (status, again, _) = post_fields(&app, &owner, &sent);
    assert_eq!((status, again), (303, location));
    assert_eq!(order_count(&app), 1);
    assert!(
        page(&app, &owner, &format!("/medewerkers/bestellingen/{id}"))
            .text(".flash")
            .contains("al geplaatst")
    );
}

#[test]
fn a_phone_order_that_cannot_be_placed_says_what_to_fix_and_places_nothing() {
    let app = TestApp::spawn();
    let date = offered_dates(&app)[0].clone();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let base = delivery_to_ans(&date);
    let person = [
        ("sender_name", "Piet Smit"),
        ("sender_email", "piet@example.nl"),
        ("payment", "link"),
    ];
    let cases: [(&[(&str, &str)], &str); 5] = [
        (&[("product_1", "")], "#product_1-error"),
        (&[("size_1", "one")], "#product_1-error"),
        (&[("quantity_1", "0")], "#quantity_1-error"),
        (&[("payment", "account")], "#payment-error"),
        (
            &[("recipient_postcode", "9711 AA")],
            "#recipient_postcode-error",
        ),
    ];
    for (change, selector) in cases {
        let mut fields = typed(&base, &person);
        for (k, v) in change {
            fields.retain(|(n, _)| n != k);
            fields.push((k, v));
        }
        let (status, _, seen) = phone_order(&app, &support, &fields);
        assert_eq!(status, 422, "{change:?}");
        assert!(!seen.text(selector).is_empty(), "{change:?}");
        // What was typed stays.
        assert_eq!(
            seen.attrs("#recipient_name", "value"),
            vec!["Ans de Vries".to_owned()],
            "{change:?}"
        );
    }
    assert_eq!(order_count(&app), 0);
}

#[test]
fn extras_ticked_on_a_phone_line_are_charged_and_one_the_bouquet_does_not_offer_is_refused() {
    let app = TestApp::spawn();
    let date = offered_dates(&app)[0].clone();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let base = delivery_to_ans(&date);
    let person = [
        ("sender_name", "Piet Smit"),
        ("sender_email", "piet@example.nl"),
        ("payment", "shop"),
    ];

    // The roses do not come with a balloon: refused beside the extras, what was ticked stays.
    let mut fields = typed(&base, &person);
    fields.extend([("addons_1", "glazen-vaas"), ("addons_1", "ballon-hoera")]);
    let (status, _, seen) = phone_order(&app, &support, &fields);
    assert_eq!(status, 422);
    assert!(
        seen.text("#addons_1-error")
            .contains("niet alle aangevinkte"),
        "{}",
        seen.text("#addons_1-error")
    );
    assert_eq!(
        seen.attrs("input[name=addons_1][checked]", "value"),
        vec!["glazen-vaas".to_owned(), "ballon-hoera".to_owned()]
    );

    // Extras ticked on a line without a product would be lost: refused too.
    let mut fields = typed(&base, &person);
    fields.push(("addons_2", "wenskaart"));
    let (status, _, seen) = phone_order(&app, &support, &fields);
    assert_eq!(status, 422);
    assert!(seen.text("#product_2-error").contains("Kies een product"));
    assert_eq!(order_count(&app), 0);

    // A vase with each of the two bouquets: charged at the catalogue's price and stored.
    let mut fields = typed(&base, &person);
    fields.push(("addons_1", "glazen-vaas"));
    let (status, location, _) = phone_order(&app, &support, &fields);
    assert_eq!(status, 303);
    let id = id_in(&location);
    assert_eq!(order_facts(&app, id).3, 2 * (3495 + 1295) + 495);
    let extras: Vec<(String, i64)> = order_line_addons::table
        .inner_join(order_lines::table)
        .filter(order_lines::order_id.eq(id))
        .select((
            order_line_addons::addon_slug,
            order_line_addons::price_cents,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(extras, vec![("glazen-vaas".to_owned(), 1295)]);
    assert!(
        page(&app, &support, &format!("/medewerkers/bestellingen/{id}"))
            .text("main")
            .contains("Glazen vaas")
    );
}

#[test]
fn money_paid_in_the_shop_goes_back_at_the_counter_and_is_never_sent_to_the_payment_service() {
    let app = TestApp::spawn();
    let date = offered_dates(&app)[0].clone();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let base = delivery_to_ans(&date);
    let fields = typed(
        &base,
        &[
            ("sender_name", "Truus"),
            ("sender_email", "truus@example.nl"),
            ("payment", "shop"),
        ],
    );
    let (status, location, _) = phone_order(&app, &owner, &fields);
    assert_eq!(status, 303);
    let id = id_in(&location);
    let order = format!("/medewerkers/bestellingen/{id}");
    let confirm = format!("{order}/annuleren");
    assert_eq!(post_from(&app, &owner, &confirm, &confirm, &[]), 303);

    // Recorded as handed back at the counter: no refund at the provider.
    let rows: Vec<(String, Option<String>, i64)> = refunds::table
        .select((
            refunds::status,
            refunds::provider_refund_id,
            refunds::amount_cents,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(rows, vec![("counter".to_owned(), None, 2 * 3495 + 495)]);
    let seen = page(&app, &owner, &order);
    assert!(
        seen.text(".flash").contains("in de winkel betaald"),
        "{}",
        seen.text(".flash")
    );
    assert!(seen.text("main").contains("Terug te geven aan de balie"));
    // The customer reads where the money is, not that it reaches their account.
    let (_, text) = mail_to(&app, "truus@example.nl").pop().unwrap();
    assert!(text.contains("krijg je daar terug"), "{text}");
    assert!(!text.contains("op je rekening"), "{text}");
}
