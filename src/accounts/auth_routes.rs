//! Registering, confirming the address, logging in and out, and resetting a forgotten password.
//! Links in e-mails open a page with a button: the link is used by the POST, so a mail scanner
//! that fetches links does not use it up.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::auth;
use super::model::{LinkPurpose, RegisterForm, account_email, check_password};
use super::pages::{
    CheckMailPage, ConfirmLinkPage, ForgotPage, LinkProblemPage, LoginPage, RegisterPage, ResetPage,
};
use super::service::{self, LinkProblem, Login};
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::rate_limit::TooMany;
use crate::web::too_many;
use crate::web::{AppState, PageCtx, is_local_path, page, render, see_other};

/// `GET /account/registreren`.
pub async fn register_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    page(&RegisterPage {
        ctx,
        form: RegisterForm::default(),
        errors: Default::default(),
        wait_minutes: None,
    })
}

/// `POST /account/registreren`: the same "check your mail" answer for a new address as for
/// one that has an account (which gets a mail saying so).
pub async fn register(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let mut form = form.into_inner();
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    let parsed = form.parse();
    // The password is never sent back to the browser.
    form.password.clear();
    let mut new = match parsed {
        Ok(new) => new,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    ctx,
                    form,
                    errors,
                    wait_minutes: None,
                },
            );
        }
    };
    if let Err(wait) = state.account_mails.attempt(client, new.email.as_str()) {
        return too_many(
            wait,
            &RegisterPage {
                ctx,
                form,
                errors: Default::default(),
                wait_minutes: Some(wait.minutes()),
            },
        );
    }
    let (lang, cost, mail) = (
        ctx.lang,
        state.config.password_cost,
        crate::mail::messages::MailContext::of(&state.config),
    );
    let version = state.statement_version.clone();
    // The typed password goes no further than the hash.
    let typed = std::mem::take(&mut new.password);
    state
        .db
        .with_pool(move |db| {
            let hash = service::hash_password(&typed, cost)?;
            db.query(|conn| {
                let version = version(conn)?;
                service::register(conn, &new, &hash, lang, &mail, &version)
            })
        })
        .await?;
    page(&CheckMailPage {
        ctx,
        message_key: "account-check-mail-registered",
    })
}

/// The page that uses a link from an e-mail: the account's password and a button.
pub(super) fn confirm_page(
    ctx: PageCtx,
    action: String,
    keys: (&'static str, &'static str),
    error: Option<&'static str>,
    wait: Option<TooMany>,
) -> Result<HttpResponse, AppError> {
    let page = ConfirmLinkPage {
        ctx,
        action,
        title_key: keys.0,
        button_key: keys.1,
        error,
        wait_minutes: wait.map(|w| w.minutes()),
    };
    match (wait, error) {
        (Some(wait), _) => too_many(wait, &page),
        (None, Some(_)) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
        (None, None) => crate::web::page(&page),
    }
}

const VERIFY_KEYS: (&str, &str) = ("account-verify-title", "account-verify-button");

/// `GET /account/bevestigen/{token}`: the password and a button that confirm the address.
pub async fn verify_page(ctx: PageCtx, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    confirm_page(
        ctx,
        format!("/account/bevestigen/{token}"),
        VERIFY_KEYS,
        None,
        None,
    )
}

pub(super) fn link_problem(
    ctx: PageCtx,
    problem: LinkProblem,
    resend_action: &'static str,
) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::GONE,
        &LinkProblemPage {
            ctx,
            expired: problem == LinkProblem::Expired,
            resend_action,
        },
    )
}

/// The account's password, given with a link.
#[derive(Deserialize)]
pub struct LinkPasswordForm {
    #[serde(default)]
    pub password: String,
}

/// `POST /account/bevestigen/{token}`: with the account's password, confirms the address and
/// logs the customer in. Password attempts per link count against the login limits.
pub async fn verify(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<LinkPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let action = format!("/account/bevestigen/{token}");
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state.customer_logins.attempt(client, &token) {
        return confirm_page(ctx, action, VERIFY_KEYS, None, Some(wait));
    }
    let password = form.into_inner().password;
    let outcome = state
        .db
        .run(move |conn| service::verify(conn, &token, &password))
        .await?;
    match outcome {
        Ok(customer) => {
            auth::establish(&state, &session, &customer).await?;
            flash::set(&session, FlashKind::Success, "account-verified");
            Ok(see_other("/account"))
        }
        Err(LinkProblem::WrongPassword) => confirm_page(
            ctx,
            action,
            VERIFY_KEYS,
            Some("account-password-wrong"),
            None,
        ),
        Err(problem) => link_problem(ctx, problem, "/account/bevestiging-opnieuw"),
    }
}

/// The address to send a new link to.
#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    pub email: String,
}

