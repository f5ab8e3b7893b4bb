//! Login-load benchmark (not a test): while customers log in at a steady rate (20 per second by
//! default, each a new visitor from its own address, with the production Argon2id cost), how
//! fast does the home page answer? Prints the home page's latency percentiles first without and
//! then with the logins, and the logins' own latency.
//!
//!     cargo bench --bench logins
//!     BENCH_LOGINS_PER_SECOND=20 BENCH_SECONDS=20 cargo bench --bench logins
//!     BENCH_DATABASE_URL=postgres://… cargo bench --bench logins

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bloei::config::{Config, Settings};
use bloei::startup;
use common::{env_or, field};

mod common;

const PASSWORD: &str = "paarse tulpen op dinsdag";
const ACCOUNTS: usize = 400;

/// The `p`-th percentile (0–100) of sorted durations, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank].as_secs_f64() * 1000.0
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label}: {} requests, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        samples.len(),
        percentile(&samples, 50.0),
        percentile(&samples, 90.0),
        percentile(&samples, 99.0),
        percentile(&samples, 100.0)
    );
}

fn main() {
    let rate: u64 = env_or("BENCH_LOGINS_PER_SECOND", 20);
    let seconds: u64 = env_or("BENCH_SECONDS", 20);
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let settings = Settings {
        listen: Some("127.0.0.1:0".into()),
        database_url: Some(database_url.clone()),
        data_dir: Some(dir.path().to_path_buf()),
        secret_key: Some(bloei::config::generate_key()),
        data_key: Some(bloei::config::generate_key()),
        // Each login comes from its own address, as real customers do; the limits per address
        // would otherwise stop a benchmark from one machine.
        behind_proxy: Some(true),
        ..Settings::default()
    };
    let config = Config::from_settings(settings).expect("configuration");
    let cost = config.password_cost;
    let db = startup::prepare_database(&config).expect("database");
    {
        let hash = bloei::domain::password::hash(PASSWORD, cost).expect("hash");
        let mut conn = db.conn().expect("connection");
        let now = bloei::db::now();
        for i in 0..ACCOUNTS {
            let email = format!("klant{i}@example.nl");
            let id = bloei::accounts::repo::insert(
                &mut conn,
                &bloei::accounts::repo::NewCustomer {
                    email: &email,
                    name: "Bench Klant",
                    phone: None,
                    password_hash: &hash,
                    lang: "nl",
                    privacy_version: "bench",
                },
                now,
            )
            .expect("account");
            bloei::accounts::repo::mark_verified(&mut conn, id, now).expect("verified");
        }
    }
    let base = common::serve(config, db.clone());
    println!(
        "login benchmark, {}: Argon2id {} KiB × {}, {rate} logins/s for {seconds} s",
        if database_url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        cost.memory_kib,
        cost.iterations
    );
    let (home_alone, _, _) = run(&base, 0, seconds.min(10));
    summary("home page without logins", home_alone);
    let (home, logins, failed) = run(&base, rate, seconds);
    summary(&format!("home page during {rate} logins/s"), home);
    let done = logins.len();
    summary("logins (page + POST)", logins);
    println!(
        "{done} logins in {seconds} s ({:.1}/s), {failed} failed",
        done as f64 / seconds as f64
    );
    assert_eq!(failed, 0, "every login succeeded");
}

/// For `seconds`: one visitor loads the home page over and over, while `rate` logins a second
/// start on a fixed schedule. The home page's and the logins' latencies, and failed logins.
fn run(base: &str, rate: u64, seconds: u64) -> (Vec<Duration>, Vec<Duration>, usize) {
    let base = base.to_owned();
    actix_web::rt::System::new().block_on(async move {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let home_samples = Arc::new(Mutex::new(Vec::new()));
        let login_samples = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(Mutex::new(0usize));
        let visitor = reqwest::Client::new();
        let home = {
            let (base, samples) = (base.clone(), home_samples.clone());
            actix_web::rt::spawn(async move {
                while Instant::now() < deadline {
                    let started = Instant::now();
                    let response = visitor.get(format!("{base}/")).send().await.unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                    samples.lock().unwrap().push(started.elapsed());
                    // About 100 page views a second: a busy shop's browsing, next to the logins.
                    actix_web::rt::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        let mut logins = Vec::new();
        if rate > 0 {
            let mut tick =
                actix_web::rt::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
            let mut n = 0usize;
            while Instant::now() < deadline {
                tick.tick().await;
                let (base, samples, failed) = (base.clone(), login_samples.clone(), failed.clone());
                let account = n % ACCOUNTS;
                let address = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
                n += 1;
                logins.push(actix_web::rt::spawn(async move {
                    let started = Instant::now();
                    let ok = log_in(&base, account, &address).await;
                    samples.lock().unwrap().push(started.elapsed());
                    if !ok {
                        *failed.lock().unwrap() += 1;
                    }
                }));
            }
        }
        home.await.unwrap();
        for login in logins {
            login.await.unwrap();
        }
        let home = home_samples.lock().unwrap().clone();
        let logins = login_samples.lock().unwrap().clone();
        let failed = *failed.lock().unwrap();
        (home, logins, failed)
    })
}

/// A new visitor opens the login page and logs in; true when the shop lets them in.
async fn log_in(base: &str, account: usize, address: &str) -> bool {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{base}/account/inloggen"))
        .header("x-forwarded-for", address)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = client
        .post(format!("{base}/account/inloggen"))
        .header("x-forwarded-for", address)
        .form(&[
            ("email", format!("klant{account}@example.nl")),
            ("password", PASSWORD.to_owned()),
            ("terug", "/account".to_owned()),
            ("csrf_token", field(&page, "csrf_token")),
        ])
        .send()
        .await
        .unwrap();
    response.status() == 303
}
