//! The test harness: `TestApp` starts the real application (the same route table and middleware
//! as `bloei serve`) on a random port against a fresh database — a temp SQLite file by default,
//! a fresh PostgreSQL database (dropped afterwards) when `TEST_DATABASE_URL` is set.

use std::sync::mpsc;
use std::thread::JoinHandle;

use bloei::config::{Config, Settings};
use bloei::db::{Db, DbConn};
use bloei::startup::{self, Application};
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::blocking::{Client, Response};
use scraper::{Html, Selector};

/// Set by CI: a test that needs a service (PostgreSQL) fails instead of skipping without it.
pub const REQUIRE_SERVICES: &str = "BLOEI_REQUIRE_SERVICES";

/// The PostgreSQL server URL the suite runs on, if any.
pub fn test_database_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

/// A PostgreSQL server URL for tests that compare backends, whichever backend the suite uses.
/// Without one the caller skips loudly, or fails when `BLOEI_REQUIRE_SERVICES` is set.
pub fn postgres_url_or_skip(test: &str) -> Option<String> {
    let url = std::env::var("BLOEI_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(test_database_url);
    if url.is_none() {
        if std::env::var(REQUIRE_SERVICES).is_ok_and(|v| v == "1") {
            panic!("{test} needs PostgreSQL: set BLOEI_TEST_POSTGRES_URL or TEST_DATABASE_URL");
        }
        eprintln!(
            "\n*** SKIPPED {test}: no PostgreSQL (set BLOEI_TEST_POSTGRES_URL or TEST_DATABASE_URL) ***\n"
        );
    }
    url
}

/// A database made for one test and removed afterwards.
pub enum TestDatabase {
    /// A SQLite file inside the test's temp dir (removed with it).
    Sqlite(String),
    /// A PostgreSQL database on the test server.
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDatabase {
    /// A fresh database on the suite's backend.
    pub fn fresh(dir: &std::path::Path) -> TestDatabase {
        match test_database_url() {
            Some(admin) => TestDatabase::fresh_postgres(&admin),
            None => TestDatabase::Sqlite(format!("sqlite://{}", dir.join("test.db").display())),
        }
    }

    /// A fresh PostgreSQL database on the server `admin_url` points at.
    pub fn fresh_postgres(admin_url: &str) -> TestDatabase {
        let name = format!("bloei_test_{}", random_suffix());
        let mut admin = PgConnection::establish(admin_url)
            .unwrap_or_else(|e| panic!("TEST_DATABASE_URL does not answer: {e}"));
        diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .expect("create the test database");
        let base = admin_url.split('?').next().unwrap_or(admin_url);
        let url = match base.rsplit_once('/') {
            Some((server, _)) if server.contains("//") && server != "postgres:/" => {
                format!("{server}/{name}")
            }
            _ => format!("{base}/{name}"),
        };
        TestDatabase::Postgres {
            admin_url: admin_url.to_owned(),
            name,
            url,
        }
    }

    /// The URL the app connects with.
    pub fn url(&self) -> &str {
        match self {
            TestDatabase::Sqlite(url) => url,
            TestDatabase::Postgres { url, .. } => url,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres {
            admin_url, name, ..
        } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            let _ = diesel::sql_query(drop).execute(&mut admin);
        }
    }
}

fn random_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}_{}_{nanos}", std::process::id(), rand::random::<u32>())
}

/// A new visitor: an HTTP client with its own cookie jar that does not follow redirects.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// A running application for one test.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The app's database (same pool the server uses).
    pub db: Db,
    /// The key the app seals personal data with (to read sealed columns in tests).
    pub data_key: bloei::domain::sealed::DataKey,
    /// A client with a cookie jar that does not follow redirects.
    pub client: Client,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    /// The settings it runs with (keys included), for a restart on the same data.
    settings: Settings,
    // Dropped last: the database and the temp dir outlive the server.
    database: Option<TestDatabase>,
    dir: Option<tempfile::TempDir>,
}

