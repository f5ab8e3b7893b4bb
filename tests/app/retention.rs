//! The retention sweep (P15) with a moved clock: an account idle for two years is warned once
//! and erased 30 days later, unless its owner logs in meanwhile; delivered orders lose the
//! recipient's details after the data map's days; old audit entries go; a dry run changes
//! nothing.

use bloei::db::schema::{audit_log, customers, orders, outbox};
use bloei::privacy::erasure_log::ErasureLog;
use bloei::privacy::retention::{Report, Sweep};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::accounts::{PASSWORD, log_in};
use crate::support::{TestApp, browser};

fn sweep(app: &TestApp, now: NaiveDateTime, apply: bool) -> Report {
    let log = ErasureLog::in_dir(app.data_dir());
    let mail = bloei::mail::messages::MailContext {
        public_url: app.url(""),
        shop_name: "Bloei".into(),
    };
    let sweep = Sweep {
        now,
        apply,
        key: &app.data_key,
        log: &log,
        mail: &mail,
    };
    sweep.run(&mut app.conn(), &mut |_, _| {}).unwrap()
}

fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    outbox::table
        .filter(outbox::recipient.eq(to))
        .order(outbox::id)
        .select(outbox::subject)
        .load(&mut *app.conn())
        .unwrap()
}

fn warned_at(app: &TestApp, email: &str) -> Option<Option<NaiveDateTime>> {
    customers::table
        .filter(customers::email.eq(email))
        .select(customers::retention_warned_at)
        .first(&mut *app.conn())
        .optional()
        .unwrap()
}

#[test]
fn an_idle_account_is_warned_once_and_erased_a_month_later_unless_its_owner_logs_in() {
    let app = TestApp::spawn();
    for (name, email) in [
        ("Anna Weg", "weg@example.nl"),
        ("Bob Terug", "terug@example.nl"),
        ("Cor Nieuw", "nieuw@example.nl"),
    ] {
        app.customer(name, email);
    }
    let now = bloei::db::now();
    let long_ago = now - Duration::days(731);
    diesel::update(customers::table.filter(customers::email.ne("nieuw@example.nl")))
        .set((
            customers::created_at.eq(long_ago),
            customers::last_login_at.eq(Some(long_ago)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let mails_before: i64 = outbox::table.count().get_result(&mut *app.conn()).unwrap();

    let dry = sweep(&app, now, false);
    assert_eq!(dry.warned, 2, "{dry:?}");
    assert_eq!(
        warned_at(&app, "weg@example.nl"),
        Some(None),
        "a dry run changes nothing"
    );
    let mails: i64 = outbox::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(mails, mails_before, "and sends nothing");

    assert_eq!(sweep(&app, now, true).warned, 2);
    let warning = subjects_to(&app, "weg@example.nl").pop().unwrap();
    assert!(warning.contains("over 30 dagen verwijderd"), "{warning}");
    assert_eq!(
        warned_at(&app, "nieuw@example.nl"),
        Some(None),
        "recent accounts stay"
    );
    let later = sweep(&app, now + Duration::days(10), true);
    assert_eq!((later.warned, later.erased), (0, 0), "one warning only");
    assert_eq!(
        subjects_to(&app, "weg@example.nl").len(),
        2,
        "confirmation + one warning"
    );

    // Bob comes back within the month.
    let client = browser();
    assert_eq!(
        log_in(&app, &client, "terug@example.nl", PASSWORD).status(),
        303
    );
    let month = sweep(&app, now + Duration::days(31), true);
    assert_eq!((month.erased, month.kept), (1, 1), "{month:?}");
    assert_eq!(
        warned_at(&app, "weg@example.nl"),
        None,
        "Anna's account is erased"
    );
    assert_eq!(
        warned_at(&app, "terug@example.nl"),
        Some(None),
        "Bob's warning is withdrawn"
    );
    assert!(warned_at(&app, "nieuw@example.nl").is_some());
    let erasures = std::fs::read_to_string(app.data_dir().join("erasures.log")).unwrap();
    assert_eq!(
        erasures.lines().count(),
        1,
        "the erasure is in the log outside the database"
    );
    assert!(
        subjects_to(&app, "weg@example.nl")
            .last()
            .unwrap()
            .contains("is verwijderd"),
        "Anna is told"
    );
}

#[test]
fn delivered_orders_lose_the_recipients_details_after_thirty_days_and_old_audit_entries_go() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let now = bloei::db::now();
    diesel::update(orders::table.find(id))
        .set((
            orders::status.eq("delivered"),
            orders::delivery_date.eq((now - Duration::days(31)).date()),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::action.eq("order_view"),
            audit_log::subject.eq(format!("order:{id}")),
            audit_log::created_at.eq(now - Duration::days(800)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let details = || -> (Option<String>, Option<String>, i64) {
        orders::table
            .find(id)
            .select((
                orders::recipient_name,
                orders::card_message,
                orders::total_cents,
            ))
            .first(&mut *app.conn())
            .unwrap()
    };
    let before = details();
    assert!(before.0.is_some() && before.1.is_some());
    let dry = sweep(&app, now, false);
    assert_eq!(
        (dry.orders_stripped, dry.audit_forgotten),
        (1, 1),
        "{dry:?}"
    );
    assert_eq!(details(), before, "a dry run changes nothing");
    let done = sweep(&app, now, true);
    assert_eq!((done.orders_stripped, done.audit_forgotten), (1, 1));
    assert_eq!(
        details(),
        (None, None, before.2),
        "the amounts stay for the tax law"
    );
    let again = sweep(&app, now, true);
    assert_eq!(again.orders_stripped, 0, "nothing left to strip");
    let left: i64 = audit_log::table
        .filter(audit_log::created_at.lt(now - Duration::days(730)))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(left, 0);
}
