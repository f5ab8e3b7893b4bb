//! Occasion reminders (an opt-in purpose, P2/P3): a customer saves occasions as a name they
//! choose, a day and a month (no year, nothing else about the person it concerns), and gets a
//! reminder mail `BLOEI_REMINDER_DAYS` before. Saving needs the reminders consent; withdrawing
//! it deletes the occasions (`super::choices`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use super::consent::{self, ConsentPurpose};
use crate::accounts::auth::Customer;
use crate::accounts::mails::{self, LinkKind};
use crate::db::DbConn;
use crate::db::schema::{customer_occasions as occ, customers};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::MailContext;
use crate::web::flash::{self, FlashKind};
use crate::web::{AppState, PageCtx, render, see_other};

/// Longest name of an occasion, in characters.
pub const LABEL_MAX: usize = 60;

/// A saved occasion.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = occ)]
pub struct Occasion {
    pub id: i64,
    pub label: String,
    pub month: i32,
    pub day: i32,
}

/// The date an occasion falls on in `year` (29 February counts as 28 February in other years).
pub fn date_in(year: i32, month: i32, day: i32) -> Option<NaiveDate> {
    let (month, day) = (u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29)
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })
}

/// The add form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OccasionForm {
    pub label: String,
    pub day: String,
    pub month: String,
}

impl OccasionForm {
    /// The label, day and month, or the catalogue key of what to fix.
    pub fn parse(&self) -> Result<(String, i32, i32), &'static str> {
        let label = self.label.trim();
        if label.is_empty() {
            return Err("occasion-error-label");
        }
        if label.chars().count() > LABEL_MAX {
            return Err("occasion-error-label-long");
        }
        let day: i32 = self.day.parse().map_err(|_| "occasion-error-date")?;
        let month: i32 = self.month.parse().map_err(|_| "occasion-error-date")?;
        // A leap year, so 29 February is a date one can save.
        if date_in(2024, month, day).is_none() {
            return Err("occasion-error-date");
        }
        Ok((label.to_owned(), day, month))
    }
}

/// `GET /account/gelegenheden`.
#[derive(Template)]
#[template(path = "privacy/occasions.html")]
pub struct OccasionsPage {
    pub ctx: PageCtx,
    /// Whether the reminders consent is given (saving needs it).
    pub consented: bool,
    pub occasions: Vec<Occasion>,
    pub form: OccasionForm,
    pub error: Option<&'static str>,
    /// Days before an occasion the reminder goes out.
    pub days: u32,
}

impl OccasionsPage {
    /// "12 mei" / "12 May".
    pub fn when(&self, o: &Occasion) -> String {
        let month = self.ctx.t(format!("month-{}", o.month));
        format!("{} {month}", o.day)
    }

    /// The month names for the select.
    pub fn months(&self) -> Vec<(i32, String)> {
        (1..=12)
            .map(|m| (m, self.ctx.t(format!("month-{m}")).into_owned()))
            .collect()
    }

    /// The reminders consent's wording.
    pub fn wording(&self) -> String {
        let p = ConsentPurpose::Reminders;
        self.ctx.t(p.wording_key(p.current_version())).into_owned()
    }
}

fn list(conn: &mut DbConn, customer_id: i64) -> QueryResult<Vec<Occasion>> {
    occ::table
        .filter(occ::customer_id.eq(customer_id))
        .order((occ::month, occ::day, occ::id))
        .select(Occasion::as_select())
        .load(conn)
}

async fn show(
    state: &AppState,
    ctx: PageCtx,
    customer: &Customer,
    form: OccasionForm,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let id = customer.id;
    let (consented, occasions) = state
        .db
        .run(move |conn| {
            Ok((
                consent::current(conn, id, ConsentPurpose::Reminders)?,
                list(conn, id)?,
            ))
        })
        .await?;
    render(
        status,
        &OccasionsPage {
            ctx,
            consented,
            occasions,
            form,
            error,
            days: state.config.privacy.reminder_days,
        },
    )
}

