//! Back-office routes: the start page, the delivery calendar and the delivery zones. Changes
//! are the owner's (`Allowed<Calendar>`); the start page is every staff member's.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{Days, NaiveDate};
use chrono_tz::Europe::Amsterdam;

use super::auth::{Allowed, Calendar, StaffUser};
use super::menu::{Section, StaffMenu};
use super::model::{Permission, Role};
use super::office_pages::{CalendarPage, DayPage, HomePage, ZonePage, ZonesPage};
use super::{office, office_repo};
use crate::delivery::calendar::{self, CALENDAR_DAYS, DayForm, DayRefusal};
use crate::delivery::repo as delivery;
use crate::delivery::rules::DeliveryRules;
use crate::delivery::service::PlanCache;
use crate::delivery::zones::ZoneForm;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, render, see_other};

/// How many recorded changes a page lists.
const CHANGES_SHOWN: i64 = 20;

fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&Amsterdam).date_naive()
}

/// `GET /medewerkers`: the start page.
pub async fn home(
    state: web::Data<AppState>,
    staff: StaffUser,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let today = today();
    // A courier's day is their own run.
    let run = (staff.role == Role::Courier).then_some(staff.id);
    let answers = staff.role.may(Permission::Messages);
    let (counts, open_messages) = state
        .db
        .run(move |conn| {
            let open = match answers {
                true => Some(crate::privacy::contact::open_count(conn)?),
                false => None,
            };
            Ok((office_repo::day_counts(conn, today, run)?, open))
        })
        .await?;
    page(&HomePage {
        ctx,
        menu: Some(StaffMenu::new(&staff, Section::Home)),
        today,
        counts,
        open_messages,
    })
}

/// `GET /medewerkers/kalender`.
pub async fn calendar(
    state: web::Data<AppState>,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let rules = DeliveryRules::from(&state.config.delivery);
    let (days, changes) = state
        .db
        .run(move |conn| {
            let days = calendar::days(conn, &rules, today(), CALENDAR_DAYS)?;
            Ok((
                days,
                office_repo::changes(conn, "calendar:", CHANGES_SHOWN)?,
            ))
        })
        .await?;
    page(&CalendarPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Calendar)),
        days,
        changes,
    })
}

fn parse_day(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| AppError::NotFound)
}

