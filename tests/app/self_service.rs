//! Privacy self-service: cookie consent (P12) and the statement generated from the data map
//! (P4, P18, P19); helpers the newsletter and erasure tests share.

use bloei::i18n::Lang;
use bloei::privacy::data_map;
use reqwest::blocking::Client;

use crate::support::{Page, TestApp, browser};

/// Posts a form with a fresh form token from the visitor's session.
pub(crate) fn send(
    app: &TestApp,
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::blocking::Response {
    let token = Page::parse(
        &client
            .get(app.url("/cookies"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    )
    .csrf_token();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", &token));
    client.post(app.url(path)).form(&fields).send().unwrap()
}

fn cookie_names(response: &reqwest::blocking::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split('=').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_tracking_before_consent_refusing_is_one_click_and_the_choice_can_be_changed() {
    let app = TestApp::spawn_with(|s| {
        s.tracking_script = Some("https://stats.example.net/t.js".into());
    });
    let client = browser();
    let first = client.get(app.url("/")).send().unwrap();
    // Only the strictly necessary session cookie (it carries the banner's form token).
    assert!(
        cookie_names(&first).iter().all(|n| n == "bloei_session"),
        "{:?}",
        cookie_names(&first)
    );
    let csp = first.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let home = Page::parse(&first.text().unwrap());
    assert_eq!(
        home.count(".cookie-banner"),
        1,
        "the banner shows on the first visit"
    );
    assert_eq!(
        home.count("script[src*='stats.example.net']"),
        0,
        "no tracker before consent"
    );
    assert!(csp.contains("https://stats.example.net"), "{csp}");
    let buttons = home.texts(".cookie-banner button");
    assert_eq!(
        buttons,
        ["Weigeren", "Accepteren"],
        "both choices, equally plain"
    );

    // Refusing: one POST from the banner.
    let refused = send(
        &app,
        &client,
        "/cookies",
        &[("keuze", "weigeren"), ("versie", "1"), ("terug", "/")],
    );
    assert_eq!(refused.status(), 303);
    assert!(cookie_names(&refused).contains(&"bloei_consent".to_owned()));
    let after = app_page(&app, &client, "/");
    assert_eq!(after.count(".cookie-banner"), 0, "the choice is remembered");
    assert_eq!(after.count("script[src*='stats.example.net']"), 0);

    // Changing the choice from the footer's cookie page.
    assert_eq!(
        app_page(&app, &client, "/")
            .attrs("footer a[href='/cookies']", "href")
            .len(),
        1
    );
    let accepted = send(
        &app,
        &client,
        "/cookies",
        &[("keuze", "accepteren"), ("versie", "1"), ("terug", "/")],
    );
    assert_eq!(accepted.status(), 303);
    assert_eq!(
        app_page(&app, &client, "/").count("script[src*='stats.example.net']"),
        1
    );
    // Even with consent, never on pages with personal data or secret links.
    for private in ["/account/inloggen", "/nieuwsbrief", "/winkelwagen"] {
        let expected = usize::from(private == "/winkelwagen");
        assert_eq!(
            app_page(&app, &client, private).count("script[src*='stats.example.net']"),
            expected,
            "{private}"
        );
    }
    let settings = app_page(&app, &client, "/cookies");
    assert!(settings.text(".cookie-state").contains("toegestaan"));
    send(
        &app,
        &client,
        "/cookies",
        &[("keuze", "weigeren"), ("versie", "1")],
    );
    assert_eq!(
        app_page(&app, &client, "/").count("script[src*='stats.example.net']"),
        0
    );

    // A tampered choice or wording version changes nothing.
    let tampered = send(
        &app,
        &client,
        "/cookies",
        &[("keuze", "alles"), ("versie", "1")],
    );
    assert_eq!(tampered.status(), 400);
    let stale = send(
        &app,
        &client,
        "/cookies",
        &[("keuze", "accepteren"), ("versie", "0")],
    );
    assert_eq!(stale.status(), 400);
    assert_eq!(
        app_page(&app, &client, "/").count("script[src*='stats.example.net']"),
        0
    );
}

/// A page as the visitor sees it.
pub(crate) fn app_page(app: &TestApp, client: &Client, path: &str) -> Page {
    Page::parse(&client.get(app.url(path)).send().unwrap().text().unwrap())
}

#[test]
fn the_privacy_statement_names_every_category_purpose_and_recipient_in_both_languages() {
    let app = TestApp::spawn_with(|s| s.courier_service = Some("Snelkoeriers B.V.".into()));
    for (lang, accept) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
        let response = app.get_in("/privacy", accept);
        assert_eq!(response.status(), 200);
        let page = Page::parse(&response.text().unwrap());
        let text = page.text("main");
        for column in data_map::PERSONAL_COLUMNS {
            for key in [column.category.label_key(), column.purpose.label_key()] {
                let words = lang.t(key);
                assert!(text.contains(words.as_ref()), "{accept}: {words} missing");
            }
            // Every retention rule, the contact messages' and requests' own included (P15).
            let kept = column.retention.describe(lang);
            assert!(text.contains(&kept), "{accept}: {kept} missing");
        }
        for needle in [
            "Snelkoeriers B.V.",
            "Autoriteit Persoonsgegevens",
            "/account/verwijderen",
        ] {
            assert!(
                page.html.html().contains(needle),
                "{accept}: {needle} missing"
            );
        }
        let version = page.text(".statement-version code");
        assert_eq!(version.len(), 12, "{version}");
        let config = bloei::config::PrivacyConfig {
            courier_service: Some("Snelkoeriers B.V.".into()),
            ..Default::default()
        };
        assert_eq!(version, bloei::privacy::statement::current_version(&config));
    }
}

#[test]
fn a_customer_who_accepted_an_older_statement_sees_a_notice_once_and_the_new_version_is_stored() {
    use bloei::db::schema::customers;
    use diesel::prelude::*;
    let app = TestApp::spawn();
    let client = app.customer("Noor Smit", "noor@example.nl");
    let stored = || -> Option<String> {
        customers::table
            .select(customers::privacy_version)
            .first(&mut *app.conn())
            .unwrap()
    };
    let current = bloei::privacy::statement::current_version(&Default::default());
    assert_eq!(
        stored().as_deref(),
        Some(current.as_str()),
        "registration stores the version"
    );
    assert_eq!(app_page(&app, &client, "/").count(".statement-notice"), 0);

    // The statement changes (here: the account accepted an older one); at the next login the
    // notice shows on every page until it is acknowledged.
    diesel::update(customers::table)
        .set(customers::privacy_version.eq("000000000000"))
        .execute(&mut *app.conn())
        .unwrap();
    send(&app, &client, "/account/uitloggen", &[]);
    let login = send(
        &app,
        &client,
        "/account/inloggen",
        &[
            ("email", "noor@example.nl"),
            ("password", crate::accounts::PASSWORD),
            ("terug", "/account"),
        ],
    );
    assert_eq!(login.status(), 303);
    let home = app_page(&app, &client, "/");
    assert_eq!(home.count(".statement-notice"), 1);
    assert_eq!(home.attrs(".statement-notice a", "href"), ["/privacy"]);
    let read = send(&app, &client, "/privacy/gelezen", &[("terug", "/")]);
    assert_eq!(read.status(), 303);
    assert_eq!(stored().as_deref(), Some(current.as_str()));
    assert_eq!(
        app_page(&app, &client, "/").count(".statement-notice"),
        0,
        "once"
    );
}
