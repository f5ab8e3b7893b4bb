//! The data map (P4): every database column that holds personal data, with its category,
//! purpose, legal basis, retention and what erasure does to it; every other column declared
//! non-personal with a reason; and every cookie the shop sets (P12). The drift check
//! (`super::drift`) fails when the database and this file disagree, and the privacy page,
//! the customer's data overview, export and erasure are all driven by it.

/// Kinds of personal data, as the privacy statement lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataCategory {
    /// Name, e-mail address, phone number.
    Contact,
    /// Name and address (NAW) for delivery or billing.
    Address,
    /// Login data: e-mail, password hash, two-factor secrets.
    Login,
    /// What was ordered, for whom and when.
    Orders,
    /// Free text someone typed: card messages, instructions, complaints, questions.
    FreeText,
    /// Business data: KvK number, job title, VAT id.
    Business,
    /// Financial data: IBAN.
    Financial,
    /// Identifiers in cookies and technical data (IP address).
    Technical,
    /// Preferences such as language and consent choices.
    Preferences,
}

impl DataCategory {
    /// Catalogue key of the category's name.
    pub fn label_key(self) -> &'static str {
        match self {
            DataCategory::Contact => "data-category-contact",
            DataCategory::Address => "data-category-address",
            DataCategory::Login => "data-category-login",
            DataCategory::Orders => "data-category-orders",
            DataCategory::FreeText => "data-category-free-text",
            DataCategory::Business => "data-category-business",
            DataCategory::Financial => "data-category-financial",
            DataCategory::Technical => "data-category-technical",
            DataCategory::Preferences => "data-category-preferences",
        }
    }
}

/// Why data is processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Purpose {
    /// Keeping the site working and secure (sessions, forms).
    SiteOperation,
    /// Remembering the visitor's choices (language).
    RememberPreferences,
    /// Processing and delivering orders, informing about their progress.
    OrderFulfilment,
    /// Running the customer's account.
    Account,
    /// Bookkeeping and tax.
    Bookkeeping,
    /// Newsletters and offers (only with consent).
    Marketing,
    /// Handling complaints, questions and privacy requests.
    CustomerService,
    /// Giving staff access to the back office and recording who did what.
    StaffAdministration,
    /// Reminder mails before occasions the customer saved (only with consent).
    OccasionReminders,
    /// Showing that the shop keeps its promises: consents given, copies made, erasures done.
    Accountability,
}

impl Purpose {
    /// Catalogue key of the purpose's description.
    pub fn label_key(self) -> &'static str {
        match self {
            Purpose::SiteOperation => "purpose-site-operation",
            Purpose::RememberPreferences => "purpose-remember-preferences",
            Purpose::OrderFulfilment => "purpose-order-fulfilment",
            Purpose::Account => "purpose-account",
            Purpose::Bookkeeping => "purpose-bookkeeping",
            Purpose::Marketing => "purpose-marketing",
            Purpose::CustomerService => "purpose-customer-service",
            Purpose::StaffAdministration => "purpose-staff-administration",
            Purpose::OccasionReminders => "purpose-occasion-reminders",
            Purpose::Accountability => "purpose-accountability",
        }
    }
}

/// The lawful basis (GDPR art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    /// Needed to perform the contract (the order, the account).
    Contract,
    /// Required by law (tax records).
    LegalObligation,
    /// Given consent, which can be withdrawn.
    Consent,
    /// The shop's legitimate interest, weighed against the person's.
    LegitimateInterest,
}

impl LegalBasis {
    /// Catalogue key of the basis's name.
    pub fn label_key(self) -> &'static str {
        match self {
            LegalBasis::Contract => "basis-contract",
            LegalBasis::LegalObligation => "basis-legal-obligation",
            LegalBasis::Consent => "basis-consent",
            LegalBasis::LegitimateInterest => "basis-legitimate-interest",
        }
    }
}

