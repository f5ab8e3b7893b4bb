//! The owner's delivery calendar: what each of the coming days looks like (open or closed and
//! why, places booked against capacity, the same-day cut-off), and the rules for changing a
//! day. Changes take effect in checkout within the plan cache's lifetime.

use chrono::{Days, NaiveDate, NaiveTime};

use super::repo;
use super::rules::{DayPlan, DeliveryRules};
use crate::db::DbConn;
use crate::domain::FieldErrors;
use crate::error::AppError;

/// How many days the calendar shows.
pub const CALENDAR_DAYS: u64 = 60;
/// The longest reason shown to customers.
pub const NOTE_MAX: usize = 120;
/// The most orders a single day can be given.
pub const CAPACITY_MAX: u32 = 999;

/// One date as the owner sees it.
#[derive(Debug, Clone)]
pub struct CalendarDay {
    /// The date.
    pub date: NaiveDate,
    /// Whether the shop delivers that day (calendar first, then the usual week).
    pub open: bool,
    /// Whether the usual week and holidays alone would open it.
    pub usually_open: bool,
    /// What the calendar changes about it (default: nothing).
    pub plan: DayPlan,
    /// Places taken.
    pub booked: u32,
    /// The most orders it can hold.
    pub capacity: u32,
    /// Same-day orders until.
    pub cutoff: NaiveTime,
}

impl CalendarDay {
    /// Whether the calendar changes anything about this date.
    pub fn changed(&self) -> bool {
        self.plan != DayPlan::default()
    }
}

/// The days from `from` on, for `days` days, in one read.
pub fn days(
    conn: &mut DbConn,
    base: &DeliveryRules,
    from: NaiveDate,
    days: u64,
) -> Result<Vec<CalendarDay>, AppError> {
    let to = from
        .checked_add_days(Days::new(days.saturating_sub(1)))
        .unwrap_or(from);
    conn.read_tx(|conn| {
        let mut rules = base.clone();
        rules.overrides = repo::overrides(conn, from, to)?;
        let booked = repo::booked(conn, from, to)?;
        Ok(from
            .iter_days()
            .take_while(|d| *d <= to)
            .map(|date| CalendarDay {
                date,
                open: rules.is_open(date),
                usually_open: rules.usually_open(date),
                plan: rules.overrides.get(&date).cloned().unwrap_or_default(),
                booked: booked.get(&date).copied().unwrap_or(0),
                capacity: rules.capacity_on(date),
                cutoff: rules.cutoff_on(date),
            })
            .collect())
    })
}

/// The owner's form for one day, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DayForm {
    /// `usual`, `open` or `closed`.
    #[serde(default)]
    pub state: String,
    /// The reason customers see.
    #[serde(default)]
    pub note: String,
    /// Capacity; empty follows the daily capacity.
    #[serde(default)]
    pub capacity: String,
    /// `HH:MM`; empty follows the shop's cut-off.
    #[serde(default)]
    pub cutoff: String,
}

impl DayForm {
    /// The form filled in from what the calendar says now.
    pub fn of(plan: &DayPlan) -> DayForm {
        DayForm {
            state: match plan.open {
                None => "usual",
                Some(true) => "open",
                Some(false) => "closed",
            }
            .to_owned(),
            note: plan.note.clone(),
            capacity: plan.capacity.map(|c| c.to_string()).unwrap_or_default(),
            cutoff: plan
                .cutoff
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
        }
    }

    /// The plan the form describes, or what to fix per field.
    pub fn parse(&self) -> Result<DayPlan, FieldErrors> {
        let mut errors = FieldErrors::new();
        let open = match self.state.as_str() {
            "usual" | "" => None,
            "open" => Some(true),
            "closed" => Some(false),
            _ => {
                errors.insert("state", "calendar-error-state");
                None
            }
        };
        let note = self.note.trim().to_owned();
        if note.chars().count() > NOTE_MAX {
            errors.insert("note", "calendar-error-note-long");
        } else if open == Some(false) && note.is_empty() {
            errors.insert("note", "calendar-error-note-missing");
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(n) if (1..=CAPACITY_MAX).contains(&n) => Some(n),
                _ => {
                    errors.insert("capacity", "calendar-error-capacity");
                    None
                }
            },
        };
        let cutoff = match self.cutoff.trim() {
            "" => None,
            text => match NaiveTime::parse_from_str(text, "%H:%M") {
                Ok(t) => Some(t),
                Err(_) => {
                    errors.insert("cutoff", "calendar-error-cutoff");
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(DayPlan {
                open,
                note,
                capacity,
                cutoff,
            })
        } else {
            Err(errors)
        }
    }
}

/// Why a day's change was refused.
#[derive(Debug)]
pub enum DayRefusal {
    /// The capacity is below the orders the day already holds.
    BelowBooked {
        /// Places taken.
        booked: u32,
    },
}

/// Stores a day's plan after checking it against the orders the day holds; part of the
/// caller's transaction (which also records who changed it). Returns the places booked.
pub fn change_day(
    conn: &mut DbConn,
    day: NaiveDate,
    plan: &DayPlan,
) -> Result<Result<u32, DayRefusal>, AppError> {
    let booked = repo::booked(conn, day, day)?
        .get(&day)
        .copied()
        .unwrap_or(0);
    if let Some(capacity) = plan.capacity
        && capacity < booked
    {
        return Ok(Err(DayRefusal::BelowBooked { booked }));
    }
    repo::save_day(conn, day, plan)?;
    Ok(Ok(booked))
}

/// A short, customer-free description of a day's plan for the change log.
pub fn describe(plan: &DayPlan) -> String {
    let state = match plan.open {
        None => "usual",
        Some(true) => "open",
        Some(false) => "closed",
    };
    let mut text = state.to_owned();
    if !plan.note.is_empty() {
        text.push_str(&format!(" ({})", plan.note));
    }
    if let Some(c) = plan.capacity {
        text.push_str(&format!(", capacity {c}"));
    }
    if let Some(t) = plan.cutoff {
        text.push_str(&format!(", cut-off {}", t.format("%H:%M")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(state: &str, note: &str, capacity: &str, cutoff: &str) -> DayForm {
        DayForm {
            state: state.into(),
            note: note.into(),
            capacity: capacity.into(),
            cutoff: cutoff.into(),
        }
    }

    #[test]
    fn closing_a_day_needs_a_reason_for_customers() {
        let errors = form("closed", " ", "", "").parse().unwrap_err();
        assert_eq!(errors.get("note"), Some(&"calendar-error-note-missing"));
        let plan = form("closed", "Vakantie", "", "").parse().unwrap();
        assert_eq!(plan, DayPlan::closed("Vakantie"));
    }

    #[test]
    fn capacity_and_cut_off_must_be_a_sensible_number_and_time() {
        let errors = form("usual", "", "0", "25:00").parse().unwrap_err();
        assert_eq!(errors.get("capacity"), Some(&"calendar-error-capacity"));
        assert_eq!(errors.get("cutoff"), Some(&"calendar-error-cutoff"));
        assert!(form("usual", "", "-3", "").parse().is_err());
        let plan = form("usual", "", "12", "10:30").parse().unwrap();
        assert_eq!(plan.capacity, Some(12));
        assert_eq!(plan.cutoff, NaiveTime::from_hms_opt(10, 30, 0));
        assert_eq!(DayForm::of(&plan).cutoff, "10:30");
    }
}
