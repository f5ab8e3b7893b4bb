//! Changing a confirmed order from the order desk (owner, support): the form, the change in
//! one transaction (`ordering::change`), then settling the difference — a refund sent, or a
//! payment link mailed to the customer.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::auth::{Allowed, Orders, StaffUser};
use super::menu::{Section, StaffMenu};
use super::orders_routes::settle_refunds;
use crate::catalog::model::Size;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::mail::messages::MailContext;
use crate::ordering::change::{self, Settlement};
use crate::ordering::change_lines::{ADD_FIELDS, LineEdits};
use crate::ordering::checkout::{CARD_MESSAGE_MAX, CheckoutForm};
use crate::ordering::mails::{self as messages, Changed};
use crate::ordering::phone::{LineFields, TypedLine};
use crate::ordering::repo::{AddonRow, LineRow};
use crate::ordering::state::OrderingState;
use crate::payment::Payments;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, parse_form, render, see_other};

/// `GET /medewerkers/bestellingen/{id}/wijzigen`: the order's delivery details to change.
#[derive(Template)]
#[template(path = "staff/order_edit.html")]
pub struct EditPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The order.
    pub id: i64,
    /// Its number.
    pub number: String,
    /// The form as shown.
    pub form: CheckoutForm,
    /// The order's lines as stored.
    pub lines: Vec<(LineRow, Vec<AddonRow>)>,
    /// The lines as typed (when the form comes back refused).
    pub edits: LineEdits,
    /// Products on sale to add: `(slug, name)`.
    pub products: Vec<(String, String)>,
    /// Add-ons some product offers: `(slug, "name (price)")`.
    pub addons: Vec<(String, String)>,
    /// What to fix.
    pub errors: FieldErrors,
}

impl EditPage {
    /// The message for a field, if it was refused.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }

    /// Whether the order is delivered (so it has an address to change).
    pub fn is_delivery(&self) -> bool {
        self.form.fulfilment == "delivery"
    }

    /// A line's quantity as typed, or as stored.
    pub fn quantity_of(&self, line: &LineRow) -> String {
        self.edits
            .quantities
            .iter()
            .find(|(id, _)| *id == line.id)
            .map_or_else(|| line.quantity.to_string(), |(_, q)| q.clone())
    }

    /// A line's product and size in words.
    pub fn line_label(&self, line: &LineRow) -> String {
        let size = Size::parse(&line.size).map_or_else(
            || line.size.clone(),
            |s| self.ctx.t(s.label_key()).into_owned(),
        );
        let name = self
            .ctx
            .lang
            .pick(&line.product_name_nl, &line.product_name_en);
        format!("{name} ({size})")
    }

    /// The field names of the product to add.
    pub fn add_fields(&self) -> LineFields {
        ADD_FIELDS
    }

    /// The product to add as typed; one of it unless another number was typed.
    pub fn add_line(&self) -> TypedLine {
        let mut line = self.edits.add.clone();
        if line.quantity.is_empty() {
            line.quantity = "1".into();
        }
        line
    }

    /// The sizes to choose from for an added product.
    pub fn sizes(&self) -> [Size; 4] {
        [Size::S, Size::M, Size::L, Size::One]
    }

    /// The card field's hint.
    pub fn card_hint(&self) -> String {
        self.ctx.t_args(
            "checkout-card-message-why",
            &[("max", CARD_MESSAGE_MAX.to_string())],
        )
    }
}

async fn edit_page(
    state: &OrderingState,
    ctx: PageCtx,
    staff: &StaffUser,
    id: i64,
    typed: Option<(CheckoutForm, LineEdits)>,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.catalogue.get(&state.db).await?;
    let lang = ctx.lang;
    let products = catalogue.names(lang);
    let addons = catalogue.addon_names(lang);
    let (stored, number, status, lines) = state
        .db
        .run(move |conn| {
            let (status, _, _) = crate::ordering::repo::known_state(conn, id)?;
            let (_, number, _) = crate::ordering::repo::to_pay(conn, id)?;
            let lines = crate::ordering::repo::lines_of(conn, id)?;
            Ok((change::form_of(conn, id)?, number, status, lines))
        })
        .await?;
    if status != crate::domain::OrderStatus::Confirmed.as_str() {
        // In production or further: the florist is at work on it.
        return Err(AppError::Conflict);
    }
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (form, edits) = match typed {
        Some((t, edits)) => (change::merged(&stored, &t), edits),
        None => (stored, LineEdits::default()),
    };
    render(
        code,
        &EditPage {
            ctx,
            menu: Some(StaffMenu::new(staff, Section::Orders)),
            id,
            number,
            form,
            lines,
            edits,
            products,
            addons,
            errors,
        },
    )
}

