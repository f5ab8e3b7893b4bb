//! The processor register (P10): every company that handles personal data for the shop — what
//! for, which data, when the processing agreement was signed, and where the data is kept. The
//! configuration names some of them (courier service, mail provider, Mollie, a tracking script:
//! name, purpose and data follow from the settings, the owner adds the agreement date and the
//! location); the owner adds the others (hosting, bookkeeping) by hand. The register is part of
//! the privacy statement, so it is part of the statement's version (P19): an edit on one instance
//! changes the version every instance reports, because the version is read from the database.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::statement;
use crate::config::PrivacyConfig;
use crate::db::DbConn;
use crate::db::schema::processors;
use crate::domain::FieldErrors;
use crate::domain::contact::Text;
use crate::error::AppError;
use crate::i18n::Lang;

/// A stored register row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = processors)]
pub struct ProcessorRow {
    /// Key.
    pub id: i64,
    /// The configured recipient this row completes (`mail`, `payment`, ...), or `None` for one
    /// added by hand.
    pub role: Option<String>,
    /// Company name (for a configured one: the name when it was last edited).
    pub name: String,
    /// What they do for the shop, in Dutch.
    pub purpose_nl: String,
    /// ... in English (empty: the Dutch text is shown).
    pub purpose_en: String,
    /// Which data they receive, in Dutch.
    pub data_nl: String,
    /// ... in English (empty: the Dutch text is shown).
    pub data_en: String,
    /// When the processing agreement was signed.
    pub agreement_on: Option<NaiveDate>,
    /// Where the data is kept (`Nederland`, `EU (Ierland)`).
    pub location: String,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

/// One line of the register, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the edit address names: the configured role (`mail`) or the row's id.
    pub key: String,
    /// Who.
    pub name: String,
    /// What for.
    pub purpose: String,
    /// Which data.
    pub data: String,
    /// When the processing agreement was signed, if recorded.
    pub agreement_on: Option<NaiveDate>,
    /// Where the data is kept; empty when not recorded.
    pub location: String,
    /// Whether the configuration names it (then only date and location are edited here).
    pub configured: bool,
}

/// Every stored row, oldest first.
pub fn rows(conn: &mut DbConn) -> QueryResult<Vec<ProcessorRow>> {
    processors::table
        .select(ProcessorRow::as_select())
        .order(processors::id)
        .load(conn)
}

/// The register in `lang`: the recipients the configuration names, completed by their rows,
/// then the processors added by hand.
pub fn register(config: &PrivacyConfig, rows: &[ProcessorRow], lang: Lang) -> Vec<Entry> {
    let mut entries: Vec<Entry> = statement::recipients(config, lang)
        .into_iter()
        .map(|r| {
            let row = rows.iter().find(|row| row.role.as_deref() == Some(r.code));
            Entry {
                key: r.code.to_owned(),
                name: r.who,
                purpose: lang.t(r.role_key).into_owned(),
                data: lang.t(r.data_key).into_owned(),
                agreement_on: row.and_then(|row| row.agreement_on),
                location: row.map(|row| row.location.clone()).unwrap_or_default(),
                configured: true,
            }
        })
        .collect();
    let in_lang = |nl: &str, en: &str| match lang {
        Lang::En if !en.is_empty() => en.to_owned(),
        _ => nl.to_owned(),
    };
    entries.extend(
        rows.iter()
            .filter(|row| row.role.is_none())
            .map(|row| Entry {
                key: row.id.to_string(),
                name: row.name.clone(),
                purpose: in_lang(&row.purpose_nl, &row.purpose_en),
                data: in_lang(&row.data_nl, &row.data_en),
                agreement_on: row.agreement_on,
                location: row.location.clone(),
                configured: false,
            }),
    );
    entries
}

