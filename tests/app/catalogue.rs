//! The shop front: listing, filters, category and product pages.

use bloei::db::schema::{categories, products};
use diesel::prelude::*;

use crate::support::TestApp;

fn active_product_names(app: &TestApp, category: Option<&str>) -> Vec<String> {
    let mut conn = app.conn();
    let mut query = products::table
        .inner_join(categories::table)
        .filter(products::active.eq(true))
        .select(products::name_nl)
        .into_boxed();
    if let Some(slug) = category {
        query = query.filter(categories::slug.eq(slug.to_owned()));
    }
    let mut names: Vec<String> = query.load(&mut *conn).unwrap();
    names.sort();
    names
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn the_home_page_lists_every_active_seeded_product_with_a_dutch_price() {
    let app = TestApp::spawn();
    let page = app.page("/", 200);
    let names = sorted(page.texts(".product-card .product-name"));
    let expected = active_product_names(&app, None);
    assert!(
        expected.len() >= 30,
        "the demo catalogue has {} products",
        expected.len()
    );
    assert_eq!(names, expected);
    let prices = page.texts(".product-card .price");
    assert_eq!(prices.len(), expected.len());
    for price in &prices {
        let amount = price.trim_start_matches("vanaf ").trim();
        assert!(amount.starts_with("€ "), "{price}");
        assert!(amount.contains(','), "Dutch decimal comma in {price}");
    }
    let cards = page.texts(".product-card");
    assert!(
        cards
            .iter()
            .any(|c| c.contains("Klassiek boeket rode rozen") && c.contains("vanaf € 24,95")),
        "{cards:?}"
    );
    assert!(
        cards.iter().any(|c| c == "Wenskaart € 2,95"),
        "single-price add-on without 'vanaf'"
    );
    assert_eq!(
        page.count(".product-card img"),
        expected.len(),
        "every product has a photo"
    );
}

#[test]
fn an_inactive_product_is_neither_listed_nor_for_sale() {
    let app = TestApp::spawn();
    let page = app.page("/", 200);
    assert!(
        !page
            .texts(".product-name")
            .contains(&"Zomerboeket zonnebloemen".to_owned())
    );
    app.page("/product/zonnebloemen-zomer", 404);
}

#[test]
fn filtering_by_category_shows_only_that_categorys_products() {
    let app = TestApp::spawn();
    for path in ["/?categorie=planten", "/categorie/planten"] {
        let page = app.page(path, 200);
        assert_eq!(page.text("h1"), "Planten");
        assert_eq!(
            sorted(page.texts(".product-name")),
            active_product_names(&app, Some("planten")),
            "{path}"
        );
        assert_eq!(page.texts(".filters a[aria-current=page]")[0], "Planten");
    }
}

#[test]
fn filtering_by_occasion_shows_only_products_for_that_occasion() {
    let app = TestApp::spawn();
    let page = app.page("/?gelegenheid=rouw", 200);
    assert_eq!(page.text("h1"), "Rouw");
    let names = sorted(page.texts(".product-name"));
    assert_eq!(
        names,
        sorted(
            [
                "Troostboeket wit",
                "Lepelplant (Spathiphyllum)",
                "Rouwboeket wit",
                "Rouwstuk rond wit-groen",
                "Rouwkrans klassiek",
                "Rouwhart rode rozen",
                "Kiststuk langwerpig",
            ]
            .map(String::from)
            .to_vec()
        )
    );
}

#[test]
fn category_and_occasion_filters_combine_and_links_keep_the_other_filter() {
    let app = TestApp::spawn();
    let page = app.page("/categorie/boeketten?gelegenheid=geboorte", 200);
    assert_eq!(
        sorted(page.texts(".product-name")),
        vec![
            "Geboorteboeket blauw".to_owned(),
            "Geboorteboeket roze".to_owned()
        ]
    );
    let links = page.attrs(".filters a", "href");
    assert!(
        links.contains(&"/categorie/planten?gelegenheid=geboorte".to_owned()),
        "{links:?}"
    );
    assert!(
        links.contains(&"/categorie/boeketten?gelegenheid=liefde".to_owned()),
        "{links:?}"
    );
    // Following a filter link works without JavaScript: it is a plain link to a page.
    let plants = app.page("/categorie/planten?gelegenheid=geboorte", 200);
    assert_eq!(
        plants.texts(".product-name"),
        vec!["Witte orchidee (Phalaenopsis)".to_owned()]
    );
}

#[test]
fn a_filter_without_matches_says_so_and_offers_everything() {
    let app = TestApp::spawn();
    let page = app.page("/categorie/extras?gelegenheid=rouw", 200);
    assert_eq!(page.count(".product-card"), 0);
    assert!(page.text(".empty").contains("Er zijn geen producten"));
}

#[test]
fn an_unknown_category_or_occasion_is_a_404_not_an_empty_page() {
    let app = TestApp::spawn();
    app.page("/categorie/bestaat-niet", 404);
    app.page("/?categorie=bestaat-niet", 404);
    app.page("/?gelegenheid=bestaat-niet", 404);
}

#[test]
fn the_product_page_shows_sizes_with_prices_vat_and_add_ons() {
    let app = TestApp::spawn();
    let page = app.page("/product/rode-rozen-klassiek", 200);
    assert_eq!(page.text("h1"), "Klassiek boeket rode rozen");
    assert_eq!(
        page.texts(".size-option"),
        vec![
            "Klein 10 rozen, ca. 40 cm € 24,95",
            "Middel 15 rozen, ca. 50 cm € 34,95",
            "Groot 25 rozen, ca. 60 cm € 49,95"
        ]
    );
    assert_eq!(
        page.count("input[name=size][checked]"),
        0,
        "the customer picks a size"
    );
    assert!(page.texts(".note").iter().any(|n| n.contains("9% btw")));
    let addons = page.texts(".addon");
    assert_eq!(
        addons,
        vec!["Glazen vaas € 12,95", "Wenskaart € 2,95", "Bonbons € 9,95"]
    );
    assert_eq!(page.texts(".breadcrumb li")[1], "Boeketten");
    let occasions = page.texts(".product-info .chips a");
    assert_eq!(occasions, vec!["Verjaardag", "Liefde"]);
}

#[test]
fn funeral_work_shows_standard_vat_and_its_lead_time() {
    let app = TestApp::spawn();
    let page = app.page("/product/rouwkrans-klassiek", 200);
    let notes = page.texts(".note");
    assert!(notes.iter().any(|n| n.contains("21% btw")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("2 dagen")), "{notes:?}");
    assert_eq!(page.texts(".addon"), vec!["Wenskaart € 2,95"]);
}

#[test]
fn english_pages_show_english_names_and_english_prices() {
    let app = TestApp::spawn();
    let response = app.get_in("/product/rode-rozen-klassiek", "en-GB,en;q=0.9");
    assert_eq!(response.status(), 200);
    let page = crate::support::Page::parse(&response.text().unwrap());
    assert_eq!(page.lang(), "en");
    assert_eq!(page.text("h1"), "Classic red rose bouquet");
    assert_eq!(
        page.texts(".size-option"),
        vec![
            "Small 10 roses, about 40 cm €24.95",
            "Medium 15 roses, about 50 cm €34.95",
            "Large 25 roses, about 60 cm €49.95"
        ]
    );
    assert!(page.texts(".note").iter().any(|n| n.contains("9% VAT")));
}

#[test]
fn a_category_page_describes_the_category() {
    let app = TestApp::spawn();
    let page = app.page("/categorie/rouwwerk", 200);
    assert_eq!(page.text("h1"), "Rouwwerk");
    assert!(!page.text(".lead").is_empty());
    assert_eq!(page.count(".product-card"), 5);
}

#[test]
fn a_catalogue_change_shows_on_the_shop_front_once_the_cache_time_has_passed() {
    let app = TestApp::spawn_with(|s| s.catalogue_cache_ms = Some(300));
    assert!(
        app.page("/", 200)
            .texts(".product-name")
            .contains(&"Monstera".to_owned())
    );
    diesel::update(products::table.filter(products::slug.eq("monstera")))
        .set(products::name_nl.eq("Gatenplant"))
        .execute(&mut *app.conn())
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let names = app.page("/", 200).texts(".product-name");
    assert!(names.contains(&"Gatenplant".to_owned()), "{names:?}");
    assert_eq!(app.page("/product/monstera", 200).text("h1"), "Gatenplant");
}

#[test]
fn without_a_cache_every_page_reads_the_database() {
    let app = TestApp::spawn_with(|s| s.catalogue_cache_ms = Some(0));
    app.page("/product/monstera", 200);
    diesel::update(products::table.filter(products::slug.eq("monstera")))
        .set(products::active.eq(false))
        .execute(&mut *app.conn())
        .unwrap();
    app.page("/product/monstera", 404);
    assert!(
        !app.page("/", 200)
            .texts(".product-name")
            .contains(&"Monstera".to_owned())
    );
}
