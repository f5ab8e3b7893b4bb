//! Catalogue management in the back office: products, sizes and prices, photos and the change
//! log, as staff and customers see them and as the database holds them.

use std::io::Cursor;

use bloei::db::schema::{
    order_lines, orders, product_photos, product_variants, products, staff_changes,
};
use bloei::staff::model::Role;
use diesel::prelude::*;
use reqwest::blocking::Client;
use reqwest::blocking::multipart::{Form, Part};

use crate::back_office::{page, post};
use crate::roles::{Visitor, client_for};
use crate::support::{Page, TestApp, browser};

/// A new bouquet's form: two sizes on sale, in the bouquets.
pub(crate) fn tulip_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name_nl", "Witte tulpen"),
        ("name_en", "White tulips"),
        ("description_nl", "Een bos witte tulpen uit de regio."),
        ("description_en", ""),
        ("slug", ""),
        ("category", "boeketten"),
        ("vat_rate", "reduced"),
        ("lead_time_days", "0"),
        ("position", "50"),
        ("illustration", "img/products/hollandse-tulpen.svg"),
        ("active", "on"),
        ("s_price", "19,95"),
        ("s_nl", "10 tulpen"),
        ("s_en", "10 tulips"),
        ("s_active", "on"),
        ("m_price", "29,95"),
        ("m_nl", "20 tulpen"),
        ("m_en", ""),
        ("m_active", "on"),
    ]
}

fn with(
    fields: &[(&'static str, &'static str)],
    changes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = fields
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .copied()
        .collect();
    out.extend(changes.iter().filter(|(_, v)| !v.is_empty()).copied());
    out
}

