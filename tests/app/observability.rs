//! What the operator sees: liveness and readiness probes, JSON logs without personal data,
//! Prometheus metrics on their own listener that count exactly what was served, and
//! `bloei check-config` with secrets hidden. The log and metrics tests run the real `bloei`
//! binary, as production does.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::blocking::Client;

use diesel::RunQueryDsl;

use crate::cli::bloei;
use crate::support::TestApp;
use crate::web::set_cookie;

/// A free port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `bloei serve` on a fresh data dir with `env`; returns the process and its base URL once
/// `/healthz` answers.
pub(crate) fn serve(dir: &tempfile::TempDir, env: &[(&str, &str)]) -> (Child, String) {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_bloei"));
    command
        .env_clear()
        .env("RUST_LOG", "info")
        .args([
            "serve",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let server = command.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    for _ in 0..150 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .is_ok_and(|r| r.status() == 200)
        {
            return (server, base);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = stop(server);
    panic!("the server did not come up: {log}");
}

/// Stops the server and returns what it logged.
pub(crate) fn stop(mut server: Child) -> String {
    server.kill().unwrap();
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    server.wait().unwrap();
    log
}

fn no_redirects() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[test]
fn json_logs_parse_carry_request_id_route_status_and_latency_and_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let (server, base) = serve(&dir, &[("BLOEI_LOG_FORMAT", "json")]);
    let client = no_redirects();
    let product = client
        .get(format!(
            "{base}/product/rode-rozen-klassiek?naam=Jan+Jansen&email=jan%40example.nl"
        ))
        .header("X-Forwarded-For", "203.0.113.7")
        .send()
        .unwrap();
    let login_first = client.get(format!("{base}/account")).send().unwrap();
    let missing = client
        .get(format!("{base}/klant/jan@example.nl"))
        .send()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let log = stop(server);
    assert_eq!(product.status(), 200);
    assert_eq!(
        login_first.status(),
        303,
        "the account asks to log in first"
    );
    assert_eq!(missing.status(), 404);

    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let finished = |route: &str, status: u64| {
        lines.iter().any(|l| {
            l["message"] == "finished"
                && l["span"]["route"] == route
                && l["status"] == status
                && l["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0)
                && l["span"]["request_id"]
                    .as_str()
                    .is_some_and(|id| !id.is_empty())
                && l["level"] == "INFO"
        })
    };
    assert!(finished("/product/{slug}", 200), "{log}");
    assert!(finished("/account", 303), "{log}");
    assert!(finished("(unmatched)", 404), "{log}");
    assert!(
        lines.iter().all(|l| l["level"] != "ERROR"),
        "a redirect to the login page or a 404 is no error:\n{log}"
    );
    for personal in [
        "Jansen",
        "jan@example.nl",
        "jan%40example.nl",
        "203.0.113.7",
        "rode-rozen-klassiek?",
    ] {
        assert!(!log.contains(personal), "{personal} in the log:\n{log}");
    }
}

/// The value of one sample line of the Prometheus text, e.g. `name{a="b"}`.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        let (name, value) = line.rsplit_once(' ')?;
        (name == series).then(|| value.parse().ok())?
    })
}

#[test]
fn metrics_on_their_own_listener_count_every_request_by_route_and_status_without_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let metrics_listen = format!("127.0.0.1:{metrics_port}");
    let (server, base) = serve(&dir, &[("BLOEI_METRICS_LISTEN", &metrics_listen)]);
    let client = no_redirects();
    for _ in 0..25 {
        assert_eq!(client.get(format!("{base}/")).send().unwrap().status(), 200);
    }
    for _ in 0..7 {
        let url = format!("{base}/product/monstera?email=jan%40example.nl");
        assert_eq!(client.get(url).send().unwrap().status(), 200);
    }
    for _ in 0..3 {
        let url = format!("{base}/klant/jan@example.nl");
        assert_eq!(client.get(url).send().unwrap().status(), 404);
    }
    let public = client.get(format!("{base}/metrics")).send().unwrap();
    assert_eq!(
        public.status(),
        404,
        "metrics are never on the shop's address"
    );
    let scraped = client
        .get(format!("http://{metrics_listen}/metrics"))
        .send()
        .unwrap();
    assert_eq!(scraped.status(), 200);
    let text = scraped.text().unwrap();
    let _ = stop(server);

    let requests = |route: &str, status: u16| {
        sample(
            &text,
            &format!(
                "bloei_http_requests_total{{method=\"GET\",route=\"{route}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("/", 200), Some(25.0), "{text}");
    assert_eq!(requests("/product/{slug}", 200), Some(7.0), "{text}");
    // The 404 for /metrics on the public listener is one of these.
    assert_eq!(requests("(unmatched)", 404), Some(4.0), "{text}");
    assert!(
        requests("/healthz", 200).is_some_and(|n| n >= 1.0),
        "the start-up probe counts too"
    );
    assert_eq!(
        sample(
            &text,
            "bloei_http_request_duration_seconds_count{method=\"GET\",route=\"/\",status=\"200\"}"
        ),
        Some(25.0),
        "{text}"
    );
    for gauge in [
        "bloei_db_pool_connections{state=\"idle\"}",
        "bloei_db_pool_connections{state=\"in_use\"}",
        "bloei_outbox_pending",
        "bloei_outbox_given_up",
        "bloei_outbox_oldest_age_seconds",
        "bloei_catalogue_cache_age_seconds",
        "bloei_db_pool_wait_seconds_count",
    ] {
        assert!(sample(&text, gauge).is_some(), "{gauge} missing:\n{text}");
    }
    assert!(
        text.contains("bloei_job_runs_total{job=\"outbox\",outcome=\"ok\"}"),
        "{text}"
    );
    for personal in ["jan", "example.nl", "monstera?"] {
        assert!(!text.contains(personal), "{personal} in the metrics");
    }
}

#[test]
fn check_config_prints_the_effective_settings_with_every_secret_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let key = bloei::config::generate_key();
    let output = bloei(
        &["check-config", "--data-dir", data],
        &[
            (
                "DATABASE_URL",
                "postgres://bloei:geheim-wachtwoord@db.internal/bloei",
            ),
            ("BLOEI_SECRET_KEY", &key),
            ("BLOEI_DATA_KEY", &key),
            (
                "BLOEI_SMTP_URL",
                "smtps://mailer:smtp-wachtwoord@mail.example.nl",
            ),
            (
                "BLOEI_MOLLIE_API_KEY",
                "test_abcdefghijklmnopqrstuvwxyz0123",
            ),
            ("BLOEI_METRICS_LISTEN", "10.0.0.5:9464"),
        ],
    );
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "DATABASE_URL",
        "BLOEI_METRICS_LISTEN",
        "BLOEI_SECRET_KEY",
        "BLOEI_SMTP_URL",
        "BLOEI_MOLLIE_API_KEY",
    ] {
        assert!(out.contains(line), "{line} is listed:\n{out}");
    }
    assert!(out.contains("10.0.0.5:9464"));
    assert!(out.contains("db.internal/bloei"));
    assert!(out.contains("mail.example.nl"));
    assert!(out.contains("set, test (hidden)"));
    for secret in [
        "geheim-wachtwoord",
        "smtp-wachtwoord",
        "abcdefghijklmnopqrstuvwxyz0123",
        &key[..20],
    ] {
        assert!(!out.contains(secret), "{secret} printed:\n{out}");
    }
    assert!(out.ends_with("The configuration is valid.\n"), "{out}");

    // On PostgreSQL the keys are required: the check says so and fails.
    let output = bloei(
        &["check-config", "--data-dir", data],
        &[("DATABASE_URL", "postgres://bloei@db.internal/bloei")],
    );
    assert!(!output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("NOT SET (required on PostgreSQL)"), "{out}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("BLOEI_SECRET_KEY"),
        "names the setting to fix"
    );
}

