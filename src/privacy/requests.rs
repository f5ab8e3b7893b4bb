//! The privacy request desk (P16–P18): requests that came by post, e-mail, phone or the contact
//! form, recorded by support, each due four weeks after it came in (once extended, with a
//! reason and a notice to the requester). Identity is checked with the lightest step that
//! suffices — the account's own address, else a confirmation link to the address on file, and
//! only as a last resort an ID document, of which only that it was seen, its type and its last
//! four characters are kept (never a copy). Every outcome letter names the Autoriteit
//! Persoonsgegevens. A request's record is kept two years after it was handled, to show it was.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConn;
use crate::db::schema::{customers, privacy_requests};
use crate::domain::FieldErrors;
use crate::domain::contact::{Email, Text};
use crate::error::AppError;
use crate::mail::messages::MailContext;

/// Weeks the shop has to answer (the statement's promise, P17).
pub const ANSWER_DAYS: i64 = 28;
/// How much later an extended request is due (GDPR art. 12(3): two further months at most).
pub const EXTENSION_DAYS: i64 = 56;
/// A request this close to its due date is marked "nearly due".
pub const NEARLY_DUE_DAYS: i64 = 7;
/// How long a confirmation link works.
pub const LINK_DAYS: i64 = 7;
/// Longest note on a request, an extension's reason or an outcome.
pub const TEXT_MAX: usize = 4000;

macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in form order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored text form (also the form's value).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads the stored form.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

stored_enum!(
    /// What the person asks for (GDPR art. 15–21).
    Kind {
        /// A copy of their data.
        Access = "access",
        /// Correcting wrong data.
        Correction = "correction",
        /// Erasing their data.
        Erasure = "erasure",
        /// Objecting to a use of their data.
        Objection = "objection",
        /// Restricting a use while something is checked.
        Restriction = "restriction",
        /// Their data in a machine-readable form.
        Portability = "portability",
    }
);

stored_enum!(
    /// How the request reached the shop.
    Channel {
        /// A letter.
        Post = "post",
        /// An e-mail.
        Email = "email",
        /// A phone call.
        Phone = "phone",
        /// The contact form.
        Form = "form",
    }
);

stored_enum!(
    /// How the requester's identity was checked.
    Identity {
        /// It came from the account's own confirmed address (or a logged-in session).
        Account = "account",
        /// A confirmation link to the address on file was followed.
        Link = "link",
        /// An ID document was seen.
        Document = "document",
    }
);

stored_enum!(
    /// The kind of ID document seen.
    DocumentType {
        /// Passport.
        Passport = "passport",
        /// Dutch identity card.
        IdCard = "id_card",
        /// Driving licence.
        DrivingLicence = "driving_licence",
        /// Residence permit.
        ResidencePermit = "residence_permit",
    }
);

/// When a request received on `received` is due.
pub fn due_date(received: NaiveDate) -> NaiveDate {
    received + Duration::days(ANSWER_DAYS)
}

/// How urgent an open request is on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Its due date has passed.
    Overdue,
    /// Due within [`NEARLY_DUE_DAYS`].
    NearlyDue,
    /// Time enough.
    OnTime,
    /// Handled.
    Closed,
}

/// A request as stored (without its link token).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = privacy_requests)]
pub struct Request {
    /// Its number.
    pub id: i64,
    /// What is asked ([`Kind`]).
    pub kind: String,
    /// How it came ([`Channel`]).
    pub channel: String,
    /// Who asks.
    pub requester_name: String,
    /// Where the letters go.
    pub requester_email: String,
    /// The account the address belongs to.
    pub customer_id: Option<i64>,
    /// What exactly is asked.
    pub details: Option<String>,
    /// When it came in.
    pub received_on: NaiveDate,
    /// When it is due.
    pub due_on: NaiveDate,
    /// Why it was extended (once).
    pub extension_reason: Option<String>,
    /// How identity was checked ([`Identity`]).
    pub identity: Option<String>,
    /// When.
    pub identity_checked_at: Option<NaiveDateTime>,
    /// A link sent and not yet followed stops working then.
    pub confirm_expires_at: Option<NaiveDateTime>,
    /// The ID document's type ([`DocumentType`]).
    pub document_type: Option<String>,
    /// Its last four characters.
    pub document_last_four: Option<String>,
    /// `open`, `done` or `refused`.
    pub status: String,
    /// What was done, as written to the requester.
    pub outcome: Option<String>,
    /// When it was handled.
    pub closed_at: Option<NaiveDateTime>,
}

