//! Questions and complaints (P7): what the public contact and complaint forms accept, the staff
//! queue they land in (open → answered → closed), and the answers, which go to the sender by
//! e-mail through the outbox and stay with the message as its thread. The free text is personal
//! data with its own retention: a handled message is deleted a year after its last answer or
//! closing ([`forget_handled_before`]), and every message goes with the sender's account.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConn;
use crate::db::schema::{contact_messages, contact_replies, orders, staff};
use crate::domain::FieldErrors;
use crate::domain::contact::{Email, Text, TextError};
use crate::error::AppError;
use crate::i18n::Lang;

/// Longest name accepted, in characters.
pub const NAME_MAX: usize = 100;
/// Longest question or complaint accepted, in characters (a long letter; 100 kB is refused
/// with this limit named).
pub const BODY_MAX: usize = 5000;
/// Longest answer accepted, in characters.
pub const REPLY_MAX: usize = 10_000;
/// Longest order number accepted, as typed.
const ORDER_NUMBER_MAX: usize = 20;

/// Which form a message came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/contact`: a question or remark.
    Question,
    /// `/klacht`: a complaint, possibly about an order.
    Complaint,
}

impl Kind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Question => "question",
            Kind::Complaint => "complaint",
        }
    }

    /// Reads the stored form.
    pub fn parse(stored: &str) -> Option<Kind> {
        match stored {
            "question" => Some(Kind::Question),
            "complaint" => Some(Kind::Complaint),
            _ => None,
        }
    }

    /// Where the form is.
    pub fn path(self) -> &'static str {
        match self {
            Kind::Question => "/contact",
            Kind::Complaint => "/klacht",
        }
    }
}

/// Where a message is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for an answer.
    Open,
    /// Answered; the sender may still write back.
    Answered,
    /// Done.
    Closed,
}

impl Status {
    /// Every status, in queue order.
    pub const ALL: [Status; 3] = [Status::Open, Status::Answered, Status::Closed];

    /// The stored form (also the queue's filter in the address).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Answered => "answered",
            Status::Closed => "closed",
        }
    }

    /// Reads the stored form.
    pub fn parse(stored: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == stored)
    }

    /// Catalogue key of the status's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Status::Open => "contact-status-open",
            Status::Answered => "contact-status-answered",
            Status::Closed => "contact-status-closed",
        }
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    /// Name.
    pub name: String,
    /// Where the answer goes.
    pub email: String,
    /// The order a complaint is about (optional).
    pub order_number: String,
    /// The question or complaint.
    pub message: String,
}

/// A message, checked.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Which form.
    pub kind: Kind,
    /// Name.
    pub name: Text,
    /// Where the answer goes (lower-cased).
    pub email: Email,
    /// The order number, upper-cased, when given.
    pub order_number: Option<String>,
    /// The text.
    pub body: Text,
}

fn text_error(errors: &mut FieldErrors, field: &'static str, error: TextError, long: &'static str) {
    errors.insert(
        field,
        match error {
            TextError::Missing => "checkout-error-required",
            TextError::TooLong => long,
        },
    );
}

impl ContactForm {
    /// The message, or what to fix per field.
    pub fn parse(&self, kind: Kind) -> Result<NewMessage, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = Text::required(&self.name, NAME_MAX)
            .map_err(|e| text_error(&mut errors, "name", e, "contact-error-name-long"))
            .ok();
        let email = crate::accounts::model::account_email(&self.email);
        if email.is_none() {
            errors.insert("email", "checkout-error-email");
        }
        let order_number = match kind {
            Kind::Question => None,
            Kind::Complaint => {
                let typed = self.order_number.trim().to_uppercase();
                let fine = typed.chars().count() <= ORDER_NUMBER_MAX
                    && typed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                if !fine {
                    errors.insert("order_number", "contact-error-order-number");
                }
                Some(typed).filter(|t| !t.is_empty())
            }
        };
        let body = Text::required(&self.message, BODY_MAX)
            .map_err(|e| text_error(&mut errors, "message", e, "contact-error-message-long"))
            .ok();
        match (name, email, body) {
            (Some(name), Some(email), Some(body)) if errors.is_empty() => Ok(NewMessage {
                kind,
                name,
                email,
                order_number,
                body,
            }),
            _ => Err(errors),
        }
    }
}

