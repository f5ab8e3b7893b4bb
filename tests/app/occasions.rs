//! Occasion reminders: saved only with the reminders consent (P2), a name, a day and a month
//! (P3); one reminder per occasion a year, even with several instances; withdrawing the consent
//! deletes them.

use bloei::db::schema::{consent_events, customer_occasions, outbox};
use chrono::Datelike;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::accounts::link_in_mail;
use crate::self_service::{app_page, send};
use crate::support::{Page, TestApp, browser};

fn occasions(app: &TestApp) -> Vec<String> {
    customer_occasions::table
        .order(customer_occasions::id)
        .select(customer_occasions::label)
        .load(&mut *app.conn())
        .unwrap()
}

/// Gives (or withdraws) the reminders consent from the account's privacy page.
fn reminders_consent(app: &TestApp, client: &Client, choice: &str) -> reqwest::blocking::Response {
    send(
        app,
        client,
        "/account/privacy",
        &[
            ("doel", "reminders"),
            ("versie", "1"),
            ("keuze", choice),
            ("terug", "/account/gelegenheden"),
        ],
    )
}

/// Saves an occasion on the day and month of `date`.
fn save(
    app: &TestApp,
    client: &Client,
    label: &str,
    date: chrono::NaiveDate,
) -> reqwest::blocking::Response {
    let (day, month) = (date.day().to_string(), date.month().to_string());
    send(
        app,
        client,
        "/account/gelegenheden",
        &[("label", label), ("day", &day), ("month", &month)],
    )
}

fn mail_context(app: &TestApp) -> bloei::mail::messages::MailContext {
    bloei::mail::messages::MailContext {
        public_url: app.base.clone(),
        shop_name: "Flowers by Jennifer".into(),
    }
}

#[test]
fn occasions_need_the_reminders_consent_are_reminded_once_a_year_and_go_with_the_consent() {
    let app = TestApp::spawn();
    let client = app.customer("Mira Bos", "mira@example.nl");
    let today = bloei::business::invoice::today();
    let target = today + chrono::Duration::days(7);

    // Without the consent nothing is saved, and the page offers the consent.
    let refused = save(&app, &client, "Verjaardag mam", target);
    assert_eq!(refused.status(), 422);
    assert!(occasions(&app).is_empty());
    let granted = reminders_consent(&app, &client, "geven");
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

    let saved = save(&app, &client, "Verjaardag mam", target);
    assert_eq!(saved.status(), 303);
    assert!(
        app_page(&app, &client, "/account/gelegenheden")
            .text(".occasions")
            .contains("Verjaardag mam")
    );

    let context = mail_context(&app);
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
    let other = app.customer("Ben Bos", "ben@example.nl");
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
    reminders_consent(&app, &client, "intrekken");
    assert!(occasions(&app).is_empty());
}

