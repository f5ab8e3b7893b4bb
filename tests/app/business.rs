//! Business clients end to end: a company registers (IBAN sealed, shown masked), support
//! approves it, the admin invites an orderer, the orderer orders on account with a PO number,
//! and the monthly invoice sums exactly the month's orders per VAT rate with numbers that have
//! no gaps. Also: ids of another company lead nowhere, a removed user loses access at once, and
//! the account routes answer each kind of visitor as they should.

use bloei::db::schema::{companies, company_users, invoices, orders};
use bloei::staff::model::Role;
use chrono::Datelike;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::accounts::{checkout_as_shown, link_in_mail};
use crate::checkout::{add_to_cart, location, place_fields, post};
use crate::staff::{create_staff_as, log_in_with};
use crate::support::{Page, TestApp, browser};

fn send(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::blocking::Response {
    let token = Page::parse(&client.get(app.url("/")).send().unwrap().text().unwrap()).csrf_token();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", &token));
    client.post(app.url(path)).form(&fields).send().unwrap()
}

fn page(app: &TestApp, client: &Client, path: &str) -> Page {
    Page::parse(&client.get(app.url(path)).send().unwrap().text().unwrap())
}

/// An admin's client, logged in, with a registered company named `name`.
pub(crate) fn company_admin(app: &TestApp, name: &str, email: &str, iban: Option<&str>) -> Client {
    let client = app.customer("Eva de Vries", email);
    let mut fields = vec![
        ("name", name),
        ("kvk_number", "6901 2345"),
        ("vat_id", "nl000099998b57"),
        ("billing_street", "Kerkstraat 1"),
        ("billing_postcode", "1441ab"),
        ("billing_city", "Purmerend"),
        ("contact_name", "Eva de Vries"),
        ("contact_job_title", "Office manager"),
    ];
    if let Some(iban) = iban {
        fields.push(("direct_debit", "on"));
        fields.push(("iban", iban));
    }
    let response = send(app, &client, "/zakelijk/registreren", &fields);
    assert_eq!(location(&response), "/zakelijk");
    client
}

/// A number not used for a staff address yet.
fn staff_count(app: &TestApp) -> i64 {
    use bloei::db::schema::staff;
    staff::table.count().get_result(&mut *app.conn()).unwrap()
}

pub(crate) fn approve_all(app: &TestApp) {
    let support = browser();
    let email = format!("support{}@example.nl", staff_count(app));
    create_staff_as(app, &email, Role::Support);
    log_in_with(app, &support, &email);
    let list = page(app, &support, "/medewerkers/bedrijven");
    let ids: Vec<i64> = companies::table
        .filter(companies::approved_at.is_null())
        .select(companies::id)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(list.count("form.approve-company"), ids.len());
    for id in ids {
        let done = send(
            app,
            &support,
            &format!("/medewerkers/bedrijven/{id}/goedkeuren"),
            &[],
        );
        assert_eq!(done.status(), 303);
    }
}

/// Invites `email` as an orderer; they register, confirm and accept. Their client.
fn orderer(app: &TestApp, admin: &Client, email: &str) -> Client {
    let invited = send(
        app,
        admin,
        "/zakelijk/uitnodigen",
        &[("email", email), ("role", "orderer")],
    );
    assert_eq!(location(&invited), "/zakelijk");
    let link = link_in_mail(app, email, "/zakelijk/uitnodiging/");
    let client = app.customer("Olaf Bakker", email);
    assert_eq!(client.get(app.url(&link)).send().unwrap().status(), 200);
    let joined = send(app, &client, &link, &[]);
    assert_eq!(location(&joined), "/zakelijk");
    client
}

/// Orders a bouquet (9%) with a vase (21%) on account with a PO number; the order's id.
pub(crate) fn order_on_account(app: &TestApp, client: &Client, po: &str) -> i64 {
    add_to_cart(app, client, "rode-rozen-klassiek", "M", &["glazen-vaas"]);
    let overview = checkout_as_shown(
        app,
        client,
        &[("payment_method", "account"), ("po_number", po)],
    );
    let placed = post(
        app,
        client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    assert!(
        location(&placed).starts_with("/bestelling/"),
        "no payment step on account"
    );
    orders::table
        .select(orders::id)
        .order(orders::id.desc())
        .first(&mut *app.conn())
        .unwrap()
}

/// sequence, number, company, net 9%, VAT 9%, net 21%, VAT 21%, total.
type IssuedRow = (i64, String, i64, i64, i64, i64, i64, i64);

fn last_month() -> (String, chrono::NaiveDate) {
    let today = chrono::Utc::now().date_naive();
    let first_of_month = today.with_day(1).unwrap();
    let day = first_of_month - chrono::Duration::days(10);
    (day.format("%Y-%m").to_string(), day)
}

fn move_to(app: &TestApp, id: i64, day: chrono::NaiveDate) {
    diesel::update(orders::table.find(id))
        .set(orders::delivery_date.eq(day))
        .execute(&mut *app.conn())
        .unwrap();
}

#[test]
fn a_company_is_approved_invites_an_orderer_who_orders_on_account_and_the_month_is_invoiced_without_gaps()
 {
    let app = TestApp::spawn();
    let admin = company_admin(
        &app,
        "Kantoor B.V.",
        "eva@kantoor.nl",
        Some("NL91 ABNA 0417 1643 00"),
    );

    // The IBAN is not readable in the database; the company page shows it masked.
    let sealed: Option<String> = companies::table
        .select(companies::iban_encrypted)
        .first(&mut *app.conn())
        .unwrap();
    let sealed = sealed.unwrap();
    assert!(
        !sealed.contains("4300") && !sealed.contains("ABNA") && !sealed.contains("NL91"),
        "{sealed}"
    );
    assert_eq!(
        page(&app, &admin, "/zakelijk").text(".iban"),
        "NL** **** **** **** 4300"
    );

    // Before approval paying on account is refused.
    add_to_cart(&app, &admin, "rode-rozen-klassiek", "M", &[]);
    let form = page(&app, &admin, "/afrekenen");
    assert_eq!(form.count("input[name=payment_method]"), 0);
    approve_all(&app);
    assert_eq!(
        page(&app, &admin, "/afrekenen").count("input[name=payment_method]"),
        2
    );

    let olaf = orderer(&app, &admin, "olaf@kantoor.nl");
    let first = order_on_account(&app, &olaf, "PO-4711");
    let second = order_on_account(&app, &olaf, "KP-12");
    let (status, on_account, po): (String, bool, Option<String>) = orders::table
        .find(first)
        .select((orders::status, orders::on_account, orders::po_number))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (status.as_str(), on_account, po.as_deref()),
        ("confirmed", true, Some("PO-4711"))
    );
    // Nothing was paid, so neither the status page nor the confirmation speaks of a payment.
    let token: String = orders::table
        .find(first)
        .select(orders::status_token)
        .first(&mut *app.conn())
        .unwrap();
    let status_line = page(&app, &olaf, &format!("/bestelling/{token}")).text(".order-status");
    assert!(status_line.contains("op rekening"), "{status_line}");
    assert!(!status_line.contains("betaling"), "{status_line}");
    let confirmation: String = bloei::db::schema::outbox::table
        .filter(bloei::db::schema::outbox::recipient.eq("olaf@kantoor.nl"))
        .filter(bloei::db::schema::outbox::subject.like("%Bevestiging%"))
        .select(bloei::db::schema::outbox::body_text)
        .first(&mut *app.conn())
        .unwrap();
    assert!(confirmation.contains("op rekening") && !confirmation.contains("betaling is binnen"));

    // The orderer sees their own orders; the admin sees all the company's with the PO numbers.
    assert_eq!(
        page(&app, &admin, "/zakelijk").texts("td.po-number"),
        ["KP-12", "PO-4711"]
    );

    // A second company with one order, so two invoices are issued in one run.
    let other = company_admin(&app, "Hotel De Roos", "info@hotelderoos.nl", None);
    approve_all(&app);
    let third = order_on_account(&app, &other, "");
    let (month, day) = last_month();
    for id in [first, second, third] {
        move_to(&app, id, day);
    }
    let output = crate::cli::bloei(
        &[
            "invoices",
            "--month",
            &month,
            "--data-dir",
            app.data_dir().to_str().unwrap(),
            "--database-url",
            app.database_url(),
        ],
        &[
            ("BLOEI_SECRET_KEY", &bloei::config::generate_key()),
            ("BLOEI_DATA_KEY", &bloei::config::generate_key()),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("2 invoice(s) issued"));

    let issued: Vec<IssuedRow> = invoices::table
        .order(invoices::sequence)
        .select((
            invoices::sequence,
            invoices::number,
            invoices::company_id,
            invoices::net_reduced_cents,
            invoices::vat_reduced_cents,
            invoices::net_standard_cents,
            invoices::vat_standard_cents,
            invoices::total_cents,
        ))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        issued.iter().map(|i| i.0).collect::<Vec<_>>(),
        [1, 2],
        "no gaps"
    );
    // The first company's invoice sums exactly its two orders, per rate.
    let sums: Vec<(i64, i64, i64, i64, i64)> = orders::table
        .filter(orders::id.eq_any([first, second]))
        .select((
            orders::vat_reduced_gross_cents,
            orders::vat_reduced_cents,
            orders::vat_standard_gross_cents,
            orders::vat_standard_cents,
            orders::total_cents,
        ))
        .load(&mut *app.conn())
        .unwrap();
    let total = |f: fn(&(i64, i64, i64, i64, i64)) -> i64| sums.iter().map(f).sum::<i64>();
    let kantoor = &issued[0];
    assert_eq!(kantoor.3, total(|s| s.0 - s.1), "net at 9%");
    assert_eq!(kantoor.4, total(|s| s.1), "VAT at 9%");
    assert_eq!(kantoor.5, total(|s| s.2 - s.3), "net at 21%");
    assert_eq!(kantoor.6, total(|s| s.3), "VAT at 21%");
    assert_eq!(kantoor.7, total(|s| s.4));
    assert_eq!(
        kantoor.3 + kantoor.4 + kantoor.5 + kantoor.6,
        kantoor.7,
        "the parts add up"
    );
    assert!(kantoor.4 > 0 && kantoor.6 > 0, "both rates are on it");

    // The admin reads it; it states both parties' KvK and VAT id and the payment term.
    let invoice_id: i64 = invoices::table
        .filter(invoices::sequence.eq(1))
        .select(invoices::id)
        .first(&mut *app.conn())
        .unwrap();
    let shown = page(&app, &admin, &format!("/zakelijk/facturen/{invoice_id}"));
    assert_eq!(shown.count("tr.invoice-order"), 2);
    assert_eq!(shown.text(".buyer-kvk"), "69012345");
    assert_eq!(shown.text(".buyer-vat-id"), "NL000099998B57");
    assert!(!shown.text(".seller-vat-id").is_empty());
    assert!(shown.text(".invoice-term").contains("14 dagen"));
    assert!(
        link_in_mail(&app, "eva@kantoor.nl", "/zakelijk/facturen/")
            .ends_with(&invoice_id.to_string())
    );

    // Running the month again issues nothing; an issued invoice cannot be changed.
    let again = send(
        &app,
        &owner_client(&app),
        "/medewerkers/facturen",
        &[("month", &month)],
    );
    assert_eq!(again.status(), 303);
    let count: i64 = invoices::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(count, 2);
    let changed = diesel::update(invoices::table)
        .set(invoices::total_cents.eq(1))
        .execute(&mut *app.conn());
    assert!(changed.is_err(), "an issued invoice never changes");

    // The other company's admin cannot read this invoice or remove this company's users.
    assert_eq!(
        other
            .get(app.url(&format!("/zakelijk/facturen/{invoice_id}")))
            .send()
            .unwrap()
            .status(),
        404
    );
    let olaf_membership: i64 = company_users::table
        .filter(company_users::role.eq("orderer"))
        .select(company_users::id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        send(
            &app,
            &other,
            &format!("/zakelijk/gebruikers/{olaf_membership}/verwijderen"),
            &[]
        )
        .status(),
        404
    );
    assert_eq!(
        company_users::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        3
    );

    // The orderer cannot read invoices; once removed, their access ends at once.
    assert_eq!(
        olaf.get(app.url(&format!("/zakelijk/facturen/{invoice_id}")))
            .send()
            .unwrap()
            .status(),
        403
    );
    let removed = send(
        &app,
        &admin,
        &format!("/zakelijk/gebruikers/{olaf_membership}/verwijderen"),
        &[],
    );
    assert_eq!(location(&removed), "/zakelijk");
    assert_eq!(olaf.get(app.url("/zakelijk")).send().unwrap().status(), 404);
}

fn owner_client(app: &TestApp) -> Client {
    app.staff_member("owner@example.nl", Role::Owner)
}

#[test]
fn a_wrong_kvk_vat_id_or_iban_is_named_next_to_its_field_and_what_was_typed_is_kept() {
    let app = TestApp::spawn();
    let client = app.customer("Piet", "piet@example.nl");
    let response = send(
        &app,
        &client,
        "/zakelijk/registreren",
        &[
            ("name", "Piet B.V."),
            ("kvk_number", "1234567"),
            ("vat_id", "NL000099998B58"),
            ("direct_debit", "on"),
            ("iban", "NL91 ABNA 0417 1643 01"),
        ],
    );
    assert_eq!(response.status(), 422);
    let page = Page::parse(&response.text().unwrap());
    assert!(page.text("#kvk_number-error").contains("8 cijfers"));
    assert!(page.text("#vat_id-error").contains("btw-id"));
    assert!(page.text("#iban-error").contains("IBAN"));
    assert_eq!(page.attrs("#iban", "value"), ["NL91 ABNA 0417 1643 01"]);
    assert_eq!(
        companies::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        0
    );
}

#[test]
fn account_and_business_routes_answer_each_kind_of_visitor_as_they_should() {
    let app = TestApp::spawn();
    let admin = company_admin(&app, "Kantoor B.V.", "eva@kantoor.nl", None);
    approve_all(&app);
    let orderer = orderer(&app, &admin, "olaf@kantoor.nl");
    let consumer = app.customer("Karin", "karin@example.nl");
    let staff = owner_client(&app);
    let anonymous = browser();
    let id = order_on_account(&app, &orderer, "PO-1");
    move_to(&app, id, last_month().1);
    send(
        &app,
        &staff,
        "/medewerkers/facturen",
        &[("month", &last_month().0)],
    );
    let invoice: i64 = invoices::table
        .select(invoices::id)
        .first(&mut *app.conn())
        .unwrap();
    let number: String = orders::table
        .find(id)
        .select(orders::number)
        .first(&mut *app.conn())
        .unwrap();
    let orderer_membership: i64 = company_users::table
        .filter(company_users::role.eq("orderer"))
        .select(company_users::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut staff_roles = Vec::new();
    for role in [Role::Florist, Role::Courier, Role::Support] {
        let client = browser();
        let email = format!("{}@example.nl", role.as_str());
        create_staff_as(&app, &email, role);
        log_in_with(&app, &client, &email);
        staff_roles.push(client);
    }
    let order_path = format!("/account/bestellingen/{number}");
    let invoice_path = format!("/zakelijk/facturen/{invoice}");
    let remove_path = format!("/zakelijk/gebruikers/{orderer_membership}/verwijderen");
    let staff_invoice = format!("/medewerkers/facturen/{invoice}");
    let date: chrono::NaiveDate = orders::table
        .find(id)
        .select(orders::delivery_date)
        .first(&mut *app.conn())
        .unwrap();
    let board = format!("/medewerkers/productie?datum={date}");
    let ticket = format!("/medewerkers/bestellingen/{id}/werkbon");
    let route = format!("/medewerkers/bezorging?datum={date}");
    // 303 = to a login page; 404 = not theirs to know about; 403 = known, not allowed.
    // Staff logins and customer logins are separate: staff are visitors on account pages.
    #[rustfmt::skip]
    let cells: [(&str, [u16; 8]); 13] = [
        //                        anon consumer orderer admin owner florist courier support
        ("/account",              [303, 200, 200, 200, 303, 303, 303, 303]),
        ("/account/adressen",     [303, 200, 200, 200, 303, 303, 303, 303]),
        (&order_path,             [303, 404, 200, 200, 303, 303, 303, 303]),
        ("/zakelijk",             [303, 404, 200, 200, 303, 303, 303, 303]),
        ("/zakelijk/registreren", [303, 200, 200, 200, 303, 303, 303, 303]),
        (&invoice_path,           [303, 404, 403, 200, 303, 303, 303, 303]),
        (&remove_path,            [303, 404, 403, 200, 303, 303, 303, 303]),
        ("/medewerkers/bedrijven", [303, 303, 303, 303, 200, 403, 403, 200]),
        ("/medewerkers/facturen", [303, 303, 303, 303, 200, 403, 403, 403]),
        (&staff_invoice,          [303, 303, 303, 303, 200, 403, 403, 403]),
        // Customer logins open no staff page.
        (&board,                  [303, 303, 303, 303, 200, 200, 403, 200]),
        (&ticket,                 [303, 303, 303, 303, 200, 200, 403, 403]),
        (&route,                  [303, 303, 303, 303, 200, 403, 200, 403]),
    ];
    let mut visitors = vec![&anonymous, &consumer, &orderer, &admin, &staff];
    visitors.extend(staff_roles.iter());
    for (path, expected) in cells {
        for (client, want) in visitors.iter().zip(expected) {
            let got = client.get(app.url(path)).send().unwrap().status().as_u16();
            assert_eq!(got, want, "GET {path} (expected {expected:?})");
        }
    }
    // Refused actions change nothing: an orderer cannot remove a colleague or approve.
    assert_eq!(send(&app, &orderer, &remove_path, &[]).status(), 403);
    let florist = &staff_roles[0];
    assert_eq!(
        send(&app, florist, "/medewerkers/bedrijven/1/goedkeuren", &[]).status(),
        403
    );
    assert_eq!(
        company_users::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        2
    );
}
