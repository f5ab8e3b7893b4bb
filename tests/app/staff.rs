//! Staff: accounts from the command line, login, the production board moving an order through
//! every status (each step mailed to the sender), work tickets and the courier's list.

use std::io::Write;
use std::process::{Command, Stdio};

use bloei::db::schema::{order_events, orders, outbox, staff};
use bloei::staff::model::Role;
use diesel::prelude::*;

use crate::support::{Page, TestApp};
use reqwest::blocking::Client;

pub(crate) const PASSWORD: &str = "lange-tulpen-2026";

fn create_staff(app: &TestApp, email: &str) {
    create_staff_as(app, email, Role::Owner);
}

/// A staff account with this role (the password is `PASSWORD`).
pub(crate) fn create_staff_as(app: &TestApp, email: &str, role: Role) {
    let cost = bloei::domain::password::PasswordCost {
        memory_kib: 64,
        iterations: 1,
    };
    bloei::staff::service::create_staff(&mut app.conn(), email, "Jennifer", PASSWORD, role, cost)
        .unwrap();
}

fn log_in(app: &TestApp, email: &str) -> String {
    log_in_with(app, &app.client, email)
}

fn page_with(app: &TestApp, client: &Client, path: &str) -> Page {
    let response = client.get(app.url(path)).send().unwrap();
    assert_eq!(response.status(), 200, "{path}");
    Page::parse(&response.text().unwrap())
}

fn location_of(response: &reqwest::blocking::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Logs `client` in as `email` (password `PASSWORD`), taking the second step with an
/// authenticator app's code where the role needs it; returns where the shop sends them.
pub(crate) fn log_in_with(app: &TestApp, client: &Client, email: &str) -> String {
    let token = page_with(app, client, "/medewerkers/inloggen").csrf_token();
    let response = client
        .post(app.url("/medewerkers/inloggen"))
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 303, "the password is accepted");
    let next = location_of(&response);
    match next.as_str() {
        "/medewerkers/tweestaps/instellen" => {
            let setup = page_with(app, client, &next);
            let secret = setup.attrs("#totp-secret", "data-secret").remove(0);
            let done = client
                .post(app.url(&next))
                .form(&[
                    ("code", app_code(app, email, &secret).as_str()),
                    ("csrf_token", &setup.csrf_token()),
                ])
                .send()
                .unwrap();
            assert_eq!(done.status(), 200, "the app is set up");
            Page::parse(&done.text().unwrap())
                .attrs("a.button", "href")
                .remove(0)
        }
        "/medewerkers/tweestaps" => {
            let form = page_with(app, client, &next);
            let secret = app.totp_secret(email);
            let done = client
                .post(app.url(&next))
                .form(&[
                    ("code", app_code(app, email, &secret.unwrap()).as_str()),
                    ("csrf_token", &form.csrf_token()),
                ])
                .send()
                .unwrap();
            assert_eq!(done.status(), 303, "the code is accepted");
            location_of(&done)
        }
        _ => next,
    }
}

/// The code an authenticator app with `secret` shows, for a time step the shop has not
/// accepted yet (each code works once; a test may log in several times a minute).
pub(crate) fn app_code(app: &TestApp, email: &str, secret: &str) -> String {
    let last: Option<Option<i64>> = staff::table
        .filter(staff::email.eq(email.to_lowercase()))
        .select(staff::totp_last_step)
        .first(&mut *app.conn())
        .optional()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let current = now / 30;
    let step = match last.flatten() {
        Some(last) if last >= current - 1 => last + 1,
        _ => current,
    };
    if step > current + 1 {
        // Wait until that step is within the shop's window.
        std::thread::sleep(std::time::Duration::from_secs(
            u64::try_from((step - 1) * 30 - now + 1).unwrap(),
        ));
    }
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .unwrap();
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes)
        .unwrap()
        .generate(u64::try_from(step * 30).unwrap())
}

fn move_to(app: &TestApp, order_id: i64, to: &str) -> reqwest::blocking::Response {
    let token = app.page("/medewerkers/productie", 200).csrf_token();
    app.post_form(
        &format!("/medewerkers/bestellingen/{order_id}/status"),
        &[
            ("to", to),
            ("terug", "/medewerkers/productie"),
            ("csrf_token", &token),
        ],
    )
}

pub(crate) fn paid_order(app: &TestApp) -> (i64, String) {
    crate::checkout::order_and_pay(app);
    let (id, date): (i64, chrono::NaiveDate) = orders::table
        .select((orders::id, orders::delivery_date))
        .first(&mut *app.conn())
        .unwrap();
    (id, date.format("%Y-%m-%d").to_string())
}

pub(crate) fn status_of(app: &TestApp, id: i64) -> String {
    orders::table
        .find(id)
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap()
}

