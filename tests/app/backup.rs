//! Backup and restore with erasure replay (P9): a backup taken while the shop runs, accounts
//! erased after it, a restore — and none of the erased people come back, while everyone else
//! and their orders do. Files that are not Bloei backups are refused with nothing changed.

use bloei::db::schema::{customers, orders, outbox};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use reqwest::blocking::Client;

use crate::accounts::{PASSWORD, checkout_as_shown, place_and_pay};
use crate::checkout::add_to_cart;
use crate::self_service::send;
use crate::support::TestApp;

/// The marker in every personal field of customer `i`.
fn marker(i: usize) -> String {
    format!("zqb{i:03}q")
}

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = Nullable<Text>)]
    value: Option<String>,
}

/// Every value in every column of the database, lower-cased, as one text per column.
fn everything(app: &TestApp) -> Vec<(String, String, String)> {
    let columns = bloei::privacy::drift::schema_columns(&mut app.conn()).unwrap();
    columns
        .into_iter()
        .map(|(table, column)| {
            let cells: Vec<Cell> = diesel::sql_query(format!(
                "SELECT CAST({column} AS TEXT) AS value FROM {table}"
            ))
            .load(&mut *app.conn())
            .unwrap();
            let text = cells
                .into_iter()
                .filter_map(|c| c.value)
                .collect::<Vec<_>>()
                .join("\n")
                .to_lowercase();
            (table, column, text)
        })
        .collect()
}

/// Where marker `m` is found: (table, column).
fn found(all: &[(String, String, String)], m: &str) -> Vec<(String, String)> {
    all.iter()
        .filter(|(_, _, text)| text.contains(m))
        .map(|(t, c, _)| (t.clone(), c.clone()))
        .collect()
}

fn customer_with_order(app: &TestApp, i: usize) -> Client {
    let m = marker(i);
    // Each customer on their own address (behind the test's "proxy"), as a hundred people
    // would be: the sign-up limits count per address.
    let mut headers = reqwest::header::HeaderMap::new();
    let ip = format!("10.1.{}.{}", i / 250, i % 250 + 1);
    headers.insert("x-forwarded-for", ip.parse().unwrap());
    let client = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    crate::accounts::register_and_verify(
        app,
        &client,
        &format!("Klant {m}"),
        &format!("{m}@example.nl"),
    );
    add_to_cart(app, &client, "rode-rozen-klassiek", "M", &[]);
    let overview = checkout_as_shown(app, &client, &[("card_message", &format!("Voor {m}"))]);
    place_and_pay(app, &client, &overview);
    client
}