/// `GET /account/gelegenheden`.
pub async fn page(
    state: web::Data<AppState>,
    ctx: PageCtx,
    customer: Customer,
) -> Result<HttpResponse, AppError> {
    show(
        &state,
        ctx,
        &customer,
        OccasionForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /account/gelegenheden`: saves an occasion (only with the reminders consent).
pub async fn add(
    state: web::Data<AppState>,
    session: Session,
    ctx: PageCtx,
    customer: Customer,
    form: web::Form<OccasionForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (label, day, month) = match form.parse() {
        Ok(parsed) => parsed,
        Err(key) => {
            return show(
                &state,
                ctx,
                &customer,
                form,
                Some(key),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let id = customer.id;
    let saved = state
        .db
        .run(move |conn| {
            conn.write_tx(|conn| {
                if !consent::current(conn, id, ConsentPurpose::Reminders)? {
                    return Ok::<_, AppError>(false);
                }
                diesel::insert_into(occ::table)
                    .values((
                        occ::customer_id.eq(id),
                        occ::label.eq(&label),
                        occ::month.eq(month),
                        occ::day.eq(day),
                        occ::created_at.eq(crate::db::now()),
                    ))
                    .execute(conn)?;
                Ok(true)
            })
        })
        .await?;
    if !saved {
        return show(
            &state,
            ctx,
            &customer,
            form,
            Some("occasion-error-consent"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    flash::set(&session, FlashKind::Success, "occasion-saved");
    Ok(see_other("/account/gelegenheden"))
}

/// `POST /account/gelegenheden/{id}/verwijderen`: deletes one of the customer's own occasions
/// (another account's id is a 404 and deletes nothing).
pub async fn delete(
    state: web::Data<AppState>,
    session: Session,
    customer: Customer,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (id, occasion) = (customer.id, path.into_inner());
    let deleted = state
        .db
        .run(move |conn| {
            Ok(diesel::delete(
                occ::table
                    .filter(occ::id.eq(occasion))
                    .filter(occ::customer_id.eq(id)),
            )
            .execute(conn)?)
        })
        .await?;
    if deleted == 0 {
        return Err(AppError::NotFound);
    }
    flash::set(&session, FlashKind::Success, "occasion-deleted");
    Ok(see_other("/account/gelegenheden"))
}

/// Queues the reminders due `today` (occasions `days` ahead) and returns how many. Each
/// occasion is claimed for the year with a conditional UPDATE first, so several instances
/// running this at once send each reminder once.
pub fn send_due(
    conn: &mut DbConn,
    mail: &MailContext,
    today: NaiveDate,
    days: u32,
) -> Result<usize, AppError> {
    let target = today + chrono::Duration::days(i64::from(days));
    let year = target.year();
    let mut candidates: Vec<(i32, i32)> = vec![(target.month() as i32, target.day() as i32)];
    // In a year without 29 February, its occasions are remembered on the 28th.
    if target.month() == 2 && target.day() == 28 && date_in(year, 2, 29) == date_in(year, 2, 28) {
        candidates.push((2, 29));
    }
    let mut sent = 0;
    for (month, day) in candidates {
        let due: Vec<(i64, i64, String)> = occ::table
            .filter(occ::month.eq(month))
            .filter(occ::day.eq(day))
            .filter(
                occ::last_reminded_year
                    .is_null()
                    .or(occ::last_reminded_year.lt(year)),
            )
            .select((occ::id, occ::customer_id, occ::label))
            .load(conn)?;
        for (id, customer_id, label) in due {
            let one = conn.write_tx(|conn| {
                let claimed = diesel::update(
                    occ::table.filter(occ::id.eq(id)).filter(
                        occ::last_reminded_year
                            .is_null()
                            .or(occ::last_reminded_year.lt(year)),
                    ),
                )
                .set(occ::last_reminded_year.eq(year))
                .execute(conn)?;
                if claimed == 0 {
                    return Ok::<_, AppError>(0);
                }
                let (email, name, lang): (String, String, String) = customers::table
                    .find(customer_id)
                    .select((customers::email, customers::name, customers::lang))
                    .first(conn)?;
                let lang = Lang::from_code(&lang).unwrap_or_default();
                let url = format!("{}/", mail.public_url);
                let stop = super::reminder_stop::new_link(conn, &mail.public_url, customer_id)?;
                let details = mails::Details {
                    args: &[
                        ("label", label.clone()),
                        ("date", lang.date(target)),
                        ("days", days.to_string()),
                    ],
                    opt_out: Some(&stop),
                };
                mails::link_with(mail, lang, &email, &name, LinkKind::Reminder, &url, details)?
                    .queue_with(
                        conn,
                        &crate::mail::repo::Extras {
                            list_unsubscribe: Some(stop.clone()),
                            erase_after_sending: false,
                        },
                    )?;
                Ok(1)
            })?;
            sent += one;
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(label: &str, day: &str, month: &str) -> OccasionForm {
        OccasionForm {
            label: label.into(),
            day: day.into(),
            month: month.into(),
        }
    }

    #[test]
    fn an_occasion_needs_a_name_and_a_real_day_of_a_month() {
        assert_eq!(
            form("Verjaardag mam", "12", "5").parse(),
            Ok(("Verjaardag mam".into(), 12, 5))
        );
        assert_eq!(form("Schrikkeldag", "29", "2").parse().map(|p| p.1), Ok(29));
        assert_eq!(form("", "1", "1").parse(), Err("occasion-error-label"));
        assert_eq!(form("x", "31", "4").parse(), Err("occasion-error-date"));
        assert_eq!(form("x", "1", "13").parse(), Err("occasion-error-date"));
        assert_eq!(
            form(&"x".repeat(61), "1", "1").parse(),
            Err("occasion-error-label-long")
        );
    }

    #[test]
    fn the_twenty_ninth_of_february_falls_on_the_twenty_eighth_in_other_years() {
        assert_eq!(date_in(2027, 2, 29), NaiveDate::from_ymd_opt(2027, 2, 28));
        assert_eq!(date_in(2028, 2, 29), NaiveDate::from_ymd_opt(2028, 2, 29));
    }
}
