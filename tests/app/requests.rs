//! The privacy request desk (P16–P18): due dates four weeks after receipt, the desk sorted by
//! due date with nearly-due and overdue marks, the identity ladder (account address, link,
//! ID document of which nothing but type and last four characters is kept), one extension with
//! a notice, and an outcome letter naming the Autoriteit Persoonsgegevens.

use bloei::db::schema::{audit_log, outbox, privacy_requests};
use bloei::staff::model::Role;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::back_office::page;
use crate::order_desk::post_from;
use crate::roles::{Visitor, client_for};
use crate::support::{Page, TestApp, browser};

fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// Records a request through the desk's form; the response status.
fn record(app: &TestApp, staff: &Client, email: &str, channel: &str, received: NaiveDate) -> u16 {
    post_from(
        app,
        staff,
        "/medewerkers/verzoeken/nieuw",
        "/medewerkers/verzoeken",
        &[
            ("kind", "access"),
            ("channel", channel),
            ("name", "Ans de Vries"),
            ("email", email),
            ("received", &received.to_string()),
            ("details", "Een kopie van alles wat jullie van mij hebben."),
        ],
    )
}

fn newest(app: &TestApp) -> i64 {
    privacy_requests::table
        .select(privacy_requests::id)
        .order(privacy_requests::id.desc())
        .first(&mut *app.conn())
        .unwrap()
}

/// Takes a step on request `id`; the page it leads back to.
fn step(app: &TestApp, staff: &Client, id: i64, name: &str, fields: &[(&str, &str)]) -> Page {
    let path = format!("/medewerkers/verzoeken/{id}");
    assert_eq!(
        post_from(app, staff, &path, &format!("{path}/{name}"), fields),
        303
    );
    page(app, staff, &path)
}

fn mails_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    outbox::table
        .filter(outbox::recipient.eq(to))
        .order(outbox::id)
        .select((outbox::subject, outbox::body_text))
        .load(&mut *app.conn())
        .unwrap()
}

fn due_of(app: &TestApp, id: i64) -> NaiveDate {
    privacy_requests::table
        .find(id)
        .select(privacy_requests::due_on)
        .first(&mut *app.conn())
        .unwrap()
}

