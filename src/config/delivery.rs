//! The delivery settings: cut-off, closed weekdays and holidays, booking window, capacity.

use super::{ConfigError, Settings};

/// The shop's configured delivery rules; `delivery::rules::DeliveryRules` adds the calendar's
/// per-date overrides from the database.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// Orders placed before this local time can be delivered today.
    pub cutoff: chrono::NaiveTime,
    /// Weekdays the shop is closed.
    pub closed_weekdays: Vec<chrono::Weekday>,
    /// Whether Good Friday is a closed day.
    pub closed_on_good_friday: bool,
    /// Whether Liberation Day (5 May) is a closed day.
    pub closed_on_liberation_day: bool,
    /// How many days ahead an order can be placed.
    pub booking_window_days: u32,
    /// The most orders one date can hold.
    pub daily_capacity: u32,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        DeliverySettings {
            cutoff: chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("valid time"),
            closed_weekdays: vec![chrono::Weekday::Sun],
            closed_on_good_friday: false,
            closed_on_liberation_day: false,
            booking_window_days: 60,
            daily_capacity: 40,
        }
    }
}

pub(super) fn delivery_rules(s: &Settings) -> Result<DeliverySettings, ConfigError> {
    let defaults = DeliverySettings::default();
    let cutoff = match &s.delivery_cutoff {
        Some(text) => chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
            ConfigError(format!(
                "BLOEI_DELIVERY_CUTOFF must be a time like 14:00, got `{text}`."
            ))
        })?,
        None => defaults.cutoff,
    };
    let closed_weekdays = match &s.closed_weekdays {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| {
                d.parse::<chrono::Weekday>().map_err(|_| {
                    ConfigError(format!(
                        "BLOEI_CLOSED_WEEKDAYS must list weekdays like \"sat,sun\", got `{d}`."
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => defaults.closed_weekdays,
    };
    let daily_capacity = s.daily_capacity.unwrap_or(defaults.daily_capacity);
    if daily_capacity == 0 {
        return Err(ConfigError(
            "BLOEI_DAILY_CAPACITY must be at least 1.".into(),
        ));
    }
    Ok(DeliverySettings {
        cutoff,
        closed_weekdays,
        closed_on_good_friday: s.closed_good_friday.unwrap_or(false),
        closed_on_liberation_day: s.closed_liberation_day.unwrap_or(false),
        booking_window_days: s
            .booking_window_days
            .unwrap_or(defaults.booking_window_days),
        daily_capacity,
    })
}