impl TestApp {
    /// The app with default settings.
    pub fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {})
    }

    /// The app with settings changed by `change` before start.
    pub fn spawn_with(change: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = TestDatabase::fresh(dir.path());
        TestApp::start(dir, database, change)
    }

    /// The app on a given database (for comparing backends).
    pub fn spawn_on(database: TestDatabase) -> TestApp {
        TestApp::spawn_with_database(database, |_| {})
    }

    /// The app on a given database with settings changed by `change`.
    pub fn spawn_with_database(
        database: TestDatabase,
        change: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        TestApp::start(dir, database, change)
    }

    fn start(
        dir: tempfile::TempDir,
        database: TestDatabase,
        change: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let mut settings = Settings {
            listen: Some("127.0.0.1:0".into()),
            database_url: Some(database.url().to_owned()),
            data_dir: Some(dir.path().to_path_buf()),
            secret_key: Some(bloei::config::generate_key()),
            data_key: Some(bloei::config::generate_key()),
            workers: Some(1),
            db_pool_size: Some(4),
            // Cheap hashing keeps login tests quick; the algorithm stays Argon2id.
            argon2_memory_kib: Some(64),
            argon2_iterations: Some(1),
            ..Settings::default()
        };
        change(&mut settings);
        TestApp::start_with(dir, Some(database), settings)
    }

    /// The settings it runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Stops the server, runs `between` with its configuration (a restore, say) while nothing
    /// holds the database, and starts it again on the same database, folder and keys.
    pub fn restart_after(mut self, between: impl FnOnce(&Config)) -> TestApp {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let (database, dir) = (self.database.take(), self.dir.take());
        let settings = self.settings.clone();
        drop(self);
        let config = Config::from_settings(settings.clone()).expect("valid test configuration");
        between(&config);
        TestApp::start_with(dir.expect("dir"), database, settings)
    }

    /// A second instance of the shop on the same database and keys (its own folder), as a
    /// deployment with several instances runs; it must not outlive this one.
    pub fn second_instance(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings {
            data_dir: Some(dir.path().to_path_buf()),
            ..self.settings.clone()
        };
        TestApp::start_with(dir, None, settings)
    }

    fn start_with(
        dir: tempfile::TempDir,
        database: Option<TestDatabase>,
        settings: Settings,
    ) -> TestApp {
        let config = Config::from_settings(settings.clone()).expect("valid test configuration");
        let data_key =
            bloei::domain::sealed::DataKey::from_material(&config.data_key().expect("data key"));
        let db = startup::prepare_database(&config).expect("database ready");
        let app_db = db.clone();
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(config, app_db).expect("server starts");
                tx.send((app.port(), app.handle())).expect("test waits");
                app.run().await.expect("server runs");
            });
        });
        let (port, handle) = rx.recv().expect("server reported its port");
        let client = browser();
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            db,
            data_key,
            client,
            handle,
            thread: Some(thread),
            settings,
            database,
            dir: Some(dir),
        }
    }

    /// The full URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET with the app's client (cookies kept).
    pub fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().expect("GET")
    }

    /// GET with an `Accept-Language` header.
    pub fn get_in(&self, path: &str, accept_language: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("Accept-Language", accept_language)
            .send()
            .expect("GET")
    }

    /// GET and parse the page, asserting the status.
    pub fn page(&self, path: &str, status: u16) -> Page {
        let response = self.get(path);
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        Page::parse(&response.text().expect("body"))
    }

    /// POST a form with the app's client.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .expect("POST")
    }

    /// The two-step secret of the staff member with this address, unsealed.
    pub fn totp_secret(&self, email: &str) -> Option<String> {
        use bloei::db::schema::staff;
        use diesel::{ExpressionMethods, QueryDsl};
        let sealed: Option<String> = staff::table
            .filter(staff::email.eq(email.to_lowercase()))
            .select(staff::totp_secret)
            .first(&mut *self.conn())
            .expect("staff member");
        sealed.map(|s| {
            self.data_key
                .open(&s, bloei::staff::two_step::SECRET_COLUMN)
                .expect("sealed with the app's key")
        })
    }

    /// The app's database URL (for running `bloei` commands on it).
    pub fn database_url(&self) -> &str {
        self.database.as_ref().expect("database").url()
    }

    /// The app's data directory (mail files land in `mail/` below it).
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.as_ref().expect("dir").path()
    }

    /// A connection to the app's database.
    pub fn conn(&self) -> impl std::ops::DerefMut<Target = DbConn> {
        self.db.conn().expect("database connection")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // `stop` sends the command at once; the thread ends when the server has stopped.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A parsed HTML page with small helpers for what a visitor sees.
pub struct Page {
    /// The document.
    pub html: Html,
}

impl Page {
    /// Parses HTML.
    pub fn parse(source: &str) -> Page {
        Page {
            html: Html::parse_document(source),
        }
    }

    /// Text of every element matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("valid selector");
        self.html
            .select(&sel)
            .map(|e| e.text().collect::<Vec<_>>().join(" "))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// Text of the first element matching `selector`.
    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    /// An attribute of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("valid selector");
        self.html
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    /// How many elements match `selector`.
    pub fn count(&self, selector: &str) -> usize {
        let sel = Selector::parse(selector).expect("valid selector");
        self.html.select(&sel).count()
    }

    /// The page's language (`<html lang>`).
    pub fn lang(&self) -> String {
        self.attrs("html", "lang").pop().unwrap_or_default()
    }

    /// What a browser would send for the form matching `form` as it stands: text and hidden
    /// inputs, text areas, chosen options, ticked boxes (the CSRF token left out: the test's
    /// own post adds it).
    pub fn form_fields(&self, form: &str) -> Vec<(String, String)> {
        let sel = Selector::parse(&format!(
            "{form} input, {form} textarea, {form} select option[selected]"
        ))
        .expect("valid selector");
        let mut fields = Vec::new();
        for element in self.html.select(&sel) {
            let e = element.value();
            let (name, value) = match e.name() {
                "textarea" => (e.attr("name"), element.text().collect::<String>()),
                "option" => {
                    let select = element
                        .ancestors()
                        .filter_map(scraper::ElementRef::wrap)
                        .find(|a| a.value().name() == "select");
                    let name = select.and_then(|s| s.value().attr("name"));
                    (name, e.attr("value").unwrap_or_default().to_owned())
                }
                _ => {
                    let kind = e.attr("type").unwrap_or("text");
                    let ticked = e.attr("checked").is_some();
                    if matches!(kind, "checkbox" | "radio") && !ticked
                        || matches!(kind, "file" | "submit")
                    {
                        continue;
                    }
                    (e.attr("name"), e.attr("value").unwrap_or("on").to_owned())
                }
            };
            if let Some(name) = name.filter(|n| *n != "csrf_token") {
                fields.push((name.to_owned(), value));
            }
        }
        fields
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf_token(&self) -> String {
        self.attrs("input[name=csrf_token]", "value")
            .pop()
            .expect("the page has a form with a CSRF token")
    }
}