/// `GET /medewerkers/bestellingen/{id}/wijzigen`.
pub async fn form(
    state: OrderingState,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    edit_page(&state, ctx, &allowed.staff, id, None, FieldErrors::new()).await
}

/// `POST /medewerkers/bestellingen/{id}/wijzigen`: checks and stores the change, then settles
/// the difference.
pub async fn save(
    state: OrderingState,
    session: Session,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let typed: CheckoutForm = parse_form(&body)?;
    let pairs: Vec<(String, String)> = parse_form(&body)?;
    let edits = LineEdits::from_pairs(&pairs);
    let plan = state.delivery.get(&state.db).await?;
    let catalogue = state.catalogue.get(&state.db).await?;
    let typed_lines = edits.clone();
    let (form, staff_id) = (typed.clone(), allowed.staff.id);
    let mail = MailContext::of(&state.config);
    let done_mail = mail.clone();
    let applied = state
        .db
        .run(move |conn| {
            let outcome =
                change::apply(conn, id, &form, &typed_lines, &catalogue, &plan, staff_id)?;
            if let Ok((_, settlement)) = &outcome {
                let settled = match settlement {
                    Settlement::Nothing => Some(Changed::Same),
                    Settlement::Refund(recorded) => Some(Changed::Refund(recorded.clone())),
                    // Mailed with its link once the provider made the payment.
                    Settlement::Owed(_) => None,
                };
                if let Some(settled) = settled {
                    messages::changed(conn, id, settled, &done_mail)?.queue(conn)?;
                }
            }
            Ok(outcome)
        })
        .await?;
    let settlement = match applied {
        Ok((_, settlement)) => settlement,
        Err(errors) => {
            let typed = Some((typed, edits));
            return edit_page(&state, ctx, &allowed.staff, id, typed, errors).await;
        }
    };
    state.delivery.invalidate();
    match settlement {
        Settlement::Nothing => flash::set(&session, FlashKind::Success, "order-changed"),
        Settlement::Refund(recorded) => {
            settle_refunds(&state, &state.payments, &session, &recorded).await?
        }
        Settlement::Owed(_) => ask(&state, &state.payments, &session, &mail, id).await,
    }
    Ok(see_other(&format!("/medewerkers/bestellingen/{id}")))
}

/// Asks the customer for the difference by mail; the flash says whether the link went out.
async fn ask(
    state: &AppState,
    payments: &Payments,
    session: &Session,
    mail: &MailContext,
    id: i64,
) {
    let asked = match payments.provider() {
        Some(provider) => change::ask_difference(&state.db, provider, mail, id).await,
        None => Err(AppError::PaymentService("no payment provider".into())),
    };
    match asked {
        Ok(Some(_)) => flash::set(session, FlashKind::Success, "order-changed-owed"),
        Ok(None) => flash::set(session, FlashKind::Success, "order-nothing-owed"),
        Err(e) => {
            tracing::warn!(order = id, error = %e, "no payment link for a difference");
            flash::set(session, FlashKind::Error, "order-changed-no-link");
        }
    }
}

/// `POST /medewerkers/bestellingen/{id}/verschil`: mails a new link for what the customer
/// still owes (the first could not be made, or was lost).
pub async fn ask_again(
    state: web::Data<AppState>,
    payments: web::Data<Payments>,
    session: Session,
    _allowed: Allowed<Orders>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let mail = MailContext::of(&state.config);
    ask(&state, &payments, &session, &mail, id).await;
    Ok(see_other(&format!("/medewerkers/bestellingen/{id}")))
}
