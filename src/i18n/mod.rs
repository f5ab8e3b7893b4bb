//! Languages and the message catalogue. Every string a visitor reads comes from a Fluent
//! catalogue per language (`nl.ftl`, `en.ftl`, compiled into the binary); a test keeps the two
//! catalogues in step and checks that every key the code and templates use exists.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::HttpRequest;
use actix_web::http::header::{AcceptLanguage, Header, Preference, Quality};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// Name of the preference cookie the language switch sets.
pub const LANG_COOKIE: &str = "bloei_lang";

/// A language the shop speaks. Dutch is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Dutch, the shop's own language.
    #[default]
    Nl,
    /// English, the second language.
    En,
}

impl Lang {
    /// Every supported language, default first.
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// The BCP 47 code (`nl`, `en`), as used in `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// The Dutch or the English one of two values (texts stored in both languages).
    pub fn pick<T>(self, nl: T, en: T) -> T {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// Parses a language code; anything unknown is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("nl") {
            Some(Lang::Nl)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The visitor's language: the switch's cookie, else the browser's `Accept-Language`,
    /// else Dutch.
    pub fn from_request(req: &HttpRequest) -> Lang {
        if let Some(lang) = req
            .cookie(LANG_COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
        {
            return lang;
        }
        if let Ok(accept) = AcceptLanguage::parse(req) {
            // Highest quality first, in the listed order among equals; `q=0` means "not this".
            let mut ranked: Vec<_> = accept
                .0
                .iter()
                .filter(|i| i.quality > Quality::ZERO)
                .collect();
            ranked.sort_by_key(|item| std::cmp::Reverse(item.quality));
            for preference in ranked {
                match &preference.item {
                    Preference::Specific(tag) => {
                        if let Some(lang) = Lang::from_code(tag.primary_language()) {
                            return lang;
                        }
                    }
                    Preference::Any => return Lang::default(),
                }
            }
        }
        Lang::default()
    }

    /// The message for `key` in this language. A missing key is a bug: it is logged and the
    /// key itself is shown so the page still renders.
    pub fn t(self, key: impl AsRef<str>) -> Cow<'static, str> {
        self.format(key.as_ref(), None)
    }

    /// The message for `key` with its `{ $name }` arguments filled in.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // Whole numbers go in as numbers so plural forms (`1 dag`, `2 dagen`) are chosen.
            match value.parse::<i64>() {
                Ok(n) if !value.starts_with('0') || value == "0" => fluent_args.set(*name, n),
                _ => fluent_args.set(*name, value.clone()),
            }
        }
        self.format(key, Some(&fluent_args)).into_owned()
    }

    /// A date as customers read it: "vrijdag 27 november" / "Friday 27 November".
    pub fn date(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let weekday = self.t(format!("weekday-{}", date.weekday().number_from_monday()));
        let month = self.t(format!("month-{}", date.month()));
        format!("{weekday} {} {month}", date.day())
    }

    fn format(self, key: &str, args: Option<&FluentArgs>) -> Cow<'static, str> {
        if args.is_none()
            && let Some(text) = CATALOGUE.fixed(self).get(key)
        {
            return Cow::Borrowed(text);
        }
        let bundle = CATALOGUE.bundle(self);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, lang = self.code(), "missing message");
            return Cow::Owned(key.to_owned());
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::error!(
                key,
                lang = self.code(),
                ?errors,
                "message formatting failed"
            );
        }
        text
    }
}

/// The Dutch catalogue source.
pub const NL_FTL: &str = include_str!("nl.ftl");
/// The English catalogue source.
pub const EN_FTL: &str = include_str!("en.ftl");

/// Messages whose text never changes (no `{ $argument }`), formatted once: a page asks for
/// dozens, and a lookup here skips Fluent's resolver and its SipHash-keyed map.
type Fixed = HashMap<&'static str, String, foldhash::fast::RandomState>;

struct Catalogue {
    nl: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    fixed_nl: Fixed,
    fixed_en: Fixed,
}

