//! Changing a confirmed order at the order desk (address, date, card, lines) and settling the
//! difference, and refunding part of a payment: what the customer is charged, refunded and
//! told, and what the database holds.

use bloei::db::schema::{delivery_days, orders, outbox, refunds};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::back_office::page;
use crate::order_desk::{post_from, set_status};
use crate::roles::{Visitor, client_for};
use crate::staff::status_of;
use crate::support::{Page, TestApp};

/// The change form of an order as stored, with `changes` typed over it; the answer.
fn change(app: &TestApp, client: &Client, id: i64, changes: &[(&str, &str)]) -> (u16, Page) {
    let path = format!("/medewerkers/bestellingen/{id}/wijzigen");
    let form = page(app, client, &path);
    let mut fields = form.form_fields("form.order-edit");
    // Typed over the page's values; a name typed twice (ticked boxes) is sent twice.
    fields.retain(|(n, _)| !changes.iter().any(|(name, _)| name == n));
    for (name, value) in changes {
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    fields.push(("csrf_token".into(), form.csrf_token()));
    let response = client.post(app.url(&path)).form(&fields).send().unwrap();
    let status = response.status().as_u16();
    (status, Page::parse(&response.text().unwrap()))
}

fn money_of(app: &TestApp, id: i64) -> (i64, i64, Option<String>) {
    orders::table
        .find(id)
        .select((
            orders::delivery_fee_cents,
            orders::total_cents,
            orders::zone_name,
        ))
        .first(&mut *app.conn())
        .unwrap()
}

/// Every refund as `(kind, amount in cents, status)`.
fn refund_rows(app: &TestApp) -> Vec<(String, i64, String)> {
    refunds::table
        .select((refunds::kind, refunds::amount_cents, refunds::status))
        .load(&mut *app.conn())
        .unwrap()
}

fn newest_mail(app: &TestApp) -> (String, String) {
    outbox::table
        .order(outbox::id.desc())
        .select((outbox::subject, outbox::body_text))
        .first(&mut *app.conn())
        .unwrap()
}

#[test]
fn an_address_in_a_dearer_zone_raises_the_fee_and_the_customer_gets_a_link_for_the_difference() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let (fee, total, zone) = money_of(&app, id);
    assert_eq!((fee, zone.as_deref()), (495, Some("Purmerend")));
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let (status, _) = change(
        &app,
        &support,
        id,
        &[
            ("recipient_street", "Damrak 1"),
            ("recipient_postcode", "1012 LG"),
            ("recipient_city", "Amsterdam"),
        ],
    );
    assert_eq!(status, 303);
    assert_eq!(
        money_of(&app, id),
        (995, total + 500, Some("Amsterdam".into()))
    );
    // A payment of the difference, its link mailed to the customer.
    let (amount, purpose, state): (i64, String, String) = bloei::db::schema::payments::table
        .order(bloei::db::schema::payments::id.desc())
        .select((
            bloei::db::schema::payments::amount_cents,
            bloei::db::schema::payments::purpose,
            bloei::db::schema::payments::status,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (amount, purpose.as_str(), state.as_str()),
        (500, "difference", "open")
    );
    let (subject, text) = newest_mail(&app);
    assert!(subject.contains("gewijzigd"), "{subject}");
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/testbetaling/"))
        .unwrap_or_else(|| panic!("a payment link: {text}"))
        .to_owned();
    assert!(text.contains("€ 5,00 meer"), "{text}");
    let order_page = format!("/medewerkers/bestellingen/{id}");
    assert!(
        page(&app, &support, &order_page)
            .text(".owed")
            .contains("€ 5,00")
    );
    // The customer's status page offers the same payment.
    let token: String = orders::table
        .find(id)
        .select(orders::status_token)
        .first(&mut *app.conn())
        .unwrap();
    let status = app.page(&format!("/bestelling/{token}"), 200);
    assert_eq!(
        status.attrs("a.button", "href").len(),
        1,
        "the difference to pay"
    );
    // The customer pays it; the order stands, nothing is owed any more.
    let pay = link.split_once("/testbetaling/").unwrap().1;
    let pay_path = format!("/testbetaling/{pay}");
    let token = app.page(&pay_path, 200).csrf_token();
    app.post_form(&pay_path, &[("outcome", "paid"), ("csrf_token", &token)]);
    assert_eq!(status_of(&app, id), "confirmed");
    assert_eq!(page(&app, &support, &order_page).count(".owed"), 0);
    // The history and the address: the courier's list and the ticket follow the change.
    let details = page(&app, &support, &order_page).text(".details");
    assert!(
        details.contains("Damrak 1") && details.contains("1012 LG"),
        "{details}"
    );
}

#[test]
fn an_address_in_a_cheaper_zone_refunds_the_difference() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    // The order was placed for Amsterdam (fee € 9,95) and paid in full.
    diesel::update(orders::table.find(id))
        .set((
            orders::delivery_fee_cents.eq(995),
            orders::total_cents.eq(orders::total_cents + 500),
            orders::recipient_postcode.eq("1012 LG"),
            orders::zone_name.eq("Amsterdam"),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(bloei::db::schema::payments::table)
        .set(
            bloei::db::schema::payments::amount_cents
                .eq(bloei::db::schema::payments::amount_cents + 500),
        )
        .execute(&mut *app.conn())
        .unwrap();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let (status, _) = change(&app, &owner, id, &[("recipient_postcode", "1441 AB")]);
    assert_eq!(status, 303);
    assert_eq!(money_of(&app, id).0, 495);
    let rows = refund_rows(&app);
    assert_eq!(
        rows,
        vec![("partial".to_owned(), 500, "accepted".to_owned())]
    );
    let (_, text) = newest_mail(&app);
    assert!(text.contains("We betalen € 5,00 aan je terug"), "{text}");
    // Cancelling afterwards refunds only what is left.
    let confirm = format!("/medewerkers/bestellingen/{id}/annuleren");
    assert_eq!(post_from(&app, &owner, &confirm, &confirm, &[]), 303);
    let paid: i64 = bloei::db::schema::payments::table
        .select(bloei::db::schema::payments::amount_cents)
        .first(&mut *app.conn())
        .unwrap();
    let refunded: Vec<i64> = refunds::table
        .order(refunds::id)
        .select(refunds::amount_cents)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        refunded,
        vec![500, paid - 500],
        "the rest, never more than was paid"
    );
}

#[test]
fn a_change_that_cannot_be_delivered_is_refused_beside_the_field_and_nothing_changes() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let before = money_of(&app, id);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    for (changes, field, says) in [
        (
            vec![("recipient_postcode", "9711 AA")],
            "#recipient_postcode-error",
            "bezorgen",
        ),
        (
            vec![("recipient_postcode", "12")],
            "#recipient_postcode-error",
            "postcode",
        ),
        (
            vec![("delivery_date", "2020-01-01")],
            "#delivery_date-error",
            "",
        ),
        (vec![("recipient_name", "")], "#recipient_name-error", ""),
    ] {
        let (status, seen) = change(&app, &support, id, &changes);
        assert_eq!(status, 422, "{changes:?}");
        let message = seen.text(field);
        assert!(
            !message.is_empty() && message.to_lowercase().contains(says),
            "{changes:?}: {message}"
        );
        assert_eq!(
            seen.attrs("#recipient_street", "value"),
            vec!["Kerkstraat 12".to_owned()]
        );
    }
    assert_eq!(money_of(&app, id), before);
    let kept: chrono::NaiveDate = orders::table
        .find(id)
        .select(orders::delivery_date)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(kept.format("%Y-%m-%d").to_string(), date);
}

