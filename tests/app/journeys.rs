//! Journeys in a real browser (headless Chromium): what a person on a phone, at a desktop with
//! only a keyboard, or without JavaScript goes through to order and pay. Every page on the way is
//! checked with axe-core.

use crate::accounts::link_in_mail;
use crate::browser::{Browser, DESKTOP, PHONE, Setup};
use crate::support::TestApp;

/// The shop open every weekday, so "tomorrow" is always a delivery day (holidays aside).
fn open_every_day() -> TestApp {
    TestApp::spawn_with(|s| s.closed_weekdays = Some(String::new()))
}

/// Tomorrow in the shop's time zone, as the date field's value; on the eve of a public holiday
/// (when the shop is closed tomorrow) the first day after it.
fn tomorrow() -> String {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let mut day = today + chrono::Duration::days(1);
    while bloei::delivery::holidays::holiday_on(day).is_some() {
        day += chrono::Duration::days(1);
    }
    day.to_string()
}

#[test]
fn a_guest_on_a_phone_in_english_orders_roses_with_a_vase_as_a_gift_for_tomorrow_and_follows_the_mailed_link()
 {
    let app = open_every_day();
    let Some(mut b) = Browser::open(&app, "guest-phone-en", Setup::new(PHONE, "en")) else {
        return;
    };
    b.visit("/");
    assert_eq!(b.script("return document.documentElement.lang"), "en");
    assert_eq!(b.script("return window.innerWidth"), 390, "a phone's width");
    b.assert_accessible();
    b.click_text("Refuse");
    assert!(!b.has(".cookie-choice"), "the banner is gone once chosen");

    b.follow("a[href='/product/rode-rozen-klassiek']");
    b.assert_accessible();
    b.click("input[name=size][value=M]");
    b.click("input[name=addons][value=glazen-vaas]");
    b.click_text("Add to cart");
    assert_eq!(b.path(), "/winkelwagen");
    b.assert_accessible();
    assert!(b.text("main").contains("Glass vase"), "{}", b.text("main"));

    b.click_text("Check out");
    b.assert_accessible();
    b.fill("Your name", "Jan Jansen");
    b.fill("Your e-mail address", "jan@example.nl");
    b.click("input[name=fulfilment][value=delivery]");
    b.fill("Recipient's name", "Ans de Vries");
    b.fill("Street and house number", "Kerkstraat 12");
    b.fill("Postcode", "1441 AB");
    b.fill("Town", "Purmerend");
    b.fill("Text on the card (optional)", "Happy birthday, Ans!");
    b.click("input[name=not_home][value=neighbour]");
    let tomorrow = tomorrow();
    let offered = b.option_values("#delivery_date");
    assert!(
        offered.contains(&tomorrow),
        "tomorrow ({tomorrow}) is offered: {offered:?}"
    );
    b.choose("#delivery_date", &tomorrow);
    b.click_text("Continue to overview");
    b.assert_accessible();
    let overview = b.text("main");
    assert!(overview.contains("Ans de Vries"), "{overview}");
    assert!(overview.contains("Happy birthday, Ans!"), "{overview}");
    assert_eq!(b.text(".order-total"), "€52.85", "{overview}");

    b.click_text("Order and pay");
    assert!(b.path().starts_with("/testbetaling/"), "{}", b.path());
    b.assert_accessible();
    b.click_text("Payment succeeds");
    assert!(b.path().starts_with("/bestelling/"), "{}", b.path());
    b.assert_accessible();
    assert_eq!(
        b.text(".order-status"),
        "Thank you! Your payment has arrived and your order is confirmed."
    );

    // Later, from the confirmation mail, in the same browser.
    let link = link_in_mail(&app, "jan@example.nl", "/bestelling/");
    b.visit("/");
    b.visit(&link);
    assert_eq!(
        b.text(".order-status"),
        "Thank you! Your payment has arrived and your order is confirmed."
    );
    assert!(b.text("main").contains("Ans de Vries"));
}

#[test]
fn a_guest_at_a_desktop_in_dutch_orders_for_pickup_with_only_the_keyboard() {
    let app = open_every_day();
    let Some(mut b) = Browser::open(&app, "guest-keyboard-nl", Setup::new(DESKTOP, "nl")) else {
        return;
    };
    b.visit("/product/rode-rozen-klassiek");
    b.assert_accessible();
    // The cookie banner comes first in the tab order: refuse with the keyboard.
    b.tab_to("the refuse button", |name| name == "Weigeren");
    b.activate("\u{E007}");
    assert!(!b.has(".cookie-choice"), "the banner is gone once chosen");
    b.tab_to("the sizes", |name| name.starts_with("Klein"));
    b.press("\u{E015}"); // arrow down: the next size, Middel
    b.tab_to("the add button", |name| name == "In de winkelwagen");
    b.activate("\u{E007}");
    assert_eq!(b.path(), "/winkelwagen");
    b.assert_accessible();
    b.tab_to("checkout", |name| name == "Afrekenen");
    b.activate("\u{E007}");
    assert_eq!(b.path(), "/afrekenen");
    b.assert_accessible();

    b.tab_to("the name field", |name| name == "Je naam");
    b.press("Jan Jansen");
    b.tab_to("the e-mail field", |name| name == "Je e-mailadres");
    b.press("jan@example.nl");
    b.tab_to("delivery or pickup", |name| name == "Laten bezorgen");
    b.press("\u{E015}"); // arrow down selects pickup
    assert!(
        b.focused_name().starts_with("Zelf ophalen"),
        "{}",
        b.focused_name()
    );
    b.tab_to("the date", |name| name == "Datum");
    b.press("\u{E015}"); // the first date offered
    b.tab_to("the next step", |name| name == "Naar het overzicht");
    b.activate("\u{E007}");
    b.assert_accessible();
    assert!(b.text("main").contains("Ophalen"), "{}", b.text("main"));

    b.tab_to("order and pay", |name| name == "Bestellen en betalen");
    b.activate("\u{E007}");
    assert!(b.path().starts_with("/testbetaling/"), "{}", b.path());
    b.tab_to("pay", |name| name == "Betaling gelukt");
    b.activate(" ");
    assert!(b.path().starts_with("/bestelling/"), "{}", b.path());
    b.assert_accessible();
    assert_eq!(
        b.text(".order-status"),
        "Bedankt! Je betaling is binnen en je bestelling is bevestigd."
    );
}
