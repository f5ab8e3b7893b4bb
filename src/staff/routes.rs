//! Staff routes: the production board, work tickets, the courier's list and status changes.
//! Every handler takes an `Allowed<…>` or a `StaffUser`, so nothing here is reachable without
//! a staff login, and each role sees only the buttons it may press.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use chrono_tz::Europe::Amsterdam;
use serde::Deserialize;

use super::auth::{Allowed, Board, Route, Runs, StaffUser, Ticket};
use super::menu::{Section, StaffMenu};
use super::model::{Permission, Role, may_move};
use super::pages::{
    BoardEntry, BoardPage, CourierPage, DateNav, StopEntry, TicketPage, TicketsPage,
};
use super::{repo, service};
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::ordering::repo as orders;
use crate::privacy::audit;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, see_other};

/// `?datum=YYYY-MM-DD` (default: today in Amsterdam).
#[derive(Deserialize)]
pub struct DateQuery {
    /// The date.
    pub datum: Option<String>,
}

fn nav(query: &DateQuery) -> Result<DateNav, AppError> {
    let today = chrono::Utc::now().with_timezone(&Amsterdam).date_naive();
    let date = match query.datum.as_deref().filter(|d| !d.is_empty()) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| AppError::BadRequest("staff-error-date"))?,
        None => today,
    };
    Ok(DateNav { date, today })
}

fn entry(
    conn: &mut crate::db::DbConn,
    order: repo::BoardOrder,
    role: Role,
) -> Result<BoardEntry, AppError> {
    let status = OrderStatus::parse(&order.status)
        .ok_or_else(|| AppError::internal(format!("order {}: unknown status", order.id)))?;
    let lines = orders::lines_of(conn, order.id)?;
    let delivery = order.fulfilment == "delivery";
    let mut next = status.next_steps(delivery);
    next.retain(|to| may_move(role, status, *to));
    let undo_to = super::orders::undoable(conn, order.id, status, delivery, role)?;
    Ok(BoardEntry {
        order,
        status,
        lines,
        next,
        undo_to,
    })
}

