//! The role × route matrix (P14): every staff route visited as a visitor without a login and as
//! each staff role, with the answer each must get; and what a refused action leaves unchanged.

use bloei::db::schema::{orders, staff};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;

use crate::staff::{create_staff_as, log_in_with, status_of};
use crate::support::{Page, TestApp, browser};

/// The expected answer for each visitor.
type Cells = [(Visitor, u16); 5];

/// Who visits: a visitor without a login, or a logged-in staff member with this role.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Visitor {
    Anonymous,
    Staff(Role),
}

pub(crate) fn client_for(app: &TestApp, visitor: Visitor) -> Client {
    let client = browser();
    if let Visitor::Staff(role) = visitor {
        let email = format!("{}@example.nl", role.as_str());
        create_staff_as(app, &email, role);
        log_in_with(app, &client, &email);
    }
    client
}

fn csrf(app: &TestApp, client: &Client) -> String {
    Page::parse(&client.get(app.url("/")).send().unwrap().text().unwrap()).csrf_token()
}

/// Puts the order on the run of the courier with this e-mail address.
fn put_on_run(app: &TestApp, id: i64, courier_email: &str) {
    let courier: i64 = staff::table
        .filter(staff::email.eq(courier_email))
        .select(staff::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(orders::table.find(id))
        .set(orders::courier_id.eq(Some(courier)))
        .execute(&mut *app.conn())
        .unwrap();
}

fn set_status(app: &TestApp, id: i64, status: &str) {
    diesel::update(orders::table.find(id))
        .set(orders::status.eq(status))
        .execute(&mut *app.conn())
        .unwrap();
}

/// Moves the order from `from` to `to` as `client`; the answer's status code.
fn try_move(app: &TestApp, client: &Client, id: i64, from: &str, to: &str) -> u16 {
    set_status(app, id, from);
    let token = csrf(app, client);
    client
        .post(app.url(&format!("/medewerkers/bestellingen/{id}/status")))
        .form(&[("to", to), ("csrf_token", &token)])
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn every_staff_route_answers_each_role_as_the_role_table_says() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let board = format!("/medewerkers/productie?datum={date}");
    let ticket = format!("/medewerkers/bestellingen/{id}/werkbon");
    let route = format!("/medewerkers/bezorging?datum={date}");
    // 303 = sent to the login page, 403 = the role may not, 200/303 after a move = done.
    let (anon, owner, florist, courier, support) = (
        Visitor::Anonymous,
        Visitor::Staff(Role::Owner),
        Visitor::Staff(Role::Florist),
        Visitor::Staff(Role::Courier),
        Visitor::Staff(Role::Support),
    );
    let day = format!("/medewerkers/kalender/{date}");
    let tickets = format!("/medewerkers/werkbonnen?datum={date}");
    #[rustfmt::skip]
    let order = format!("/medewerkers/bestellingen/{id}");
    let cancel = format!("/medewerkers/bestellingen/{id}/annuleren");
    let edit = format!("/medewerkers/bestellingen/{id}/wijzigen");
    let pages: [(&str, Cells); 27] = [
        (
            "/medewerkers/bestellingen/nieuw",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        (
            &edit,
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        // The order desk: owner and support (they speak to customers).
        (
            "/medewerkers/bestellingen?q=jansen",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        (
            &order,
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        (
            &cancel,
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        // The catalogue: owner and florist.
        (
            "/medewerkers/catalogus",
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/catalogus/nieuw",
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/catalogus/1",
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/catalogus/1/foto/verwijderen",
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 403),
            ],
        ),
        // Writing newsletters: owner and support.
        (
            "/medewerkers/nieuwsbrief/schrijven",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        // The audit log is the owner's.
        (
            "/medewerkers/auditlog",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        // Staff accounts are the owner's.
        (
            "/medewerkers/team",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/team/1",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/team/1/uitschakelen",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            &tickets,
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 403),
            ],
        ),
        // The start page is every staff member's own.
        (
            "/medewerkers",
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 200),
                (support, 200),
            ],
        ),
        // The calendar and the zones are the owner's.
        (
            "/medewerkers/kalender",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            &day,
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/zones",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/zones/1",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            "/medewerkers/zones/1/verwijderen",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            &board,
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 200),
            ],
        ),
        (
            &ticket,
            [
                (anon, 303),
                (owner, 200),
                (florist, 200),
                (courier, 403),
                (support, 403),
            ],
        ),
        (
            &route,
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 200),
                (support, 403),
            ],
        ),
        // Business clients: support approves them; invoices are the owner's (financial data).
        (
            "/medewerkers/bedrijven",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
        (
            "/medewerkers/facturen",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 403),
            ],
        ),
        // Unsubscribes asked for by phone (P11): owner and support, who speak to customers.
        (
            "/medewerkers/nieuwsbrief",
            [
                (anon, 303),
                (owner, 200),
                (florist, 403),
                (courier, 403),
                (support, 200),
            ],
        ),
    ];
    #[rustfmt::skip]
    let moves: [((&str, &str), Cells); 3] = [
        // Production: the florist's step.
        (("confirmed", "in_production"),
            [(anon, 303), (owner, 303), (florist, 303), (courier, 403), (support, 403)]),
        // Handing it to the courier: the florist's or the courier's.
        (("ready", "out_for_delivery"),
            [(anon, 303), (owner, 303), (florist, 303), (courier, 303), (support, 403)]),
        // What happened at the door: the courier's.
        (("out_for_delivery", "delivered"),
            [(anon, 303), (owner, 303), (florist, 403), (courier, 303), (support, 403)]),
    ];
    let clients: Vec<(Visitor, Client)> = [anon, owner, florist, courier, support]
        .into_iter()
        .map(|v| (v, client_for(&app, v)))
        .collect();
    // The stop is on this courier's run (another courier's stop is refused: see below).
    put_on_run(&app, id, "courier@example.nl");
    let client = |visitor: Visitor| {
        &clients
            .iter()
            .find(|(v, _)| format!("{v:?}") == format!("{visitor:?}"))
            .unwrap()
            .1
    };
    for (path, cells) in pages {
        for (visitor, expected) in cells {
            let status = client(visitor).get(app.url(path)).send().unwrap().status();
            assert_eq!(status.as_u16(), expected, "GET {path} as {visitor:?}");
        }
    }
    // Putting a stop on a run: the owner's alone.
    #[rustfmt::skip]
    let runs: Cells = [(anon, 303), (owner, 303), (florist, 403), (courier, 403), (support, 403)];
    let courier_id: i64 = orders::table
        .find(id)
        .select(orders::courier_id)
        .first::<Option<i64>>(&mut *app.conn())
        .unwrap()
        .unwrap();
    for (visitor, expected) in runs {
        set_status(&app, id, "ready");
        let client = client(visitor);
        let token = csrf(&app, client);
        let status = client
            .post(app.url(&format!("/medewerkers/bestellingen/{id}/koerier")))
            .form(&[
                ("courier", courier_id.to_string().as_str()),
                ("csrf_token", &token),
            ])
            .send()
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, expected, "assigning a run as {visitor:?}");
    }
    for ((from, to), cells) in moves {
        for (visitor, expected) in cells {
            let status = try_move(&app, client(visitor), id, from, to);
            assert_eq!(status, expected, "{from} → {to} as {visitor:?}");
            let now = status_of(&app, id);
            if expected == 303 && !matches!(visitor, Visitor::Anonymous) {
                assert_eq!(now, to, "{from} → {to} as {visitor:?} is done");
            } else {
                assert_eq!(now, from, "{from} → {to} as {visitor:?} changes nothing");
            }
        }
    }
}

