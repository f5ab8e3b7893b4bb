//! The back office's business pages: the companies with their approval, and the monthly
//! invoices (issue a month, read an invoice). Support approves companies; only the owner sees
//! invoices (company financial data).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::auth::{Allowed, Companies, Invoices};
use super::menu::{Section, StaffMenu};
use crate::business::invoice::{self, InvoiceProblem, InvoiceRow, Month};
use crate::business::repo::{self, CompanyRow};
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, render, see_other};

/// `GET /medewerkers/bedrijven`.
#[derive(Template)]
#[template(path = "staff/companies.html")]
pub struct CompaniesPage {
    pub ctx: PageCtx,
    pub menu: Option<StaffMenu>,
    pub companies: Vec<CompanyRow>,
}

/// `GET /medewerkers/facturen`.
#[derive(Template)]
#[template(path = "staff/invoices.html")]
pub struct InvoicesPage {
    pub ctx: PageCtx,
    pub menu: Option<StaffMenu>,
    pub invoices: Vec<InvoiceRow>,
    pub month: String,
    pub error: Option<&'static str>,
}

impl InvoicesPage {
    /// An amount in cents, shown.
    pub fn total(&self, cents: &i64) -> crate::money::Shown {
        self.ctx.money(crate::money::Money::from_cents(*cents))
    }
}

/// `GET /medewerkers/bedrijven`: those waiting for approval first.
pub async fn companies(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<Companies>,
) -> Result<HttpResponse, AppError> {
    let staff_id = allowed.staff.id;
    let companies = state
        .db
        .run(move |conn| {
            let subject = "companies".to_owned();
            crate::privacy::audit::staff_act(conn, "companies_view", staff_id, subject)?;
            Ok(repo::all_companies(conn)?)
        })
        .await?;
    let menu = Some(StaffMenu::new(&allowed.staff, Section::Companies));
    page(&CompaniesPage {
        ctx,
        menu,
        companies,
    })
}

/// `POST /medewerkers/bedrijven/{id}/goedkeuren`: the company may pay on account from now on.
pub async fn approve(
    state: web::Data<AppState>,
    session: Session,
    staff: Allowed<Companies>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, staff_id) = (id.into_inner(), staff.staff.id);
    let approved = state
        .db
        .run(move |conn| {
            repo::company(conn, id)?.ok_or(AppError::NotFound)?;
            Ok(repo::approve(conn, id, staff_id, crate::db::now())?)
        })
        .await?;
    flash::set(
        &session,
        FlashKind::Success,
        if approved {
            "staff-company-approved"
        } else {
            "staff-company-was-approved"
        },
    );
    Ok(see_other("/medewerkers/bedrijven"))
}

async fn invoices_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &super::auth::StaffUser,
    month: String,
    error: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let invoices = state
        .db
        .run(|conn| Ok(invoice::invoices(conn, None)?))
        .await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        status,
        &InvoicesPage {
            ctx,
            menu: Some(StaffMenu::new(staff, Section::Invoices)),
            invoices,
            month,
            error,
        },
    )
}

/// The last month that has ended, `YYYY-MM`.
fn last_month() -> String {
    let today = invoice::today();
    let first = today - chrono::Duration::days(i64::from(chrono::Datelike::day(&today)));
    first.format("%Y-%m").to_string()
}

/// `GET /medewerkers/facturen`.
pub async fn invoices(
    state: web::Data<AppState>,
    ctx: PageCtx,
    allowed: Allowed<Invoices>,
) -> Result<HttpResponse, AppError> {
    invoices_page(&state, ctx, &allowed.staff, last_month(), None).await
}

/// The month to invoice.
#[derive(Deserialize)]
pub struct MonthForm {
    #[serde(default)]
    pub month: String,
}

/// `POST /medewerkers/facturen`: issues the month's invoices (the same as
/// `bloei invoices --month`).
pub async fn issue(
    state: web::Data<AppState>,
    ctx: PageCtx,
    session: Session,
    allowed: Allowed<Invoices>,
    form: web::Form<MonthForm>,
) -> Result<HttpResponse, AppError> {
    let Some(month) = Month::parse(&form.month) else {
        return invoices_page(
            &state,
            ctx,
            &allowed.staff,
            form.month.clone(),
            Some("invoice-error-month"),
        )
        .await;
    };
    let (shop, mail) = (
        state.config.shop.clone(),
        crate::mail::messages::MailContext::of(&state.config),
    );
    let today = invoice::today();
    let outcome = state
        .db
        .run(move |conn| invoice::issue_month(conn, month, &shop, today, &mail))
        .await?;
    match outcome {
        Ok(issued) => {
            flash::set(
                &session,
                FlashKind::Success,
                if issued.is_empty() {
                    "invoice-none-issued"
                } else {
                    "invoice-issued"
                },
            );
            Ok(see_other("/medewerkers/facturen"))
        }
        Err(InvoiceProblem::NotOver) => {
            invoices_page(
                &state,
                ctx,
                &allowed.staff,
                form.month.clone(),
                Some("invoice-error-not-over"),
            )
            .await
        }
    }
}

/// `GET /medewerkers/facturen/{id}`.
pub async fn invoice(
    state: web::Data<AppState>,
    ctx: PageCtx,
    _staff: Allowed<Invoices>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (id.into_inner(), ctx.lang);
    let (invoice, orders) = state
        .db
        .run(move |conn| invoice::view(conn, id, None, lang))
        .await?;
    page(&crate::business::pages::InvoicePage {
        ctx,
        invoice,
        orders,
    })
}