#[test]
fn a_restored_backup_brings_back_none_of_the_accounts_erased_after_it() {
    let app = TestApp::spawn_with(|s| {
        s.behind_proxy = Some(true);
        // A hundred orders on one day: more than the demo shop's capacity.
        s.daily_capacity = Some(200);
    });
    let clients: Vec<Client> = (0..100).map(|i| customer_with_order(&app, i)).collect();
    let file = app.data_dir().join("backup-before.db");
    let config = bloei::config::Config::from_settings(app.settings().clone()).unwrap();
    let said = bloei::backup::backup(&config, &file).unwrap();
    assert!(said.contains("erasures.log"), "{said}");
    assert!(file.exists());

    // After the backup: the orders are delivered, 40 customers erase their account, and more
    // orders come in.
    diesel::update(orders::table)
        .set(orders::status.eq("delivered"))
        .execute(&mut *app.conn())
        .unwrap();
    for client in &clients[..40] {
        let done = send(
            &app,
            client,
            "/account/verwijderen",
            &[("password", PASSWORD)],
        );
        assert_eq!(done.status(), 200, "erased");
    }
    for client in &clients[40..45] {
        add_to_cart(&app, client, "rode-rozen-klassiek", "M", &[]);
        let overview = checkout_as_shown(&app, client, &[]);
        place_and_pay(&app, client, &overview);
    }
    // The confirmations of the erasures forget their address once sent.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while outbox::table
        .filter(outbox::status.ne("sent"))
        .count()
        .get_result::<i64>(&mut *app.conn())
        .unwrap()
        > 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker sends the mail"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let all = everything(&app);
    assert_eq!(found(&all, &marker(3)), vec![], "erased before the restore");

    let app = app.restart_after(|config| {
        let said = bloei::backup::restore(config, &file).unwrap();
        assert!(said.contains("40 account(s)"), "{said}");
    });
    let all = everything(&app);
    for i in 0..40 {
        assert_eq!(found(&all, &marker(i)), vec![], "customer {i} came back");
    }
    for i in 40..100 {
        let m = marker(i);
        let places = found(&all, &m);
        for (table, column) in [
            ("customers", "name"),
            ("customers", "email"),
            ("orders", "card_message"),
        ] {
            assert!(
                places.contains(&(table.to_owned(), column.to_owned())),
                "customer {i}'s {table}.{column} is intact: {places:?}"
            );
        }
    }
    let accounts: i64 = customers::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(accounts, 60);
    let kept_orders: i64 = orders::table
        .filter(orders::customer_id.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(kept_orders, 60, "one order each, as in the backup");
    // The shop serves the restored data.
    assert_eq!(app.get("/").status(), 200);
}

#[test]
fn files_that_are_not_whole_bloei_backups_are_refused_and_nothing_changes() {
    let app = TestApp::spawn();
    customer_with_order(&app, 1);
    let dir = app.data_dir().to_owned();
    let good = dir.join("good.db");
    let config = bloei::config::Config::from_settings(app.settings().clone()).unwrap();
    bloei::backup::backup(&config, &good).unwrap();
    let again = bloei::backup::backup(&config, &good)
        .unwrap_err()
        .to_string();
    assert!(again.contains("exists already"), "{again}");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(dir.join("truncated.db"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(dir.join("text.db"), "Dit is geen back-up.").unwrap();
    let mut refused = vec![
        ("text.db", "is not a Bloei backup"),
        ("missing.db", "does not exist"),
    ];
    if matches!(config.database, bloei::db::DatabaseUrl::Sqlite(_)) {
        // A dump cut short is pg_restore's to find; a SQLite copy is checked by Bloei itself.
        let newer = dir.join("newer.db");
        std::fs::copy(&good, &newer).unwrap();
        let mut conn = diesel::SqliteConnection::establish(newer.to_str().unwrap()).unwrap();
        diesel::sql_query(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000099')",
        )
        .execute(&mut conn)
        .unwrap();
        refused.push(("truncated.db", "is damaged or incomplete"));
        refused.push(("newer.db", "newer Bloei"));
    }
    let app = app.restart_after(|config| {
        for (name, says) in refused {
            let error = bloei::backup::restore(config, &dir.join(name))
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{name}: {error}");
            assert_eq!(error.lines().count(), 1, "one sentence: {error}");
        }
    });
    let all = everything(&app);
    assert!(
        !found(&all, &marker(1)).is_empty(),
        "the database is the one from before"
    );
    let leftovers: Vec<String> = std::fs::read_dir(app.data_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring") || n.contains("before-restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_restore_that_stopped_before_its_replay_is_finished_before_the_shop_starts() {
    let app = TestApp::spawn();
    let client = customer_with_order(&app, 7);
    let file = app.data_dir().join("backup.db");
    let config = bloei::config::Config::from_settings(app.settings().clone()).unwrap();
    bloei::backup::backup(&config, &file).unwrap();
    diesel::update(orders::table)
        .set(orders::status.eq("delivered"))
        .execute(&mut *app.conn())
        .unwrap();
    let done = send(
        &app,
        &client,
        "/account/verwijderen",
        &[("password", PASSWORD)],
    );
    assert_eq!(done.status(), 200);
    // The backup's data are put back, and the restore stops (say, the power went) before it
    // replayed: only the mark is left.
    let app = app.restart_after(|config| {
        let taken = {
            let db = bloei::db::Db::connect(&config.database, 1).unwrap();
            let mut conn = db.conn().unwrap();
            bloei::db::meta(&mut conn, bloei::privacy::erasure_log::BACKUP_TAKEN_KEY)
                .unwrap()
                .unwrap()
        };
        match &config.database {
            bloei::db::DatabaseUrl::Sqlite(path) => {
                for suffix in ["-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                std::fs::copy(&file, path).unwrap();
            }
            bloei::db::DatabaseUrl::Postgres(url) => {
                let status = std::process::Command::new("pg_restore")
                    .args([
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                    ])
                    .arg("--dbname")
                    .arg(url)
                    .arg(&file)
                    .status()
                    .unwrap();
                assert!(status.success());
            }
        }
        let db = bloei::db::Db::connect(&config.database, 1).unwrap();
        let mut conn = db.conn().unwrap();
        let back: i64 = customers::table.count().get_result(&mut *conn).unwrap();
        assert_eq!(back, 1, "the backup holds the erased customer");
        bloei::db::set_meta(
            &mut conn,
            bloei::privacy::erasure_log::REPLAY_PENDING_KEY,
            &taken,
        )
        .unwrap();
    });
    // Start-up replayed before the shop took a request.
    let accounts: i64 = customers::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(accounts, 0);
    assert_eq!(found(&everything(&app), &marker(7)), vec![]);
    let pending = bloei::db::meta(
        &mut app.conn(),
        bloei::privacy::erasure_log::REPLAY_PENDING_KEY,
    )
    .unwrap();
    assert_eq!(pending, None, "the mark is cleared");
}
