//! The order desk: finding an order by what a caller says (every look audited, P14), the order
//! page with its history, cancelling with a refund, and undoing a step taken by mistake.

use bloei::db::schema::{audit_log, delivery_days, order_events, orders, outbox, refunds, staff};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::back_office::page;
use crate::roles::{Visitor, client_for};
use crate::staff::status_of;
use crate::support::{Page, TestApp};

fn staff_id(app: &TestApp, email: &str) -> i64 {
    staff::table
        .filter(staff::email.eq(email))
        .select(staff::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// The audit log's `(action, staff, subject)` rows, oldest first.
fn looks(app: &TestApp) -> Vec<(String, Option<i64>, String)> {
    audit_log::table
        .order(audit_log::id)
        .select((audit_log::action, audit_log::staff_id, audit_log::subject))
        .load(&mut *app.conn())
        .unwrap()
}

fn set_status(app: &TestApp, id: i64, status: &str) {
    diesel::update(orders::table.find(id))
        .set(orders::status.eq(status))
        .execute(&mut *app.conn())
        .unwrap();
}

/// Posts a form from `from`'s page (its CSRF token) to `to`; the status code.
fn post_from(app: &TestApp, client: &Client, from: &str, to: &str, fields: &[(&str, &str)]) -> u16 {
    let token = page(app, client, from).csrf_token();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", &token));
    client
        .post(app.url(to))
        .form(&fields)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn support_finds_an_order_by_what_a_caller_says_and_every_look_is_audited() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let number: String = orders::table
        .find(id)
        .select(orders::number)
        .first(&mut *app.conn())
        .unwrap();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let me = staff_id(&app, "support@example.nl");
    for query in [
        number.as_str(),
        "jansen",
        "JAN@EXAMPLE",
        "1441 ab",
        "1441AB",
        "12345678",
        "ans de vries",
    ] {
        let seen = page(
            &app,
            &support,
            &format!("/medewerkers/bestellingen?q={}", query.replace(' ', "+")),
        );
        assert_eq!(
            seen.texts(".order-hits tbody th"),
            vec![number.clone()],
            "{query}"
        );
    }
    let searched = looks(&app);
    assert_eq!(
        searched.len(),
        7,
        "one entry per order listed: {searched:?}"
    );
    assert!(
        searched
            .iter()
            .all(|l| l == &("order_search".to_owned(), Some(me), format!("order:{id}")))
    );
    // Nothing found, a search too short, or wildcards typed: nothing listed, nothing logged.
    for query in ["Pietersen", "j", "%25", "_"] {
        let seen = page(
            &app,
            &support,
            &format!("/medewerkers/bestellingen?q={query}"),
        );
        assert_eq!(seen.count(".order-hits tbody tr"), 0, "{query}");
    }
    assert!(
        page(&app, &support, "/medewerkers/bestellingen?q=j")
            .text("#q-error")
            .contains("2 tekens")
    );
    assert_eq!(looks(&app).len(), 7);
    // The order page: sender, recipient, lines, history; and one more audit entry.
    let seen = page(&app, &support, &format!("/medewerkers/bestellingen/{id}"));
    let details = seen.text(".details");
    for expected in [
        "Jan Jansen",
        "jan@example.nl",
        "Ans de Vries",
        "Kerkstraat 12",
        "Van harte beterschap!",
    ] {
        assert!(details.contains(expected), "{expected}: {details}");
    }
    assert!(seen.text(".history").contains("geplaatst"));
    assert_eq!(
        looks(&app).last().unwrap(),
        &("order_view".to_owned(), Some(me), format!("order:{id}"))
    );
    // A florist makes the bouquets; looking customers up is not their work (P14).
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let status = florist
        .get(app.url("/medewerkers/bestellingen?q=jansen"))
        .send()
        .unwrap()
        .status();
    assert_eq!(status, 403);
    assert_eq!(looks(&app).len(), 8);
}

#[test]
fn cancelling_a_paid_order_with_the_test_provider_refunds_it_and_tells_the_customer() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let order = format!("/medewerkers/bestellingen/{id}");
    let confirm = format!("{order}/annuleren");
    // Asking first: the amount and what happens, and nothing changed yet.
    let question = page(&app, &owner, &confirm);
    assert!(
        question
            .text(".confirm")
            .contains("gaat terug naar de klant")
    );
    assert_eq!(status_of(&app, id), "confirmed");
    assert_eq!(post_from(&app, &owner, &confirm, &confirm, &[]), 303);
    assert_eq!(status_of(&app, id), "cancelled");
    let rows: Vec<(String, Option<String>)> = refunds::table
        .select((refunds::status, refunds::provider_refund_id))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "accepted");
    assert!(
        rows[0]
            .1
            .as_deref()
            .is_some_and(|r| r.starts_with("tst_re_"))
    );
    let booked: i32 = delivery_days::table
        .select(delivery_days::booked)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, 0);
    let text: String = outbox::table
        .order(outbox::id.desc())
        .select(outbox::body_text)
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        text.contains("aan je terug") && text.contains("5 werkdagen"),
        "{text}"
    );
    // Pressed again (Back, then the button): nothing more happens.
    let again = owner
        .post(app.url(&confirm))
        .form(&[(
            "csrf_token",
            page(&app, &owner, &order).csrf_token().as_str(),
        )])
        .send()
        .unwrap();
    assert_eq!(again.status(), 303);
    let seen = page(&app, &owner, &order);
    assert!(seen.text(".flash").contains("niet (meer) geannuleerd"));
    assert_eq!(
        refunds::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        1
    );
    assert_eq!(
        seen.count("a[href$='/annuleren']"),
        0,
        "no cancel link any more"
    );
}

