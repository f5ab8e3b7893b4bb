//! Accounts under attack: repeated registrations and password guesses are slowed down with a
//! clear wait, a new address counts only once confirmed, and confirming needs the password.

use bloei::db::schema::{customers, orders};
use diesel::prelude::*;

use crate::accounts::{PASSWORD, link_in_mail, log_in, register, send};
use crate::checkout::location;
use crate::support::{Page, TestApp, browser};

#[test]
fn registering_over_and_over_for_one_address_is_told_to_wait() {
    let app = TestApp::spawn();
    let mut last = 0;
    for _ in 0..4 {
        last = register(&app, &browser(), "Hans", "hans@example.nl")
            .status()
            .as_u16();
    }
    assert_eq!(last, 429);
    let response = register(&app, &browser(), "Hans", "hans@example.nl");
    assert!(response.headers().contains_key("retry-after"));
    assert!(
        Page::parse(&response.text().unwrap())
            .html
            .html()
            .contains("minu")
    );
}

#[test]
fn changing_the_address_takes_effect_only_after_the_new_one_confirms() {
    let app = TestApp::spawn();
    let client = app.customer("Ilse", "ilse@example.nl");
    let wrong = send(
        &app,
        &client,
        "/account/e-mail",
        &[
            ("new_email", "ilse@nieuw.nl"),
            ("password", "fout wachtwoord hier"),
        ],
    );
    assert_eq!(wrong.status(), 422);
    let asked = send(
        &app,
        &client,
        "/account/e-mail",
        &[("new_email", "ilse@nieuw.nl"), ("password", PASSWORD)],
    );
    assert_eq!(asked.status(), 200);
    let email: String = customers::table
        .select(customers::email)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(email, "ilse@example.nl", "not yet");
    // A reminder's stop link, sent to the old address before the change.
    let id: i64 = customers::table
        .select(customers::id)
        .first(&mut *app.conn())
        .unwrap();
    let stop = bloei::privacy::reminder_stop::new_link(&mut app.conn(), "", id).unwrap();
    assert_eq!(browser().get(app.url(&stop)).send().unwrap().status(), 200);
    let link = link_in_mail(&app, "ilse@nieuw.nl", "/account/e-mail/bevestigen/");
    assert_eq!(
        location(&send(&app, &client, &link, &[("password", PASSWORD)])),
        "/account"
    );
    let email: String = customers::table
        .select(customers::email)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(email, "ilse@nieuw.nl");
    assert_eq!(
        browser().get(app.url(&stop)).send().unwrap().status(),
        404,
        "the old mailbox's stop link neither shows the new address nor works"
    );
}

#[test]
fn guessing_a_customers_password_is_slowed_down_with_a_clear_wait() {
    let app = TestApp::spawn();
    app.customer("Joop", "joop@example.nl");
    let guesser = browser();
    let statuses: Vec<u16> = (0..6)
        .map(|_| {
            log_in(&app, &guesser, "joop@example.nl", "fout fout fout fout")
                .status()
                .as_u16()
        })
        .collect();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    // Past the limit even the right password waits, and the page says for how long.
    let response = log_in(&app, &guesser, "joop@example.nl", PASSWORD);
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let page = Page::parse(&response.text().unwrap());
    assert!(
        page.text("#login-error").contains("minu"),
        "{}",
        page.text("#login-error")
    );
    assert_eq!(
        page.attrs("#email", "value"),
        ["joop@example.nl"],
        "what was typed is kept"
    );
}

#[test]
fn confirming_an_address_needs_the_accounts_password_so_nobody_takes_over_someone_elses_orders() {
    let app = TestApp::spawn();
    // The victim ordered as a guest; an attacker registers with the victim's address.
    crate::checkout::order_and_pay(&app);
    let attacker = browser();
    register(&app, &attacker, "Jan Jansen", "jan@example.nl");
    let link = link_in_mail(&app, "jan@example.nl", "/account/bevestigen/");
    // The victim clicks the genuine mail but does not know the attacker's password.
    let victim = browser();
    let page = Page::parse(&victim.get(app.url(&link)).send().unwrap().text().unwrap());
    assert_eq!(page.count("input[name=password]"), 1);
    let refused = send(&app, &victim, &link, &[("password", "ik weet het niet")]);
    assert_eq!(refused.status(), 422);
    assert!(
        Page::parse(&refused.text().unwrap())
            .text("#password-error")
            .contains("wachtwoord")
    );
    let linked: i64 = orders::table
        .filter(orders::customer_id.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(linked, 0, "no order changed hands");
    assert_eq!(
        log_in(&app, &attacker, "jan@example.nl", PASSWORD).status(),
        403,
        "still unconfirmed"
    );
}
