//! Handling a desk request through the same paths a customer uses themselves (P13, P16–P17): an
//! access or portability request gets a week-long link to the same download the account page
//! gives; an erasure request erases the account as the account page would, with the same
//! confirmation mail and the same entry in the erasure log, and that mail is the outcome letter.
//! Both need the identity checked and an account behind the address; a step that does not fit
//! the request is refused and changes nothing. Every outcome letter names the Autoriteit
//! Persoonsgegevens (P18).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::requests::{self, Kind, Request};
use super::subject::Subject;
use crate::accounts::mails::LinkKind;
use crate::db::DbConn;
use crate::db::schema::{customers, privacy_requests};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// How long a download link works.
pub const DOWNLOAD_DAYS: i64 = 7;

/// The open, identified request `id` with an account behind it, asking one of `kinds`.
fn handleable(conn: &mut DbConn, id: i64, kinds: &[Kind]) -> Result<(Request, i64), AppError> {
    let request = requests::open_request(conn, id)?;
    if !kinds.contains(&request.kind()) {
        return Err(AppError::BadRequest("request-error-wrong-kind"));
    }
    if !request.identified() {
        return Err(AppError::BadRequest("request-error-identity-first"));
    }
    let customer = request
        .customer_id
        .ok_or(AppError::BadRequest("request-error-no-account"))?;
    Ok((request, customer))
}

/// Mails the requester a link to a copy of their data, valid [`DOWNLOAD_DAYS`] days (an access or
/// portability request). A second link replaces the first.
pub fn send_download_link(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    mail: &MailContext,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let (request, _) = handleable(conn, id, &[Kind::Access, Kind::Portability])?;
        let (token, hash) = crate::domain::token::new_link_token();
        let until = crate::db::now() + Duration::days(DOWNLOAD_DAYS);
        diesel::update(privacy_requests::table.find(id))
            .set((
                privacy_requests::download_token_hash.eq(hash),
                privacy_requests::download_expires_at.eq(until),
            ))
            .execute(conn)?;
        let url = format!("{}/verzoek/download/{token}", mail.public_url);
        let lang = requests::letter_lang(conn, &request)?;
        super::request_mail::download_link(mail, lang, &request, &url, until.date())?
            .queue(conn)?;
        requests::audit(conn, "request_download_link", staff_id, &request)?;
        Ok(())
    })
}

/// The account a download link gives a copy of, while the link works and the account exists.
pub fn download_account(conn: &mut DbConn, token: &str) -> Result<(i64, i64), AppError> {
    let found: Option<(i64, Option<i64>, Option<NaiveDateTime>)> = privacy_requests::table
        .filter(privacy_requests::download_token_hash.eq(crate::domain::token::token_hash(token)))
        .select((
            privacy_requests::id,
            privacy_requests::customer_id,
            privacy_requests::download_expires_at,
        ))
        .first(conn)
        .optional()?;
    match found {
        Some((request, Some(customer), Some(until))) if until > crate::db::now() => {
            Ok((request, customer))
        }
        _ => Err(AppError::Gone("request-download-gone")),
    }
}

/// Erases the account behind an erasure request, as the account page would (refused while an
/// order is under way), records who did it, and closes the request: the erasure's confirmation
/// mail is its outcome letter.
pub fn erase_account(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    with: &super::erasure::Erasing<'_>,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let (request, customer) = handleable(conn, id, &[Kind::Erasure])?;
        let (email, name, lang): (String, String, String) = customers::table
            .find(customer)
            .select((customers::email, customers::name, customers::lang))
            .first(conn)?;
        let subject = Subject {
            customer_id: customer,
            email: email.to_lowercase(),
        };
        let lang = Lang::from_code(&lang).unwrap_or(Lang::Nl);
        // Recorded first: the erasure unlinks the request from the account.
        requests::audit(conn, "request_erase", staff_id, &request)?;
        // The request is done with the erasure: its confirmation mail is the outcome letter
        // (it names the Autoriteit Persoonsgegevens, P18), and the erasure anonymises the
        // request, leaving only when it came, was due and was handled (P17).
        diesel::update(privacy_requests::table.find(id))
            .set((
                privacy_requests::status.eq("done"),
                privacy_requests::closed_at.eq(crate::db::now()),
            ))
            .execute(conn)?;
        super::erasure::erase(conn, &subject, &name, lang, with, LinkKind::Erased)
    })
}

/// Corrects the name and phone number of the account behind a correction request, as the
/// account page would, and records who did it (the values are in the account, not the log).
pub fn correct_profile(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    name: &crate::domain::Text,
    phone: Option<&crate::domain::PhoneNumber>,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let (request, customer) = handleable(conn, id, &[Kind::Correction])?;
        crate::accounts::repo::set_profile(
            conn,
            customer,
            name.as_str(),
            phone.map(|p| p.as_str()),
        )?;
        requests::audit(conn, "request_correct", staff_id, &request)?;
        Ok(())
    })
}