#[test]
fn an_order_in_production_cannot_be_cancelled_and_nothing_is_refunded() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    set_status(&app, id, "in_production");
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let confirm = format!("/medewerkers/bestellingen/{id}/annuleren");
    assert_eq!(owner.get(app.url(&confirm)).send().unwrap().status(), 409);
    let order = format!("/medewerkers/bestellingen/{id}");
    assert_eq!(post_from(&app, &owner, &order, &confirm, &[]), 303);
    assert_eq!(status_of(&app, id), "in_production");
    assert_eq!(
        refunds::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        0
    );
}

#[test]
fn a_florist_undoes_a_step_taken_by_mistake_with_a_reason_and_the_history_shows_it() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let board = format!("/medewerkers/productie?datum={date}");
    let status = format!("/medewerkers/bestellingen/{id}/status");
    let undo = format!("/medewerkers/bestellingen/{id}/terugzetten");
    assert_eq!(
        post_from(&app, &florist, &board, &status, &[("to", "in_production")]),
        303
    );
    // The board offers the undo for this order now.
    let seen = page(&app, &florist, &board);
    assert_eq!(
        seen.attrs("details.undo form", "action"),
        vec![undo.clone()]
    );
    // Without a reason: refused, with a message; the order stays where it is.
    assert_eq!(
        post_from(
            &app,
            &florist,
            &board,
            &undo,
            &[("reden", " "), ("terug", &board)]
        ),
        303
    );
    assert!(
        page(&app, &florist, &board)
            .text(".flash")
            .contains("reden")
    );
    assert_eq!(status_of(&app, id), "in_production");
    // With one: back to "Te maken", recorded with who and why.
    let reason = "Verkeerde bestelling aangeklikt";
    assert_eq!(
        post_from(
            &app,
            &florist,
            &board,
            &undo,
            &[("reden", reason), ("terug", &board)]
        ),
        303
    );
    assert_eq!(status_of(&app, id), "confirmed");
    let note: Option<String> = order_events::table
        .order(order_events::id.desc())
        .select(order_events::note)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(note.as_deref(), Some(reason));
    // Only once: the undo itself cannot be undone.
    assert_eq!(page(&app, &florist, &board).count("details.undo"), 0);
    assert_eq!(
        post_from(&app, &florist, &board, &undo, &[("reden", reason)]),
        409
    );
    // Support sees the step and its reason in the order's history.
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let history = page(&app, &support, &format!("/medewerkers/bestellingen/{id}")).text(".history");
    assert!(
        history.contains(reason) && history.contains("Jennifer"),
        "{history}"
    );
}

#[test]
fn nobody_undoes_a_step_their_role_could_not_take() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let board = format!("/medewerkers/productie?datum={date}");
    let status = format!("/medewerkers/bestellingen/{id}/status");
    assert_eq!(
        post_from(&app, &florist, &board, &status, &[("to", "in_production")]),
        303
    );
    let undo = format!("/medewerkers/bestellingen/{id}/terugzetten");
    for role in [Role::Courier, Role::Support] {
        let client = client_for(&app, Visitor::Staff(role));
        let answer = post_from(
            &app,
            &client,
            "/medewerkers",
            &undo,
            &[("reden", "per ongeluk")],
        );
        assert_eq!(answer, 409, "{role:?}");
    }
    assert_eq!(status_of(&app, id), "in_production");
    let anonymous = crate::support::browser();
    let token =
        Page::parse(&anonymous.get(app.url("/")).send().unwrap().text().unwrap()).csrf_token();
    let answer = anonymous
        .post(app.url(&undo))
        .form(&[("reden", "x"), ("csrf_token", token.as_str())])
        .send()
        .unwrap()
        .status();
    assert_eq!(answer, 303, "visitors are sent to the login");
    assert_eq!(status_of(&app, id), "in_production");
}

/// The change form of an order as stored, with `changes` typed over it; the answer.
fn change(app: &TestApp, client: &Client, id: i64, changes: &[(&str, &str)]) -> (u16, Page) {
    let path = format!("/medewerkers/bestellingen/{id}/wijzigen");
    let form = page(app, client, &path);
    let mut fields = form.form_fields("form.order-edit");
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
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
    let rows: Vec<(String, i64, String)> = refunds::table
        .select((refunds::kind, refunds::amount_cents, refunds::status))
        .load(&mut *app.conn())
        .unwrap();
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
    let rows: Vec<(String, i64, String)> = refunds::table
        .select((refunds::kind, refunds::amount_cents, refunds::status))
        .load(&mut *app.conn())
        .unwrap();
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
