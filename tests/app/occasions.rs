//! Occasion reminders: saved only with the reminders consent (P2), a name, a day and a month
//! (P3); one reminder per occasion a year, even with several instances; withdrawing the consent
//! deletes them.

use bloei::db::schema::{customer_occasions, outbox};
use chrono::Datelike;
use diesel::prelude::*;

use crate::accounts::register_and_verify;
use crate::self_service::{app_page, send};
use crate::support::{Page, TestApp, browser};

fn occasions(app: &TestApp) -> Vec<String> {
    customer_occasions::table
        .order(customer_occasions::id)
        .select(customer_occasions::label)
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn occasions_need_the_reminders_consent_are_reminded_once_a_year_and_go_with_the_consent() {
    let app = TestApp::spawn();
    let client = browser();
    register_and_verify(&app, &client, "Mira Bos", "mira@example.nl");
    let today = bloei::business::invoice::today();
    let target = today + chrono::Duration::days(7);
    let (day, month) = (target.day().to_string(), target.month().to_string());

    // Without the consent nothing is saved, and the page offers the consent.
    let refused = send(
        &app,
        &client,
        "/account/gelegenheden",
        &[
            ("label", "Verjaardag mam"),
            ("day", &day),
            ("month", &month),
        ],
    );
    assert_eq!(refused.status(), 422);
    assert!(occasions(&app).is_empty());
    let granted = send(
        &app,
        &client,
        "/account/privacy",
        &[
            ("doel", "reminders"),
            ("versie", "1"),
            ("keuze", "geven"),
            ("terug", "/account/gelegenheden"),
        ],
    );
    assert_eq!(granted.headers()["location"], "/account/gelegenheden");

    // A day the month does not have: refused, what was typed kept.
    let bad = send(
        &app,
        &client,
        "/account/gelegenheden",
        &[("label", "Trouwdag"), ("day", "31"), ("month", "4")],
    );
    assert_eq!(bad.status(), 422);
    let bad = Page::parse(&bad.text().unwrap());
    assert_eq!(bad.attrs("#label", "value"), ["Trouwdag"]);
    assert!(bad.text("#occasion-error").contains("bestaat niet"));

    let saved = send(
        &app,
        &client,
        "/account/gelegenheden",
        &[
            ("label", "Verjaardag mam"),
            ("day", &day),
            ("month", &month),
        ],
    );
    assert_eq!(saved.status(), 303);
    assert!(
        app_page(&app, &client, "/account/gelegenheden")
            .text(".occasions")
            .contains("Verjaardag mam")
    );

    let context = bloei::mail::messages::MailContext {
        public_url: app.base.clone(),
        shop_name: "Flowers by Jennifer".into(),
    };
    let sent = bloei::privacy::occasions::send_due(&mut app.conn(), &context, today, 7).unwrap();
    assert_eq!(sent, 1);
    let again = bloei::privacy::occasions::send_due(&mut app.conn(), &context, today, 7).unwrap();
    assert_eq!(again, 0, "one reminder per occasion a year");
    let subject: String = outbox::table
        .filter(outbox::recipient.eq("mira@example.nl"))
        .filter(outbox::subject.like("Herinnering%"))
        .select(outbox::subject)
        .first(&mut *app.conn())
        .unwrap();
    assert!(subject.contains("Verjaardag mam"), "{subject}");

    // Another account cannot delete it.
    let other = browser();
    register_and_verify(&app, &other, "Ben Bos", "ben@example.nl");
    let id: i64 = customer_occasions::table
        .select(customer_occasions::id)
        .first(&mut *app.conn())
        .unwrap();
    let stranger = send(
        &app,
        &other,
        &format!("/account/gelegenheden/{id}/verwijderen"),
        &[],
    );
    assert_eq!(stranger.status(), 404);
    assert_eq!(occasions(&app).len(), 1);

    // Withdrawing the consent deletes the occasions.
    send(
        &app,
        &client,
        "/account/privacy",
        &[
            ("doel", "reminders"),
            ("versie", "1"),
            ("keuze", "intrekken"),
        ],
    );
    assert!(occasions(&app).is_empty());
}