#[test]
fn a_new_date_takes_a_place_there_and_frees_the_old_one_and_production_ends_changes() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let old: chrono::NaiveDate = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
    let new = old + chrono::Days::new(7);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let (status, seen) = change(
        &app,
        &support,
        id,
        &[("delivery_date", &new.format("%Y-%m-%d").to_string())],
    );
    assert_eq!(status, 303, "{}", seen.text("main"));
    let booked = |day: chrono::NaiveDate| -> i32 {
        delivery_days::table
            .filter(delivery_days::day.eq(day))
            .select(delivery_days::booked)
            .first(&mut *app.conn())
            .unwrap_or(0)
    };
    assert_eq!((booked(old), booked(new)), (0, 1));
    assert!(newest_mail(&app).1.contains("blijft gelijk"));
    // Once the florist starts, the order is theirs: no more changes.
    set_status(&app, id, "in_production");
    let path = format!("/medewerkers/bestellingen/{id}/wijzigen");
    assert_eq!(support.get(app.url(&path)).send().unwrap().status(), 409);
    let token = page(&app, &support, "/medewerkers").csrf_token();
    let answer = support
        .post(app.url(&path))
        .form(&[
            ("recipient_postcode", "1012 LG"),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .unwrap();
    assert_eq!(answer.status(), 409);
    assert_eq!(money_of(&app, id).0, 495);
}

#[test]
fn a_refund_larger_than_what_was_paid_is_refused_beside_the_field_and_a_fitting_one_is_sent() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let order = format!("/medewerkers/bestellingen/{id}");
    let refund = format!("{order}/terugbetalen");
    let paid: i64 = orders::table
        .find(id)
        .select(orders::total_cents)
        .first(&mut *app.conn())
        .unwrap();
    let too_much = format!("{},00", paid / 100 + 1);
    for (typed, says) in [
        (too_much.as_str(), "meer dan"),
        ("0", "boven € 0"),
        ("-5", "negatief"),
        ("veel", ""),
        ("3,333", "komma"),
    ] {
        let token = page(&app, &owner, &order).csrf_token();
        let response = owner
            .post(app.url(&refund))
            .form(&[("bedrag", typed), ("csrf_token", token.as_str())])
            .send()
            .unwrap();
        assert_eq!(response.status(), 422, "{typed}");
        let seen = Page::parse(&response.text().unwrap());
        let message = seen.text("#bedrag-error");
        assert!(
            !message.is_empty() && message.contains(says),
            "{typed}: {message}"
        );
        assert_eq!(seen.attrs("#bedrag", "value"), vec![typed.to_owned()]);
    }
    assert_eq!(
        refunds::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        0
    );
    assert_eq!(
        post_from(&app, &owner, &order, &refund, &[("bedrag", "10,00")]),
        303
    );
    let rows = refund_rows(&app);
    assert_eq!(
        rows,
        vec![("partial".to_owned(), 1000, "accepted".to_owned())]
    );
    let (subject, text) = newest_mail(&app);
    assert!(subject.starts_with("Terugbetaling"), "{subject}");
    assert!(text.contains("We betalen € 10,00 aan je terug"), "{text}");
    let left = page(&app, &owner, &order).text("#bedrag-hint");
    let expected = format!("€ {},{:02}", (paid - 1000) / 100, (paid - 1000) % 100);
    assert!(left.contains(&expected), "{left}");
}

