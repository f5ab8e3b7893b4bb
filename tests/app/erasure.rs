//! A customer's download and erasure (P5, P9, P13, P15), checked against every column of every
//! table and against the captured log.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bloei::db::schema::{consent_events, contact_messages, erasure_log, orders, outbox};
use bloei::privacy::data_map::{self, Erasure, Purpose};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use reqwest::blocking::Client;

use crate::accounts::{
    PASSWORD, checkout_as_shown, link_in_mail, place_and_pay, register_and_verify,
};
use crate::checkout::{add_to_cart, location};
use crate::self_service::{app_page, send};
use crate::support::{Page, TestApp, browser};

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
    let saved = send(
        app,
        &client,
        "/account/gelegenheden",
        &[
            ("label", &format!("Verjaardag {MARKER}oma")),
            ("day", "12"),
            ("month", "5"),
        ],
    );
    assert_eq!(saved.status(), 303, "an occasion is saved");
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
    // A question and a complaint (P7), and support's answer to the complaint.
    for (path, text) in [("/contact", "vraag"), ("/klacht", "klacht")] {
        let sent = send(
            app,
            &client,
            path,
            &[
                ("name", &format!("Anna {MARKER}naam")),
                ("email", &email),
                ("message", &format!("Mijn {MARKER}{text}")),
            ],
        );
        assert_eq!(sent.status(), 303, "{path}");
    }
    answer_complaint(app, &format!("Ons {MARKER}antwoord"));
    record_request(app, &email);
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

/// Support answers the newest message (through the service: the queue's pages are tested in
/// `contact`, and a staff login would add entries about no customer to the audit log).
fn answer_complaint(app: &TestApp, answer: &str) {
    crate::staff::create_staff_as(app, "steun@example.nl", bloei::staff::model::Role::Support);
    let staff_id = crate::team::id_of(app, "steun@example.nl");
    let message: i64 = contact_messages::table
        .select(contact_messages::id)
        .order(contact_messages::id.desc())
        .first(&mut *app.conn())
        .unwrap();
    let mail = bloei::mail::messages::MailContext {
        public_url: app.url(""),
        shop_name: "Bloei".into(),
    };
    let answer = bloei::domain::contact::Text::required(answer, 1000).unwrap();
    bloei::privacy::contact::answer(&mut app.conn(), message, staff_id, &answer, &mail).unwrap();
}

