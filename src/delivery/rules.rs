//! The delivery rule engine: which dates an order can be delivered (or picked up) on. A pure
//! function of the shop's rules, the current instant, the product's lead time and how many
//! orders each date already holds — used by checkout, and later by staff entry and standing
//! orders.
//!
//! - The current time is taken in Europe/Amsterdam, so the cut-off follows daylight saving time.
//! - Ordering before the cut-off (default 14:00) counts from today, at or after it from
//!   tomorrow; the product's lead time is added in calendar days on top.
//! - The date must be open: a per-date override decides first (open on Mother's Day, closed for
//!   a holiday); else public holidays close the shop (Good Friday and Liberation Day only when
//!   configured); else the closed weekdays (Sunday by default) do.
//! - The date must lie within the booking window (default 60 days from today) and have room
//!   below the daily capacity.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Europe::Amsterdam;

use super::holidays::{Holiday, holiday_on};
pub use crate::config::DeliverySettings;

/// What the owner's calendar says about one date; `None` fields follow the usual rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayPlan {
    /// Open or closed against the usual week and holidays.
    pub open: Option<bool>,
    /// Why (shown to customers when the date is closed).
    pub note: String,
    /// The most orders this date can hold, instead of the daily capacity.
    pub capacity: Option<u32>,
    /// Same-day orders for this date are taken until this local time, instead of the cut-off.
    pub cutoff: Option<NaiveTime>,
}

impl DayPlan {
    /// Open, even if the date would normally be closed.
    pub fn open() -> DayPlan {
        DayPlan {
            open: Some(true),
            ..DayPlan::default()
        }
    }

    /// Closed, even if the date would normally be open.
    pub fn closed(note: &str) -> DayPlan {
        DayPlan {
            open: Some(false),
            note: note.to_owned(),
            ..DayPlan::default()
        }
    }
}

/// The shop's delivery rules.
#[derive(Debug, Clone)]
pub struct DeliveryRules {
    /// Orders placed before this local time can be delivered today.
    pub cutoff: NaiveTime,
    /// Weekdays the shop is closed.
    pub closed_weekdays: Vec<Weekday>,
    /// Whether Good Friday is a closed day.
    pub closed_on_good_friday: bool,
    /// Whether Liberation Day (5 May) is a closed day.
    pub closed_on_liberation_day: bool,
    /// Per-date exceptions, deciding before anything else.
    pub overrides: BTreeMap<NaiveDate, DayPlan>,
    /// How many days ahead an order can be placed.
    pub booking_window_days: u32,
    /// The most orders one date can hold.
    pub daily_capacity: u32,
}

impl Default for DeliveryRules {
    fn default() -> Self {
        DeliveryRules::from(&DeliverySettings::default())
    }
}

impl From<&DeliverySettings> for DeliveryRules {
    /// The configured rules, before the calendar's per-date overrides are added.
    fn from(s: &DeliverySettings) -> Self {
        DeliveryRules {
            cutoff: s.cutoff,
            closed_weekdays: s.closed_weekdays.clone(),
            closed_on_good_friday: s.closed_on_good_friday,
            closed_on_liberation_day: s.closed_on_liberation_day,
            overrides: BTreeMap::new(),
            booking_window_days: s.booking_window_days,
            daily_capacity: s.daily_capacity,
        }
    }
}

/// Why a date cannot be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRefusal {
    /// Earlier than the earliest possible date.
    TooSoon {
        /// The earliest date that could be possible.
        earliest: NaiveDate,
    },
    /// Beyond the booking window.
    TooFarAhead {
        /// The last date that can be booked.
        last: NaiveDate,
    },
    /// The shop is closed that day.
    Closed,
    /// The day has no room left.
    Full,
}

impl DateRefusal {
    /// Catalogue key of the explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            DateRefusal::TooSoon { .. } => "delivery-date-too-soon",
            DateRefusal::TooFarAhead { .. } => "delivery-date-too-far",
            DateRefusal::Closed => "delivery-date-closed",
            DateRefusal::Full => "delivery-date-full",
        }
    }
}