fn product_id(app: &TestApp, slug: &str) -> i64 {
    products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn product_count(app: &TestApp) -> i64 {
    products::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn photo_rows(app: &TestApp) -> i64 {
    product_photos::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// A square-ish test photo in `format`, `width` × `height` pixels.
pub(crate) fn photo(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

/// Uploads `bytes` as the product's photo under the file name `name`; the status and page.
fn upload(app: &TestApp, client: &Client, id: i64, name: &str, bytes: Vec<u8>) -> (u16, Page) {
    let path = format!("/medewerkers/catalogus/{id}");
    let token = page(app, client, &path).csrf_token();
    let form = Form::new()
        .text("csrf_token", token)
        .part("photo", Part::bytes(bytes).file_name(name.to_owned()));
    let response = client
        .post(app.url(&format!("{path}/foto")))
        .multipart(form)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, Page::parse(&response.text().unwrap()))
}

/// Adds the tulips as `client`; their id.
fn add_tulips(app: &TestApp, client: &Client) -> i64 {
    let (status, _) = post(app, client, "/medewerkers/catalogus/nieuw", &tulip_fields());
    assert_eq!(status, 303);
    product_id(app, "witte-tulpen")
}

#[test]
fn a_florist_adds_a_product_with_two_sizes_and_a_photo_and_the_shop_shows_it() {
    let app = TestApp::spawn();
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let id = add_tulips(&app, &florist);
    let (status, _) = upload(
        &app,
        &florist,
        id,
        "tulpen.webp",
        photo(1600, 1200, image::ImageFormat::WebP),
    );
    assert_eq!(status, 303);

    // The shop: the card on the front, and the product page with both sizes and the photo.
    let shopper = browser();
    let front = page(&app, &shopper, "/");
    assert!(
        front
            .texts(".product-card .product-name")
            .contains(&"Witte tulpen".to_owned())
    );
    let seen = page(&app, &shopper, "/product/witte-tulpen");
    assert_eq!(seen.text("h1"), "Witte tulpen");
    let sizes = seen.texts(".size-option");
    assert_eq!(sizes.len(), 2, "{sizes:?}");
    assert!(
        sizes[0].contains("10 tulpen") && sizes[0].contains("19,95"),
        "{sizes:?}"
    );
    assert!(
        sizes[1].contains("20 tulpen") && sizes[1].contains("29,95"),
        "{sizes:?}"
    );
    let src = seen.attrs(".product-image img", "src").remove(0);
    let srcset = seen.attrs(".product-image img", "srcset").remove(0);
    assert!(
        src.starts_with("/fotos/") && src.ends_with("-400.jpg"),
        "{src}"
    );
    assert_eq!(
        srcset.matches("w,").count() + 1,
        3,
        "three widths: {srcset}"
    );
    // The English page falls back to the Dutch size text where none was given.
    let english = Page::parse(&app.get_in("/product/witte-tulpen", "en").text().unwrap());
    assert!(english.texts(".size-option")[1].contains("20 tulpen"));

    // The photo itself: a re-encoded JPEG, cacheable for a year.
    let response = shopper.get(app.url(&src)).send().unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let served = image::load_from_memory(&response.bytes().unwrap()).unwrap();
    assert_eq!((served.width(), served.height()), (400, 400));
    assert_eq!(photo_rows(&app), 3);

    // The change log says who did what.
    let changes: Vec<String> = staff_changes::table
        .filter(staff_changes::subject.eq(format!("product:{id}")))
        .order(staff_changes::id)
        .select(staff_changes::summary)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes[0].starts_with("added: Witte tulpen (S € 19,95, M € 29,95)"),
        "{changes:?}"
    );
    assert!(changes[1].starts_with("photo added"), "{changes:?}");
    let own = page(&app, &florist, &format!("/medewerkers/catalogus/{id}"));
    assert!(own.texts(".changes li")[0].contains("photo added"));
}

#[test]
fn a_price_change_leaves_earlier_orders_unchanged_and_is_logged_on_the_product() {
    let app = TestApp::spawn();
    let (order, _) = app.paid_order();
    let (slug, size, unit): (String, String, i64) = order_lines::table
        .filter(order_lines::order_id.eq(order))
        .select((
            order_lines::product_slug,
            order_lines::size,
            order_lines::unit_price_cents,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let total: i64 = orders::table
        .find(order)
        .select(orders::total_cents)
        .first(&mut *app.conn())
        .unwrap();
    let id = product_id(&app, &slug);
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let path = format!("/medewerkers/catalogus/{id}");
    // The form shows the stored product; only the price of the ordered size changes.
    let form = page(&app, &owner, &path);
    let price_field = format!("{}_price", size.to_lowercase());
    assert_eq!(
        form.attrs(&format!("#{price_field}"), "value"),
        vec![format!("{},{:02}", unit / 100, unit % 100)]
    );
    let mut fields = form.form_fields("form.product-form");
    for (name, value) in &mut fields {
        if *name == price_field {
            *value = "99,00".into();
        }
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let (status, _) = post(&app, &owner, &path, &fields);
    assert_eq!(status, 303);

    let now: i64 = product_variants::table
        .filter(product_variants::product_id.eq(id))
        .filter(product_variants::size.eq(&size))
        .select(product_variants::price_cents)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(now, 9900);
    // The order keeps what was agreed.
    let (kept_unit, kept_total): (i64, i64) = order_lines::table
        .inner_join(orders::table)
        .filter(orders::id.eq(order))
        .select((order_lines::unit_price_cents, orders::total_cents))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((kept_unit, kept_total), (unit, total));
    // The shop shows the new price; the product's log shows the change, the old price and who.
    let shop = page(&app, &browser(), &format!("/product/{slug}"));
    assert!(
        shop.texts(".size-option")
            .iter()
            .any(|s| s.contains("99,00"))
    );
    let log = page(&app, &owner, &path).texts(".changes li");
    let expected = format!("{size} € {},{:02} → € 99,00", unit / 100, unit % 100);
    assert!(log[0].contains(&expected), "{log:?}");
    let who: String = bloei::db::schema::staff::table
        .filter(bloei::db::schema::staff::email.eq("owner@example.nl"))
        .select(bloei::db::schema::staff::name)
        .first(&mut *app.conn())
        .unwrap();
    assert!(log[0].contains(&format!("{who}: ")), "who: {log:?}");
    assert!(!log[0].contains("name:"), "only the price changed: {log:?}");
}

#[test]
fn bad_product_input_is_refused_beside_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let before = product_count(&app);
    // The fields changed, where the message shows, and what it says.
    type Case<'a> = (&'a [(&'static str, &'static str)], &'a str, &'a str);
    let cases: [Case; 8] = [
        (&[("m_price", "0")], "#m_price-error", "€ 0"),
        (&[("m_price", "-5")], "#m_price-error", "negatief"),
        (&[("m_price", "4,955")], "#m_price-error", "komma"),
        (&[("m_price", "veel")], "#m_price-error", ""),
        (&[("name_nl", "")], "#name_nl-error", "naam"),
        (
            &[("slug", "Witte Tulpen!")],
            "#slug-error",
            "kleine letters",
        ),
        (
            &[("one_price", "5,00"), ("one_active", "on")],
            "#sizes-error",
            "niet allebei",
        ),
        (&[("lead_time_days", "30")], "#lead_time_days-error", "14"),
    ];
    for (change, selector, says) in cases {
        let fields = with(&tulip_fields(), change);
        let (status, seen) = post(&app, &owner, "/medewerkers/catalogus/nieuw", &fields);
        assert_eq!(status, 422, "{change:?}");
        let message = seen.text(selector);
        assert!(
            !message.is_empty() && message.contains(says),
            "{change:?}: {message:?}"
        );
        // What was typed stays.
        assert_eq!(
            seen.attrs("#s_price", "value"),
            vec!["19,95".to_owned()],
            "{change:?}"
        );
        assert_eq!(
            seen.count(".flash-error a"),
            1,
            "{change:?}: the summary links to the field"
        );
    }
    assert_eq!(product_count(&app), before, "nothing stored");
    // A URL name in use is refused too.
    add_tulips(&app, &owner);
    let (status, seen) = post(
        &app,
        &owner,
        "/medewerkers/catalogus/nieuw",
        &tulip_fields(),
    );
    assert_eq!(status, 422);
    assert!(seen.text("#slug-error").contains("al een product"));
    assert_eq!(product_count(&app), before + 1);
}

#[test]
fn uploads_that_are_not_usable_photos_are_refused_by_content_and_nothing_changes() {
    let app = TestApp::spawn();
    let florist = client_for(&app, Visitor::Staff(Role::Florist));
    let id = add_tulips(&app, &florist);
    let too_large = {
        let mut bytes = photo(500, 500, image::ImageFormat::Png);
        bytes.resize(13 * 1024 * 1024, 0);
        bytes
    };
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "bloemen.jpg",
            b"Dit is geen foto maar tekst.".to_vec(),
            "geen JPEG",
        ),
        (
            "bloemen.png",
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            "geen JPEG",
        ),
        (
            "klein.png",
            photo(300, 300, image::ImageFormat::Png),
            "te klein",
        ),
        ("groot.png", too_large, "te groot"),
        ("leeg.jpg", Vec::new(), "Kies eerst"),
    ];
    for (name, bytes, says) in cases {
        let (status, seen) = upload(&app, &florist, id, name, bytes);
        assert_eq!(status, 422, "{name}");
        assert!(
            seen.text("#photo-error").contains(says),
            "{name}: {}",
            seen.text("#photo-error")
        );
    }
    assert_eq!(photo_rows(&app), 0);
    let photo_ref: Option<String> = products::table
        .find(id)
        .select(products::photo)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(photo_ref, None);
    // A photo whose name lies (a PNG called .txt) is judged by its content and taken.
    let (status, _) = upload(
        &app,
        &florist,
        id,
        "notities.txt",
        photo(800, 800, image::ImageFormat::Png),
    );
    assert_eq!(status, 303);
    assert_eq!(photo_rows(&app), 2, "400 and 800 wide; never blown up");
}

#[test]
fn an_upload_without_the_pages_token_or_by_another_role_is_refused() {
    let app = TestApp::spawn();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let id = add_tulips(&app, &owner);
    let send = |client: &Client, token: Option<&str>| {
        let mut form = Form::new();
        if let Some(token) = token {
            form = form.text("csrf_token", token.to_owned());
        }
        let form = form.part(
            "photo",
            Part::bytes(photo(500, 500, image::ImageFormat::Png)).file_name("a.png"),
        );
        client
            .post(app.url(&format!("/medewerkers/catalogus/{id}/foto")))
            .multipart(form)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(send(&owner, None), 403);
    assert_eq!(send(&owner, Some("forged")), 403);
    let support = client_for(&app, Visitor::Staff(Role::Support));
    let token = page(&app, &support, "/medewerkers").csrf_token();
    assert_eq!(send(&support, Some(&token)), 403);
    assert_eq!(photo_rows(&app), 0);
}

#[test]
fn taking_a_product_or_a_size_off_sale_removes_it_from_the_shop_until_it_is_back() {
    let app = TestApp::spawn();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let id = add_tulips(&app, &owner);
    let path = format!("/medewerkers/catalogus/{id}");
    let shopper = browser();
    let status = |p: &str| shopper.get(app.url(p)).send().unwrap().status().as_u16();
    // Off sale: gone from the shop, still on the staff list (marked).
    let off = with(&tulip_fields(), &[("active", "")]);
    assert_eq!(post(&app, &owner, &path, &off).0, 303);
    assert_eq!(status("/product/witte-tulpen"), 404);
    assert!(
        !page(&app, &shopper, "/")
            .texts(".product-name")
            .contains(&"Witte tulpen".to_owned())
    );
    let list = page(&app, &owner, "/medewerkers/catalogus");
    assert!(
        list.texts("tr.inactive")
            .iter()
            .any(|row| row.contains("Witte tulpen"))
    );
    // Back on sale with only the small size: the medium keeps its price but is not offered.
    let small_only = with(&tulip_fields(), &[("m_active", "")]);
    assert_eq!(post(&app, &owner, &path, &small_only).0, 303);
    let seen = page(&app, &shopper, "/product/witte-tulpen");
    assert_eq!(seen.count(".size-option"), 1);
    let medium: (i64, bool) = product_variants::table
        .filter(product_variants::product_id.eq(id))
        .filter(product_variants::size.eq("M"))
        .select((product_variants::price_cents, product_variants::active))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(medium, (2995, false));
}

#[test]
fn removing_a_photo_asks_first_then_deletes_its_files_and_the_drawing_shows_again() {
    let app = TestApp::spawn();
    let owner = client_for(&app, Visitor::Staff(Role::Owner));
    let id = add_tulips(&app, &owner);
    assert_eq!(
        upload(
            &app,
            &owner,
            id,
            "a.jpg",
            photo(900, 900, image::ImageFormat::Jpeg)
        )
        .0,
        303
    );
    let src = page(&app, &browser(), "/product/witte-tulpen")
        .attrs(".product-image img", "src")
        .remove(0);
    let path = format!("/medewerkers/catalogus/{id}/foto/verwijderen");
    let question = page(&app, &owner, &path);
    assert!(question.text("main").contains("De foto weghalen?"));
    assert_eq!(photo_rows(&app), 2, "asking changes nothing");
    let (status, _) = post(&app, &owner, &path, &[]);
    assert_eq!(status, 303);
    assert_eq!(photo_rows(&app), 0, "the files are gone, not only the link");
    assert_eq!(browser().get(app.url(&src)).send().unwrap().status(), 404);
    let shown = page(&app, &browser(), "/product/witte-tulpen")
        .attrs(".product-image img", "src")
        .remove(0);
    assert!(
        shown.starts_with("/static/img/products/hollandse-tulpen.svg"),
        "{shown}"
    );
}
