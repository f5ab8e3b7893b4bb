//! The owner's team page: staff accounts created, given another role, disabled (their logins
//! end at once) or made to set up two-step login again, each change recorded without names.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::Role;
use super::office_repo::record_change;
use super::service::{self, CreateError, NewStaff};
use crate::db::DbConn;
use crate::db::schema::{staff, staff_recovery_codes};
use crate::domain::FieldErrors;
use crate::domain::password::PasswordCost;
use crate::error::AppError;
use crate::web::logins::{self, Holder};

/// A staff member as the team page lists them.
#[derive(Debug, Clone, Queryable)]
pub struct Member {
    /// Id.
    pub id: i64,
    /// Login address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Stored role.
    pub role: String,
    /// Whether they may log in.
    pub active: bool,
    /// Last login (UTC).
    pub last_login_at: Option<NaiveDateTime>,
    /// Whether an authenticator app is set up.
    pub two_step: bool,
}

impl Member {
    /// The role, if it is a known one.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

/// Every staff member, by name.
pub fn members(conn: &mut DbConn) -> QueryResult<Vec<Member>> {
    staff::table
        .order((staff::name, staff::id))
        .select((
            staff::id,
            staff::email,
            staff::name,
            staff::role,
            staff::active,
            staff::last_login_at,
            staff::totp_secret.is_not_null(),
        ))
        .load(conn)
}

/// The owner's form for a new staff member.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct NewMember {
    /// Login address.
    #[serde(default)]
    pub email: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Role (`owner`, `florist`, …).
    #[serde(default)]
    pub role: String,
    /// A first password, handed over in person.
    #[serde(default)]
    pub password: String,
}

fn refused(error: &CreateError) -> FieldErrors {
    let (field, key) = match error {
        CreateError::BadEmail => ("email", "team-error-email"),
        CreateError::NoName => ("name", "team-error-name"),
        CreateError::ShortPassword => ("password", "team-error-password"),
        _ => ("email", "team-error-taken"),
    };
    FieldErrors::from([(field, key)])
}

/// Checks the form and hashes the password (before any transaction: hashing takes a moment).
pub fn prepare(form: &NewMember, cost: PasswordCost) -> Result<(NewStaff, Role), FieldErrors> {
    let role = Role::parse(&form.role);
    let prepared = service::prepare_staff(&form.email, &form.name, &form.password, cost);
    match (prepared, role) {
        (Ok(new), Some(role)) => Ok((new, role)),
        (Err(CreateError::Failed(_)), _) => {
            Err(FieldErrors::from([("password", "team-error-password")]))
        }
        (Err(e), _) => Err(refused(&e)),
        (Ok(_), None) => Err(FieldErrors::from([("role", "team-error-role")])),
    }
}

/// Stores the prepared account and records it; its id, or what to fix.
pub fn create(
    conn: &mut DbConn,
    new: &NewStaff,
    role: Role,
    by: i64,
) -> Result<Result<i64, FieldErrors>, AppError> {
    conn.write_tx(|conn| {
        let id = match service::insert_staff(conn, new, role) {
            Ok(id) => id,
            Err(CreateError::Failed(e)) => return Err(AppError::internal(e)),
            Err(e) => return Ok(Err(refused(&e))),
        };
        let summary = format!("created ({})", role.as_str());
        record_change(conn, by, &format!("staff:{id}"), &summary)?;
        Ok(Ok(id))
    })
}

/// A change the owner makes to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Another role.
    Role(Role),
    /// No more logging in; every open login ends.
    Disable,
    /// Logging in again.
    Enable,
    /// The authenticator app and recovery codes are forgotten; the next login sets up anew.
    ResetTwoStep,
}

/// Why a change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The shop would have no active owner left.
    LastOwner,
}

/// Applies a change to member `id` (made by `by`) and records it.
pub fn change(
    conn: &mut DbConn,
    id: i64,
    change: Change,
    by: i64,
) -> Result<Result<(), Refusal>, AppError> {
    conn.write_tx(|conn| {
        let member = super::repo::by_id(conn, id)?.ok_or(AppError::NotFound)?;
        let owner_now = member.active && member.role == Role::Owner.as_str();
        let stays_owner = match change {
            Change::Role(role) => role == Role::Owner,
            Change::Disable => false,
            Change::Enable | Change::ResetTwoStep => true,
        };
        if owner_now && !stays_owner && active_owners(conn)? <= 1 {
            return Ok(Err(Refusal::LastOwner));
        }
        let summary = match change {
            Change::Role(role) => {
                diesel::update(staff::table.find(id))
                    .set(staff::role.eq(role.as_str()))
                    .execute(conn)?;
                // A new role takes effect at the next login: open logins end.
                logins::close_all(conn, Holder::Staff(id))?;
                format!("role: {}", role.as_str())
            }
            Change::Disable => {
                diesel::update(staff::table.find(id))
                    .set(staff::active.eq(false))
                    .execute(conn)?;
                logins::close_all(conn, Holder::Staff(id))?;
                "disabled".to_owned()
            }
            Change::Enable => {
                diesel::update(staff::table.find(id))
                    .set(staff::active.eq(true))
                    .execute(conn)?;
                "enabled".to_owned()
            }
            Change::ResetTwoStep => {
                diesel::update(staff::table.find(id))
                    .set((
                        staff::totp_secret.eq(None::<String>),
                        staff::totp_last_step.eq(None::<i64>),
                    ))
                    .execute(conn)?;
                diesel::delete(
                    staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(id)),
                )
                .execute(conn)?;
                logins::close_all(conn, Holder::Staff(id))?;
                "two-step login reset".to_owned()
            }
        };
        record_change(conn, by, &format!("staff:{id}"), &summary)?;
        let action = match change {
            Change::Role(_) => "staff_role",
            Change::Disable => "staff_disable",
            Change::Enable => "staff_enable",
            Change::ResetTwoStep => "staff_two_step_reset",
        };
        crate::privacy::audit::staff_act(conn, action, by, format!("staff:{id}"))?;
        Ok(Ok(()))
    })
}

fn active_owners(conn: &mut DbConn) -> QueryResult<i64> {
    staff::table
        .filter(staff::role.eq(Role::Owner.as_str()))
        .filter(staff::active.eq(true))
        .count()
        .get_result(conn)
}
