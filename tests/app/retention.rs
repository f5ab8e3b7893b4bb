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

/// Issues the invoices of `month` as if it were `today`.
fn invoice(app: &TestApp, month: &str, today: chrono::NaiveDate) {
    let config = bloei::config::Config::from_settings(app.settings().clone()).unwrap();
    let mail = bloei::mail::messages::MailContext::of(&config);
    let month = bloei::business::invoice::Month::parse(month).unwrap();
    bloei::business::invoice::issue_month(&mut app.conn(), month, &config.shop, today, &mail)
        .unwrap()
        .unwrap();
}

fn deliver_on(app: &TestApp, id: i64, day: chrono::NaiveDate) {
    diesel::update(orders::table.find(id))
        .set((
            orders::delivery_date.eq(day),
            orders::status.eq("delivered"),
        ))
        .execute(&mut *app.conn())
        .unwrap();
}

#[test]
fn orders_and_invoices_go_seven_years_after_their_year_and_a_company_with_nothing_left_goes_too() {
    use bloei::db::schema::{companies, company_users, invoices};
    use chrono::{Datelike, NaiveDate};
    let app = TestApp::spawn();
    let year = chrono::Utc::now().year();
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // A consumer's order eight years ago (placed first: the helper reads the only order).
    let (consumer, _) = app.paid_order();
    deliver_on(&app, consumer, day(year - 8, 12, 31));
    // Kantoor Oud: one order eight years ago, invoiced then, and one in the oldest kept year.
    let old = crate::business::company_admin(&app, "Kantoor Oud", "oud@example.nl", None);
    crate::business::approve_all(&app);
    let gone = crate::business::order_on_account(&app, &old, "PO-OUD");
    deliver_on(&app, gone, day(year - 8, 6, 10));
    invoice(&app, &format!("{}-06", year - 8), day(year - 8, 7, 2));
    let kept = crate::business::order_on_account(&app, &old, "PO-NU");
    deliver_on(&app, kept, day(year - 7, 1, 15));
    invoice(&app, &format!("{}-01", year - 7), day(year - 7, 2, 2));
    let count = |app: &TestApp| -> (i64, i64, i64) {
        let mut conn = app.conn();
        (
            orders::table.count().get_result(&mut *conn).unwrap(),
            invoices::table.count().get_result(&mut *conn).unwrap(),
            companies::table.count().get_result(&mut *conn).unwrap(),
        )
    };
    assert_eq!(count(&app), (3, 2, 1));

    let now = bloei::db::now();
    let dry = sweep(&app, now, false);
    assert_eq!(
        (
            dry.orders_removed,
            dry.invoices_removed,
            dry.companies_removed
        ),
        (2, 1, 0)
    );
    assert_eq!(count(&app), (3, 2, 1), "a dry run changes nothing");
    let done = sweep(&app, now, true);
    assert_eq!(
        (
            done.orders_removed,
            done.invoices_removed,
            done.companies_removed
        ),
        (2, 1, 0)
    );
    let left: Vec<i64> = orders::table
        .select(orders::id)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(left, [kept], "the order still in its fiscal period stays");
    // A recent invoice still cannot be deleted by hand: the database refuses it.
    assert!(
        diesel::delete(invoices::table)
            .execute(&mut *app.conn())
            .is_err()
    );

    // Once its last member has gone and its last records are past the period, the company's
    // name, KvK number and address go as well.
    diesel::delete(company_users::table)
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(
        sweep(&app, now, true).companies_removed,
        0,
        "its invoice is kept"
    );
    let in_nine_years = now + Duration::days(365 * 9);
    let later = sweep(&app, in_nine_years, false);
    assert_eq!(
        (
            later.orders_removed,
            later.invoices_removed,
            later.companies_removed
        ),
        (1, 1, 1),
        "the dry run nine years on counts the last order, its invoice and the company"
    );
}
