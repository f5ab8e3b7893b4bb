//! Account use cases, each in one transaction: registering, confirming an address, logging in,
//! resetting and changing a password, changing the address. No answer tells whether an address
//! has an account: a duplicate registration gets the same reply as a new one (and the existing
//! address a mail), a reset for an unknown address the same reply as for a known one.

use super::mails::{self, LinkKind};
use super::model::{LinkPurpose, NewAccount};
use super::repo::{self, CustomerRow, NewCustomer};
use crate::db::{Db, DbConn};
use crate::domain::password::{self, PasswordCost};
use crate::domain::token::{new_link_token, token_hash};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// Hashes a new password. CPU-heavy: callers run it inside `Db::with_pool`, off the async
/// threads and without holding a database connection.
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, AppError> {
    password::hash(password, cost).map_err(AppError::internal)
}

/// Registers an account and mails the confirmation link; for an address that has an account
/// already, mails that address a reminder instead. The caller answers the same either way.
/// `password_hash` is the new password hashed by the caller, off the pooled connection, in
/// both cases, so the reply takes as long for a known address as for a new one.
pub fn register(
    conn: &mut DbConn,
    new: &NewAccount,
    password_hash: &str,
    lang: Lang,
    ctx: &MailContext,
    privacy_version: &str,
) -> Result<(), AppError> {
    let email = new.email.as_str();
    let created = conn.write_tx(|conn| {
        if let Some(existing) = repo::by_email(conn, email)? {
            return Ok::<_, AppError>(Some(existing));
        }
        let now = crate::db::now();
        let id = repo::insert(
            conn,
            &NewCustomer {
                email,
                name: new.name.as_str(),
                phone: new.phone.as_ref().map(|p| p.as_str()),
                password_hash,
                lang: lang.code(),
                privacy_version,
            },
            now,
        )?;
        let (token, token_hash) = new_link_token();
        repo::insert_token(conn, id, LinkPurpose::Verify, &token_hash, None, now)?;
        let url = format!("{}/account/bevestigen/{token}", ctx.public_url);
        mails::link(ctx, lang, email, new.name.as_str(), LinkKind::Verify, &url)?.queue(conn)?;
        Ok(None)
    });
    let existing = match created {
        Ok(existing) => existing,
        // Registered at the same moment by another request: now it exists.
        Err(AppError::Conflict) => repo::by_email(conn, email)?,
        Err(e) => return Err(e),
    };
    if let Some(existing) = existing {
        let lang = Lang::from_code(&existing.lang).unwrap_or(lang);
        let url = format!("{}/account/inloggen", ctx.public_url);
        mails::link(
            ctx,
            lang,
            &existing.email,
            &existing.name,
            LinkKind::AlreadyRegistered,
            &url,
        )?
        .queue(conn)?;
    }
    Ok(())
}

/// Why a link could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Older than its lifetime.
    Expired,
    /// Used before, replaced by a newer one, or never issued.
    Invalid,
    /// The account's password was not given with it (the link stays usable).
    WrongPassword,
}

/// Checks, without using it, that a link is usable and that `password` is its account's.
///
/// Confirming an address links the guest orders placed with it and logs in, so whoever
/// confirms must be the account's owner: otherwise someone could register with another
/// person's address and, once that person clicks the genuine mail, read their orders.
fn check_link_password(
    conn: &mut DbConn,
    purpose: LinkPurpose,
    token: &str,
    password_typed: &str,
) -> Result<Result<(), LinkProblem>, AppError> {
    let now = crate::db::now();
    let Some(row) = repo::token(conn, purpose, &token_hash(token))? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    if row.used_at.is_some() {
        return Ok(Err(LinkProblem::Invalid));
    }
    if row.expires_at < now {
        return Ok(Err(LinkProblem::Expired));
    }
    let Some(customer) = repo::by_id(conn, row.customer_id)? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    if !password::verify(password_typed, &customer.password_hash) {
        return Ok(Err(LinkProblem::WrongPassword));
    }
    Ok(Ok(()))
}

/// Checks a link and marks it used, in the caller's transaction.
fn take_link(
    conn: &mut DbConn,
    purpose: LinkPurpose,
    token: &str,
) -> Result<Result<repo::TokenRow, LinkProblem>, AppError> {
    let now = crate::db::now();
    let Some(row) = repo::token(conn, purpose, &token_hash(token))? else {
        return Ok(Err(LinkProblem::Invalid));
    };
    if row.used_at.is_some() {
        return Ok(Err(LinkProblem::Invalid));
    }
    if row.expires_at < now {
        return Ok(Err(LinkProblem::Expired));
    }
    if !repo::use_token(conn, row.id, now)? {
        return Ok(Err(LinkProblem::Invalid));
    }
    Ok(Ok(row))
}

