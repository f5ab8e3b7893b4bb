//! Privacy use cases that several pages share.

use super::consent::{self, ConsentPurpose, ConsentSource, ConsentSubject};
use super::newsletter;
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// Gives (`grant`) or withdraws one of an account's consents from its privacy page, in the
/// caller's write transaction, and returns the flash message to show. The newsletter goes
/// through its double opt-in; withdrawing reminders deletes the saved occasions.
#[allow(clippy::too_many_arguments)]
pub fn account_choice(
    conn: &mut DbConn,
    id: i64,
    email: &str,
    lang: Lang,
    mail: &MailContext,
    purpose: ConsentPurpose,
    grant: bool,
    version: i32,
) -> Result<&'static str, AppError> {
    match (purpose, grant) {
        (ConsentPurpose::Newsletter, true) => {
            newsletter::sign_up(conn, mail, email, lang, Some(id), ConsentSource::Account)?;
            Ok("flash-newsletter-check-mail")
        }
        (ConsentPurpose::Newsletter, false) => {
            for s in newsletter::of_customer(conn, id, email)? {
                newsletter::unsubscribe(conn, s.id, ConsentSource::Account)?;
            }
            Ok("flash-choice-saved")
        }
        _ => {
            // A double-clicked button records the change once.
            crate::accounts::repo::lock(conn, id)?;
            if consent::current(conn, id, purpose)? != grant {
                consent::record(
                    conn,
                    ConsentSubject::account(id),
                    purpose,
                    grant,
                    version,
                    ConsentSource::Account,
                )?;
            }
            if purpose == ConsentPurpose::Reminders && !grant {
                super::reminder_stop::forget_occasions(conn, id)?;
            }
            Ok("flash-choice-saved")
        }
    }
}