/// How long data is kept (P15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Until the browser is closed.
    BrowserSession,
    /// One year, then the browser forgets it.
    OneYear,
    /// Two years after the person's last activity, then erased (the standard term).
    TwoYearsAfterLastActivity,
    /// Seven years for the tax authority (fiscal retention).
    SevenYearsFiscal,
    /// A number of days after the order was delivered.
    DaysAfterDelivery(u16),
    /// A number of days after the e-mail was sent.
    DaysAfterSending(u16),
    /// As long as backups made before the erasure exist, so a restore can replay it (P9).
    WhileBackupsExist,
    /// Until the person logs out, a day at most.
    UntilLogout,
    /// Until a question or complaint is handled, and a year after the last answer or closing.
    YearAfterHandling,
    /// Two years after a privacy request was handled, to show it was handled in time.
    TwoYearsAfterHandling,
}

impl Retention {
    /// The retention as text in `lang`.
    pub fn describe(self, lang: crate::i18n::Lang) -> String {
        match self {
            Retention::BrowserSession => lang.t("retention-browser-session").into_owned(),
            Retention::OneYear => lang.t("retention-one-year").into_owned(),
            Retention::TwoYearsAfterLastActivity => lang.t("retention-two-years").into_owned(),
            Retention::SevenYearsFiscal => lang.t("retention-seven-years-fiscal").into_owned(),
            Retention::DaysAfterDelivery(days) => lang.t_args(
                "retention-days-after-delivery",
                &[("days", days.to_string())],
            ),
            Retention::DaysAfterSending(days) => lang.t_args(
                "retention-days-after-sending",
                &[("days", days.to_string())],
            ),
            Retention::WhileBackupsExist => lang.t("retention-while-backups").into_owned(),
            Retention::UntilLogout => lang.t("retention-until-logout").into_owned(),
            Retention::YearAfterHandling => lang.t("retention-year-after-handling").into_owned(),
            Retention::TwoYearsAfterHandling => {
                lang.t("retention-two-years-after-handling").into_owned()
            }
        }
    }
}

/// What erasing a person does to a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// The row is deleted.
    Delete,
    /// The value is set to NULL.
    Null,
    /// The value is replaced by a meaningless stand-in.
    Anonymise,
    /// Kept, restricted, for the fiscal retention period; erased after it.
    KeepForTax,
    /// Kept, but the link to the person is removed (a consent event becomes a bare count).
    KeepUnlinked,
    /// Kept as proof that the erasure happened; it names no one (P9).
    KeepAsProof,
}

/// One database column holding personal data.
#[derive(Debug, Clone, Copy)]
pub struct PersonalColumn {
    /// Table name.
    pub table: &'static str,
    /// Column name.
    pub column: &'static str,
    /// Kind of data.
    pub category: DataCategory,
    /// Why it is stored.
    pub purpose: Purpose,
    /// Lawful basis.
    pub basis: LegalBasis,
    /// How long it is kept.
    pub retention: Retention,
    /// What erasure does.
    pub erasure: Erasure,
}

/// A table whose listed columns hold no personal data, and why.
#[derive(Debug, Clone, Copy)]
pub struct NonPersonalTable {
    /// Table name.
    pub table: &'static str,
    /// Its columns that hold no personal data.
    pub columns: &'static [&'static str],
    /// Why they are not personal data.
    pub reason: &'static str,
}

/// A cookie the shop sets (P12).
#[derive(Debug, Clone, Copy)]
pub struct CookieEntry {
    /// Cookie name.
    pub name: &'static str,
    /// Kind of data.
    pub category: DataCategory,
    /// Why it is set.
    pub purpose: Purpose,
    /// Lawful basis.
    pub basis: LegalBasis,
    /// How long it lives.
    pub retention: Retention,
    /// Catalogue key of what it holds.
    pub contents_key: &'static str,
}

pub use super::columns::{NON_PERSONAL, PERSONAL_COLUMNS};