/// The statement's version (P19) with this register: the version of everything fixed while the
/// shop runs (`base`, see [`statement::current_version`]) when the register adds nothing, else
/// a fingerprint of both. Rows for a recipient the configuration no longer names do not count.
pub fn version_with(base: &str, config: &PrivacyConfig, rows: &[ProcessorRow]) -> String {
    let mut hash = Sha256::new();
    let mut any = false;
    for lang in Lang::ALL {
        for entry in register(config, rows, lang) {
            if entry.configured && entry.agreement_on.is_none() && entry.location.is_empty() {
                continue;
            }
            any = true;
            hash.update(format!("{entry:?}\n"));
        }
    }
    if !any {
        return base.to_owned();
    }
    hash.update(base.as_bytes());
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The statement's version now, read from the database (see [`version_with`]).
pub fn current_version(
    conn: &mut DbConn,
    base: &str,
    config: &PrivacyConfig,
) -> QueryResult<String> {
    Ok(version_with(base, config, &rows(conn)?))
}

/// The register form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProcessorForm {
    /// Company name (added processors only).
    #[serde(default)]
    pub name: String,
    /// What for, Dutch.
    #[serde(default)]
    pub purpose_nl: String,
    /// What for, English (optional).
    #[serde(default)]
    pub purpose_en: String,
    /// Which data, Dutch.
    #[serde(default)]
    pub data_nl: String,
    /// Which data, English (optional).
    #[serde(default)]
    pub data_en: String,
    /// Agreement date, `YYYY-MM-DD`, or empty when none is signed yet.
    #[serde(default)]
    pub agreement_on: String,
    /// Where the data is kept.
    #[serde(default)]
    pub location: String,
}

impl ProcessorForm {
    /// The form filled with what is stored for `entry`.
    pub fn of(entry: &Entry, row: Option<&ProcessorRow>) -> ProcessorForm {
        ProcessorForm {
            name: entry.name.clone(),
            purpose_nl: row.map(|r| r.purpose_nl.clone()).unwrap_or_default(),
            purpose_en: row.map(|r| r.purpose_en.clone()).unwrap_or_default(),
            data_nl: row.map(|r| r.data_nl.clone()).unwrap_or_default(),
            data_en: row.map(|r| r.data_en.clone()).unwrap_or_default(),
            agreement_on: entry
                .agreement_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            location: entry.location.clone(),
        }
    }
}

/// Which register line a form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A recipient the configuration names, by its code (`mail`).
    Configured(&'a str),
    /// A processor added by hand, by id.
    Added(i64),
    /// A new processor.
    New,
}