#[test]
fn a_reminder_mail_has_a_stop_link_and_one_click_header_that_withdraw_the_consent_without_logging_in()
 {
    let app = TestApp::spawn();
    let client = app.customer("Mira Bos", "mira@example.nl");
    let today = bloei::business::invoice::today();
    reminders_consent(&app, &client, "geven");
    save(&app, &client, "Trouwdag", today + chrono::Duration::days(7));
    save(
        &app,
        &client,
        "Verjaardag Ben",
        today + chrono::Duration::days(40),
    );
    assert_eq!(
        bloei::privacy::occasions::send_due(&mut app.conn(), &mail_context(&app), today, 7)
            .unwrap(),
        1
    );

    // P11: the link in the body and the List-Unsubscribe header are the same stop link.
    let link = link_in_mail(&app, "mira@example.nl", "/herinneringen/stoppen/");
    let (header, html): (Option<String>, String) = outbox::table
        .filter(outbox::subject.like("Herinnering%"))
        .select((outbox::list_unsubscribe, outbox::body_html))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        header.as_deref(),
        Some(format!("{}{link}", app.base).as_str())
    );
    assert!(html.contains(&link), "the HTML part links to it too");
    let ledger = || ledger_of(&app);

    // Opening the link (as a mail scanner would) changes nothing: a page with one button.
    let stranger = browser();
    let ask = Page::parse(&stranger.get(app.url(&link)).send().unwrap().text().unwrap());
    assert!(ask.text(".lead").contains("mira@example.nl"));
    assert_eq!(ask.attrs(".stop-reminders form", "action"), [link.as_str()]);
    assert_eq!(occasions(&app).len(), 2);
    assert_eq!(ledger().len(), 1);

    // A mail client's one-click POST, without session or form token: withdrawn, occasions gone.
    let one_click = || {
        stranger
            .post(app.url(&link))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .unwrap()
    };
    let stopped = one_click();
    assert_eq!(stopped.status(), 200);
    assert!(
        Page::parse(&stopped.text().unwrap())
            .text("[role=status]")
            .contains("geen herinneringen meer")
    );
    assert!(occasions(&app).is_empty());
    assert_eq!(
        ledger(),
        [(true, "account".to_owned()), (false, "email".to_owned())]
    );

    // Again: idempotent; the account shows the reminders off; an unknown link is a 404.
    assert_eq!(one_click().status(), 200);
    assert_eq!(ledger().len(), 2, "a second stop records nothing");
    let refused = save(&app, &client, "Nieuw", today + chrono::Duration::days(3));
    assert_eq!(refused.status(), 422, "saving needs the consent again");
    let unknown = stranger
        .post(app.url("/herinneringen/stoppen/onbekend"))
        .send()
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[test]
fn a_stop_link_past_its_year_says_so_and_other_account_links_are_no_stop_links() {
    let app = TestApp::spawn();
    let link = consenting_customer_with_stop_link(&app);
    {
        use bloei::db::schema::customer_tokens as t;
        diesel::update(t::table.filter(t::purpose.eq("stop-reminders")))
            .set(t::expires_at.eq(bloei::db::now() - chrono::Duration::days(1)))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let expired = browser().post(app.url(&link)).send().unwrap();
    assert_eq!(expired.status(), 410);
    assert!(
        expired.text().unwrap().contains("onder Privacykeuzes"),
        "the page says where stopping still works"
    );
    assert_eq!(
        ledger_of(&app).len(),
        1,
        "an expired link withdraws nothing"
    );

    // The token of the account's confirmation mail is no stop link.
    let confirm = link_in_mail(&app, "mira@example.nl", "/account/bevestigen/");
    let token = confirm.rsplit('/').next().unwrap();
    let wrong = browser()
        .post(app.url(&format!("/herinneringen/stoppen/{token}")))
        .send()
        .unwrap();
    assert_eq!(wrong.status(), 404);
    assert_eq!(ledger_of(&app).len(), 1);
}

/// Registers Mira with the reminders consent and makes a stop link for her (its path).
fn consenting_customer_with_stop_link(app: &TestApp) -> String {
    let client = app.customer("Mira Bos", "mira@example.nl");
    reminders_consent(app, &client, "geven");
    let id: i64 = bloei::db::schema::customers::table
        .select(bloei::db::schema::customers::id)
        .first(&mut *app.conn())
        .unwrap();
    bloei::privacy::reminder_stop::new_link(&mut app.conn(), "", id).unwrap()
}

fn ledger_of(app: &TestApp) -> Vec<(bool, String)> {
    consent_events::table
        .filter(consent_events::purpose.eq("reminders"))
        .order(consent_events::id)
        .select((consent_events::granted, consent_events::source))
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn stops_arriving_at_once_record_one_withdrawal() {
    let app = TestApp::spawn();
    let url = app.url(&consenting_customer_with_stop_link(&app));
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let posts: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| browser().post(&url).send().unwrap().status().as_u16()))
            .collect();
        posts.into_iter().map(|p| p.join().unwrap()).collect()
    });
    assert_eq!(statuses, [200; 8]);
    assert_eq!(
        ledger_of(&app),
        [(true, "account".to_owned()), (false, "email".to_owned())]
    );
}
