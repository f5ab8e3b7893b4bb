//! The processor register (P10): the owner completes the processors the settings name and adds
//! others; `/privacy` lists them with purpose, data, location and agreement date; bad input is
//! refused per field and kept; an edit changes the statement's version (P19) on every instance,
//! so logged-in customers hear about it.

use bloei::db::schema::processors;
use bloei::staff::model::Role;
use diesel::prelude::*;

use crate::back_office::{page, post};
use crate::roles::{Visitor, client_for};
use crate::self_service::{app_page, send};
use crate::support::TestApp;

const REGISTER: &str = "/medewerkers/verwerkers";

fn stored(app: &TestApp) -> i64 {
    processors::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[test]
fn the_owner_completes_the_mail_service_and_adds_a_host_and_the_privacy_statement_lists_both() {
    let app = TestApp::spawn_with(|s| s.mail_provider = Some("Postbode Mail B.V.".into()));
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let denied = support.get(app.url(REGISTER)).send().unwrap();
    assert_eq!(denied.status(), 403, "the register is the owner's");

    let register = page(&app, &owner, REGISTER);
    let mail_row = register.text("table.processors tbody tr:nth-child(2)");
    assert!(mail_row.contains("Postbode Mail B.V."), "{mail_row}");
    assert!(mail_row.contains("nog niet ingevuld"), "{mail_row}");

    // A configured line takes only location and agreement date; a date to come is refused.
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(2)).to_string();
    let path = format!("{REGISTER}/mail");
    let form = page(&app, &owner, &path);
    assert_eq!(form.count("#name"), 0, "the name comes from the settings");
    let (status, refused) = post(
        &app,
        &owner,
        &path,
        &[("location", "EU (Ierland)"), ("agreement_on", &tomorrow)],
    );
    assert_eq!(status, 422);
    assert!(refused.text("#agreement_on-error").contains("toekomst"));
    assert_eq!(refused.attrs("#location", "value"), ["EU (Ierland)"]);
    assert_eq!(stored(&app), 0, "nothing saved");
    let (status, _) = post(
        &app,
        &owner,
        &path,
        &[("location", "EU (Ierland)"), ("agreement_on", "2026-02-01")],
    );
    assert_eq!(status, 303);

    // A processor added by hand: every field it needs is named when it is missing.
    let new = format!("{REGISTER}/nieuw");
    let (status, refused) = post(&app, &owner, &new, &[("purpose_nl", "Hosting")]);
    assert_eq!(status, 422);
    for field in ["name", "data_nl", "location"] {
        assert!(
            refused
                .text(&format!("#{field}-error"))
                .contains("Vul dit veld in"),
            "{field}"
        );
    }
    assert_eq!(refused.attrs("#purpose_nl", "value"), ["Hosting"]);
    let long = "x".repeat(501);
    let (status, refused) = post(
        &app,
        &owner,
        &new,
        &[("name", "Hostingbedrijf B.V."), ("data_nl", &long)],
    );
    assert_eq!(status, 422);
    assert!(!refused.text("#data_nl-error").is_empty(), "too long");
    let (status, _) = post(
        &app,
        &owner,
        &new,
        &[
            ("name", "Hostingbedrijf B.V."),
            ("purpose_nl", "Hosting van de webwinkel en de database"),
            ("data_nl", "Alle gegevens die de winkel bewaart"),
            ("location", "Nederland"),
            ("agreement_on", "2026-01-15"),
        ],
    );
    assert_eq!(status, 303);
    assert_eq!(stored(&app), 2);

    let statement = app.page("/privacy", 200);
    let table = statement.text("#recipients-heading + p + .table-scroll table");
    for seen in [
        "Postbode Mail B.V.",
        "EU (Ierland)",
        "2026-02-01",
        "Hostingbedrijf B.V.",
        "Hosting van de webwinkel en de database",
        "Nederland",
        "2026-01-15",
    ] {
        assert!(table.contains(seen), "{seen} missing from {table}");
    }
    // Without an English text the English statement shows the Dutch one rather than nothing.
    let english = app.get_in("/privacy", "en").text().unwrap();
    assert!(english.contains("Hosting van de webwinkel en de database"));
    assert!(english.contains("Processing agreement"));

    // Removing asks first, then takes the line out of the statement.
    let id: i64 = processors::table
        .filter(processors::role.is_null())
        .select(processors::id)
        .first(&mut *app.conn())
        .unwrap();
    let remove = format!("{REGISTER}/{id}/verwijderen");
    let question = page(&app, &owner, &remove);
    assert!(
        question
            .text(".confirm")
            .contains("verdwijnt uit het register")
    );
    assert_eq!(stored(&app), 2, "asking removes nothing");
    let (status, _) = post(&app, &owner, &remove, &[]);
    assert_eq!(status, 303);
    assert!(
        !app.get("/privacy")
            .text()
            .unwrap()
            .contains("Hostingbedrijf")
    );
    let configured = owner
        .get(app.url(&format!("{REGISTER}/mail/verwijderen")))
        .send()
        .unwrap();
    assert_eq!(
        configured.status(),
        404,
        "a configured line leaves with its setting"
    );
}

#[test]
fn an_edit_on_one_instance_changes_the_statement_version_on_every_instance_and_customers_are_told()
{
    let app = TestApp::spawn();
    let other = app.second_instance();
    let version = |app: &TestApp| app.page("/privacy", 200).text(".statement-version code");
    let before = version(&app);
    assert_eq!(before, version(&other));
    let customer = other.customer("Noor Smit", "noor@example.nl");
    assert_eq!(
        app_page(&other, &customer, "/").count(".statement-notice"),
        0,
        "a new account accepted the statement it registered under"
    );

    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let (status, _) = post(
        &app,
        &owner,
        &format!("{REGISTER}/payment"),
        &[("location", "Nederland"), ("agreement_on", "2026-03-01")],
    );
    assert_eq!(status, 303);
    let after = version(&app);
    assert_ne!(after, before, "the register is part of the statement");
    assert_eq!(
        version(&other),
        after,
        "the other instance reports the same version"
    );

    // The customer logs in again on the other instance and is told the statement changed.
    send(&other, &customer, "/account/uitloggen", &[]);
    let login = send(
        &other,
        &customer,
        "/account/inloggen",
        &[
            ("email", "noor@example.nl"),
            ("password", crate::accounts::PASSWORD),
            ("terug", "/account"),
        ],
    );
    assert_eq!(login.status(), 303);
    assert_eq!(
        app_page(&other, &customer, "/").count(".statement-notice"),
        1
    );
}
