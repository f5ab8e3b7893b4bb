//! Company pages: registering a company, its page (details, users, orders, invoices), inviting
//! and removing users, accepting an invitation, and the printable invoice. Company ids never
//! come from the request: they come from the logged-in user's membership.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::auth::{CompanyAdmin, CompanyMember};
use super::invoice;
use super::model::{CompanyForm, CompanyRole};
use super::pages::{
    CompanyOrder, CompanyPage, ConfirmRemovePage, InvitationPage, InvoicePage, RegisterCompanyPage,
};
use super::repo;
use super::service::{self, InvitationProblem, RegisterProblem};
use crate::accounts::auth::Customer;
use crate::accounts::model::account_email;
use crate::accounts::pages::HistoryItem;
use crate::domain::sealed::DataKey;
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, render, see_other};

/// `GET /zakelijk/registreren`.
pub async fn register_form(ctx: PageCtx, _customer: Customer) -> Result<HttpResponse, AppError> {
    page(&RegisterCompanyPage {
        ctx,
        form: CompanyForm::default(),
        errors: Default::default(),
    })
}

/// `POST /zakelijk/registreren`: the company waits for the shop's approval before it may pay
/// on account.
pub async fn register(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    ctx: PageCtx,
    session: Session,
    customer: Customer,
    form: web::Form<CompanyForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let company = match form.parse() {
        Ok(company) => company,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterCompanyPage { ctx, form, errors },
            );
        }
    };
    let id = customer.id;
    let outcome = state
        .db
        .run(move |conn| service::register_company(conn, id, &company, &key))
        .await?;
    match outcome {
        Ok(_) => {
            session.renew();
            flash::set(&session, FlashKind::Success, "business-registered");
            Ok(see_other("/zakelijk"))
        }
        Err(RegisterProblem::AlreadyMember) => {
            let errors = [("name", "business-error-already-member")].into();
            render(
                StatusCode::CONFLICT,
                &RegisterCompanyPage { ctx, form, errors },
            )
        }
    }
}

async fn company_page(
    state: &AppState,
    key: &web::Data<DataKey>,
    ctx: PageCtx,
    member: CompanyMember,
    invite_error: Option<&'static str>,
    invite_email: String,
) -> Result<HttpResponse, AppError> {
    let (m, me) = (member.membership, member.customer.id);
    let key = key.clone();
    let view = state
        .db
        .run(move |conn| service::company_overview(conn, &m, me, &key))
        .await?;
    let service::CompanyOverview {
        company,
        is_admin,
        iban_masked,
        users,
        invitations,
        orders,
        invoices,
    } = view;
    let orders = orders
        .iter()
        .map(|(row, po, by)| CompanyOrder {
            item: HistoryItem::from_row(&ctx, row),
            po_number: po.clone().unwrap_or_default(),
            placed_by: by.clone().unwrap_or_default(),
        })
        .collect();
    let status = if invite_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        status,
        &CompanyPage {
            ctx,
            company,
            is_admin,
            iban_masked,
            users,
            me,
            invitations,
            orders,
            invoices,
            invite_error,
            invite_email,
        },
    )
}

/// `GET /zakelijk`.
pub async fn company(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    ctx: PageCtx,
    member: CompanyMember,
) -> Result<HttpResponse, AppError> {
    company_page(&state, &key, ctx, member, None, String::new()).await
}

/// Who to invite, with which role.
#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
}

