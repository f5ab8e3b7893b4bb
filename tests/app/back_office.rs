//! The back office: the staff layout and start page, the delivery calendar and the delivery
//! zones, as staff and customers see them and as the database holds them.

use bloei::db::schema::{calendar_overrides, delivery_days, delivery_zones, orders, staff_changes};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::checkout::add_to_cart;
use crate::roles::{Visitor, client_for};
use crate::support::{Page, TestApp, browser};

pub(crate) fn page(app: &TestApp, client: &Client, path: &str) -> Page {
    let response = client.get(app.url(path)).send().unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    Page::parse(&response.text().unwrap())
}

pub(crate) fn post(
    app: &TestApp,
    client: &Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, Page) {
    let token = page(app, client, path).csrf_token();
    let mut fields = form.to_vec();
    fields.push(("csrf_token", &token));
    let response = client.post(app.url(path)).form(&fields).send().unwrap();
    let status = response.status().as_u16();
    (status, Page::parse(&response.text().unwrap()))
}

/// The dates a guest's checkout offers.
pub(crate) fn offered_dates(app: &TestApp) -> Vec<String> {
    let guest = browser();
    add_to_cart(app, &guest, "rode-rozen-klassiek", "M", &[]);
    page(app, &guest, "/afrekenen")
        .attrs("#delivery_date option", "value")
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect()
}

#[test]
fn staff_pages_have_their_own_layout_without_the_shops_cookie_banner_cart_or_newsletter() {
    let app = TestApp::spawn();
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    for path in [
        "/medewerkers",
        "/medewerkers/productie",
        "/medewerkers/inloggen",
    ] {
        let seen = page(&app, &florist, path);
        assert_eq!(seen.count(".cookie-banner"), 0, "{path}");
        assert_eq!(seen.count(".newsletter-form"), 0, "{path}");
        assert_eq!(seen.count(".cart-link"), 0, "{path}");
        assert_eq!(
            seen.attrs("meta[name=robots]", "content"),
            vec!["noindex, nofollow".to_owned()],
            "{path}"
        );
    }
    // One menu, the same on every page, with only the florist's sections.
    for path in ["/medewerkers", "/medewerkers/productie"] {
        assert_eq!(
            page(&app, &florist, path).attrs("nav.staff-menu a", "href"),
            vec![
                "/medewerkers",
                "/medewerkers/productie",
                "/medewerkers/catalogus"
            ],
            "{path}"
        );
    }
}