#[test]
fn the_desk_lists_requests_by_due_date_and_marks_nearly_due_and_overdue_ones() {
    let app = TestApp::spawn();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    for (email, days_ago) in [
        ("nieuw@example.nl", 0),
        ("te-laat@example.nl", 30),
        ("bijna@example.nl", 25),
    ] {
        assert_eq!(
            record(
                &app,
                &support,
                email,
                "post",
                today() - Duration::days(days_ago)
            ),
            303
        );
    }
    let late = privacy_requests::table
        .filter(privacy_requests::requester_email.eq("te-laat@example.nl"))
        .select(privacy_requests::id)
        .first::<i64>(&mut *app.conn())
        .unwrap();
    assert_eq!(
        due_of(&app, late),
        today() - Duration::days(2),
        "four weeks after receipt"
    );
    let desk = page(&app, &support, "/medewerkers/verzoeken");
    let classes = desk.attrs("tr.request-row", "class");
    assert_eq!(
        classes,
        vec![
            "request-row overdue",
            "request-row nearly-due",
            "request-row on-time"
        ],
        "soonest due first"
    );
    assert!(desk.text("tr.overdue").contains("Te laat"));
    assert!(desk.text("tr.nearly-due").contains("Bijna verlopen"));

    // Unknown kinds and dates in the future are refused, and nothing is stored.
    let before = newest(&app);
    let token = page(&app, &support, "/medewerkers/verzoeken/nieuw").csrf_token();
    let tomorrow = (today() + Duration::days(1)).to_string();
    let response = support
        .post(app.url("/medewerkers/verzoeken"))
        .form(&[
            ("kind", "complaint"),
            ("channel", "post"),
            ("name", "Ans"),
            ("email", "ans@example.nl"),
            ("received", tomorrow.as_str()),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 422);
    let form = Page::parse(&response.text().unwrap());
    assert!(
        form.text("#kind-error")
            .contains("Kies wat er gevraagd wordt")
    );
    assert!(form.text("#received-error").contains("in de toekomst"));
    assert_eq!(
        form.attrs("#name", "value"),
        vec!["Ans"],
        "what was typed is kept"
    );
    assert_eq!(newest(&app), before);

    // P16: no place for a copy of an ID document anywhere on the desk.
    for path in [
        "/medewerkers/verzoeken/nieuw".to_owned(),
        format!("/medewerkers/verzoeken/{late}"),
    ] {
        let seen = page(&app, &support, &path);
        assert_eq!(seen.count("input[type=file]"), 0, "{path}");
        assert_eq!(
            seen.count("form[enctype='multipart/form-data']"),
            0,
            "{path}"
        );
    }
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let status = florist
        .get(app.url("/medewerkers/verzoeken"))
        .send()
        .unwrap()
        .status();
    assert_eq!(status, 403);
}

#[test]
fn identity_by_link_one_extension_with_a_notice_and_an_outcome_naming_the_authority() {
    let app = TestApp::spawn();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let email = "ans@example.nl";
    assert_eq!(record(&app, &support, email, "phone", today()), 303);
    let id = newest(&app);

    // A call comes from no account's address; and nothing is done before identity is known.
    let seen = step(&app, &support, id, "account", &[]);
    assert!(
        seen.text(".flash")
            .contains("niet van het bevestigde adres")
    );
    let seen = step(
        &app,
        &support,
        id,
        "afhandelen",
        &[("result", "done"), ("text", "Kopie verstuurd.")],
    );
    assert!(seen.text(".flash").contains("Controleer eerst wie"));
    assert_eq!(
        seen.text("#close-text"),
        "Kopie verstuurd.",
        "the text typed is kept"
    );
    assert!(mails_to(&app, email).is_empty());

    // The link: a page with a button (a mail scanner confirms nothing), then confirmed.
    step(&app, &support, id, "link", &[]);
    let link = crate::accounts::link_in_mail(&app, email, "/verzoek/bevestigen/");
    let path = format!("/verzoek/bevestigen/{}", link.rsplit('/').next().unwrap());
    let visitor = browser();
    let confirm = Page::parse(&visitor.get(app.url(&path)).send().unwrap().text().unwrap());
    assert!(confirm.text("main").contains(email));
    let identity = || -> Option<String> {
        privacy_requests::table
            .find(id)
            .select(privacy_requests::identity)
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(identity(), None, "opening the link confirms nothing");
    let token = confirm.csrf_token();
    let confirmed = visitor
        .post(app.url(&path))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    assert_eq!(identity().as_deref(), Some("link"));
    assert_eq!(
        visitor.get(app.url(&path)).send().unwrap().status(),
        410,
        "used once"
    );

    // One extension, with a notice naming the reason and the new date.
    let due = due_of(&app, id);
    let seen = step(
        &app,
        &support,
        id,
        "verlengen",
        &[("text", "We wachten op onze bezorgdienst.")],
    );
    assert!(seen.text(".flash").contains("Verzoek verlengd"));
    assert_eq!(due_of(&app, id), due + Duration::days(56));
    let (subject, body) = mails_to(&app, email).pop().unwrap();
    assert!(subject.contains("duurt langer"), "{subject}");
    assert!(body.contains("We wachten op onze bezorgdienst."), "{body}");
    let new_date = bloei::i18n::Lang::Nl.date(due + Duration::days(56));
    assert!(body.contains(&new_date), "{body}");
    assert!(body.contains("Autoriteit Persoonsgegevens"));
    let path = format!("/medewerkers/verzoeken/{id}");
    let again = post_from(
        &app,
        &support,
        &path,
        &format!("{path}/verlengen"),
        &[("text", "Nog langer")],
    );
    assert_eq!(again, 303);
    assert!(
        page(&app, &support, &path)
            .text(".flash")
            .contains("al een keer verlengd")
    );
    assert_eq!(
        due_of(&app, id),
        due + Duration::days(56),
        "nothing changed"
    );

    // The outcome letter names the Autoriteit Persoonsgegevens, linked (P18).
    let seen = step(
        &app,
        &support,
        id,
        "afhandelen",
        &[("result", "done"), ("text", "Je kopie staat klaar.")],
    );
    assert!(
        seen.text(".message-facts")
            .contains("Je kopie staat klaar.")
    );
    let (subject, body) = mails_to(&app, email).pop().unwrap();
    assert!(subject.contains("is afgehandeld"));
    assert!(body.contains("Je kopie staat klaar."));
    assert!(body.contains("Autoriteit Persoonsgegevens"));
    assert!(body.contains("https://www.autoriteitpersoonsgegevens.nl/"));
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::subject.eq(format!("request:{id}")))
        .select(audit_log::action)
        .load(&mut *app.conn())
        .unwrap();
    for action in [
        "request_record",
        "request_view",
        "request_extend",
        "request_close",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[test]
fn an_extension_after_the_due_date_is_refused_and_an_id_document_leaves_four_characters() {
    let app = TestApp::spawn();
    let support = client_for(&app, Visitor::Staff(Role::Support));
    assert_eq!(
        record(
            &app,
            &support,
            "laat@example.nl",
            "post",
            today() - Duration::days(29)
        ),
        303
    );
    let id = newest(&app);
    let due = due_of(&app, id);
    let path = format!("/medewerkers/verzoeken/{id}");
    assert_eq!(
        page(&app, &support, &path).count("#extend-text"),
        0,
        "no form offered"
    );
    let late = post_from(
        &app,
        &support,
        &path,
        &format!("{path}/verlengen"),
        &[("text", "Druk")],
    );
    assert_eq!(late, 303);
    assert!(
        page(&app, &support, &path)
            .text(".flash")
            .contains("termijn is al verstreken")
    );
    assert_eq!(due_of(&app, id), due);
    assert!(mails_to(&app, "laat@example.nl").is_empty());

    let seen = step(
        &app,
        &support,
        id,
        "document",
        &[("document_type", "passport"), ("last4", "NX12345")],
    );
    assert!(seen.text(".flash").contains("precies de laatste 4"));
    let seen = step(
        &app,
        &support,
        id,
        "document",
        &[("document_type", "id_card"), ("last4", "x9k2")],
    );
    assert!(
        seen.text(".message-facts")
            .contains("Identiteitsbewijs gezien (Laatste 4 tekens van het documentnummer: X9K2)")
    );
    let kept: (Option<String>, Option<String>, Option<String>) = privacy_requests::table
        .find(id)
        .select((
            privacy_requests::identity,
            privacy_requests::document_type,
            privacy_requests::document_last_four,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        kept,
        (
            Some("document".into()),
            Some("id_card".into()),
            Some("X9K2".into())
        )
    );
}
