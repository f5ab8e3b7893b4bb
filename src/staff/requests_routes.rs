//! The privacy request desk for support and the owner (P16–P18): the open requests by due
//! date with overdue and nearly-due ones marked, a form to record one that came by post,
//! e-mail or phone, and a request's page with its identity check (lightest step first; an ID
//! document leaves only its type and last four characters — the page has no file field), its
//! one extension and its outcome. Every look and step is in the audit log (P14).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::auth::{Allowed, PrivacyDesk};
use super::menu::{Section, StaffMenu};
use crate::domain::FieldErrors;
use crate::domain::contact::Text;
use crate::error::AppError;
use crate::privacy::erasure::Erasing;
use crate::privacy::request_handling as handling;
use crate::privacy::requests::{
    self, Channel, DocumentType, Kind, NewRequestForm, Request, Urgency,
};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// Today in Amsterdam: due dates are calendar days there.
fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// Words for the values a request holds.
pub trait RequestWords {
    /// The page context.
    fn page_ctx(&self) -> &PageCtx;

    /// A kind in words.
    fn kind_label(&self, request: &Request) -> String {
        self.page_ctx()
            .t(format!("request-kind-label-{}", request.kind))
            .into_owned()
    }

    /// How urgent, in words, and the class that marks it.
    fn urgency(&self, request: &Request) -> (String, &'static str) {
        let (key, class) = match request.urgency(today()) {
            Urgency::Overdue => ("request-overdue", "overdue"),
            Urgency::NearlyDue => ("request-nearly-due", "nearly-due"),
            Urgency::OnTime => ("request-on-time", "on-time"),
            Urgency::Closed => ("request-closed", "closed"),
        };
        (self.page_ctx().t(key).into_owned(), class)
    }

    /// How identity was checked, in words.
    fn identity_label(&self, request: &Request) -> String {
        let key = match request.identity.as_deref() {
            Some(way) => format!("request-identity-{way}"),
            None => "request-identity-none".to_owned(),
        };
        self.page_ctx().t(key).into_owned()
    }
}

/// `GET /medewerkers/verzoeken`.
#[derive(Template)]
#[template(path = "staff/requests.html")]
pub struct DeskPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The requests, by due date.
    pub requests: Vec<Request>,
    /// Whether handled ones are shown too.
    pub all: bool,
}

impl RequestWords for DeskPage {
    fn page_ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

/// The desk's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeskQuery {
    /// `ja` to show handled requests too.
    pub alle: String,
}

/// `GET /medewerkers/verzoeken`: the requests by due date.
pub async fn desk(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
    query: web::Query<DeskQuery>,
) -> Result<HttpResponse, AppError> {
    let all = query.alle == "ja";
    let staff_id = allowed.staff.id;
    let requests = state
        .db
        .run(move |conn| {
            let list = requests::desk(conn, all)?;
            crate::privacy::audit::staff_act(conn, "requests_view", staff_id, "requests".into())?;
            Ok(list)
        })
        .await?;
    crate::web::page(&DeskPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
        requests,
        all,
    })
}

/// `GET /medewerkers/verzoeken/nieuw`, and the form with what to fix.
#[derive(Template)]
#[template(path = "staff/request_new.html")]
pub struct NewPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// What was typed.
    pub form: NewRequestForm,
    /// What to fix.
    pub errors: FieldErrors,
}

impl NewPage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|k| self.ctx.t(*k).into_owned())
    }

    /// The kinds: (value, label).
    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        Kind::ALL
            .iter()
            .map(|k| {
                let key = format!("request-kind-label-{}", k.as_str());
                (k.as_str(), self.ctx.t(key).into_owned())
            })
            .collect()
    }

    /// The channels: (value, label).
    pub fn channels(&self) -> Vec<(&'static str, String)> {
        Channel::ALL
            .iter()
            .map(|c| {
                let key = format!("request-channel-{}", c.as_str());
                (c.as_str(), self.ctx.t(key).into_owned())
            })
            .collect()
    }

    /// Today, the latest receipt date.
    pub fn today(&self) -> String {
        today().to_string()
    }
}

/// `GET /medewerkers/verzoeken/nieuw`.
pub async fn new_form(
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
) -> Result<HttpResponse, AppError> {
    let form = NewRequestForm {
        received: today().to_string(),
        ..NewRequestForm::default()
    };
    crate::web::page(&NewPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
        form,
        errors: FieldErrors::new(),
    })
}