/// Every cookie the shop sets. Each is strictly necessary or remembers a choice the visitor
/// made, so none needs consent; tracking cookies are never set without it (P12).
pub const COOKIES: &[CookieEntry] = &[
    CookieEntry {
        name: crate::web::session_keys::SESSION_COOKIE,
        category: DataCategory::Technical,
        purpose: Purpose::SiteOperation,
        basis: LegitimateInterest,
        retention: Retention::BrowserSession,
        contents_key: "cookie-session-contents",
    },
    CookieEntry {
        name: crate::i18n::LANG_COOKIE,
        category: DataCategory::Preferences,
        purpose: Purpose::RememberPreferences,
        basis: LegitimateInterest,
        retention: Retention::OneYear,
        contents_key: "cookie-lang-contents",
    },
    CookieEntry {
        name: super::cookies::CONSENT_COOKIE,
        category: DataCategory::Preferences,
        purpose: Purpose::RememberPreferences,
        basis: LegitimateInterest,
        retention: Retention::OneYear,
        contents_key: "cookie-consent-contents",
    },
];

use LegalBasis::LegitimateInterest;

/// Whether the data map declares `table.column`, as personal or not.
pub fn is_declared(table: &str, column: &str) -> bool {
    PERSONAL_COLUMNS
        .iter()
        .any(|c| c.table == table && c.column == column)
        || NON_PERSONAL
            .iter()
            .any(|t| t.table == table && t.columns.contains(&column))
}

/// Every declared `(table, column)` pair.
pub fn declared_columns() -> Vec<(&'static str, &'static str)> {
    PERSONAL_COLUMNS
        .iter()
        .map(|c| (c.table, c.column))
        .chain(
            NON_PERSONAL
                .iter()
                .flat_map(|t| t.columns.iter().map(move |c| (t.table, *c))),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use std::collections::HashSet;

    #[test]
    fn no_column_is_declared_twice() {
        let mut seen = HashSet::new();
        for pair in declared_columns() {
            assert!(seen.insert(pair), "{pair:?} is declared twice");
        }
    }

    #[test]
    fn every_label_of_the_data_map_exists_in_both_languages() {
        let categories = [
            DataCategory::Contact,
            DataCategory::Address,
            DataCategory::Login,
            DataCategory::Orders,
            DataCategory::FreeText,
            DataCategory::Business,
            DataCategory::Financial,
            DataCategory::Technical,
            DataCategory::Preferences,
        ];
        let purposes = [
            Purpose::SiteOperation,
            Purpose::RememberPreferences,
            Purpose::OrderFulfilment,
            Purpose::Account,
            Purpose::Bookkeeping,
            Purpose::Marketing,
            Purpose::CustomerService,
            Purpose::StaffAdministration,
            Purpose::OccasionReminders,
            Purpose::Accountability,
        ];
        let bases = [
            LegalBasis::Contract,
            LegalBasis::LegalObligation,
            LegalBasis::Consent,
            LegalBasis::LegitimateInterest,
        ];
        let mut keys: Vec<&str> = categories.iter().map(|c| c.label_key()).collect();
        keys.extend(purposes.iter().map(|p| p.label_key()));
        keys.extend(bases.iter().map(|b| b.label_key()));
        keys.extend(COOKIES.iter().map(|c| c.contents_key));
        let nl: HashSet<_> = crate::i18n::keys(crate::i18n::NL_FTL).into_iter().collect();
        let en: HashSet<_> = crate::i18n::keys(crate::i18n::EN_FTL).into_iter().collect();
        for key in keys {
            assert!(
                nl.contains(key) && en.contains(key),
                "{key} is missing from a catalogue"
            );
        }
        for retention in [
            Retention::BrowserSession,
            Retention::OneYear,
            Retention::TwoYearsAfterLastActivity,
            Retention::SevenYearsFiscal,
            Retention::DaysAfterDelivery(30),
            Retention::DaysAfterSending(30),
            Retention::WhileBackupsExist,
            Retention::YearAfterHandling,
            Retention::TwoYearsAfterHandling,
        ] {
            for lang in Lang::ALL {
                let text = retention.describe(lang);
                assert!(!text.contains("retention-"), "{text}");
            }
        }
        assert!(
            Retention::DaysAfterDelivery(30)
                .describe(Lang::Nl)
                .contains("30")
        );
    }
}
