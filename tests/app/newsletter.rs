//! The newsletter (P2, P8, P11): double opt-in, unsubscribe by link and one-click POST with the
//! consent ledger after each step, editions with unsubscribe headers, and sent mail forgotten.

use std::time::{Duration, Instant};

use bloei::db::schema::{consent_events, newsletter_subscribers, outbox};
use diesel::prelude::*;

use crate::accounts::link_in_mail;
use crate::self_service::{app_page, send};
use crate::support::{Page, TestApp, browser};

fn ledger(app: &TestApp, subscriber: i64) -> Vec<(String, bool, String)> {
    consent_events::table
        .filter(consent_events::subscriber_id.eq(subscriber))
        .order(consent_events::id)
        .select((
            consent_events::purpose,
            consent_events::granted,
            consent_events::source,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn the_newsletter_needs_a_confirmed_sign_up_and_unsubscribing_by_link_or_one_click_is_recorded_once()
 {
    let app = TestApp::spawn();
    let client = browser();
    let signed = send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "Lies@Example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    assert_eq!(signed.status(), 200);
    let (id, confirmed): (i64, Option<chrono::NaiveDateTime>) = newsletter_subscribers::table
        .select((
            newsletter_subscribers::id,
            newsletter_subscribers::confirmed_at,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        confirmed.is_none(),
        "nothing is sent before the link is used"
    );
    assert!(
        ledger(&app, id).is_empty(),
        "no consent is recorded before confirmation"
    );

    // Without the 16+ box: refused with the address kept.
    let young = send(
        &app,
        &client,
        "/nieuwsbrief",
        &[("email", "kid@example.nl"), ("versie", "1")],
    );
    assert_eq!(young.status(), 422);
    let young = Page::parse(&young.text().unwrap());
    assert_eq!(young.attrs("#nb-email", "value"), ["kid@example.nl"]);
    assert!(young.text("#nb-age-error").contains("16"));

    let link = link_in_mail(&app, "lies@example.nl", "/nieuwsbrief/bevestigen/");
    let path = link;
    // Fetching the link (a mail scanner) confirms nothing.
    let shown = app_page(&app, &client, &path);
    assert!(shown.text("main").contains("lies@example.nl"));
    assert!(ledger(&app, id).is_empty());
    let done = send(&app, &client, &path, &[]);
    assert_eq!(done.status(), 200);
    assert_eq!(
        ledger(&app, id),
        [("newsletter".to_owned(), true, "footer".to_owned())]
    );
    // The link is spent.
    assert_eq!(send(&app, &client, &path, &[]).status(), 404);

    // Unsubscribe by the link's page: the GET changes nothing, the button does.
    let token: String = newsletter_subscribers::table
        .select(newsletter_subscribers::unsubscribe_token)
        .first(&mut *app.conn())
        .unwrap();
    let unsubscribe = format!("/nieuwsbrief/afmelden/{token}");
    assert_eq!(
        app_page(&app, &client, &unsubscribe).count(".newsletter-unsubscribe form button"),
        1
    );
    assert_eq!(ledger(&app, id).len(), 1);
    let stranger = browser();
    let out = stranger
        .post(app.url(&unsubscribe))
        .form(&[("x", "")])
        .send()
        .unwrap();
    assert_eq!(
        out.status(),
        200,
        "works without logging in or a form token"
    );
    assert_eq!(
        ledger(&app, id).last().unwrap(),
        &("newsletter".to_owned(), false, "email".to_owned())
    );

    // Again, and as a mail client's one-click POST (RFC 8058): idempotent.
    let one_click = stranger
        .post(app.url(&unsubscribe))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .unwrap();
    assert_eq!(one_click.status(), 200);
    assert_eq!(
        ledger(&app, id).len(),
        2,
        "a second unsubscribe records nothing"
    );

    // Signing up again needs a new confirmation; the one-click POST then ends it at once.
    send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "lies@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let link = link_in_mail(&app, "lies@example.nl", "/nieuwsbrief/bevestigen/");
    let path = format!(
        "/nieuwsbrief/bevestigen/{}",
        link.rsplit('/').next().unwrap()
    );
    assert_eq!(send(&app, &client, &path, &[]).status(), 200);
    stranger
        .post(app.url(&unsubscribe))
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .unwrap();
    let history: Vec<bool> = ledger(&app, id).into_iter().map(|(_, g, _)| g).collect();
    assert_eq!(history, [true, false, true, false]);

    // Unknown and expired links are clear 4xx pages.
    assert_eq!(
        client
            .get(app.url("/nieuwsbrief/afmelden/onbekend"))
            .send()
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        stranger
            .post(app.url("/nieuwsbrief/afmelden/onbekend"))
            .send()
            .unwrap()
            .status(),
        404
    );
    send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "lies@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let link = link_in_mail(&app, "lies@example.nl", "/nieuwsbrief/bevestigen/");
    diesel::update(newsletter_subscribers::table)
        .set(
            newsletter_subscribers::confirm_expires_at
                .eq(bloei::db::now() - chrono::Duration::hours(1)),
        )
        .execute(&mut *app.conn())
        .unwrap();
    let expired = format!(
        "/nieuwsbrief/bevestigen/{}",
        link.rsplit('/').next().unwrap()
    );
    assert_eq!(send(&app, &client, &expired, &[]).status(), 410);
    assert_eq!(ledger(&app, id).len(), 4, "nothing changed");
}

#[test]
fn a_newsletter_edition_reaches_confirmed_subscribers_only_with_one_click_unsubscribe_headers() {
    let app = TestApp::spawn();
    let client = browser();
    for email in ["actief@example.nl", "wacht@example.nl"] {
        send(
            &app,
            &client,
            "/nieuwsbrief",
            &[("email", email), ("leeftijd", "ja"), ("versie", "1")],
        );
    }
    let link = link_in_mail(&app, "actief@example.nl", "/nieuwsbrief/bevestigen/");
    assert_eq!(send(&app, &client, &link, &[]).status(), 200);
    let edition: bloei::privacy::editions::Edition = toml::from_str(
        r#"
        [general]
        subject_nl = "Lentebloemen"
        subject_en = "Spring flowers"
        body_nl = "De tulpen zijn er weer."
        body_en = "The tulips are back."
        [[interest]]
        category = "boeketten"
        subject_nl = "Boeketten"
        subject_en = "Bouquets"
        body_nl = "Nieuwe boeketten."
        body_en = "New bouquets."
        "#,
    )
    .unwrap();
    let context = bloei::mail::messages::MailContext {
        public_url: app.base.clone(),
        shop_name: "Flowers by Jennifer".into(),
    };
    let sent = bloei::privacy::editions::send(&mut app.conn(), &context, &edition).unwrap();
    assert_eq!(
        sent.general, 1,
        "only the confirmed address, and one person is no group"
    );
    assert!(sent.personalised.is_empty());
    let dir = app.data_dir().join("mail");
    let deadline = Instant::now() + Duration::from_secs(20);
    let eml = loop {
        let found = std::fs::read_dir(&dir)
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                text.contains("Subject: Lentebloemen").then_some(text)
            });
        if let Some(text) = found {
            break text;
        }
        assert!(Instant::now() < deadline, "the edition was not sent");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(eml.contains("To: actief@example.nl"), "{eml}");
    assert!(
        eml.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{eml}"
    );
    let header = eml
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe: <"))
        .unwrap_or_else(|| panic!("no List-Unsubscribe in {eml}"));
    let url = header
        .trim_start_matches("List-Unsubscribe: <")
        .trim_end_matches('>');
    let one_click = browser()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .unwrap();
    assert_eq!(one_click.status(), 200);
    let active = bloei::privacy::newsletter::active(&mut app.conn()).unwrap();
    assert!(active.is_empty(), "the one-click POST unsubscribed");
}

#[test]
fn sent_mail_is_forgotten_thirty_days_after_sending_and_unsent_mail_is_kept() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    let mut conn = app.conn();
    for to in [
        "oud@example.nl",
        "nieuw@example.nl",
        "wacht@example.nl",
        "kapot@example.nl",
    ] {
        bloei::mail::repo::enqueue(&mut conn, to, "Onderwerp", "Tekst", "<p>Tekst</p>").unwrap();
    }
    let now = bloei::db::now();
    for (to, sent_at) in [
        ("oud@example.nl", now - chrono::Duration::days(31)),
        ("nieuw@example.nl", now - chrono::Duration::days(29)),
    ] {
        diesel::update(outbox::table.filter(outbox::recipient.eq(to)))
            .set((outbox::status.eq("sent"), outbox::sent_at.eq(sent_at)))
            .execute(&mut *conn)
            .unwrap();
    }
    // Given up on long ago: forgotten too.
    diesel::update(outbox::table.filter(outbox::recipient.eq("kapot@example.nl")))
        .set((
            outbox::status.eq("failed"),
            outbox::created_at.eq(now - chrono::Duration::days(31)),
        ))
        .execute(&mut *conn)
        .unwrap();
    let gone =
        bloei::mail::repo::forget_sent_before(&mut conn, now - chrono::Duration::days(30)).unwrap();
    assert_eq!(gone, 2);
    let left: Vec<String> = outbox::table
        .order(outbox::id)
        .select(outbox::recipient)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(left, ["nieuw@example.nl", "wacht@example.nl"]);
}

#[test]
fn the_unticked_newsletter_box_at_checkout_signs_up_only_when_ticked_and_still_needs_confirmation()
{
    use crate::checkout::{add_to_cart, delivery_fields, place_fields, post};
    let app = TestApp::spawn();
    let form = {
        add_to_cart(&app, &app.client, "rode-rozen-klassiek", "M", &[]);
        app.page("/afrekenen", 200)
    };
    assert_eq!(
        form.count("input#newsletter:not([checked])"),
        1,
        "offered, not ticked"
    );
    let mut fields = delivery_fields(&form);
    fields.push(("newsletter".into(), "on".into()));
    fields.push(("newsletter_version".into(), "1".into()));
    let overview = Page::parse(
        &post(&app, &app.client, "/afrekenen", &fields)
            .text()
            .unwrap(),
    );
    let placed = post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    assert_eq!(placed.status(), 303);
    let (id, source, confirmed): (i64, String, Option<chrono::NaiveDateTime>) =
        newsletter_subscribers::table
            .select((
                newsletter_subscribers::id,
                newsletter_subscribers::source,
                newsletter_subscribers::confirmed_at,
            ))
            .first(&mut *app.conn())
            .unwrap();
    assert_eq!(source, "checkout");
    assert!(confirmed.is_none(), "double opt-in here too");
    let link = link_in_mail(&app, "jan@example.nl", "/nieuwsbrief/bevestigen/");
    assert_eq!(send(&app, &app.client, &link, &[]).status(), 200);
    assert_eq!(
        ledger(&app, id),
        [("newsletter".to_owned(), true, "checkout".to_owned())]
    );

    // Without the box: no sign-up.
    let other = TestApp::spawn();
    add_to_cart(&other, &other.client, "rode-rozen-klassiek", "M", &[]);
    let form = other.page("/afrekenen", 200);
    let overview = Page::parse(
        &post(&other, &other.client, "/afrekenen", &delivery_fields(&form))
            .text()
            .unwrap(),
    );
    post(
        &other,
        &other.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    let count: i64 = newsletter_subscribers::table
        .count()
        .get_result(&mut *other.conn())
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn support_records_an_unsubscribe_asked_for_by_phone_in_the_ledger() {
    use crate::roles::{Visitor, client_for};
    let app = TestApp::spawn();
    let visitor = browser();
    send(
        &app,
        &visitor,
        "/nieuwsbrief",
        &[
            ("email", "bel@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let link = link_in_mail(&app, "bel@example.nl", "/nieuwsbrief/bevestigen/");
    send(&app, &visitor, &link, &[]);
    let support = client_for(&app, Visitor::Staff(bloei::staff::model::Role::Support));
    let unknown = send(
        &app,
        &support,
        "/medewerkers/nieuwsbrief",
        &[("email", "onbekend@example.nl")],
    );
    assert_eq!(unknown.status(), 404);
    assert!(
        Page::parse(&unknown.text().unwrap())
            .text("#email-error")
            .contains("niet op de nieuwsbrieflijst")
    );
    let done = send(
        &app,
        &support,
        "/medewerkers/nieuwsbrief",
        &[("email", "Bel@Example.nl")],
    );
    assert_eq!(done.status(), 303);
    let id: i64 = newsletter_subscribers::table
        .select(newsletter_subscribers::id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        ledger(&app, id),
        [
            ("newsletter".to_owned(), true, "footer".to_owned()),
            ("newsletter".to_owned(), false, "staff".to_owned())
        ]
    );
}

#[test]
fn unsubscribes_arriving_at_once_record_one_withdrawal() {
    let app = TestApp::spawn();
    let client = browser();
    send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "tim@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let confirm = link_in_mail(&app, "tim@example.nl", "/nieuwsbrief/bevestigen/");
    assert_eq!(send(&app, &client, &confirm, &[]).status(), 200);
    let (id, token): (i64, String) = newsletter_subscribers::table
        .select((
            newsletter_subscribers::id,
            newsletter_subscribers::unsubscribe_token,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let url = app.url(&format!("/nieuwsbrief/afmelden/{token}"));
    // A mail client's one-click POSTs and the page's button, all at once.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let posts: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    browser()
                        .post(&url)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body("List-Unsubscribe=One-Click")
                        .send()
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        posts.into_iter().map(|p| p.join().unwrap()).collect()
    });
    assert_eq!(statuses, [200; 8]);
    let granted: Vec<bool> = ledger(&app, id).into_iter().map(|(_, g, _)| g).collect();
    assert_eq!(granted, [true, false], "one grant, one withdrawal");
}