fn lines_of(app: &TestApp, id: i64) -> Vec<(i64, String, i32, i64)> {
    bloei::db::schema::order_lines::table
        .filter(bloei::db::schema::order_lines::order_id.eq(id))
        .order(bloei::db::schema::order_lines::position)
        .select((
            bloei::db::schema::order_lines::id,
            bloei::db::schema::order_lines::size,
            bloei::db::schema::order_lines::quantity,
            bloei::db::schema::order_lines::line_total_cents,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn one_more_bouquet_and_an_added_product_raise_the_total_and_the_difference_is_asked() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let before = lines_of(&app, id);
    let (line, _, quantity, line_total) = before[0].clone();
    let (_, total, _) = money_of(&app, id);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let more = (quantity + 1).to_string();
    let field = format!("qty_{line}");
    let (status, _) = change(
        &app,
        &support,
        id,
        &[
            (field.as_str(), more.as_str()),
            ("add_product", "rode-rozen-klassiek"),
            ("add_size", "S"),
            ("add_quantity", "1"),
        ],
    );
    assert_eq!(status, 303);
    let after = lines_of(&app, id);
    assert_eq!(after.len(), 2);
    let per_item = line_total / i64::from(quantity);
    assert_eq!(
        after[0].3,
        per_item * i64::from(quantity + 1),
        "the price it was ordered at"
    );
    assert_eq!(
        (after[1].1.as_str(), after[1].3),
        ("S", 2495),
        "today's price"
    );
    let (_, new_total, _) = money_of(&app, id);
    assert_eq!(new_total, total + per_item + 2495);
    let owed: i64 = bloei::db::schema::payments::table
        .filter(bloei::db::schema::payments::purpose.eq("difference"))
        .select(bloei::db::schema::payments::amount_cents)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(owed, per_item + 2495);
}

#[test]
fn taking_every_product_off_or_a_wrong_quantity_is_refused_and_the_lines_stay() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let before = lines_of(&app, id);
    let field = format!("qty_{}", before[0].0);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    for (typed, says) in [
        ("0", "minstens één product"),
        ("veel", "0 tot en met 25"),
        ("26", "0 tot en met 25"),
    ] {
        let (status, seen) = change(&app, &support, id, &[(field.as_str(), typed)]);
        assert_eq!(status, 422, "{typed}");
        assert!(
            seen.text("#lines-error").contains(says),
            "{typed}: {}",
            seen.text("#lines-error")
        );
        assert_eq!(
            seen.attrs(&format!("#{field}"), "value"),
            vec![typed.to_owned()]
        );
    }
    let (status, seen) = change(
        &app,
        &support,
        id,
        &[("add_product", "rode-rozen-klassiek"), ("add_size", "one")],
    );
    assert_eq!(status, 422);
    assert!(!seen.text("#add_product-error").is_empty());
    assert_eq!(lines_of(&app, id), before);
}

#[test]
fn a_product_added_with_extras_is_charged_with_them_and_an_extra_it_does_not_offer_is_refused() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let before = lines_of(&app, id);
    let (_, total, _) = money_of(&app, id);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let roses = [
        ("add_product", "rode-rozen-klassiek"),
        ("add_size", "S"),
        ("add_quantity", "2"),
    ];

    let mut refused = roses.to_vec();
    refused.extend([("add_addons", "wenskaart"), ("add_addons", "ballon-hoera")]);
    let (status, seen) = change(&app, &support, id, &refused);
    assert_eq!(status, 422);
    assert!(!seen.text("#add_addons-error").is_empty());
    assert_eq!(
        seen.attrs("input[name=add_addons][checked]", "value"),
        vec!["wenskaart".to_owned(), "ballon-hoera".to_owned()]
    );
    assert_eq!(lines_of(&app, id), before);

    let mut fields = roses.to_vec();
    fields.push(("add_addons", "glazen-vaas"));
    let (status, _) = change(&app, &support, id, &fields);
    assert_eq!(status, 303);
    let after = lines_of(&app, id);
    assert_eq!(after.len(), before.len() + 1);
    let added = after.last().unwrap();
    assert_eq!(
        added.3,
        2 * (2495 + 1295),
        "two small bouquets, each with a vase"
    );
    let extras: Vec<(String, i64)> = bloei::db::schema::order_line_addons::table
        .filter(bloei::db::schema::order_line_addons::line_id.eq(added.0))
        .select((
            bloei::db::schema::order_line_addons::addon_slug,
            bloei::db::schema::order_line_addons::price_cents,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(extras, vec![("glazen-vaas".to_owned(), 1295)]);
    assert_eq!(money_of(&app, id).1, total + 2 * (2495 + 1295));
    // The history says what changed and who changed it.
    let history = page(&app, &support, &format!("/medewerkers/bestellingen/{id}")).text(".history");
    assert!(history.contains("gewijzigd: producten ·"), "{history}");
}

#[test]
fn saving_the_form_without_a_change_says_so_and_neither_mails_nor_records_anything() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let mails_before = bloei::db::schema::outbox::table
        .count()
        .get_result::<i64>(&mut *app.conn())
        .unwrap();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let (status, seen) = change(&app, &support, id, &[]);
    assert_eq!(status, 422);
    assert!(seen.text("#lines-error").contains("niets gewijzigd"));
    let mails_after = bloei::db::schema::outbox::table
        .count()
        .get_result::<i64>(&mut *app.conn())
        .unwrap();
    assert_eq!(mails_after, mails_before);
    let history = page(&app, &support, &format!("/medewerkers/bestellingen/{id}")).text(".history");
    assert!(!history.contains("gewijzigd"), "{history}");

    // A new card text is a change: recorded as one.
    let (status, _) = change(&app, &support, id, &[("card_message", "Sterkte!")]);
    assert_eq!(status, 303);
    let history = page(&app, &support, &format!("/medewerkers/bestellingen/{id}")).text(".history");
    assert!(history.contains("gewijzigd: kaartje"), "{history}");
}