#[test]
fn each_role_sees_only_the_links_and_buttons_it_may_use() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    let board = format!("/medewerkers/productie?datum={date}");
    let page = |client: &Client, path: &str| {
        Page::parse(&client.get(app.url(path)).send().unwrap().text().unwrap())
    };
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let seen = page(&support, &board);
    assert_eq!(seen.count("form.moves button"), 0, "support only reads");
    assert_eq!(seen.count("a[href$='/werkbon']"), 0);
    assert_eq!(seen.count("a[href^='/medewerkers/bezorging']"), 0);
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let seen = page(&florist, &board);
    assert!(seen.count("form.moves button") > 0);
    assert_eq!(seen.count("a[href$='/werkbon']"), 1);
    assert_eq!(seen.count("a[href^='/medewerkers/bezorging']"), 0, "P10");
    // The courier starts on the route list: empty until the stop is on their run, then with
    // the step they may take there.
    set_status(&app, id, "ready");
    let courier = client_for(&app, Visitor::Staff(Role::Courier));
    let route = format!("/medewerkers/bezorging?datum={date}");
    assert_eq!(page(&courier, &route).count("li.stop"), 0);
    put_on_run(&app, id, "courier@example.nl");
    let seen = page(&courier, &route);
    assert_eq!(seen.count("a[href^='/medewerkers/productie']"), 0);
    assert_eq!(seen.count("form.run"), 0, "a courier does not assign runs");
    assert_eq!(
        seen.attrs("form.moves button", "value"),
        vec!["out_for_delivery".to_owned()]
    );
}