/// Confirms a new account's address and links the guest orders placed with it; the account
/// to log in.
pub fn verify(
    conn: &mut DbConn,
    token: &str,
    password_typed: &str,
) -> Result<Result<CustomerRow, LinkProblem>, AppError> {
    // The password is checked before the write transaction, which must not wait for Argon2.
    if let Err(problem) = check_link_password(conn, LinkPurpose::Verify, token, password_typed)? {
        return Ok(Err(problem));
    }
    conn.write_tx(|conn| {
        let row = match take_link(conn, LinkPurpose::Verify, token)? {
            Ok(row) => row,
            Err(problem) => return Ok(Err(problem)),
        };
        let now = crate::db::now();
        repo::mark_verified(conn, row.customer_id, now)?;
        let customer = repo::by_id(conn, row.customer_id)?
            .ok_or_else(|| AppError::internal("verified account is gone"))?;
        repo::link_guest_orders(conn, customer.id, &customer.email)?;
        repo::touch_login(conn, customer.id, now)?;
        Ok(Ok(customer))
    })
}

/// The result of a login attempt.
pub enum Login {
    /// The address and password match a confirmed account.
    Success(CustomerRow),
    /// They match, but the address has not been confirmed yet.
    Unverified,
    /// No account with this address and password.
    Failed,
}

/// Checks a login; links guest orders placed since the last one. Run with `Db::with_pool`:
/// the password is checked between two connections, so the hash never holds one; an unknown
/// address is checked against a stand-in hash, so it takes as long.
pub fn login(db: &Db, email: &str, password: &str) -> Result<Login, AppError> {
    let email = email.trim().to_lowercase();
    let found = db.query(|conn| Ok(repo::by_email(conn, &email)?))?;
    let stored = found
        .as_ref()
        .map_or(password::NO_ACCOUNT_HASH, |c| c.password_hash.as_str());
    let matches = password::verify(password, stored);
    match found {
        Some(customer) if matches && customer.is_verified() => {
            db.query(|conn| {
                Ok(conn.write_tx(|conn| {
                    repo::touch_login(conn, customer.id, crate::db::now())?;
                    repo::link_guest_orders(conn, customer.id, &customer.email)
                })?)
            })?;
            Ok(Login::Success(customer))
        }
        Some(_) if matches => Ok(Login::Unverified),
        _ => Ok(Login::Failed),
    }
}

/// Mails a new link of `kind` to the account with this address, if there is one that needs
/// it (a reset link, or a confirmation link for an unconfirmed account). Older links of the
/// same kind stop working.
pub fn send_link(
    conn: &mut DbConn,
    email: &str,
    purpose: LinkPurpose,
    ctx: &MailContext,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let Some(customer) = repo::by_email(conn, email)? else {
            return Ok(());
        };
        let (path, kind) = match purpose {
            LinkPurpose::Reset => ("wachtwoord-herstellen", LinkKind::Reset),
            LinkPurpose::Verify if !customer.is_verified() => ("bevestigen", LinkKind::Verify),
            _ => return Ok(()),
        };
        let now = crate::db::now();
        repo::void_tokens(conn, customer.id, purpose, now)?;
        let (token, hash) = new_link_token();
        repo::insert_token(conn, customer.id, purpose, &hash, None, now)?;
        let url = format!("{}/account/{path}/{token}", ctx.public_url);
        let lang = Lang::from_code(&customer.lang).unwrap_or_default();
        mails::link(ctx, lang, &customer.email, &customer.name, kind, &url)?.queue(conn)?;
        Ok(())
    })
}

/// Whether a reset link can still be used (to show the form or the "send a new one" page).
pub fn check_reset_link(conn: &mut DbConn, token: &str) -> Result<Option<LinkProblem>, AppError> {
    let now = crate::db::now();
    Ok(
        match repo::token(conn, LinkPurpose::Reset, &token_hash(token))? {
            None => Some(LinkProblem::Invalid),
            Some(row) if row.used_at.is_some() => Some(LinkProblem::Invalid),
            Some(row) if row.expires_at < now => Some(LinkProblem::Expired),
            Some(_) => None,
        },
    )
}