/// `GET /medewerkers/productie`.
pub async fn board(
    state: web::Data<AppState>,
    // Extracted before the page context, so a missing login does not use up a flash message.
    allowed: Allowed<Board>,
    ctx: PageCtx,
    query: web::Query<DateQuery>,
) -> Result<HttpResponse, AppError> {
    let staff = allowed.staff;
    let nav = nav(&query)?;
    let date = nav.date;
    let (role, staff_id) = (staff.role, staff.id);
    let entries = state
        .db
        .run(move |conn| {
            audit::staff_act(conn, "board_view", staff_id, format!("board:{date}"))?;
            repo::board(conn, date)?
                .into_iter()
                .map(|order| entry(conn, order, role))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    page(&BoardPage {
        ctx,
        menu: Some(StaffMenu::new(&staff, Section::Board)),
        role,
        nav,
        entries,
    })
}

/// `GET /medewerkers/bestellingen/{id}/werkbon`.
pub async fn ticket(
    state: web::Data<AppState>,
    allowed: Allowed<Ticket>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let (role, staff_id) = (allowed.staff.role, allowed.staff.id);
    let menu = Some(StaffMenu::new(&allowed.staff, Section::Board));
    let entry = state
        .db
        .run(move |conn| {
            let order = repo::board_order(conn, id)?.ok_or(AppError::NotFound)?;
            audit::staff_act(conn, "ticket_view", staff_id, format!("order:{id}"))?;
            entry(conn, order, role)
        })
        .await?;
    page(&TicketPage { ctx, menu, entry })
}

/// `GET /medewerkers/bezorging`.
pub async fn courier(
    state: web::Data<AppState>,
    allowed: Allowed<Route>,
    ctx: PageCtx,
    query: web::Query<DateQuery>,
) -> Result<HttpResponse, AppError> {
    let nav = nav(&query)?;
    let date = nav.date;
    let role = allowed.staff.role;
    // The owner sees every stop and puts them on runs; a courier sees their own run.
    let assigns = role.may(Permission::AssignRuns);
    let own_run = (!assigns).then_some(allowed.staff.id);
    let (lang, staff_id) = (ctx.lang, allowed.staff.id);
    let (stops, couriers) = state
        .db
        .run(move |conn| {
            audit::staff_act(conn, "route_view", staff_id, format!("route:{date}"))?;
            let couriers = if assigns {
                repo::couriers(conn)?
            } else {
                Vec::new()
            };
            let stops = repo::stops(conn, date, own_run)?
                .into_iter()
                .map(|stop| {
                    let status = OrderStatus::parse(&stop.status).unwrap_or(OrderStatus::Ready);
                    let products = orders::lines_of(conn, stop.id)?
                        .iter()
                        .map(|(line, addons)| product_line(lang, line, addons))
                        .collect();
                    // The courier's steps: leaving with it, and what happened at the door.
                    let mut next =
                        if matches!(status, OrderStatus::Ready | OrderStatus::OutForDelivery) {
                            status.next_steps(true)
                        } else {
                            Vec::new()
                        };
                    next.retain(|to| *to != OrderStatus::Cancelled && may_move(role, status, *to));
                    Ok(StopEntry {
                        stop,
                        status,
                        products,
                        next,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            if role == Role::Courier {
                // The list hands the recipients' details to this courier (P10).
                let ids: Vec<i64> = stops.iter().map(|s| s.stop.id).collect();
                crate::privacy::disclosures::to_courier(conn, &ids, staff_id)?;
            }
            Ok((stops, couriers))
        })
        .await?;
    // Handed over: out of the way, behind a toggle.
    let (done, stops) = stops.into_iter().partition(|s: &StopEntry| {
        matches!(
            s.status,
            OrderStatus::Delivered | OrderStatus::WithNeighbour
        )
    });
    page(&CourierPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Route)),
        role,
        nav,
        stops,
        done,
        couriers,
    })
}

/// "2 × Rode rozen klassiek (Groot) + Glazen vaas", in the page's language.
fn product_line(
    lang: crate::i18n::Lang,
    line: &crate::ordering::repo::LineRow,
    addons: &[crate::ordering::repo::AddonRow],
) -> String {
    let size = crate::catalog::model::Size::parse(&line.size)
        .map_or_else(|| line.size.clone(), |s| lang.t(s.label_key()).into_owned());
    let mut text = format!(
        "{} × {} ({size})",
        line.quantity,
        lang.pick(&line.product_name_nl, &line.product_name_en)
    );
    for addon in addons {
        text.push_str(" + ");
        text.push_str(lang.pick(&addon.name_nl, &addon.name_en));
    }
    text
}

/// The form putting a whole day on one courier's run.
#[derive(Deserialize)]
pub struct RunAllForm {
    /// `YYYY-MM-DD`.
    pub datum: String,
    /// The courier's staff id.
    pub courier: String,
}

/// `POST /medewerkers/bezorging/rit`: every stop of the date on one courier's run.
pub async fn assign_all(
    state: web::Data<AppState>,
    session: actix_session::Session,
    _allowed: Allowed<Runs>,
    form: web::Form<RunAllForm>,
) -> Result<HttpResponse, AppError> {
    let date = NaiveDate::parse_from_str(&form.datum, "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest("staff-error-date"))?;
    let courier = form
        .courier
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("staff-run-refused"))?;
    let assigned = state
        .db
        .run(move |conn| Ok(conn.write_tx(|conn| repo::assign_all(conn, date, courier))?))
        .await?;
    if assigned == 0 {
        return Err(AppError::BadRequest("staff-run-refused"));
    }
    flash::set(&session, FlashKind::Success, "staff-run-all-assigned");
    Ok(see_other(&format!("/medewerkers/bezorging?datum={date}")))
}

/// `GET /medewerkers/werkbonnen?datum=…`: every work ticket of a date, one per printed page.
pub async fn tickets(
    state: web::Data<AppState>,
    allowed: Allowed<Ticket>,
    ctx: PageCtx,
    query: web::Query<DateQuery>,
) -> Result<HttpResponse, AppError> {
    let nav = nav(&query)?;
    let (date, role, staff_id) = (nav.date, allowed.staff.role, allowed.staff.id);
    let entries = state
        .db
        .run(move |conn| {
            audit::staff_act(conn, "tickets_view", staff_id, format!("tickets:{date}"))?;
            repo::board(conn, date)?
                .into_iter()
                .map(|order| entry(conn, order, role))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    page(&TicketsPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Board)),
        nav,
        entries,
    })
}

/// The run form's fields.
#[derive(Deserialize)]
pub struct RunForm {
    /// The courier's staff id; empty takes the stop off every run.
    #[serde(default)]
    pub courier: String,
    /// Where to return to (a local staff page).
    #[serde(default)]
    pub terug: String,
}

/// `POST /medewerkers/bestellingen/{id}/koerier`: puts a stop on a courier's run.
pub async fn assign_run(
    state: web::Data<AppState>,
    session: actix_session::Session,
    _allowed: Allowed<Runs>,
    id: web::Path<i64>,
    form: web::Form<RunForm>,
) -> Result<HttpResponse, AppError> {
    let courier = match form.courier.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::BadRequest("staff-run-refused"))?,
        ),
    };
    let id = id.into_inner();
    let assigned = state
        .db
        .run(move |conn| Ok(repo::assign(conn, id, courier)?))
        .await?;
    if !assigned {
        return Err(AppError::BadRequest("staff-run-refused"));
    }
    flash::set(&session, FlashKind::Success, "staff-run-assigned");
    Ok(see_other(&back_to(&form.terug, "/medewerkers/bezorging")))
}

/// A local staff page to return to, or `fallback`.
pub(crate) fn back_to(terug: &str, fallback: &str) -> String {
    if terug.starts_with("/medewerkers/") && crate::web::is_local_path(terug) {
        terug.to_owned()
    } else {
        fallback.to_owned()
    }
}

/// The status button's form.
#[derive(Deserialize)]
pub struct MoveForm {
    /// The status to move to.
    pub to: String,
    /// Where to return to (a local staff page).
    #[serde(default)]
    pub terug: String,
}

/// `POST /medewerkers/bestellingen/{id}/status`: one allowed step, recorded and mailed.
pub async fn move_order(
    state: web::Data<AppState>,
    session: actix_session::Session,
    staff: StaffUser,
    id: web::Path<i64>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let to =
        OrderStatus::parse(&form.to).ok_or(AppError::BadRequest("staff-transition-refused"))?;
    let id = id.into_inner();
    let mail = crate::mail::messages::MailContext::of(&state.config);
    state
        .db
        .run(move |conn| service::move_order(conn, id, to, (staff.id, staff.role), &mail))
        .await?;
    flash::set(&session, FlashKind::Success, "staff-moved");
    Ok(see_other(&back_to(&form.terug, "/medewerkers/productie")))
}
