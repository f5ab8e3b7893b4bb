//! Back-office page templates: the start page, the delivery calendar and the zones.

use askama::Template;
use chrono::NaiveDate;

use super::menu::StaffMenu;
use super::model::Permission;
use super::office_repo::{Change, DayCounts};
use crate::delivery::calendar::{CalendarDay, DayForm};
use crate::delivery::zones::{Zone, ZoneForm};
use crate::domain::FieldErrors;
use crate::web::PageCtx;

/// `GET /medewerkers`: today's work and the way to every section the role may open.
#[derive(Template)]
#[template(path = "staff/home.html")]
pub struct HomePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// Today in Amsterdam.
    pub today: NaiveDate,
    /// Today's orders per step (a courier's: their own run).
    pub counts: DayCounts,
    /// Questions and complaints waiting for an answer, for the roles that answer them.
    pub open_messages: Option<i64>,
}

impl HomePage {
    /// Today in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.today)
    }

    /// Whether the viewer works on the production board.
    pub fn shows_board(&self) -> bool {
        self.menu
            .as_ref()
            .is_some_and(|m| m.may(Permission::ViewBoard))
    }

    /// Whether the viewer works on the courier's list.
    pub fn shows_route(&self) -> bool {
        self.menu
            .as_ref()
            .is_some_and(|m| m.may(Permission::ViewRoute))
    }

    /// The role's name.
    pub fn role_key(&self) -> &'static str {
        self.menu.as_ref().map_or("", |m| m.role.label_key())
    }
}

/// `GET /medewerkers/kalender`: the coming days with their bookings.
#[derive(Template)]
#[template(path = "staff/calendar.html")]
pub struct CalendarPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The days.
    pub days: Vec<CalendarDay>,
    /// Recent changes.
    pub changes: Vec<Change>,
}

impl CalendarPage {
    /// A date in words.
    pub fn date(&self, date: &NaiveDate) -> String {
        self.ctx.lang.date(*date)
    }
}

/// `GET /medewerkers/kalender/{datum}`: one day's form.
#[derive(Template)]
#[template(path = "staff/calendar_day.html")]
pub struct DayPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The day as it is now.
    pub day: CalendarDay,
    /// What was typed (or the current plan).
    pub form: DayForm,
    /// What to fix, per field.
    pub errors: FieldErrors,
    /// The day's recorded changes.
    pub changes: Vec<Change>,
}

impl DayPage {
    /// The day in words.
    pub fn date(&self) -> String {
        self.ctx.lang.date(self.day.date)
    }

    /// `YYYY-MM-DD`.
    pub fn value(&self) -> String {
        self.day.date.format("%Y-%m-%d").to_string()
    }

    /// The message for `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }
}

/// `GET /medewerkers/zones`: the zones, a form to add one, and the change log.
#[derive(Template)]
#[template(path = "staff/zones.html")]
pub struct ZonesPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// Every zone with its id.
    pub zones: Vec<(i64, Zone)>,
    /// The form for a new zone, as typed.
    pub form: ZoneForm,
    /// What to fix in it.
    pub errors: FieldErrors,
    /// Recent changes.
    pub changes: Vec<Change>,
}

impl ZonesPage {
    /// The message for `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }
}

/// `GET /medewerkers/zones/{id}`: one zone's form, and `…/verwijderen`: the confirmation.
#[derive(Template)]
#[template(path = "staff/zone.html")]
pub struct ZonePage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The zone's id.
    pub id: i64,
    /// Its name as stored (the heading).
    pub name: String,
    /// What was typed (or the zone as it is).
    pub form: ZoneForm,
    /// What to fix, per field.
    pub errors: FieldErrors,
    /// Whether this is the question "remove this zone?".
    pub confirm_delete: bool,
}

impl ZonePage {
    /// The message for `field`, if it has one.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }
}
