//! The owner's view of the audit log (P14): who looked at or acted on whose data, filtered by
//! staff member, subject and dates. Reading it is not itself logged: the log names ids only.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::auth::{Allowed, Audit};
use super::menu::{Section, StaffMenu};
use crate::db::DbConn;
use crate::db::schema::{audit_log, staff};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::web::{PageCtx, render};

/// How many entries one page lists (newest first); narrower filters find older ones.
pub const LIMIT: i64 = 500;

/// The filters as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// A staff member's id, or empty for everyone.
    pub medewerker: String,
    /// A subject such as `order:12`, or empty.
    pub onderwerp: String,
    /// First day, `YYYY-MM-DD`, or empty.
    pub van: String,
    /// Last day, `YYYY-MM-DD`, or empty.
    pub tot: String,
}

/// The filters, checked.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    staff_id: Option<i64>,
    subject: Option<String>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
}

fn date(typed: &str, field: &'static str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(typed, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.insert(field, "audit-error-date");
    }
    parsed
}

impl AuditQuery {
    /// The filters, or what to fix.
    pub fn parse(&self) -> Result<Filter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let staff_id = match self.medewerker.trim() {
            "" => None,
            typed => {
                let id = typed.parse().ok();
                if id.is_none() {
                    errors.insert("medewerker", "audit-error-staff");
                }
                id
            }
        };
        let from = date(&self.van, "van", &mut errors);
        let until = date(&self.tot, "tot", &mut errors);
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            errors.insert("tot", "audit-error-order");
        }
        let subject = Some(self.onderwerp.trim().to_owned()).filter(|s| !s.is_empty());
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filter {
            staff_id,
            subject,
            from,
            until,
        })
    }
}

/// One entry as listed: when, what, by whom, about what, about which account.
pub type Entry = (NaiveDateTime, String, Option<String>, String, Option<i64>);

/// The entries matching `filter`, newest first, at most [`LIMIT`].
pub fn entries(conn: &mut DbConn, filter: &Filter) -> QueryResult<Vec<Entry>> {
    let mut query = audit_log::table
        .left_join(staff::table)
        .select((
            audit_log::created_at,
            audit_log::action,
            staff::name.nullable(),
            audit_log::subject,
            audit_log::customer_id,
        ))
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .limit(LIMIT)
        .into_boxed();
    if let Some(id) = filter.staff_id {
        query = query.filter(audit_log::staff_id.eq(id));
    }
    if let Some(subject) = &filter.subject {
        query = query.filter(audit_log::subject.eq(subject.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::created_at.ge(from.and_time(chrono::NaiveTime::MIN)));
    }
    if let Some(until) = filter.until.and_then(|d| d.succ_opt()) {
        query = query.filter(audit_log::created_at.lt(until.and_time(chrono::NaiveTime::MIN)));
    }
    query.load(conn)
}

/// `GET /medewerkers/auditlog`.
#[derive(Template)]
#[template(path = "staff/audit.html")]
pub struct AuditPage {
    /// Page context.
    pub ctx: PageCtx,
    /// The staff menu.
    pub menu: Option<StaffMenu>,
    /// The filters as typed.
    pub query: AuditQuery,
    /// Every staff member, for the filter: `(id, name)`.
    pub staff: Vec<(i64, String)>,
    /// The entries found.
    pub entries: Vec<Entry>,
    /// What to fix in the filters.
    pub errors: FieldErrors,
}

impl AuditPage {
    /// The message for a field, if it was refused.
    pub fn error(&self, field: &str) -> Option<std::borrow::Cow<'static, str>> {
        self.errors.get(field).map(|key| self.ctx.t(key))
    }

    /// The input type for a date filter: a date picker, or plain text while it holds what was
    /// typed and is not a date (a date input cannot show that).
    pub fn date_kind(&self, typed: &str) -> &'static str {
        let typed = typed.trim();
        if typed.is_empty() || NaiveDate::parse_from_str(typed, "%Y-%m-%d").is_ok() {
            "date"
        } else {
            "text"
        }
    }

    /// Whether the list may be cut off at [`LIMIT`].
    pub fn is_full(&self) -> bool {
        self.entries.len() as i64 >= LIMIT
    }

    /// An action in words (the code itself for one this version does not know).
    pub fn action(&self, code: &str) -> String {
        let key = match code {
            "order_view" => "audit-order-view",
            "order_search" => "audit-order-search",
            "export" => "audit-export",
            "erasure" => "audit-erasure",
            "refund" => "audit-refund",
            "board_view" => "audit-board-view",
            "ticket_view" => "audit-ticket-view",
            "tickets_view" => "audit-tickets-view",
            "route_view" => "audit-route-view",
            "companies_view" => "audit-companies-view",
            "staff_login" => "audit-staff-login",
            "messages_view" => "audit-messages-view",
            "message_view" => "audit-message-view",
            "message_answer" => "audit-message-answer",
            "requests_view" => "audit-requests-view",
            "disclosures_view" => "audit-disclosures-view",
            "disclosure_record" => "audit-disclosure-record",
            "request_view" => "audit-request-view",
            "request_record" => "audit-request-record",
            "request_extend" => "audit-request-extend",
            "request_close" => "audit-request-close",
            "staff_role" => "audit-staff-role",
            "staff_disable" => "audit-staff-disable",
            "staff_enable" => "audit-staff-enable",
            "staff_two_step_reset" => "audit-staff-two-step-reset",
            other => return other.to_owned(),
        };
        self.ctx.t(key).into_owned()
    }
}

/// `GET /medewerkers/auditlog`: the log, filtered.
pub async fn page(
    state: web::Data<crate::web::AppState>,
    allowed: Allowed<Audit>,
    ctx: PageCtx,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = query.parse();
    let checked = filter.clone().unwrap_or_default();
    let (staff, entries) = state
        .db
        .run(move |conn| {
            let staff = staff::table
                .order((staff::name, staff::id))
                .select((staff::id, staff::name))
                .load(conn)?;
            Ok((staff, entries(conn, &checked)?))
        })
        .await?;
    let menu = Some(StaffMenu::new(&allowed.staff, Section::Team));
    let (entries, errors) = match filter {
        Ok(_) => (entries, FieldErrors::new()),
        Err(errors) => (Vec::new(), errors),
    };
    let seen = AuditPage {
        ctx,
        menu,
        query,
        staff,
        entries,
        errors,
    };
    if seen.errors.is_empty() {
        crate::web::page(&seen)
    } else {
        render(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &seen)
    }
}
