//! Order-desk routes: search and the order page are owner's and support's (`Allowed<Orders>`),
//! as are cancelling and refunds; undoing a step is for whoever may take that step (the
//! florist on the board, the courier on the route, and the owner).

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::auth::{Allowed, Orders, StaffUser};
use super::menu::{Section, StaffMenu};
use super::orders::{self, QUERY_MIN, RefundRefusal, UndoRefusal};
use super::orders_pages::{OrderPage, OrdersPage};
use super::routes::back_to;
use crate::error::AppError;
use crate::mail::messages::MailContext;
use crate::ordering::refunds::{self, Sent};
use crate::payment::Payments;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, page, see_other};

/// The search form.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    /// What to look for.
    #[serde(default)]
    pub q: String,
}

/// `GET /medewerkers/bestellingen?q=`.
pub async fn search(
    state: web::Data<AppState>,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner().q.trim().to_owned();
    let too_short = !query.is_empty() && query.chars().count() < QUERY_MIN;
    let hits = if query.is_empty() || too_short {
        None
    } else {
        let (typed, staff_id) = (query.clone(), allowed.staff.id);
        Some(
            state
                .db
                .run(move |conn| orders::search(conn, &typed, staff_id))
                .await?,
        )
    };
    page(&OrdersPage {
        ctx,
        menu: Some(StaffMenu::new(&allowed.staff, Section::Orders)),
        query,
        hits,
        too_short,
    })
}

async fn order_page(
    state: &AppState,
    ctx: PageCtx,
    staff: &StaffUser,
    id: i64,
    confirm_cancel: bool,
) -> Result<HttpResponse, AppError> {
    let who = (staff.id, staff.role);
    let view = state
        .db
        .run(move |conn| orders::view(conn, id, who))
        .await?;
    if confirm_cancel && view.cancel.is_none() {
        return Err(AppError::Conflict);
    }
    page(&OrderPage {
        ctx,
        menu: Some(StaffMenu::new(staff, Section::Orders)),
        view,
        confirm_cancel,
        refund: (String::new(), None),
    })
}

/// `GET /medewerkers/bestellingen/{id}`.
pub async fn order(
    state: web::Data<AppState>,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    order_page(&state, ctx, &allowed.staff, id.into_inner(), false).await
}

/// `GET /medewerkers/bestellingen/{id}/annuleren`: what cancelling does, and the button.
pub async fn confirm_cancel(
    state: web::Data<AppState>,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    order_page(&state, ctx, &allowed.staff, id.into_inner(), true).await
}

fn refund_flash(sent: Sent) -> (FlashKind, &'static str) {
    match sent {
        Sent::Accepted => (FlashKind::Success, "refund-sent"),
        Sent::AlreadyHandled => (FlashKind::Success, "refund-already"),
        Sent::TryLater => (FlashKind::Error, "refund-try-later"),
        Sent::Refused => (FlashKind::Error, "refund-refused"),
    }
}

/// Sends what was recorded to go back through the provider; what goes back at the counter
/// only needs saying.
pub(crate) async fn settle_refunds(
    state: &AppState,
    payments: &Payments,
    session: &Session,
    recorded: &refunds::Recorded,
) -> Result<(), AppError> {
    if recorded.to_send.is_empty() {
        flash::set(session, FlashKind::Success, "refund-at-counter");
        return Ok(());
    }
    send_refunds(state, payments, session, &recorded.to_send).await
}

/// Sends refunds one after the other; the flash tells the least good outcome.
pub(crate) async fn send_refunds(
    state: &AppState,
    payments: &Payments,
    session: &Session,
    ids: &[i64],
) -> Result<(), AppError> {
    let Some(provider) = payments.provider() else {
        flash::set(session, FlashKind::Error, "refund-no-provider");
        return Ok(());
    };
    let mut worst = Sent::AlreadyHandled;
    for id in ids {
        worst = worst.max(refunds::send(&state.db, provider, *id).await?);
    }
    let (kind, key) = refund_flash(worst);
    flash::set(session, kind, key);
    Ok(())
}

/// `POST /medewerkers/bestellingen/{id}/annuleren`: cancels, then sends the refund. Pressed
/// twice, the second press finds the order cancelled and sends nothing.
pub async fn cancel(
    state: web::Data<AppState>,
    payments: web::Data<Payments>,
    session: Session,
    allowed: Allowed<Orders>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, staff_id) = (id.into_inner(), allowed.staff.id);
    let mail = MailContext::of(&state.config);
    let back = format!("/medewerkers/bestellingen/{id}");
    let cancelled = state
        .db
        .run(move |conn| orders::cancel(conn, id, staff_id, &mail))
        .await;
    match cancelled {
        Ok(None) => flash::set(&session, FlashKind::Success, "staff-cancelled"),
        Ok(Some(recorded)) => settle_refunds(&state, &payments, &session, &recorded).await?,
        Err(AppError::Conflict) => flash::set(&session, FlashKind::Error, "staff-cancel-too-late"),
        Err(e) => return Err(e),
    }
    Ok(see_other(&back))
}

