//! Journeys in a real browser for the shop's own people (a florist at the production board, with
//! a printed ticket), for a visitor without JavaScript, and axe over every page of the shop in
//! both languages.

use bloei::staff::model::Role;

use crate::accounts::PASSWORD;
use crate::browser::{Browser, DESKTOP, PHONE, Setup};
use crate::support::TestApp;

/// Logs staff member `email` in with the password and sets up the authenticator app (the first
/// login of a role that needs the second step), ending on the start page.
fn log_in_with_two_steps(app: &TestApp, b: &Browser, email: &str) {
    b.visit("/medewerkers/inloggen");
    b.fill("E-mailadres", email);
    b.fill("Wachtwoord", crate::staff::PASSWORD);
    b.click_text("Inloggen");
    let secret = b.script("return document.querySelector('#totp-secret').dataset.secret");
    let code = crate::staff::app_code(app, email, secret.as_str().unwrap());
    b.fill("Code", &code);
    b.click_text("Bevestigen");
    b.click_text("Verder");
}

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
    // With JavaScript the print button appears.
    assert!(b.has("button[data-print]:not([hidden])"));
    b.emulate_print();
    let hidden = b.script(
        "return [...document.querySelectorAll('nav, .skip-link, .lang-switch, form.logout, .print-actions')]
           .every(e => getComputedStyle(e).display === 'none')",
    );
    assert_eq!(hidden, true, "the printed ticket shows no menus or buttons");
    let shot = b.keep_screenshot("ticket-print");
    let bytes = std::fs::metadata(&shot).unwrap().len();
    assert!(bytes > 5_000, "{} holds the printed ticket", shot.display());
}

