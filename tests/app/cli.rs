//! The command line: clear errors for bad configuration, idempotent migrations and seeding, and
//! the same catalogue from both backends.

use std::process::{Command, Output};

use bloei::catalog::seed;
use bloei::db::schema::products;
use diesel::prelude::*;

use crate::support::{Page, TestApp, TestDatabase, postgres_url_or_skip};

pub(crate) fn bloei(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bloei"));
    command.env_clear().args(args).env("RUST_LOG", "warn");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run bloei")
}

/// Runs `bloei COMMAND` on a test database with its data dir.
fn bloei_on(command: &str, database: &TestDatabase, dir: &tempfile::TempDir) -> Output {
    let data = dir.path().to_str().unwrap();
    bloei(
        &[
            command,
            "--data-dir",
            data,
            "--database-url",
            database.url(),
        ],
        &[],
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_clear_failure(output: &Output, setting: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(err.contains(setting), "names {setting}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "no panic: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
}

#[test]
fn an_unknown_database_url_scheme_exits_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let output = bloei(
        &[
            "migrate",
            "--data-dir",
            data,
            "--database-url",
            "mysql://root@localhost/shop",
        ],
        &[],
    );
    assert_clear_failure(&output, "DATABASE_URL");
    assert!(stderr(&output).contains("mysql"));
}

#[test]
fn an_unreachable_database_exits_with_a_clear_error_and_no_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let output = bloei(
        &["serve", "--data-dir", data],
        &[
            ("DATABASE_URL", "postgres://bloei:geheim@127.0.0.1:1/bloei"),
            ("BLOEI_SECRET_KEY", &bloei::config::generate_key()),
        ],
    );
    assert_clear_failure(&output, "DATABASE_URL");
    assert!(
        !stderr(&output).contains("geheim"),
        "the password is never printed"
    );
}

#[test]
fn an_unwritable_data_dir_exits_with_a_clear_error() {
    let output = bloei(
        &["migrate", "--data-dir", "/proc/bloei-cannot-be-here"],
        &[],
    );
    assert_clear_failure(&output, "BLOEI_DATA_DIR");
}

#[test]
fn a_bad_secret_key_exits_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let output = bloei(
        &["serve", "--data-dir", data],
        &[("BLOEI_SECRET_KEY", "te-kort")],
    );
    assert_clear_failure(&output, "BLOEI_SECRET_KEY");
}

#[test]
fn postgres_without_a_secret_key_exits_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let output = bloei(
        &[
            "serve",
            "--data-dir",
            data,
            "--database-url",
            "postgres://bloei@127.0.0.1:1/x",
        ],
        &[],
    );
    assert_clear_failure(&output, "BLOEI_SECRET_KEY");
}

#[test]
fn a_broken_config_file_exits_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bloei.toml");
    std::fs::write(&file, "listen = 8080\n").unwrap();
    let output = bloei(&["migrate", "--config", file.to_str().unwrap()], &[]);
    assert_clear_failure(&output, "BLOEI_CONFIG");
}

#[test]
fn running_migrations_twice_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(dir.path());
    let first = bloei_on("migrate", &database, &dir);
    assert!(first.status.success(), "{}", stderr(&first));
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert!(
        stdout(&first).contains(&format!("{migrations} migration(s) applied")),
        "{}",
        stdout(&first)
    );
    let second = bloei_on("migrate", &database, &dir);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("0 migration(s) applied"),
        "{}",
        stdout(&second)
    );
}

#[test]
fn migrating_a_running_shops_database_again_keeps_its_data() {
    let app = TestApp::spawn();
    let before: i64 = products::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert!(app.db.migrate().unwrap().is_empty());
    let after: i64 = products::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(app.get("/").status(), 200);
}

#[test]
fn seed_demo_fills_an_empty_catalogue_and_running_it_again_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(dir.path());
    let first = bloei_on("seed-demo", &database, &dir);
    assert!(first.status.success(), "{}", stderr(&first));
    let expected = seed::demo_product_count();
    assert!(
        stdout(&first).contains(&format!("{expected} products")),
        "{}",
        stdout(&first)
    );
    let second = bloei_on("seed-demo", &database, &dir);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(stdout(&second).contains("added 0 categories, 0 occasions and 0 products"));
}

