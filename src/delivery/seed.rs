//! Demo delivery data: zones around the shop and Mother's Day opening, loaded with the demo
//! catalogue (staff screens to manage them come later).

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::repo;
use super::zones::Zone;
use crate::db::DbConn;
use crate::money::Money;

/// The demo zones: the shop's own town and its surroundings.
pub fn demo_zones() -> Vec<Zone> {
    let zone = |name: &str, from, to, fee| Zone {
        name: name.to_owned(),
        from,
        to,
        fee: Money::from_cents(fee),
    };
    vec![
        zone("Purmerend", 1440, 1448, 495),
        zone("Edam-Volendam", 1130, 1135, 695),
        zone("Zaanstad en Wormerland", 1500, 1531, 695),
        zone("Amsterdam", 1000, 1109, 995),
    ]
}

/// Mother's Day in the Netherlands: the second Sunday of May.
pub fn mothers_day(year: i32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 5, 1).expect("1 May exists");
    let to_sunday = (7 - first.weekday().num_days_from_sunday()) % 7;
    first
        .checked_add_days(Days::new(u64::from(to_sunday) + 7))
        .expect("in range")
}

/// Loads the demo zones (when there are none) and opens Mother's Day this year and next.
pub fn seed_demo(conn: &mut DbConn, this_year: i32) -> diesel::QueryResult<()> {
    if repo::zones(conn)?.is_empty() {
        for (position, zone) in demo_zones().iter().enumerate() {
            repo::insert_zone(conn, zone, position as i32)?;
        }
    }
    for year in [this_year, this_year + 1] {
        let day = mothers_day(year);
        debug_assert_eq!(day.weekday(), Weekday::Sun);
        repo::save_day(
            conn,
            day,
            &super::rules::DayPlan {
                note: "Moederdag".to_owned(),
                ..super::rules::DayPlan::open()
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mothers_day_is_the_second_sunday_of_may() {
        assert_eq!(
            mothers_day(2025),
            NaiveDate::from_ymd_opt(2025, 5, 11).unwrap()
        );
        assert_eq!(
            mothers_day(2026),
            NaiveDate::from_ymd_opt(2026, 5, 10).unwrap()
        );
        assert_eq!(
            mothers_day(2027),
            NaiveDate::from_ymd_opt(2027, 5, 9).unwrap()
        );
        assert_eq!(
            mothers_day(2028),
            NaiveDate::from_ymd_opt(2028, 5, 14).unwrap()
        );
    }
}