impl<'a> Target<'a> {
    /// The line an edit address names: a configured code or a number.
    pub fn parse(key: &'a str, config: &PrivacyConfig) -> Option<Target<'a>> {
        if let Ok(id) = key.parse::<i64>() {
            return Some(Target::Added(id));
        }
        statement::recipients(config, Lang::Nl)
            .iter()
            .any(|r| r.code == key)
            .then_some(Target::Configured(key))
    }
}

const NAME_MAX: usize = 200;
const TEXT_MAX: usize = 500;

/// Saves a register line as typed on `today`; the inner error says what to fix per field.
/// `Ok(Err)` with no field errors never happens; an unknown added id is `AppError::NotFound`.
pub fn save(
    conn: &mut DbConn,
    target: Target<'_>,
    form: &ProcessorForm,
    config: &PrivacyConfig,
    today: NaiveDate,
) -> Result<Result<(), FieldErrors>, AppError> {
    let mut errors = FieldErrors::new();
    let mut text = |typed: &str, field: &'static str, max: usize, required: bool| {
        let parsed = if required {
            Text::required(typed, max).map(Some)
        } else {
            Text::optional(typed, max)
        };
        parsed
            .map(|t| t.map(|t| t.as_str().to_owned()).unwrap_or_default())
            .map_err(|e| errors.insert(field, e.message_key()))
            .unwrap_or_default()
    };
    let by_hand = !matches!(target, Target::Configured(_));
    let name = text(&form.name, "name", NAME_MAX, by_hand);
    let purpose_nl = text(&form.purpose_nl, "purpose_nl", TEXT_MAX, by_hand);
    let purpose_en = text(&form.purpose_en, "purpose_en", TEXT_MAX, false);
    let data_nl = text(&form.data_nl, "data_nl", TEXT_MAX, by_hand);
    let data_en = text(&form.data_en, "data_en", TEXT_MAX, false);
    let location = text(&form.location, "location", NAME_MAX, true);
    let agreement_on = match form.agreement_on.trim() {
        "" => None,
        typed => match NaiveDate::parse_from_str(typed, "%Y-%m-%d") {
            Ok(date) if date <= today => Some(date),
            Ok(_) => {
                errors.insert("agreement_on", "processor-error-future");
                None
            }
            Err(_) => {
                errors.insert("agreement_on", "request-error-date");
                None
            }
        },
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let now = chrono::Utc::now().naive_utc();
    match target {
        Target::Configured(code) => {
            let configured_name = statement::recipients(config, Lang::Nl)
                .into_iter()
                .find(|r| r.code == code)
                .map(|r| r.who)
                .ok_or(AppError::NotFound)?;
            let existing: Option<i64> = processors::table
                .filter(processors::role.eq(code))
                .select(processors::id)
                .first(conn)
                .optional()?;
            let values = (
                processors::name.eq(configured_name),
                processors::agreement_on.eq(agreement_on),
                processors::location.eq(&location),
                processors::updated_at.eq(now),
            );
            match existing {
                Some(id) => {
                    diesel::update(processors::table.find(id))
                        .set(values)
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(processors::table)
                        .values((
                            processors::role.eq(code),
                            processors::purpose_nl.eq(""),
                            processors::purpose_en.eq(""),
                            processors::data_nl.eq(""),
                            processors::data_en.eq(""),
                            values,
                        ))
                        .execute(conn)?;
                }
            }
        }
        Target::Added(id) => {
            let changed = diesel::update(
                processors::table
                    .find(id)
                    .filter(processors::role.is_null()),
            )
            .set((
                processors::name.eq(&name),
                processors::purpose_nl.eq(&purpose_nl),
                processors::purpose_en.eq(&purpose_en),
                processors::data_nl.eq(&data_nl),
                processors::data_en.eq(&data_en),
                processors::agreement_on.eq(agreement_on),
                processors::location.eq(&location),
                processors::updated_at.eq(now),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(AppError::NotFound);
            }
        }
        Target::New => {
            diesel::insert_into(processors::table)
                .values((
                    processors::name.eq(&name),
                    processors::purpose_nl.eq(&purpose_nl),
                    processors::purpose_en.eq(&purpose_en),
                    processors::data_nl.eq(&data_nl),
                    processors::data_en.eq(&data_en),
                    processors::agreement_on.eq(agreement_on),
                    processors::location.eq(&location),
                    processors::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(Ok(()))
}

/// Removes a processor added by hand (configured ones leave the register when the setting
/// goes). `false` when there was none.
pub fn remove(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let removed = diesel::delete(
        processors::table
            .find(id)
            .filter(processors::role.is_null()),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, role: Option<&str>, location: &str) -> ProcessorRow {
        ProcessorRow {
            id,
            role: role.map(str::to_owned),
            name: "Hosting B.V.".into(),
            purpose_nl: "Hosting van de webwinkel".into(),
            purpose_en: String::new(),
            data_nl: "Alle gegevens van de winkel".into(),
            data_en: String::new(),
            agreement_on: NaiveDate::from_ymd_opt(2026, 3, 1),
            location: location.into(),
            updated_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn an_added_processor_shows_its_dutch_text_when_no_english_was_given() {
        let config = PrivacyConfig::default();
        let rows = [row(1, None, "Nederland")];
        let en = register(&config, &rows, Lang::En);
        let added = en.iter().find(|e| !e.configured).unwrap();
        assert_eq!(added.purpose, "Hosting van de webwinkel");
        assert_eq!(added.key, "1");
    }

    #[test]
    fn the_version_stays_until_the_register_says_something_and_changes_with_every_edit() {
        let config = PrivacyConfig {
            mollie: true,
            ..PrivacyConfig::default()
        };
        assert_eq!(version_with("abc", &config, &[]), "abc");
        let with_location = [row(1, Some("payment"), "Nederland")];
        let v1 = version_with("abc", &config, &with_location);
        assert_ne!(v1, "abc");
        assert_eq!(v1.len(), 12);
        let moved = [row(1, Some("payment"), "EU (Ierland)")];
        assert_ne!(version_with("abc", &config, &moved), v1);
        // A row for a recipient the settings no longer name does not count.
        let gone = [row(1, Some("tracking"), "VS")];
        assert_eq!(version_with("abc", &config, &gone), "abc");
    }
}
