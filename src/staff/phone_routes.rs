//! Taking an order by phone (owner, support): the form, then `ordering::phone`'s checks and
//! checkout's own placement; payment as agreed — a link mailed, on account, or paid in the shop.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::auth::{Allowed, Orders};
use super::menu::{Section, StaffMenu};
use crate::catalog::model::Size;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;
use crate::ordering::checkout::{CARD_MESSAGE_MAX, CheckoutForm};
use crate::ordering::phone::{self, LINK_HOURS, PayBy, PhoneLines};
use crate::ordering::service::{self, PlaceError, PlaceOrder};
use crate::ordering::state::OrderingState;
use crate::payment::PaymentProvider;
use crate::web::flash::{self, FlashKind};
use crate::web::{PageCtx, parse_form, render, see_other};

/// `GET /medewerkers/bestellingen/nieuw`: the phone order form.
#[derive(Template)]
#[template(path = "staff/phone_order.html")]
pub struct PhonePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The checkout fields as typed.
    pub form: CheckoutForm,
    /// The lines and payment as typed.
    pub lines: PhoneLines,
    /// Products on sale: `(slug, name)`.
    pub products: Vec<(String, String)>,
    /// Add-ons some product offers: `(slug, "name (price)")`.
    pub addons: Vec<(String, String)>,
    /// What to fix.
    pub errors: FieldErrors,
}

impl PhonePage {
    /// The message for a field, if it was refused.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }

    /// The lines as typed, numbered from 1.
    pub fn rows(&self) -> Vec<(usize, phone::TypedLine)> {
        self.lines
            .lines()
            .into_iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect()
    }

    /// A line's field names.
    pub fn fields(&self, n: &usize) -> phone::LineFields {
        phone::line_fields(*n)
    }

    /// The sizes to choose from.
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

async fn form_page(
    state: &OrderingState,
    ctx: PageCtx,
    menu: StaffMenu,
    form: CheckoutForm,
    lines: PhoneLines,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.catalogue.get(&state.db).await?;
    let lang = ctx.lang;
    let products = catalogue.names(lang);
    let addons = catalogue.addon_names(lang);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        status,
        &PhonePage {
            ctx,
            menu: Some(menu),
            form,
            lines,
            products,
            addons,
            errors,
        },
    )
}

/// `GET /medewerkers/bestellingen/nieuw`.
pub async fn form(
    state: OrderingState,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
) -> Result<HttpResponse, AppError> {
    let lines = PhoneLines {
        quantity_1: "1".into(),
        quantity_2: "1".into(),
        quantity_3: "1".into(),
        payment: "link".into(),
        order_token: crate::domain::token::random_token(),
        ..PhoneLines::default()
    };
    let menu = StaffMenu::new(&allowed.staff, Section::Orders);
    form_page(
        &state,
        ctx,
        menu,
        CheckoutForm::fresh(),
        lines,
        FieldErrors::new(),
    )
    .await
}

/// `POST /medewerkers/bestellingen/nieuw`: checks and places the order, then arranges payment.
pub async fn place(
    state: OrderingState,
    session: Session,
    allowed: Allowed<Orders>,
    ctx: PageCtx,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form: CheckoutForm = parse_form(&body)?;
    let lines: PhoneLines = parse_form(&body)?;
    let menu = StaffMenu::new(&allowed.staff, Section::Orders);
    let catalogue = state.catalogue.get(&state.db).await?;
    let plan = state.delivery.get(&state.db).await?;
    let mut checked = phone::check(&lines, &form, &catalogue, &plan);
    let provider = state.payments.provider().cloned();
    if let Ok(c) = &checked
        && c.pay_by == PayBy::Link
        && provider.is_none()
    {
        checked = Err(FieldErrors::from([("payment", "phone-error-no-provider")]));
    }
    let checked = match checked {
        Ok(checked) => checked,
        Err(errors) => return form_page(&state, ctx, menu, form, lines, errors).await,
    };
    let pay_by = checked.pay_by;
    let local = provider
        .as_ref()
        .filter(|_| pay_by == PayBy::Link)
        .and_then(|p| p.create_local());
    let provider_name = provider.as_ref().map_or("none", |p| p.name());
    let token = lines.order_token.clone();
    let mail = MailContext::of(&state.config);
    let capacity = plan.rules.capacity_on(checked.checkout.date);
    let place_mail = mail.clone();
    let placed = state
        .db
        .run(move |conn| {
            let buyer = match phone::buyer(conn, &checked.checkout.sender.email, pay_by)? {
                Ok(buyer) => buyer,
                Err(errors) => return Ok(Err(errors)),
            };
            let request = PlaceOrder {
                checkout: &checked.checkout,
                cart: &checked.cart,
                totals: &checked.totals,
                checkout_token: &token,
                lang: Lang::Nl,
                capacity,
                payment_expires_at: crate::db::now() + chrono::Duration::hours(LINK_HOURS),
                payment: local.as_ref().map(|p| (provider_name, p)),
                buyer,
                mail: &place_mail,
            };
            match service::place_order(conn, &request) {
                Ok(placed) => Ok(Ok(placed)),
                Err(PlaceError::DateFull) => Ok(Err(FieldErrors::from([(
                    "delivery_date",
                    "delivery-date-full",
                )]))),
                Err(PlaceError::Failed(e)) => Err(e),
            }
        })
        .await?;
    let placed = match placed {
        Ok(placed) => placed,
        Err(errors) => {
            state.delivery.invalidate();
            return form_page(&state, ctx, menu, form, lines, errors).await;
        }
    };
    let id = placed.id;
    let key = if !placed.fresh {
        "phone-placed-before"
    } else {
        match pay_by {
            PayBy::Account => "phone-placed-account",
            PayBy::Shop => {
                state
                    .db
                    .run(move |conn| service::confirm_paid_in_shop(conn, id, &mail))
                    .await?;
                "phone-placed-shop"
            }
            PayBy::Link => {
                send_link(&state, &mail, id, placed.payment_url).await?;
                "phone-placed-link"
            }
        }
    };
    flash::set(&session, FlashKind::Success, key);
    Ok(see_other(&format!("/medewerkers/bestellingen/{id}")))
}

/// Makes the payment at a remote provider when the order has none yet, and mails its link.
async fn send_link(
    state: &OrderingState,
    mail: &MailContext,
    id: i64,
    local_url: Option<String>,
) -> Result<(), AppError> {
    let url = match local_url {
        Some(url) => url,
        None => crate::ordering::paying::payment_url(state, id).await?,
    };
    let link = if url.starts_with('/') {
        format!("{}{url}", mail.public_url)
    } else {
        url
    };
    let mail = mail.clone();
    state
        .db
        .run(move |conn| {
            crate::ordering::mails::payment_link(conn, id, &link, &mail)?.queue(conn)?;
            Ok(())
        })
        .await
}
