//! Payment after checkout: a failed or unpaid payment gives the place back, a settled payment
//! stays settled, reports arriving twice or at once change nothing, and without test payments
//! no order is placed.

use bloei::db::schema::{delivery_days, orders};
use diesel::prelude::*;

use crate::checkout::{
    add_to_cart, location, order_and_pay, order_count, place_fields, post, to_overview,
};
use crate::support::{Page, TestApp};

#[test]
fn a_failed_payment_gives_the_place_back_and_keeps_the_cart() {
    let app = TestApp::spawn();
    let overview = to_overview(&app);
    let pay_url = location(&post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    ));
    let token = app.page(&pay_url, 200).csrf_token();
    let response = app.post_form(&pay_url, &[("outcome", "failed"), ("csrf_token", &token)]);
    let status = app.page(&location(&response), 200);
    assert!(status.text(".order-status").contains("niet gelukt"));
    let booked: Vec<i32> = delivery_days::table
        .select(delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, vec![0]);
    assert_eq!(app.page("/", 200).text(".cart-count"), "(1)");
    app.page(&pay_url, 404); // a settled test payment cannot be paid again
}

#[test]
fn an_unpaid_order_expires_and_gives_its_place_back() {
    let app = TestApp::spawn();
    let overview = to_overview(&app);
    let pay_url = location(&post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    ));
    diesel::update(orders::table)
        .set(orders::payment_expires_at.eq(Some(bloei::db::now() - chrono::Duration::minutes(1))))
        .execute(&mut *app.conn())
        .unwrap();
    let expired =
        bloei::ordering::service::expire_unpaid(&mut app.conn(), bloei::db::now()).unwrap();
    assert_eq!(expired, 1);
    let (status,): (String,) = orders::table
        .select((orders::status,))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "expired");
    let booked: Vec<i32> = delivery_days::table
        .select(delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, vec![0]);
    app.page(&pay_url, 404); // the expired payment cannot be paid any more
    assert_eq!(
        bloei::ordering::service::expire_unpaid(&mut app.conn(), bloei::db::now()).unwrap(),
        0,
        "once"
    );
}

#[test]
fn double_submits_and_payment_reports_arriving_at_once_give_one_order_one_place_and_one_mail() {
    let app = TestApp::spawn_with(|s| {
        s.worker = Some(false);
        s.db_pool_size = Some(8);
        s.workers = Some(2);
    });
    let overview = to_overview(&app);
    let fields = place_fields(&overview, "place");
    // Four tabs press "order" at the same moment.
    let cookies = app.client.clone();
    let submits: Vec<_> = (0..4)
        .map(|_| {
            let (client, fields, url) = (
                cookies.clone(),
                fields.clone(),
                app.url("/afrekenen/bestellen"),
            );
            std::thread::spawn(move || {
                let response = client.post(url).form(&fields).send().unwrap();
                response.headers()["location"].to_str().unwrap().to_owned()
            })
        })
        .collect();
    let targets: Vec<String> = submits.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        targets.iter().all(|t| t == &targets[0]),
        "one payment for all: {targets:?}"
    );
    assert_eq!(order_count(&app), 1);
    // The provider reports "paid" and "failed" for the same payment at once.
    let pay_url = targets[0].clone();
    let token = app.page(&pay_url, 200).csrf_token();
    let reports: Vec<_> = ["paid", "failed", "paid", "failed"]
        .into_iter()
        .map(|outcome| {
            let (client, url, token) = (cookies.clone(), app.url(&pay_url), token.clone());
            std::thread::spawn(move || {
                client
                    .post(url)
                    .form(&[("outcome", outcome), ("csrf_token", &token)])
                    .send()
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for report in reports {
        assert_eq!(report.join().unwrap(), 303);
    }
    let status: String = orders::table
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap();
    let booked: Vec<i32> = delivery_days::table
        .select(delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap();
    let mails: i64 = bloei::db::schema::outbox::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    match status.as_str() {
        "confirmed" => assert_eq!((booked, mails), (vec![1], 1)),
        "payment_failed" => assert_eq!((booked, mails), (vec![0], 0)),
        other => panic!("unexpected status {other}"),
    }
}

#[test]
fn a_settled_payment_cannot_be_settled_again_by_posting_to_it() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    let overview = to_overview(&app);
    let pay_url = location(&post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    ));
    let token = app.page(&pay_url, 200).csrf_token();
    app.post_form(&pay_url, &[("outcome", "failed"), ("csrf_token", &token)]);
    // Paying the failed payment afterwards changes nothing.
    let again = app.post_form(&pay_url, &[("outcome", "paid"), ("csrf_token", &token)]);
    assert_eq!(again.status(), 303);
    let status: String = orders::table
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "payment_failed");
    let booked: Vec<i32> = delivery_days::table
        .select(delivery_days::booked)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(booked, vec![0]);
    let mails: i64 = bloei::db::schema::outbox::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(mails, 0);
}

#[test]
fn without_test_payments_no_order_is_placed_and_the_test_page_does_not_exist() {
    let app = TestApp::spawn_with(|s| s.test_payments = Some(false));
    let overview = to_overview(&app);
    let response = post(
        &app,
        &app.client,
        "/afrekenen/bestellen",
        &place_fields(&overview, "place"),
    );
    assert_eq!(response.status(), 503);
    assert!(
        Page::parse(&response.text().unwrap())
            .text("main")
            .contains("Online betalen is op dit moment niet mogelijk")
    );
    assert_eq!(order_count(&app), 0);
    app.page("/testbetaling/tst_000000", 404);
    // A shop on https takes no test payments unless told to.
    let live = TestApp::spawn_with(|s| s.public_url = Some("https://www.example.nl".into()));
    let config_default = bloei::config::Config::from_settings(bloei::config::Settings {
        data_dir: Some(live.data_dir().to_path_buf()),
        public_url: Some("https://www.example.nl".into()),
        ..Default::default()
    })
    .unwrap();
    assert!(!config_default.test_payments);
}

#[test]
fn opening_someone_elses_paid_order_leaves_the_visitors_cart_alone() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    let status_url = order_and_pay(&app);
    let path = status_url.trim_start_matches(&app.base).to_owned();
    let other = crate::support::browser();
    add_to_cart(&app, &other, "monstera", "S", &[]);
    assert_eq!(other.get(app.url(&path)).send().unwrap().status(), 200);
    let home = Page::parse(&other.get(app.url("/")).send().unwrap().text().unwrap());
    assert_eq!(home.text(".cart-count"), "(1)");
}
