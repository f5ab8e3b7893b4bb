//! Desk requests carried out through the self-service paths (P13, P16–P18): an identified access
//! request gets a week-long link to the account's own download; an identified erasure request
//! erases the account after staff tick that they checked it; a step that does not fit the
//! request, or comes before the identity check, is refused and changes nothing.

use std::io::Read;

use bloei::db::schema::{audit_log, customers, outbox, privacy_requests};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::back_office::page;
use crate::order_desk::post_from;
use crate::roles::{Visitor, client_for};
use crate::support::{Page, TestApp, browser};

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        .to_string()
}

/// Records a request of `kind` from `email` that came by e-mail; its number.
fn record(app: &TestApp, staff: &Client, kind: &str, email: &str) -> i64 {
    let status = post_from(
        app,
        staff,
        "/medewerkers/verzoeken/nieuw",
        "/medewerkers/verzoeken",
        &[
            ("kind", kind),
            ("channel", "email"),
            ("name", "Ans de Vries"),
            ("email", email),
            ("received", &today()),
        ],
    );
    assert_eq!(status, 303);
    privacy_requests::table
        .select(privacy_requests::id)
        .order(privacy_requests::id.desc())
        .first(&mut *app.conn())
        .unwrap()
}

/// Takes a step; the request's page afterwards.
fn step(app: &TestApp, staff: &Client, id: i64, name: &str, fields: &[(&str, &str)]) -> Page {
    let path = format!("/medewerkers/verzoeken/{id}");
    let status = post_from(app, staff, &path, &format!("{path}/{name}"), fields);
    assert_eq!(status, 303, "{name}");
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

fn audited(app: &TestApp, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[test]
fn an_identified_access_request_is_answered_with_a_week_long_link_to_the_accounts_own_download() {
    let app = TestApp::spawn();
    let _customer = app.customer("Ans de Vries", "ans@example.nl");
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let id = record(&app, &support, "access", "ans@example.nl");
    let before = mails_to(&app, "ans@example.nl").len();

    // Nothing is sent before the identity is checked.
    let unchecked = step(&app, &support, id, "download", &[]);
    assert_eq!(unchecked.count("#handle-heading"), 0);
    assert!(unchecked.text(".flash").contains("Controleer eerst"));
    assert_eq!(mails_to(&app, "ans@example.nl").len(), before);

    let checked = step(&app, &support, id, "account", &[]);
    assert!(
        checked
            .text("#handle-heading")
            .contains("Verzoek uitvoeren")
    );
    step(&app, &support, id, "download", &[]);
    let mails = mails_to(&app, "ans@example.nl");
    let (subject, body) = mails.last().unwrap();
    assert!(subject.contains("Je gegevens"), "{subject}");
    let start = body.find("/verzoek/download/").expect("a download link");
    let path: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != ')')
        .collect();
    assert_eq!(audited(&app, "request_download_link"), 1);

    // The requester opens the link in a browser without a login: a page with a button, and
    // the button gives the same ZIP as the account page.
    let requester = browser();
    let landing = page(&app, &requester, &path);
    assert!(landing.text("main").contains("ans@example.nl"));
    let token = landing.csrf_token();
    let response = requester
        .post(app.url(&path))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut json = String::new();
    archive
        .by_name("data.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    assert!(json.contains("ans@example.nl"));
    assert!(json.contains("Ans de Vries"));

    // After its week the link works no more.
    diesel::update(privacy_requests::table.find(id))
        .set(privacy_requests::download_expires_at.eq(chrono::Utc::now().naive_utc()))
        .execute(&mut *app.conn())
        .unwrap();
    let gone = requester.get(app.url(&path)).send().unwrap();
    assert_eq!(gone.status(), 410);
    assert!(gone.text().unwrap().contains("werkt niet (meer)"));
}

#[test]
fn an_erasure_request_erases_the_account_only_after_the_tick_and_closes_the_request_without_the_person()
 {
    let app = TestApp::spawn();
    let _customer = app.customer("Ans de Vries", "ans@example.nl");
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let id = record(&app, &support, "erasure", "ans@example.nl");
    step(&app, &support, id, "account", &[]);
    let accounts = || -> i64 {
        customers::table
            .filter(customers::email.eq("ans@example.nl"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };

    // The wrong path for the kind, and erasing without the tick, change nothing.
    let wrong = step(&app, &support, id, "download", &[]);
    assert!(wrong.text(".flash").contains("past niet"));
    let unticked = step(&app, &support, id, "wissen", &[]);
    assert!(unticked.text(".flash").contains("Vink eerst aan"));
    assert_eq!(accounts(), 1);

    let erased = step(&app, &support, id, "wissen", &[("confirm", "ja")]);
    assert!(
        erased
            .text(".flash")
            .contains("Account gewist en verzoek afgehandeld")
    );
    assert_eq!(accounts(), 0, "the account is gone");
    assert_eq!(audited(&app, "request_erase"), 1);
    let erasures = std::fs::read_to_string(app.data_dir().join("erasures.log")).unwrap();
    assert_eq!(
        erasures.lines().count(),
        1,
        "as on the account page, the erasure is in the log a restored backup replays (P9)"
    );

    // The erasure's confirmation (naming the Autoriteit Persoonsgegevens) is the outcome
    // letter; the request stays as proof it was handled in time, without the person in it.
    let (status, closed, name): (String, Option<chrono::NaiveDateTime>, String) =
        privacy_requests::table
            .find(id)
            .select((
                privacy_requests::status,
                privacy_requests::closed_at,
                privacy_requests::requester_name,
            ))
            .first(&mut *app.conn())
            .unwrap();
    assert_eq!(status, "done");
    assert!(closed.is_some());
    assert!(!name.contains("Ans"), "{name}");
    assert_eq!(erased.count("#close-heading"), 0, "nothing left to close");
}

#[test]
fn a_correction_request_changes_the_accounts_name_and_phone_and_a_wrong_number_changes_nothing() {
    let app = TestApp::spawn();
    let _customer = app.customer("Ans de Vris", "ans@example.nl");
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let id = record(&app, &support, "correction", "ans@example.nl");
    let checked = step(&app, &support, id, "account", &[]);
    assert_eq!(checked.attrs("#correct-name", "value"), ["Ans de Vris"]);
    let profile = || -> (String, Option<String>) {
        customers::table
            .filter(customers::email.eq("ans@example.nl"))
            .select((customers::name, customers::phone))
            .first(&mut *app.conn())
            .unwrap()
    };

    let refused = step(
        &app,
        &support,
        id,
        "corrigeren",
        &[("name", "Ans de Vries"), ("phone", "12")],
    );
    assert!(!refused.text(".flash").is_empty());
    assert_eq!(
        profile(),
        ("Ans de Vris".to_owned(), None),
        "nothing changed"
    );

    let corrected = step(
        &app,
        &support,
        id,
        "corrigeren",
        &[("name", "Ans de Vries"), ("phone", "06 1234 5678")],
    );
    assert!(corrected.text(".flash").contains("gecorrigeerd"));
    let (name, phone) = profile();
    assert_eq!(name, "Ans de Vries");
    assert!(phone.is_some_and(|p| p.contains("12345678") || p.contains("1234 5678")));
    assert_eq!(audited(&app, "request_correct"), 1);
}