/// `POST /medewerkers/verzoeken`: records a request.
pub async fn create(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
    form: web::Form<NewRequestForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let new = match form.parse(today()) {
        Ok(new) => new,
        Err(errors) => {
            let page = NewPage {
                ctx,
                menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
                form,
                errors,
            };
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let staff_id = allowed.staff.id;
    let id = state
        .db
        .run(move |conn| Ok(requests::record(conn, &new, staff_id)?))
        .await?;
    flash::set(&session, FlashKind::Success, "request-recorded");
    Ok(see_other(&format!("/medewerkers/verzoeken/{id}")))
}

/// `GET /medewerkers/verzoeken/{id}`.
#[derive(Template)]
#[template(path = "staff/request.html")]
pub struct RequestPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The request.
    pub request: Request,
    /// A reason or outcome typed in a step that was refused, to try again with.
    pub draft: String,
    /// For a correction: the account's name and phone number now, to correct.
    pub profile: Option<(String, String)>,
}

/// The session key of a refused step's text: (request, text).
const DRAFT_KEY: &str = "request_draft";

impl RequestWords for RequestPage {
    fn page_ctx(&self) -> &PageCtx {
        &self.ctx
    }
}

impl RequestPage {
    /// Whether the first rung applies: the request came from the account's own address.
    pub fn from_account_address(&self) -> bool {
        self.request.customer_id.is_some()
            && matches!(
                Channel::parse(&self.request.channel),
                Some(Channel::Email | Channel::Form)
            )
    }

    /// Whether a confirmation link is out and still works.
    pub fn link_pending(&self) -> bool {
        self.request
            .confirm_expires_at
            .is_some_and(|until| until > crate::db::now())
    }

    /// The self-service path that handles this request from the desk, once identity is
    /// checked and an account is behind the address: `download` (access, portability) or
    /// `wissen` (erasure).
    pub fn handling(&self) -> Option<&'static str> {
        if !self.request.is_open() || !self.request.identified() {
            return None;
        }
        self.request.customer_id?;
        match self.request.kind() {
            Kind::Access | Kind::Portability => Some("download"),
            Kind::Erasure => Some("wissen"),
            Kind::Correction => Some("corrigeren"),
            _ => None,
        }
    }

    /// Whether the request may still be extended today.
    pub fn may_extend(&self) -> bool {
        self.request.is_open()
            && self.request.extension_reason.is_none()
            && today() <= self.request.due_on
    }

    /// The document types: (value, label).
    pub fn document_types(&self) -> Vec<(&'static str, String)> {
        DocumentType::ALL
            .iter()
            .map(|d| {
                let key = format!("request-document-{}", d.as_str());
                (d.as_str(), self.ctx.t(key).into_owned())
            })
            .collect()
    }

    /// A channel in words.
    pub fn channel(&self) -> String {
        self.ctx
            .t(format!("request-channel-{}", self.request.channel))
            .into_owned()
    }

    /// A date as staff read it, with its year (a due date may be in the next one).
    pub fn day(&self, date: &NaiveDate) -> String {
        crate::privacy::request_mail::full_date(self.ctx.lang, *date)
    }
}

/// `GET /medewerkers/verzoeken/{id}`: the request and its next steps.
pub async fn request(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, staff_id) = (path.into_inner(), allowed.staff.id);
    let (request, profile) = state
        .db
        .run(move |conn| {
            let request = requests::find(conn, id)?.ok_or(AppError::NotFound)?;
            requests::record_view(conn, &request, staff_id)?;
            let profile = match (request.kind(), request.customer_id) {
                (Kind::Correction, Some(customer)) => crate::accounts::repo::by_id(conn, customer)?
                    .map(|c| (c.name, c.phone.unwrap_or_default())),
                _ => None,
            };
            Ok((request, profile))
        })
        .await?;
    let draft = match session.remove_as::<(i64, String)>(DRAFT_KEY) {
        Some(Ok((of, text))) if of == id => text,
        _ => String::new(),
    };
    crate::web::page(&RequestPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
        request,
        draft,
        profile,
    })
}

/// Every step's form (each uses the fields it needs).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    /// A document's type.
    pub document_type: String,
    /// Its last four characters.
    pub last4: String,
    /// An extension's reason, or the outcome.
    pub text: String,
    /// `done` or `refused` when closing.
    pub result: String,
    /// `ja` when staff confirmed an erasure.
    pub confirm: String,
    /// A corrected name.
    pub name: String,
    /// A corrected phone number (empty: none).
    pub phone: String,
}

