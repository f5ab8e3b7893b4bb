//! Journeys with an account, in a real browser: a customer from registering to deleting the
//! account (with the data download in between, P14/P15), and a company whose admin invites a
//! colleague who orders on account.

use std::io::Read;

use crate::accounts::{PASSWORD, link_in_mail};
use crate::browser::{Browser, DESKTOP, PHONE, Setup};
use crate::support::TestApp;

/// Registers in the browser and confirms through the mailed link (which logs in).
pub(crate) fn register_in(b: &mut Browser, app: &TestApp, name: &str, email: &str) {
    b.visit("/account/registreren");
    b.assert_accessible();
    b.fill("Naam", name);
    b.fill("E-mailadres", email);
    b.fill("Wachtwoord", PASSWORD);
    b.click("input[name=age_confirmed]");
    b.click_text("Account aanmaken");
    b.assert_accessible();
    let link = link_in_mail(app, email, "/account/bevestigen/");
    b.visit(&link);
    b.assert_accessible();
    b.fill("Wachtwoord", PASSWORD);
    b.follow("form.confirm-link button");
    assert_eq!(b.path(), "/account", "confirming logs in");
    b.assert_accessible();
}

/// Puts red roses (medium) in the cart and goes through checkout with what the account
/// filled in, delivering to Purmerend on the first date; ends on the overview.
fn order_roses(b: &mut Browser, extra: impl FnOnce(&Browser)) {
    b.visit("/product/rode-rozen-klassiek");
    b.click("input[name=size][value=M]");
    b.click_text("In de winkelwagen");
    b.click_text("Afrekenen");
    b.assert_accessible();
    b.click("input[name=fulfilment][value=delivery]");
    b.fill("Naam van de ontvanger", "Ans de Vries");
    b.fill("Straat en huisnummer", "Kerkstraat 12");
    b.fill("Postcode", "1441 AB");
    b.fill("Plaats", "Purmerend");
    b.click("input[name=not_home][value=neighbour]");
    let first = b.option_values("#delivery_date")[0].clone();
    b.choose("#delivery_date", &first);
    extra(b);
    b.click_text("Naar het overzicht");
    b.assert_accessible();
}

#[test]
fn a_customer_registers_confirms_orders_downloads_their_data_and_deletes_the_account() {
    let app = TestApp::spawn();
    let Some(mut b) = Browser::open(&app, "customer-account", Setup::new(PHONE, "nl")) else {
        return;
    };
    register_in(&mut b, &app, "Lot Kok", "lot@example.nl");
    order_roses(&mut b, |_| {});
    assert!(
        b.text("main").contains("Lot Kok"),
        "the sender comes from the account"
    );
    b.click_text("Bestellen en betalen");
    b.click_text("Betaling gelukt");
    assert!(b.path().starts_with("/bestelling/"), "{}", b.path());

    b.visit("/account");
    assert_eq!(
        b.texts(".history-order").len(),
        1,
        "the order is in the history"
    );
    b.click_text("Mijn gegevens bekijken en downloaden");
    assert_eq!(b.path(), "/account/mijn-gegevens");
    b.assert_accessible();
    b.fill("Huidig wachtwoord", PASSWORD);
    // A download leaves the page where it is.
    b.click("form[action='/account/mijn-gegevens/download'] button");
    let file = b.downloaded();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap())
        .unwrap_or_else(|e| panic!("{} is no ZIP: {e}", file.display()));
    let mut everything = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        if name.ends_with(".json") || name.ends_with(".txt") {
            entry.read_to_string(&mut everything).unwrap();
        }
    }
    assert!(
        everything.contains("lot@example.nl"),
        "the export holds the account"
    );
    assert!(everything.contains("Ans de Vries"), "and the order");

    // The bouquet is delivered meanwhile (an order under way keeps the account, P5).
    {
        use bloei::db::schema::orders;
        use diesel::prelude::*;
        diesel::update(orders::table)
            .set(orders::status.eq("delivered"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    b.visit("/account/verwijderen");
    b.assert_accessible();
    b.fill("Huidig wachtwoord", PASSWORD);
    b.click_text("Mijn account definitief verwijderen");
    b.assert_accessible();
    b.visit("/account");
    assert!(
        b.path().starts_with("/account/inloggen"),
        "logged out: {}",
        b.path()
    );
    b.fill("E-mailadres", "lot@example.nl");
    b.fill("Wachtwoord", PASSWORD);
    b.click_text("Inloggen");
    assert!(
        b.path().starts_with("/account/inloggen"),
        "the account is gone: {}",
        b.path()
    );
}

#[test]
fn a_company_admin_invites_a_colleague_who_orders_on_account_with_a_po_number() {
    let app = TestApp::spawn();
    crate::business::company_admin(&app, "Kantoor BV", "eva@kantoor.nl", None);
    crate::business::approve_all(&app);
    {
        let Some(mut admin) = Browser::open(&app, "company-admin", Setup::new(DESKTOP, "nl"))
        else {
            return;
        };
        admin.visit("/account/inloggen");
        admin.assert_accessible();
        admin.fill("E-mailadres", "eva@kantoor.nl");
        admin.fill("Wachtwoord", PASSWORD);
        admin.click_text("Inloggen");
        admin.visit("/zakelijk");
        admin.assert_accessible();
        admin.fill("E-mailadres van je collega", "olaf@kantoor.nl");
        admin.click("input[name=role][value=orderer]");
        admin.click_text("Uitnodigen");
        assert_eq!(admin.path(), "/zakelijk");
        assert!(admin.text("main").contains("olaf@kantoor.nl"));
    }
    let Some(mut colleague) = Browser::open(&app, "company-colleague", Setup::new(PHONE, "nl"))
    else {
        return;
    };
    register_in(&mut colleague, &app, "Olaf Bakker", "olaf@kantoor.nl");
    let invitation = link_in_mail(&app, "olaf@kantoor.nl", "/zakelijk/uitnodiging/");
    colleague.visit(&invitation);
    colleague.assert_accessible();
    colleague.click_text("Uitnodiging aannemen");
    assert_eq!(colleague.path(), "/zakelijk");
    order_roses(&mut colleague, |b| {
        b.click("input[name=payment_method][value=account]");
        b.fill(
            "Inkoopordernummer of kostenplaats (optioneel)",
            "PO-2026-117",
        );
    });
    assert_eq!(colleague.text(".po-number"), "PO-2026-117");
    assert_eq!(
        colleague.text(".payment-method"),
        "Op rekening (maandfactuur)"
    );
    colleague.follow("form.place-order button[value=place]");
    assert!(
        colleague.path().starts_with("/bestelling/"),
        "no payment step on account: {}",
        colleague.path()
    );
    colleague.assert_accessible();
    use bloei::db::schema::orders;
    use diesel::prelude::*;
    let (po, on_account): (Option<String>, bool) = orders::table
        .select((orders::po_number, orders::on_account))
        .order(orders::id.desc())
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(po.as_deref(), Some("PO-2026-117"));
    assert!(on_account);
}
