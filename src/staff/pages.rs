//! Staff page templates.

use askama::Template;
use chrono::{Days, NaiveDate};

use super::menu::StaffMenu;
use super::repo::{BoardOrder, Stop};
use crate::domain::OrderStatus;
use crate::ordering::checkout::NotHome;
use crate::ordering::repo::{AddonRow, LineRow};
use crate::web::PageCtx;

/// `GET /medewerkers/inloggen`.
#[derive(Template)]
#[template(path = "staff/login.html")]
pub struct LoginPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// The address typed (kept after a failed attempt).
    pub email: String,
    /// Whether the last attempt failed.
    pub failed: bool,
    /// Minutes to wait when there were too many attempts.
    pub wait_minutes: Option<u64>,
}

impl LoginPage {
    /// "Try again in … minutes", after too many attempts.
    pub fn wait_message(&self) -> Option<String> {
        self.ctx.wait_message(self.wait_minutes)
    }
}

/// `GET /medewerkers/tweestaps`: the second login step.
#[derive(Template)]
#[template(path = "staff/two_step.html")]
pub struct TwoStepPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// Whether the last code was refused.
    pub failed: bool,
    /// Minutes to wait when there were too many attempts.
    pub wait_minutes: Option<u64>,
}

impl TwoStepPage {
    /// "Try again in … minutes", after too many attempts.
    pub fn wait_message(&self) -> Option<String> {
        self.ctx.wait_message(self.wait_minutes)
    }
}

/// `GET /medewerkers/tweestaps/instellen`: adding the shop to an authenticator app.
#[derive(Template)]
#[template(path = "staff/two_step_setup.html")]
pub struct TwoStepSetupPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// The secret in base32, to type into the app.
    pub secret: String,
    /// The `otpauth://` link an app on this device opens.
    pub link: String,
    /// Whether the last code was refused.
    pub failed: bool,
}

impl TwoStepSetupPage {
    /// The app link as a QR code image (`data:` URL).
    pub fn qr_code(&self) -> Option<String> {
        super::two_step::qr_code(&self.link)
    }

    /// The secret in groups of four, easier to type.
    pub fn grouped_secret(&self) -> String {
        self.secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The recovery codes, shown once after setting up the app.
#[derive(Template)]
#[template(path = "staff/recovery_codes.html")]
pub struct RecoveryCodesPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// The codes.
    pub codes: Vec<String>,
    /// Where to continue.
    pub home: &'static str,
}

/// An order on the board with its lines and the buttons staff may press.
pub struct BoardEntry {
    /// The order.
    pub order: BoardOrder,
    /// Its status.
    pub status: OrderStatus,
    /// Lines with add-ons.
    pub lines: Vec<(LineRow, Vec<AddonRow>)>,
    /// Allowed next statuses.
    pub next: Vec<OrderStatus>,
    /// The status the viewer may put it back to (a step taken by mistake), if any.
    pub undo_to: Option<OrderStatus>,
}

/// Links to neighbouring dates.
pub struct DateNav {
    /// The date shown.
    pub date: NaiveDate,
    /// Today in Amsterdam.
    pub today: NaiveDate,
}

impl DateNav {
    /// `YYYY-MM-DD` of a date `offset` days from the shown one.
    pub fn shifted(&self, offset: i64) -> String {
        let date = if offset >= 0 {
            self.date.checked_add_days(Days::new(offset as u64))
        } else {
            self.date.checked_sub_days(Days::new(offset.unsigned_abs()))
        };
        date.unwrap_or(self.date).format("%Y-%m-%d").to_string()
    }

    /// `YYYY-MM-DD` of today and tomorrow.
    pub fn today_value(&self) -> String {
        self.today.format("%Y-%m-%d").to_string()
    }

    /// `YYYY-MM-DD` of tomorrow.
    pub fn tomorrow_value(&self) -> String {
        self.today
            .checked_add_days(Days::new(1))
            .unwrap_or(self.today)
            .format("%Y-%m-%d")
            .to_string()
    }

    /// `YYYY-MM-DD` of the shown date.
    pub fn value(&self) -> String {
        self.date.format("%Y-%m-%d").to_string()
    }
}

/// `GET /medewerkers/productie?datum=…`: the production board for a delivery date.
#[derive(Template)]
#[template(path = "staff/board.html")]
pub struct BoardPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// Their role (which buttons to show).
    pub role: crate::staff::model::Role,
    /// Date navigation.
    pub nav: DateNav,
    /// The orders.
    pub entries: Vec<BoardEntry>,
}

impl BoardPage {
    /// Whether the viewer may print work tickets.
    pub fn shows_tickets(&self) -> bool {
        self.role.may(crate::staff::model::Permission::PrintTicket)
    }