#[test]
fn each_role_starts_on_its_own_page_after_logging_in() {
    let app = TestApp::spawn();
    for (role, home) in [
        (Role::Courier, "/medewerkers"),
        (Role::Florist, "/medewerkers"),
        (Role::Support, "/medewerkers"),
        (Role::Owner, "/medewerkers"),
    ] {
        let email = format!("{}@example.nl", role.as_str());
        create_staff_as(&app, &email, role);
        let client = browser();
        assert_eq!(log_in_with(&app, &client, &email), home, "{role:?}");
        let landing = client.get(app.url(home)).send().unwrap();
        assert_eq!(landing.status(), 200, "{role:?} may open their start page");
    }
}

#[test]
fn the_owner_puts_stops_on_runs_and_a_courier_sees_and_records_only_their_own() {
    let app = TestApp::spawn();
    let (id, date) = app.paid_order();
    set_status(&app, id, "out_for_delivery");
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let anna = app.staff_member("anna@example.nl", Role::Courier);
    let bram = app.staff_member("bram@example.nl", Role::Courier);
    let route = format!("/medewerkers/bezorging?datum={date}");
    // The owner sees the stop with both couriers to choose from, and puts it on Anna's run.
    let seen = Page::parse(&owner.get(app.url(&route)).send().unwrap().text().unwrap());
    assert_eq!(seen.count("form.run option"), 3, "nobody, Anna, Bram");
    let anna_id: i64 = staff::table
        .filter(staff::email.eq("anna@example.nl"))
        .select(staff::id)
        .first(&mut *app.conn())
        .unwrap();
    let assigned = owner
        .post(app.url(&format!("/medewerkers/bestellingen/{id}/koerier")))
        .form(&[
            ("courier", anna_id.to_string().as_str()),
            ("terug", route.as_str()),
            ("csrf_token", &seen.csrf_token()),
        ])
        .send()
        .unwrap();
    assert_eq!(assigned.status(), 303);
    let count = |client: &Client| {
        Page::parse(&client.get(app.url(&route)).send().unwrap().text().unwrap()).count("li.stop")
    };
    assert_eq!(count(&anna), 1);
    assert_eq!(count(&bram), 0, "not on Bram's run");
    // Bram cannot record Anna's stop; Anna can.
    assert_eq!(
        try_move(&app, &bram, id, "out_for_delivery", "delivered"),
        403
    );
    assert_eq!(status_of(&app, id), "out_for_delivery");
    assert_eq!(
        try_move(&app, &anna, id, "out_for_delivery", "delivered"),
        303
    );
    assert_eq!(status_of(&app, id), "delivered");
    // A delivered stop cannot be put on a run any more.
    let token = csrf(&app, &owner);
    let refused = owner
        .post(app.url(&format!("/medewerkers/bestellingen/{id}/koerier")))
        .form(&[
            ("courier", anna_id.to_string().as_str()),
            ("csrf_token", &token),
        ])
        .send()
        .unwrap();
    assert_eq!(refused.status(), 400);
}