#[test]
fn the_demo_catalogue_is_loaded_once_and_a_florists_deletion_is_not_undone_at_restart() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(dir.path());
    let settings = bloei::config::Settings {
        database_url: Some(database.url().to_owned()),
        data_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let config = bloei::config::Config::from_settings(settings).unwrap();
    let db = bloei::startup::prepare_database(&config).unwrap();
    let count: i64 = products::table
        .count()
        .get_result(&mut *db.conn().unwrap())
        .unwrap();
    assert_eq!(count as usize, seed::demo_product_count());
    // The florist removes every demo product, then the shop restarts.
    diesel::delete(products::table)
        .execute(&mut *db.conn().unwrap())
        .unwrap();
    drop(db);
    let db = bloei::startup::prepare_database(&config).unwrap();
    let count: i64 = products::table
        .count()
        .get_result(&mut *db.conn().unwrap())
        .unwrap();
    assert_eq!(count, 0, "the demo catalogue did not come back");
}

#[test]
fn generate_key_prints_a_key_the_shop_accepts() {
    let output = bloei(&["generate-key"], &[]);
    assert!(output.status.success());
    let key = String::from_utf8(output.stdout).unwrap();
    let app = TestApp::spawn_with(|s| s.secret_key = Some(key.trim().to_owned()));
    assert_eq!(app.get("/").status(), 200);
}

#[test]
fn help_documents_every_setting_with_its_environment_variable() {
    let output = bloei(&["--help"], &[]);
    let help = String::from_utf8_lossy(&output.stdout);
    for setting in [
        "--listen",
        "BLOEI_LISTEN",
        "--database-url",
        "DATABASE_URL",
        "--data-dir",
        "BLOEI_DATA_DIR",
        "BLOEI_SECRET_KEY",
        "BLOEI_CONFIG",
        "serve",
        "migrate",
        "seed-demo",
    ] {
        assert!(help.contains(setting), "{setting} missing from --help");
    }
}

#[test]
fn postgresql_and_sqlite_serve_the_same_catalogue() {
    let Some(pg) = postgres_url_or_skip("postgresql_and_sqlite_serve_the_same_catalogue") else {
        return;
    };
    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = TestApp::spawn_on(TestDatabase::Sqlite(format!(
        "sqlite://{}",
        sqlite_dir.path().join("shop.db").display()
    )));
    let postgres = TestApp::spawn_on(TestDatabase::fresh_postgres(&pg));
    assert_eq!(postgres.db.backend(), bloei::db::Backend::Postgres);
    assert_eq!(sqlite.db.backend(), bloei::db::Backend::Sqlite);
    for path in [
        "/",
        "/categorie/rouwwerk?gelegenheid=rouw",
        "/product/rode-rozen-klassiek",
    ] {
        let from_sqlite = Page::parse(&sqlite.get(path).text().unwrap());
        let from_postgres = Page::parse(&postgres.get(path).text().unwrap());
        assert_eq!(
            from_sqlite.texts("main"),
            from_postgres.texts("main"),
            "{path}"
        );
    }
}

#[test]
fn several_instances_starting_at_once_on_one_database_all_come_up_with_one_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::fresh(dir.path());
    let settings = bloei::config::Settings {
        database_url: Some(database.url().to_owned()),
        data_dir: Some(dir.path().to_path_buf()),
        db_pool_size: Some(2),
        ..Default::default()
    };
    let config = bloei::config::Config::from_settings(settings).unwrap();
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let config = config.clone();
            std::thread::spawn(move || bloei::startup::prepare_database(&config).map(|_| ()))
        })
        .collect();
    for start in starts {
        start.join().unwrap().expect("every instance starts");
    }
    let db = bloei::startup::prepare_database(&config).unwrap();
    let count: i64 = products::table
        .count()
        .get_result(&mut *db.conn().unwrap())
        .unwrap();
    assert_eq!(
        count as usize,
        seed::demo_product_count(),
        "seeded exactly once"
    );
}

#[test]
fn flags_win_over_the_environment_which_wins_over_bloei_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bloei.toml"),
        "database_url = \"sqlite://from-file.db\"\ndata_dir = \"data\"\n",
    )
    .unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_bloei"));
        command
            .env_clear()
            .current_dir(dir.path())
            .arg("migrate")
            .args(args);
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    assert!(
        run(&[], &[]).contains("from-file.db"),
        "bloei.toml in the working directory is read"
    );
    let env = [("DATABASE_URL", "sqlite://from-env.db")];
    assert!(run(&[], &env).contains("from-env.db"));
    assert!(run(&["--database-url", "sqlite://from-flag.db"], &env).contains("from-flag.db"));
    assert!(dir.path().join("data").is_dir(), "data_dir from the file");
}
