//! Two-step login for owner and support (issue 4): an authenticator app's code after the
//! password, each code once, and recovery codes that each work once.

use bloei::db::schema::{staff, staff_recovery_codes};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::staff::{PASSWORD, app_code, create_staff_as, log_in_with};
use crate::support::{Page, TestApp, browser};

const EMAIL: &str = "eigenaar@example.nl";

/// The password step alone; returns where the shop sends the visitor next.
fn password_step(app: &TestApp, client: &Client) -> String {
    let token = Page::parse(
        &client
            .get(app.url("/medewerkers/inloggen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    )
    .csrf_token();
    let response = client
        .post(app.url("/medewerkers/inloggen"))
        .form(&[
            ("email", EMAIL),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Sends a code on the second-step form; the response.
fn send_code(app: &TestApp, client: &Client, code: &str) -> reqwest::blocking::Response {
    let form = Page::parse(
        &client
            .get(app.url("/medewerkers/tweestaps"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    client
        .post(app.url("/medewerkers/tweestaps"))
        .form(&[("code", code), ("csrf_token", &form.csrf_token())])
        .send()
        .unwrap()
}

fn secret(app: &TestApp) -> String {
    let stored: Option<String> = staff::table
        .filter(staff::email.eq(EMAIL))
        .select(staff::totp_secret)
        .first(&mut *app.conn())
        .unwrap();
    let secret = app.totp_secret(EMAIL).expect("the app is set up");
    assert!(
        !stored.unwrap().contains(&secret),
        "the database holds the secret sealed, not readable"
    );
    secret
}

#[test]
fn an_owner_sets_up_an_app_at_first_login_and_then_needs_its_code_every_time() {
    let app = TestApp::spawn();
    create_staff_as(&app, EMAIL, Role::Owner);
    // The password alone opens nothing: the board waits for the second step.
    let first = browser();
    assert_eq!(
        password_step(&app, &first),
        "/medewerkers/tweestaps/instellen"
    );
    let board = first.get(app.url("/medewerkers/productie")).send().unwrap();
    assert_eq!(board.headers()["location"], "/medewerkers/inloggen");
    // The set-up page shows the key as a QR code drawn by the shop itself (a data: URL).
    let setup = Page::parse(
        &first
            .get(app.url("/medewerkers/tweestaps/instellen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let qr = setup.attrs("img.qr-code", "src");
    assert_eq!(qr.len(), 1);
    assert!(qr[0].starts_with("data:image/svg+xml;base64,"), "{}", qr[0]);
    assert!(!setup.attrs("img.qr-code", "alt")[0].is_empty());
    // Setting up (done by the helper) shows ten recovery codes once and completes the login.
    let second = browser();
    assert_eq!(log_in_with(&app, &second, EMAIL), "/medewerkers");
    let stored: i64 = staff_recovery_codes::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(stored, 10);
    assert_eq!(
        second
            .get(app.url("/medewerkers/productie"))
            .send()
            .unwrap()
            .status(),
        200
    );
    // Next time: password, then the app's code.
    let third = browser();
    assert_eq!(password_step(&app, &third), "/medewerkers/tweestaps");
    let wrong = send_code(&app, &third, "123456");
    assert_eq!(wrong.status(), 401);
    assert!(
        Page::parse(&wrong.text().unwrap())
            .text("#code-error")
            .contains("klopt niet")
    );
    let code = app_code(&app, EMAIL, &secret(&app));
    let right = send_code(&app, &third, &code);
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], "/medewerkers");
    // The same code, overheard, does not work a second time.
    let fourth = browser();
    password_step(&app, &fourth);
    assert_eq!(send_code(&app, &fourth, &code).status(), 401);
    assert_eq!(
        fourth
            .get(app.url("/medewerkers/productie"))
            .send()
            .unwrap()
            .headers()["location"],
        "/medewerkers/inloggen"
    );
}

#[test]
fn a_recovery_code_replaces_the_phone_once() {
    let app = TestApp::spawn();
    create_staff_as(&app, EMAIL, Role::Support);
    // Set up through the pages, keeping the recovery codes shown.
    let client = browser();
    assert_eq!(
        password_step(&app, &client),
        "/medewerkers/tweestaps/instellen"
    );
    let setup = Page::parse(
        &client
            .get(app.url("/medewerkers/tweestaps/instellen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let secret = setup.attrs("#totp-secret", "data-secret").remove(0);
    let shown = client
        .post(app.url("/medewerkers/tweestaps/instellen"))
        .form(&[
            ("code", app_code(&app, EMAIL, &secret).as_str()),
            ("csrf_token", &setup.csrf_token()),
        ])
        .send()
        .unwrap();
    let codes = Page::parse(&shown.text().unwrap()).texts(".recovery-codes code");
    assert_eq!(codes.len(), 10);
    // Another day, no phone: a recovery code (typed in lower case) gets in, once.
    let later = browser();
    password_step(&app, &later);
    let used = send_code(&app, &later, &codes[3].to_lowercase());
    assert_eq!(used.status(), 303);
    let again = browser();
    password_step(&app, &again);
    assert_eq!(send_code(&app, &again, &codes[3]).status(), 401);
    // A code from the set-up page cannot be replaced with the password alone.
    let setup_again = again
        .get(app.url("/medewerkers/tweestaps/instellen"))
        .send()
        .unwrap();
    assert_eq!(setup_again.headers()["location"], "/medewerkers/tweestaps");
}

#[test]
fn florists_and_couriers_log_in_with_their_password_alone() {
    let app = TestApp::spawn();
    for role in [Role::Florist, Role::Courier] {
        let email = format!("{}@example.nl", role.as_str());
        create_staff_as(&app, &email, role);
        assert!(
            !log_in_with(&app, &browser(), &email).contains("tweestaps"),
            "{role:?}"
        );
    }
}
