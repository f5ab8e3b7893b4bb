//! The customer's own data (P13, GDPR art. 15 and 20), grouped by purpose with why each value
//! is kept, on what basis, until when and who else receives it: shown on the "my data" page and
//! downloaded as a ZIP with `data.json` (schema: `static/privacy/export-schema.json`) and a
//! readable `index.html`.

use std::io::Write;

use askama::Template;
use serde::Serialize;

use super::data_map::Purpose;
use super::disclosures::Disclosure;
use super::subject::Item;
use crate::config::PrivacyConfig;
use crate::domain::sealed::DataKey;
use crate::i18n::Lang;

/// The format name and version written into every export.
pub const FORMAT: &str = "bloei-export/1";

/// One value in the export.
#[derive(Debug, Clone, Serialize)]
pub struct ExportItem {
    /// Table it is stored in.
    pub table: &'static str,
    /// Column.
    pub column: &'static str,
    /// The row's id.
    pub row: String,
    /// The value as stored (a sealed IBAN opened).
    pub value: String,
    /// Kind of data (data map name) and in words.
    pub category: String,
    pub category_text: String,
    /// Lawful basis (data map name) and in words.
    pub legal_basis: String,
    pub legal_basis_text: String,
    /// How long it is kept, in words.
    pub retention: String,
    /// Who else receives it.
    pub recipients: Vec<String>,
}

/// The values kept for one purpose.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The purpose (data map name).
    pub purpose: String,
    /// The purpose in words.
    pub purpose_text: String,
    /// The values.
    pub items: Vec<ExportItem>,
}

/// Who else receives data kept for `purpose` (from the configured recipients).
fn recipients_for(purpose: Purpose, config: &PrivacyConfig, lang: Lang) -> Vec<String> {
    let all = super::statement::recipients(config, lang);
    let pick = |keys: &[&str]| {
        all.iter()
            .filter(|r| keys.contains(&r.role_key))
            .map(|r| r.who.clone())
            .collect()
    };
    match purpose {
        Purpose::OrderFulfilment => pick(&[
            "recipient-courier-role",
            "recipient-mail-role",
            "recipient-payment-role",
        ]),
        Purpose::Bookkeeping => pick(&["recipient-tax-role", "recipient-payment-role"]),
        Purpose::Account
        | Purpose::Marketing
        | Purpose::OccasionReminders
        | Purpose::CustomerService => pick(&["recipient-mail-role"]),
        _ => Vec::new(),
    }
}

/// Whether a column holds a secret (a password's or a link's hash, a link token), which the
/// export names but does not show.
pub fn is_secret(column: &str) -> bool {
    column.ends_with("_hash") || column.ends_with("_token")
}

/// Groups the subject's values by purpose, in the words of `lang`. A sealed value is opened
/// and, being an IBAN (the only sealed column holding customer data), shown masked as
/// everywhere else (P5): it is the company's account, and the download may be kept anywhere.
pub fn groups(items: &[Item], lang: Lang, config: &PrivacyConfig, key: &DataKey) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by_key(|i| i.column.purpose);
    for item in sorted {
        let c = item.column;
        let column_name = format!("{}.{}", c.table, c.column);
        let value = if is_secret(c.column) {
            // That a password or a link is stored is the person's data; the hash is only a
            // key, and in a download kept anywhere it would help someone guess the password.
            lang.t("export-secret-kept").into_owned()
        } else if item.value.starts_with(crate::domain::sealed::PREFIX) {
            key.open(&item.value, &column_name)
                .ok()
                .and_then(|plain| crate::domain::iban::Iban::parse(&plain).ok())
                .map(|iban| iban.masked())
                .unwrap_or_else(|| lang.t("export-sealed-unreadable").into_owned())
        } else {
            item.value.clone()
        };
        let export = ExportItem {
            table: c.table,
            column: c.column,
            row: item.row.clone(),
            value,
            category: format!("{:?}", c.category),
            category_text: lang.t(c.category.label_key()).into_owned(),
            legal_basis: format!("{:?}", c.basis),
            legal_basis_text: lang.t(c.basis.label_key()).into_owned(),
            retention: c.retention.describe(lang),
            recipients: recipients_for(c.purpose, config, lang),
        };
        let purpose = format!("{:?}", c.purpose);
        match groups.last_mut() {
            Some(group) if group.purpose == purpose => group.items.push(export),
            _ => groups.push(Group {
                purpose,
                purpose_text: lang.t(c.purpose.label_key()).into_owned(),
                items: vec![export],
            }),
        }
    }
    groups
}

/// A disclosure as the person reads it (P10).
#[derive(Debug, Clone, Serialize)]
pub struct DisclosureEntry {
    /// Who received the data.
    pub recipient: String,
    /// On what basis.
    pub legal_basis: String,
    /// Which data, for which order.
    pub data: String,
    /// When (UTC, RFC 3339).
    pub at: String,
}

/// The disclosures in the words of `lang`.
pub fn disclosure_entries(list: &[Disclosure], lang: Lang) -> Vec<DisclosureEntry> {
    list.iter()
        .map(|d| {
            let (recipient, basis, data) = d.keys();
            DisclosureEntry {
                recipient: lang.t(recipient).into_owned(),
                legal_basis: lang.t(basis).into_owned(),
                data: lang.t_args(data, &[("number", d.order_number.clone())]),
                at: d
                    .at
                    .and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            }
        })
        .collect()
}

/// The whole export as JSON (the shape `static/privacy/export-schema.json` describes).
pub fn data_json(
    groups: &[Group],
    disclosures: &[DisclosureEntry],
    shop: &crate::config::ShopInfo,
    statement_version: &str,
    lang: Lang,
) -> serde_json::Value {
    serde_json::json!({
        "format": FORMAT,
        "generated_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "language": lang.code(),
        "controller": {
            "name": shop.name,
            "email": shop.email,
            "phone": shop.phone,
            "kvk": shop.kvk,
        },
        "privacy_statement_version": statement_version,
        "purposes": groups,
        // P18: where to complain when the shop's answer does not satisfy.
        "supervisory_authority": {
            "name": lang.t("privacy-authority-name"),
            "url": lang.t("privacy-authority-url"),
            "text": lang.t("privacy-authority-text"),
        },
        // What went to whom outside the office (the courier lists, P10).
        "disclosures": disclosures,
    })
}

/// The readable copy in the ZIP.
#[derive(Template)]
#[template(path = "privacy/export.html")]
pub struct ExportHtml<'a> {
    /// Language of the texts.
    pub lang: Lang,
    /// The shop's name.
    pub shop: &'a str,
    /// The values.
    pub groups: &'a [Group],
    /// What went to others.
    pub disclosures: &'a [DisclosureEntry],
}

impl ExportHtml<'_> {
    /// A text in the export's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key).into_owned()
    }
}

/// Packs `data.json` and `index.html` into a ZIP.
pub fn zip(json: &serde_json::Value, html: &str) -> Result<Vec<u8>, String> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut archive = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let pretty = serde_json::to_vec_pretty(json).map_err(|e| e.to_string())?;
    for (name, bytes) in [
        ("data.json", pretty.as_slice()),
        ("index.html", html.as_bytes()),
    ] {
        archive
            .start_file(name, options)
            .map_err(|e| e.to_string())?;
        archive.write_all(bytes).map_err(|e| e.to_string())?;
    }
    archive.finish().map_err(|e| e.to_string())?;
    Ok(buffer.into_inner())
}
