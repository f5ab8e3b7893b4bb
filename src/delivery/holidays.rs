//! Dutch public holidays, computed from the year.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A Dutch public holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    /// 1 January.
    NewYear,
    /// Good Friday (Goede Vrijdag): closed only when the shop says so.
    GoodFriday,
    /// Easter Sunday (1e Paasdag).
    EasterSunday,
    /// Easter Monday (2e Paasdag).
    EasterMonday,
    /// King's Day: 27 April, or 26 April when the 27th is a Sunday.
    KingsDay,
    /// Liberation Day (Bevrijdingsdag), 5 May: closed only when the shop says so.
    LiberationDay,
    /// Ascension Day (Hemelvaartsdag), Easter + 39 days.
    Ascension,
    /// Whit Sunday (1e Pinksterdag), Easter + 49 days.
    WhitSunday,
    /// Whit Monday (2e Pinksterdag), Easter + 50 days.
    WhitMonday,
    /// 25 December (1e Kerstdag).
    ChristmasDay,
    /// 26 December (2e Kerstdag).
    BoxingDay,
}

impl Holiday {
    /// Whether the shop closes on this day only if configured to (Good Friday, Liberation Day).
    pub fn is_optional(self) -> bool {
        matches!(self, Holiday::GoodFriday | Holiday::LiberationDay)
    }
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// Every Dutch public holiday of `year`, in date order.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holidays are valid dates");
    let easter = easter_sunday(year);
    let after = |days: u64| easter.checked_add_days(Days::new(days)).expect("in range");
    let kings_day = match date(4, 27).weekday() {
        Weekday::Sun => date(4, 26),
        _ => date(4, 27),
    };
    let mut all = vec![
        (date(1, 1), Holiday::NewYear),
        (
            easter.checked_sub_days(Days::new(2)).expect("in range"),
            Holiday::GoodFriday,
        ),
        (easter, Holiday::EasterSunday),
        (after(1), Holiday::EasterMonday),
        (kings_day, Holiday::KingsDay),
        (date(5, 5), Holiday::LiberationDay),
        (after(39), Holiday::Ascension),
        (after(49), Holiday::WhitSunday),
        (after(50), Holiday::WhitMonday),
        (date(12, 25), Holiday::ChristmasDay),
        (date(12, 26), Holiday::BoxingDay),
    ];
    all.sort_by_key(|(d, _)| *d);
    all
}

/// The holiday on `date`, if any.
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    holidays(date.year())
        .into_iter()
        .find(|(d, _)| *d == date)
        .map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates_for_2025_to_2030() {
        // Published Western (Gregorian) Easter dates.
        let table = [
            (2025, d(2025, 4, 20)),
            (2026, d(2026, 4, 5)),
            (2027, d(2027, 3, 28)),
            (2028, d(2028, 4, 16)),
            (2029, d(2029, 4, 1)),
            (2030, d(2030, 4, 21)),
        ];
        for (year, date) in table {
            assert_eq!(easter_sunday(year), date, "{year}");
        }
    }

    #[test]
    fn kings_day_2025_falls_on_26_april_because_27_april_is_a_sunday() {
        assert_eq!(holiday_on(d(2025, 4, 26)), Some(Holiday::KingsDay));
        assert_eq!(holiday_on(d(2025, 4, 27)), None);
        assert_eq!(holiday_on(d(2026, 4, 27)), Some(Holiday::KingsDay));
    }

    #[test]
    fn moveable_feasts_follow_easter() {
        assert_eq!(holiday_on(d(2026, 4, 3)), Some(Holiday::GoodFriday));
        assert_eq!(holiday_on(d(2026, 4, 6)), Some(Holiday::EasterMonday));
        assert_eq!(holiday_on(d(2026, 5, 14)), Some(Holiday::Ascension));
        assert_eq!(holiday_on(d(2026, 5, 24)), Some(Holiday::WhitSunday));
        assert_eq!(holiday_on(d(2026, 5, 25)), Some(Holiday::WhitMonday));
        assert_eq!(holiday_on(d(2030, 5, 30)), Some(Holiday::Ascension));
        assert_eq!(holiday_on(d(2030, 6, 10)), Some(Holiday::WhitMonday));
    }

    #[test]
    fn every_year_from_2025_to_2030_has_eleven_holidays_in_order() {
        for year in 2025..=2030 {
            let list = holidays(year);
            assert_eq!(list.len(), 11, "{year}");
            assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "{year}: {list:?}");
            assert!(list.iter().all(|(date, _)| date.year() == year));
        }
    }
}