/// Stores a message in the queue; its number.
pub fn submit(
    conn: &mut DbConn,
    message: &NewMessage,
    lang: Lang,
    customer_id: Option<i64>,
) -> QueryResult<i64> {
    let now = crate::db::now();
    diesel::insert_into(contact_messages::table)
        .values((
            contact_messages::kind.eq(message.kind.as_str()),
            contact_messages::name.eq(message.name.as_str()),
            contact_messages::email.eq(message.email.as_str()),
            contact_messages::order_number.eq(message.order_number.as_deref()),
            contact_messages::body.eq(message.body.as_str()),
            contact_messages::lang.eq(lang.code()),
            contact_messages::customer_id.eq(customer_id),
            contact_messages::created_at.eq(now),
            contact_messages::updated_at.eq(now),
        ))
        .returning(contact_messages::id)
        .get_result(conn)
}

/// A message as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contact_messages)]
pub struct Message {
    /// Its number.
    pub id: i64,
    /// `question` or `complaint`.
    pub kind: String,
    /// `open`, `answered` or `closed`.
    pub status: String,
    /// The sender's name.
    pub name: String,
    /// Where the answer goes.
    pub email: String,
    /// The order a complaint is about, as typed.
    pub order_number: Option<String>,
    /// The text.
    pub body: String,
    /// The language to answer in.
    pub lang: String,
    /// The sender's account, when they were logged in.
    pub customer_id: Option<i64>,
    /// When it came in.
    pub created_at: NaiveDateTime,
    /// The last answer, closing or reopening.
    pub updated_at: NaiveDateTime,
}

impl Message {
    /// The status (open for a value this version does not know).
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Open)
    }

    /// The kind.
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Question)
    }

    /// The language of the answer.
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.lang).unwrap_or(Lang::Nl)
    }
}

/// An answer in a thread: when, who (a staff name; `None` once they left), what.
pub type Reply = (NaiveDateTime, Option<String>, String);

/// A message with its answers, oldest first, and the order it names when that exists.
#[derive(Debug, Clone)]
pub struct Thread {
    /// The message.
    pub message: Message,
    /// The answers.
    pub replies: Vec<Reply>,
    /// The id of the order whose number the complaint names.
    pub order_id: Option<i64>,
}

/// The queue: messages with `status` (every status for `None`), oldest first, so the one
/// waiting longest is on top; at most 500.
pub fn queue(conn: &mut DbConn, status: Option<Status>) -> QueryResult<Vec<Message>> {
    let mut query = contact_messages::table
        .select(Message::as_select())
        .order((contact_messages::created_at, contact_messages::id))
        .limit(500)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(contact_messages::status.eq(status.as_str()));
    }
    query.load(conn)
}

/// How many messages wait for an answer (for the staff start page).
pub fn open_count(conn: &mut DbConn) -> QueryResult<i64> {
    contact_messages::table
        .filter(contact_messages::status.eq(Status::Open.as_str()))
        .count()
        .get_result(conn)
}

