//! The account pages: profile, address and password changes, and the address book (an order's
//! own page and reorder are `ordering::history_routes`). Every handler takes a `Customer`, and every query is limited to that
//! customer's rows, so another account's id in a URL is a 404 and changes nothing.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::addresses::AddressForm;
use super::auth::{self, Customer};
use super::auth_routes::{LinkPasswordForm, confirm_page, link_problem};
use super::model::{FieldErrors, account_email, check_password};
use super::pages::{AccountPage, AddressesPage, CheckMailPage, ConfirmDeletePage, HistoryItem};
use super::repo;
use super::service::{self, EmailChangeProblem, LinkProblem};
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, render, see_other};

async fn account_page(
    state: &AppState,
    ctx: PageCtx,
    customer: &Customer,
    errors: FieldErrors,
    status: StatusCode,
    new_email: String,
) -> Result<HttpResponse, AppError> {
    let id = customer.id;
    let (rows, company) = state
        .db
        .run(move |conn| Ok((repo::orders_of(conn, id)?, repo::membership_of(conn, id)?)))
        .await?;
    let orders = rows
        .iter()
        .map(|r| HistoryItem::from_row(&ctx, r))
        .collect();
    render(
        status,
        &AccountPage {
            ctx,
            name: customer.name.clone(),
            email: customer.email.clone(),
            phone: customer.phone.clone().unwrap_or_default(),
            orders,
            errors,
            company: company.map(|m| (m.company_name, m.role.label_key())),
            new_email,
        },
    )
}

/// `GET /account`.
pub async fn overview(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
) -> Result<HttpResponse, AppError> {
    account_page(
        &state,
        ctx,
        &customer,
        FieldErrors::new(),
        StatusCode::OK,
        String::new(),
    )
    .await
}

/// Name and phone number.
#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

/// `POST /account/gegevens`.
pub async fn update_profile(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    customer: Customer,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, AppError> {
    let parsed = crate::accounts::model::parse_profile(&form.name, &form.phone);
    let (name, phone) = match parsed {
        Ok(values) => values,
        Err(errors) => {
            let mut shown = customer.clone();
            shown.name = form.name.clone();
            shown.phone = Some(form.phone.clone());
            return account_page(
                &state,
                ctx,
                &shown,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
            )
            .await;
        }
    };
    let id = customer.id;
    state
        .db
        .run(move |conn| {
            Ok(repo::set_profile(
                conn,
                id,
                name.as_str(),
                phone.as_ref().map(|p| p.as_str()),
            )?)
        })
        .await?;
    flash::set(&session, FlashKind::Success, "account-saved");
    Ok(see_other("/account"))
}

/// A new address, confirmed with the password.
#[derive(Deserialize)]
pub struct EmailChangeForm {
    #[serde(default)]
    pub new_email: String,
    #[serde(default)]
    pub password: String,
}

/// `POST /account/e-mail`: mails a confirmation link to the new address.
pub async fn change_email(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
    form: web::Form<EmailChangeForm>,
) -> Result<HttpResponse, AppError> {
    let Some(new_email) = account_email(&form.new_email) else {
        let errors = FieldErrors::from([("new_email", "checkout-error-email")]);
        return account_page(
            &state,
            ctx,
            &customer,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            form.new_email.clone(),
        )
        .await;
    };
    let (id, password, mail) = (
        customer.id,
        form.password.clone(),
        crate::mail::messages::MailContext::of(&state.config),
    );
    let accepted = state
        .db
        .run(move |conn| {
            service::request_email_change(conn, id, &password, new_email.as_str(), &mail)
        })
        .await?;
    if !accepted {
        let errors = FieldErrors::from([("email_password", "account-password-wrong")]);
        return account_page(
            &state,
            ctx,
            &customer,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            form.new_email.clone(),
        )
        .await;
    }
    page(&CheckMailPage {
        ctx,
        message_key: "account-check-mail-email-change",
    })
}

const EMAIL_KEYS: (&str, &str) = (
    "account-email-confirm-title",
    "account-email-confirm-button",
);

/// `GET /account/e-mail/bevestigen/{token}`.
pub async fn confirm_email_page(
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let action = format!("/account/e-mail/bevestigen/{token}");
    confirm_page(ctx, action, EMAIL_KEYS, None, None)
}

/// `POST /account/e-mail/bevestigen/{token}`: with the account's password, the new address
/// replaces the old one.
pub async fn confirm_email(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<LinkPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let action = format!("/account/e-mail/bevestigen/{token}");
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state.customer_logins.attempt(client, &token) {
        return confirm_page(ctx, action, EMAIL_KEYS, None, Some(wait));
    }
    let password = form.into_inner().password;
    let outcome = state
        .db
        .run(move |conn| service::confirm_email_change(conn, &token, &password))
        .await?;
    match outcome {
        Ok(()) => {
            flash::set(&session, FlashKind::Success, "account-email-changed");
            Ok(see_other("/account"))
        }
        Err(EmailChangeProblem::Taken) => Err(AppError::Conflict),
        Err(EmailChangeProblem::Link(LinkProblem::WrongPassword)) => confirm_page(
            ctx,
            action,
            EMAIL_KEYS,
            Some("account-password-wrong"),
            None,
        ),
        Err(EmailChangeProblem::Link(problem)) => link_problem(ctx, problem, ""),
    }
}

/// The current and the new password.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
}