#[test]
fn catalogue_changes_are_the_owners_and_florists_and_a_refused_one_changes_nothing() {
    let app = TestApp::spawn();
    let (anon, owner, florist, courier, support) = (
        Visitor::Anonymous,
        Visitor::Staff(Role::Owner),
        Visitor::Staff(Role::Florist),
        Visitor::Staff(Role::Courier),
        Visitor::Staff(Role::Support),
    );
    let before: (String, chrono::NaiveDateTime) = bloei::db::schema::products::table
        .find(1)
        .select((
            bloei::db::schema::products::name_nl,
            bloei::db::schema::products::updated_at,
        ))
        .first(&mut *app.conn())
        .unwrap();
    // An empty form is refused as invalid (422) to those who may change the catalogue, and as
    // not theirs (403) to the others, before it is read; visitors are sent to the login.
    #[rustfmt::skip]
    let posts: [(&str, Cells); 4] = [
        ("/medewerkers/catalogus/nieuw", [(anon, 303), (owner, 422), (florist, 422), (courier, 403), (support, 403)]),
        ("/medewerkers/catalogus/1", [(anon, 303), (owner, 422), (florist, 422), (courier, 403), (support, 403)]),
        ("/medewerkers/catalogus/1/foto", [(anon, 303), (owner, 422), (florist, 422), (courier, 403), (support, 403)]),
        ("/medewerkers/catalogus/1/foto/verwijderen", [(anon, 303), (owner, 303), (florist, 303), (courier, 403), (support, 403)]),
    ];
    for visitor in [anon, owner, florist, courier, support] {
        let client = client_for(&app, visitor);
        let token = csrf(&app, &client);
        for (path, cells) in &posts {
            let expected = cells
                .iter()
                .find(|(v, _)| format!("{v:?}") == format!("{visitor:?}"))
                .unwrap()
                .1;
            let request = client.post(app.url(path));
            let request = if path.ends_with("/foto") {
                let form = reqwest::blocking::multipart::Form::new()
                    .text("csrf_token", token.clone())
                    .part(
                        "photo",
                        reqwest::blocking::multipart::Part::bytes(Vec::new()),
                    );
                request.multipart(form)
            } else {
                request.form(&[("csrf_token", token.as_str())])
            };
            let status = request.send().unwrap().status().as_u16();
            assert_eq!(status, expected, "POST {path} as {visitor:?}");
        }
    }
    let after: (String, chrono::NaiveDateTime) = bloei::db::schema::products::table
        .find(1)
        .select((
            bloei::db::schema::products::name_nl,
            bloei::db::schema::products::updated_at,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn order_desk_actions_are_refused_to_roles_that_may_not_and_change_nothing() {
    let app = TestApp::spawn();
    let (id, _) = app.paid_order();
    let (anon, owner, florist, courier, support) = (
        Visitor::Anonymous,
        Visitor::Staff(Role::Owner),
        Visitor::Staff(Role::Florist),
        Visitor::Staff(Role::Courier),
        Visitor::Staff(Role::Support),
    );
    let cancel = format!("/medewerkers/bestellingen/{id}/annuleren");
    let retry = format!("/medewerkers/bestellingen/{id}/terugbetalingen/1");
    let undo = format!("/medewerkers/bestellingen/{id}/terugzetten");
    let edit = format!("/medewerkers/bestellingen/{id}/wijzigen");
    let ask = format!("/medewerkers/bestellingen/{id}/verschil");
    let new = "/medewerkers/bestellingen/nieuw";
    let part = format!("/medewerkers/bestellingen/{id}/terugbetalen");
    // Refused ones first (the order stays confirmed), then the owner cancels it.
    #[rustfmt::skip]
    let posts: [(&str, Visitor, u16); 30] = [
        // A phone order: an empty one is refused beside its fields; nothing is placed.
        (new, anon, 303), (new, florist, 403), (new, courier, 403), (new, support, 422),
        // A part refund: an empty amount is refused beside the field.
        (&part, anon, 303), (&part, florist, 403), (&part, courier, 403), (&part, support, 422),
        (&edit, anon, 303), (&edit, florist, 403), (&edit, courier, 403),
        // Support and the owner may: an empty form is refused beside its fields.
        (&edit, support, 422), (&edit, owner, 422),
        // Nothing owed: the request is answered, and no link is made.
        (&ask, anon, 303), (&ask, florist, 403), (&ask, courier, 403), (&ask, support, 303),
        (&cancel, anon, 303), (&cancel, florist, 403), (&cancel, courier, 403),
        (&retry, anon, 303), (&retry, florist, 403), (&retry, courier, 403),
        // A refund that does not exist (yet) is nobody's to send.
        (&retry, support, 404), (&retry, owner, 404),
        // Nothing to undo: the order took no step since it was paid.
        (&undo, florist, 409), (&undo, courier, 409), (&undo, support, 409), (&undo, anon, 303),
        (&cancel, owner, 303),
    ];
    let clients: Vec<(String, Client)> = [anon, owner, florist, courier, support]
        .into_iter()
        .map(|v| (format!("{v:?}"), client_for(&app, v)))
        .collect();
    for (path, visitor, expected) in posts {
        let client = &clients
            .iter()
            .find(|(v, _)| *v == format!("{visitor:?}"))
            .unwrap()
            .1;
        let token = csrf(&app, client);
        let status = client
            .post(app.url(path))
            .form(&[("csrf_token", token.as_str()), ("reden", "test")])
            .send()
            .unwrap()
            .status()
            .as_u16();
        assert_eq!(status, expected, "POST {path} as {visitor:?}");
        let now = status_of(&app, id);
        let cancelled = path == cancel && expected == 303 && !matches!(visitor, Visitor::Anonymous);
        assert_eq!(
            now,
            if cancelled { "cancelled" } else { "confirmed" },
            "{path} as {visitor:?}"
        );
    }
}
