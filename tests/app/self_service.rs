//! Privacy self-service: cookie consent (P12), the newsletter's double opt-in and unsubscribe
//! with the consent ledger (P2, P8, P11), the statement generated from the data map (P4, P18,
//! P19), and a customer's download and erasure checked against every column of every table
//! and the captured log (P5, P9, P13, P15).

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bloei::db::schema::{consent_events, erasure_log, newsletter_subscribers, outbox};
use bloei::i18n::Lang;
use bloei::privacy::data_map::{self, Erasure, Purpose};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use reqwest::blocking::Client;

use crate::accounts::{
    PASSWORD, checkout_as_shown, link_in_mail, place_and_pay, register_and_verify,
};
use crate::checkout::{add_to_cart, location};
use crate::support::{Page, TestApp, browser};

fn send(
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

fn app_page(app: &TestApp, client: &Client, path: &str) -> Page {
    Page::parse(&client.get(app.url(path)).send().unwrap().text().unwrap())
}

fn ledger(app: &TestApp, subscriber: i64) -> Vec<(String, bool, String)> {
    consent_events::table
        .filter(consent_events::subscriber_id.eq(subscriber))
        .order(consent_events::id)
        .select((
            consent_events::purpose,
            consent_events::granted,
            consent_events::source,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn the_newsletter_needs_a_confirmed_sign_up_and_unsubscribing_by_link_or_one_click_is_recorded_once()
 {
    let app = TestApp::spawn();
    let client = browser();
    let signed = send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "Lies@Example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    assert_eq!(signed.status(), 200);
    let (id, confirmed): (i64, Option<chrono::NaiveDateTime>) = newsletter_subscribers::table
        .select((
            newsletter_subscribers::id,
            newsletter_subscribers::confirmed_at,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        confirmed.is_none(),
        "nothing is sent before the link is used"
    );
    assert!(
        ledger(&app, id).is_empty(),
        "no consent is recorded before confirmation"
    );

    // Without the 16+ box: refused with the address kept.
    let young = send(
        &app,
        &client,
        "/nieuwsbrief",
        &[("email", "kid@example.nl"), ("versie", "1")],
    );
    assert_eq!(young.status(), 422);
    let young = Page::parse(&young.text().unwrap());
    assert_eq!(young.attrs("#nb-email", "value"), ["kid@example.nl"]);
    assert!(young.text("#nb-age-error").contains("16"));

    let link = link_in_mail(&app, "lies@example.nl", "/nieuwsbrief/bevestigen/");
    let path = link;
    // Fetching the link (a mail scanner) confirms nothing.
    let shown = app_page(&app, &client, &path);
    assert!(shown.text("main").contains("lies@example.nl"));
    assert!(ledger(&app, id).is_empty());
    let done = send(&app, &client, &path, &[]);
    assert_eq!(done.status(), 200);
    assert_eq!(
        ledger(&app, id),
        [("newsletter".to_owned(), true, "footer".to_owned())]
    );
    // The link is spent.
    assert_eq!(send(&app, &client, &path, &[]).status(), 404);

    // Unsubscribe by the link's page: the GET changes nothing, the button does.
    let token: String = newsletter_subscribers::table
        .select(newsletter_subscribers::unsubscribe_token)
        .first(&mut *app.conn())
        .unwrap();
    let unsubscribe = format!("/nieuwsbrief/afmelden/{token}");
    assert_eq!(
        app_page(&app, &client, &unsubscribe).count(".newsletter-unsubscribe form button"),
        1
    );
    assert_eq!(ledger(&app, id).len(), 1);
    let stranger = browser();
    let out = stranger
        .post(app.url(&unsubscribe))
        .form(&[("x", "")])
        .send()
        .unwrap();
    assert_eq!(
        out.status(),
        200,
        "works without logging in or a form token"
    );
    assert_eq!(
        ledger(&app, id).last().unwrap(),
        &("newsletter".to_owned(), false, "email".to_owned())
    );

    // Again, and as a mail client's one-click POST (RFC 8058): idempotent.
    let one_click = stranger
        .post(app.url(&unsubscribe))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .unwrap();
    assert_eq!(one_click.status(), 200);
    assert_eq!(
        ledger(&app, id).len(),
        2,
        "a second unsubscribe records nothing"
    );

    // Signing up again needs a new confirmation; the one-click POST then ends it at once.
    send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "lies@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let link = link_in_mail(&app, "lies@example.nl", "/nieuwsbrief/bevestigen/");
    let path = format!(
        "/nieuwsbrief/bevestigen/{}",
        link.rsplit('/').next().unwrap()
    );
    assert_eq!(send(&app, &client, &path, &[]).status(), 200);
    stranger
        .post(app.url(&unsubscribe))
        .body("List-Unsubscribe=One-Click")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .unwrap();
    let history: Vec<bool> = ledger(&app, id).into_iter().map(|(_, g, _)| g).collect();
    assert_eq!(history, [true, false, true, false]);

    // Unknown and expired links are clear 4xx pages.
    assert_eq!(
        client
            .get(app.url("/nieuwsbrief/afmelden/onbekend"))
            .send()
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        stranger
            .post(app.url("/nieuwsbrief/afmelden/onbekend"))
            .send()
            .unwrap()
            .status(),
        404
    );
    send(
        &app,
        &client,
        "/nieuwsbrief",
        &[
            ("email", "lies@example.nl"),
            ("leeftijd", "ja"),
            ("versie", "1"),
        ],
    );
    let link = link_in_mail(&app, "lies@example.nl", "/nieuwsbrief/bevestigen/");
    diesel::update(newsletter_subscribers::table)
        .set(
            newsletter_subscribers::confirm_expires_at
                .eq(bloei::db::now() - chrono::Duration::hours(1)),
        )
        .execute(&mut *app.conn())
        .unwrap();
    let expired = format!(
        "/nieuwsbrief/bevestigen/{}",
        link.rsplit('/').next().unwrap()
    );
    assert_eq!(send(&app, &client, &expired, &[]).status(), 410);
    assert_eq!(ledger(&app, id).len(), 4, "nothing changed");
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

/// A global log capture for the whole test binary (the app logs through `tracing`).
fn captured_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
            .with_ansi(false)
            .with_writer(move || Capture(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).ok();
        buffer
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const MARKER: &str = "zqcanary";
const PHONE: &str = "0612987654";
const IBAN: &str = "NL91ABNA0417164300";

/// A customer with a marker in every personal field: account, address book, orders with card
/// message and instructions, newsletter, consents and (for a business) a company with IBAN.
fn canary(app: &TestApp, business: bool) -> Client {
    let client = browser();
    let email = format!("{MARKER}.mail@example.nl");
    register_and_verify(app, &client, &format!("Anna {MARKER}naam"), &email);
    let saved = send(
        app,
        &client,
        "/account/gegevens",
        &[("name", &format!("Anna {MARKER}naam")), ("phone", PHONE)],
    );
    assert!(
        saved.status().is_redirection() || saved.status() == 200,
        "{}",
        saved.status()
    );
    for kind in ["own", "recipient"] {
        let added = send(
            app,
            &client,
            "/account/adressen",
            &[
                ("kind", kind),
                ("name", &format!("Piet {MARKER}{kind}")),
                ("street", &format!("{MARKER}straat 5")),
                ("postcode", "1441 AB"),
                ("city", &format!("{MARKER}stad")),
                ("phone", PHONE),
            ],
        );
        assert!(added.status().is_redirection(), "{}", added.status());
    }
    add_to_cart(app, &client, "rode-rozen-klassiek", "M", &["glazen-vaas"]);
    let overview = checkout_as_shown(
        app,
        &client,
        &[
            ("card_message", &format!("Liefs van {MARKER}kaart")),
            (
                "delivery_instructions",
                &format!("Bel aan bij {MARKER}buren"),
            ),
            ("recipient_phone", PHONE),
        ],
    );
    place_and_pay(app, &client, &overview);
    for purpose in ["profiling", "reminders"] {
        let r = send(
            app,
            &client,
            "/account/privacy",
            &[("doel", purpose), ("versie", "1"), ("keuze", "geven")],
        );
        assert_eq!(r.status(), 303);
    }
    send(
        app,
        &client,
        "/account/privacy",
        &[("doel", "newsletter"), ("versie", "1"), ("keuze", "geven")],
    );
    let link = link_in_mail(app, &email, "/nieuwsbrief/bevestigen/");
    let path = format!(
        "/nieuwsbrief/bevestigen/{}",
        link.rsplit('/').next().unwrap()
    );
    assert_eq!(send(app, &client, &path, &[]).status(), 200);
    send(
        app,
        &client,
        "/cookies",
        &[("keuze", "accepteren"), ("versie", "1")],
    );
    if business {
        let r = send(
            app,
            &client,
            "/zakelijk/registreren",
            &[
                ("name", &format!("{MARKER} Bloemen B.V.")),
                ("kvk_number", "6901 2345"),
                ("vat_id", "nl000099998b57"),
                ("billing_street", &format!("{MARKER}laan 1")),
                ("billing_postcode", "1441ab"),
                ("billing_city", "Purmerend"),
                ("contact_name", &format!("Anna {MARKER}contact")),
                ("contact_job_title", &format!("{MARKER} manager")),
                ("direct_debit", "on"),
                ("iban", IBAN),
            ],
        );
        assert_eq!(location(&r), "/zakelijk");
    }
    client
}

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// Every value of `table.column`, as text.
fn values(app: &TestApp, table: &str, column: &str) -> Vec<String> {
    diesel::sql_query(format!(
        "SELECT CAST({column} AS TEXT) AS value FROM {table}"
    ))
    .load::<Cell>(&mut *app.conn())
    .unwrap()
    .into_iter()
    .filter_map(|c| c.value)
    .filter(|v| !v.is_empty())
    .collect()
}

/// Every (table, column) of the database holding a marker.
fn markers_left(app: &TestApp) -> Vec<(String, String)> {
    let columns = bloei::privacy::drift::schema_columns(&mut app.conn()).unwrap();
    columns
        .into_iter()
        .filter(|(table, column)| {
            values(app, table, column).iter().any(|v| {
                let v = v.to_lowercase();
                v.contains(MARKER) || v.contains(&PHONE[1..]) || v.contains("0417164300")
            })
        })
        .collect()
}

fn download(app: &TestApp, client: &Client) -> serde_json::Value {
    let response = send(
        app,
        client,
        "/account/mijn-gegevens/download",
        &[("password", PASSWORD)],
    );
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut html = String::new();
    archive
        .by_name("index.html")
        .unwrap()
        .read_to_string(&mut html)
        .unwrap();
    assert!(
        html.contains(&format!("{MARKER}kaart")),
        "the readable copy holds the data too"
    );
    let mut json = String::new();
    archive
        .by_name("data.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

fn exported(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["purposes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().iter())
        .map(|i| {
            (
                i["table"].as_str().unwrap().to_owned(),
                i["column"].as_str().unwrap().to_owned(),
                i["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn wait_until_sent(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pending: i64 = outbox::table
            .filter(outbox::status.ne("sent"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        if pending == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the worker sends the erasure confirmation"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_download_holds_every_value_the_data_map_declares_and_matches_the_shipped_schema() {
    let app = TestApp::spawn();
    let client = canary(&app, true);
    // A wrong password gets no copy.
    let refused = send(
        &app,
        &client,
        "/account/mijn-gegevens/download",
        &[("password", "niet het wachtwoord")],
    );
    assert_eq!(refused.status(), 422);
    let json = download(&app, &client);
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../static/privacy/export-schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The expected set comes from the data map and the database (this database holds only
    // this customer): every non-empty value of every personal column about customers.
    let got = exported(&json);
    let mut checked = 0;
    for column in data_map::PERSONAL_COLUMNS {
        if column.purpose == Purpose::StaffAdministration {
            continue;
        }
        for value in values(&app, column.table, column.column) {
            let expected = if column.column == "iban_encrypted" {
                IBAN.to_owned()
            } else {
                value
            };
            checked += 1;
            assert!(
                got.iter()
                    .any(|(t, c, v)| t == column.table && c == column.column && *v == expected),
                "{}.{} = {expected:?} is not in the download",
                column.table,
                column.column
            );
        }
    }
    assert!(checked > 80, "only {checked} values checked");
    let my_data = app_page(&app, &client, "/account/mijn-gegevens");
    assert!(my_data.text("main").contains(&format!("{MARKER}kaart")));
    assert!(
        !my_data.text("main").contains("0417164300"),
        "the IBAN is not shown on the page"
    );
    let audit: i64 = diesel::sql_query(
        "SELECT CAST(COUNT(*) AS TEXT) AS value FROM audit_log WHERE action = 'export'",
    )
    .get_result::<Cell>(&mut *app.conn())
    .unwrap()
    .value
    .unwrap()
    .parse()
    .unwrap();
    assert_eq!(audit, 1, "the download is logged, without its content");
}

fn erase(app: &TestApp, client: &Client) {
    let page = app_page(app, client, "/account/verwijderen");
    assert!(page.text("main").contains("belastingwet"));
    let wrong = send(app, client, "/account/verwijderen", &[("password", "fout")]);
    assert_eq!(wrong.status(), 422);
    assert!(
        markers_left(app).iter().any(|(t, _)| t == "customers"),
        "a wrong password erases nothing"
    );
    let done = send(
        app,
        client,
        "/account/verwijderen",
        &[("password", PASSWORD)],
    );
    if done.status() != 200 {
        let log = String::from_utf8_lossy(&captured_log().lock().unwrap()).to_string();
        let tail: String = log
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("cause"))
            .collect::<Vec<_>>()
            .join("\n");
        panic!("deletion answered {}: {tail}", done.status());
    }
    let again = send(
        app,
        client,
        "/account/verwijderen",
        &[("password", PASSWORD)],
    );
    assert!(
        again.status().is_client_error(),
        "a second deletion: {}",
        again.status()
    );
    wait_until_sent(app);
    let hashes: Vec<String> = erasure_log::table
        .select(erasure_log::subject_hash)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(hashes.len(), 1);
    assert!(!hashes[0].contains(MARKER) && hashes[0].len() == 64);
}

fn log_has_no_marker() {
    let log = String::from_utf8_lossy(&captured_log().lock().unwrap()).to_lowercase();
    assert!(
        log.len() > 1000,
        "the log was captured ({} bytes)",
        log.len()
    );
    assert!(!log.contains(MARKER), "a marker reached the log");
    assert!(!log.contains(&PHONE[1..]) && !log.contains("0417164300"));
}

#[test]
fn after_a_consumer_deletes_the_account_no_marker_is_left_in_any_column_or_the_log() {
    captured_log();
    let app = TestApp::spawn();
    let client = canary(&app, false);
    assert!(markers_left(&app).len() > 15, "{:?}", markers_left(&app));
    erase(&app, &client);
    assert_eq!(markers_left(&app), Vec::<(String, String)>::new());
    log_has_no_marker();
    // The order stays for the books, linked to no one.
    let totals = values(&app, "orders", "total_cents");
    assert_eq!(totals.len(), 1);
}

#[test]
fn after_a_business_customer_deletes_the_account_only_the_declared_fiscal_hold_keeps_markers() {
    captured_log();
    let app = TestApp::spawn();
    let client = canary(&app, true);
    erase(&app, &client);
    let fiscal: Vec<(String, String)> = data_map::PERSONAL_COLUMNS
        .iter()
        .filter(|c| c.erasure == Erasure::KeepForTax)
        .map(|c| (c.table.to_owned(), c.column.to_owned()))
        .collect();
    let left = markers_left(&app);
    assert!(left.iter().all(|l| fiscal.contains(l)), "{left:?}");
    assert!(
        left.contains(&("companies".to_owned(), "name".to_owned())),
        "{left:?}"
    );
    assert!(values(&app, "companies", "iban_encrypted").is_empty());
    log_has_no_marker();
}

#[test]
fn a_newsletter_edition_reaches_confirmed_subscribers_only_with_one_click_unsubscribe_headers() {
    let app = TestApp::spawn();
    let client = browser();
    for email in ["actief@example.nl", "wacht@example.nl"] {
        send(
            &app,
            &client,
            "/nieuwsbrief",
            &[("email", email), ("leeftijd", "ja"), ("versie", "1")],
        );
    }
    let link = link_in_mail(&app, "actief@example.nl", "/nieuwsbrief/bevestigen/");
    assert_eq!(send(&app, &client, &link, &[]).status(), 200);
    let edition: bloei::privacy::editions::Edition = toml::from_str(
        r#"
        [general]
        subject_nl = "Lentebloemen"
        subject_en = "Spring flowers"
        body_nl = "De tulpen zijn er weer."
        body_en = "The tulips are back."
        [[interest]]
        category = "boeketten"
        subject_nl = "Boeketten"
        subject_en = "Bouquets"
        body_nl = "Nieuwe boeketten."
        body_en = "New bouquets."
        "#,
    )
    .unwrap();
    let context = bloei::mail::messages::MailContext {
        public_url: app.base.clone(),
        shop_name: "Flowers by Jennifer".into(),
    };
    let sent = bloei::privacy::editions::send(&mut app.conn(), &context, &edition).unwrap();
    assert_eq!(
        sent.general, 1,
        "only the confirmed address, and one person is no group"
    );
    assert!(sent.personalised.is_empty());
    let dir = app.data_dir().join("mail");
    let deadline = Instant::now() + Duration::from_secs(20);
    let eml = loop {
        let found = std::fs::read_dir(&dir)
            .ok()
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                text.contains("Subject: Lentebloemen").then_some(text)
            });
        if let Some(text) = found {
            break text;
        }
        assert!(Instant::now() < deadline, "the edition was not sent");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(eml.contains("To: actief@example.nl"), "{eml}");
    assert!(
        eml.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{eml}"
    );
    let header = eml
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe: <"))
        .unwrap_or_else(|| panic!("no List-Unsubscribe in {eml}"));
    let url = header
        .trim_start_matches("List-Unsubscribe: <")
        .trim_end_matches('>');
    let one_click = browser()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .unwrap();
    assert_eq!(one_click.status(), 200);
    let active = bloei::privacy::newsletter::active(&mut app.conn()).unwrap();
    assert!(active.is_empty(), "the one-click POST unsubscribed");
}

#[test]
fn sent_mail_is_forgotten_thirty_days_after_sending_and_unsent_mail_is_kept() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    let mut conn = app.conn();
    for to in ["oud@example.nl", "nieuw@example.nl", "wacht@example.nl"] {
        bloei::mail::repo::enqueue(&mut conn, to, "Onderwerp", "Tekst", "<p>Tekst</p>").unwrap();
    }
    let now = bloei::db::now();
    for (to, sent_at) in [
        ("oud@example.nl", now - chrono::Duration::days(31)),
        ("nieuw@example.nl", now - chrono::Duration::days(29)),
    ] {
        diesel::update(outbox::table.filter(outbox::recipient.eq(to)))
            .set((outbox::status.eq("sent"), outbox::sent_at.eq(sent_at)))
            .execute(&mut *conn)
            .unwrap();
    }
    let gone =
        bloei::mail::repo::forget_sent_before(&mut conn, now - chrono::Duration::days(30)).unwrap();
    assert_eq!(gone, 1);
    let left: Vec<String> = outbox::table
        .order(outbox::id)
        .select(outbox::recipient)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(left, ["nieuw@example.nl", "wacht@example.nl"]);
}