/// `POST /medewerkers/bestellingen/{id}/terugbetalingen/{refund}`: sends a refund that was
/// not taken yet (the provider was down, or refused it).
pub async fn retry_refund(
    state: web::Data<AppState>,
    payments: web::Data<Payments>,
    session: Session,
    _allowed: Allowed<Orders>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, refund_id) = path.into_inner();
    state
        .db
        .run(move |conn| Ok(refunds::find(conn, id, refund_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    send_refunds(&state, &payments, &session, &[refund_id]).await?;
    Ok(see_other(&format!("/medewerkers/bestellingen/{id}")))
}

/// The refund form.
#[derive(Debug, Deserialize)]
pub struct RefundForm {
    /// The amount as typed (`12,50`).
    #[serde(default)]
    pub bedrag: String,
}

/// `POST /medewerkers/bestellingen/{id}/terugbetalen`: sends part of the payment back; an
/// amount that is not one, or more than is left of what was paid, is refused beside the field.
pub async fn refund(
    state: web::Data<AppState>,
    payments: web::Data<Payments>,
    session: Session,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    id: web::Path<i64>,
    form: web::Form<RefundForm>,
) -> Result<HttpResponse, AppError> {
    let (id, typed, staff_id) = (id.into_inner(), form.into_inner().bedrag, allowed.staff.id);
    let mail = MailContext::of(&state.config);
    let amount = typed.clone();
    let outcome = state
        .db
        .run(move |conn| orders::refund_part(conn, id, &amount, staff_id, &mail))
        .await?;
    let error = match outcome {
        Ok(recorded) => {
            settle_refunds(&state, &payments, &session, &recorded).await?;
            return Ok(see_other(&format!("/medewerkers/bestellingen/{id}")));
        }
        Err(RefundRefusal::Amount(key)) => key,
        Err(RefundRefusal::MoreThanPaid) => "refund-error-more-than-paid",
    };
    let who = (allowed.staff.id, allowed.staff.role);
    let view = state
        .db
        .run(move |conn| orders::view(conn, id, who))
        .await?;
    crate::web::render(
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        &OrderPage {
            ctx,
            menu: Some(StaffMenu::new(&allowed.staff, Section::Orders)),
            view,
            confirm_cancel: false,
            refund: (typed, Some(error)),
        },
    )
}

/// The undo form.
#[derive(Debug, Deserialize)]
pub struct UndoForm {
    /// Why.
    #[serde(default)]
    pub reden: String,
    /// Where to return to.
    #[serde(default)]
    pub terug: String,
}

/// `POST /medewerkers/bestellingen/{id}/terugzetten`: the order back one step, with a reason.
pub async fn undo(
    state: web::Data<AppState>,
    session: Session,
    staff: StaffUser,
    id: web::Path<i64>,
    form: web::Form<UndoForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.into_inner());
    let who = (staff.id, staff.role);
    let reason = form.reden.clone();
    let outcome = state
        .db
        .run(move |conn| orders::undo_step(conn, id, who, &reason))
        .await?;
    match outcome {
        Ok(_) => flash::set(&session, FlashKind::Success, "staff-undone"),
        Err(UndoRefusal::Reason) => flash::set(&session, FlashKind::Error, "staff-undo-no-reason"),
    }
    Ok(see_other(&back_to(&form.terug, "/medewerkers/productie")))
}

/// The route table of the order desk.
pub fn configure(cfg: &mut web::ServiceConfig, resource: fn(&str) -> actix_web::Resource) {
    cfg.service(resource("/medewerkers/bestellingen").route(web::get().to(search)))
        .service(
            resource("/medewerkers/bestellingen/nieuw")
                .route(web::get().to(super::phone_routes::form))
                .route(web::post().to(super::phone_routes::place)),
        )
        .service(resource("/medewerkers/bestellingen/{id}").route(web::get().to(order)))
        .service(
            resource("/medewerkers/bestellingen/{id}/annuleren")
                .route(web::get().to(confirm_cancel))
                .route(web::post().to(cancel)),
        )
        .service(
            resource("/medewerkers/bestellingen/{id}/terugbetalingen/{refund}")
                .route(web::post().to(retry_refund)),
        )
        .service(resource("/medewerkers/bestellingen/{id}/terugzetten").route(web::post().to(undo)))
        .service(
            resource("/medewerkers/bestellingen/{id}/terugbetalen").route(web::post().to(refund)),
        )
        .service(
            resource("/medewerkers/bestellingen/{id}/wijzigen")
                .route(web::get().to(super::order_edit::form))
                .route(web::post().to(super::order_edit::save)),
        )
        .service(
            resource("/medewerkers/bestellingen/{id}/verschil")
                .route(web::post().to(super::order_edit::ask_again)),
        );
}