/// `POST /medewerkers/verzoeken/{id}/{stap}`: one step (`account`, `link`, `document`,
/// `verlengen`, `afhandelen`). A refused step leaves the request as it was and says why.
pub async fn step(
    state: web::Data<AppState>,
    key: web::Data<crate::domain::sealed::DataKey>,
    session: Session,
    allowed: Allowed<PrivacyDesk>,
    path: web::Path<(i64, String)>,
    form: web::Form<StepForm>,
) -> Result<HttpResponse, AppError> {
    let (id, step) = path.into_inner();
    let path_step = step.clone();
    let (staff_id, form) = (allowed.staff.id, form.into_inner());
    let mail = crate::mail::messages::MailContext::of(&state.config);
    let log = crate::privacy::erasure_log::ErasureLog::in_dir(&state.config.data_dir);
    let text = Text::required(&form.text, requests::TEXT_MAX);
    let typed = form.text.clone();
    let done = state
        .db
        .run(move |conn| {
            let text = || {
                text.clone()
                    .map_err(|_| AppError::BadRequest("request-error-text"))
            };
            match step.as_str() {
                "account" => requests::identify_by_account(conn, id, staff_id)?,
                "link" => requests::send_link(conn, id, &mail)?,
                "download" => handling::send_download_link(conn, id, staff_id, &mail)?,
                "corrigeren" => {
                    let (name, phone) =
                        crate::accounts::model::parse_profile(&form.name, &form.phone).map_err(
                            |errors| {
                                let key = errors.values().next().copied();
                                AppError::BadRequest(key.unwrap_or("checkout-error-required"))
                            },
                        )?;
                    handling::correct_profile(conn, id, staff_id, &name, phone.as_ref())?;
                }
                "wissen" => {
                    if form.confirm != "ja" {
                        return Err(AppError::BadRequest("request-error-confirm-erase"));
                    }
                    let with = Erasing {
                        key: &key,
                        log: &log,
                        mail: &mail,
                    };
                    handling::erase_account(conn, id, staff_id, &with)?;
                }
                "document" => {
                    let kind = DocumentType::parse(&form.document_type)
                        .ok_or(AppError::BadRequest("request-error-document"))?;
                    requests::identify_by_document(conn, id, staff_id, kind, &form.last4)?
                }
                "verlengen" => {
                    requests::extend(conn, id, staff_id, &text()?, today(), &mail)?;
                }
                "afhandelen" => {
                    let done = match form.result.as_str() {
                        "done" => true,
                        "refused" => false,
                        _ => return Err(AppError::BadRequest("request-error-result")),
                    };
                    requests::close(conn, id, staff_id, done, &text()?, &mail)?
                }
                _ => return Err(AppError::NotFound),
            }
            Ok(format!("request-step-{step}"))
        })
        .await;
    if done.is_ok() && path_step == "wissen" {
        // The rows are gone; their old bytes go now rather than at the next scrub.
        let scrubbed = state
            .db
            .run(|conn| Ok(crate::db::scrub(conn, crate::privacy::erasure::TABLES)?))
            .await;
        if let Err(e) = scrubbed {
            tracing::warn!(error = %e, "scrubbing the database files after an erasure failed");
        }
    }
    match done {
        Ok(key) => flash::set(&session, FlashKind::Success, &key),
        Err(AppError::BadRequest(key)) => {
            flash::set(&session, FlashKind::Error, key);
            // What was typed comes back in the form (best effort: a lost draft is retyped).
            let _ = session.insert(DRAFT_KEY, (id, typed));
        }
        Err(e) => return Err(e),
    }
    Ok(see_other(&format!("/medewerkers/verzoeken/{id}")))
}

/// The desk's routes.
pub fn configure(cfg: &mut web::ServiceConfig, resource: fn(&str) -> actix_web::Resource) {
    cfg.service(
        resource("/medewerkers/verzoeken")
            .route(web::get().to(desk))
            .route(web::post().to(create)),
    )
    .service(resource("/medewerkers/verzoeken/nieuw").route(web::get().to(new_form)))
    .service(resource("/medewerkers/verzoeken/{id}").route(web::get().to(request)))
    .service(resource("/medewerkers/verzoeken/{id}/{stap}").route(web::post().to(step)));
}
