//! The newsletter (P8, P11): sign-up with double opt-in by e-mail (from the footer, the account
//! or the checkout), an unsubscribe link in every marketing mail that works without logging in
//! (also as an RFC 8058 one-click POST), and each step recorded in the consent ledger (P2).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::consent::{self, ConsentPurpose, ConsentSource, ConsentSubject};
use crate::accounts::mails::{self, LinkKind};
use crate::db::DbConn;
use crate::db::schema::newsletter_subscribers as subs;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// How long a confirmation link works.
const CONFIRM_HOURS: i64 = 48;

/// A newsletter subscription.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = subs)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub lang: String,
    pub customer_id: Option<i64>,
    pub source: String,
    pub confirm_expires_at: Option<NaiveDateTime>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub unsubscribe_token: String,
    pub unsubscribed_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Subscriber({})", self.id)
    }
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Signed up, the confirmation link not yet used.
    Pending,
    /// Confirmed: receives the newsletter.
    Active,
    /// Unsubscribed.
    Unsubscribed,
}

impl Subscriber {
    /// The subscription's state.
    pub fn state(&self) -> State {
        match (self.unsubscribed_at, self.confirmed_at) {
            (Some(_), _) => State::Unsubscribed,
            (None, Some(_)) => State::Active,
            (None, None) => State::Pending,
        }
    }

    /// Whose consent the subscription's events record.
    pub fn consent_subject(&self) -> ConsentSubject {
        ConsentSubject {
            customer_id: self.customer_id,
            subscriber_id: Some(self.id),
        }
    }

    /// The subscriber's language.
    pub fn language(&self) -> Lang {
        Lang::from_code(&self.lang).unwrap_or_default()
    }
}

/// The unsubscribe page of a subscription (also the `List-Unsubscribe` URL).
pub fn unsubscribe_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/nieuwsbrief/afmelden/{token}")
}

/// The subscription of `email` (lower-cased), if any.
pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<Subscriber>> {
    subs::table
        .filter(subs::email.eq(email.to_lowercase()))
        .select(Subscriber::as_select())
        .first(conn)
        .optional()
}

/// The subscriptions of an account: by its id, or by its address (after an address change
/// there can be one of each).
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: i64,
    email: &str,
) -> QueryResult<Vec<Subscriber>> {
    subs::table
        .filter(
            subs::customer_id
                .eq(customer_id)
                .or(subs::email.eq(email.to_lowercase())),
        )
        .order(subs::id)
        .select(Subscriber::as_select())
        .load(conn)
}

/// Every confirmed, not unsubscribed subscription.
pub fn active(conn: &mut DbConn) -> QueryResult<Vec<Subscriber>> {
    subs::table
        .filter(subs::confirmed_at.is_not_null())
        .filter(subs::unsubscribed_at.is_null())
        .order(subs::id)
        .select(Subscriber::as_select())
        .load(conn)
}

/// Signs `email` up: a confirmation mail goes out and nothing is sent until its link is used
/// (double opt-in). The consent is recorded when the link is used, with the source given here.
/// An address that already receives the newsletter gets no mail.
pub fn sign_up(
    conn: &mut DbConn,
    mail: &MailContext,
    email: &str,
    lang: Lang,
    customer_id: Option<i64>,
    source: ConsentSource,
) -> Result<(), AppError> {
    let email = email.to_lowercase();
    let now = crate::db::now();
    let (token, hash) = crate::domain::token::new_link_token();
    let expires = now + chrono::Duration::hours(CONFIRM_HOURS);
    match by_email(conn, &email)? {
        Some(existing) if existing.state() == State::Active => {
            if existing.customer_id.is_none() && customer_id.is_some() {
                diesel::update(subs::table.find(existing.id))
                    .set(subs::customer_id.eq(customer_id))
                    .execute(conn)?;
            }
            return Ok(());
        }
        Some(existing) => {
            diesel::update(subs::table.find(existing.id))
                .set((
                    subs::lang.eq(lang.code()),
                    subs::source.eq(source.as_str()),
                    subs::customer_id.eq(customer_id.or(existing.customer_id)),
                    subs::confirm_token_hash.eq(&hash),
                    subs::confirm_expires_at.eq(expires),
                ))
                .execute(conn)?;
        }
        None => {
            // Two sign-ups of one address at once: the loser's insert meets the unique key
            // (inside a savepoint, so the transaction goes on) and signs up the row now there.
            let inserted = conn.write_tx(|conn| {
                diesel::insert_into(subs::table)
                    .values((
                        subs::email.eq(&email),
                        subs::lang.eq(lang.code()),
                        subs::customer_id.eq(customer_id),
                        subs::source.eq(source.as_str()),
                        subs::confirm_token_hash.eq(&hash),
                        subs::confirm_expires_at.eq(expires),
                        subs::unsubscribe_token.eq(crate::domain::token::random_token()),
                        subs::created_at.eq(now),
                    ))
                    .execute(conn)
                    .map_err(AppError::from)
            });
            match inserted {
                Err(AppError::Conflict) => {
                    return sign_up(conn, mail, &email, lang, customer_id, source);
                }
                other => other.map(drop)?,
            }
        }
    }
    let url = format!("{}/nieuwsbrief/bevestigen/{token}", mail.public_url);
    mails::link(mail, lang, &email, "", LinkKind::Newsletter, &url)?.queue(conn)?;
    Ok(())
}

