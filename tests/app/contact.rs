//! Questions and complaints (P7): the public forms say why they ask each field (P1), refuse bad
//! input with a message per field and keep what was typed; the message lands in the staff
//! queue, support's answer reaches the sender by e-mail and stays in the thread (P14: every
//! look is audited), and a handled message is forgotten a year later (P15).

use bloei::db::schema::{audit_log, contact_messages, contact_replies, orders, outbox};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::accounts::send;
use crate::back_office::page;
use crate::checkout::location;
use crate::order_desk::post_from;
use crate::roles::{Visitor, client_for};
use crate::support::{Page, TestApp, browser};

/// Sends the complaint form as `client`; the response.
fn complain(
    app: &TestApp,
    client: &Client,
    fields: &[(&str, &str)],
) -> reqwest::blocking::Response {
    send(app, client, "/klacht", fields)
}

fn messages(app: &TestApp) -> Vec<(String, String, String, Option<String>, String)> {
    contact_messages::table
        .order(contact_messages::id)
        .select((
            contact_messages::kind,
            contact_messages::status,
            contact_messages::email,
            contact_messages::order_number,
            contact_messages::body,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

fn audited(app: &TestApp, action: &str) -> Vec<String> {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .select(audit_log::subject)
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn a_complaint_about_an_order_reaches_support_whose_answer_goes_to_the_sender_by_mail() {
    let app = TestApp::spawn();
    let (order_id, _) = app.paid_order();
    let number: String = orders::table
        .find(order_id)
        .select(orders::number)
        .first(&mut *app.conn())
        .unwrap();
    let visitor = browser();
    let form = app.page("/klacht", 200);
    for why in ["aan te spreken", "antwoord te sturen", "bevestigingsmail"] {
        assert!(
            form.text(".contact-form form").contains(why),
            "P1: the form says {why}"
        );
    }
    let sent = complain(
        &app,
        &visitor,
        &[
            ("name", "Ans de Vries"),
            ("email", "Ans@Example.nl"),
            ("order_number", &number.to_lowercase()),
            ("message", "De rozen waren bij aankomst al verwelkt."),
        ],
    );
    assert_eq!(sent.status(), 303);
    assert_eq!(location(&sent), "/contact/verzonden");
    let thanks = Page::parse(
        &visitor
            .get(app.url("/contact/verzonden"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    let id: i64 = contact_messages::table
        .select(contact_messages::id)
        .first(&mut *app.conn())
        .unwrap();
    assert!(
        thanks
            .text("main")
            .contains(&format!("klacht ontvangen onder nummer {id}")),
        "{}",
        thanks.text("main")
    );
    assert_eq!(
        messages(&app),
        vec![(
            "complaint".into(),
            "open".into(),
            "ans@example.nl".into(),
            Some(number.clone()),
            "De rozen waren bij aankomst al verwelkt.".into()
        )]
    );

    let support = client_for(&app, Visitor::Staff(Role::Support));
    let queue = page(&app, &support, "/medewerkers/berichten");
    assert!(queue.text("table.messages").contains("Ans de Vries"));
    assert_eq!(audited(&app, "messages_view"), vec!["messages:open"]);
    let path = format!("/medewerkers/berichten/{id}");
    let thread = page(&app, &support, &path);
    assert!(thread.text(".thread").contains("al verwelkt"));
    assert_eq!(
        thread.attrs(".message-facts a", "href"),
        vec![format!("/medewerkers/bestellingen/{order_id}")],
        "the complaint links to its order"
    );
    assert_eq!(audited(&app, "message_view"), vec![format!("message:{id}")]);

    // An empty answer is refused; nothing is sent.
    let empty = post_from(
        &app,
        &support,
        &path,
        &format!("{path}/antwoord"),
        &[("answer", "  ")],
    );
    assert_eq!(empty, 422);
    let nothing: i64 = outbox::table
        .filter(outbox::recipient.eq("ans@example.nl"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(nothing, 0);
    let answer = "Wat vervelend! We bezorgen morgen een nieuw boeket.";
    let answered = post_from(
        &app,
        &support,
        &path,
        &format!("{path}/antwoord"),
        &[("answer", answer)],
    );
    assert_eq!(answered, 303);
    let mail: (String, String, String) = outbox::table
        .filter(outbox::recipient.eq("ans@example.nl"))
        .select((outbox::subject, outbox::body_text, outbox::body_html))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        mail.0,
        format!("Antwoord op je bericht aan Flowers by Jennifer (nr. {id})")
    );
    assert!(mail.1.contains("Beste Ans de Vries,"), "{}", mail.1);
    assert!(mail.1.contains(answer), "{}", mail.1);
    assert!(
        mail.1
            .contains("> De rozen waren bij aankomst al verwelkt."),
        "the mail quotes the complaint: {}",
        mail.1
    );
    assert!(mail.2.contains(answer));
    let thread = page(&app, &support, &path);
    assert!(
        thread.text(".thread-reply").contains(answer),
        "the thread keeps the answer"
    );
    assert!(thread.text(".message-facts").contains("Beantwoord"));
    assert_eq!(
        audited(&app, "message_answer"),
        vec![format!("message:{id}")]
    );

    // Closed, it leaves the open queue and can be found under "closed".
    let closed = post_from(
        &app,
        &support,
        &path,
        &format!("{path}/status"),
        &[("status", "closed")],
    );
    assert_eq!(closed, 303);
    assert_eq!(messages(&app)[0].1, "closed");
    let open = page(&app, &support, "/medewerkers/berichten");
    assert_eq!(open.count("tr.message-row"), 0);
    assert!(open.text("main").contains("geen berichten"));
    let all = page(&app, &support, "/medewerkers/berichten?status=closed");
    assert_eq!(all.count("tr.message-row"), 1);
    assert_eq!(
        support
            .get(app.url("/medewerkers/berichten?status=weg"))
            .send()
            .unwrap()
            .status(),
        400
    );
}

#[test]
fn a_logged_in_customer_finds_name_and_address_filled_in_and_the_question_linked_to_the_account() {
    let app = TestApp::spawn();
    let client = browser();
    crate::accounts::register_and_verify(&app, &client, "Lot Kok", "lot@example.nl");
    let form = Page::parse(
        &client
            .get(app.url("/contact"))
            .send()
            .unwrap()
            .text()
            .unwrap(),
    );
    assert_eq!(form.attrs("#name", "value"), vec!["Lot Kok"]);
    assert_eq!(form.attrs("#email", "value"), vec!["lot@example.nl"]);
    assert_eq!(
        form.count("#order_number"),
        0,
        "a question asks no order number"
    );
    let sent = send(
        &app,
        &client,
        "/contact",
        &[
            ("name", "Lot Kok"),
            ("email", "lot@example.nl"),
            ("message", "Bezorgen jullie ook op zondag?"),
        ],
    );
    assert_eq!(sent.status(), 303);
    let customer: Option<i64> = contact_messages::table
        .select(contact_messages::customer_id)
        .first(&mut *app.conn())
        .unwrap();
    assert!(customer.is_some());
    let my_data = crate::self_service::app_page(&app, &client, "/account/mijn-gegevens");
    assert!(
        my_data
            .text("main")
            .contains("Bezorgen jullie ook op zondag?"),
        "the question is part of the customer's data (P13)"
    );
}

#[test]
fn bad_input_gets_a_message_per_field_keeps_what_was_typed_and_stores_nothing() {
    let app = TestApp::spawn();
    let visitor = browser();
    let empty = complain(&app, &visitor, &[]);
    assert_eq!(empty.status(), 422);
    let page = Page::parse(&empty.text().unwrap());
    assert_eq!(
        page.attrs(".error-summary a", "href"),
        vec!["#name", "#email", "#message"],
        "the summary links to each field to fix"
    );
    assert!(page.text("#name-error").contains("Vul dit veld in"));

    let letter = "Lange klacht. ".repeat(7_500);
    let injection = "ans@example.nl\r\nBcc: iedereen@example.nl";
    let refused = complain(
        &app,
        &visitor,
        &[
            ("name", "Ans"),
            ("email", injection),
            ("order_number", "B-2026; DROP TABLE"),
            ("message", &letter),
        ],
    );
    assert_eq!(refused.status(), 422, "a 100 kB letter gets the form back");
    let page = Page::parse(&refused.text().unwrap());
    assert!(
        page.text("#message-error").contains("105000 tekens")
            && page.text("#message-error").contains("hooguit 5000"),
        "the limit is named: {}",
        page.text("#message-error")
    );
    assert!(page.text("#email-error").contains("geldig e-mailadres"));
    assert!(page.text("#order_number-error").contains("B-2026-000123"));
    assert_eq!(
        page.attrs("#name", "value"),
        vec!["Ans"],
        "what was typed is kept"
    );
    assert!(page.text("#message").starts_with("Lange klacht."));
    assert!(messages(&app).is_empty(), "nothing was stored");

    // Control characters are dropped; the rest of the text arrives.
    let sent = complain(
        &app,
        &visitor,
        &[
            ("name", "Ans\u{0}"),
            ("email", "ans@example.nl"),
            ("message", "Kapot\u{7}\u{1b}[31m geleverd"),
        ],
    );
    assert_eq!(sent.status(), 303);
    assert_eq!(messages(&app)[0].4, "Kapot[31m geleverd");
}

#[test]
fn only_support_and_the_owner_open_the_queue() {
    let app = TestApp::spawn();
    for role in [Role::Florist, Role::Courier] {
        let client = client_for(&app, Visitor::Staff(role));
        let status = client
            .get(app.url("/medewerkers/berichten"))
            .send()
            .unwrap()
            .status();
        assert_eq!(status, 403, "{role:?}");
    }
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    page(&app, &owner, "/medewerkers/berichten");
}

#[test]
fn a_handled_message_is_forgotten_a_year_after_its_last_answer_and_an_open_one_waits() {
    let app = TestApp::spawn();
    let visitor = browser();
    for text in ["Oud en gesloten", "Oud maar open", "Net gesloten"] {
        let r = send(
            &app,
            &visitor,
            "/contact",
            &[
                ("name", "Ans"),
                ("email", "ans@example.nl"),
                ("message", text),
            ],
        );
        assert_eq!(r.status(), 303);
    }
    let ids: Vec<i64> = contact_messages::table
        .order(contact_messages::id)
        .select(contact_messages::id)
        .load(&mut *app.conn())
        .unwrap();
    let now = chrono::Utc::now().naive_utc();
    let long_ago = now - chrono::Duration::days(400);
    for (id, status, at) in [
        (ids[0], "closed", long_ago),
        (ids[1], "open", long_ago),
        (ids[2], "closed", now),
    ] {
        diesel::update(contact_messages::table.find(id))
            .set((
                contact_messages::status.eq(status),
                contact_messages::updated_at.eq(at),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    diesel::insert_into(contact_replies::table)
        .values((
            contact_replies::message_id.eq(ids[0]),
            contact_replies::body.eq("Ons antwoord"),
            contact_replies::created_at.eq(long_ago),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let forgotten = bloei::privacy::contact::forget_handled_before(
        &mut app.conn(),
        now - chrono::Duration::days(365),
    )
    .unwrap();
    assert_eq!(forgotten, 1);
    let left: Vec<String> = messages(&app).into_iter().map(|m| m.4).collect();
    assert_eq!(left, vec!["Oud maar open", "Net gesloten"]);
    let replies: i64 = contact_replies::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(replies, 0, "the thread went with its message");
}