/// `POST /account/bevestiging-opnieuw` and `POST /account/wachtwoord-vergeten`: mails a new
/// link if the address has an account that needs one; the same answer otherwise.
async fn send_link(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    form: EmailForm,
    purpose: LinkPurpose,
) -> Result<HttpResponse, AppError> {
    let Some(email) = account_email(&form.email) else {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ForgotPage {
                ctx,
                email: form.email,
                error: Some("checkout-error-email"),
                wait_minutes: None,
            },
        );
    };
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state.account_mails.attempt(client, email.as_str()) {
        return too_many(
            wait,
            &ForgotPage {
                ctx,
                email: form.email,
                error: None,
                wait_minutes: Some(wait.minutes()),
            },
        );
    }
    let mail = crate::mail::messages::MailContext::of(&state.config);
    state
        .db
        .run(move |conn| service::send_link(conn, email.as_str(), purpose, &mail))
        .await?;
    page(&CheckMailPage {
        ctx,
        message_key: match purpose {
            LinkPurpose::Reset => "account-check-mail-reset",
            _ => "account-check-mail-verify",
        },
    })
}

/// `POST /account/bevestiging-opnieuw`.
pub async fn resend_verification(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    form: web::Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    send_link(state, ctx, req, form.into_inner(), LinkPurpose::Verify).await
}

/// `GET /account/wachtwoord-vergeten`.
pub async fn forgot_form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    page(&ForgotPage {
        ctx,
        email: String::new(),
        error: None,
        wait_minutes: None,
    })
}

/// `POST /account/wachtwoord-vergeten`.
pub async fn forgot(
    state: web::Data<AppState>,
    ctx: PageCtx,
    req: HttpRequest,
    form: web::Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    send_link(state, ctx, req, form.into_inner(), LinkPurpose::Reset).await
}

/// `GET /account/wachtwoord-herstellen/{token}`: the new-password form, or the page that offers
/// a new link.
pub async fn reset_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let checked = token.clone();
    let problem = state
        .db
        .run(move |conn| service::check_reset_link(conn, &checked))
        .await?;
    match problem {
        Some(problem) => link_problem(ctx, problem, "/account/wachtwoord-vergeten"),
        None => page(&ResetPage {
            ctx,
            token,
            error: None,
        }),
    }
}

/// The new password.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
}

/// `POST /account/wachtwoord-herstellen/{token}`: sets the new password; every login of the
/// account ends and the customer logs in with the new one.
pub async fn reset(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    if let Err(key) = check_password(&form.password, &[]) {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ResetPage {
                ctx,
                token,
                error: Some(key),
            },
        );
    }
    let (password, cost) = (form.into_inner().password, state.config.password_cost);
    let outcome = state
        .db
        .with_pool(move |db| {
            let hash = service::hash_password(&password, cost)?;
            db.query(|conn| service::reset_password(conn, &token, &hash))
        })
        .await?;
    match outcome {
        Ok(()) => {
            auth::end(&session);
            flash::set(&session, FlashKind::Success, "account-password-reset-done");
            Ok(see_other("/account/inloggen"))
        }
        Err(problem) => link_problem(ctx, problem, "/account/wachtwoord-vergeten"),
    }
}

/// Where to return after logging in.
#[derive(Deserialize)]
pub struct BackQuery {
    #[serde(default)]
    pub terug: String,
}

fn safe_back(back: &str) -> String {
    if is_local_path(back) && back.starts_with('/') && !back.starts_with("/account/inloggen") {
        back.to_owned()
    } else {
        "/account".to_owned()
    }
}

/// `GET /account/inloggen`.
pub async fn login_form(
    ctx: PageCtx,
    query: web::Query<BackQuery>,
) -> Result<HttpResponse, AppError> {
    page(&LoginPage {
        ctx,
        email: String::new(),
        failed: false,
        unverified: false,
        wait_minutes: None,
        back: safe_back(&query.terug),
    })
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub terug: String,
}

/// `POST /account/inloggen`: counted against the limits per address and per account; the
/// password is checked off the async threads; the session id is renewed on success.
pub async fn login(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm {
        email,
        password,
        terug,
    } = form.into_inner();
    let back = safe_back(&terug);
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    let mut login_page = LoginPage {
        ctx,
        email: email.clone(),
        failed: true,
        unverified: false,
        wait_minutes: None,
        back: back.clone(),
    };
    if let Err(wait) = state.customer_logins.attempt(client, &email) {
        login_page.wait_minutes = Some(wait.minutes());
        return too_many(wait, &login_page);
    }
    let outcome = state
        .db
        .with_pool(move |db| service::login(db, &email, &password))
        .await?;
    match outcome {
        Login::Success(customer) => {
            auth::establish(&state, &session, &customer).await?;
            Ok(see_other(&back))
        }
        Login::Unverified => {
            login_page.failed = false;
            login_page.unverified = true;
            render(StatusCode::FORBIDDEN, &login_page)
        }
        Login::Failed => render(StatusCode::UNAUTHORIZED, &login_page),
    }
}

/// `POST /account/uitloggen`: ends the login on the server too.
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    auth::log_out(&state, &session).await?;
    flash::set(&session, FlashKind::Success, "account-logged-out");
    Ok(see_other("/"))
}