/// Sets a new password through a reset link (which also proves the address); every login of
/// the account ends.
pub fn reset_password(
    conn: &mut DbConn,
    token: &str,
    hash: &str,
) -> Result<Result<(), LinkProblem>, AppError> {
    conn.write_tx(|conn| {
        let row = match take_link(conn, LinkPurpose::Reset, token)? {
            Ok(row) => row,
            Err(problem) => return Ok(Err(problem)),
        };
        let now = crate::db::now();
        repo::set_password(conn, row.customer_id, hash)?;
        repo::mark_verified(conn, row.customer_id, now)?;
        repo::void_tokens(conn, row.customer_id, LinkPurpose::Reset, now)?;
        // Every login ends (the raised version does that too; this drops their rows).
        let holder = crate::web::logins::Holder::Customer(row.customer_id);
        crate::web::logins::close_all(conn, holder)?;
        Ok(Ok(()))
    })
}

/// Changes the password after checking the current one; the new session version, or `None`
/// when the current password was wrong.
pub fn change_password(
    conn: &mut DbConn,
    customer_id: i64,
    current: &str,
    new_hash: &str,
) -> Result<Option<i32>, AppError> {
    let Some(customer) = repo::by_id(conn, customer_id)? else {
        return Ok(None);
    };
    if !password::verify(current, &customer.password_hash) {
        return Ok(None);
    }
    Ok(Some(repo::set_password(conn, customer_id, new_hash)?))
}

/// Starts a change of address: mails a confirmation link to the new address (or, when that
/// address has an account already, a note saying so). False when the password was wrong.
pub fn request_email_change(
    conn: &mut DbConn,
    customer_id: i64,
    password_typed: &str,
    new_email: &str,
    ctx: &MailContext,
) -> Result<bool, AppError> {
    let Some(customer) = repo::by_id(conn, customer_id)? else {
        return Ok(false);
    };
    if !password::verify(password_typed, &customer.password_hash) {
        return Ok(false);
    }
    let lang = Lang::from_code(&customer.lang).unwrap_or_default();
    conn.write_tx(|conn| {
        if let Some(other) = repo::by_email(conn, new_email)? {
            if other.id != customer.id {
                let url = format!("{}/account/inloggen", ctx.public_url);
                mails::link(
                    ctx,
                    lang,
                    new_email,
                    &other.name,
                    LinkKind::AlreadyRegistered,
                    &url,
                )?
                .queue(conn)?;
            }
            return Ok(true);
        }
        let now = crate::db::now();
        repo::void_tokens(conn, customer.id, LinkPurpose::ChangeEmail, now)?;
        let (token, hash) = new_link_token();
        repo::insert_token(
            conn,
            customer.id,
            LinkPurpose::ChangeEmail,
            &hash,
            Some(new_email),
            now,
        )?;
        let url = format!("{}/account/e-mail/bevestigen/{token}", ctx.public_url);
        mails::link(
            ctx,
            lang,
            new_email,
            &customer.name,
            LinkKind::ChangeEmail,
            &url,
        )?
        .queue(conn)?;
        Ok(true)
    })
}

/// Why a new address could not be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailChangeProblem {
    /// The link cannot be used.
    Link(LinkProblem),
    /// Another account took the address meanwhile.
    Taken,
}

/// Confirms a new address through its link and links guest orders placed with it.
pub fn confirm_email_change(
    conn: &mut DbConn,
    token: &str,
    password_typed: &str,
) -> Result<Result<(), EmailChangeProblem>, AppError> {
    if let Err(problem) =
        check_link_password(conn, LinkPurpose::ChangeEmail, token, password_typed)?
    {
        return Ok(Err(EmailChangeProblem::Link(problem)));
    }
    let outcome = conn.write_tx(|conn| {
        let row = match take_link(conn, LinkPurpose::ChangeEmail, token)? {
            Ok(row) => row,
            Err(problem) => return Ok(Err(EmailChangeProblem::Link(problem))),
        };
        let email = row
            .new_email
            .ok_or_else(|| AppError::internal("address link without address"))?;
        repo::set_email(conn, row.customer_id, &email, crate::db::now())?;
        repo::link_guest_orders(conn, row.customer_id, &email)?;
        // Stop links in reminders sent to the old address are not the new owner's to use.
        repo::delete_tokens(conn, row.customer_id, LinkPurpose::StopReminders)?;
        Ok::<_, AppError>(Ok(()))
    });
    match outcome {
        Err(AppError::Conflict) => Ok(Err(EmailChangeProblem::Taken)),
        other => other,
    }
}
