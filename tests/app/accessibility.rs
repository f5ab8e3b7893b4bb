//! Accessibility: landmarks, labels, alternative text, one heading per page, contrast and a
//! visible keyboard focus (WCAG 2 AA).

use crate::support::TestApp;

#[test]
fn pages_are_accessible_landmarks_labels_alt_text_and_one_heading() {
    let app = TestApp::spawn();
    for path in [
        "/",
        "/categorie/planten",
        "/product/monstera",
        "/privacy",
        "/bestaat-niet",
        "/winkelwagen",
    ] {
        let status = if path == "/bestaat-niet" { 404 } else { 200 };
        let page = app.page(path, status);
        assert!(!page.lang().is_empty(), "{path}: html lang");
        assert_eq!(page.count("main#main"), 1, "{path}: one main landmark");
        assert_eq!(page.count("header"), 1, "{path}");
        assert_eq!(page.count("footer"), 1, "{path}");
        assert!(
            page.count("nav[aria-label]") >= 1,
            "{path}: labelled navigation"
        );
        assert_eq!(page.count("h1"), 1, "{path}: one h1");
        assert_eq!(
            page.count("img:not([alt])"),
            0,
            "{path}: every image has alt text"
        );
        assert_eq!(
            page.count("a.skip-link[href='#main']"),
            1,
            "{path}: skip link"
        );
        for button in page.texts("button") {
            assert!(!button.is_empty(), "{path}: buttons have text");
        }
        assert_eq!(page.count("title"), 1, "{path}");
    }
    // Every visible form control has a label: around it, or pointing at its id.
    let token = app.page("/product/monstera", 200).csrf_token();
    let form = [
        ("product", "monstera"),
        ("size", "S"),
        ("quantity", "1"),
        ("csrf_token", token.as_str()),
    ];
    app.post_form("/winkelwagen/toevoegen", &form);
    for path in ["/product/monstera", "/winkelwagen", "/afrekenen"] {
        let page = app.page(path, 200);
        let controls =
            scraper::Selector::parse("input:not([type=hidden]), select, textarea").unwrap();
        let mut seen = 0;
        for control in page.html.select(&controls) {
            seen += 1;
            let wrapped = control
                .ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| a.value().name() == "label");
            let named = control
                .value()
                .id()
                .is_some_and(|id| page.count(&format!("label[for='{id}']")) == 1);
            assert!(
                wrapped || named,
                "{path}: {:?} has no label",
                control.value()
            );
        }
        assert!(seen > 0, "{path} has form controls");
    }
    let product = app.page("/product/monstera", 200);
    assert_eq!(
        product.attrs(".product-image img", "alt"),
        vec!["Illustratie van Monstera"]
    );
}

/// WCAG 2 relative luminance of a `#rrggbb` colour.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn the_palette_meets_wcag_aa_contrast_and_keyboard_focus_is_visible() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/css/site.css"))
        .unwrap();
    let var = |name: &str| -> String {
        let at = css
            .find(&format!("--{name}:"))
            .unwrap_or_else(|| panic!("--{name} is defined"));
        let value = css[at..].split(':').nth(1).unwrap();
        value.trim().chars().take(7).collect()
    };
    // Text colour on background colour, as the stylesheet pairs them.
    let pairs = [
        ("text", "bg"),
        ("text", "surface"),
        ("muted", "bg"),
        ("muted", "surface"),
        ("green", "bg"),
        ("green", "surface"),
        ("on-dark", "green"),
        ("on-dark", "green-dark"),
        ("green", "green-tint"),
        ("rose-dark", "bg"),
        ("rose-dark", "surface"),
        ("rose-dark", "rose-tint"),
        ("footer-link", "green"),
        ("footer-muted", "green"),
    ];
    for (fg, bg) in pairs {
        let ratio = contrast(&var(fg), &var(bg));
        assert!(
            ratio >= 4.5,
            "--{fg} on --{bg} has contrast {ratio:.2}, below 4.5"
        );
    }
    assert!(
        css.contains(":focus-visible { outline: var(--focus)"),
        "a visible focus outline"
    );
    assert!(
        css.contains("--focus: 3px solid"),
        "the focus ring is 3px wide"
    );
    assert!(
        css.contains(".skip-link"),
        "the skip link is styled to appear on focus"
    );
}
