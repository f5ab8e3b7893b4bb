//! E-mail: the confirmation is queued with the order's confirmation and delivered by the worker;
//! instances never send a message twice; a message waits out an SMTP outage and is delivered
//! when the server is back (through a real SMTP server process on loopback).

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bloei::db::schema::outbox;
use bloei::mail::repo;
use bloei::mail::transport::Mailer;
use bloei::mail::worker::Worker;
use diesel::prelude::*;

use crate::support::{REQUIRE_SERVICES, TestApp};

fn from() -> lettre::message::Mailbox {
    "Flowers by Jennifer <info@flowersbyjennifer.nl>"
        .parse()
        .unwrap()
}

fn queue(app: &TestApp, subject: &str) {
    repo::enqueue(
        &mut app.conn(),
        "ans@example.nl",
        subject,
        "Tekst €",
        "<p>Tekst €</p>",
    )
    .unwrap();
}

fn status_of(app: &TestApp) -> (String, i32, Option<String>) {
    outbox::table
        .select((outbox::status, outbox::attempts, outbox::last_error))
        .first(&mut *app.conn())
        .unwrap()
}

#[test]
fn paying_queues_the_confirmation_in_the_customers_language_and_the_worker_delivers_it() {
    let app = TestApp::spawn();
    let status_url = crate::checkout::order_and_pay(&app);
    let (to, subject, text): (String, String, String) = outbox::table
        .select((outbox::recipient, outbox::subject, outbox::body_text))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(to, "jan@example.nl");
    let year = chrono::Datelike::year(&chrono::Utc::now());
    assert_eq!(
        subject,
        format!("Bevestiging van je bestelling B-{year}-000001")
    );
    for expected in [
        "Beste Jan Jansen,",
        "1 x Klassiek boeket rode rozen (Middel) + Glazen vaas: € 47,90",
        "Bezorgkosten: € 4,95",
        "Totaal te betalen: € 52,85",
        "waarvan btw 9%: € 3,18",
        "waarvan btw 21%: € 2,48",
        "1441 AB Purmerend",
        status_url
            .split_once("/bestelling/")
            .map(|(_, token)| token)
            .unwrap(),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // The app's own worker sends it: an .eml file appears under the data dir.
    let dir = app.data_dir().join("mail");
    let deadline = Instant::now() + Duration::from_secs(15);
    let eml = loop {
        let found = std::fs::read_dir(&dir).ok().and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "eml"))
        });
        if let Some(path) = found {
            break std::fs::read_to_string(path).unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "no mail was written to {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        eml.contains(&format!(
            "Subject: Bevestiging van je bestelling B-{year}-000001"
        )),
        "{eml}"
    );
    assert!(
        eml.contains("To: ans@example.nl") || eml.contains("To: jan@example.nl"),
        "{eml}"
    );
    // The worker records the row as sent just after handing the message over.
    while status_of(&app).0 != "sent" {
        assert!(Instant::now() < deadline, "the outbox row is marked sent");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn two_instances_sending_at_once_send_each_message_once() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    for i in 0..10 {
        queue(&app, &format!("Bericht {i}"));
    }
    let (first, first_sent) = Mailer::memory();
    let (second, second_sent) = Mailer::memory();
    let a = Worker::new(app.db.clone(), first, from());
    let b = Worker::new(app.db.clone(), second, from());
    // Each worker on its own thread and runtime, as two instances would be.
    let runs: Vec<_> = [a, b]
        .into_iter()
        .map(|w| {
            std::thread::spawn(move || actix_web::rt::System::new().block_on(w.send_due()).unwrap())
        })
        .collect();
    let counted: usize = runs.into_iter().map(|r| r.join().unwrap()).sum();
    let in_memory = first_sent.lock().unwrap().len() + second_sent.lock().unwrap().len();
    assert_eq!(in_memory, counted);
    assert_eq!(in_memory, 10, "every message sent exactly once");
    assert!(!first_sent.lock().unwrap().is_empty() || !second_sent.lock().unwrap().is_empty());

    let pending: i64 = outbox::table
        .filter(outbox::status.ne("sent"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(pending, 0);
}

/// A real SMTP server process (aiosmtpd) on a loopback port, printing what it receives.
struct SmtpServer(Child);

impl SmtpServer {
    fn start(port: u16) -> SmtpServer {
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Debugging",
                "stdout",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return SmtpServer(child);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    fn output(mut self) -> String {
        let _ = self.0.kill();
        let mut out = String::new();
        self.0
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let _ = self.0.wait();
        out
    }
}

fn aiosmtpd_available(test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var(REQUIRE_SERVICES).is_ok_and(|v| v == "1") {
            panic!("{test} needs the aiosmtpd package (pip install aiosmtpd)");
        }
        eprintln!(
            "\n*** SKIPPED {test}: python3 -m aiosmtpd is not available (pip install aiosmtpd) ***\n"
        );
    }
    ok
}

#[test]
fn a_message_waits_out_an_smtp_outage_and_arrives_when_the_server_is_back() {
    if !aiosmtpd_available("a_message_waits_out_an_smtp_outage_and_arrives_when_the_server_is_back")
    {
        return;
    }
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    queue(&app, "Bevestiging van je bestelling B-2026-000042");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = Mailer::smtp(&format!("smtp://127.0.0.1:{port}")).unwrap();
    let worker = Worker::new(app.db.clone(), smtp, from());
    let run = |worker: Worker| {
        actix_web::rt::System::new().block_on(async move { worker.send_due().await.unwrap() })
    };

    // The server is down: the attempt fails and the message waits for a later retry.
    assert_eq!(run(worker.clone()), 0);
    let (status, attempts, error) = status_of(&app);
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.is_some());
    let next: chrono::NaiveDateTime = outbox::table
        .select(outbox::next_attempt_at)
        .first(&mut *app.conn())
        .unwrap();
    assert!(next > bloei::db::now(), "retried later, not at once");
    assert_eq!(run(worker.clone()), 0, "not before its retry time");

    // The server comes up and the retry time arrives: the message goes out.
    let server = SmtpServer::start(port);
    diesel::update(outbox::table)
        .set(outbox::next_attempt_at.eq(bloei::db::now()))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(run(worker), 1);
    let received = server.output();
    assert!(
        received.contains("Subject: Bevestiging van je bestelling B-2026-000042"),
        "{received}"
    );
    assert_eq!(status_of(&app).0, "sent");
}

/// The `.eml` files in a mail folder.
fn mail_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_mail_folder_keeps_a_file_only_while_its_outbox_message_holds_content() {
    let app = TestApp::spawn_with(|s| s.worker = Some(false));
    let dir = app.data_dir().join("mail-files");
    let mailer = Mailer::files(dir.clone()).unwrap();
    let worker = Worker::new(app.db.clone(), mailer, from());
    // A file an older version left, named by lettre: no outbox message owns it.
    std::fs::write(
        dir.join("2f0c1e7a-old.eml"),
        "To: oud@example.nl\r\n\r\noud",
    )
    .unwrap();
    queue(&app, "Gewoon bericht");
    repo::enqueue_with(
        &mut app.conn(),
        "gewist@example.nl",
        "Je account is verwijderd",
        "Tekst",
        "<p>Tekst</p>",
        &repo::Extras {
            list_unsubscribe: None,
            erase_after_sending: true,
        },
    )
    .unwrap();
    let sent = actix_web::rt::System::new()
        .block_on(worker.send_due())
        .unwrap();
    assert_eq!(sent, 2);
    let written = mail_files(&dir);
    assert_eq!(written.len(), 3, "{written:?}");
    let erased_file = written
        .iter()
        .find(|n| {
            std::fs::read_to_string(dir.join(n))
                .unwrap()
                .contains("gewist@example.nl")
        })
        .expect("the erasure confirmation was written")
        .clone();

    // Pruned: the forgotten confirmation and the stray file go, the ordinary message stays.
    let pruned = actix_web::rt::System::new()
        .block_on(worker.prune_mail_files())
        .unwrap();
    assert_eq!(pruned, 2);
    let left = mail_files(&dir);
    assert_eq!(left.len(), 1);
    assert_ne!(left[0], erased_file);
    let text = std::fs::read_to_string(dir.join(&left[0])).unwrap();
    assert!(text.contains("ans@example.nl"));

    // Once the outbox row goes (its 30 days, or an erasure), its file goes too.
    diesel::delete(outbox::table)
        .execute(&mut *app.conn())
        .unwrap();
    actix_web::rt::System::new()
        .block_on(worker.prune_mail_files())
        .unwrap();
    assert!(mail_files(&dir).is_empty());
}
