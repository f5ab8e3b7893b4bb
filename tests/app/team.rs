//! The owner's team pages: adding staff, changing a role, disabling (logins end at once) and
//! resetting two-step login, with the last owner protected (P14).

use bloei::db::schema::{staff, staff_logins, staff_recovery_codes};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::staff::{PASSWORD, log_in_with};
use crate::support::{Page, TestApp, browser};

fn page(app: &TestApp, client: &Client, path: &str) -> Page {
    let response = client.get(app.url(path)).send().unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    Page::parse(&response.text().unwrap())
}

fn post(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let token = page(app, client, "/medewerkers").csrf_token();
    let mut fields = form.to_vec();
    fields.push(("csrf_token", &token));
    let response = client.post(app.url(path)).form(&fields).send().unwrap();
    (response.status().as_u16(), response.text().unwrap())
}

/// The staff id of the member with this e-mail address.
pub(crate) fn id_of(app: &TestApp, email: &str) -> i64 {
    staff::table
        .filter(staff::email.eq(email))
        .select(staff::id)
        .first(&mut *app.conn())
        .unwrap()
}

#[test]
fn the_owner_adds_a_florist_who_can_then_log_in_and_bad_input_keeps_what_was_typed() {
    let app = TestApp::spawn();
    let owner = app.staff_member("eigenaar@example.nl", Role::Owner);
    let (status, body) = post(
        &app,
        &owner,
        "/medewerkers/team",
        &[
            ("name", "Bas"),
            ("email", "bas@example.nl"),
            ("role", "florist"),
            ("password", "kort"),
        ],
    );
    assert_eq!(status, 422);
    let refused = Page::parse(&body);
    assert!(refused.text("#password-error").contains("12 tekens"));
    assert_eq!(
        refused.attrs("#email", "value"),
        vec!["bas@example.nl".to_owned()]
    );
    assert_eq!(
        refused.attrs("#password", "value"),
        vec![String::new()],
        "never echoed"
    );
    let (status, _) = post(
        &app,
        &owner,
        "/medewerkers/team",
        &[
            ("name", "Bas"),
            ("email", "bas@example.nl"),
            ("role", "florist"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(status, 303);
    let team = page(&app, &owner, "/medewerkers/team");
    assert!(team.text("table.team").contains("Bas"));
    assert!(team.text(".changes").contains("created (florist)"));
    let bas = browser();
    assert_eq!(log_in_with(&app, &bas, "bas@example.nl"), "/medewerkers");
    // A florist may not add staff or make themselves owner.
    let bas_id = id_of(&app, "bas@example.nl");
    let (status, _) = post(
        &app,
        &bas,
        "/medewerkers/team",
        &[
            ("name", "X"),
            ("email", "x@example.nl"),
            ("role", "owner"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &bas,
        &format!("/medewerkers/team/{bas_id}/rol"),
        &[("role", "owner")],
    );
    assert_eq!(status, 403);
    let count: i64 = staff::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(count, 2, "nothing was added");
    // The same address twice is refused.
    let (status, body) = post(
        &app,
        &owner,
        "/medewerkers/team",
        &[
            ("name", "Bas 2"),
            ("email", "BAS@example.nl"),
            ("role", "courier"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(status, 422);
    assert!(
        Page::parse(&body)
            .text("#email-error")
            .contains("al een medewerker")
    );
}

#[test]
fn disabling_a_staff_member_asks_first_and_ends_their_logins_at_once() {
    let app = TestApp::spawn();
    let owner = app.staff_member("eigenaar@example.nl", Role::Owner);
    let courier = app.staff_member("koerier@example.nl", Role::Courier);
    assert_eq!(
        courier
            .get(app.url("/medewerkers/bezorging"))
            .send()
            .unwrap()
            .status(),
        200
    );
    let id = id_of(&app, "koerier@example.nl");
    let question = page(
        &app,
        &owner,
        &format!("/medewerkers/team/{id}/uitschakelen"),
    );
    assert!(question.text("main").contains("uitschakelen?"));
    let (status, _) = post(
        &app,
        &owner,
        &format!("/medewerkers/team/{id}/uitschakelen"),
        &[],
    );
    assert_eq!(status, 303);
    let open: i64 = staff_logins::table
        .filter(staff_logins::staff_id.eq(id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(open, 0, "no login row is left");
    let response = courier
        .get(app.url("/medewerkers/bezorging"))
        .send()
        .unwrap();
    assert_eq!(response.status(), 303, "the open session no longer works");
    // Enabling lets them in again.
    let (status, _) = post(
        &app,
        &owner,
        &format!("/medewerkers/team/{id}/inschakelen"),
        &[],
    );
    assert_eq!(status, 303);
    assert_eq!(
        log_in_with(&app, &browser(), "koerier@example.nl"),
        "/medewerkers"
    );
}

#[test]
fn a_new_role_applies_at_the_next_login_and_the_last_owner_cannot_be_removed() {
    let app = TestApp::spawn();
    let owner = app.staff_member("eigenaar@example.nl", Role::Owner);
    let worker = app.staff_member("koerier@example.nl", Role::Courier);
    let id = id_of(&app, "koerier@example.nl");
    let (status, _) = post(
        &app,
        &owner,
        &format!("/medewerkers/team/{id}/rol"),
        &[("role", "florist")],
    );
    assert_eq!(status, 303);
    assert_eq!(
        worker.get(app.url("/medewerkers")).send().unwrap().status(),
        303
    );
    let again = browser();
    log_in_with(&app, &again, "koerier@example.nl");
    assert_eq!(
        again
            .get(app.url("/medewerkers/productie"))
            .send()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        again
            .get(app.url("/medewerkers/bezorging"))
            .send()
            .unwrap()
            .status(),
        403
    );
    // The only owner can neither disable nor demote themselves.
    let me = id_of(&app, "eigenaar@example.nl");
    for (action, form) in [("uitschakelen", vec![]), ("rol", vec![("role", "support")])] {
        let (status, body) = post(
            &app,
            &owner,
            &format!("/medewerkers/team/{me}/{action}"),
            &form,
        );
        assert_eq!(status, 409, "{action}");
        assert!(
            Page::parse(&body)
                .text(".flash-error")
                .contains("geen actieve eigenaar")
        );
    }
    let (role, active): (String, bool) = staff::table
        .find(me)
        .select((staff::role, staff::active))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((role.as_str(), active), ("owner", true));
}

#[test]
fn resetting_two_step_login_forgets_the_app_and_codes_and_asks_for_a_new_set_up() {
    let app = TestApp::spawn();
    let owner = app.staff_member("eigenaar@example.nl", Role::Owner);
    app.staff_member("hulp@example.nl", Role::Support);
    let id = id_of(&app, "hulp@example.nl");
    let question = page(
        &app,
        &owner,
        &format!("/medewerkers/team/{id}/tweestaps-opnieuw"),
    );
    assert!(question.text("main").contains("herstelcodes"));
    let (status, _) = post(
        &app,
        &owner,
        &format!("/medewerkers/team/{id}/tweestaps-opnieuw"),
        &[],
    );
    assert_eq!(status, 303);
    let secret: Option<String> = staff::table
        .find(id)
        .select(staff::totp_secret)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(secret, None);
    let codes: i64 = staff_recovery_codes::table
        .filter(staff_recovery_codes::staff_id.eq(id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(codes, 0);
    // The next login sets up a new app (the helper follows the set-up page).
    let client = browser();
    let token = page(&app, &client, "/medewerkers/inloggen").csrf_token();
    let response = client
        .post(app.url("/medewerkers/inloggen"))
        .form(&[
            ("email", "hulp@example.nl"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .unwrap();
    assert_eq!(
        response.headers()["location"],
        "/medewerkers/tweestaps/instellen"
    );
}
