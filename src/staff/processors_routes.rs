//! The processor register for the owner (P10): the companies that handle personal data for the
//! shop, as `/privacy` shows them. Lines the configuration names get their agreement date and
//! location here; other processors are added, changed and — after a confirmation — removed.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::auth::{Allowed, Processors};
use super::menu::{Section, StaffMenu};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::privacy::processors::{self, Entry, ProcessorForm, Target};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

const REGISTER: &str = "/medewerkers/verwerkers";

/// `GET /medewerkers/verwerkers`.
#[derive(Template)]
#[template(path = "staff/processors.html")]
pub struct RegisterPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The register in the page's language.
    pub entries: Vec<Entry>,
}

/// The form for one line, or the question before removing it.
#[derive(Template)]
#[template(path = "staff/processor.html")]
pub struct LinePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// Where the form posts (`/medewerkers/verwerkers/mail`, `.../nieuw`).
    pub action: String,
    /// The line as it is now; `None` for a new one.
    pub entry: Option<Entry>,
    /// The form as typed.
    pub form: ProcessorForm,
    /// What to fix.
    pub errors: FieldErrors,
    /// Whether this is the question "remove it?".
    pub confirm_remove: bool,
}

impl LinePage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|k| self.ctx.t(*k).into_owned())
    }

    /// Whether name, purpose and data are typed here (not taken from the settings).
    pub fn by_hand(&self) -> bool {
        self.entry.as_ref().is_none_or(|e| !e.configured)
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

fn menu(allowed: &Allowed<Processors>) -> Option<StaffMenu> {
    Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk))
}

/// The line `key` names with its stored row, or 404.
async fn line(
    state: &AppState,
    key: &str,
    lang: crate::i18n::Lang,
) -> Result<(Entry, Option<processors::ProcessorRow>), AppError> {
    let rows = state.db.run(|conn| Ok(processors::rows(conn)?)).await?;
    let entry = processors::register(&state.config.privacy, &rows, lang)
        .into_iter()
        .find(|e| e.key == key)
        .ok_or(AppError::NotFound)?;
    let row = rows
        .into_iter()
        .find(|r| r.role.as_deref() == Some(key) || (r.role.is_none() && r.id.to_string() == key));
    Ok((entry, row))
}

/// `GET /medewerkers/verwerkers`.
pub async fn register(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<Processors>,
) -> Result<HttpResponse, AppError> {
    let rows = state.db.run(|conn| Ok(processors::rows(conn)?)).await?;
    let entries = processors::register(&state.config.privacy, &rows, ctx.lang);
    render(
        StatusCode::OK,
        &RegisterPage {
            menu: menu(&allowed),
            ctx,
            entries,
        },
    )
}

/// `GET /medewerkers/verwerkers/nieuw`.
pub async fn new_form(
    ctx: PageCtx,
    allowed: Allowed<Processors>,
) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &LinePage {
            menu: menu(&allowed),
            ctx,
            action: format!("{REGISTER}/nieuw"),
            entry: None,
            form: ProcessorForm::default(),
            errors: FieldErrors::new(),
            confirm_remove: false,
        },
    )
}

/// `GET /medewerkers/verwerkers/{key}` (the form) and `.../{key}/verwijderen` (the question).
pub async fn edit_form(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<Processors>,
    path: web::Path<String>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, AppError> {
    let key = path.into_inner();
    let (entry, row) = line(&state, &key, ctx.lang).await?;
    let confirm_remove = req.path().ends_with("/verwijderen");
    if confirm_remove && entry.configured {
        return Err(AppError::NotFound);
    }
    render(
        StatusCode::OK,
        &LinePage {
            menu: menu(&allowed),
            action: format!("{REGISTER}/{key}"),
            form: ProcessorForm::of(&entry, row.as_ref()),
            ctx,
            entry: Some(entry),
            errors: FieldErrors::new(),
            confirm_remove,
        },
    )
}

/// `POST /medewerkers/verwerkers/nieuw` and `/medewerkers/verwerkers/{key}`: saves the line; a
/// refused one comes back as typed, with what to fix.
pub async fn save(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    allowed: Allowed<Processors>,
    path: Option<web::Path<String>>,
    form: web::Form<ProcessorForm>,
) -> Result<HttpResponse, AppError> {
    let key = path.map(|p| p.into_inner());
    let entry = match &key {
        Some(key) => Some(line(&state, key, ctx.lang).await?.0),
        None => None,
    };
    let (form, config) = (form.into_inner(), state.config.privacy.clone());
    let (typed, owned_key) = (form.clone(), key.clone());
    let saved = state
        .db
        .run(move |conn| {
            let target = match owned_key.as_deref() {
                None => Target::New,
                Some(key) => Target::parse(key, &config).ok_or(AppError::NotFound)?,
            };
            processors::save(conn, target, &typed, &config, today())
        })
        .await?;
    match saved {
        Ok(()) => {
            flash::set(&session, FlashKind::Success, "processors-saved");
            Ok(see_other(REGISTER))
        }
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &LinePage {
                menu: menu(&allowed),
                ctx,
                action: match &key {
                    Some(key) => format!("{REGISTER}/{key}"),
                    None => format!("{REGISTER}/nieuw"),
                },
                entry,
                form,
                errors,
                confirm_remove: false,
            },
        ),
    }
}

/// `POST /medewerkers/verwerkers/{id}/verwijderen`: removes a processor added by hand.
pub async fn remove(
    state: web::Data<AppState>,
    session: Session,
    _allowed: Allowed<Processors>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let removed = state
        .db
        .run(move |conn| Ok(processors::remove(conn, id)?))
        .await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    flash::set(&session, FlashKind::Success, "processors-removed");
    Ok(see_other(REGISTER))
}

/// The register's routes.
pub fn configure(cfg: &mut web::ServiceConfig, resource: fn(&str) -> actix_web::Resource) {
    cfg.service(resource(REGISTER).route(web::get().to(register)))
        .service(
            resource("/medewerkers/verwerkers/nieuw")
                .route(web::get().to(new_form))
                .route(web::post().to(save)),
        )
        .service(
            resource("/medewerkers/verwerkers/{key}")
                .route(web::get().to(edit_form))
                .route(web::post().to(save)),
        )
        .service(
            resource("/medewerkers/verwerkers/{key}/verwijderen")
                .route(web::get().to(edit_form))
                .route(web::post().to(remove)),
        );
}