/// `POST /zakelijk/uitnodigen` (admins): mails an invitation link valid for a week.
pub async fn invite(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    admin: CompanyAdmin,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let member = admin.0;
    // Invitations are mails to any address: limited per admin and per address.
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    let limited = state
        .account_mails
        .attempt(client, &member.customer.email)
        .and_then(|()| state.account_mails.attempt(None, &form.email));
    if let Err(wait) = limited {
        return Err(AppError::TooManyRequests(wait.retry_after.as_secs().max(1)));
    }
    let (Some(email), Some(role)) = (account_email(&form.email), CompanyRole::parse(&form.role))
    else {
        let typed = form.email.clone();
        return company_page(
            &state,
            &key,
            ctx,
            member,
            Some("checkout-error-email"),
            typed,
        )
        .await;
    };
    let company_id = member.membership.company_id;
    let inviter = member.customer.name.clone();
    let (lang, mail) = (
        ctx.lang,
        crate::mail::messages::MailContext::of(&state.config),
    );
    state
        .db
        .run(move |conn| {
            service::invite(
                conn,
                company_id,
                &inviter,
                email.as_str(),
                role,
                lang,
                &mail,
            )
        })
        .await?;
    flash::set(&session, FlashKind::Success, "business-invited");
    Ok(see_other("/zakelijk"))
}

/// `GET /zakelijk/gebruikers/{id}/verwijderen` (admins): asks first.
pub async fn confirm_remove(
    state: web::Data<AppState>,
    ctx: PageCtx,
    admin: CompanyAdmin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (company_id, id, me) = (
        admin.0.membership.company_id,
        id.into_inner(),
        admin.0.customer.id,
    );
    let user = state
        .db
        .run(move |conn| Ok(repo::users(conn, company_id)?))
        .await?
        .into_iter()
        .find(|u| u.id == id && u.customer_id != me)
        .ok_or(AppError::NotFound)?;
    page(&ConfirmRemovePage { ctx, user })
}

/// `POST /zakelijk/gebruikers/{id}/verwijderen` (admins): the user's access ends at once.
pub async fn remove(
    state: web::Data<AppState>,
    session: Session,
    admin: CompanyAdmin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (company_id, id, me) = (
        admin.0.membership.company_id,
        id.into_inner(),
        admin.0.customer.id,
    );
    let removed = state
        .db
        .run(move |conn| conn.write_tx(|conn| Ok(repo::remove_user(conn, company_id, id, me)?)))
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    flash::set(&session, FlashKind::Success, "business-user-removed");
    Ok(see_other("/zakelijk"))
}

/// `GET /zakelijk/uitnodiging/{token}`.
pub async fn invitation(
    ctx: PageCtx,
    customer: Option<Customer>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    page(&InvitationPage {
        ctx,
        token: token.into_inner(),
        logged_in: customer.is_some(),
        problem: None,
    })
}

/// `POST /zakelijk/uitnodiging/{token}`: joins the company with the invited role.
pub async fn accept(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    customer: Customer,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let (id, email, used) = (customer.id, customer.email.clone(), token.clone());
    let outcome = state
        .db
        .run(move |conn| service::accept(conn, &used, id, &email))
        .await?;
    let problem = match outcome {
        Ok(_) => {
            // New rights in the company: a new session id, as at a login.
            session.renew();
            flash::set(&session, FlashKind::Success, "business-joined");
            return Ok(see_other("/zakelijk"));
        }
        Err(InvitationProblem::Invalid) => "business-invitation-invalid",
        Err(InvitationProblem::Expired) => "business-invitation-expired",
        Err(InvitationProblem::OtherAddress) => "business-invitation-other-address",
        Err(InvitationProblem::AlreadyMember) => "business-error-already-member",
    };
    render(
        StatusCode::GONE,
        &InvitationPage {
            ctx,
            token,
            logged_in: true,
            problem: Some(problem),
        },
    )
}

/// `GET /zakelijk/facturen/{id}` (admins): only the company's own invoices.
pub async fn company_invoice(
    state: web::Data<AppState>,
    ctx: PageCtx,
    admin: CompanyAdmin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (company, id, lang) = (admin.0.membership.company_id, id.into_inner(), ctx.lang);
    let (invoice, orders) = state
        .db
        .run(move |conn| invoice::view(conn, id, Some(company), lang))
        .await?;
    page(&InvoicePage {
        ctx,
        invoice,
        orders,
    })
}
