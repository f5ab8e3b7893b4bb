//! `/account/privacy`: the customer's consents (P2), each given or withdrawn with one button,
//! and the ledger's history of them. The newsletter goes through double opt-in here too;
//! withdrawing the reminders consent deletes the saved occasions.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::consent::{self, ConsentPurpose};
use super::newsletter::{self, State};
use crate::accounts::auth::Customer;
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, see_other};

/// One consent on the page.
pub struct ChoiceRow {
    /// Posted name.
    pub purpose: &'static str,
    /// Name in words.
    pub name: String,
    /// The wording shown.
    pub wording: String,
    /// Version of the wording.
    pub version: i32,
    /// Catalogue key of the current state.
    pub state_key: &'static str,
    /// Whether the button withdraws (else it grants).
    pub granted: bool,
}

/// One ledger entry as shown.
pub struct HistoryRow {
    /// When.
    pub at: String,
    /// Purpose in words.
    pub purpose: String,
    /// Given or withdrawn (catalogue key).
    pub change_key: &'static str,
    /// Wording version.
    pub version: i32,
    /// Where.
    pub source: String,
}

/// Each consent an account can give on its privacy page, with its current state: the
/// newsletter's from the subscription (it needs confirming), the others' from the ledger.
fn choice_rows(
    lang: crate::i18n::Lang,
    events: &[consent::ConsentEvent],
    subscriptions: &[newsletter::Subscriber],
) -> Vec<ChoiceRow> {
    [
        ConsentPurpose::Newsletter,
        ConsentPurpose::Profiling,
        ConsentPurpose::Reminders,
    ]
    .into_iter()
    .map(|p| {
        let (granted, state_key) = match p {
            ConsentPurpose::Newsletter => {
                let states: Vec<State> = subscriptions.iter().map(|s| s.state()).collect();
                if states.contains(&State::Active) {
                    (true, "choice-state-granted")
                } else if states.contains(&State::Pending) {
                    (false, "choice-state-pending")
                } else {
                    (false, "choice-state-not-granted")
                }
            }
            _ if consent::is_granted(events, p) => (true, "choice-state-granted"),
            _ => (false, "choice-state-not-granted"),
        };
        ChoiceRow {
            purpose: p.as_str(),
            name: lang.t(p.name_key()).into_owned(),
            wording: lang.t(p.wording_key(p.current_version())).into_owned(),
            version: p.current_version(),
            state_key,
            granted,
        }
    })
    .collect()
}

/// The ledger, newest first, in the page's language.
fn history_rows(lang: crate::i18n::Lang, events: &[consent::ConsentEvent]) -> Vec<HistoryRow> {
    events
        .iter()
        .rev()
        .map(|e| HistoryRow {
            at: e.created_at.format("%Y-%m-%d %H:%M").to_string(),
            purpose: ConsentPurpose::parse(&e.purpose)
                .map(|p| lang.t(p.name_key()).into_owned())
                .unwrap_or_else(|| e.purpose.clone()),
            change_key: if e.granted {
                "choice-history-granted"
            } else {
                "choice-history-withdrawn"
            },
            version: e.wording_version,
            source: lang.t(format!("consent-source-{}", e.source)).into_owned(),
        })
        .collect()
}

/// `GET /account/privacy`.
#[derive(Template)]
#[template(path = "privacy/choices.html")]
pub struct ChoicesPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The consents.
    pub choices: Vec<ChoiceRow>,
    /// The ledger.
    pub history: Vec<HistoryRow>,
}

/// The form of one consent button.
#[derive(Debug, Deserialize)]
pub struct ChoiceForm {
    /// Purpose name.
    pub doel: String,
    /// Wording version shown.
    pub versie: String,
    /// `geven` or `intrekken`.
    pub keuze: String,
    /// Where to go back to (a local path; default this page).
    #[serde(default)]
    pub terug: String,
}

/// `GET /account/privacy`.
pub async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
) -> Result<HttpResponse, AppError> {
    let (id, email) = (customer.id, customer.email.clone());
    let (events, subscriptions) = state
        .db
        .run(move |conn| {
            Ok((
                consent::history(conn, id)?,
                newsletter::of_customer(conn, id, &email)?,
            ))
        })
        .await?;
    let choices = choice_rows(ctx.lang, &events, &subscriptions);
    let history = history_rows(ctx.lang, &events);
    crate::web::page(&ChoicesPage {
        ctx,
        choices,
        history,
    })
}

/// `POST /account/privacy`: gives or withdraws one consent.
pub async fn choose(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    ctx: PageCtx,
    customer: Customer,
    form: web::Form<ChoiceForm>,
) -> Result<HttpResponse, AppError> {
    let (purpose, version) = ConsentPurpose::from_form(&form.doel, &form.versie)?;
    let grant = match form.keuze.as_str() {
        "geven" => true,
        "intrekken" => false,
        _ => return Err(AppError::BadRequest("error-consent-unknown")),
    };
    if purpose == ConsentPurpose::AdCookies {
        // Cookies are chosen per browser, on the cookie page.
        return Err(AppError::BadRequest("error-consent-unknown"));
    }
    if purpose == ConsentPurpose::Newsletter && grant {
        // Each sign-up mails a link: the same limit as every other form that sends one.
        let client = crate::web::client_ip(&req, state.config.behind_proxy);
        if let Err(wait) = state.account_mails.attempt(client, &customer.email) {
            return Err(AppError::TooManyRequests(wait.retry_after.as_secs().max(1)));
        }
    }
    let (id, email, lang, mail) = (
        customer.id,
        customer.email.clone(),
        ctx.lang,
        crate::mail::messages::MailContext::of(&state.config),
    );
    let flash_key = state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| {
                super::service::account_choice(
                    conn, id, &email, lang, &mail, purpose, grant, version,
                )
            })
        })
        .await?;
    flash::set(&session, FlashKind::Success, flash_key);
    let back = if crate::web::is_local_path(&form.terug) {
        form.terug.as_str()
    } else {
        "/account/privacy"
    };
    Ok(see_other(back))
}
