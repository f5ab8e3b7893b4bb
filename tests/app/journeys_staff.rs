//! Journeys in a real browser for the shop's own people (a florist at the production board, with
//! a printed ticket), for a visitor without JavaScript, and axe over every page of the shop in
//! both languages.

use bloei::staff::model::Role;

use crate::accounts::PASSWORD;
use crate::browser::{Browser, DESKTOP, PHONE, Setup};
use crate::support::TestApp;

#[test]
fn a_florist_moves_an_order_through_the_board_and_prints_its_ticket() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    crate::staff::create_staff_as(&app, "bloemist@example.nl", Role::Florist);
    let Some(mut b) = Browser::open(&app, "florist-board", Setup::new(DESKTOP, "nl")) else {
        return;
    };
    b.visit("/medewerkers/inloggen");
    b.assert_accessible();
    b.fill("E-mailadres", "bloemist@example.nl");
    b.fill("Wachtwoord", crate::staff::PASSWORD);
    b.click_text("Inloggen");
    assert_eq!(b.path(), "/medewerkers");
    b.assert_accessible();
    b.visit(&format!("/medewerkers/productie?datum={date}"));
    b.assert_accessible();
    let moves = format!("form[action='/medewerkers/bestellingen/{id}/status']");
    b.follow(&format!("{moves} button[value=in_production]"));
    assert_eq!(crate::staff::status_of(&app, id), "in_production");
    b.assert_accessible();
    b.follow(&format!("{moves} button[value=ready]"));
    assert_eq!(crate::staff::status_of(&app, id), "ready");

    b.follow(&format!("a[href='/medewerkers/bestellingen/{id}/werkbon']"));
    b.assert_accessible();
    assert!(
        b.text("main").contains("Van harte beterschap!"),
        "the card's text is on the ticket: {}",
        b.text("main")
    );
    b.emulate_print();
    let hidden = b.script(
        "return [...document.querySelectorAll('nav, .skip-link, .lang-switch, form.logout')]
           .every(e => getComputedStyle(e).display === 'none')",
    );
    assert_eq!(hidden, true, "the printed ticket shows no menus or buttons");
    let shot = b.keep_screenshot("ticket-print");
    let bytes = std::fs::metadata(&shot).unwrap().len();
    assert!(bytes > 5_000, "{} holds the printed ticket", shot.display());
}

#[test]
fn without_javascript_the_cookie_banner_checkout_and_account_pages_still_work() {
    let app = TestApp::spawn();
    app.customer("Lot Kok", "lot@example.nl");
    let setup = Setup {
        javascript: false,
        ..Setup::new(PHONE, "nl")
    };
    let Some(b) = Browser::open(&app, "no-javascript", setup) else {
        return;
    };
    // Scripts really are off: this page would rename itself with one.
    b.visit_url("data:text/html,<title>zonder</title><script>document.title='met'</script>");
    assert_eq!(b.title(), "zonder");
    b.visit("/");
    b.click_text("Accepteren");
    assert!(
        !b.has(".cookie-choice"),
        "the choice is kept without a script"
    );

    b.visit("/product/rode-rozen-klassiek");
    b.click("input[name=size][value=S]");
    b.click_text("In de winkelwagen");
    b.click_text("Afrekenen");
    b.fill("Je naam", "Jan Jansen");
    b.fill("Je e-mailadres", "jan@example.nl");
    b.click("input[name=fulfilment][value=pickup]");
    let first = b.option_values("#delivery_date")[0].clone();
    b.choose("#delivery_date", &first);
    b.click_text("Naar het overzicht");
    b.click_text("Bestellen en betalen");
    b.click_text("Betaling gelukt");
    assert_eq!(
        b.text(".order-status"),
        "Bedankt! Je betaling is binnen en je bestelling is bevestigd."
    );

    b.visit("/account/inloggen");
    b.fill("E-mailadres", "lot@example.nl");
    b.fill("Wachtwoord", PASSWORD);
    b.click_text("Inloggen");
    assert_eq!(b.path(), "/account");
    b.visit("/account/privacy");
    assert!(b.has("main form"), "the privacy choices are plain forms");
    b.visit("/account/mijn-gegevens");
    assert!(b.text("h1").contains("Mijn gegevens"));
}

#[test]
fn axe_finds_no_violation_on_any_page_of_the_shop_in_either_language() {
    let app = TestApp::spawn();
    app.customer("Lot Kok", "lot@example.nl");
    for (lang, size) in [("nl", DESKTOP), ("en", PHONE)] {
        let Some(mut b) = Browser::open(&app, &format!("axe-{lang}"), Setup::new(size, lang))
        else {
            return;
        };
        for path in crate::html_valid::PAGES {
            b.visit(path);
            b.assert_accessible();
        }
        b.visit("/account/inloggen");
        b.assert_accessible();
        b.visit("/account/registreren");
        b.assert_accessible();
        b.visit("/account/wachtwoord-vergeten");
        b.assert_accessible();
        b.visit("/zakelijk/registreren");
        b.assert_accessible();
        b.visit("/medewerkers/inloggen");
        b.assert_accessible();
        // Logged in: the account's own pages.
        b.visit("/account/inloggen");
        let (email, password) = if lang == "nl" {
            ("E-mailadres", "Wachtwoord")
        } else {
            ("Email address", "Password")
        };
        b.fill(email, "lot@example.nl");
        b.fill(password, PASSWORD);
        b.follow("form.login-form button[type=submit]");
        for path in [
            "/account",
            "/account/adressen",
            "/account/privacy",
            "/account/gelegenheden",
            "/account/mijn-gegevens",
            "/account/verwijderen",
            "/zakelijk/registreren",
            "/afrekenen",
        ] {
            b.visit(path);
            b.assert_accessible();
        }
    }
}