    /// The shown date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.nav.date)
    }

    /// A line's product name in the page's language.
    pub fn line_name(&self, line: &LineRow) -> String {
        localized(&self.ctx, &line.product_name_nl, &line.product_name_en)
    }

    /// A line's size by name ("Groot"), not its code.
    pub fn size_name(&self, line: &LineRow) -> String {
        size_name(&self.ctx, line)
    }

    /// An add-on's name in the page's language.
    pub fn addon_name(&self, addon: &AddonRow) -> String {
        localized(&self.ctx, &addon.name_nl, &addon.name_en)
    }
}

fn size_name(ctx: &PageCtx, line: &LineRow) -> String {
    crate::catalog::model::Size::parse(&line.size).map_or_else(
        || line.size.clone(),
        |size| ctx.t(size.label_key()).into_owned(),
    )
}

fn localized(ctx: &PageCtx, nl: &str, en: &str) -> String {
    ctx.lang.pick(nl, en).to_owned()
}

/// `GET /medewerkers/bestellingen/{id}/werkbon`: the printable work ticket.
#[derive(Template)]
#[template(path = "staff/ticket.html")]
pub struct TicketPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// The order.
    pub entry: BoardEntry,
}

impl TicketPage {
    /// The delivery date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.entry.order.delivery_date)
    }

    /// A line's product name in the page's language.
    pub fn line_name(&self, line: &LineRow) -> String {
        localized(&self.ctx, &line.product_name_nl, &line.product_name_en)
    }

    /// A line's size by name ("Groot"), not its code.
    pub fn size_name(&self, line: &LineRow) -> String {
        size_name(&self.ctx, line)
    }

    /// An add-on's name in the page's language.
    pub fn addon_name(&self, addon: &AddonRow) -> String {
        localized(&self.ctx, &addon.name_nl, &addon.name_en)
    }
}

/// `GET /medewerkers/werkbonnen?datum=…`: every ticket of a date, one per printed page.
#[derive(Template)]
#[template(path = "staff/tickets.html")]
pub struct TicketsPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The date.
    pub nav: DateNav,
    /// The orders.
    pub entries: Vec<BoardEntry>,
}

impl TicketsPage {
    /// The date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.nav.date)
    }

    /// A line's product name in the page's language.
    pub fn line_name(&self, line: &LineRow) -> String {
        localized(&self.ctx, &line.product_name_nl, &line.product_name_en)
    }

    /// A line's size by name.
    pub fn size_name(&self, line: &LineRow) -> String {
        size_name(&self.ctx, line)
    }

    /// An add-on's name in the page's language.
    pub fn addon_name(&self, addon: &AddonRow) -> String {
        localized(&self.ctx, &addon.name_nl, &addon.name_en)
    }
}

/// A stop with what to hand over and the allowed outcomes.
pub struct StopEntry {
    /// The stop.
    pub stop: Stop,
    /// Its status.
    pub status: OrderStatus,
    /// What to hand over ("2 × Rode rozen (Groot) + Glazen vaas").
    pub products: Vec<String>,
    /// Outcomes the courier may record now.
    pub next: Vec<OrderStatus>,
}

impl StopEntry {
    /// A `geo:` link that opens the phone's maps app at the address (nothing is sent anywhere
    /// until the courier taps it).
    pub fn map_link(&self) -> String {
        let address = [
            self.stop.recipient_street.as_deref(),
            self.stop.recipient_postcode.as_deref(),
            self.stop.recipient_city.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let query = serde_urlencoded::to_string([("q", address)]).unwrap_or_default();
        format!("geo:0,0?{}", query.replace('+', "%20"))
    }

    /// Catalogue key of the not-home choice.
    pub fn not_home_key(&self) -> &'static str {
        self.stop
            .not_home
            .as_deref()
            .and_then(NotHome::parse)
            .map_or("checkout-not-home-neighbour", NotHome::label_key)
    }
}

/// `GET /medewerkers/bezorging?datum=…`: the courier's list.
#[derive(Template)]
#[template(path = "staff/courier.html")]
pub struct CourierPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu (`None` before logging in).
    pub menu: Option<StaffMenu>,
    /// The viewer's role (which buttons to show).
    pub role: crate::staff::model::Role,
    /// Date navigation.
    pub nav: DateNav,
    /// The stops still to do.
    pub stops: Vec<StopEntry>,
    /// The stops handed over (behind a toggle).
    pub done: Vec<StopEntry>,
    /// Couriers to put stops on (only for those who assign runs).
    pub couriers: Vec<(i64, String)>,
}

impl CourierPage {
    /// Whether the viewer puts stops on couriers' runs.
    pub fn assigns_runs(&self) -> bool {
        self.role.may(crate::staff::model::Permission::AssignRuns)
    }

    /// The shown date in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.nav.date)
    }
}
