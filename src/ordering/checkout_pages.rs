//! Checkout, overview, order status and test-payment page templates.

use askama::Template;
use chrono::NaiveDate;

use super::cart::PricedLine;
use super::checkout::{
    CARD_MESSAGE_MAX, Checkout, CheckoutForm, FieldErrors, Fulfilment, INSTRUCTIONS_MAX,
};
use super::pricing::{Totals, VatLine};
use super::repo::{AddonRow, LineRow, OrderRow};
use crate::delivery::zones::Zone;
use crate::domain::OrderStatus;
use crate::money::Money;
use crate::web::PageCtx;

/// A date the customer can choose.
pub struct DateOption {
    /// `YYYY-MM-DD`.
    pub value: String,
    /// "vrijdag 27 november".
    pub label: String,
}

/// Dates as options in the page's language.
pub fn date_options(ctx: &PageCtx, dates: &[NaiveDate]) -> Vec<DateOption> {
    dates
        .iter()
        .map(|d| DateOption {
            value: d.format("%Y-%m-%d").to_string(),
            label: ctx.lang.date(*d),
        })
        .collect()
}

/// `GET /afrekenen`, and the form again with messages after a failed check.
#[derive(Template)]
#[template(path = "ordering/checkout.html")]
pub struct CheckoutPage {
    /// Page context.
    pub ctx: PageCtx,
    /// What was typed.
    pub form: CheckoutForm,
    /// What to fix, per field.
    pub errors: FieldErrors,
    /// The dates that can be chosen.
    pub dates: Vec<DateOption>,
    /// Dates the shop closed on purpose, with the reason ("vrijdag 25 december: Vakantie").
    pub closed: Vec<(String, String)>,
    /// The delivery zones, to show where the shop delivers and for how much.
    pub zones: Vec<Zone>,
    /// Sum of the goods.
    pub goods: Money,
    /// What a logged-in customer's account offers (saved addresses, paying on account).
    pub account: Option<AccountChoices>,
}

/// What the checkout offers a logged-in customer.
pub struct AccountChoices {
    /// The address book, to fill in the recipient with one click.
    pub addresses: Vec<crate::accounts::repo::AddressRow>,
    /// The company the customer orders for, if any.
    pub company: Option<String>,
    /// Whether that company may pay on account (approved by the shop).
    pub on_account_allowed: bool,
}

impl CheckoutPage {
    /// The message for a field, if it needs fixing.
    pub fn error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field).copied()
    }

    /// The longest card message.
    pub fn card_max(&self) -> usize {
        CARD_MESSAGE_MAX
    }

    /// "Pick up at the shop, Bloemenmarkt 7".
    pub fn pickup_label(&self) -> String {
        let shop = self.ctx.shop();
        self.ctx.t_args(
            "checkout-fulfilment-pickup",
            &[("address", format!("{}, {}", shop.street, shop.city))],
        )
    }

    /// Why the card message is asked, with its limit.
    pub fn card_hint(&self) -> String {
        self.ctx.t_args(
            "checkout-card-message-why",
            &[("max", CARD_MESSAGE_MAX.to_string())],
        )
    }

    /// The longest instructions.
    pub fn instructions_max(&self) -> usize {
        INSTRUCTIONS_MAX
    }
}

/// The overview before paying (`POST /afrekenen`).
#[derive(Template)]
#[template(path = "ordering/overview.html")]
pub struct OverviewPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The form, carried along as hidden fields.
    pub form: CheckoutForm,
    /// The validated checkout.
    pub checkout: Checkout,
    /// The lines.
    pub lines: Vec<PricedLine>,
    /// Totals with the delivery fee.
    pub totals: Totals,
    /// A notice (the prices changed since the overview was shown).
    pub notice: Option<&'static str>,
}

impl OverviewPage {
    /// The chosen date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.checkout.date)
    }

    /// The recipient block: name, street, postcode and city, or `None` for pickup.
    pub fn recipient(&self) -> Option<Vec<String>> {
        match &self.checkout.fulfilment {
            Fulfilment::Delivery { recipient, .. } => Some(vec![
                recipient.name.as_str().to_owned(),
                recipient.street.as_str().to_owned(),
                format!("{} {}", recipient.postcode, recipient.city.as_str()),
            ]),
            Fulfilment::Pickup => None,
        }
    }

    /// "btw 9%" for a VAT line.
    pub fn vat_label(&self, line: &VatLine) -> String {
        vat_label(&self.ctx, line)
    }
}

fn vat_label(ctx: &PageCtx, line: &VatLine) -> String {
    ctx.t_args(
        "cart-vat-rate",
        &[("rate", line.rate.percent().to_string())],
    )
}

/// `GET /bestelling/{token}`: the order's status, reachable without logging in.
#[derive(Template)]
#[template(path = "ordering/status.html")]
pub struct StatusPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The order.
    pub order: OrderRow,
    /// Its status.
    pub status: OrderStatus,
    /// Its lines with add-ons.
    pub lines: Vec<(LineRow, Vec<AddonRow>)>,
    /// Where to pay, while the order awaits payment.
    pub payment_url: Option<String>,
    /// Where to pay what a change added, while that is open.
    pub difference_url: Option<String>,
    /// What the shop is sending back, in all (a cancellation, a cheaper change).
    pub refunded: Option<super::refunds::Recorded>,
}

impl StatusPage {
    /// The status as the customer reads it: an order on account is confirmed without a
    /// payment, so its confirmation does not speak of one.
    pub fn status_key(&self) -> &'static str {
        if self.status == OrderStatus::Confirmed && self.order.on_account {
            "order-status-confirmed-on-account"
        } else {
            self.status.label_key()
        }
    }

    /// The refund sentence, in the page's language.
    pub fn refund_note(&self) -> Option<String> {
        self.refunded
            .as_ref()
            .map(|recorded| super::mails::refund_note(self.ctx.lang, recorded))
    }

    /// The delivery date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.order.delivery_date)
    }

    /// A line's product name in the page's language.
    pub fn line_name(&self, line: &LineRow) -> String {
        self.ctx
            .lang
            .pick(&line.product_name_nl, &line.product_name_en)
            .clone()
    }

    /// An add-on's name in the page's language.
    pub fn addon_name(&self, addon: &AddonRow) -> String {
        self.ctx.lang.pick(&addon.name_nl, &addon.name_en).clone()
    }

    /// The VAT lines stored with the order.
    pub fn vat_lines(&self) -> Vec<(String, Money)> {
        let mut lines = Vec::new();
        for (rate, gross, vat) in [
            (
                9,
                self.order.vat_reduced_gross_cents,
                self.order.vat_reduced_cents,
            ),
            (
                21,
                self.order.vat_standard_gross_cents,
                self.order.vat_standard_cents,
            ),
        ] {
            if gross != 0 {
                let label = self
                    .ctx
                    .t_args("cart-vat-rate", &[("rate", rate.to_string())]);
                lines.push((label, Money::from_cents(vat)));
            }
        }
        lines
    }

    /// Amounts stored in cents, as money.
    pub fn cents(&self, cents: &i64) -> Money {
        Money::from_cents(*cents)
    }
}

/// The built-in test provider's payment page.
#[derive(Template)]
#[template(path = "ordering/test_payment.html")]
pub struct TestPaymentPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The payment's id.
    pub payment_id: String,
    /// The amount.
    pub amount: Money,
}
