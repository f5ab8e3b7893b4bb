//! The second login step for owner and support: the code form, setting up an authenticator
//! app (with the recovery codes shown once), and using a recovery code. Between the password
//! and the second step the session holds only a pending id, which opens no staff page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::pages::{RecoveryCodesPage, TwoStepPage, TwoStepSetupPage};
use super::{repo, two_step};
use crate::domain::sealed::DataKey;
use crate::error::AppError;
use crate::web::{AppState, PageCtx, page, render, see_other};

const PENDING_KEY: &str = "staff_pending";
const PENDING_SINCE_KEY: &str = "staff_pending_since";
const SETUP_SECRET_KEY: &str = "staff_totp_setup";
/// The second step must follow the password within ten minutes.
const PENDING_SECONDS: i64 = 10 * 60;

/// Records that `id` gave the right password and now owes the second step.
pub(super) fn start(session: &Session, id: i64) -> Result<(), AppError> {
    session
        .insert(PENDING_KEY, id)
        .and_then(|()| session.insert(PENDING_SINCE_KEY, chrono::Utc::now().timestamp()))
        .map_err(|e| AppError::internal(format!("session: {e}")))
}

/// The staff id owing the second step, if the password was given recently.
fn pending(session: &Session) -> Result<i64, AppError> {
    let since = session
        .get::<i64>(PENDING_SINCE_KEY)
        .ok()
        .flatten()
        .unwrap_or(0);
    if chrono::Utc::now().timestamp() - since > PENDING_SECONDS {
        session.remove(PENDING_KEY);
        return Err(AppError::LoginRequired);
    }
    session
        .get::<i64>(PENDING_KEY)
        .ok()
        .flatten()
        .ok_or(AppError::LoginRequired)
}

async fn finish(state: &AppState, session: &Session, id: i64) -> Result<(), AppError> {
    session.remove(PENDING_KEY);
    session.remove(PENDING_SINCE_KEY);
    session.remove(SETUP_SECRET_KEY);
    // A new session id for the full login, as after the password.
    session.renew();
    session.remove("csrf");
    super::auth::establish(state, session, id).await
}

async fn role_home(state: &AppState, id: i64) -> Result<&'static str, AppError> {
    let member = state
        .db
        .run(move |conn| repo::by_id(conn, id)?.ok_or(AppError::LoginRequired))
        .await?;
    Ok(member
        .role()
        .map_or("/medewerkers/productie", super::model::Role::home))
}

/// The code form's field.
#[derive(Deserialize)]
pub struct CodeForm {
    /// A six-digit code from the app, or a recovery code.
    #[serde(default)]
    pub code: String,
}

/// `GET /medewerkers/tweestaps`.
pub async fn form(ctx: PageCtx, session: Session) -> Result<HttpResponse, AppError> {
    pending(&session)?;
    page(&TwoStepPage {
        ctx,
        menu: None,
        failed: false,
        wait_minutes: None,
    })
}

/// `POST /medewerkers/tweestaps`: a code from the app (each accepted once) or an unused
/// recovery code completes the login. Attempts count against the login limits.
pub async fn check(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    ctx: PageCtx,
    session: Session,
    req: HttpRequest,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let id = pending(&session)?;
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(too_many) = state.second_steps.attempt(client, &id.to_string()) {
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &TwoStepPage {
                ctx,
                menu: None,
                failed: true,
                wait_minutes: Some(too_many.minutes()),
            },
        );
    }
    let code = form.into_inner().code;
    let accepted = state
        .db
        .run(move |conn| {
            Ok(two_step::check_code(conn, &key, id, &code)?
                || two_step::use_recovery_code(conn, id, &code)?)
        })
        .await?;
    if !accepted {
        return render(
            StatusCode::UNAUTHORIZED,
            &TwoStepPage {
                ctx,
                menu: None,
                failed: true,
                wait_minutes: None,
            },
        );
    }
    finish(&state, &session, id).await?;
    Ok(see_other(role_home(&state, id).await?))
}

fn setup_page(
    state: &AppState,
    ctx: PageCtx,
    secret: &str,
    account: &str,
    failed: bool,
) -> TwoStepSetupPage {
    TwoStepSetupPage {
        link: two_step::app_link(secret, &state.config.shop.name, account),
        secret: secret.to_owned(),
        ctx,
        menu: None,
        failed,
    }
}

/// The secret being set up (kept in the encrypted session until confirmed).
fn setup_secret(session: &Session) -> Result<String, AppError> {
    if let Some(secret) = session.get::<String>(SETUP_SECRET_KEY).ok().flatten() {
        return Ok(secret);
    }
    let secret = two_step::new_secret();
    session
        .insert(SETUP_SECRET_KEY, &secret)
        .map_err(|e| AppError::internal(format!("session: {e}")))?;
    Ok(secret)
}

async fn account_of(state: &AppState, id: i64) -> Result<(String, bool), AppError> {
    state
        .db
        .run(move |conn| {
            let email = repo::email_of(conn, id)?;
            Ok((email, two_step::is_set_up(conn, id)?))
        })
        .await
}

/// `GET /medewerkers/tweestaps/instellen`: the secret to add to an authenticator app.
pub async fn setup(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let id = pending(&session)?;
    let (email, set_up) = account_of(&state, id).await?;
    if set_up {
        // Replacing an app is the owner's decision, not something a password alone allows.
        return Ok(see_other("/medewerkers/tweestaps"));
    }
    let secret = setup_secret(&session)?;
    page(&setup_page(&state, ctx, &secret, &email, false))
}

/// `POST /medewerkers/tweestaps/instellen`: the app's first code confirms the set-up; the
/// recovery codes are then shown once, and the login is complete.
pub async fn confirm(
    state: web::Data<AppState>,
    key: web::Data<DataKey>,
    ctx: PageCtx,
    session: Session,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let id = pending(&session)?;
    let secret = setup_secret(&session)?;
    let code = form.into_inner().code;
    let cost = state.config.password_cost;
    let stored = secret.clone();
    let codes = state
        .db
        .run(move |conn| two_step::confirm_setup(conn, &key, id, &stored, &code, cost))
        .await?;
    let Some(codes) = codes else {
        let (email, _) = account_of(&state, id).await?;
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &setup_page(&state, ctx, &secret, &email, true),
        );
    };
    finish(&state, &session, id).await?;
    let home = role_home(&state, id).await?;
    page(&RecoveryCodesPage {
        ctx,
        menu: None,
        codes,
        home,
    })
}
