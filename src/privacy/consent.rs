//! The consent ledger (P2): every grant and withdrawal is appended with its time, purpose,
//! the version of the wording the person saw and where it was given; the current state is the
//! latest event per purpose. The database refuses to change an entry (a trigger); erasure only
//! removes its link to the person.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::consent_events;

pub use crate::domain::consent::{ConsentPurpose, ConsentSource};

/// Whose consent an event records: an account, a newsletter subscription, or both.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsentSubject {
    /// The account, when there is one.
    pub customer_id: Option<i64>,
    /// The newsletter subscription, for newsletter consent.
    pub subscriber_id: Option<i64>,
}

impl ConsentSubject {
    /// An account's own consent (everything but the newsletter).
    pub fn account(customer_id: i64) -> Self {
        ConsentSubject {
            customer_id: Some(customer_id),
            subscriber_id: None,
        }
    }
}

/// One ledger entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consent_events)]
pub struct ConsentEvent {
    pub id: i64,
    pub purpose: String,
    pub granted: bool,
    pub wording_version: i32,
    pub source: String,
    pub created_at: NaiveDateTime,
}

/// Appends a grant (`granted`) or withdrawal to the ledger.
pub fn record(
    conn: &mut DbConn,
    subject: ConsentSubject,
    purpose: ConsentPurpose,
    granted: bool,
    version: i32,
    source: ConsentSource,
) -> QueryResult<()> {
    diesel::insert_into(consent_events::table)
        .values((
            consent_events::customer_id.eq(subject.customer_id),
            consent_events::subscriber_id.eq(subject.subscriber_id),
            consent_events::purpose.eq(purpose.as_str()),
            consent_events::granted.eq(granted),
            consent_events::wording_version.eq(version),
            consent_events::source.eq(source.as_str()),
            consent_events::created_at.eq(crate::db::now()),
        ))
        .execute(conn)
        .map(drop)
}

/// The ledger of an account, oldest first (also the newsletter events of its subscription).
pub fn history(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<ConsentEvent>> {
    use crate::db::schema::newsletter_subscribers as subs;
    let subscriptions: Vec<i64> = subs::table
        .filter(subs::customer_id.eq(customer_id))
        .select(subs::id)
        .load(conn)?;
    consent_events::table
        .filter(
            consent_events::customer_id
                .eq(customer_id)
                .or(consent_events::subscriber_id.eq_any(subscriptions)),
        )
        .order(consent_events::id)
        .select(ConsentEvent::as_select())
        .load(conn)
}

/// The ledger of a newsletter subscription, oldest first.
pub fn subscriber_history(conn: &mut DbConn, subscriber_id: i64) -> QueryResult<Vec<ConsentEvent>> {
    consent_events::table
        .filter(consent_events::subscriber_id.eq(subscriber_id))
        .order(consent_events::id)
        .select(ConsentEvent::as_select())
        .load(conn)
}

/// The latest choice for `purpose` in `events` (oldest first); `None` when never chosen.
pub fn latest(events: &[ConsentEvent], purpose: ConsentPurpose) -> Option<bool> {
    events
        .iter()
        .rev()
        .find(|e| e.purpose == purpose.as_str())
        .map(|e| e.granted)
}

/// Whether the latest event for `purpose` in `events` (oldest first) is a grant.
pub fn is_granted(events: &[ConsentEvent], purpose: ConsentPurpose) -> bool {
    latest(events, purpose) == Some(true)
}

/// The current state of `purpose` for an account.
pub fn current(conn: &mut DbConn, customer_id: i64, purpose: ConsentPurpose) -> QueryResult<bool> {
    Ok(is_granted(&history(conn, customer_id)?, purpose))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(purpose: &str, granted: bool) -> ConsentEvent {
        ConsentEvent {
            id: 0,
            purpose: purpose.into(),
            granted,
            wording_version: 1,
            source: "account".into(),
            created_at: crate::db::now(),
        }
    }

    #[test]
    fn the_latest_event_per_purpose_decides_and_no_event_means_no_consent() {
        let events = [
            event("newsletter", true),
            event("profiling", true),
            event("newsletter", false),
        ];
        assert!(!is_granted(&events, ConsentPurpose::Newsletter));
        assert!(is_granted(&events, ConsentPurpose::Profiling));
        assert!(!is_granted(&events, ConsentPurpose::Reminders));
    }

    #[test]
    fn a_tampered_purpose_or_a_stale_wording_version_is_refused() {
        assert!(ConsentPurpose::from_form("newsletter", "1").is_ok());
        assert!(ConsentPurpose::from_form("everything", "1").is_err());
        assert!(ConsentPurpose::from_form("newsletter", "0").is_err());
        assert!(ConsentPurpose::from_form("newsletter", "x").is_err());
    }

    #[test]
    fn every_wording_exists_in_both_languages() {
        for purpose in ConsentPurpose::ALL {
            for lang in crate::i18n::Lang::ALL {
                let key = purpose.wording_key(purpose.current_version());
                assert_ne!(lang.t(&key), key, "{key} missing");
                assert_ne!(lang.t(purpose.name_key()), purpose.name_key());
            }
        }
    }
}
