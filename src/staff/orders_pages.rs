//! Order-desk pages: the search and one order with its history, payments and refunds.

use askama::Template;
use chrono::NaiveDate;

use super::menu::StaffMenu;
use super::model::Permission;
use super::orders::OrderView;
use super::orders_repo::Hit;
use crate::domain::OrderStatus;
use crate::money::{Money, Shown};
use crate::ordering::repo::{AddonRow, LineRow};
use crate::web::PageCtx;

/// `GET /medewerkers/bestellingen?q=`: the search form and what it found.
#[derive(Template)]
#[template(path = "staff/orders.html")]
pub struct OrdersPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// What was typed.
    pub query: String,
    /// The orders found (`None`: nothing searched yet).
    pub hits: Option<Vec<Hit>>,
    /// Whether the search was too short to run.
    pub too_short: bool,
}

fn status_key(status: &str, fulfilment: &str) -> &'static str {
    OrderStatus::parse(status).map_or("staff-status-unknown", |s| {
        s.staff_label_key(fulfilment == "delivery")
    })
}

impl OrdersPage {
    /// A found order's status in staff's words.
    pub fn status_key(&self, hit: &Hit) -> &'static str {
        status_key(&hit.status, &hit.fulfilment)
    }

    /// An amount in cents, shown.
    pub fn money(&self, cents: &i64) -> Shown {
        Money::from_cents(*cents).shown(self.ctx.lang)
    }

    /// A date in words.
    pub fn date(&self, date: &NaiveDate) -> String {
        self.ctx.lang.date(*date)
    }
}

/// `GET /medewerkers/bestellingen/{id}`: one order, and what may be done with it.
#[derive(Template)]
#[template(path = "staff/order.html")]
pub struct OrderPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The order.
    pub view: OrderView,
    /// Whether the page asks to confirm cancelling.
    pub confirm_cancel: bool,
    /// The refund form: the amount as typed, and what to fix.
    pub refund: (String, Option<&'static str>),
}

impl OrderPage {
    /// Whether it is delivered (not picked up).
    pub fn is_delivery(&self) -> bool {
        self.view.order.fulfilment == "delivery"
    }

    /// What a change touched, in staff's words, from its history line's codes.
    pub fn changed_parts(&self, note: &Option<String>) -> String {
        let codes = note.as_deref().unwrap_or_default();
        crate::ordering::change::PART_CODES
            .iter()
            .filter(|(code, _)| codes.split(',').any(|c| c == *code))
            .map(|(_, key)| self.ctx.t(key))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A status (stored form) in staff's words.
    pub fn status_key(&self, status: &str) -> &'static str {
        status_key(status, &self.view.order.fulfilment)
    }

    /// An amount in cents, shown.
    pub fn money(&self, cents: &i64) -> Shown {
        Money::from_cents(*cents).shown(self.ctx.lang)
    }

    /// An amount, shown.
    pub fn amount(&self, amount: impl Into<Money>) -> Shown {
        amount.into().shown(self.ctx.lang)
    }

    /// The delivery date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.view.order.delivery_date)
    }

    /// A line's product name in the page's language.
    pub fn line_name(&self, line: &LineRow) -> String {
        self.ctx
            .lang
            .pick(&line.product_name_nl, &line.product_name_en)
            .to_owned()
    }

    /// A line's size in words.
    pub fn size_name(&self, line: &LineRow) -> String {
        crate::catalog::model::Size::parse(&line.size).map_or_else(
            || line.size.clone(),
            |size| self.ctx.t(size.label_key()).into_owned(),
        )
    }

    /// An add-on's name in the page's language.
    pub fn addon_name(&self, addon: &AddonRow) -> String {
        self.ctx
            .lang
            .pick(&addon.name_nl, &addon.name_en)
            .to_owned()
    }

    /// Whether the viewer may print the work ticket.
    pub fn may_print(&self) -> bool {
        self.menu
            .as_ref()
            .is_some_and(|m| m.may(Permission::PrintTicket))
            && !matches!(
                self.view.status,
                OrderStatus::AwaitingPayment
                    | OrderStatus::PaymentFailed
                    | OrderStatus::Expired
                    | OrderStatus::Cancelled
            )
    }

    /// The sentence on the cancel confirmation: what happens to the place and the money.
    pub fn cancel_question(&self) -> String {
        let date = self.date();
        match self.view.cancel.flatten() {
            Some(paid) => self.ctx.t_args(
                "staff-cancel-question-refund",
                &[("date", date), ("amount", paid.display(self.ctx.lang))],
            ),
            None => self.ctx.t_args("staff-cancel-question", &[("date", date)]),
        }
    }
}