impl Request {
    /// What is asked.
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Access)
    }

    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }

    /// How urgent it is on `today`.
    pub fn urgency(&self, today: NaiveDate) -> Urgency {
        if !self.is_open() {
            Urgency::Closed
        } else if today > self.due_on {
            Urgency::Overdue
        } else if (self.due_on - today).num_days() <= NEARLY_DUE_DAYS {
            Urgency::NearlyDue
        } else {
            Urgency::OnTime
        }
    }

    /// Whether the requester's identity has been checked.
    pub fn identified(&self) -> bool {
        self.identity.is_some()
    }
}

/// The desk's form for a new request, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewRequestForm {
    /// [`Kind`].
    pub kind: String,
    /// [`Channel`].
    pub channel: String,
    /// The requester's name.
    pub name: String,
    /// Their address.
    pub email: String,
    /// What exactly is asked.
    pub details: String,
    /// When it came in, `YYYY-MM-DD`.
    pub received: String,
}

/// A new request, checked.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// What is asked.
    pub kind: Kind,
    /// How it came.
    pub channel: Channel,
    /// Who asks.
    pub name: Text,
    /// Their address (lower-cased).
    pub email: Email,
    /// What exactly is asked.
    pub details: Option<Text>,
    /// When it came in.
    pub received: NaiveDate,
}

impl NewRequestForm {
    /// The request, or what to fix per field; `today` bounds the date (a letter cannot arrive
    /// tomorrow).
    pub fn parse(&self, today: NaiveDate) -> Result<NewRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.insert("kind", "request-error-kind");
        }
        let channel = Channel::parse(&self.channel);
        if channel.is_none() {
            errors.insert("channel", "request-error-channel");
        }
        let name = Text::required(&self.name, 100).ok();
        if name.is_none() {
            errors.insert("name", "checkout-error-required");
        }
        let email = crate::accounts::model::account_email(&self.email);
        if email.is_none() {
            errors.insert("email", "checkout-error-email");
        }
        let details = Text::optional(&self.details, TEXT_MAX).unwrap_or_else(|_| {
            errors.insert("details", "request-error-too-long");
            None
        });
        let received = match NaiveDate::parse_from_str(self.received.trim(), "%Y-%m-%d") {
            Ok(date) if date > today => {
                errors.insert("received", "request-error-future");
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                errors.insert("received", "request-error-date");
                None
            }
        };
        match (kind, channel, name, email, received) {
            (Some(kind), Some(channel), Some(name), Some(email), Some(received))
                if errors.is_empty() =>
            {
                Ok(NewRequest {
                    kind,
                    channel,
                    name,
                    email,
                    details,
                    received,
                })
            }
            _ => Err(errors),
        }
    }
}

pub(super) fn audit(
    conn: &mut DbConn,
    action: &str,
    staff_id: i64,
    request: &Request,
) -> QueryResult<()> {
    super::audit::record(
        conn,
        &[super::audit::Look {
            action,
            staff_id: Some(staff_id),
            customer_id: request.customer_id,
            subject: format!("request:{}", request.id),
        }],
    )
}

/// The language of the letters: the account's, else Dutch (the shop's own).
pub(super) fn letter_lang(conn: &mut DbConn, request: &Request) -> QueryResult<crate::i18n::Lang> {
    let Some(id) = request.customer_id else {
        return Ok(crate::i18n::Lang::Nl);
    };
    let code: Option<String> = customers::table
        .find(id)
        .select(customers::lang)
        .first(conn)
        .optional()?;
    Ok(code
        .as_deref()
        .and_then(crate::i18n::Lang::from_code)
        .unwrap_or(crate::i18n::Lang::Nl))
}

/// Records a request by staff member `staff_id`; its number. The address is matched to an
/// account, so the desk can see whose data it is about.
pub fn record(conn: &mut DbConn, new: &NewRequest, staff_id: i64) -> QueryResult<i64> {
    conn.write_tx(|conn| {
        let customer_id: Option<i64> = customers::table
            .filter(crate::db::lower(customers::email).eq(new.email.as_str()))
            .filter(customers::email_verified_at.is_not_null())
            .select(customers::id)
            .first(conn)
            .optional()?;
        let id: i64 = diesel::insert_into(privacy_requests::table)
            .values((
                privacy_requests::kind.eq(new.kind.as_str()),
                privacy_requests::channel.eq(new.channel.as_str()),
                privacy_requests::requester_name.eq(new.name.as_str()),
                privacy_requests::requester_email.eq(new.email.as_str()),
                privacy_requests::customer_id.eq(customer_id),
                privacy_requests::details.eq(new.details.as_ref().map(Text::as_str)),
                privacy_requests::received_on.eq(new.received),
                privacy_requests::due_on.eq(due_date(new.received)),
                privacy_requests::staff_id.eq(staff_id),
                privacy_requests::created_at.eq(crate::db::now()),
            ))
            .returning(privacy_requests::id)
            .get_result(conn)?;
        let request = find(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        audit(conn, "request_record", staff_id, &request)?;
        Ok(id)
    })
}

/// The desk: open requests by due date (soonest first), or every request with `all`.
pub fn desk(conn: &mut DbConn, all: bool) -> QueryResult<Vec<Request>> {
    let mut query = privacy_requests::table
        .select(Request::as_select())
        .order((privacy_requests::due_on, privacy_requests::id))
        .limit(500)
        .into_boxed();
    if !all {
        query = query.filter(privacy_requests::status.eq("open"));
    }
    query.load(conn)
}

/// One request.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Request>> {
    privacy_requests::table
        .find(id)
        .select(Request::as_select())
        .first(conn)
        .optional()
}

