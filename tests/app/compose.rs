//! Writing a newsletter in the browser (owner, support): bad input kept, a preview, a test to
//! one's own address, a confirmation naming the audience, and one send even when confirmed
//! twice (P8, P11).

use bloei::db::schema::outbox;
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::accounts::{link_in_mail, send};
use crate::support::{Page, TestApp, browser};

const PATH: &str = "/medewerkers/nieuwsbrief/schrijven";

fn submit(app: &TestApp, client: &Client, fields: &[(&str, &str)]) -> (u16, Page) {
    let token =
        Page::parse(&client.get(app.url(PATH)).send().unwrap().text().unwrap()).csrf_token();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", &token));
    let response = client.post(app.url(PATH)).form(&fields).send().unwrap();
    (
        response.status().as_u16(),
        Page::parse(&response.text().unwrap()),
    )
}

fn mails_with_subject(app: &TestApp, subject: &str) -> Vec<String> {
    outbox::table
        .filter(outbox::subject.eq(subject))
        .select(outbox::recipient)
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn support_writes_previews_tests_and_sends_a_newsletter_once_after_confirming() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    let guest = browser();
    send(
        &app,
        &guest,
        "/nieuwsbrief",
        &[
            ("email", "lezer@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let link = link_in_mail(&app, "lezer@example.nl", "/nieuwsbrief/bevestigen/");
    assert_eq!(send(&app, &guest, &link, &[]).status(), 200);
    let support = app.staff_member("hulp@example.nl", Role::Support);
    // Missing texts are named beside their fields; what was typed stays.
    let (status, page) = submit(
        &app,
        &support,
        &[("subject_nl", "Lentebloemen"), ("actie", "voorbeeld")],
    );
    assert_eq!(status, 422);
    assert_eq!(
        page.attrs("#subject_nl", "value"),
        vec!["Lentebloemen".to_owned()]
    );
    assert!(page.text("#body_nl-error").contains("Vul dit veld in"));
    let text = [
        ("subject_nl", "Lentebloemen"),
        ("subject_en", "Spring flowers"),
        ("body_nl", "De tulpen zijn er weer."),
        ("body_en", "The tulips are back."),
    ];
    let with = |actie: &'static str, token: &str| -> Vec<(&'static str, String)> {
        let mut fields: Vec<_> = text.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        fields.push(("actie", actie.to_owned()));
        fields.push(("token", token.to_owned()));
        fields
    };
    let submit_owned = |fields: Vec<(&'static str, String)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        submit(&app, &support, &borrowed)
    };
    // The preview shows each language as it will be mailed, with the unsubscribe link.
    let (status, page) = submit_owned(with("voorbeeld", ""));
    assert_eq!(status, 200);
    let previews = page.texts(".mail-preview");
    assert_eq!(previews.len(), 2);
    assert!(
        previews[0].contains("De tulpen zijn er weer.") && previews[0].contains("/nieuwsbrief")
    );
    assert!(previews[1].contains("The tulips are back."));
    let token = page.attrs("input[name=token]", "value").remove(0);
    // A test goes to support's own address only, in both languages.
    let (_, page) = submit_owned(with("test", &token));
    assert!(page.text("main").contains("test"));
    assert_eq!(
        mails_with_subject(&app, "Lentebloemen"),
        vec!["hulp@example.nl".to_owned()]
    );
    assert_eq!(
        mails_with_subject(&app, "Spring flowers"),
        vec!["hulp@example.nl".to_owned()]
    );
    // Sending asks first, naming the audience; confirming twice sends once.
    let (_, page) = submit_owned(with("verzenden", &token));
    assert!(
        page.text(".confirm").contains("1 abonnee"),
        "{}",
        page.text(".confirm")
    );
    assert!(
        mails_with_subject(&app, "Lentebloemen").len() == 1,
        "nothing sent yet"
    );
    let (status, _) = submit_owned(with("bevestigen", &token));
    assert_eq!(status, 303);
    let (status, _) = submit_owned(with("bevestigen", &token));
    assert_eq!(status, 400, "the second click sends nothing");
    let mut to = mails_with_subject(&app, "Lentebloemen");
    to.sort();
    assert_eq!(
        to,
        vec!["hulp@example.nl".to_owned(), "lezer@example.nl".to_owned()]
    );
}

#[test]
fn a_florist_may_not_write_newsletters() {
    let app = TestApp::spawn();
    let florist = app.staff_member("bloemist@example.nl", Role::Florist);
    assert_eq!(florist.get(app.url(PATH)).send().unwrap().status(), 403);
}