/// The subscription a confirmation link belongs to: unknown is 404, used or expired is 410.
pub fn by_confirm_token(conn: &mut DbConn, token: &str) -> Result<Subscriber, AppError> {
    let hash = crate::domain::token::token_hash(token);
    let found = subs::table
        .filter(subs::confirm_token_hash.eq(&hash))
        .select(Subscriber::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if found
        .confirm_expires_at
        .is_none_or(|at| at < crate::db::now())
    {
        return Err(AppError::Gone("error-link-expired"));
    }
    Ok(found)
}

/// Uses a confirmation link: the subscription becomes active and the consent is recorded.
pub fn confirm(conn: &mut DbConn, token: &str) -> Result<Subscriber, AppError> {
    conn.write_tx(|conn| {
        let found = by_confirm_token(conn, token)?;
        let now = crate::db::now();
        diesel::update(subs::table.find(found.id))
            .set((
                subs::confirmed_at.eq(now),
                subs::unsubscribed_at.eq(None::<NaiveDateTime>),
                // Single use: the link is spent.
                subs::confirm_token_hash.eq(None::<String>),
                subs::confirm_expires_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        let source = ConsentSource::parse(&found.source).unwrap_or(ConsentSource::Email);
        consent::record(
            conn,
            found.consent_subject(),
            ConsentPurpose::Newsletter,
            true,
            ConsentPurpose::Newsletter.current_version(),
            source,
        )?;
        Ok(found)
    })
}

/// The subscription an unsubscribe link belongs to (404 when unknown, e.g. after erasure).
pub fn by_unsubscribe_token(conn: &mut DbConn, token: &str) -> Result<Subscriber, AppError> {
    subs::table
        .filter(subs::unsubscribe_token.eq(token))
        .select(Subscriber::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// Ends a subscription. Idempotent: a second use changes nothing and records nothing.
pub fn unsubscribe(
    conn: &mut DbConn,
    subscriber_id: i64,
    source: ConsentSource,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let found: Subscriber = subs::table
            .find(subscriber_id)
            .select(Subscriber::as_select())
            .first(conn)?;
        if found.state() == State::Unsubscribed {
            return Ok(());
        }
        // Conditional, so of two unsubscribes at once (a button and a mail client's one-click)
        // only one changes the row and records the withdrawal: on PostgreSQL the second waits
        // for the first's row lock and then finds nothing left to change.
        let changed = diesel::update(
            subs::table
                .find(found.id)
                .filter(subs::unsubscribed_at.is_null()),
        )
        .set((
            subs::unsubscribed_at.eq(crate::db::now()),
            subs::confirm_token_hash.eq(None::<String>),
            subs::confirm_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(());
        }
        // A pending sign-up never became consent, so there is nothing to withdraw.
        if found.state() == State::Active {
            consent::record(
                conn,
                found.consent_subject(),
                ConsentPurpose::Newsletter,
                false,
                ConsentPurpose::Newsletter.current_version(),
                source,
            )?;
        }
        Ok(())
    })
}