#[test]
fn a_florist_adds_a_product_with_a_photo_and_finds_it_in_the_shop() {
    let app = TestApp::spawn();
    crate::staff::create_staff_as(&app, "bloemist@example.nl", Role::Florist);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pioenen.jpg");
    std::fs::write(
        &file,
        crate::catalogue_admin::photo(1200, 900, image::ImageFormat::Jpeg),
    )
    .unwrap();
    let Some(mut b) = Browser::open(&app, "florist-product", Setup::new(PHONE, "nl")) else {
        return;
    };
    b.visit("/medewerkers/inloggen");
    b.fill("E-mailadres", "bloemist@example.nl");
    b.fill("Wachtwoord", crate::staff::PASSWORD);
    b.click_text("Inloggen");
    b.click_text("Assortiment");
    b.assert_accessible();
    b.click_text("Nieuw product");
    b.assert_accessible();
    // Sent without a price first: the form says what to fix and keeps the name.
    b.fill("Naam (Nederlands)", "Pioenen deluxe");
    b.click_text("Product toevoegen");
    assert!(b.text("#sizes-error").contains("minstens één maat"));
    b.assert_accessible();
    b.choose("#category", "boeketten");
    b.choose("#illustration", "img/products/pioenrozen-roze.svg");
    b.fill("Prijs in euro", "44,50");
    b.click("input[name=s_active]");
    b.click_text("Product toevoegen");
    assert!(
        b.path().starts_with("/medewerkers/catalogus/"),
        "{}",
        b.path()
    );
    assert!(b.text(".flash").contains("toegevoegd"));
    b.attach("Foto toevoegen", &file);
    b.click_text("Foto opslaan");
    assert!(b.text(".flash").contains("foto is opgeslagen"));
    b.assert_accessible();

    b.visit("/product/pioenen-deluxe");
    assert_eq!(b.text("h1"), "Pioenen deluxe");
    assert!(b.text(".size-option").contains("44,50"));
    let loaded = b.script(
        "const img = document.querySelector('.product-image img');
         return [img.complete, img.naturalWidth, img.currentSrc]",
    );
    assert_eq!(
        loaded[0], true,
        "the photo shows on the product page: {loaded}"
    );
    assert!(loaded[1].as_u64().unwrap_or(0) > 0, "decoded: {loaded}");
    assert!(
        loaded[2].as_str().unwrap_or("").contains("/fotos/"),
        "{loaded}"
    );
    b.keep_screenshot("product-photo-phone");
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

#[test]
fn the_owner_closes_a_date_in_the_calendar_and_checkout_no_longer_offers_it() {
    let app = TestApp::spawn();
    crate::staff::create_staff_as(&app, "eigenaar@example.nl", Role::Owner);
    let Some(mut b) = Browser::open(&app, "owner-calendar", Setup::new(PHONE, "nl")) else {
        return;
    };
    // A guest's checkout first, to learn which date is offered second.
    b.visit("/product/rode-rozen-klassiek");
    b.click("input[name=size][value=M]");
    b.click_text("In de winkelwagen");
    b.click_text("Afrekenen");
    let offered = b.option_values("#delivery_date");
    let date = offered.iter().find(|v| !v.is_empty()).unwrap().clone();
    // The owner logs in with the password and the authenticator app.
    log_in_with_two_steps(&app, &b, "eigenaar@example.nl");
    assert_eq!(b.path(), "/medewerkers");
    b.assert_accessible();
    b.keep_screenshot("owner-start-phone");
    b.click_text("Bezorgkalender");
    b.assert_accessible();
    b.follow(&format!("a[href='/medewerkers/kalender/{date}']"));
    b.assert_accessible();
    // Closing without a reason is refused beside the field; with one it is saved.
    b.click("#state-closed");
    b.click_text("Opslaan");
    assert!(
        b.text("#note-error").contains("reden"),
        "{}",
        b.text("main")
    );
    b.assert_accessible();
    b.fill("Reden", "Bruiloft van de bloemist");
    b.click_text("Opslaan");
    assert_eq!(b.path(), "/medewerkers/kalender");
    assert!(b.text(".flash").contains("opgeslagen"));
    b.keep_screenshot("owner-calendar-phone");
    // The customer's checkout no longer offers the date, and says why.
    b.visit("/afrekenen");
    assert!(!b.option_values("#delivery_date").contains(&date));
    assert!(b.text(".closed-days").contains("Bruiloft van de bloemist"));
    // The zones page is reachable from the same menu.
    b.visit("/medewerkers/zones");
    b.assert_accessible();
    b.visit("/medewerkers/bezorging");
    b.assert_accessible();
    b.visit("/medewerkers/werkbonnen");
    b.assert_accessible();
    b.visit("/medewerkers/team");
    b.assert_accessible();
    b.visit("/medewerkers/nieuwsbrief/schrijven");
    b.click_text("Voorbeeld tonen");
    b.assert_accessible();
}

#[test]
fn support_finds_a_callers_order_and_cancels_it_with_a_refund() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    crate::staff::create_staff_as(&app, "klantenservice@example.nl", Role::Support);
    let Some(mut b) = Browser::open(&app, "support-cancel", Setup::new(DESKTOP, "nl")) else {
        return;
    };
    log_in_with_two_steps(&app, &b, "klantenservice@example.nl");
    b.click_text("Bestellingen");
    b.assert_accessible();
    b.click_text("Telefonische bestelling");
    b.assert_accessible();
    b.click_text("Bestelling plaatsen");
    assert!(b.text("#product_1-error").contains("minstens één product"));
    b.assert_accessible();
    b.keep_screenshot("phone-order-refused");
    b.visit("/medewerkers/bestellingen");
    b.fill("Zoek een bestelling", "jansen");
    b.click_text("Zoeken");
    b.assert_accessible();
    b.follow(&format!("a[href='/medewerkers/bestellingen/{id}']"));
    b.assert_accessible();
    // The caller first asks for another card text.
    b.click_text("Wijzigen");
    b.assert_accessible();
    b.fill("Tekst op het kaartje (optioneel)", "Beterschap, lieve Ans!");
    b.click_text("Opslaan");
    assert!(b.text(".details").contains("Beterschap, lieve Ans!"));
    // Then changes their mind altogether.
    b.click_text("Bestelling annuleren…");
    assert!(b.text(".confirm").contains("gaat terug naar de klant"));
    b.assert_accessible();
    b.click_text("Ja, annuleren");
    assert!(
        b.text(".flash").contains("gaat terug naar de klant"),
        "{}",
        b.text("main")
    );
    assert!(
        b.text(".refunds")
            .contains("Verstuurd naar de betaaldienst")
    );
    assert!(b.text(".order-state").contains("Geannuleerd"));
    b.assert_accessible();
    b.keep_screenshot("order-cancelled-desktop");
    assert_eq!(crate::staff::status_of(&app, id), "cancelled");
}