fn status_mails(app: &TestApp) -> i64 {
    outbox::table
        .filter(outbox::subject.like("Nieuws over je bestelling%"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[test]
fn create_staff_reads_the_password_from_standard_input_and_the_account_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::support::TestDatabase::fresh(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_bloei"))
        .env_clear()
        .env("BLOEI_ARGON2_MEMORY_KIB", "64")
        .env("BLOEI_ARGON2_ITERATIONS", "1")
        .args([
            "create-staff",
            "--email",
            "Jennifer@Example.nl",
            "--name",
            "Jennifer",
            "--role",
            "florist",
        ])
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--database-url",
            database.url(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let app = TestApp::spawn_on(database);
    assert_eq!(log_in(&app, "jennifer@example.nl"), "/medewerkers");
    assert_eq!(app.get("/medewerkers/productie").status(), 200);
}

#[test]
fn a_short_password_or_a_taken_address_is_refused_by_create_staff() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let cost = bloei::domain::password::PasswordCost {
        memory_kib: 64,
        iterations: 1,
    };
    use bloei::staff::service::{CreateError, create_staff as create};
    assert_eq!(
        create(
            &mut app.conn(),
            "ans@example.nl",
            "Ans",
            "kort",
            Role::Florist,
            cost
        ),
        Err(CreateError::ShortPassword)
    );
    assert_eq!(
        create(
            &mut app.conn(),
            "JENNIFER@example.nl",
            "J",
            PASSWORD,
            Role::Owner,
            cost
        ),
        Err(CreateError::Taken)
    );
}

#[test]
fn staff_pages_need_a_login_and_a_wrong_password_is_refused_with_the_address_kept() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    for path in [
        "/medewerkers/productie",
        "/medewerkers/bezorging",
        "/medewerkers/bestellingen/1/werkbon",
    ] {
        let response = app.get(path);
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/medewerkers/inloggen");
    }
    let token = app.page("/medewerkers/inloggen", 200).csrf_token();
    for (email, password) in [
        ("jennifer@example.nl", "verkeerd-wachtwoord"),
        ("niemand@example.nl", PASSWORD),
    ] {
        let response = app.post_form(
            "/medewerkers/inloggen",
            &[
                ("email", email),
                ("password", password),
                ("csrf_token", &token),
            ],
        );
        assert_eq!(response.status(), 401);
        let page = Page::parse(&response.text().unwrap());
        assert!(
            page.text("#login-error").contains("horen niet bij elkaar"),
            "the same answer for both"
        );
        assert_eq!(page.attrs("#email", "value"), vec![email.to_owned()]);
    }
    assert_eq!(app.get("/medewerkers/productie").status(), 303);
}

#[test]
fn logging_in_renews_the_session_and_logging_out_ends_it() {
    let app = TestApp::spawn();
    // A florist logs in with the password alone (owners take a second step; see two_step.rs).
    create_staff_as(&app, "jennifer@example.nl", Role::Florist);
    let before = app.get("/medewerkers/inloggen");
    let old = before
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("bloei_session="));
    let token = Page::parse(&before.text().unwrap()).csrf_token();
    let response = app.post_form(
        "/medewerkers/inloggen",
        &[
            ("email", "jennifer@example.nl"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ],
    );
    let new = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("bloei_session="));
    assert!(new.is_some() && new != old, "a new session cookie at login");
    // The form token from before the login no longer works after it.
    let stale = app.post_form(
        "/taal",
        &[("lang", "en"), ("terug", "/"), ("csrf_token", &token)],
    );
    assert_eq!(stale.status(), 403);
    let token = app.page("/medewerkers/productie", 200).csrf_token();
    let out = app.post_form("/medewerkers/uitloggen", &[("csrf_token", &token)]);
    assert_eq!(out.status(), 303);
    assert!(
        app.page("/medewerkers/inloggen", 200)
            .text(".flash")
            .contains("uitgelogd")
    );
    assert_eq!(app.get("/medewerkers/productie").status(), 303);
}

#[test]
fn staff_move_an_order_through_every_step_and_each_step_mails_the_sender() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let (id, date) = app.paid_order();
    log_in(&app, "jennifer@example.nl");
    let board = app.page(&format!("/medewerkers/productie?datum={date}"), 200);
    let order = board.text(".board-order");
    assert!(
        order.contains("Klassiek boeket rode rozen") && order.contains("Glazen vaas"),
        "{order}"
    );
    assert!(
        order.contains("Van harte beterschap!"),
        "the card message is on the board"
    );
    assert_eq!(
        board.attrs(".moves button", "value"),
        vec!["in_production", "cancelled"]
    );

    for (step, to) in ["in_production", "ready", "out_for_delivery", "delivered"]
        .into_iter()
        .enumerate()
    {
        let response = move_to(&app, id, to);
        assert_eq!(response.status(), 303, "{to}");
        assert_eq!(status_of(&app, id), to);
        assert_eq!(status_mails(&app), step as i64 + 1, "a mail for {to}");
    }
    let events: Vec<(String, Option<i64>)> = order_events::table
        .filter(order_events::order_id.eq(id))
        .order(order_events::id)
        .select((order_events::to_status, order_events::staff_id))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(events.len(), 4);
    assert!(
        events.iter().all(|(_, who)| who.is_some()),
        "who did each step is recorded"
    );
    let text: String = outbox::table
        .order(outbox::id.desc())
        .select(outbox::body_text)
        .first(&mut *app.conn())
        .unwrap();
    assert!(text.contains("Je bestelling is bezorgd."), "{text}");
    assert!(
        app.page(&format!("/medewerkers/productie?datum={date}"), 200)
            .count(".moves")
            == 0,
        "nothing left to do"
    );
}

