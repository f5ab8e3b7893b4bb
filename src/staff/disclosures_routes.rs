//! The disclosure register for support and the owner (P10): record personal data handed to
//! someone outside the shop on a legal ground (a police request, say) — who received it, on
//! what basis, what was sent, when, about which account or order — and read back the latest.
//! The person finds each one about them on "my data" and in their download.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::auth::{Allowed, PrivacyDesk};
use super::menu::{Section, StaffMenu};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::privacy::disclosures::{self, RecordForm, Recorded};
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// `GET /medewerkers/verstrekkingen`.
#[derive(Template)]
#[template(path = "staff/disclosures.html")]
pub struct RegisterPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The form as typed.
    pub form: RecordForm,
    /// What to fix.
    pub errors: FieldErrors,
    /// The latest recorded disclosures.
    pub recorded: Vec<Recorded>,
}

impl RegisterPage {
    /// The message for a field.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).map(|k| self.ctx.t(*k).into_owned())
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    allowed: &Allowed<PrivacyDesk>,
    form: RecordForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let staff_id = allowed.staff.id;
    let recorded = state
        .db
        .run(move |conn| {
            let list = disclosures::recorded(conn)?;
            crate::privacy::audit::staff_act(
                conn,
                "disclosures_view",
                staff_id,
                "disclosures".into(),
            )?;
            Ok(list)
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &RegisterPage {
            ctx,
            menu: Some(StaffMenu::new(&allowed.staff, Section::PrivacyDesk)),
            form,
            errors,
            recorded,
        },
    )
}

/// `GET /medewerkers/verstrekkingen`.
pub async fn register(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
) -> Result<HttpResponse, AppError> {
    let form = RecordForm {
        disclosed_on: today().to_string(),
        ..RecordForm::default()
    };
    page(&state, ctx, &allowed, form, FieldErrors::new()).await
}

/// `POST /medewerkers/verstrekkingen`: records one; a refused one comes back as typed.
pub async fn record(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    allowed: Allowed<PrivacyDesk>,
    form: web::Form<RecordForm>,
) -> Result<HttpResponse, AppError> {
    let (form, staff_id) = (form.into_inner(), allowed.staff.id);
    let typed = form.clone();
    let recorded = state
        .db
        .run(move |conn| disclosures::record(conn, &typed, staff_id, today()))
        .await?;
    match recorded {
        Ok(_) => {
            flash::set(&session, FlashKind::Success, "disclosure-recorded");
            Ok(see_other("/medewerkers/verstrekkingen"))
        }
        Err(errors) => page(&state, ctx, &allowed, form, errors).await,
    }
}