#[test]
fn healthz_answers_200_while_the_process_serves_even_without_a_database_connection() {
    let app = TestApp::spawn_with(|s| s.db_pool_size = Some(1));
    let held = app.db.pool().get().unwrap();
    let response = app.get("/healthz");
    assert_eq!(
        response.status(),
        200,
        "liveness asks nothing of the database"
    );
    assert_eq!(response.text().unwrap(), "ok");
    let head = app.client.head(app.url("/healthz")).send().unwrap();
    assert_eq!(head.status(), 200, "load balancers may ask with HEAD");
    drop(held);
}

#[test]
fn readyz_answers_200_when_the_database_is_current_and_the_outbox_moves() {
    let app = TestApp::spawn();
    let response = app.get("/readyz");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().unwrap(), "ready");
    let head = app.client.head(app.url("/readyz")).send().unwrap();
    assert_eq!(head.status(), 200);
}

#[test]
fn readyz_answers_503_when_no_database_connection_can_be_had() {
    let app = TestApp::spawn_with(|s| s.db_pool_size = Some(2));
    let held: Vec<_> = (0..2).map(|_| app.db.pool().get().unwrap()).collect();
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let response = client.get(app.url("/readyz")).send().unwrap();
    assert_eq!(response.status(), 503);
    assert!(response.text().unwrap().starts_with("database: "));
    drop(held);
    assert_eq!(
        app.get("/readyz").status(),
        200,
        "recovers once connections are free"
    );
}

#[test]
fn readyz_answers_503_naming_the_outbox_when_mail_has_been_due_long_and_none_goes_out() {
    use bloei::db::schema::outbox;
    use diesel::{ExpressionMethods, QueryDsl};
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    bloei::mail::repo::enqueue(
        &mut app.conn(),
        "iemand@example.nl",
        "Onderwerp",
        "tekst",
        "<p>tekst</p>",
    )
    .unwrap();
    assert_eq!(app.get("/readyz").status(), 200, "just queued is fine");
    diesel::update(outbox::table)
        .set(outbox::next_attempt_at.eq(bloei::db::now() - chrono::Duration::minutes(20)))
        .execute(&mut *app.conn())
        .unwrap();
    let response = app.get("/readyz");
    assert_eq!(response.status(), 503);
    assert_eq!(
        response.text().unwrap(),
        "outbox: the oldest e-mail has been due for 20 minutes"
    );
    // Busy is not stuck: while mail keeps going out (a large newsletter), the shop stays ready.
    bloei::mail::repo::enqueue(&mut app.conn(), "ander@example.nl", "O", "t", "<p>t</p>").unwrap();
    diesel::update(outbox::table.filter(outbox::recipient.eq("ander@example.nl")))
        .set((
            outbox::status.eq("sent"),
            outbox::sent_at.eq(Some(bloei::db::now() - chrono::Duration::minutes(1))),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(app.get("/readyz").status(), 200);
}

#[test]
fn a_health_probe_gets_a_plain_answer_and_no_cookie_even_when_failing() {
    let app = TestApp::spawn_with(|s| s.db_pool_size = Some(1));
    let held = app.db.pool().get().unwrap();
    let response = app.get("/readyz");
    assert_eq!(response.status(), 503);
    assert_eq!(set_cookie(&response, "bloei_session"), None);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.text().unwrap().starts_with("database: "));
    drop(held);
}
