//! Newsletter routes: sign-up from the footer, the confirmation link (a page with a button, so
//! a mail scanner fetching the link confirms nothing), and the unsubscribe link, which also
//! takes the RFC 8058 one-click POST from mail clients (no form token: the link's random token
//! is the authority, and unsubscribing is the only thing it can do).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::consent::{ConsentPurpose, ConsentSource};
use super::newsletter::{self, State};
use super::pages::LinkPage;
use crate::error::AppError;
use crate::web::{AppState, PageCtx};

/// The sign-up form (footer and standalone page).
#[derive(Debug, Default, Deserialize)]
pub struct SignUpForm {
    /// Address.
    #[serde(default)]
    pub email: String,
    /// "ja" when the 16+ box is ticked (P20).
    #[serde(default)]
    pub leeftijd: String,
    /// Wording version shown.
    #[serde(default)]
    pub versie: String,
}

/// `GET /nieuwsbrief` and a sign-up with errors.
#[derive(Template)]
#[template(path = "privacy/newsletter.html")]
pub struct SignUpPage {
    /// Page context.
    pub ctx: PageCtx,
    /// What was typed.
    pub email: String,
    /// Error on the address.
    pub email_error: Option<&'static str>,
    /// Error on the age box.
    pub age_error: Option<&'static str>,
    /// After a sign-up: the link is on its way.
    pub sent: bool,
    /// Past the limit: minutes to wait.
    pub wait_minutes: Option<u64>,
}

impl SignUpPage {
    /// The newsletter's consent wording.
    pub fn wording(&self) -> String {
        let p = ConsentPurpose::Newsletter;
        self.ctx.t(p.wording_key(p.current_version())).into_owned()
    }

    /// The wording version the form posts.
    pub fn version(&self) -> i32 {
        ConsentPurpose::Newsletter.current_version()
    }
}

/// `GET /nieuwsbrief`.
pub async fn form(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    crate::web::page(&SignUpPage {
        ctx,
        email: String::new(),
        email_error: None,
        age_error: None,
        sent: false,
        wait_minutes: None,
    })
}

/// `POST /nieuwsbrief`: sends the confirmation link. The answer is the same whether or not the
/// address was subscribed already, so the form tells no one who is on the list.
pub async fn sign_up(
    state: web::Data<AppState>,
    req: HttpRequest,
    ctx: PageCtx,
    form: web::Form<SignUpForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    ConsentPurpose::from_form("newsletter", &form.versie)?;
    let email = crate::accounts::model::account_email(&form.email);
    let age_ok = form.leeftijd == "ja";
    let email_ok = email.is_some();
    let page = |ctx, sent, wait_minutes| SignUpPage {
        ctx,
        email: form.email.trim().to_owned(),
        email_error: (!email_ok).then_some("checkout-error-email"),
        age_error: (!age_ok).then_some("error-age-required"),
        sent,
        wait_minutes,
    };
    let Some(email) = email.filter(|_| age_ok) else {
        return crate::web::render(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &page(ctx, false, None),
        );
    };
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state.account_mails.attempt(client, email.as_str()) {
        return crate::web::too_many(wait, &page(ctx, false, Some(wait.minutes())));
    }
    let (mail, lang, address) = (
        crate::mail::messages::MailContext::of(&state.config),
        ctx.lang,
        email.as_str().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| {
                newsletter::sign_up(conn, &mail, &address, lang, None, ConsentSource::Footer)
            })
        })
        .await?;
    crate::web::page(&page(ctx, true, None))
}

/// Which of the newsletter's link pages to show.
enum Step {
    /// The confirmation link's page: a button posting to this path.
    Confirm(String),
    /// Confirmed: a link to this subscription's unsubscribe page.
    Confirmed(String),
    /// The unsubscribe link's page: a button posting to this path.
    Unsubscribe(String),
    /// Unsubscribed.
    Unsubscribed,
}

fn link_page(ctx: PageCtx, email: String, step: Step) -> LinkPage {
    let (name, text, button, link) = match step {
        Step::Confirm(action) => (
            "confirm",
            "newsletter-confirm-text",
            Some(("newsletter-confirm-button", action)),
            None,
        ),
        Step::Confirmed(unsubscribe) => (
            "confirmed",
            "newsletter-confirmed-text",
            None,
            Some(("newsletter-unsubscribe-link", unsubscribe)),
        ),
        Step::Unsubscribe(action) => (
            "unsubscribe",
            "newsletter-unsubscribe-text",
            Some(("newsletter-unsubscribe-button", action)),
            None,
        ),
        Step::Unsubscribed => ("unsubscribed", "newsletter-unsubscribed-text", None, None),
    };
    LinkPage {
        ctx,
        heading: "newsletter-heading",
        text,
        email,
        button,
        link,
        class: format!("newsletter-{name}"),
    }
}

/// `GET /nieuwsbrief/bevestigen/{token}`.
pub async fn confirm_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let found = state
        .db
        .run(move |conn| newsletter::by_confirm_token(conn, &lookup))
        .await?;
    let action = format!("/nieuwsbrief/bevestigen/{token}");
    crate::web::page(&link_page(ctx, found.email, Step::Confirm(action)))
}

/// `POST /nieuwsbrief/bevestigen/{token}`.
pub async fn confirm(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let found = state
        .db
        .run(move |conn| newsletter::confirm(conn, &token))
        .await?;
    let unsubscribe = newsletter::unsubscribe_url("", &found.unsubscribe_token);
    crate::web::page(&link_page(ctx, found.email, Step::Confirmed(unsubscribe)))
}

/// `GET /nieuwsbrief/afmelden/{token}`: a page with one button (a link fetched by a mail
/// scanner changes nothing).
pub async fn unsubscribe_page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let lookup = token.clone();
    let found = state
        .db
        .run(move |conn| newsletter::by_unsubscribe_token(conn, &lookup))
        .await?;
    let step = if found.state() == State::Unsubscribed {
        Step::Unsubscribed
    } else {
        Step::Unsubscribe(newsletter::unsubscribe_url("", &token))
    };
    crate::web::page(&link_page(ctx, found.email, step))
}

/// `POST /nieuwsbrief/afmelden/{token}`: the page's button, or a mail client's one-click POST
/// (`List-Unsubscribe=One-Click`). Idempotent.
pub async fn unsubscribe(
    state: web::Data<AppState>,
    ctx: PageCtx,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let found = state
        .db
        .run(move |conn| {
            let found = newsletter::by_unsubscribe_token(conn, &token)?;
            newsletter::unsubscribe(conn, found.id, ConsentSource::Email)?;
            Ok(found)
        })
        .await?;
    crate::web::page(&link_page(ctx, found.email, Step::Unsubscribed))
}
