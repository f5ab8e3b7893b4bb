//! Back-office use cases: each change to the calendar or the zones is checked, stored and
//! recorded in the change log in one transaction.

use chrono::NaiveDate;

use super::office_repo;
use crate::db::DbConn;
use crate::delivery::calendar::{self, DayRefusal};
use crate::delivery::repo as delivery;
use crate::delivery::rules::DayPlan;
use crate::delivery::zones::{Zone, ZoneForm};
use crate::domain::FieldErrors;
use crate::error::AppError;

/// Changes what the calendar says about `day`, unless the capacity is below its bookings;
/// returns the places the day holds.
pub fn change_day(
    conn: &mut DbConn,
    day: NaiveDate,
    plan: &DayPlan,
    staff_id: i64,
) -> Result<Result<u32, DayRefusal>, AppError> {
    conn.write_tx(|conn| {
        let outcome = calendar::change_day(conn, day, plan)?;
        if outcome.is_ok() {
            let subject = format!("calendar:{day}");
            office_repo::record_change(conn, staff_id, &subject, &calendar::describe(plan))?;
        }
        Ok(outcome)
    })
}

fn describe(zone: &Zone) -> String {
    format!(
        "{} {}–{} € {}",
        zone.name,
        zone.from,
        zone.to,
        zone.fee.plain(crate::i18n::Lang::Nl)
    )
}

/// Adds a zone (`id` `None`) or changes one, checked against the others; the zone's id, or
/// what to fix.
pub fn save_zone(
    conn: &mut DbConn,
    id: Option<i64>,
    form: &ZoneForm,
    staff_id: i64,
) -> Result<Result<i64, FieldErrors>, AppError> {
    conn.write_tx(|conn| {
        let rows = delivery::zone_rows(conn)?;
        if let Some(id) = id
            && !rows.iter().any(|(row, _)| *row == id)
        {
            return Err(AppError::NotFound);
        }
        let others: Vec<Zone> = rows
            .iter()
            .filter(|(row, _)| Some(*row) != id)
            .map(|(_, zone)| zone.clone())
            .collect();
        let zone = match form.parse(&others) {
            Ok(zone) => zone,
            Err(errors) => return Ok(Err(errors)),
        };
        let (id, verb) = match id {
            Some(id) => {
                delivery::update_zone(conn, id, &zone)?;
                (id, "changed")
            }
            None => {
                let position = i32::try_from(rows.len()).unwrap_or(i32::MAX);
                (delivery::insert_zone(conn, &zone, position)?, "added")
            }
        };
        let summary = format!("{verb}: {}", describe(&zone));
        office_repo::record_change(conn, staff_id, &format!("zone:{id}"), &summary)?;
        Ok(Ok(id))
    })
}

/// Removes a zone (orders keep the fee they were placed with).
pub fn delete_zone(conn: &mut DbConn, id: i64, staff_id: i64) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let zone = delivery::zone_rows(conn)?
            .into_iter()
            .find(|(row, _)| *row == id)
            .ok_or(AppError::NotFound)?
            .1;
        delivery::delete_zone(conn, id)?;
        let summary = format!("removed: {}", describe(&zone));
        office_repo::record_change(conn, staff_id, &format!("zone:{id}"), &summary)?;
        Ok(())
    })
}