impl DeliveryRules {
    /// Whether the shop delivers (and opens for pickup) on `date`.
    pub fn is_open(&self, date: NaiveDate) -> bool {
        if let Some(open) = self.overrides.get(&date).and_then(|plan| plan.open) {
            return open;
        }
        self.usually_open(date)
    }

    /// Whether the usual week and the public holidays open `date` (the calendar aside).
    pub fn usually_open(&self, date: NaiveDate) -> bool {
        match holiday_on(date) {
            Some(Holiday::GoodFriday) if !self.closed_on_good_friday => {}
            Some(Holiday::LiberationDay) if !self.closed_on_liberation_day => {}
            Some(_) => return false,
            None => {}
        }
        !self.closed_weekdays.contains(&date.weekday())
    }

    /// The most orders `date` can hold.
    pub fn capacity_on(&self, date: NaiveDate) -> u32 {
        self.overrides
            .get(&date)
            .and_then(|plan| plan.capacity)
            .unwrap_or(self.daily_capacity)
    }

    /// Until when same-day orders for `date` are taken.
    pub fn cutoff_on(&self, date: NaiveDate) -> NaiveTime {
        self.overrides
            .get(&date)
            .and_then(|plan| plan.cutoff)
            .unwrap_or(self.cutoff)
    }

    /// The window of dates an order placed at `now` for a product needing `lead_time_days` may
    /// choose from (before open days and capacity are considered).
    pub fn window(&self, now: DateTime<Utc>, lead_time_days: u32) -> Window {
        let local = now.with_timezone(&Amsterdam);
        let today = local.date_naive();
        let after_cutoff = local.time() >= self.cutoff_on(today);
        let earliest = add_days(today, u64::from(lead_time_days) + u64::from(after_cutoff));
        Window {
            today,
            earliest,
            last: add_days(today, u64::from(self.booking_window_days)),
        }
    }

    /// Whether `date` can be chosen, given the window and how many orders the date holds.
    pub fn check(&self, window: &Window, date: NaiveDate, booked: u32) -> Result<(), DateRefusal> {
        if date < window.earliest {
            return Err(DateRefusal::TooSoon {
                earliest: window.earliest,
            });
        }
        if date > window.last {
            return Err(DateRefusal::TooFarAhead { last: window.last });
        }
        if !self.is_open(date) {
            return Err(DateRefusal::Closed);
        }
        if booked >= self.capacity_on(date) {
            return Err(DateRefusal::Full);
        }
        Ok(())
    }

    /// Every date that can be chosen, in order; `booked` tells how many orders a date holds.
    pub fn available_dates(
        &self,
        window: &Window,
        booked: impl Fn(NaiveDate) -> u32,
    ) -> Vec<NaiveDate> {
        window
            .earliest
            .iter_days()
            .take_while(|d| *d <= window.last)
            .filter(|d| self.check(window, *d, booked(*d)).is_ok())
            .collect()
    }
}

/// The dates an order may choose between, in the shop's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Today in Europe/Amsterdam.
    pub today: NaiveDate,
    /// The first date the product can be ready.
    pub earliest: NaiveDate,
    /// The last date of the booking window.
    pub last: NaiveDate,
}

fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// An instant given as Amsterdam wall-clock time.
    fn amsterdam(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
        Amsterdam
            .with_ymd_and_hms(y, m, day, h, min, s)
            .single()
            .expect("unambiguous local time")
            .with_timezone(&Utc)
    }

    fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
    }

    fn earliest(rules: &DeliveryRules, now: DateTime<Utc>, lead: u32) -> NaiveDate {
        let window = rules.window(now, lead);
        rules.available_dates(&window, |_| 0)[0]
    }

    #[test]
    fn an_order_one_second_before_the_cut_off_can_be_delivered_today() {
        let rules = DeliveryRules::default();
        // Wednesday 25 November 2026.
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 13, 59, 59), 0),
            d(2026, 11, 25)
        );
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 13, 59, 0), 0),
            d(2026, 11, 25)
        );
    }

    #[test]
    fn an_order_at_or_after_the_cut_off_is_delivered_tomorrow_at_the_earliest() {
        let rules = DeliveryRules::default();
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 14, 0, 0), 0),
            d(2026, 11, 26)
        );
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 14, 0, 1), 0),
            d(2026, 11, 26)
        );
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 23, 59, 59), 0),
            d(2026, 11, 26)
        );
    }

    #[test]
    fn the_cut_off_follows_amsterdam_time_on_the_day_summer_time_starts() {
        // Sunday 29 March 2026 clocks go from 02:00 CET to 03:00 CEST (UTC+2): 11:59 UTC is
        // 13:59 local, 12:00 UTC is 14:00 local. Use a Saturday-open shop on that Sunday.
        let mut rules = DeliveryRules::default();
        rules.overrides.insert(d(2026, 3, 29), DayPlan::open());
        let before = rules.window(utc(2026, 3, 29, 11, 59), 0);
        assert_eq!(before.earliest, d(2026, 3, 29));
        let after = rules.window(utc(2026, 3, 29, 12, 0), 0);
        assert_eq!(after.earliest, d(2026, 3, 30));
        // The day before, still winter time (UTC+1), 12:59 UTC is 13:59 local.
        assert_eq!(
            rules.window(utc(2026, 3, 28, 12, 59), 0).earliest,
            d(2026, 3, 28)
        );
        assert_eq!(
            rules.window(utc(2026, 3, 28, 13, 0), 0).earliest,
            d(2026, 3, 29)
        );
    }

    #[test]
    fn the_cut_off_follows_amsterdam_time_on_the_day_summer_time_ends() {
        // Sunday 25 October 2026 clocks go back from 03:00 CEST to 02:00 CET (UTC+1): 12:59 UTC
        // is 13:59 local, 13:00 UTC is 14:00 local.
        let rules = DeliveryRules::default();
        assert_eq!(
            rules.window(utc(2026, 10, 25, 12, 59), 0).earliest,
            d(2026, 10, 25)
        );
        assert_eq!(
            rules.window(utc(2026, 10, 25, 13, 0), 0).earliest,
            d(2026, 10, 26)
        );
        // The day before, still summer time (UTC+2), 11:59 UTC is 13:59 local.
        assert_eq!(
            rules.window(utc(2026, 10, 24, 11, 59), 0).earliest,
            d(2026, 10, 24)
        );
        assert_eq!(
            rules.window(utc(2026, 10, 24, 12, 0), 0).earliest,
            d(2026, 10, 25)
        );
        // Just after midnight local time the date is already the next day.
        assert_eq!(
            rules.window(utc(2026, 10, 25, 23, 30), 0).today,
            d(2026, 10, 26)
        );
    }

    #[test]
    fn sundays_are_closed_by_default_and_the_next_open_day_is_offered() {
        let rules = DeliveryRules::default();
        // Saturday 28 November 2026 after the cut-off: Sunday is closed, so Monday.
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 28, 15, 0, 0), 0),
            d(2026, 11, 30)
        );
    }

    #[test]
    fn public_holidays_are_closed_from_2025_to_2030() {
        let rules = DeliveryRules::default();
        for year in 2025..=2030 {
            for (date, holiday) in super::super::holidays::holidays(year) {
                assert_eq!(
                    rules.is_open(date),
                    holiday.is_optional() && date.weekday() != Weekday::Sun,
                    "{date} {holiday:?}"
                );
            }
        }
        assert!(
            !rules.is_open(d(2025, 4, 26)),
            "Koningsdag 2025 is Saturday 26 April"
        );
        assert!(
            rules.is_open(d(2025, 4, 28)),
            "the Monday after is an ordinary day"
        );
    }

    #[test]
    fn good_friday_and_liberation_day_close_only_when_the_shop_says_so() {
        let mut rules = DeliveryRules::default();
        assert!(rules.is_open(d(2026, 4, 3)));
        assert!(rules.is_open(d(2026, 5, 5)));
        rules.closed_on_good_friday = true;
        rules.closed_on_liberation_day = true;
        assert!(!rules.is_open(d(2026, 4, 3)));
        assert!(!rules.is_open(d(2026, 5, 5)));
    }

    #[test]
    fn a_per_date_override_opens_mothers_day_and_closes_an_ordinary_day() {
        let mut rules = DeliveryRules::default();
        let mothers_day = d(2026, 5, 10); // second Sunday of May
        let holiday = d(2026, 7, 15); // the florist's own day off
        assert!(!rules.is_open(mothers_day));
        rules.overrides.insert(mothers_day, DayPlan::open());
        rules.overrides.insert(holiday, DayPlan::closed("Vakantie"));
        assert!(rules.is_open(mothers_day));
        assert!(!rules.is_open(holiday));
        let window = rules.window(amsterdam(2026, 7, 14, 15, 0, 0), 0);
        assert_eq!(rules.check(&window, holiday, 0), Err(DateRefusal::Closed));
        assert_eq!(rules.available_dates(&window, |_| 0)[0], d(2026, 7, 16));
    }

    #[test]
    fn the_booking_window_ends_sixty_days_ahead() {
        let rules = DeliveryRules::default();
        let window = rules.window(amsterdam(2026, 11, 25, 10, 0, 0), 0);
        assert_eq!(window.last, d(2027, 1, 24));
        assert_eq!(rules.check(&window, d(2027, 1, 22), 0), Ok(()));
        assert_eq!(
            rules.check(&window, d(2027, 1, 25), 0),
            Err(DateRefusal::TooFarAhead {
                last: d(2027, 1, 24)
            })
        );
        let dates = rules.available_dates(&window, |_| 0);
        assert!(dates.iter().all(|date| *date <= window.last));
        assert!(!dates.contains(&d(2026, 12, 25)) && !dates.contains(&d(2026, 12, 27)));
    }

    #[test]
    fn lead_time_pushes_the_earliest_date_back() {
        let rules = DeliveryRules::default();
        let now = amsterdam(2026, 11, 25, 9, 0, 0); // Wednesday morning
        assert_eq!(earliest(&rules, now, 1), d(2026, 11, 26));
        assert_eq!(earliest(&rules, now, 2), d(2026, 11, 27));
        // Three days lands on Saturday; after the cut-off it would be Sunday (closed): Monday.
        assert_eq!(earliest(&rules, now, 3), d(2026, 11, 28));
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 16, 0, 0), 3),
            d(2026, 11, 30)
        );
        let window = rules.window(now, 2);
        assert_eq!(
            rules.check(&window, d(2026, 11, 26), 0),
            Err(DateRefusal::TooSoon {
                earliest: d(2026, 11, 27)
            })
        );
    }

    #[test]
    fn a_full_day_is_refused_and_skipped() {
        let rules = DeliveryRules {
            daily_capacity: 3,
            ..DeliveryRules::default()
        };
        let window = rules.window(amsterdam(2026, 11, 25, 9, 0, 0), 0);
        let full = d(2026, 11, 25);
        assert_eq!(rules.check(&window, full, 2), Ok(()));
        assert_eq!(rules.check(&window, full, 3), Err(DateRefusal::Full));
        let booked = |date: NaiveDate| if date == full { 3 } else { 0 };
        assert_eq!(rules.available_dates(&window, booked)[0], d(2026, 11, 26));
    }

    #[test]
    fn a_date_with_its_own_capacity_fills_at_that_number_and_others_keep_the_daily_one() {
        let mut rules = DeliveryRules {
            daily_capacity: 3,
            ..DeliveryRules::default()
        };
        let busy = d(2026, 11, 26);
        rules.overrides.insert(
            busy,
            DayPlan {
                capacity: Some(1),
                ..DayPlan::default()
            },
        );
        let window = rules.window(amsterdam(2026, 11, 25, 9, 0, 0), 0);
        assert_eq!(rules.check(&window, busy, 1), Err(DateRefusal::Full));
        assert_eq!(rules.check(&window, d(2026, 11, 27), 1), Ok(()));
        assert!(rules.is_open(busy), "only the capacity changed");
    }

    #[test]
    fn a_date_with_an_earlier_cut_off_stops_same_day_orders_at_that_time() {
        let mut rules = DeliveryRules::default();
        let today = d(2026, 11, 25);
        rules.overrides.insert(
            today,
            DayPlan {
                cutoff: NaiveTime::from_hms_opt(10, 0, 0),
                ..DayPlan::default()
            },
        );
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 9, 59, 0), 0),
            today
        );
        assert_eq!(
            earliest(&rules, amsterdam(2026, 11, 25, 10, 0, 0), 0),
            d(2026, 11, 26)
        );
    }
}
