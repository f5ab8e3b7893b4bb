//! Company use cases, each in one transaction: registering a company (the registering account
//! becomes its admin), approving it, inviting colleagues and accepting an invitation, and
//! removing a user (which ends their access at the next request).

use super::model::{CompanyRole, NewCompany};
use super::repo::{self, Membership, NewCompanyRow};
use crate::accounts::mails::{self, LinkKind};
use crate::db::DbConn;
use crate::domain::Iban;
use crate::domain::sealed::DataKey;
use crate::domain::token::{new_link_token, token_hash};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;

/// The column the IBAN is sealed for.
pub const IBAN_COLUMN: &str = "companies.iban_encrypted";

/// Why a company could not be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterProblem {
    /// The account already belongs to a company.
    AlreadyMember,
}

/// Registers a company with the account as its admin; the IBAN (direct debit only) is sealed.
pub fn register_company(
    conn: &mut DbConn,
    customer_id: i64,
    company: &NewCompany,
    key: &DataKey,
) -> Result<Result<i64, RegisterProblem>, AppError> {
    let sealed = company
        .iban
        .as_ref()
        .map(|iban| key.seal(iban.electronic(), IBAN_COLUMN));
    let postcode = company.postcode.to_string();
    let outcome = conn.write_tx(|conn| {
        if repo::membership_of(conn, customer_id)?.is_some() {
            return Ok::<_, AppError>(Err(RegisterProblem::AlreadyMember));
        }
        let now = crate::db::now();
        let id = repo::insert_company(
            conn,
            &NewCompanyRow {
                name: company.name.as_str(),
                kvk: company.kvk.as_str(),
                vat_id: company.vat_id.as_str(),
                street: company.street.as_str(),
                postcode: &postcode,
                city: company.city.as_str(),
                contact_name: company.contact_name.as_str(),
                contact_job_title: company.contact_job_title.as_str(),
                iban_sealed: sealed.as_deref(),
            },
            now,
        )?;
        repo::add_user(conn, id, customer_id, CompanyRole::Admin, now)?;
        Ok(Ok(id))
    });
    match outcome {
        // Registered twice at the same moment: the account's unique membership refused one.
        Err(AppError::Conflict) => Ok(Err(RegisterProblem::AlreadyMember)),
        other => other,
    }
}

/// Invites `email` to the company with `role`, by an e-mail with a link valid for a week.
pub fn invite(
    conn: &mut DbConn,
    company_id: i64,
    inviter_name: &str,
    email: &str,
    role: CompanyRole,
    lang: Lang,
    ctx: &MailContext,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let company = repo::company(conn, company_id)?.ok_or(AppError::NotFound)?;
        let (token, hash) = new_link_token();
        repo::insert_invitation(conn, company_id, email, role, &hash, crate::db::now())?;
        let url = format!("{}/zakelijk/uitnodiging/{token}", ctx.public_url);
        let mut mail = mails::link(ctx, lang, email, inviter_name, LinkKind::Invitation, &url)?;
        mail.subject = lang.t_args(
            "mail-invite-subject",
            &[
                ("company", company.name.clone()),
                ("shop", ctx.shop_name.clone()),
            ],
        );
        mail.queue(conn)?;
        Ok(())
    })
}

/// Why an invitation could not be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationProblem {
    /// Unknown, or accepted before.
    Invalid,
    /// Older than a week.
    Expired,
    /// Sent to another address than the logged-in account's.
    OtherAddress,
    /// The account belongs to a company already.
    AlreadyMember,
}

/// Accepts an invitation for the logged-in account (whose confirmed address must be the one
/// invited); returns the company's id.
pub fn accept(
    conn: &mut DbConn,
    token: &str,
    customer_id: i64,
    customer_email: &str,
) -> Result<Result<i64, InvitationProblem>, AppError> {
    let outcome = conn.write_tx(|conn| {
        let now = crate::db::now();
        let Some(invitation) = repo::invitation(conn, &token_hash(token))? else {
            return Ok::<_, AppError>(Err(InvitationProblem::Invalid));
        };
        if invitation.accepted_at.is_some() {
            return Ok(Err(InvitationProblem::Invalid));
        }
        if invitation.expires_at < now {
            return Ok(Err(InvitationProblem::Expired));
        }
        if invitation.email != customer_email {
            return Ok(Err(InvitationProblem::OtherAddress));
        }
        if repo::membership_of(conn, customer_id)?.is_some() {
            return Ok(Err(InvitationProblem::AlreadyMember));
        }
        let role = CompanyRole::parse(&invitation.role)
            .ok_or_else(|| AppError::internal("invitation with unknown role"))?;
        if !repo::accept_invitation(conn, invitation.id, now)? {
            return Ok(Err(InvitationProblem::Invalid));
        }
        repo::add_user(conn, invitation.company_id, customer_id, role, now)?;
        Ok(Ok(invitation.company_id))
    });
    match outcome {
        Err(AppError::Conflict) => Ok(Err(InvitationProblem::AlreadyMember)),
        other => other,
    }
}

/// What a company's page shows its user: an admin sees the users, open invitations, every
/// order and the invoices, and the IBAN masked; an orderer sees their own orders only.
pub struct CompanyOverview {
    pub company: repo::CompanyRow,
    pub is_admin: bool,
    /// The IBAN as `NL** **** **** **12 34`, for admins (`****` when it cannot be opened).
    pub iban_masked: Option<String>,
    pub users: Vec<repo::UserRow>,
    /// Open invitations: address and when they lapse.
    pub invitations: Vec<(String, String)>,
    pub orders: Vec<repo::CompanyOrderRow>,
    pub invoices: Vec<super::invoice::InvoiceRow>,
}

/// The company page of member `me` with membership `m`, in one read.
pub fn company_overview(
    conn: &mut DbConn,
    m: &Membership,
    me: i64,
    key: &DataKey,
) -> Result<CompanyOverview, AppError> {
    let is_admin = m.role == CompanyRole::Admin;
    let company = repo::company(conn, m.company_id)?.ok_or(AppError::NotFound)?;
    let orders = repo::company_orders(conn, m.company_id)?;
    if !is_admin {
        // An orderer sees their own orders only.
        let own: Vec<i64> = crate::accounts::repo::orders_of(conn, me)?
            .into_iter()
            .map(|o| o.id)
            .collect();
        let orders = orders
            .into_iter()
            .filter(|o| own.contains(&o.0.id))
            .collect();
        return Ok(CompanyOverview {
            company,
            is_admin,
            iban_masked: None,
            users: Vec::new(),
            invitations: Vec::new(),
            orders,
            invoices: Vec::new(),
        });
    }
    let iban_masked = company.iban_encrypted.as_ref().map(|sealed| {
        match key.open(sealed, IBAN_COLUMN) {
            Ok(plain) => Iban::parse(&plain).map_or_else(|_| "****".into(), |i| i.masked()),
            Err(e) => {
                // A lost or replaced data key: the page still works, the IBAN cannot be shown.
                tracing::error!(company = company.id, "IBAN cannot be opened: {e}");
                "****".into()
            }
        }
    });
    Ok(CompanyOverview {
        iban_masked,
        users: repo::users(conn, m.company_id)?,
        invitations: repo::open_invitations(conn, m.company_id, crate::db::now())?,
        orders,
        invoices: super::invoice::invoices(conn, Some(m.company_id))?,
        company,
        is_admin,
    })
}
