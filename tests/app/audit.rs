//! The audit log (P14) and the disclosure log (P10): each staff action on customer data writes
//! one entry, the database refuses to change or delete one, the owner reads them filtered, and
//! a courier's list shows up in that customer's download and on "my data".

use bloei::db::schema::{audit_log, disclosures, orders};
use bloei::staff::model::Role;
use diesel::prelude::*;

use crate::accounts::{checkout_as_shown, place_and_pay};
use crate::back_office::page;
use crate::checkout::add_to_cart;
use crate::order_desk::post_from;
use crate::roles::{Visitor, client_for};
use crate::self_service::app_page;
use crate::support::TestApp;
use crate::team::id_of;

fn actions(app: &TestApp) -> Vec<(String, String)> {
    audit_log::table
        .order(audit_log::id)
        .select((audit_log::action, audit_log::subject))
        .load(&mut *app.conn())
        .unwrap()
}

fn count(app: &TestApp, action: &str) -> usize {
    actions(app).iter().filter(|(a, _)| a == action).count()
}

#[test]
fn each_staff_action_on_customer_data_writes_one_audit_entry() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    assert_eq!(count(&app, "staff_login"), 1, "the login itself");
    let order = format!("order:{id}");
    for (path, action, subject) in [
        (
            format!("/medewerkers/productie?datum={date}"),
            "board_view",
            format!("board:{date}"),
        ),
        (
            format!("/medewerkers/werkbonnen?datum={date}"),
            "tickets_view",
            format!("tickets:{date}"),
        ),
        (
            format!("/medewerkers/bestellingen/{id}/werkbon"),
            "ticket_view",
            order.clone(),
        ),
        (
            format!("/medewerkers/bezorging?datum={date}"),
            "route_view",
            format!("route:{date}"),
        ),
        (
            "/medewerkers/bedrijven".to_owned(),
            "companies_view",
            "companies".to_owned(),
        ),
        (
            format!("/medewerkers/bestellingen/{id}"),
            "order_view",
            order.clone(),
        ),
    ] {
        let before = count(&app, action);
        page(&app, &owner, &path);
        assert_eq!(count(&app, action), before + 1, "{path}");
        assert_eq!(actions(&app).last().unwrap(), &(action.to_owned(), subject));
    }
    // Cancelling a paid order records one refund.
    let confirm = format!("/medewerkers/bestellingen/{id}/annuleren");
    assert_eq!(post_from(&app, &owner, &confirm, &confirm, &[]), 303);
    assert_eq!(count(&app, "refund"), 1);
    // A role change names the member, never their details.
    crate::staff::create_staff_as(&app, "florist@example.nl", Role::Florist);
    let member = id_of(&app, "florist@example.nl");
    let path = format!("/medewerkers/team/{member}");
    assert_eq!(
        post_from(
            &app,
            &owner,
            &path,
            &format!("{path}/rol"),
            &[("role", "courier")]
        ),
        303
    );
    assert_eq!(
        actions(&app).last().unwrap(),
        &("staff_role".to_owned(), format!("staff:{member}"))
    );
    // Nothing in the log is a personal value: only ids and dates.
    for (_, subject) in actions(&app) {
        assert!(
            !subject.contains('@') && !subject.contains(' '),
            "{subject}"
        );
    }
}

#[test]
fn the_database_refuses_to_change_or_delete_an_audit_entry_except_by_its_own_rules() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    page(&app, &owner, &format!("/medewerkers/bestellingen/{id}"));
    let entry: i64 = audit_log::table
        .select(audit_log::id)
        .order(audit_log::id.desc())
        .first(&mut *app.conn())
        .unwrap();
    let rewritten = diesel::update(audit_log::table.find(entry))
        .set(audit_log::subject.eq("order:999"))
        .execute(&mut *app.conn());
    assert!(rewritten.is_err(), "an entry's subject cannot be changed");
    let reattributed = diesel::update(audit_log::table.find(entry))
        .set(audit_log::staff_id.eq(Some(entry + 1000)))
        .execute(&mut *app.conn());
    assert!(reattributed.is_err(), "nor who did it");
    let deleted = diesel::delete(audit_log::table.find(entry)).execute(&mut *app.conn());
    assert!(deleted.is_err(), "a recent entry cannot be deleted");
    // What an erasure does (unlink the customer) is allowed.
    diesel::update(audit_log::table.find(entry))
        .set(audit_log::customer_id.eq(None::<i64>))
        .execute(&mut *app.conn())
        .unwrap();
    // An entry past its two years goes (the retention rule).
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::days(731);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::action.eq("order_view"),
            audit_log::subject.eq("order:1"),
            audit_log::created_at.eq(old),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let swept = diesel::delete(
        audit_log::table.filter(audit_log::created_at.lt(old + chrono::Duration::days(1))),
    )
    .execute(&mut *app.conn())
    .unwrap();
    assert_eq!(swept, 1);
    let kept: i64 = audit_log::table
        .filter(audit_log::id.eq(entry))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(kept, 1, "the recent entry stays");
}

