//! The data map and the drift check (P4), and the privacy page generated from the map.

use bloei::privacy::{data_map, drift};
use diesel::RunQueryDsl;

use crate::support::{Page, TestApp};

#[test]
fn the_migrated_schema_matches_the_data_map_exactly() {
    let app = TestApp::spawn();
    let drift = drift::check(&mut app.conn()).unwrap();
    assert!(
        drift.is_empty(),
        "undeclared columns (add them to src/privacy/data_map.rs): {:?}; declared but missing: {:?}",
        drift.undeclared,
        drift.stale
    );
    // The check really read the schema: it found the catalogue's columns.
    let columns = drift::schema_columns(&mut app.conn()).unwrap();
    assert!(columns.contains(&("product_variants".to_owned(), "price_cents".to_owned())));
    assert!(columns.len() >= data_map::declared_columns().len());
}

#[test]
fn the_drift_check_catches_a_column_added_without_a_declaration() {
    let app = TestApp::spawn();
    diesel::sql_query("ALTER TABLE products ADD COLUMN florist_note TEXT")
        .execute(&mut *app.conn())
        .unwrap();
    let drift = drift::check(&mut app.conn()).unwrap();
    assert_eq!(
        drift.undeclared,
        vec![("products".to_owned(), "florist_note".to_owned())]
    );
}

#[test]
fn the_drift_check_catches_a_whole_new_table_holding_personal_data() {
    let app = TestApp::spawn();
    diesel::sql_query(
        "CREATE TABLE newsletter_signups (id BIGINT PRIMARY KEY, email TEXT NOT NULL)",
    )
    .execute(&mut *app.conn())
    .unwrap();
    let drift = drift::check(&mut app.conn()).unwrap();
    assert_eq!(
        drift.undeclared,
        vec![
            ("newsletter_signups".to_owned(), "email".to_owned()),
            ("newsletter_signups".to_owned(), "id".to_owned()),
        ]
    );
}

#[test]
fn the_drift_check_reports_a_declaration_whose_column_is_gone() {
    let app = TestApp::spawn();
    diesel::sql_query("ALTER TABLE categories DROP COLUMN description_en")
        .execute(&mut *app.conn())
        .unwrap();
    let drift = drift::check(&mut app.conn()).unwrap();
    assert_eq!(
        drift.stale,
        vec![("categories".to_owned(), "description_en".to_owned())]
    );
}

#[test]
fn the_privacy_page_lists_every_cookie_and_names_the_supervisory_authority() {
    let app = TestApp::spawn();
    let page = app.page("/privacy", 200);
    assert_eq!(page.text("h1"), "Privacyverklaring");
    let cookies = page.texts("tbody th code");
    for cookie in data_map::COOKIES {
        assert!(
            cookies.contains(&cookie.name.to_owned()),
            "{} missing: {cookies:?}",
            cookie.name
        );
    }
    let text = page.text("main");
    assert!(text.contains("Autoriteit Persoonsgegevens"), "P18");
    assert!(text.contains("info@flowersbyjennifer.nl"));
    // Every kind of personal data the database holds is on the page, with its retention.
    let rows = page.texts("tbody th");
    for column in data_map::PERSONAL_COLUMNS {
        let label = bloei::i18n::Lang::Nl.t(column.category.label_key());
        assert!(
            rows.iter().any(|r| *r == label),
            "{label} is not on the privacy page"
        );
    }
    assert!(
        text.contains("30 dagen na de bezorging"),
        "recipient details retention"
    );
    assert!(text.contains("Zeven jaar (fiscale bewaarplicht)"));
}

#[test]
fn the_privacy_page_exists_in_english() {
    let app = TestApp::spawn();
    let response = app.get_in("/privacy", "en");
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.text("h1"), "Privacy statement");
    assert!(
        page.text("main")
            .contains("Dutch data protection authority")
    );
    assert!(
        page.texts("tbody td")
            .iter()
            .any(|t| t == "Until you close the browser")
    );
}