/// One message and its thread.
pub fn thread(conn: &mut DbConn, id: i64) -> QueryResult<Option<Thread>> {
    let Some(message) = contact_messages::table
        .find(id)
        .select(Message::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let replies = contact_replies::table
        .left_join(staff::table)
        .filter(contact_replies::message_id.eq(id))
        .order(contact_replies::id)
        .select((
            contact_replies::created_at,
            staff::name.nullable(),
            contact_replies::body,
        ))
        .load(conn)?;
    let order_id = match &message.order_number {
        Some(number) => orders::table
            .filter(orders::number.eq(number))
            .select(orders::id)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Some(Thread {
        message,
        replies,
        order_id,
    }))
}

/// Records that staff member `staff_id` opened message `id` (P14): its number and whose it is.
pub fn record_view(conn: &mut DbConn, thread: &Thread, staff_id: i64) -> QueryResult<()> {
    super::audit::record(
        conn,
        &[super::audit::Look {
            action: "message_view",
            staff_id: Some(staff_id),
            customer_id: thread.message.customer_id,
            subject: format!("message:{}", thread.message.id),
        }],
    )
}

/// Answers message `id`: the answer joins the thread, goes to the sender by e-mail in their
/// language, and the message is marked answered — in one transaction.
pub fn answer(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    body: &Text,
    mail: &crate::mail::messages::MailContext,
) -> Result<(), AppError> {
    conn.write_tx(|conn| {
        let thread = thread(conn, id)?.ok_or(AppError::NotFound)?;
        let now = crate::db::now();
        diesel::insert_into(contact_replies::table)
            .values((
                contact_replies::message_id.eq(id),
                contact_replies::staff_id.eq(staff_id),
                contact_replies::body.eq(body.as_str()),
                contact_replies::created_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(contact_messages::table.find(id))
            .set((
                contact_messages::status.eq(Status::Answered.as_str()),
                contact_messages::updated_at.eq(now),
            ))
            .execute(conn)?;
        super::contact_mail::answer(mail, &thread.message, body.as_str())?.queue(conn)?;
        super::audit::record(
            conn,
            &[super::audit::Look {
                action: "message_answer",
                staff_id: Some(staff_id),
                customer_id: thread.message.customer_id,
                subject: format!("message:{id}"),
            }],
        )?;
        Ok(())
    })
}

/// Closes or reopens message `id`; `false` when there is no such message.
pub fn set_status(conn: &mut DbConn, id: i64, status: Status) -> QueryResult<bool> {
    let changed = diesel::update(contact_messages::table.find(id))
        .set((
            contact_messages::status.eq(status.as_str()),
            contact_messages::updated_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Deletes handled messages (answered or closed) whose last answer or closing is older than
/// `before`, with their threads (P15); open ones wait for their answer. Safe on several
/// instances at once: a row deleted twice is deleted once.
pub fn forget_handled_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    conn.write_tx(|conn| {
        let ids: Vec<i64> = contact_messages::table
            .filter(contact_messages::status.ne(Status::Open.as_str()))
            .filter(contact_messages::updated_at.lt(before))
            .select(contact_messages::id)
            .load(conn)?;
        diesel::delete(contact_replies::table.filter(contact_replies::message_id.eq_any(&ids)))
            .execute(conn)?;
        diesel::delete(contact_messages::table.filter(contact_messages::id.eq_any(&ids)))
            .execute(conn)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, email: &str, order: &str, message: &str) -> ContactForm {
        ContactForm {
            name: name.into(),
            email: email.into(),
            order_number: order.into(),
            message: message.into(),
        }
    }

    #[test]
    fn a_complaint_keeps_its_order_number_and_a_question_never_has_one() {
        let complaint = form("Ans", "Ans@Example.nl ", " b-2026-000012 ", "Verwelkt.")
            .parse(Kind::Complaint)
            .unwrap();
        assert_eq!(complaint.order_number.as_deref(), Some("B-2026-000012"));
        assert_eq!(complaint.email.as_str(), "ans@example.nl");
        let question = form("Ans", "ans@example.nl", "B-1", "Open op zondag?")
            .parse(Kind::Question)
            .unwrap();
        assert_eq!(question.order_number, None);
    }

    #[test]
    fn each_wrong_field_says_what_to_fix_and_the_limits_are_named() {
        let errors = form("", "ans@", "B-2026; DROP", &"x".repeat(100_000))
            .parse(Kind::Complaint)
            .unwrap_err();
        assert_eq!(errors.get("name"), Some(&"checkout-error-required"));
        assert_eq!(errors.get("email"), Some(&"checkout-error-email"));
        assert_eq!(
            errors.get("order_number"),
            Some(&"contact-error-order-number")
        );
        assert_eq!(errors.get("message"), Some(&"contact-error-message-long"));
    }

    #[test]
    fn a_header_injection_in_the_address_is_refused() {
        for bad in [
            "ans@example.nl\r\nBcc: all@example.nl",
            "ans@example.nl\nSubject: hi",
            "ans@example.nl, other@example.nl",
        ] {
            let errors = form("Ans", bad, "", "Hallo")
                .parse(Kind::Question)
                .unwrap_err();
            assert_eq!(
                errors.get("email"),
                Some(&"checkout-error-email"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn control_characters_are_removed_from_the_text() {
        let message = form(
            "Ans\u{0}",
            "ans@example.nl",
            "",
            "Hallo\u{7}\r\nwereld\u{1b}",
        )
        .parse(Kind::Question)
        .unwrap();
        assert_eq!(message.name.as_str(), "Ans");
        assert_eq!(message.body.as_str(), "Hallo\nwereld");
    }
}