/// Records that staff member `staff_id` opened request `id` (P14).
pub fn record_view(conn: &mut DbConn, request: &Request, staff_id: i64) -> QueryResult<()> {
    audit(conn, "request_view", staff_id, request)
}

pub(super) fn open_request(conn: &mut DbConn, id: i64) -> Result<Request, AppError> {
    let request = find(conn, id)?.ok_or(AppError::NotFound)?;
    if !request.is_open() {
        return Err(AppError::BadRequest("request-error-closed"));
    }
    Ok(request)
}

fn set_identity(
    conn: &mut DbConn,
    id: i64,
    identity: Identity,
    staff_id: Option<i64>,
    document: Option<(DocumentType, &str)>,
) -> QueryResult<usize> {
    diesel::update(privacy_requests::table.find(id))
        .set((
            privacy_requests::identity.eq(identity.as_str()),
            privacy_requests::identity_checked_at.eq(crate::db::now()),
            privacy_requests::identity_staff_id.eq(staff_id),
            privacy_requests::document_type.eq(document.map(|(t, _)| t.as_str())),
            privacy_requests::document_last_four.eq(document.map(|(_, l)| l.to_owned())),
            privacy_requests::confirm_token_hash.eq(None::<String>),
            privacy_requests::confirm_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// The first rung: the request came from the account's own confirmed address (an e-mail or
/// the contact form sent from it), so nothing more is needed. Refused for a letter or a call,
/// or an address that is no account's.
pub fn identify_by_account(conn: &mut DbConn, id: i64, staff_id: i64) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let request = open_request(conn, id)?;
        let from_address = matches!(
            Channel::parse(&request.channel),
            Some(Channel::Email | Channel::Form)
        );
        if request.customer_id.is_none() || !from_address {
            return Err(AppError::BadRequest("request-error-not-account"));
        }
        set_identity(conn, id, Identity::Account, Some(staff_id), None)?;
        Ok(())
    })
}

/// The second rung: sends a confirmation link to the address on file; following it confirms
/// the requester's identity.
pub fn send_link(conn: &mut DbConn, id: i64, mail: &MailContext) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let request = open_request(conn, id)?;
        let (token, hash) = crate::domain::token::new_link_token();
        diesel::update(privacy_requests::table.find(id))
            .set((
                privacy_requests::confirm_token_hash.eq(hash),
                privacy_requests::confirm_expires_at
                    .eq(crate::db::now() + Duration::days(LINK_DAYS)),
            ))
            .execute(conn)?;
        let url = format!("{}/verzoek/bevestigen/{token}", mail.public_url);
        let lang = letter_lang(conn, &request)?;
        super::request_mail::confirm_link(mail, lang, &request, &url)?.queue(conn)?;
        Ok(())
    })
}

/// The request a confirmation link belongs to, while it works.
pub fn by_link(conn: &mut DbConn, token: &str) -> Result<Request, AppError> {
    let id: Option<(i64, Option<NaiveDateTime>)> = privacy_requests::table
        .filter(privacy_requests::confirm_token_hash.eq(crate::domain::token::token_hash(token)))
        .select((privacy_requests::id, privacy_requests::confirm_expires_at))
        .first(conn)
        .optional()?;
    match id {
        Some((id, Some(until))) if until > crate::db::now() => {
            find(conn, id)?.ok_or(AppError::Gone("request-link-gone"))
        }
        _ => Err(AppError::Gone("request-link-gone")),
    }
}

/// Follows a confirmation link: the requester is who they said.
pub fn confirm_link(conn: &mut DbConn, token: &str) -> Result<Request, AppError> {
    conn.write_tx(|conn| {
        let request = by_link(conn, token)?;
        set_identity(conn, request.id, Identity::Link, None, None)?;
        Ok(request)
    })
}

/// The last rung: staff saw an ID document. Only its type and last four characters are kept.
pub fn identify_by_document(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    document: DocumentType,
    last4: &str,
) -> Result<(), AppError> {
    let last4 = last4.trim().to_uppercase();
    if last4.chars().count() != 4 || !last4.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::BadRequest("request-error-last4"));
    }
    conn.write_tx(|conn| {
        open_request(conn, id)?;
        set_identity(
            conn,
            id,
            Identity::Document,
            Some(staff_id),
            Some((document, &last4)),
        )?;
        Ok(())
    })
}

