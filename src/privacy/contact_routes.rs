//! The public contact and complaint forms (P7). Each field says why it is asked (P1); a
//! logged-in customer finds their name and address filled in; a sent message answers with its
//! number on a page of its own (POST/redirect/GET, so Back and refresh send nothing twice).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::contact::{self, ContactForm, Kind};
use crate::accounts::auth::Customer;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::web::{AppState, PageCtx};

/// The session key holding the number of the message just sent (for the thank-you page).
const SENT_KEY: &str = "contact_sent";

/// `GET /contact` and `GET /klacht`, and either form with what to fix.
#[derive(Template)]
#[template(path = "privacy/contact.html")]
pub struct ContactPage {
    /// Page context.
    pub ctx: PageCtx,
    /// Which form.
    pub kind: Kind,
    /// What was typed.
    pub form: ContactForm,
    /// What to fix, per field.
    pub errors: FieldErrors,
    /// Past the limit: minutes to wait.
    pub wait_minutes: Option<u64>,
}

impl ContactPage {
    fn new(ctx: PageCtx, kind: Kind, form: ContactForm) -> ContactPage {
        ContactPage {
            ctx,
            kind,
            form,
            errors: FieldErrors::new(),
            wait_minutes: None,
        }
    }

    /// Whether this is the complaint form.
    pub fn is_complaint(&self) -> bool {
        self.kind == Kind::Complaint
    }

    /// Catalogue key prefix of the form's own texts (`contact` or `complaint`).
    pub fn key(&self, part: &str) -> String {
        let prefix = match self.kind {
            Kind::Question => "contact",
            Kind::Complaint => "complaint",
        };
        format!("{prefix}-{part}")
    }

    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        let key = self.errors.get(field)?;
        Some(match *key {
            "contact-error-message-long" => self.ctx.t_args(
                key,
                &[
                    ("max", contact::BODY_MAX.to_string()),
                    ("typed", self.form.message.chars().count().to_string()),
                ],
            ),
            "contact-error-name-long" => self
                .ctx
                .t_args(key, &[("max", contact::NAME_MAX.to_string())]),
            _ => self.ctx.t(key).into_owned(),
        })
    }

    /// The fields with an error, in form order, with their labels (for the summary's links).
    pub fn error_links(&self) -> Vec<(&'static str, String)> {
        [
            ("name", "contact-name".to_owned()),
            ("email", "account-email".to_owned()),
            ("order_number", "complaint-order-number".to_owned()),
            ("message", self.key("message")),
        ]
        .into_iter()
        .filter(|(field, _)| self.errors.contains_key(field))
        .map(|(field, label)| (field, self.ctx.t(label).into_owned()))
        .collect()
    }

    /// "Try again in … minutes".
    pub fn wait_message(&self) -> Option<String> {
        self.ctx.wait_message(self.wait_minutes)
    }

    /// The longest message, for `maxlength`.
    pub fn body_max(&self) -> usize {
        contact::BODY_MAX
    }

    /// The hint under the message, naming its limit.
    pub fn message_hint(&self) -> String {
        self.ctx.t_args(
            &self.key("message-why"),
            &[("max", contact::BODY_MAX.to_string())],
        )
    }
}

/// The complaint form's address may name the order (`/klacht?bestelling=B-2026-000012`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ComplaintQuery {
    /// The order number.
    pub bestelling: String,
}

fn prefilled(customer: Option<Customer>, order_number: String) -> ContactForm {
    let (name, email) = customer.map(|c| (c.name, c.email)).unwrap_or_default();
    ContactForm {
        name,
        email,
        order_number,
        message: String::new(),
    }
}

/// `GET /contact`.
pub async fn question_form(
    ctx: PageCtx,
    customer: Option<Customer>,
) -> Result<HttpResponse, AppError> {
    let form = prefilled(customer, String::new());
    crate::web::page(&ContactPage::new(ctx, Kind::Question, form))
}

/// `GET /klacht`.
pub async fn complaint_form(
    ctx: PageCtx,
    customer: Option<Customer>,
    query: web::Query<ComplaintQuery>,
) -> Result<HttpResponse, AppError> {
    let number: String = query.into_inner().bestelling.chars().take(20).collect();
    let form = prefilled(customer, number);
    crate::web::page(&ContactPage::new(ctx, Kind::Complaint, form))
}

/// `POST /contact`.
pub async fn send_question(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: PageCtx,
    customer: Option<Customer>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, AppError> {
    send(
        state,
        req,
        session,
        ctx,
        customer,
        form.into_inner(),
        Kind::Question,
    )
    .await
}

/// `POST /klacht`.
pub async fn send_complaint(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: PageCtx,
    customer: Option<Customer>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, AppError> {
    send(
        state,
        req,
        session,
        ctx,
        customer,
        form.into_inner(),
        Kind::Complaint,
    )
    .await
}

/// Checks and stores a message, then shows its number.
async fn send(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    ctx: PageCtx,
    customer: Option<Customer>,
    form: ContactForm,
    kind: Kind,
) -> Result<HttpResponse, AppError> {
    let message = match form.parse(kind) {
        Ok(message) => message,
        Err(errors) => {
            let mut page = ContactPage::new(ctx, kind, form);
            page.errors = errors;
            return crate::web::render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let client = crate::web::client_ip(&req, state.config.behind_proxy);
    if let Err(wait) = state
        .contact_messages
        .attempt(client, message.email.as_str())
    {
        let mut page = ContactPage::new(ctx, kind, form);
        page.wait_minutes = Some(wait.minutes());
        return crate::web::too_many(wait, &page);
    }
    let (lang, customer_id) = (ctx.lang, customer.map(|c| c.id));
    let number = state
        .db
        .run(move |conn| {
            Ok(conn.write_tx(|conn| contact::submit(conn, &message, lang, customer_id))?)
        })
        .await?;
    session
        .insert(SENT_KEY, (number, kind.as_str()))
        .map_err(AppError::internal)?;
    Ok(crate::web::see_other("/contact/verzonden"))
}

/// `GET /contact/verzonden`.
#[derive(Template)]
#[template(path = "privacy/contact_sent.html")]
pub struct SentPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The message's number and kind, while the session remembers them.
    pub sent: Option<(i64, String)>,
}

impl SentPage {
    /// "Your complaint has number 12."
    pub fn confirmation(&self) -> Option<String> {
        let (number, kind) = self.sent.as_ref()?;
        let key = if kind == "complaint" {
            "complaint-sent"
        } else {
            "contact-sent"
        };
        Some(self.ctx.t_args(key, &[("number", number.to_string())]))
    }
}

/// `GET /contact/verzonden`: the message's number, or (in another session) a plain note.
pub async fn sent(ctx: PageCtx, session: Session) -> Result<HttpResponse, AppError> {
    let sent = session.get::<(i64, String)>(SENT_KEY).unwrap_or(None);
    crate::web::page(&SentPage { ctx, sent })
}
