//! The privacy statement's facts beyond the data map: who else receives personal data (the
//! processors and recipients from configuration, P10/P18), the consent purposes, and the
//! statement's version (P19), a fingerprint of everything the statement is made from, so any
//! change to the data map, the cookies, the consents, the recipients or the texts changes it.

use sha2::{Digest, Sha256};

use super::consent::ConsentPurpose;
use super::data_map::{CookieEntry, PersonalColumn};
use crate::config::PrivacyConfig;
use crate::i18n::Lang;

/// Someone outside the shop who receives personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Which setting names it (`courier`, `mail`, `payment`, `tax`, `tracking`): the key of
    /// its line in the processor register.
    pub code: &'static str,
    /// Who.
    pub who: String,
    /// Catalogue key of what they do for the shop.
    pub role_key: &'static str,
    /// Catalogue key of what they receive.
    pub data_key: &'static str,
}

/// The recipients of personal data under this configuration.
pub fn recipients(config: &PrivacyConfig, lang: Lang) -> Vec<Recipient> {
    let mut list = Vec::new();
    list.push(Recipient {
        who: config
            .courier_service
            .clone()
            .unwrap_or_else(|| lang.t("recipient-own-couriers").into_owned()),
        role_key: "recipient-courier-role",
        code: "courier",
        data_key: "recipient-courier-data",
    });
    list.push(Recipient {
        who: match (&config.mail_provider, config.smtp) {
            (Some(name), _) => name.clone(),
            (None, true) => lang.t("recipient-mail-server").into_owned(),
            (None, false) => lang.t("recipient-mail-local").into_owned(),
        },
        role_key: "recipient-mail-role",
        code: "mail",
        data_key: "recipient-mail-data",
    });
    list.push(Recipient {
        who: if config.mollie {
            "Mollie B.V.".to_owned()
        } else {
            lang.t("recipient-no-payment-provider").into_owned()
        },
        role_key: "recipient-payment-role",
        code: "payment",
        data_key: "recipient-payment-data",
    });
    list.push(Recipient {
        who: lang.t("recipient-tax-authority").into_owned(),
        role_key: "recipient-tax-role",
        code: "tax",
        data_key: "recipient-tax-data",
    });
    if config.tracking_script.is_some() {
        list.push(Recipient {
            who: config.tracking_origin().unwrap_or_default(),
            role_key: "recipient-tracking-role",
            code: "tracking",
            data_key: "recipient-tracking-data",
        });
    }
    list
}

/// Catalogue keys whose text is part of the statement.
const STATEMENT_KEYS: &[&str] = &[
    "privacy-intro",
    "privacy-logs",
    "privacy-cookies-intro",
    "privacy-rights-text",
    "privacy-rights-how",
    "privacy-authority-text",
    "privacy-consent-intro",
    "privacy-recipients-intro",
];

/// The version of a statement made from these parts: the first 12 hex digits of a SHA-256
/// over all of them, in both languages.
pub fn version_of(
    columns: &[PersonalColumn],
    cookies: &[CookieEntry],
    config: &PrivacyConfig,
) -> String {
    let mut hash = Sha256::new();
    for column in columns {
        hash.update(format!("{column:?}\n"));
    }
    for cookie in cookies {
        hash.update(format!("{cookie:?}\n"));
    }
    for lang in Lang::ALL {
        for purpose in ConsentPurpose::ALL {
            hash.update(
                lang.t(purpose.wording_key(purpose.current_version()))
                    .as_bytes(),
            );
        }
        for recipient in recipients(config, lang) {
            hash.update(format!("{recipient:?}\n"));
        }
        for key in STATEMENT_KEYS {
            // The shop's name stays the literal `{$shop}` (as Fluent writes a missing variable, so the
            // version is the one the shop had before it was given here).
            hash.update(
                lang.t_args(key, &[("shop", "{$shop}".to_owned())])
                    .as_bytes(),
            );
        }
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The version of the statement the shop shows now.
pub fn current_version(config: &PrivacyConfig) -> String {
    version_of(
        super::data_map::PERSONAL_COLUMNS,
        super::data_map::COOKIES,
        config,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::data_map::{COOKIES, PERSONAL_COLUMNS, Retention};

    #[test]
    fn changing_the_data_map_or_the_recipients_changes_the_version() {
        let config = PrivacyConfig::default();
        let now = version_of(PERSONAL_COLUMNS, COOKIES, &config);
        assert_eq!(now, version_of(PERSONAL_COLUMNS, COOKIES, &config));
        assert_eq!(now.len(), 12);
        let mut changed = PERSONAL_COLUMNS.to_vec();
        changed[0].retention = Retention::OneYear;
        assert_ne!(now, version_of(&changed, COOKIES, &config));
        let fewer = &PERSONAL_COLUMNS[1..];
        assert_ne!(now, version_of(fewer, COOKIES, &config));
        let with_courier = PrivacyConfig {
            courier_service: Some("Snelkoeriers B.V.".into()),
            ..PrivacyConfig::default()
        };
        assert_ne!(now, version_of(PERSONAL_COLUMNS, COOKIES, &with_courier));
    }

    #[test]
    fn every_recipient_text_exists_in_both_languages() {
        let config = PrivacyConfig {
            tracking_script: Some("https://t.example/x.js".into()),
            mollie: true,
            ..PrivacyConfig::default()
        };
        for lang in Lang::ALL {
            for r in recipients(&config, lang) {
                for key in [r.role_key, r.data_key] {
                    assert_ne!(lang.t(key), key);
                }
                assert!(!r.who.is_empty());
            }
            for key in STATEMENT_KEYS {
                assert_ne!(lang.t(key), *key);
            }
        }
    }
}