#[test]
fn a_visitor_complains_about_an_order_support_answers_and_the_answer_arrives_by_mail() {
    use bloei::db::schema::{orders, outbox};
    use diesel::prelude::*;
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let number: String = orders::table
        .find(id)
        .select(orders::number)
        .first(&mut *app.conn())
        .unwrap();
    crate::staff::create_staff_as(&app, "klantenservice@example.nl", Role::Support);
    {
        let Some(mut v) = Browser::open(&app, "complaint-visitor", Setup::new(PHONE, "nl")) else {
            return;
        };
        v.visit("/");
        v.click_text("Klacht indienen");
        assert_eq!(v.path(), "/klacht");
        v.assert_accessible();
        v.click_text("Klacht versturen");
        assert!(v.text(".error-summary").contains("Wat ging er mis?"));
        assert!(
            v.focused_name().starts_with("Niet alles is goed ingevuld"),
            "the summary has the focus: {}",
            v.focused_name()
        );
        v.assert_accessible();
        v.keep_screenshot("complaint-refused-phone");
        v.fill("Naam", "Ans de Vries");
        v.fill("E-mailadres", "ans@example.nl");
        v.fill("Bestelnummer (als het over een bestelling gaat)", &number);
        v.fill("Wat ging er mis?", "De rozen hingen bij aankomst al slap.");
        v.click_text("Klacht versturen");
        assert_eq!(v.path(), "/contact/verzonden");
        assert!(v.text("main").contains("klacht ontvangen onder nummer 1"));
        v.assert_accessible();
    }
    let Some(mut b) = Browser::open(&app, "complaint-support", Setup::new(DESKTOP, "nl")) else {
        return;
    };
    log_in_with_two_steps(&app, &b, "klantenservice@example.nl");
    assert_eq!(
        b.text(".day-counts .attention a[href='/medewerkers/berichten'] .count"),
        "1",
        "the start page shows the complaint waiting"
    );
    b.click_text("Berichten en klachten");
    b.assert_accessible();
    b.click_text("#1");
    b.assert_accessible();
    assert!(b.text(".thread").contains("al slap"));
    assert!(b.has(&format!("a[href='/medewerkers/bestellingen/{id}']")));
    let answer = "Wat vervelend. Morgen brengen we een nieuw boeket.";
    b.fill("Antwoord", answer);
    b.click_text("Antwoord versturen");
    assert!(b.text(".flash").contains("Antwoord verstuurd"));
    assert!(b.text(".thread-reply").contains(answer));
    b.assert_accessible();
    b.keep_screenshot("message-answered-desktop");
    b.click_text("Bericht sluiten");
    assert!(b.text(".message-facts").contains("Gesloten"));

    // The worker delivers the answer: a message to the sender in the mail folder.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let sent_id = loop {
        let sent: Option<i64> = outbox::table
            .filter(outbox::recipient.eq("ans@example.nl"))
            .filter(outbox::status.eq("sent"))
            .select(outbox::id)
            .first(&mut *app.conn())
            .optional()
            .unwrap();
        if let Some(sent) = sent {
            break sent;
        }
        assert!(std::time::Instant::now() < deadline, "the answer is sent");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let file = app.data_dir().join(format!("mail/outbox-{sent_id}.eml"));
    let raw = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(raw.contains("To: ans@example.nl"), "{raw}");
    assert!(raw.contains("Subject: Antwoord op je bericht aan"), "{raw}");
    // (Quoted-printable may break long lines with a soft break.)
    let unfolded = raw.replace("=\r\n", "");
    assert!(unfolded.contains(answer), "{raw}");
}

#[test]
fn support_records_a_letter_on_the_request_desk_checks_an_id_and_closes_it() {
    let app = TestApp::spawn();
    crate::staff::create_staff_as(&app, "privacy@example.nl", Role::Support);
    let Some(mut b) = Browser::open(&app, "request-desk", Setup::new(DESKTOP, "nl")) else {
        return;
    };
    log_in_with_two_steps(&app, &b, "privacy@example.nl");
    b.click_text("Privacyverzoeken");
    b.assert_accessible();
    b.click_text("Verzoek vastleggen");
    b.assert_accessible();
    b.choose("#kind", "access");
    b.choose("#channel", "post");
    b.fill("Naam", "Ans de Vries");
    b.fill("E-mailadres", "ans@example.nl");
    b.follow("form.request-form button[type=submit]");
    b.keep_screenshot("request-recorded");
    assert!(
        b.text(".flash").contains("Verzoek vastgelegd"),
        "{}",
        b.text("main")
    );
    b.assert_accessible();
    assert!(!b.has("input[type=file]"), "no place for an ID copy");
    b.choose("#document_type", "passport");
    b.fill("Laatste 4 tekens van het documentnummer", "7Q2B");
    b.click_text("Identiteitsbewijs gezien");
    assert!(b.text(".message-facts").contains("7Q2B"));
    b.fill(
        "Uitkomst voor de aanvrager",
        "Je kopie is per post onderweg.",
    );
    b.click_text("Afgehandeld: uitkomst versturen");
    assert!(b.text(".flash").contains("Verzoek afgehandeld"));
    b.assert_accessible();
    b.visit("/medewerkers/verzoeken");
    assert!(b.text("main").contains("geen open verzoeken"));
    b.click_text("Alle");
    assert!(b.text("tr.request-row").contains("Afgehandeld"));
    b.keep_screenshot("request-desk-all");
}