#[test]
fn the_owner_reads_the_log_filtered_by_staff_member_subject_and_dates() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let support = client_for(&app, Visitor::Staff(Role::Support));
    page(&app, &support, &format!("/medewerkers/bestellingen/{id}"));
    page(
        &app,
        &owner,
        &format!("/medewerkers/productie?datum={date}"),
    );
    let support_id = id_of(&app, "support@example.nl");

    let all = page(&app, &owner, "/medewerkers/auditlog");
    assert!(all.count("tr.audit-entry") >= 4, "two logins and two looks");
    let theirs = page(
        &app,
        &owner,
        &format!("/medewerkers/auditlog?medewerker={support_id}"),
    );
    let rows = theirs.texts("tr.audit-entry");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("Bestelling bekeken") && rows[0].contains(&format!("order:{id}")));
    assert!(rows[1].contains("Ingelogd"));
    let about = page(
        &app,
        &owner,
        &format!("/medewerkers/auditlog?onderwerp=order:{id}"),
    );
    assert_eq!(about.count("tr.audit-entry"), 1);
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today + chrono::Duration::days(1);
    let later = page(
        &app,
        &owner,
        &format!("/medewerkers/auditlog?van={tomorrow}"),
    );
    assert_eq!(later.count("tr.audit-entry"), 0);
    assert!(!later.text(".audit-none").is_empty());

    // A date that is not one: said beside the field, what was typed kept.
    let wrong = owner
        .get(app.url("/medewerkers/auditlog?van=gisteren"))
        .send()
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let seen = crate::support::Page::parse(&wrong.text().unwrap());
    assert!(seen.text("#van-error").contains("2026-12-04"));
    assert_eq!(seen.attrs("#van", "value"), vec!["gisteren".to_owned()]);
    // Only the owner reads it.
    let status = support
        .get(app.url("/medewerkers/auditlog"))
        .send()
        .unwrap()
        .status();
    assert_eq!(status, 403);
}

#[test]
fn a_courier_list_opened_by_a_courier_appears_as_a_disclosure_in_that_customers_export() {
    let app = TestApp::spawn();
    let customer = app.customer("Ans Visser", "ans.visser@example.nl");
    add_to_cart(&app, &customer, "rode-rozen-klassiek", "M", &[]);
    let overview = checkout_as_shown(&app, &customer, &[]);
    place_and_pay(&app, &customer, &overview);
    let (id, number, date): (i64, String, chrono::NaiveDate) = orders::table
        .select((orders::id, orders::number, orders::delivery_date))
        .first(&mut *app.conn())
        .unwrap();
    let before = app_page(&app, &customer, "/account/mijn-gegevens");
    assert!(before.text("main").contains("Niemand buiten onze winkel"));

    // The owner opening the list is the office, not a disclosure; the courier's own run is.
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let route = format!("/medewerkers/bezorging?datum={date}");
    page(&app, &owner, &route);
    assert_eq!(
        disclosures::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        0
    );
    let courier = client_for(&app, Visitor::Staff(Role::Courier));
    let courier_id = id_of(&app, "courier@example.nl");
    diesel::update(orders::table.find(id))
        .set((
            orders::status.eq("ready"),
            orders::courier_id.eq(Some(courier_id)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    page(&app, &courier, &route);
    page(&app, &courier, &route);
    let recorded: Vec<(i64, Option<i64>)> = disclosures::table
        .select((disclosures::order_id, disclosures::recipient_staff_id))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        recorded,
        vec![(id, Some(courier_id))],
        "once, however often opened"
    );

    let (_, json) = crate::erasure::export_of(&app, &customer);
    let listed = json["disclosures"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["recipient"], "Bezorger van de winkel");
    assert!(listed[0]["data"].as_str().unwrap().contains(&number));
    let mine = app_page(&app, &customer, "/account/mijn-gegevens");
    assert!(mine.text("table.disclosures").contains(&number));
}