/// Support records a privacy request by this address, checked with an ID document (P16).
fn record_request(app: &TestApp, email: &str) {
    use bloei::privacy::requests::{self, DocumentType, NewRequestForm};
    let staff_id = crate::team::id_of(app, "steun@example.nl");
    let today = chrono::Utc::now().date_naive();
    let new = NewRequestForm {
        kind: "correction".into(),
        channel: "post".into(),
        name: format!("Anna {MARKER}verzoek"),
        email: email.into(),
        details: format!("Mijn {MARKER}details kloppen niet"),
        received: today.to_string(),
    }
    .parse(today)
    .unwrap();
    let id = requests::record(&mut app.conn(), &new, staff_id).unwrap();
    requests::identify_by_document(
        &mut app.conn(),
        id,
        staff_id,
        DocumentType::Passport,
        "ZQ12",
    )
    .unwrap();
    // And a disclosure about them that staff recorded (P10).
    let disclosure = bloei::privacy::disclosures::RecordForm {
        email: email.into(),
        order_number: String::new(),
        recipient: "Politie Eenheid Noord-Holland".into(),
        legal_basis: "Vordering art. 126nd Sv".into(),
        data_sent: format!("Naam {MARKER}verstrekt"),
        disclosed_on: today.to_string(),
    };
    bloei::privacy::disclosures::record(&mut app.conn(), &disclosure, staff_id, today)
        .unwrap()
        .unwrap();
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

/// The customer's download after the password: its `index.html` and its `data.json`.
pub(crate) fn export_of(app: &TestApp, client: &Client) -> (String, serde_json::Value) {
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
    let mut json = String::new();
    archive
        .by_name("data.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    (html, serde_json::from_str(&json).unwrap())
}

fn download(app: &TestApp, client: &Client) -> serde_json::Value {
    let (html, json) = export_of(app, client);
    assert!(
        html.contains(&format!("{MARKER}kaart")),
        "the readable copy holds the data too"
    );
    json
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
    let forged = client
        .post(app.url("/account/mijn-gegevens/download"))
        .form(&[("password", PASSWORD)])
        .send()
        .unwrap();
    assert_eq!(forged.status(), 403, "no copy without the form token");
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
    assert!(
        !json.to_string().contains("0417164300"),
        "the full IBAN is not in the download"
    );
    let mut checked = 0;
    for column in data_map::PERSONAL_COLUMNS {
        if column.purpose == Purpose::StaffAdministration {
            continue;
        }
        for value in values(&app, column.table, column.column) {
            // The sealed IBAN is in the download masked, as everywhere (P5); a secret (a
            // password's or link's hash) is named, never shown.
            let expected = if column.column == "iban_encrypted" {
                bloei::domain::Iban::parse(IBAN).unwrap().masked()
            } else if bloei::privacy::export::is_secret(column.column) {
                // (A link token may be in the customer's own mails, which the download holds.)
                assert!(
                    !column.column.ends_with("_hash") || !json.to_string().contains(&value),
                    "{}.{} is in the download",
                    column.table,
                    column.column
                );
                "Opgeslagen, maar nooit getoond of meegegeven: een geheim (zoals een versleuteld wachtwoord of een link) dat alleen dient om je binnen te laten.".to_owned()
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
    // P18: where to complain, linked.
    assert_eq!(
        json["supervisory_authority"]["url"],
        "https://www.autoriteitpersoonsgegevens.nl/"
    );
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
    // While an order is under way the account stays: the flowers still need the address.
    let page = app_page(app, client, "/account/verwijderen");
    assert!(
        page.text("main").contains("onderweg"),
        "{}",
        page.text("main")
    );
    let early = send(
        app,
        client,
        "/account/verwijderen",
        &[("password", PASSWORD)],
    );
    assert_eq!(early.status(), 409);
    assert!(markers_left(app).iter().any(|(t, _)| t == "customers"));
    diesel::update(orders::table)
        .set(orders::status.eq("delivered"))
        .execute(&mut *app.conn())
        .unwrap();
    let page = app_page(app, client, "/account/verwijderen");
    assert!(page.text("main").contains("belastingwet"));
    // P18: where to complain, linked on the page itself.
    assert_eq!(
        page.attrs("a[href*='autoriteitpersoonsgegevens.nl']", "href"),
        vec!["https://www.autoriteitpersoonsgegevens.nl/".to_owned()]
    );
    // Without the form token: refused, nothing changed.
    let forged = client
        .post(app.url("/account/verwijderen"))
        .form(&[("password", PASSWORD)])
        .send()
        .unwrap();
    assert_eq!(forged.status(), 403);
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

/// The database files (SQLite: the main file and its write-ahead log, read as raw bytes, so free
/// pages and slack space count) that still hold a marker. Empty on PostgreSQL, whose files are
/// the server's; there the erasure vacuums the tables instead.
fn markers_in_files(app: &TestApp) -> Vec<String> {
    if app.conn().backend() != bloei::db::Backend::Sqlite {
        return Vec::new();
    }
    // The confirmation mail is scrubbed by the worker just after it is marked sent: allow it
    // a few seconds (nobody else checkpoints for the app).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let found = markers_in_files_now(app);
        if found.is_empty() || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn markers_in_files_now(app: &TestApp) -> Vec<String> {
    let needles = [MARKER.as_bytes().to_vec(), PHONE.as_bytes()[1..].to_vec()];
    let mut found = Vec::new();
    for entry in std::fs::read_dir(app.data_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("test.db") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap().to_ascii_lowercase();
        for needle in &needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!("{name}: {}", String::from_utf8_lossy(needle)));
            }
        }
    }
    found
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
    // A guest order with the same address, not yet linked to the account (no login since).
    let guest = browser();
    add_to_cart(&app, &guest, "rode-rozen-klassiek", "M", &[]);
    let form = Page::parse(
        &guest
            .get(app.url("/afrekenen"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let mut fields = crate::checkout::delivery_fields(&form);
    for (name, value) in fields.iter_mut() {
        match name.as_str() {
            "sender_email" => *value = format!("{MARKER}.mail@example.nl"),
            "card_message" => *value = format!("Gastkaart {MARKER}gast"),
            _ => {}
        }
    }
    let overview = Page::parse(
        &crate::checkout::post(&app, &guest, "/afrekenen", &fields)
            .text()
            .unwrap(),
    );
    let placed = crate::checkout::post(
        &app,
        &guest,
        "/afrekenen/bestellen",
        &crate::checkout::place_fields(&overview, "place"),
    );
    assert_eq!(placed.status(), 303);
    assert!(markers_left(&app).len() > 15, "{:?}", markers_left(&app));
    erase(&app, &client);
    assert_eq!(markers_left(&app), Vec::<(String, String)>::new());
    assert_eq!(markers_in_files(&app), Vec::<String>::new());
    // The erased orders' status links are random now, not a guessable stand-in.
    let tokens = values(&app, "orders", "status_token");
    assert_eq!(tokens.len(), 2);
    assert!(
        tokens
            .iter()
            .all(|t| !t.starts_with("erased-") && t.len() >= 32),
        "{tokens:?}"
    );
    assert_eq!(
        browser()
            .get(app.url("/bestelling/erased-1"))
            .send()
            .unwrap()
            .status(),
        404
    );
    // The ledger keeps its (now unlinked) entries: they cannot be deleted either.
    assert!(
        diesel::delete(consent_events::table)
            .execute(&mut *app.conn())
            .is_err()
    );
    log_has_no_marker();
    // The orders stay for the books, linked to no one; a language is nobody's data, so it stays.
    let totals = values(&app, "orders", "total_cents");
    assert_eq!(totals.len(), 2);
    assert_eq!(values(&app, "orders", "lang"), vec!["nl", "nl"]);
}

/// Erases a business canary; with `ordered`, an order was placed for the company first (a
/// fiscal reason to keep it). The columns still holding markers.
fn business_erasure(ordered: bool) -> Vec<(String, String)> {
    captured_log();
    let app = TestApp::spawn();
    let client = canary(&app, true);
    if ordered {
        let company: i64 = bloei::db::schema::companies::table
            .select(bloei::db::schema::companies::id)
            .first(&mut *app.conn())
            .unwrap();
        diesel::update(orders::table)
            .set(orders::company_id.eq(company))
            .execute(&mut *app.conn())
            .unwrap();
    }
    erase(&app, &client);
    assert!(values(&app, "companies", "iban_encrypted").is_empty());
    if !ordered {
        // Nothing is kept, so no byte of it may be left in the file either.
        assert_eq!(markers_in_files(&app), Vec::<String>::new());
    }
    log_has_no_marker();
    markers_left(&app)
}

#[test]
fn after_a_business_customer_deletes_the_account_only_the_declared_fiscal_hold_keeps_markers() {
    let fiscal: Vec<(String, String)> = data_map::PERSONAL_COLUMNS
        .iter()
        .filter(|c| c.erasure == Erasure::KeepForTax)
        .map(|c| (c.table.to_owned(), c.column.to_owned()))
        .collect();
    let left = business_erasure(true);
    assert!(left.iter().all(|l| fiscal.contains(l)), "{left:?}");
    assert!(
        left.contains(&("companies".to_owned(), "name".to_owned())),
        "{left:?}"
    );
}

#[test]
fn a_company_nothing_was_ordered_for_goes_with_its_last_member() {
    // No order, no invoice: no tax law keeps its name, KvK, VAT id or address (P5).
    let left = business_erasure(false);
    assert!(
        !left.iter().any(|(table, _)| table == "companies"),
        "{left:?}"
    );
}
