//! Disclosures staff record by hand (P10): a police request is recorded with recipient, legal
//! ground, data and date, refused with a message per field when it names nobody or a day to
//! come, audited, and shown to the person on "my data" and in the download.

use bloei::db::schema::{audit_log, disclosure_records};
use bloei::staff::model::Role;
use diesel::prelude::*;

use crate::back_office::{page, post};
use crate::roles::{Visitor, client_for};
use crate::support::TestApp;

const PATH: &str = "/medewerkers/verstrekkingen";

fn count(app: &TestApp) -> i64 {
    disclosure_records::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[test]
fn a_police_request_recorded_by_support_shows_in_the_customers_data_and_download() {
    let app = TestApp::spawn();
    let customer = app.customer("Lot Kok", "lot@example.nl");
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Duration::days(2)).to_string();
    let (status, refused) = post(
        &app,
        &support,
        PATH,
        &[
            ("email", "onbekend@example.nl"),
            ("recipient", "Politie Eenheid Noord-Holland"),
            ("legal_basis", ""),
            ("data_sent", "Naam en adres"),
            ("disclosed_on", &tomorrow),
        ],
    );
    assert_eq!(status, 422);
    assert!(refused.text("#email-error").contains("geen account"));
    assert!(
        refused
            .text("#legal_basis-error")
            .contains("Vul dit veld in")
    );
    assert!(refused.text("#disclosed_on-error").contains("toekomst"));
    assert_eq!(
        refused.attrs("#recipient", "value"),
        vec!["Politie Eenheid Noord-Holland"],
        "what was typed is kept"
    );
    let (status, nobody) = post(&app, &support, PATH, &[("recipient", "Politie")]);
    assert_eq!(status, 422);
    assert!(
        nobody
            .text("#email-error")
            .contains("e-mailadres van een account of een bestelnummer")
    );
    assert_eq!(count(&app), 0, "nothing recorded");

    let today = chrono::Utc::now().date_naive().to_string();
    let (status, _) = post(
        &app,
        &support,
        PATH,
        &[
            ("email", "Lot@Example.nl"),
            ("recipient", "Politie Eenheid Noord-Holland"),
            ("legal_basis", "Vordering art. 126nd Sv, kenmerk PL2600-123"),
            ("data_sent", "Naam, e-mailadres en bestelgeschiedenis"),
            ("disclosed_on", &today),
        ],
    );
    assert_eq!(status, 303);
    assert_eq!(count(&app), 1);
    let register = page(&app, &support, PATH);
    assert!(register.text("table.disclosures").contains("PL2600-123"));
    let audited: Vec<Option<i64>> = audit_log::table
        .filter(audit_log::action.eq("disclosure_record"))
        .select(audit_log::customer_id)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert!(audited[0].is_some(), "the entry names the account by id");

    let my_data = crate::self_service::app_page(&app, &customer, "/account/mijn-gegevens");
    assert!(
        my_data
            .text("main")
            .contains("Politie Eenheid Noord-Holland")
    );
    let (_, json) = crate::erasure::export_of(&app, &customer);
    let text = json.to_string();
    assert!(
        text.contains("Vordering art. 126nd Sv, kenmerk PL2600-123"),
        "in the download"
    );
}