async fn day_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    date: NaiveDate,
    typed: Option<DayForm>,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let last = today().checked_add_days(Days::new(CALENDAR_DAYS * 2));
    if date < today() || Some(date) > last {
        return Err(AppError::NotFound);
    }
    let rules = DeliveryRules::from(&state.config.delivery);
    let (day, changes) = state
        .db
        .run(move |conn| {
            let day = calendar::days(conn, &rules, date, 1)?
                .pop()
                .ok_or(AppError::NotFound)?;
            let changes = office_repo::changes(conn, &format!("calendar:{date}"), CHANGES_SHOWN)?;
            Ok((day, changes))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = typed.unwrap_or_else(|| DayForm::of(&day.plan));
    render(
        status,
        &DayPage {
            ctx,
            menu: Some(StaffMenu::new(staff, Section::Calendar)),
            day,
            form,
            errors,
            changes,
        },
    )
}

/// `GET /medewerkers/kalender/{datum}`.
pub async fn day_form(
    state: web::Data<AppState>,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
    datum: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let date = parse_day(&datum)?;
    day_page(&state, ctx, &allowed.staff, date, None, FieldErrors::new()).await
}

/// `POST /medewerkers/kalender/{datum}`: opens, closes or changes the day.
pub async fn change_day(
    state: web::Data<AppState>,
    plans: web::Data<PlanCache>,
    session: Session,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
    datum: web::Path<String>,
    form: web::Form<DayForm>,
) -> Result<HttpResponse, AppError> {
    let date = parse_day(&datum)?;
    let form = form.into_inner();
    let plan = match form.parse() {
        Ok(plan) => plan,
        Err(errors) => {
            return day_page(&state, ctx, &allowed.staff, date, Some(form), errors).await;
        }
    };
    let staff_id = allowed.staff.id;
    let outcome = state
        .db
        .run(move |conn| office::change_day(conn, date, &plan, staff_id))
        .await?;
    match outcome {
        Ok(booked) => {
            plans.invalidate();
            let closed_with_orders = form.state == "closed" && booked > 0;
            let message = if closed_with_orders {
                "calendar-saved-has-orders"
            } else {
                "calendar-saved"
            };
            flash::set(&session, FlashKind::Success, message);
            Ok(see_other("/medewerkers/kalender"))
        }
        Err(DayRefusal::BelowBooked { .. }) => {
            let errors = FieldErrors::from([("capacity", "calendar-error-below-booked")]);
            day_page(&state, ctx, &allowed.staff, date, Some(form), errors).await
        }
    }
}

async fn zones_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    form: ZoneForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let (zones, changes) = state
        .db
        .run(|conn| {
            let zones = delivery::zone_rows(conn)?;
            Ok((zones, office_repo::changes(conn, "zone:", CHANGES_SHOWN)?))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &ZonesPage {
            ctx,
            menu: Some(StaffMenu::new(staff, Section::Zones)),
            zones,
            form,
            errors,
            changes,
        },
    )
}

/// `GET /medewerkers/zones`.
pub async fn zones(
    state: web::Data<AppState>,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    zones_page(
        &state,
        ctx,
        &allowed.staff,
        ZoneForm::default(),
        FieldErrors::new(),
    )
    .await
}

/// `POST /medewerkers/zones`: adds a zone.
pub async fn add_zone(
    state: web::Data<AppState>,
    plans: web::Data<PlanCache>,
    session: Session,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
    form: web::Form<ZoneForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (typed, staff_id) = (form.clone(), allowed.staff.id);
    let saved = state
        .db
        .run(move |conn| office::save_zone(conn, None, &typed, staff_id))
        .await?;
    match saved {
        Ok(_) => {
            plans.invalidate();
            flash::set(&session, FlashKind::Success, "zone-saved");
            Ok(see_other("/medewerkers/zones"))
        }
        Err(errors) => zones_page(&state, ctx, &allowed.staff, form, errors).await,
    }
}

async fn zone_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    id: i64,
    typed: Option<ZoneForm>,
    errors: FieldErrors,
    confirm_delete: bool,
) -> Result<HttpResponse, AppError> {
    let (_, zone) = state
        .db
        .run(move |conn| Ok(delivery::zone_rows(conn)?))
        .await?
        .into_iter()
        .find(|(row, _)| *row == id)
        .ok_or(AppError::NotFound)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = typed.unwrap_or_else(|| ZoneForm::of(&zone, ctx.lang));
    render(
        status,
        &ZonePage {
            ctx,
            menu: Some(StaffMenu::new(staff, Section::Zones)),
            id,
            name: zone.name,
            form,
            errors,
            confirm_delete,
        },
    )
}

/// `GET /medewerkers/zones/{id}`.
pub async fn zone_form(
    state: web::Data<AppState>,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    zone_page(
        &state,
        ctx,
        &allowed.staff,
        id,
        None,
        FieldErrors::new(),
        false,
    )
    .await
}

/// `POST /medewerkers/zones/{id}`: changes a zone.
pub async fn change_zone(
    state: web::Data<AppState>,
    plans: web::Data<PlanCache>,
    session: Session,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<ZoneForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.into_inner());
    let (typed, staff_id) = (form.clone(), allowed.staff.id);
    let saved = state
        .db
        .run(move |conn| office::save_zone(conn, Some(id), &typed, staff_id))
        .await?;
    match saved {
        Ok(_) => {
            plans.invalidate();
            flash::set(&session, FlashKind::Success, "zone-saved");
            Ok(see_other("/medewerkers/zones"))
        }
        Err(errors) => zone_page(&state, ctx, &allowed.staff, id, Some(form), errors, false).await,
    }
}

/// `GET /medewerkers/zones/{id}/verwijderen`: asks first.
pub async fn confirm_delete_zone(
    state: web::Data<AppState>,
    allowed: Allowed<Calendar>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    zone_page(
        &state,
        ctx,
        &allowed.staff,
        id,
        None,
        FieldErrors::new(),
        true,
    )
    .await
}

/// `POST /medewerkers/zones/{id}/verwijderen`.
pub async fn delete_zone(
    state: web::Data<AppState>,
    plans: web::Data<PlanCache>,
    session: Session,
    allowed: Allowed<Calendar>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, staff_id) = (id.into_inner(), allowed.staff.id);
    state
        .db
        .run(move |conn| office::delete_zone(conn, id, staff_id))
        .await?;
    plans.invalidate();
    flash::set(&session, FlashKind::Success, "zone-deleted");
    Ok(see_other("/medewerkers/zones"))
}
