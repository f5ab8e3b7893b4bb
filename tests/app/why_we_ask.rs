//! Why we ask (P1): every form a customer meets says, next to each field, why it is asked and
//! whether it is required or optional. The walk opens each form the way a customer reaches it
//! (a cart before checkout, logged in for the account pages, a company for the business fields)
//! and checks every visible input, select and textarea inside a `form`: its `aria-describedby`
//! must name an element with class `hint` whose text says "verplicht" or "optioneel" (in
//! English: "required" or "optional").

use std::collections::{BTreeMap, BTreeSet};

use bloei::db::schema::{companies, customer_tokens};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::{Client, Response};
use scraper::Selector;

use crate::accounts::link_in_mail;
use crate::checkout::{add_to_cart, location};
use crate::support::{Page, TestApp, browser};

/// Input types that take nothing from the visitor.
const NOT_ASKED: [&str; 5] = ["hidden", "submit", "button", "reset", "image"];

/// What a walk found: how many fields it checked, which names, and which fields lack a hint.
struct Walk {
    /// Words of which a hint must contain one (lower case).
    words: [&'static str; 2],
    checked: usize,
    names: BTreeSet<String>,
    offenders: Vec<String>,
}

impl Walk {
    fn new(words: [&'static str; 2]) -> Walk {
        Walk {
            words,
            checked: 0,
            names: BTreeSet::new(),
            offenders: Vec::new(),
        }
    }

    /// GETs `path` with `client`, asserts the status and checks the page's forms.
    fn visit(&mut self, app: &TestApp, client: &Client, path: &str, status: u16) -> Page {
        let response = client.get(app.url(path)).send().expect("GET");
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        let page = Page::parse(&response.text().expect("body"));
        self.check(path, &page);
        page
    }

    /// Checks the page a form submission answered with.
    fn answer(&mut self, label: &str, response: Response, status: u16) -> Page {
        assert_eq!(response.status().as_u16(), status, "{label}");
        let page = Page::parse(&response.text().expect("body"));
        self.check(label, &page);
        page
    }

    /// Every visible field of every form on the page must point at a hint that says why.
    fn check(&mut self, label: &str, page: &Page) {
        let with_id = Selector::parse("[id]").unwrap();
        let forms = Selector::parse("form").unwrap();
        let fields = Selector::parse("input, select, textarea").unwrap();
        // id → (is a hint, text); an id that occurs twice is ambiguous and never counts.
        let mut ids: BTreeMap<String, Option<(bool, String)>> = BTreeMap::new();
        for element in page.html.select(&with_id) {
            let id = element.value().id().unwrap_or_default().to_owned();
            let is_hint = element.value().classes().any(|c| c == "hint");
            let text = element
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            ids.entry(id)
                .and_modify(|seen| *seen = None)
                .or_insert(Some((is_hint, text)));
        }
        for form in page.html.select(&forms) {
            for field in form.select(&fields) {
                let element = field.value();
                let kind = element.attr("type").unwrap_or("text").to_ascii_lowercase();
                if element.name() == "input" && NOT_ASKED.contains(&kind.as_str()) {
                    continue;
                }
                self.checked += 1;
                let name = element
                    .attr("name")
                    .or_else(|| element.attr("id"))
                    .unwrap_or("(no name)")
                    .to_owned();
                let described_by = element.attr("aria-describedby").unwrap_or_default();
                let says_why = described_by.split_whitespace().any(|id| {
                    matches!(ids.get(id), Some(Some((true, text))) if {
                        let text = text.to_lowercase();
                        self.words.iter().any(|w| text.contains(w))
                    })
                });
                if !says_why {
                    let hints: Vec<String> = described_by
                        .split_whitespace()
                        .map(|id| match ids.get(id) {
                            None => format!("#{id} does not exist"),
                            Some(None) => format!("#{id} occurs more than once"),
                            Some(Some((false, _))) => format!("#{id} has no class hint"),
                            Some(Some((true, text))) => format!("#{id} says {text:?}"),
                        })
                        .collect();
                    self.offenders.push(format!(
                        "{label}: <{} name=\"{name}\"> aria-describedby={described_by:?} {hints:?}",
                        element.name()
                    ));
                }
                self.names.insert(name);
            }
        }
    }

    /// Fails with every offender, and when the walk did not really see the forms.
    fn assert_every_field_says_why(&self, at_least: usize, names: &[&str]) {
        assert!(
            self.offenders.is_empty(),
            "{} field(s) do not say why they are asked and whether they are {} or {}:\n{}",
            self.offenders.len(),
            self.words[0],
            self.words[1],
            self.offenders.join("\n")
        );
        assert!(
            self.checked >= at_least,
            "only {} fields were checked; the walk did not reach the forms",
            self.checked
        );
        let missing: Vec<_> = names.iter().filter(|n| !self.names.contains(**n)).collect();
        assert!(
            missing.is_empty(),
            "the walk never saw the fields {missing:?}"
        );
    }
}

/// POSTs a form with a CSRF token from `client`'s session.
fn send(app: &TestApp, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
    let token = Page::parse(&client.get(app.url("/")).send().unwrap().text().unwrap()).csrf_token();
    let mut fields = fields.to_vec();
    fields.push(("csrf_token", &token));
    client.post(app.url(path)).form(&fields).send().unwrap()
}

/// Lets support approve every company waiting for it, as in the staff pages.
fn approve_companies(app: &TestApp) {
    let support = app.staff_member("support@example.nl", Role::Support);
    let ids: Vec<i64> = companies::table
        .filter(companies::approved_at.is_null())
        .select(companies::id)
        .load(&mut *app.conn())
        .unwrap();
    assert!(!ids.is_empty(), "a company waits for approval");
    for id in ids {
        let path = format!("/medewerkers/bedrijven/{id}/goedkeuren");
        assert_eq!(send(app, &support, &path, &[]).status(), 303, "{path}");
    }
}

#[test]
fn every_personal_data_input_on_the_customer_forms_says_why_it_is_asked() {
    let app = TestApp::spawn();
    let mut walk = Walk::new(["verplicht", "optioneel"]);

    // A guest: the shop with the newsletter in the footer, the account forms, and checkout.
    let guest = browser();
    walk.visit(&app, &guest, "/", 200);
    walk.visit(&app, &guest, "/nieuwsbrief", 200);
    walk.visit(&app, &guest, "/account/registreren", 200);
    walk.visit(&app, &guest, "/account/inloggen", 200);
    walk.visit(&app, &guest, "/account/wachtwoord-vergeten", 200);
    add_to_cart(&app, &guest, "rode-rozen-klassiek", "M", &["glazen-vaas"]);
    walk.visit(&app, &guest, "/afrekenen", 200);
    // Refused with a message next to the fields: the hints stay.
    let refused = send(
        &app,
        &guest,
        "/afrekenen",
        &[("fulfilment", "delivery"), ("not_home", "neighbour")],
    );
    walk.answer("/afrekenen (refused)", refused, 422);
    let refused = send(
        &app,
        &guest,
        "/account/registreren",
        &[("name", "Cas"), ("email", "cas@example.nl")],
    );
    walk.answer("/account/registreren (refused)", refused, 422);

    // A customer with an account: the confirmation, the account pages, checkout prefilled.
    let customer = app.customer("Eva de Vries", "eva@kantoor.nl");
    let confirm = link_in_mail(&app, "eva@kantoor.nl", "/account/bevestigen/");
    walk.visit(&app, &customer, &confirm, 200);
    walk.visit(&app, &customer, "/account", 200);
    walk.visit(&app, &customer, "/account/adressen", 200);
    // The privacy pages: occasions (after the reminders consent), my data with the download's
    // password, deleting the account.
    send(
        &app,
        &customer,
        "/account/privacy",
        &[("doel", "reminders"), ("versie", "1"), ("keuze", "geven")],
    );
    walk.visit(&app, &customer, "/account/gelegenheden", 200);
    walk.visit(&app, &customer, "/account/mijn-gegevens", 200);
    walk.visit(&app, &customer, "/account/verwijderen", 200);
    add_to_cart(&app, &customer, "rode-rozen-klassiek", "M", &[]);
    walk.visit(&app, &customer, "/afrekenen", 200);

    // The same customer registers a company, invites colleagues and orders for it.
    walk.visit(&app, &customer, "/zakelijk/registreren", 200);
    let registered = send(
        &app,
        &customer,
        "/zakelijk/registreren",
        &[
            ("name", "Kantoor B.V."),
            ("kvk_number", "6901 2345"),
            ("vat_id", "nl000099998b57"),
            ("billing_street", "Kerkstraat 1"),
            ("billing_postcode", "1441ab"),
            ("billing_city", "Purmerend"),
            ("contact_name", "Eva de Vries"),
            ("contact_job_title", "Office manager"),
        ],
    );
    assert_eq!(location(&registered), "/zakelijk");
    walk.visit(&app, &customer, "/zakelijk", 200);
    walk.visit(&app, &customer, "/afrekenen", 200);
    approve_companies(&app);
    walk.visit(&app, &customer, "/afrekenen", 200);

    // A forgotten password: the reset form, and the page that offers a new link.
    let sent = send(
        &app,
        &guest,
        "/account/wachtwoord-vergeten",
        &[("email", "eva@kantoor.nl")],
    );
    assert_eq!(sent.status(), 200);
    let reset = link_in_mail(&app, "eva@kantoor.nl", "/account/wachtwoord-herstellen/");
    walk.visit(&app, &guest, &reset, 200);
    diesel::update(customer_tokens::table)
        .set(customer_tokens::expires_at.eq(bloei::db::now() - chrono::Duration::minutes(1)))
        .execute(&mut *app.conn())
        .unwrap();
    walk.visit(&app, &guest, &reset, 410);

    walk.assert_every_field_says_why(
        150,
        &[
            // footer and /nieuwsbrief
            "email",
            "leeftijd",
            // account
            "name",
            "phone",
            "password",
            "age_confirmed",
            "new_email",
            "email_password",
            "current_password",
            "new_password",
            "kind",
            "street",
            "postcode",
            "city",
            // checkout
            "sender_name",
            "sender_email",
            "sender_phone",
            "fulfilment",
            "recipient_name",
            "recipient_street",
            "recipient_postcode",
            "recipient_city",
            "recipient_phone",
            "delivery_instructions",
            "not_home",
            "card_message",
            "card_anonymous",
            "delivery_date",
            "payment_method",
            "po_number",
            // business
            "kvk_number",
            "vat_id",
            "billing_street",
            "billing_postcode",
            "billing_city",
            "contact_name",
            "contact_job_title",
            "direct_debit",
            "iban",
            "role",
        ],
    );
}

#[test]
fn an_english_visitor_is_told_in_english_why_each_field_is_asked_and_whether_it_is_required() {
    let app = TestApp::spawn();
    let mut walk = Walk::new(["required", "optional"]);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        reqwest::header::HeaderValue::from_static("en-GB,en;q=0.9"),
    );
    let english = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    for path in [
        "/",
        "/nieuwsbrief",
        "/account/registreren",
        "/account/inloggen",
        "/account/wachtwoord-vergeten",
    ] {
        let page = walk.visit(&app, &english, path, 200);
        assert_eq!(page.lang(), "en", "{path}");
    }
    add_to_cart(&app, &english, "rode-rozen-klassiek", "M", &[]);
    walk.visit(&app, &english, "/afrekenen", 200);
    walk.assert_every_field_says_why(
        35,
        &[
            "email",
            "leeftijd",
            "name",
            "password",
            "age_confirmed",
            "sender_name",
            "recipient_name",
            "card_message",
            "delivery_date",
        ],
    );
}
