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
/// The looks at customer data in the audit log (staff logins left out).
fn looks(app: &TestApp) -> Vec<(String, Option<i64>, String)> {
    audit_log::table
        .filter(audit_log::action.ne("staff_login"))
        .order(audit_log::id)
        .select((audit_log::action, audit_log::staff_id, audit_log::subject))
        .load(&mut *app.conn())
        .unwrap()
}

pub(crate) fn set_status(app: &TestApp, id: i64, status: &str) {
    diesel::update(orders::table.find(id))
        .set(orders::status.eq(status))
        .execute(&mut *app.conn())
        .unwrap();
}

/// Posts a form from `from`'s page (its CSRF token) to `to`; the status code.
pub(crate) fn post_from(
    app: &TestApp,
    client: &Client,
    from: &str,
    to: &str,
    fields: &[(&str, &str)],
) -> u16 {
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
