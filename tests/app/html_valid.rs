//! Every page is valid HTML5, in both languages, checked with the Nu HTML Checker.

use crate::support::{Page, TestApp};

/// The shop's public pages, in the demo catalogue (checked as HTML here and with axe in a
/// browser by `journeys_staff`).
pub(crate) const PAGES: &[&str] = &[
    "/",
    "/categorie/planten",
    "/?gelegenheid=liefde",
    "/categorie/extras?gelegenheid=rouw",
    "/product/rode-rozen-klassiek",
    "/product/relatiegeschenk-box",
    "/product/glazen-vaas",
    "/privacy",
    "/cookies",
    "/nieuwsbrief",
    "/contact",
    "/klacht",
    "/contact/verzonden",
    "/bestaat-niet",
    "/winkelwagen",
];

/// Validates pages with the Nu HTML Checker (`vnu.jar`, installed by `.ci/install-vnu.sh`
/// and named by `BLOEI_VNU_JAR`). Skips loudly without it, fails without it in CI.
#[test]
fn every_page_is_valid_html5_in_both_languages() {
    let jar = match std::env::var("BLOEI_VNU_JAR")
        .ok()
        .filter(|j| std::path::Path::new(j).is_file())
    {
        Some(jar) => jar,
        None => {
            if std::env::var(crate::support::REQUIRE_SERVICES).is_ok_and(|v| v == "1") {
                panic!("BLOEI_VNU_JAR must name vnu.jar (run .ci/install-vnu.sh)");
            }
            eprintln!(
                "\n*** SKIPPED every_page_is_valid_html5_in_both_languages: set BLOEI_VNU_JAR (.ci/install-vnu.sh) ***\n"
            );
            return;
        }
    };
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    let paths = PAGES;
    let mut files = Vec::new();
    for lang in ["nl", "en"] {
        for (i, path) in paths.iter().enumerate() {
            let body = app.get_in(path, lang).text().unwrap();
            let file = dir.path().join(format!("{lang}-{i}.html"));
            std::fs::write(&file, body).unwrap();
            files.push(file);
        }
    }
    // The customer's privacy pages (consents, occasions, my data, deleting the account).
    let customer = app.customer("Lot Kok", "lot@example.nl");
    let token = Page::parse(
        &customer
            .get(app.url("/account"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    )
    .csrf_token();
    customer
        .post(app.url("/account/privacy"))
        .form(&[
            ("doel", "reminders"),
            ("versie", "1"),
            ("keuze", "geven"),
            ("csrf_token", &token),
        ])
        .send()
        .unwrap();
    for (i, path) in [
        "/account",
        "/account/privacy",
        "/account/gelegenheden",
        "/account/mijn-gegevens",
        "/account/verwijderen",
    ]
    .iter()
    .enumerate()
    {
        let file = dir.path().join(format!("account-{i}.html"));
        std::fs::write(
            &file,
            customer.get(app.url(path)).send().unwrap().text().unwrap(),
        )
        .unwrap();
        files.push(file);
    }
    // The page a reminder mail's stop link opens, before and after stopping.
    let customer_id: i64 = {
        use diesel::prelude::*;
        bloei::db::schema::customers::table
            .select(bloei::db::schema::customers::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let stop = bloei::privacy::reminder_stop::new_link(&mut app.conn(), "", customer_id).unwrap();
    for (name, response) in [
        ("stop.html", customer.get(app.url(&stop)).send().unwrap()),
        (
            "stopped.html",
            customer.post(app.url(&stop)).send().unwrap(),
        ),
    ] {
        assert_eq!(response.status(), 200);
        let file = dir.path().join(name);
        std::fs::write(&file, response.text().unwrap()).unwrap();
        files.push(file);
    }
    // A page showing a flash message.
    let token = app.page("/", 200).csrf_token();
    app.post_form(
        "/taal",
        &[("lang", "en"), ("terug", "/"), ("csrf_token", &token)],
    );
    let file = dir.path().join("flash.html");
    std::fs::write(&file, app.get("/").text().unwrap()).unwrap();
    files.push(file);
    // A product form with field errors, and a filled cart.
    let token = app.page("/product/rode-rozen-klassiek", 200).csrf_token();
    let form = [
        ("product", "rode-rozen-klassiek"),
        ("quantity", "0"),
        ("csrf_token", token.as_str()),
    ];
    let errors = app.post_form("/winkelwagen/toevoegen", &form);
    assert_eq!(errors.status(), 422);
    let file = dir.path().join("form-errors.html");
    std::fs::write(&file, errors.text().unwrap()).unwrap();
    files.push(file);
    let form = [
        ("product", "rode-rozen-klassiek"),
        ("size", "L"),
        ("addons", "glazen-vaas"),
        ("quantity", "1"),
        ("csrf_token", token.as_str()),
    ];
    assert_eq!(app.post_form("/winkelwagen/toevoegen", &form).status(), 303);
    let file = dir.path().join("cart.html");
    std::fs::write(&file, app.get("/winkelwagen").text().unwrap()).unwrap();
    files.push(file);
    // Checkout: the form, the form with errors, the overview, the test payment and the status.
    let checkout = app.get("/afrekenen").text().unwrap();
    let page = Page::parse(&checkout);
    let date = page
        .attrs("#delivery_date option", "value")
        .into_iter()
        .find(|v| !v.is_empty())
        .unwrap();
    let token = page.csrf_token();
    let mut pages = vec![("checkout.html".to_owned(), checkout)];
    let errors = app.post_form(
        "/afrekenen",
        &[("fulfilment", "delivery"), ("csrf_token", &token)],
    );
    pages.push(("checkout-errors.html".into(), errors.text().unwrap()));
    let fields = [
        ("sender_name", "Jan"),
        ("sender_email", "jan@example.nl"),
        ("fulfilment", "delivery"),
        ("recipient_name", "Ans"),
        ("recipient_street", "Kerkstraat 1"),
        ("recipient_postcode", "1441 AB"),
        ("recipient_city", "Purmerend"),
        ("not_home", "card"),
        ("card_message", "Hoera"),
        ("delivery_date", date.as_str()),
        ("csrf_token", token.as_str()),
    ];
    let overview = app.post_form("/afrekenen", &fields).text().unwrap();
    let hidden = scraper::Selector::parse("form.place-order input[type=hidden]").unwrap();
    let mut place: Vec<(String, String)> = Page::parse(&overview)
        .html
        .select(&hidden)
        .map(|e| {
            (
                e.value().attr("name").unwrap().to_owned(),
                e.value().attr("value").unwrap_or("").to_owned(),
            )
        })
        .collect();
    place.push(("action".into(), "place".into()));
    pages.push(("overview.html".into(), overview));
    let pay = app
        .client
        .post(app.url("/afrekenen/bestellen"))
        .form(&place)
        .send()
        .unwrap();
    let pay_url = pay.headers()["location"].to_str().unwrap().to_owned();
    let pay_page = app.get(&pay_url).text().unwrap();
    let pay_token = Page::parse(&pay_page).csrf_token();
    pages.push(("test-payment.html".into(), pay_page));
    let paid = app.post_form(&pay_url, &[("outcome", "paid"), ("csrf_token", &pay_token)]);
    let status_url = paid.headers()["location"].to_str().unwrap().to_owned();
    pages.push(("status.html".into(), app.get(&status_url).text().unwrap()));
    // Staff pages: login, board, work ticket, courier list.
    let cost = bloei::domain::password::PasswordCost {
        memory_kib: 64,
        iterations: 1,
    };
    bloei::staff::service::create_staff(
        &mut app.conn(),
        "j@example.nl",
        "Jennifer",
        "lange-tulpen-2026",
        bloei::staff::model::Role::Owner,
        cost,
    )
    .unwrap();
    let login = app.get("/medewerkers/inloggen").text().unwrap();
    let staff_token = Page::parse(&login).csrf_token();
    pages.push(("login.html".into(), login));
    app.post_form(
        "/medewerkers/inloggen",
        &[
            ("email", "j@example.nl"),
            ("password", "lange-tulpen-2026"),
            ("csrf_token", &staff_token),
        ],
    );
    // The owner's second step: setting up the app, a refused code, the recovery codes.
    let setup = app.get("/medewerkers/tweestaps/instellen").text().unwrap();
    let setup_page = Page::parse(&setup);
    let secret = setup_page.attrs("#totp-secret", "data-secret").remove(0);
    pages.push(("two_step_setup.html".into(), setup));
    let refused = app.post_form(
        "/medewerkers/tweestaps/instellen",
        &[("code", "000000"), ("csrf_token", &setup_page.csrf_token())],
    );
    assert_eq!(refused.status(), 422);
    pages.push((
        "two_step_setup_refused.html".into(),
        refused.text().unwrap(),
    ));
    let code = crate::staff::app_code(&app, "j@example.nl", &secret);
    let codes = app.post_form(
        "/medewerkers/tweestaps/instellen",
        &[("code", &code), ("csrf_token", &setup_page.csrf_token())],
    );
    assert_eq!(codes.status(), 200);
    pages.push(("recovery_codes.html".into(), codes.text().unwrap()));
    pages.push((
        "board.html".into(),
        app.get(&format!("/medewerkers/productie?datum={date}"))
            .text()
            .unwrap(),
    ));
    pages.push((
        "ticket.html".into(),
        app.get("/medewerkers/bestellingen/1/werkbon")
            .text()
            .unwrap(),
    ));
    pages.push((
        "courier.html".into(),
        app.get(&format!("/medewerkers/bezorging?datum={date}"))
            .text()
            .unwrap(),
    ));
    let tickets = format!("/medewerkers/werkbonnen?datum={date}");
    let board = format!("/medewerkers/productie?datum={date}");
    // The back office: start page, calendar (a day, and a day refused), zones and a zone.
    let day = app
        .get(&format!("/medewerkers/kalender/{date}"))
        .text()
        .unwrap();
    let day_token = Page::parse(&day).csrf_token();
    pages.push(("calendar_day.html".into(), day));
    let refused = app.post_form(
        &format!("/medewerkers/kalender/{date}"),
        &[
            ("state", "closed"),
            ("note", ""),
            ("capacity", "0"),
            ("csrf_token", &day_token),
        ],
    );
    assert_eq!(refused.status(), 422);
    pages.push(("calendar_day_refused.html".into(), refused.text().unwrap()));
    // The catalogue: a product refused with every kind of message beside its fields.
    let refused = app.post_form(
        "/medewerkers/catalogus/nieuw",
        &[
            ("name_nl", ""),
            ("m_price", "-3"),
            ("m_active", "on"),
            ("active", "on"),
            ("csrf_token", &day_token),
        ],
    );
    assert_eq!(refused.status(), 422);
    pages.push(("product_refused.html".into(), refused.text().unwrap()));
    let refused = app.post_form(
        "/medewerkers/bestellingen/1/wijzigen",
        &[
            ("recipient_postcode", "9711 AA"),
            ("delivery_date", "2020-01-01"),
            ("csrf_token", &day_token),
        ],
    );
    assert_eq!(refused.status(), 422);
    pages.push(("order_edit_refused.html".into(), refused.text().unwrap()));
    let refused = app.post_form(
        "/medewerkers/bestellingen/nieuw",
        &[
            ("quantity_1", "0"),
            ("product_1", "x"),
            ("csrf_token", &day_token),
        ],
    );
    assert_eq!(refused.status(), 422);
    pages.push(("phone_order_refused.html".into(), refused.text().unwrap()));
    let refused = app.post_form(
        "/medewerkers/bestellingen/1/terugbetalen",
        &[("bedrag", "99999"), ("csrf_token", &day_token)],
    );
    assert_eq!(refused.status(), 422);
    pages.push(("order_refund_refused.html".into(), refused.text().unwrap()));
    let refused = app.get("/medewerkers/auditlog?van=gisteren");
    assert_eq!(refused.status(), 422);
    pages.push(("audit_refused.html".into(), refused.text().unwrap()));
    // A complaint (refused first) and a privacy request (refused first), for the queue and desk.
    let refused = app.post_form("/klacht", &[("csrf_token", &day_token)]);
    assert_eq!(refused.status(), 422);
    pages.push(("complaint_refused.html".into(), refused.text().unwrap()));
    let complaint = [
        ("name", "Ans"),
        ("email", "ans@example.nl"),
        ("order_number", "B-2026-000001"),
        ("message", "Verwelkt.\n\nTwee regels."),
        ("csrf_token", &day_token),
    ];
    assert_eq!(app.post_form("/klacht", &complaint).status(), 303);
    let refused = app.post_form("/medewerkers/verzoeken", &[("csrf_token", &day_token)]);
    assert_eq!(refused.status(), 422);
    pages.push(("request_refused.html".into(), refused.text().unwrap()));
    let received = chrono::Utc::now().date_naive().to_string();
    let request = [
        ("kind", "erasure"),
        ("channel", "email"),
        ("name", "Ans"),
        ("email", "ans@example.nl"),
        ("received", &received),
        ("csrf_token", &day_token),
    ];
    assert_eq!(
        app.post_form("/medewerkers/verzoeken", &request).status(),
        303
    );
    // The processor register: a refused line, then one added by hand.
    let refused = app.post_form(
        "/medewerkers/verwerkers/nieuw",
        &[("csrf_token", &day_token)],
    );
    assert_eq!(refused.status(), 422);
    pages.push(("processor_refused.html".into(), refused.text().unwrap()));
    let host = [
        ("name", "Hostingbedrijf B.V."),
        ("purpose_nl", "Hosting"),
        ("data_nl", "Alle gegevens"),
        ("location", "Nederland"),
        ("csrf_token", &day_token),
    ];
    assert_eq!(
        app.post_form("/medewerkers/verwerkers/nieuw", &host)
            .status(),
        303
    );
    for (name, path) in [
        ("processors.html", "/medewerkers/verwerkers"),
        ("processor_new.html", "/medewerkers/verwerkers/nieuw"),
        ("processor.html", "/medewerkers/verwerkers/mail"),
        (
            "processor_remove.html",
            "/medewerkers/verwerkers/1/verwijderen",
        ),
        ("messages.html", "/medewerkers/berichten"),
        ("message.html", "/medewerkers/berichten/1"),
        ("requests.html", "/medewerkers/verzoeken"),
        ("request_new.html", "/medewerkers/verzoeken/nieuw"),
        ("request.html", "/medewerkers/verzoeken/1"),
        ("disclosures.html", "/medewerkers/verstrekkingen"),
        ("home.html", "/medewerkers"),
        ("calendar.html", "/medewerkers/kalender"),
        ("zones.html", "/medewerkers/zones"),
        ("zone.html", "/medewerkers/zones/1"),
        ("zone_delete.html", "/medewerkers/zones/1/verwijderen"),
        ("tickets.html", &tickets),
        ("team.html", "/medewerkers/team"),
        ("audit.html", "/medewerkers/auditlog"),
        ("compose.html", "/medewerkers/nieuwsbrief/schrijven"),
        ("member.html", "/medewerkers/team/1"),
        ("member_disable.html", "/medewerkers/team/1/uitschakelen"),
        ("orders.html", "/medewerkers/bestellingen?q=jansen"),
        ("orders_short.html", "/medewerkers/bestellingen?q=j"),
        ("order.html", "/medewerkers/bestellingen/1"),
        ("order_cancel.html", "/medewerkers/bestellingen/1/annuleren"),
        ("order_edit.html", "/medewerkers/bestellingen/1/wijzigen"),
        ("phone_order.html", "/medewerkers/bestellingen/nieuw"),
        ("board.html", &board),
        ("catalogue.html", "/medewerkers/catalogus"),
        ("product_new.html", "/medewerkers/catalogus/nieuw"),
        ("product.html", "/medewerkers/catalogus/1"),
        (
            "photo_remove.html",
            "/medewerkers/catalogus/1/foto/verwijderen",
        ),
    ] {
        let response = app.get(path);
        assert_eq!(response.status(), 200, "{path}");
        pages.push((name.into(), response.text().unwrap()));
    }
    for (name, body) in pages {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        files.push(file);
    }
    // The stylesheet and the images are checked too.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    files.push(root.join("static/css/site.css"));
    files.push(root.join("static/img/logo.svg"));
    files.push(root.join("static/favicon.svg"));
    for entry in std::fs::read_dir(root.join("static/img/products")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args([
            "--errors-only",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "text",
        ])
        .args(&files)
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the HTML checker found errors:\n{report}"
    );
}
