//! Logging out ends the login on the server: a copy of the session cookie (taken from a shared
//! computer, a proxy log, a stolen backup) opens nothing afterwards, for customers and staff.

use std::sync::Arc;

use bloei::db::schema::{customer_logins, staff_logins};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;
use reqwest::cookie::{CookieStore, Jar};

use crate::support::{Page, TestApp};

/// A browser whose cookies the test can read, so it can hand a copy to someone else.
fn browser_with_jar() -> (Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (client, jar)
}

/// A copy of the cookies the browser holds.
fn copy(app: &TestApp, jar: &Jar) -> reqwest::header::HeaderValue {
    jar.cookies(&app.base.parse().unwrap())
        .expect("the browser holds a session cookie")
}

/// What `path` answers to someone else sending `cookie`.
fn replay(
    app: &TestApp,
    cookie: &reqwest::header::HeaderValue,
    path: &str,
) -> reqwest::blocking::Response {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .unwrap()
}

fn log_out(app: &TestApp, client: &Client, from: &str, path: &str) {
    let token =
        Page::parse(&client.get(app.url(from)).send().unwrap().text().unwrap()).csrf_token();
    let out = client
        .post(app.url(path))
        .form(&[("csrf_token", token)])
        .send()
        .unwrap();
    assert_eq!(out.status(), 303);
}

#[test]
fn after_a_customer_logs_out_a_copy_of_their_session_cookie_opens_nothing() {
    let app = TestApp::spawn();
    let (client, jar) = browser_with_jar();
    crate::accounts::register_and_verify(&app, &client, "Noor Smit", "noor@example.nl");
    let rows = || -> i64 {
        customer_logins::table
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(rows(), 1, "the login is a row");
    assert_eq!(
        replay(&app, &copy(&app, &jar), "/account").status(),
        200,
        "before logging out the copy works (so the check below can fail)"
    );
    let copy = copy(&app, &jar);

    log_out(&app, &client, "/account", "/account/uitloggen");
    assert_eq!(rows(), 0, "logging out deletes the row");
    let replayed = replay(&app, &copy, "/account");
    assert_eq!(replayed.status(), 303);
    assert!(
        replayed.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/account/inloggen")
    );
}

#[test]
fn after_staff_log_out_a_copy_of_their_session_cookie_opens_no_staff_page() {
    let app = TestApp::spawn();
    crate::staff::create_staff_as(&app, "flor@example.nl", Role::Florist);
    let (client, jar) = browser_with_jar();
    crate::staff::log_in_with(&app, &client, "flor@example.nl");
    assert_eq!(
        replay(&app, &copy(&app, &jar), "/medewerkers/productie").status(),
        200
    );
    let copy = copy(&app, &jar);

    log_out(
        &app,
        &client,
        "/medewerkers/productie",
        "/medewerkers/uitloggen",
    );
    let rows: i64 = staff_logins::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(rows, 0);
    let replayed = replay(&app, &copy, "/medewerkers/productie");
    assert_eq!(replayed.status(), 303);
    assert_eq!(replayed.headers()["location"], "/medewerkers/inloggen");
}

#[test]
fn logging_in_again_ends_the_earlier_login_and_a_password_change_ends_the_others_but_not_this_one()
{
    use crate::accounts::{PASSWORD, log_in, send};
    let app = TestApp::spawn();
    let (here, here_jar) = browser_with_jar();
    crate::accounts::register_and_verify(&app, &here, "Noor Smit", "noor@example.nl");
    let first = copy(&app, &here_jar);
    assert_eq!(
        log_in(&app, &here, "noor@example.nl", PASSWORD).status(),
        303
    );
    assert_eq!(
        replay(&app, &first, "/account").status(),
        303,
        "the login this browser had before logging in again is over"
    );

    // A second device, then a password change on the first: the second device is out.
    let (there, there_jar) = browser_with_jar();
    assert_eq!(
        log_in(&app, &there, "noor@example.nl", PASSWORD).status(),
        303
    );
    let there_copy = copy(&app, &there_jar);
    assert_eq!(replay(&app, &there_copy, "/account").status(), 200);
    let changed = send(
        &app,
        &here,
        "/account/wachtwoord",
        &[
            ("current_password", PASSWORD),
            ("new_password", "blauwe irissen in de regen"),
        ],
    );
    assert_eq!(changed.status(), 303);
    assert_eq!(replay(&app, &there_copy, "/account").status(), 303);
    assert_eq!(
        here.get(app.url("/account")).send().unwrap().status(),
        200,
        "the login that changed the password goes on"
    );
    let rows: i64 = customer_logins::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(rows, 1, "only this login's row is left");
}

#[test]
fn logins_past_their_age_are_deleted_by_the_sweep_and_no_longer_admit_anyone() {
    let app = TestApp::spawn();
    let (client, jar) = browser_with_jar();
    crate::accounts::register_and_verify(&app, &client, "Noor Smit", "noor@example.nl");
    // The login was opened 25 hours ago (the session's own clock says it is fresh).
    diesel::update(customer_logins::table)
        .set(customer_logins::created_at.eq(bloei::db::now() - chrono::Duration::hours(25)))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(replay(&app, &copy(&app, &jar), "/account").status(), 303);
    let swept = bloei::web::logins::forget_expired(
        &mut app.conn(),
        chrono::Duration::seconds(bloei::accounts::auth::MAX_LOGIN_SECONDS),
        chrono::Duration::seconds(bloei::staff::auth::MAX_LOGIN_SECONDS),
    )
    .unwrap();
    assert_eq!(swept, 1);
    let left: i64 = customer_logins::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(left, 0);
}
