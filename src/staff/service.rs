//! Staff use cases: creating an account, logging in, moving an order to its next status.

use super::model::{self, Role};
use super::repo;
use crate::db::DbConn;
use crate::delivery::repo as delivery;
use crate::domain::OrderStatus;
use crate::domain::password::{self, PasswordCost};
use crate::error::AppError;
use crate::mail::messages::MailContext;
use crate::ordering::mails as messages;
use crate::ordering::repo as orders;

/// Why an account could not be created.
#[derive(Debug, PartialEq, Eq)]
pub enum CreateError {
    /// Not an e-mail address.
    BadEmail,
    /// An empty name.
    NoName,
    /// Shorter than [`password::MIN_LENGTH`].
    ShortPassword,
    /// Someone already has this address.
    Taken,
    /// Anything else.
    Failed(String),
}

/// A new account's checked details with the password already hashed (hashing takes a moment,
/// so it happens before any transaction opens).
#[derive(Debug, Clone)]
pub struct NewStaff {
    email: String,
    name: String,
    hash: String,
}

/// Checks a new account's details and hashes its password.
pub fn prepare_staff(
    email: &str,
    name: &str,
    password: &str,
    cost: PasswordCost,
) -> Result<NewStaff, CreateError> {
    let email = crate::domain::Email::parse(email).ok_or(CreateError::BadEmail)?;
    if name.trim().is_empty() {
        return Err(CreateError::NoName);
    }
    if password.chars().count() < password::MIN_LENGTH {
        return Err(CreateError::ShortPassword);
    }
    Ok(NewStaff {
        email: email.as_str().to_lowercase(),
        name: name.trim().to_owned(),
        hash: password::hash(password, cost).map_err(CreateError::Failed)?,
    })
}

/// Stores a prepared account (the e-mail address in lower case).
pub fn insert_staff(conn: &mut DbConn, new: &NewStaff, role: Role) -> Result<i64, CreateError> {
    match repo::insert(conn, &new.email, &new.name, &new.hash, role.as_str()) {
        Ok(id) => Ok(id),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Err(CreateError::Taken),
        Err(e) => Err(CreateError::Failed(e.to_string())),
    }
}

/// Creates a staff account (the e-mail address is stored in lower case).
pub fn create_staff(
    conn: &mut DbConn,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
    cost: PasswordCost,
) -> Result<i64, CreateError> {
    insert_staff(conn, &prepare_staff(email, name, password, cost)?, role)
}

/// Checks a login; the staff id and role when the e-mail and password match an active account.
/// Takes as long for an unknown address as for a wrong password, so timing tells nothing. Run
/// with `Db::with_pool`: the password is checked between two connections, holding none.
pub fn login(
    db: &crate::db::Db,
    email: &str,
    password: &str,
) -> Result<Option<(i64, Role)>, AppError> {
    let found = db.query(|conn| Ok(repo::by_email(conn, email)?))?;
    let stored = found
        .as_ref()
        .map_or(password::NO_ACCOUNT_HASH, |s| s.password_hash.as_str());
    let matches = password::verify(password, stored);
    match found {
        Some(member) if matches && member.active => {
            db.query(|conn| Ok(repo::touch_login(conn, member.id, crate::db::now())?))?;
            Ok(Some((member.id, member.role()?)))
        }
        _ => Ok(None),
    }
}

/// Moves an order to `to` if that is an allowed next step, in one transaction: the status (only
/// if nobody moved it meanwhile), who did it and when, the place on the date when cancelled,
/// and a status e-mail to the sender (P6).
pub fn move_order(
    conn: &mut DbConn,
    order_id: i64,
    to: OrderStatus,
    staff: (i64, Role),
    mail: &MailContext,
) -> Result<(), AppError> {
    let (staff_id, role) = staff;
    conn.write_tx(|conn| {
        let (current, date, _) = orders::known_state(conn, order_id)?;
        let from = OrderStatus::parse(&current)
            .ok_or_else(|| AppError::internal(format!("order {order_id}: unknown status")))?;
        let delivery = orders::is_delivery(conn, order_id)?;
        if !from.next_steps(delivery).contains(&to) {
            return Err(AppError::BadRequest("staff-transition-refused"));
        }
        if !model::may_move(role, from, to) {
            return Err(AppError::Forbidden);
        }
        if role == Role::Courier && repo::courier_of(conn, order_id)? != Some(staff_id) {
            // Not on this courier's run.
            return Err(AppError::Forbidden);
        }
        if !orders::set_status_if(conn, order_id, from.as_str(), to.as_str())? {
            return Err(AppError::Conflict);
        }
        crate::ordering::repo::insert_event(
            conn,
            order_id,
            from.as_str(),
            to.as_str(),
            staff_id,
            None,
        )?;
        if to == OrderStatus::Cancelled {
            delivery::release_place(conn, date)?;
        }
        messages::status_update(conn, order_id, to, mail)?.queue(conn)?;
        Ok(())
    })
}
