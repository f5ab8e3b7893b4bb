//! The public privacy page, rendered from the data map.

use askama::Template;

use super::data_map::{self, CookieEntry, PersonalColumn};
use crate::web::PageCtx;

/// One row of the "what we store" table: a kind of data and why it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDataRow {
    /// Kind of data, in the page's language.
    pub category: String,
    /// Purpose.
    pub purpose: String,
    /// Lawful basis.
    pub basis: String,
    /// Retention.
    pub retention: String,
}

/// One row of the cookie table.
#[derive(Debug, Clone)]
pub struct CookieRow {
    /// Cookie name.
    pub name: &'static str,
    /// What it holds.
    pub contents: String,
    /// Purpose.
    pub purpose: String,
    /// Lawful basis.
    pub basis: String,
    /// Lifetime.
    pub retention: String,
}

/// `GET /privacy`.
#[derive(Template)]
#[template(path = "privacy/statement.html")]
pub struct PrivacyPage {
    /// Page context.
    pub ctx: PageCtx,
    /// What the database stores, one row per (category, purpose, basis, retention).
    pub stored: Vec<StoredDataRow>,
    /// The cookies.
    pub cookies: Vec<CookieRow>,
    /// Who else receives data: the processor register with the other recipients (P10).
    pub recipients: Vec<super::processors::Entry>,
    /// The consent purposes: (name, wording).
    pub consents: Vec<(String, String)>,
    /// The statement's version (P19).
    pub version: String,
}

/// Groups personal columns into readable rows: columns that share category, purpose, basis and
/// retention become one row, so the page speaks of kinds of data, not of database columns.
pub fn stored_rows(columns: &[PersonalColumn], lang: crate::i18n::Lang) -> Vec<StoredDataRow> {
    let mut sorted: Vec<&PersonalColumn> = columns.iter().collect();
    sorted.sort_by_key(|c| (c.category, c.purpose));
    let mut rows: Vec<StoredDataRow> = Vec::new();
    for c in sorted {
        let row = StoredDataRow {
            category: lang.t(c.category.label_key()).into_owned(),
            purpose: lang.t(c.purpose.label_key()).into_owned(),
            basis: lang.t(c.basis.label_key()).into_owned(),
            retention: c.retention.describe(lang),
        };
        if !rows.contains(&row) {
            rows.push(row);
        }
    }
    rows
}

/// The cookie table in `lang`.
pub fn cookie_rows(cookies: &[CookieEntry], lang: crate::i18n::Lang) -> Vec<CookieRow> {
    cookies
        .iter()
        .map(|c| CookieRow {
            name: c.name,
            contents: lang.t(c.contents_key).into_owned(),
            purpose: lang.t(c.purpose.label_key()).into_owned(),
            basis: lang.t(c.basis.label_key()).into_owned(),
            retention: c.retention.describe(lang),
        })
        .collect()
}

impl PrivacyPage {
    /// The opening sentence, naming the shop.
    pub fn intro(&self) -> String {
        self.ctx
            .t_args("privacy-intro", &[("shop", self.ctx.shop().name.clone())])
    }

    /// How to reach the shop about privacy.
    pub fn contact(&self) -> String {
        let shop = self.ctx.shop();
        self.ctx.t_args(
            "privacy-contact",
            &[("email", shop.email.clone()), ("phone", shop.phone.clone())],
        )
    }

    /// The page for the current data map and configuration.
    pub fn new(
        ctx: PageCtx,
        config: &crate::config::PrivacyConfig,
        register: &[super::processors::ProcessorRow],
        version: &str,
    ) -> PrivacyPage {
        use super::consent::ConsentPurpose;
        let lang = ctx.lang;
        PrivacyPage {
            stored: stored_rows(data_map::PERSONAL_COLUMNS, lang),
            cookies: cookie_rows(data_map::COOKIES, lang),
            recipients: super::processors::register(config, register, lang),
            consents: ConsentPurpose::ALL
                .iter()
                .map(|p| {
                    (
                        lang.t(p.name_key()).into_owned(),
                        lang.t(p.wording_key(p.current_version())).into_owned(),
                    )
                })
                .collect(),
            version: version.to_owned(),
            ctx,
        }
    }
}

/// The page a mailed link opens (confirming or ending a newsletter subscription, stopping
/// reminders): a sentence naming the address, and either one button, so a mail scanner that
/// fetches the link changes nothing, or the outcome.
#[derive(Template)]
#[template(path = "privacy/link_page.html")]
pub struct LinkPage {
    /// Page context.
    pub ctx: PageCtx,
    /// Catalogue key of the heading.
    pub heading: &'static str,
    /// Catalogue key of the sentence (it gets `$email`).
    pub text: &'static str,
    /// The address concerned, so the person knows which subscription or account this is.
    pub email: String,
    /// The button's catalogue key and where it posts; none on an outcome page.
    pub button: Option<(&'static str, String)>,
    /// A link under the sentence: catalogue key and address.
    pub link: Option<(&'static str, String)>,
    /// The section's class, naming the step (`newsletter-unsubscribe`, …).
    pub class: String,
}

impl LinkPage {
    /// The sentence, naming the address.
    pub fn say(&self) -> String {
        self.ctx.t_args(self.text, &[("email", self.email.clone())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::privacy::data_map::{DataCategory, Erasure, LegalBasis, Purpose, Retention};

    fn column(column: &'static str, category: DataCategory) -> PersonalColumn {
        PersonalColumn {
            table: "orders",
            column,
            category,
            purpose: Purpose::OrderFulfilment,
            basis: LegalBasis::Contract,
            retention: Retention::TwoYearsAfterLastActivity,
            erasure: Erasure::Anonymise,
        }
    }

    #[test]
    fn columns_of_the_same_kind_and_purpose_become_one_readable_row() {
        let columns = [
            column("recipient_name", DataCategory::Address),
            column("recipient_street", DataCategory::Address),
            column("sender_email", DataCategory::Contact),
        ];
        let rows = stored_rows(&columns, Lang::Nl);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].category, Lang::Nl.t("data-category-contact"));
        assert_eq!(rows[1].category, Lang::Nl.t("data-category-address"));
        assert_eq!(rows[1].retention, Lang::Nl.t("retention-two-years"));
    }

    #[test]
    fn every_cookie_the_shop_sets_is_on_the_page_in_english_too() {
        let rows = cookie_rows(data_map::COOKIES, Lang::En);
        assert_eq!(rows.len(), data_map::COOKIES.len());
        assert!(rows.iter().any(|r| r.name == "bloei_session"));
        assert!(rows.iter().all(|r| !r.contents.is_empty()));
    }
}
