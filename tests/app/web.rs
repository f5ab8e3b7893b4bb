//! Web basics: languages, error pages, security headers, CSRF, sessions, static files, health.

use std::time::Duration;

use diesel::RunQueryDsl;

use crate::support::{Page, TestApp};

/// The `Set-Cookie` header a response sets for cookie `name`, if any.
pub(crate) fn set_cookie(response: &reqwest::blocking::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

#[test]
fn an_unknown_page_is_a_404_in_dutch_by_default() {
    let app = TestApp::spawn();
    let page = app.page("/bestaat-niet", 404);
    assert_eq!(page.lang(), "nl");
    assert_eq!(page.text("h1"), "Pagina niet gevonden");
    assert!(page.text("main").contains("Naar de winkel"));
}

#[test]
fn an_unknown_page_is_a_404_in_english_for_an_english_browser() {
    let app = TestApp::spawn();
    let response = app.get_in("/does-not-exist", "en-US,en;q=0.8,nl;q=0.5");
    assert_eq!(response.status(), 404);
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.lang(), "en");
    assert_eq!(page.text("h1"), "Page not found");
}

#[test]
fn a_browser_preferring_another_language_gets_dutch_and_the_best_match_wins() {
    let app = TestApp::spawn();
    let page = Page::parse(&app.get_in("/", "de-DE,de;q=0.9").text().unwrap());
    assert_eq!(page.lang(), "nl");
    let page = Page::parse(&app.get_in("/", "de-DE,en;q=0.7,nl;q=0.9").text().unwrap());
    assert_eq!(page.lang(), "nl");
    let page = Page::parse(&app.get_in("/", "de-DE,en;q=0.9,nl;q=0.7").text().unwrap());
    assert_eq!(page.lang(), "en");
}

#[test]
fn the_language_switch_remembers_the_choice_and_returns_to_the_same_page() {
    let app = TestApp::spawn();
    let page = app.page("/product/hollandse-tulpen", 200);
    assert_eq!(page.lang(), "nl");
    assert_eq!(page.text(".lang-switch button"), "English");
    let token = page.csrf_token();
    let response = app.post_form(
        "/taal",
        &[
            ("lang", "en"),
            ("terug", "/product/hollandse-tulpen"),
            ("csrf_token", &token),
        ],
    );
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/product/hollandse-tulpen");
    let cookie = set_cookie(&response, "bloei_lang").expect("the switch sets the language cookie");
    assert!(cookie.starts_with("bloei_lang=en"), "{cookie}");
    assert!(
        cookie.contains("Max-Age="),
        "the choice outlives the session: {cookie}"
    );

    // The cookie wins over the browser's own preference for Dutch.
    let response = app.get_in("/product/hollandse-tulpen", "nl-NL");
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.lang(), "en");
    assert_eq!(page.text("h1"), "Dutch tulips");
    assert_eq!(page.text(".flash"), "The language is now English.");
    assert_eq!(page.text(".lang-switch button"), "Nederlands");
    // The flash message is shown once.
    let again = app.page("/product/hollandse-tulpen", 200);
    assert_eq!(again.count(".flash"), 0);
}

#[test]
fn the_language_switch_never_redirects_to_another_site() {
    let app = TestApp::spawn();
    let token = app.page("/", 200).csrf_token();
    let response = app.post_form(
        "/taal",
        &[
            ("lang", "en"),
            ("terug", "//evil.example/"),
            ("csrf_token", &token),
        ],
    );
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/");
}

#[test]
fn an_unknown_language_is_refused_with_a_message() {
    let app = TestApp::spawn();
    let token = app.page("/", 200).csrf_token();
    let response = app.post_form(
        "/taal",
        &[("lang", "de"), ("terug", "/"), ("csrf_token", &token)],
    );
    assert_eq!(response.status(), 400);
    let page = Page::parse(&response.text().unwrap());
    assert!(page.text("main").contains("Kies Nederlands of English"));
}

