//! Checkout benchmark (not a test): orders placed per second through the real HTTP checkout,
//! with N concurrent customers, each with their own session. Prints the throughput and checks
//! that the orders in the database equal the orders the shop acknowledged.
//!
//!     cargo bench --bench checkout                       # SQLite in a temp dir
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench checkout
//!     BENCH_CLIENTS=32 BENCH_SECONDS=10 cargo bench --bench checkout

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bloei::config::{Config, Settings};
use bloei::startup;
use common::{env_or, field};

mod common;
use diesel::prelude::*;

fn main() {
    let clients: usize = env_or("BENCH_CLIENTS", 32);
    let seconds: u64 = env_or("BENCH_SECONDS", 10);
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let settings = Settings {
        listen: Some("127.0.0.1:0".into()),
        database_url: Some(database_url.clone()),
        data_dir: Some(dir.path().to_path_buf()),
        secret_key: Some(bloei::config::generate_key()),
        data_key: Some(bloei::config::generate_key()),
        db_pool_size: std::env::var("BENCH_POOL")
            .ok()
            .and_then(|v| v.parse().ok()),
        daily_capacity: Some(u32::MAX / 2),
        ..Settings::default()
    };
    let config = Config::from_settings(settings).expect("configuration");
    let db = startup::prepare_database(&config).expect("database");
    let base = common::serve(config, db.clone());

    // The customers are async tasks on one client thread, so the load generator takes as little
    // of the machine as it can: what is measured is the shop and its database.
    // By default every customer orders for the same (earliest) date, the hardest case: all
    // checkouts then queue for that date's capacity row. BENCH_SPREAD_DATES=1 spreads them.
    let spread = std::env::var("BENCH_SPREAD_DATES").is_ok_and(|v| v == "1");
    let acknowledged = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let (acked_by_clients, failed_by_clients) = (acknowledged.clone(), failed.clone());
    let started = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let mut customers = Vec::new();
            for i in 0..clients {
                customers.push(prepare(&base, if spread { i % 20 } else { 0 }).await);
            }
            let started = Instant::now();
            let deadline = started + Duration::from_secs(seconds);
            let tasks: Vec<_> = customers
                .into_iter()
                .map(|(client, fields)| {
                    let (base, acknowledged, failed) = (
                        base.clone(),
                        acked_by_clients.clone(),
                        failed_by_clients.clone(),
                    );
                    actix_web::rt::spawn(async move {
                        while Instant::now() < deadline {
                            if place(&client, &base, &fields).await {
                                acknowledged.fetch_add(1, Ordering::Relaxed);
                            } else {
                                failed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
            started
        })
    })
    .join()
    .unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    let acked = acknowledged.load(Ordering::Relaxed);
    let in_db: i64 = bloei::db::schema::orders::table
        .count()
        .get_result(&mut *db.conn().unwrap())
        .unwrap();
    let backend = if database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let dates = if spread {
        "spread over 20 dates"
    } else {
        "all for one date"
    };
    println!(
        "checkout benchmark, {backend}, {dates}: {clients} clients, {elapsed:.1} s: {acked} orders acknowledged ({:.0} orders/s), {} refused, {in_db} orders in the database",
        acked as f64 / elapsed,
        failed.load(Ordering::Relaxed)
    );
    assert_eq!(
        in_db as u64, acked,
        "every acknowledged order is in the database, and only those"
    );
}

/// A customer with a filled cart at the checkout form: their client and the form's fields.
async fn prepare(base: &str, date_index: usize) -> (reqwest::Client, Vec<(String, String)>) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| {
        let request = client.get(format!("{base}{path}"));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let product = get("/product/monstera").await;
    client
        .post(format!("{base}/winkelwagen/toevoegen"))
        .form(&[
            ("product", "monstera"),
            ("size", "S"),
            ("quantity", "1"),
            ("csrf_token", &field(&product, "csrf_token")),
        ])
        .send()
        .await
        .unwrap();
    let form = get("/afrekenen").await;
    let date = form
        .split("<option value=\"")
        .nth(2 + date_index)
        .and_then(|rest| rest.split('"').next())
        .expect("a delivery date is offered")
        .to_owned();
    let fields = [
        ("sender_name", "Bench Klant"),
        ("sender_email", "klant@example.nl"),
        ("fulfilment", "delivery"),
        ("recipient_name", "Ontvanger"),
        ("recipient_street", "Kerkstraat 1"),
        ("recipient_postcode", "1441 AB"),
        ("recipient_city", "Purmerend"),
        ("not_home", "neighbour"),
        ("delivery_date", date.as_str()),
        ("csrf_token", field(&form, "csrf_token").as_str()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    (client, fields)
}

/// One order: the overview (validates, prices, issues a checkout token), then "order". True
/// when the shop acknowledged it by sending the customer on to pay.
async fn place(client: &reqwest::Client, base: &str, fields: &[(String, String)]) -> bool {
    let overview = client
        .post(format!("{base}/afrekenen"))
        .form(fields)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut place = fields.to_vec();
    place.push(("checkout_token".into(), field(&overview, "checkout_token")));
    place.push(("expected_total".into(), field(&overview, "expected_total")));
    place.push(("action".into(), "place".into()));
    let response = client
        .post(format!("{base}/afrekenen/bestellen"))
        .form(&place)
        .send()
        .await
        .unwrap();
    response.status() == 303
}