/// Extends a request once, before it is due, by [`EXTENSION_DAYS`]; the requester gets a
/// notice with the reason and the new date.
pub fn extend(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    reason: &Text,
    today: NaiveDate,
    mail: &MailContext,
) -> Result<NaiveDate, AppError> {
    conn.write_tx(|conn| {
        let request = open_request(conn, id)?;
        if request.extension_reason.is_some() {
            return Err(AppError::BadRequest("request-error-extended-twice"));
        }
        if today > request.due_on {
            return Err(AppError::BadRequest("request-error-extension-late"));
        }
        let due = request.due_on + Duration::days(EXTENSION_DAYS);
        diesel::update(privacy_requests::table.find(id))
            .set((
                privacy_requests::due_on.eq(due),
                privacy_requests::extension_reason.eq(reason.as_str()),
            ))
            .execute(conn)?;
        let lang = letter_lang(conn, &request)?;
        super::request_mail::extension(mail, lang, &request, reason.as_str(), due)?.queue(conn)?;
        audit(conn, "request_extend", staff_id, &request)?;
        Ok(due)
    })
}

/// Closes a request as done (identity checked first) or refused, and sends the outcome
/// letter, which names the Autoriteit Persoonsgegevens (P18).
pub fn close(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    done: bool,
    outcome: &Text,
    mail: &MailContext,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let request = open_request(conn, id)?;
        if done && !request.identified() {
            return Err(AppError::BadRequest("request-error-identity-first"));
        }
        diesel::update(privacy_requests::table.find(id))
            .set((
                privacy_requests::status.eq(if done { "done" } else { "refused" }),
                privacy_requests::outcome.eq(outcome.as_str()),
                privacy_requests::closed_at.eq(crate::db::now()),
                privacy_requests::confirm_token_hash.eq(None::<String>),
                privacy_requests::confirm_expires_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        let lang = letter_lang(conn, &request)?;
        super::request_mail::outcome(mail, lang, &request, done, outcome.as_str())?.queue(conn)?;
        audit(conn, "request_close", staff_id, &request)?;
        Ok(())
    })
}

/// Deletes requests handled before `before` (two years after handling, P15).
pub fn forget_handled_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        privacy_requests::table
            .filter(privacy_requests::status.ne("open"))
            .filter(privacy_requests::closed_at.lt(before)),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form(kind: &str, received: &str) -> NewRequestForm {
        NewRequestForm {
            kind: kind.into(),
            channel: "post".into(),
            name: "Ans de Vries".into(),
            email: "ans@example.nl".into(),
            details: String::new(),
            received: received.into(),
        }
    }

    #[test]
    fn a_request_is_due_four_weeks_after_it_came_in() {
        assert_eq!(due_date(date("2026-12-04")), date("2027-01-01"));
        assert_eq!(due_date(date("2026-02-01")), date("2026-03-01"));
    }

    #[test]
    fn unknown_kinds_and_dates_in_the_future_are_refused() {
        let today = date("2026-12-04");
        let errors = form("complaint", "2026-12-05").parse(today).unwrap_err();
        assert_eq!(errors.get("kind"), Some(&"request-error-kind"));
        assert_eq!(errors.get("received"), Some(&"request-error-future"));
        let errors = form("access", "4 december").parse(today).unwrap_err();
        assert_eq!(errors.get("received"), Some(&"request-error-date"));
        let ok = form("erasure", "2026-12-04").parse(today).unwrap();
        assert_eq!(ok.kind, Kind::Erasure);
    }

    #[test]
    fn requests_become_nearly_due_a_week_before_and_overdue_after_their_date() {
        let request = |status: &str| Request {
            id: 1,
            kind: "access".into(),
            channel: "post".into(),
            requester_name: String::new(),
            requester_email: String::new(),
            customer_id: None,
            details: None,
            received_on: date("2026-11-01"),
            due_on: date("2026-11-29"),
            extension_reason: None,
            identity: None,
            identity_checked_at: None,
            confirm_expires_at: None,
            document_type: None,
            document_last_four: None,
            status: status.into(),
            outcome: None,
            closed_at: None,
        };
        let open = request("open");
        assert_eq!(open.urgency(date("2026-11-21")), Urgency::OnTime);
        assert_eq!(open.urgency(date("2026-11-22")), Urgency::NearlyDue);
        assert_eq!(open.urgency(date("2026-11-29")), Urgency::NearlyDue);
        assert_eq!(open.urgency(date("2026-11-30")), Urgency::Overdue);
        assert_eq!(request("done").urgency(date("2026-12-30")), Urgency::Closed);
    }
}