impl Catalogue {
    fn new() -> Catalogue {
        let nl = load(Lang::Nl, NL_FTL);
        let en = load(Lang::En, EN_FTL);
        Catalogue {
            fixed_nl: fixed(&nl, NL_FTL),
            fixed_en: fixed(&en, EN_FTL),
            nl,
            en,
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    fn fixed(&self, lang: Lang) -> &Fixed {
        match lang {
            Lang::Nl => &self.fixed_nl,
            Lang::En => &self.fixed_en,
        }
    }
}

/// Formats every message once without arguments; those that need none (formatting reports
/// no error) are kept.
fn fixed(bundle: &FluentBundle<FluentResource>, source: &'static str) -> Fixed {
    let mut fixed = Fixed::default();
    for key in keys_of(source) {
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, None, &mut errors);
        if errors.is_empty() {
            fixed.insert(key, text.into_owned());
        }
    }
    fixed
}

fn load(lang: Lang, source: &'static str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{}.ftl does not parse: {errors:?}", lang.code()));
    let id = lang
        .code()
        .parse()
        .expect("language codes are valid identifiers");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks around placeables would end up inside HTML attributes and e-mails.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{}.ftl has duplicate keys: {errors:?}", lang.code()));
    bundle
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::new);

/// The message keys a catalogue source defines (for the consistency tests).
pub fn keys(source: &str) -> Vec<String> {
    keys_of(source).map(str::to_owned).collect()
}

fn keys_of(source: &str) -> impl Iterator<Item = &str> {
    source
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '\t', '.', '-']) && line.contains(" ="))
        .filter_map(|line| line.split_once(" =").map(|(k, _)| k.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn dutch_and_english_catalogues_define_the_same_keys() {
        let nl: BTreeSet<_> = keys(NL_FTL).into_iter().collect();
        let en: BTreeSet<_> = keys(EN_FTL).into_iter().collect();
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(
            only_nl.is_empty() && only_en.is_empty(),
            "only in nl.ftl: {only_nl:?}; only in en.ftl: {only_en:?}"
        );
        assert!(nl.len() > 20, "the catalogue looks empty");
    }

    #[test]
    fn both_catalogues_parse_and_every_message_formats_without_errors() {
        for lang in Lang::ALL {
            let source = if lang == Lang::Nl { NL_FTL } else { EN_FTL };
            for key in keys(source) {
                let text = lang.t(&key);
                assert!(!text.trim().is_empty(), "{key} is empty in {}", lang.code());
            }
        }
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists_in_the_catalogue() {
        let known: BTreeSet<_> = keys(NL_FTL).into_iter().collect();
        // A string literal that looks like a key (`lower-case-words`) and starts like a
        // catalogue key (`error-`, `size-`, …) is a key reference.
        let prefixes: BTreeSet<_> = known
            .iter()
            .filter_map(|k| k.split('-').next().map(str::to_owned))
            .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut seen = 0;
        for dir in ["src", "templates"] {
            visit(&root.join(dir), &mut |path, text| {
                if path.ends_with("i18n/mod.rs") {
                    return;
                }
                // In templates only `t("…")` calls count; class names look like keys too.
                let words = if path.extension().is_some_and(|e| e == "html") {
                    text.split("t(\"")
                        .skip(1)
                        .filter_map(|rest| rest.split('"').next())
                        .map(str::to_owned)
                        .collect()
                } else {
                    quoted_words(text)
                };
                for key in words {
                    let prefix = key.split('-').next().unwrap_or_default();
                    if prefixes.contains(prefix) {
                        seen += 1;
                        if !known.contains(&key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            });
        }
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogue: {missing:#?}"
        );
        assert!(seen > 50, "the scan found only {seen} key references");
    }

    fn quoted_words(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('-')
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn language_codes_parse_with_regions_and_any_case() {
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("NL_be"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("de"), None);
    }

    fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&std::path::Path, &str)) {
        for entry in std::fs::read_dir(dir)
            .expect("readable source tree")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, f);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("rs" | "html" | "txt")
            ) && let Ok(text) = std::fs::read_to_string(&path)
            {
                f(&path, &text);
            }
        }
    }
}