/// `POST /account/wachtwoord`: other logins of the account end; this one continues on a new
/// session id.
pub async fn change_password(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    customer: Customer,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state.customer_logins.attempt(client, &customer.email) {
        return Err(AppError::TooManyRequests(wait.retry_after.as_secs().max(1)));
    }
    if let Err(key) = check_password(&form.new_password, &[&customer.name, &customer.email]) {
        let errors = FieldErrors::from([("new_password", key)]);
        return account_page(
            &state,
            ctx,
            &customer,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
        )
        .await;
    }
    let PasswordForm {
        current_password,
        new_password,
    } = form.into_inner();
    let (id, cost) = (customer.id, state.config.password_cost);
    let this_login = auth::login_token(&session).unwrap_or_default();
    let changed = state
        .db
        .with_pool(move |db| {
            let hash = service::hash_password(&new_password, cost)?;
            db.query(|conn| {
                conn.write_tx(|conn| {
                    let changed = service::change_password(conn, id, &current_password, &hash)?;
                    if changed.is_some() {
                        // The other logins end (the version does that too; this drops their rows).
                        let holder = crate::web::logins::Holder::Customer(id);
                        crate::web::logins::close_others(conn, holder, &this_login)?;
                    }
                    Ok(changed)
                })
            })
        })
        .await?;
    let Some(version) = changed else {
        let errors = FieldErrors::from([("current_password", "account-password-wrong")]);
        return account_page(
            &state,
            ctx,
            &customer,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
        )
        .await;
    };
    auth::new_version(&session, version)?;
    flash::set(&session, FlashKind::Success, "account-password-changed");
    Ok(see_other("/account"))
}

async fn addresses_page(
    state: &AppState,
    ctx: PageCtx,
    customer: &Customer,
    form: AddressForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let id = customer.id;
    let addresses = state
        .db
        .run(move |conn| Ok(repo::addresses(conn, id)?))
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &AddressesPage {
            ctx,
            addresses,
            form,
            errors,
        },
    )
}

/// `GET /account/adressen`.
pub async fn addresses(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
) -> Result<HttpResponse, AppError> {
    addresses_page(
        &state,
        ctx,
        &customer,
        AddressForm::fresh(),
        FieldErrors::new(),
    )
    .await
}

/// `POST /account/adressen`: adds an address; the form with messages when something is wrong.
pub async fn add_address(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    customer: Customer,
    form: web::Form<AddressForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let row = match form.parse() {
        Ok(row) => row,
        Err(errors) => return addresses_page(&state, ctx, &customer, form, errors).await,
    };
    let id = customer.id;
    state
        .db
        .run(move |conn| Ok(repo::insert_address(conn, id, &row, crate::db::now())?))
        .await?;
    flash::set(&session, FlashKind::Success, "account-address-added");
    Ok(see_other("/account/adressen"))
}

/// `GET /account/adressen/{id}/verwijderen`: asks first.
pub async fn confirm_delete_address(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (owner, id) = (customer.id, id.into_inner());
    let address = state
        .db
        .run(move |conn| Ok(repo::address(conn, owner, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    page(&ConfirmDeletePage { ctx, address })
}

/// `POST /account/adressen/{id}/verwijderen`.
pub async fn delete_address(
    state: web::Data<AppState>,
    session: Session,
    customer: Customer,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (owner, id) = (customer.id, id.into_inner());
    let deleted = state
        .db
        .run(move |conn| Ok(repo::delete_address(conn, owner, id)?))
        .await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    flash::set(&session, FlashKind::Success, "account-address-deleted");
    Ok(see_other("/account/adressen"))
}