#[test]
fn a_form_post_without_a_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn();
    app.page("/", 200); // the visitor has a session with a token
    let response = app.post_form("/taal", &[("lang", "en"), ("terug", "/")]);
    assert_eq!(response.status(), 403);
    assert_eq!(
        set_cookie(&response, "bloei_lang"),
        None,
        "a refused switch sets no language cookie"
    );
    let page = Page::parse(&response.text().unwrap());
    assert!(page.text("main").contains("Het formulier is verlopen"));
    assert_eq!(app.page("/", 200).lang(), "nl");
}

#[test]
fn a_form_post_with_a_wrong_or_foreign_csrf_token_is_refused() {
    let app = TestApp::spawn();
    let other = TestApp::spawn();
    let foreign = other.page("/", 200).csrf_token();
    app.page("/", 200);
    for token in ["", "forged", foreign.as_str()] {
        let response = app.post_form(
            "/taal",
            &[("lang", "en"), ("terug", "/"), ("csrf_token", token)],
        );
        assert_eq!(response.status(), 403, "token {token:?}");
    }
    // A visitor without any session cannot post either.
    let fresh = reqwest::blocking::Client::new();
    let response = fresh
        .post(app.url("/taal"))
        .form(&[
            ("lang", "en"),
            ("terug", "/"),
            ("csrf_token", foreign.as_str()),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[test]
fn every_page_sends_the_security_headers() {
    let app = TestApp::spawn();
    for path in [
        "/",
        "/product/monstera",
        "/privacy",
        "/bestaat-niet",
        "/healthz",
    ] {
        let response = app.get(path);
        let h = response.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert!(
            h["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()"),
            "{path}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
    }
}

#[test]
fn hsts_is_sent_when_the_shop_is_served_over_https() {
    let app = TestApp::spawn_with(|s| s.public_url = Some("https://www.example.nl".into()));
    let response = app.get("/");
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
    let session = set_cookie(&response, "bloei_session").unwrap();
    assert!(session.contains("Secure"), "{session}");
}

#[test]
fn pages_contain_no_inline_script_or_style_so_the_csp_holds() {
    let app = TestApp::spawn();
    for path in ["/", "/product/monstera", "/privacy", "/bestaat-niet"] {
        let response = app.get(path);
        let page = Page::parse(&response.text().unwrap());
        assert_eq!(page.count("script"), 0, "{path}");
        assert_eq!(page.count("style"), 0, "{path}");
        assert_eq!(page.count("[style]"), 0, "{path}");
        let handlers = page
            .html
            .root_element()
            .descendent_elements()
            .flat_map(|e| {
                e.value()
                    .attrs()
                    .map(|(name, _)| name.to_owned())
                    .collect::<Vec<_>>()
            })
            .filter(|name| name.starts_with("on"))
            .count();
        assert_eq!(handlers, 0, "{path} has inline event handlers");
    }
}

#[test]
fn the_session_cookie_is_encrypted_http_only_and_same_site() {
    let app = TestApp::spawn();
    let response = app.get("/");
    let cookie = set_cookie(&response, "bloei_session").expect("a session holds the form token");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let page = Page::parse(&response.text().unwrap());
    let token = page.csrf_token();
    assert!(
        !cookie.contains(&token),
        "the token is not readable in the cookie"
    );
}

#[test]
fn the_footer_shows_the_shop_details_from_configuration() {
    let app = TestApp::spawn_with(|s| {
        s.shop_name = Some("Bloemen aan de Dam".into());
        s.shop_kvk = Some("12345678".into());
        s.shop_vat_id = Some("NL123456782B01".into());
        s.shop_street = Some("Dam 1".into());
        s.shop_postcode = Some("1012 JS".into());
        s.shop_city = Some("Amsterdam".into());
        s.shop_email = Some("winkel@example.nl".into());
        s.shop_phone = Some("020-1234567".into());
    });
    let page = app.page("/", 200);
    let footer = page.text("footer");
    for expected in [
        "Bloemen aan de Dam",
        "Dam 1",
        "1012 JS Amsterdam",
        "12345678",
        "NL123456782B01",
        "winkel@example.nl",
        "020-1234567",
    ] {
        assert!(
            footer.contains(expected),
            "{expected} missing from: {footer}"
        );
    }
    assert!(page.text("title").ends_with("Bloemen aan de Dam"));
}

#[test]
fn static_files_are_versioned_cached_for_a_year_and_revalidated() {
    let app = TestApp::spawn();
    let page = app.page("/", 200);
    let css = page.attrs("link[rel=stylesheet]", "href").pop().unwrap();
    assert!(css.starts_with("/static/css/site.css?v="), "{css}");
    let response = app.get(&css);
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url(&css))
        .header("If-None-Match", &etag)
        .send()
        .unwrap();
    assert_eq!(again.status(), 304);
    let image = page.attrs(".product-card img", "src").remove(0);
    let response = app.get(&image);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    app.page("/static/bestaat-niet.css", 404);
}

#[test]
fn responses_are_gzipped_for_browsers_that_accept_it() {
    let app = TestApp::spawn();
    let response = app
        .client
        .get(app.url("/"))
        .header("Accept-Encoding", "gzip")
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

#[test]
fn a_method_the_page_does_not_support_gets_a_readable_error_page() {
    let app = TestApp::spawn();
    let token = app.page("/", 200).csrf_token();
    let response = app
        .client
        .put(app.url("/taal"))
        .header("X-CSRF-Token", token)
        .send()
        .unwrap();
    assert_eq!(response.status(), 405);
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.count("h1"), 1);
}

#[test]
fn a_failure_inside_the_shop_shows_a_plain_500_page_without_the_cause() {
    let app = TestApp::spawn_with(|s| s.catalogue_cache_ms = Some(0));
    diesel::sql_query("DROP TABLE product_addons")
        .execute(&mut *app.conn())
        .unwrap();
    for (lang, title) in [("nl", "Er ging iets mis"), ("en", "Something went wrong")] {
        let response = app.get_in("/", lang);
        assert_eq!(response.status(), 500);
        let body = response.text().unwrap();
        let page = Page::parse(&body);
        assert_eq!(page.text("h1"), title);
        assert!(
            !body.contains("product_addons")
                && !body.contains("no such table")
                && !body.contains("does not exist"),
            "the cause stays in the log: {body}"
        );
    }
    assert_eq!(
        app.get("/healthz").status(),
        200,
        "the database itself still answers"
    );
}

#[test]
fn request_logs_carry_a_request_id_and_the_route_but_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let (server, base) = crate::observability::serve(&dir, &[]);
    let client = reqwest::blocking::Client::new();
    let product = client
        .get(format!(
            "{base}/product/rode-rozen-klassiek?naam=Jan+Jansen&email=jan%40example.nl"
        ))
        .header("X-Forwarded-For", "203.0.113.7")
        .send()
        .unwrap();
    let missing = client
        .get(format!("{base}/klant/jan@example.nl"))
        .send()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let log = crate::observability::stop(server);
    assert_eq!(product.status(), 200);
    assert_eq!(missing.status(), 404);
    let requests: Vec<&str> = log.lines().filter(|l| l.contains("request{")).collect();
    assert!(
        requests.iter().any(|l| l.contains("route=/product/{slug}")
            && l.contains("status=200")
            && l.contains("request_id=")),
        "{log}"
    );
    assert!(
        requests
            .iter()
            .any(|l| l.contains("route=(unmatched)") && l.contains("status=404")),
        "{log}"
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

#[test]
fn a_csrf_token_in_the_header_works_and_a_wrong_one_is_refused() {
    let app = TestApp::spawn();
    let token = app.page("/", 200).csrf_token();
    let post = |header: &str| {
        app.client
            .post(app.url("/taal"))
            .header("X-CSRF-Token", header)
            .form(&[("lang", "en"), ("terug", "/")])
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(post("wrong"), 403);
    assert_eq!(post(&token), 303);
}

#[test]
fn every_form_gets_a_fresh_looking_token_that_all_work() {
    let app = TestApp::spawn();
    let first = app.page("/", 200).csrf_token();
    let second = app.page("/privacy", 200).csrf_token();
    assert_ne!(first, second, "tokens are masked per page");
    for token in [&first, &second] {
        let response = app.post_form(
            "/taal",
            &[("lang", "nl"), ("terug", "/"), ("csrf_token", token)],
        );
        assert_eq!(response.status(), 303);
    }
}

#[test]
fn every_cookie_the_shop_sets_is_declared_in_the_data_map() {
    let app = TestApp::spawn();
    let mut names = std::collections::BTreeSet::new();
    let mut collect = |response: &reqwest::blocking::Response| {
        for value in response.headers().get_all("set-cookie") {
            let name = value
                .to_str()
                .unwrap()
                .split('=')
                .next()
                .unwrap()
                .to_owned();
            names.insert(name);
        }
    };
    let home = app.get("/");
    collect(&home);
    let token = Page::parse(&home.text().unwrap()).csrf_token();
    for path in ["/product/monstera", "/privacy", "/bestaat-niet", "/healthz"] {
        collect(&app.get(path));
    }
    collect(&app.post_form(
        "/taal",
        &[("lang", "en"), ("terug", "/"), ("csrf_token", &token)],
    ));
    collect(&app.get("/"));
    assert!(
        names.contains("bloei_session") && names.contains("bloei_lang"),
        "{names:?}"
    );
    let declared: Vec<&str> = bloei::privacy::data_map::COOKIES
        .iter()
        .map(|c| c.name)
        .collect();
    for name in &names {
        assert!(
            declared.contains(&name.as_str()),
            "cookie {name} is not in the data map (P12)"
        );
    }
}

#[test]
fn an_outdated_asset_version_is_not_cached_for_good() {
    let app = TestApp::spawn();
    let response = app.get("/static/css/site.css?v=000000000000");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
}

#[test]
fn a_language_the_browser_refuses_with_q_zero_is_not_chosen() {
    let app = TestApp::spawn();
    let page = Page::parse(&app.get_in("/", "en;q=0, de").text().unwrap());
    assert_eq!(page.lang(), "nl");
}

#[test]
fn an_oversized_form_is_refused_with_a_page_and_the_security_headers() {
    let app = TestApp::spawn();
    let token = app.page("/", 200).csrf_token();
    let big = "x".repeat(300 * 1024);
    let response = app.post_form(
        "/taal",
        &[("lang", "en"), ("terug", &big), ("csrf_token", &token)],
    );
    assert_eq!(response.status(), 413);
    assert!(response.headers().contains_key("content-security-policy"));
    let page = Page::parse(&response.text().unwrap());
    assert_eq!(page.text("h1"), "Te veel gegevens");
}

#[test]
fn pages_are_never_stored_by_shared_caches() {
    let app = TestApp::spawn();
    let response = app.get("/");
    assert_eq!(response.headers()["cache-control"], "private, no-cache");
    assert!(
        response.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("Accept-Language")
    );
}

#[test]
fn a_tampered_session_cookie_is_ignored_and_grants_nothing() {
    let app = TestApp::spawn();
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let forged = "bloei_session=%7B%22csrf%22%3A%22AAAA%22%7D";
    let response = client
        .get(app.url("/"))
        .header("Cookie", forged)
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    // A form token made up to match a forged session is refused.
    let response = client
        .post(app.url("/taal"))
        .header("Cookie", forged)
        .form(&[("lang", "en"), ("terug", "/"), ("csrf_token", "AAAA")])
        .send()
        .unwrap();
    assert_eq!(response.status(), 403);
}
