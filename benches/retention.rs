//! Retention-sweep benchmark (not a test): how long the daily sweep (P15) takes over many
//! customers on SQLite, and whether the time grows linearly with them. Generates N customers
//! (1 in 100 idle for two years, so warned; 1 in 1,000 warned a month ago, so erased), one
//! delivered order for every tenth, and times one applied sweep at each size.
//!
//!     cargo bench --bench retention
//!     BENCH_SIZES=100000,300000,1000000 cargo bench --bench retention

use std::time::Instant;

use bloei::config::{Config, Settings};
use bloei::db::DbConn;
use bloei::privacy::erasure_log::ErasureLog;
use bloei::privacy::retention::Sweep;
use diesel::connection::SimpleConnection;

/// Inserts `n` customers (and their orders) with plain multi-row INSERTs in one transaction.
fn generate(conn: &mut DbConn, n: usize) {
    let now = chrono::Utc::now().naive_utc();
    let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
    let recent = fmt(now - chrono::Duration::days(20));
    let idle = fmt(now - chrono::Duration::days(800));
    let warned = fmt(now - chrono::Duration::days(31));
    let mut sql = String::from("BEGIN;");
    for chunk_start in (0..n).step_by(1000) {
        let rows: Vec<String> = (chunk_start..(chunk_start + 1000).min(n))
            .map(|i| {
                let (seen, warned_at) = if i % 1000 == 7 {
                    (idle.as_str(), format!("'{warned}'"))
                } else if i % 100 == 3 {
                    (idle.as_str(), "NULL".to_owned())
                } else {
                    (recent.as_str(), "NULL".to_owned())
                };
                format!(
                    "('klant{i}@example.nl', 'Klant {i}', 'x', 'nl', '{seen}', '{seen}', 0, '{seen}', '{seen}', {warned_at})"
                )
            })
            .collect();
        sql.push_str(&format!(
            "INSERT INTO customers (email, name, password_hash, lang, age_confirmed_at, \
             email_verified_at, session_version, created_at, last_login_at, retention_warned_at) \
             VALUES {};",
            rows.join(",")
        ));
    }
    sql.push_str("COMMIT;");
    conn.batch_execute(&sql).expect("customers generated");
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "100000,300000,1000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("BENCH_SIZES: numbers"))
        .collect();
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings {
            database_url: Some(format!(
                "sqlite://{}",
                dir.path().join("bench.db").display()
            )),
            data_dir: Some(dir.path().to_path_buf()),
            secret_key: Some(bloei::config::generate_key()),
            data_key: Some(bloei::config::generate_key()),
            demo_seed: Some(false),
            ..Settings::default()
        };
        let config = Config::from_settings(settings).expect("configuration");
        let db = bloei::startup::prepare_database(&config).expect("database");
        let mut conn = db.conn().expect("connection");
        let started = Instant::now();
        generate(&mut conn, n);
        let generated = started.elapsed();
        let key = bloei::domain::sealed::DataKey::from_material(&config.data_key().unwrap());
        let log = ErasureLog::in_dir(&config.data_dir);
        let mail = bloei::mail::messages::MailContext::of(&config);
        let sweep = Sweep {
            now: bloei::db::now(),
            apply: true,
            key: &key,
            log: &log,
            mail: &mail,
        };
        let started = Instant::now();
        let dry = Sweep {
            apply: false,
            ..sweep
        };
        dry.run(&mut conn, &mut |_, _| {}).expect("dry run");
        let counted = started.elapsed();
        let started = Instant::now();
        let report = sweep.run(&mut conn, &mut |_, _| {}).expect("sweep");
        let took = started.elapsed();
        println!(
            "{n:>9} customers (generated in {:.1} s, dry run {:.2} s): sweep {:.2} s = {:.2} µs \
             per customer; warned {}, erased {}",
            generated.as_secs_f64(),
            counted.as_secs_f64(),
            took.as_secs_f64(),
            took.as_secs_f64() * 1e6 / n as f64,
            report.warned,
            report.erased
        );
    }
}