#[test]
fn the_start_page_shows_todays_work_per_role_and_sends_visitors_to_the_login() {
    let app = TestApp::spawn();
    let anonymous = browser();
    let response = anonymous.get(app.url("/medewerkers")).send().unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/medewerkers/inloggen");
    // An order to make today.
    let (id, _) = app.paid_order();
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    diesel::update(orders::table.find(id))
        .set((
            orders::delivery_date.eq(today),
            orders::status.eq("confirmed"),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let seen = page(&app, &owner, "/medewerkers");
    let counts = seen.texts(".day-counts li");
    assert!(
        counts[0].starts_with("1") && counts[0].contains("Te maken"),
        "{counts:?}"
    );
    assert_eq!(
        seen.count("nav.staff-menu a"),
        13,
        "the owner opens every section"
    );
    // The courier sees their own run only: the order is on nobody's run yet.
    let courier = client_for(&app, Visitor::Staff(Role::Courier));
    let seen = page(&app, &courier, "/medewerkers");
    assert_eq!(seen.count(".day-counts li"), 4, "no production counts");
    assert!(seen.texts(".day-counts .count").iter().all(|n| n == "0"));
    assert_eq!(
        seen.attrs("nav.staff-menu a", "href"),
        vec!["/medewerkers", "/medewerkers/bezorging"]
    );
}

#[test]
fn the_owner_closes_a_date_and_checkout_no_longer_offers_it_until_it_is_reopened() {
    let app = TestApp::spawn();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let dates = offered_dates(&app);
    let date = dates[1].clone();
    let path = format!("/medewerkers/kalender/{date}");
    // Closing needs a reason for customers; the form keeps what was typed.
    let (status, refused) = post(&app, &owner, &path, &[("state", "closed"), ("note", "")]);
    assert_eq!(status, 422);
    assert!(refused.text("#note-error").contains("reden"));
    assert_eq!(refused.attrs("#state-closed", "checked").len(), 1);
    let (status, _) = post(
        &app,
        &owner,
        &path,
        &[("state", "closed"), ("note", "Vakantie")],
    );
    assert_eq!(status, 303);
    let offered = offered_dates(&app);
    assert!(!offered.contains(&date), "{date} is closed");
    let guest = browser();
    add_to_cart(&app, &guest, "rode-rozen-klassiek", "M", &[]);
    assert!(
        page(&app, &guest, "/afrekenen")
            .text(".closed-days")
            .contains("Vakantie")
    );
    let calendar = page(&app, &owner, "/medewerkers/kalender");
    assert!(calendar.text(".day-changed").contains("Dicht: Vakantie"));
    assert!(calendar.text(".changes").contains("closed (Vakantie)"));
    // Reopening brings it back, and both changes are on record with who made them.
    let (status, _) = post(&app, &owner, &path, &[("state", "usual"), ("note", "")]);
    assert_eq!(status, 303);
    assert!(offered_dates(&app).contains(&date));
    let recorded: i64 = staff_changes::table
        .filter(staff_changes::subject.eq(format!("calendar:{date}")))
        .filter(staff_changes::staff_id.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(recorded, 2);
}

#[test]
fn a_capacity_below_what_a_day_already_holds_is_refused_and_changes_nothing() {
    let app = TestApp::spawn();
    let (_, date) = app.paid_order();
    let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
    diesel::update(delivery_days::table.find(day))
        .set(delivery_days::booked.eq(3))
        .execute(&mut *app.conn())
        .unwrap();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let path = format!("/medewerkers/kalender/{date}");
    let (status, refused) = post(
        &app,
        &owner,
        &path,
        &[("state", "usual"), ("capacity", "2")],
    );
    assert_eq!(status, 422);
    assert!(refused.text("#capacity-error").contains("geboekte"));
    assert_eq!(refused.attrs("#capacity", "value"), vec!["2".to_owned()]);
    let stored: i64 = calendar_overrides::table
        .filter(calendar_overrides::day.eq(day))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(stored, 0, "nothing changed");
    // Exactly what is booked is allowed: the day is then full, and checkout skips it.
    let (status, _) = post(
        &app,
        &owner,
        &path,
        &[("state", "usual"), ("capacity", "3")],
    );
    assert_eq!(status, 303);
    assert!(!offered_dates(&app).contains(&date));
}

#[test]
fn the_owner_adds_changes_and_removes_zones_and_checkout_charges_the_new_fee() {
    let app = TestApp::spawn();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    // Overlapping an existing zone (the demo's Purmerend, 1440–1448) is refused, input kept.
    let zone = [
        ("name", "Ilpendam"),
        ("from", "1445"),
        ("to", "1452"),
        ("fee", "3,50"),
    ];
    let (status, refused) = post(&app, &owner, "/medewerkers/zones", &zone);
    assert_eq!(status, 422);
    assert!(refused.text("#from-error").contains("ander gebied"));
    assert_eq!(refused.attrs("#name", "value"), vec!["Ilpendam".to_owned()]);
    let bad = [
        ("name", "X"),
        ("from", "1460"),
        ("to", "1461"),
        ("fee", "-1"),
    ];
    let (status, refused) = post(&app, &owner, "/medewerkers/zones", &bad);
    assert_eq!(status, 422);
    assert!(refused.text("#fee-error").contains("negatief"));
    let zone = [
        ("name", "Ilpendam"),
        ("from", "1452"),
        ("to", "1453"),
        ("fee", "3,50"),
    ];
    assert_eq!(post(&app, &owner, "/medewerkers/zones", &zone).0, 303);
    let id: i64 = delivery_zones::table
        .filter(delivery_zones::name.eq("Ilpendam"))
        .select(delivery_zones::id)
        .first(&mut *app.conn())
        .unwrap();
    // A new fee for Purmerend reaches checkout.
    let purmerend: i64 = delivery_zones::table
        .filter(delivery_zones::postcode_from.eq(1440))
        .select(delivery_zones::id)
        .first(&mut *app.conn())
        .unwrap();
    let path = format!("/medewerkers/zones/{purmerend}");
    let changed = [
        ("name", "Purmerend"),
        ("from", "1440"),
        ("to", "1448"),
        ("fee", "6,25"),
    ];
    assert_eq!(post(&app, &owner, &path, &changed).0, 303);
    let guest = browser();
    add_to_cart(&app, &guest, "rode-rozen-klassiek", "M", &[]);
    assert!(
        page(&app, &guest, "/afrekenen")
            .text("body")
            .contains("6,25")
    );
    // Removing asks first; then the zone is gone and the change log says so.
    let question = page(
        &app,
        &owner,
        &format!("/medewerkers/zones/{id}/verwijderen"),
    );
    assert!(question.text("main").contains("verwijderen?"));
    let (status, _) = post(
        &app,
        &owner,
        &format!("/medewerkers/zones/{id}/verwijderen"),
        &[],
    );
    assert_eq!(status, 303);
    let left: i64 = delivery_zones::table
        .filter(delivery_zones::id.eq(id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(left, 0);
    let log = page(&app, &owner, "/medewerkers/zones").text(".changes");
    assert!(
        log.contains("removed: Ilpendam") && log.contains("changed: Purmerend"),
        "{log}"
    );
}

#[test]
fn only_the_owner_changes_the_calendar_and_zones_and_a_refused_change_leaves_nothing() {
    let app = TestApp::spawn();
    let (_, date) = app.paid_order();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let token = page(&app, &owner, "/medewerkers").csrf_token();
    let day = format!("/medewerkers/kalender/{date}");
    let posts: [(&str, &[(&str, &str)]); 3] = [
        (&day, &[("state", "closed"), ("note", "Dicht")]),
        (
            "/medewerkers/zones",
            &[
                ("name", "Monnickendam"),
                ("from", "1140"),
                ("to", "1141"),
                ("fee", "5"),
            ],
        ),
        ("/medewerkers/zones/1/verwijderen", &[]),
    ];
    let counts = |app: &TestApp| -> (i64, i64) {
        let mut conn = app.conn();
        (
            calendar_overrides::table
                .count()
                .get_result(&mut *conn)
                .unwrap(),
            delivery_zones::table
                .count()
                .get_result(&mut *conn)
                .unwrap(),
        )
    };
    let before = counts(&app);
    for visitor in [
        Visitor::Anonymous,
        Visitor::Staff(Role::Florist),
        Visitor::Staff(Role::Courier),
        Visitor::Staff(Role::Support),
    ] {
        let client = client_for(&app, visitor);
        let token = match visitor {
            Visitor::Anonymous => page(&app, &client, "/").csrf_token(),
            Visitor::Staff(_) => page(&app, &client, "/medewerkers").csrf_token(),
        };
        for (path, form) in posts {
            let mut fields = form.to_vec();
            fields.push(("csrf_token", &token));
            let status = client
                .post(app.url(path))
                .form(&fields)
                .send()
                .unwrap()
                .status();
            let expected = if matches!(visitor, Visitor::Anonymous) {
                303
            } else {
                403
            };
            assert_eq!(status.as_u16(), expected, "POST {path} as {visitor:?}");
        }
    }
    assert_eq!(counts(&app), before, "refused changes change nothing");
    for (path, form) in posts {
        let mut fields = form.to_vec();
        fields.push(("csrf_token", &token));
        let status = owner
            .post(app.url(path))
            .form(&fields)
            .send()
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 303, "POST {path} as the owner");
    }
    assert_eq!(
        counts(&app),
        (before.0 + 1, before.1),
        "one day closed, one zone in, one out"
    );
}

#[test]
fn a_florist_prints_every_ticket_of_a_day_with_the_recipients_label() {
    let app = TestApp::spawn();
    crate::checkout::order_and_pay(&app);
    crate::checkout::order_and_pay(&app);
    let dates: Vec<chrono::NaiveDate> = orders::table
        .select(orders::delivery_date)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(dates.len(), 2);
    diesel::update(orders::table)
        .set(orders::delivery_date.eq(dates[0]))
        .execute(&mut *app.conn())
        .unwrap();
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let board = page(
        &app,
        &florist,
        &format!("/medewerkers/productie?datum={}", dates[0]),
    );
    let link = board.attrs("a[href^='/medewerkers/werkbonnen']", "href");
    assert_eq!(
        link,
        vec![format!("/medewerkers/werkbonnen?datum={}", dates[0])]
    );
    let tickets = page(&app, &florist, &link[0]);
    assert_eq!(tickets.count("article.ticket"), 2);
    for label in tickets.texts(".label-address") {
        assert!(
            label.contains("Ans de Vries") && label.contains("Kerkstraat 12"),
            "{label}"
        );
    }
    assert_eq!(
        tickets.count("button[data-print][hidden]"),
        1,
        "shown by the script only"
    );
    assert!(
        tickets.texts("dd").iter().any(|t| t == "Te maken"),
        "staff words"
    );
}

#[test]
fn the_courier_list_names_the_products_links_a_map_and_tucks_away_what_is_handed_over() {
    let app = TestApp::spawn();
    crate::checkout::order_and_pay(&app);
    crate::checkout::order_and_pay(&app);
    let ids: Vec<i64> = orders::table
        .order(orders::id)
        .select(orders::id)
        .load(&mut *app.conn())
        .unwrap();
    let day: chrono::NaiveDate = orders::table
        .select(orders::delivery_date)
        .first(&mut *app.conn())
        .unwrap();
    let date = day.format("%Y-%m-%d").to_string();
    diesel::update(orders::table)
        .set((orders::delivery_date.eq(day), orders::status.eq("ready")))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(orders::table.find(ids[1]))
        .set(orders::status.eq("delivered"))
        .execute(&mut *app.conn())
        .unwrap();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let anna = app.staff_member("anna@example.nl", Role::Courier);
    // The owner puts the whole day on Anna's run at once.
    let route = format!("/medewerkers/bezorging?datum={date}");
    let seen = page(&app, &owner, &route);
    let anna_id = seen.attrs("#courier-all option", "value").remove(0);
    let response = owner
        .post(app.url("/medewerkers/bezorging/rit"))
        .form(&[
            ("datum", date.as_str()),
            ("courier", &anna_id),
            ("csrf_token", &seen.csrf_token()),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 303);
    let on_run: i64 = orders::table
        .filter(orders::courier_id.eq(anna_id.parse::<i64>().unwrap()))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(
        on_run, 1,
        "the stop still to do; the handed-over one keeps its run"
    );
    // Anna sees the stop with its products and a map link, the delivered one behind a toggle.
    let list = page(&app, &anna, &route);
    assert_eq!(list.count("ol.stops > li.stop"), 1);
    let products = list.text("ol.stops > li.stop .items");
    assert!(
        products.contains("rode rozen (Middel) + Glazen vaas"),
        "{products}"
    );
    let map = list.attrs(".map-link a", "href").remove(0);
    assert!(map.starts_with("geo:0,0?q=Kerkstraat%2012"), "{map}");
    assert_eq!(
        list.count("details.done-stops li.stop"),
        0,
        "not on Anna's run"
    );
    let all = page(&app, &owner, &route);
    assert_eq!(all.count("details.done-stops li.stop"), 1);
    assert!(all.text("details.done-stops summary").contains("(1)"));
    // Previous and next day are one tap away.
    let next = (day + chrono::Days::new(1)).format("%Y-%m-%d").to_string();
    assert!(
        list.attrs(".date-pick a", "href")
            .contains(&format!("/medewerkers/bezorging?datum={next}"))
    );
}