#[test]
fn a_forbidden_step_is_refused_and_changes_nothing() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let (id, _) = app.paid_order();
    log_in(&app, "jennifer@example.nl");
    let response = move_to(&app, id, "delivered");
    assert_eq!(response.status(), 400);
    assert!(
        Page::parse(&response.text().unwrap())
            .text("main")
            .contains("Deze stap kan niet")
    );
    assert_eq!(status_of(&app, id), "confirmed");
    move_to(&app, id, "in_production");
    assert_eq!(
        move_to(&app, id, "cancelled").status(),
        400,
        "no cancelling once production started"
    );
    assert_eq!(status_of(&app, id), "in_production");
    assert_eq!(status_mails(&app), 1);
}

#[test]
fn cancelling_before_production_gives_the_place_back() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let (id, _) = app.paid_order();
    log_in(&app, "jennifer@example.nl");
    assert_eq!(move_to(&app, id, "cancelled").status(), 303);
    let booked: Vec<i32> = bloei::db::schema::delivery_days::table
        .select(bloei::db::schema::delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, vec![0]);
}

#[test]
fn the_courier_list_shows_only_what_delivery_needs_and_records_the_outcome() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let (id, date) = app.paid_order();
    log_in(&app, "jennifer@example.nl");
    move_to(&app, id, "in_production");
    move_to(&app, id, "ready");
    move_to(&app, id, "out_for_delivery");
    let list = app.page(&format!("/medewerkers/bezorging?datum={date}"), 200);
    let stop = list.text(".stop");
    for expected in [
        "Ans de Vries",
        "Kerkstraat 12",
        "1441 AB Purmerend",
        "06-12345678",
        "Achterom",
        "Afgeven bij de buren",
        "1 × Klassiek boeket rode rozen (Middel) + Glazen vaas",
    ] {
        assert!(stop.contains(expected), "{expected:?} missing from {stop}");
    }
    let main = list.text("main");
    for forbidden in ["€", "jan@example.nl", "Jan Jansen", "Van harte beterschap!"] {
        assert!(
            !main.contains(forbidden),
            "{forbidden:?} must not be on the courier list (P10)"
        );
    }
    let token = list.csrf_token();
    let response = app.post_form(
        &format!("/medewerkers/bestellingen/{id}/status"),
        &[
            ("to", "with_neighbour"),
            ("terug", &format!("/medewerkers/bezorging?datum={date}")),
            ("csrf_token", &token),
        ],
    );
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/medewerkers/bezorging?datum={date}").as_str()
    );
    assert_eq!(status_of(&app, id), "with_neighbour");
}

#[test]
fn the_work_ticket_prints_the_card_on_its_own_and_an_anonymous_card_carries_no_name() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let (id, _) = app.paid_order();
    log_in(&app, "jennifer@example.nl");
    let ticket = app.page(&format!("/medewerkers/bestellingen/{id}/werkbon"), 200);
    assert_eq!(ticket.text(".cut-card .card-text"), "Van harte beterschap!");
    assert_eq!(ticket.text(".card-signature"), "Jan Jansen");
    diesel::update(orders::table.find(id))
        .set(orders::card_anonymous.eq(true))
        .execute(&mut *app.conn())
        .unwrap();
    let ticket = app.page(&format!("/medewerkers/bestellingen/{id}/werkbon"), 200);
    assert_eq!(ticket.count(".card-signature"), 0);
    app.page("/medewerkers/bestellingen/999999/werkbon", 404);
}

#[test]
fn after_five_wrong_passwords_the_account_waits_even_for_the_right_one_and_is_told_how_long() {
    let app = TestApp::spawn();
    create_staff(&app, "jennifer@example.nl");
    let token = app.page("/medewerkers/inloggen", 200).csrf_token();
    let attempt = |password: &str| {
        app.post_form(
            "/medewerkers/inloggen",
            &[
                ("email", "Jennifer@example.nl"),
                ("password", password),
                ("csrf_token", &token),
            ],
        )
    };
    for _ in 0..5 {
        assert_eq!(attempt("fout-wachtwoord-1").status(), 401);
    }
    let refused = attempt(PASSWORD);
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((60..=180).contains(&wait), "{wait}");
    let page = Page::parse(&refused.text().unwrap());
    assert!(
        page.text("#login-error")
            .contains("Probeer het over 3 minuten opnieuw"),
        "{}",
        page.text("#login-error")
    );
    assert_eq!(
        page.attrs("#email", "value"),
        vec!["Jennifer@example.nl".to_owned()],
        "what was typed is kept"
    );
    // Still refused: the limit holds however the address is written.
    let token = app.page("/medewerkers/inloggen", 200).csrf_token();
    let again = app.post_form(
        "/medewerkers/inloggen",
        &[
            ("email", " JENNIFER@example.nl"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ],
    );
    assert_eq!(again.status(), 429);
    app.page("/medewerkers/productie", 303);
}
