//! Outbox queries. Claiming is a conditional UPDATE, atomic on both backends, so an instance
//! only sends the rows it won.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::outbox;

/// A message waiting to be sent.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i32,
    /// The unsubscribe URL of a marketing mail (`List-Unsubscribe`, RFC 8058).
    pub list_unsubscribe: Option<String>,
}

/// How a queued message is handled beyond sending it.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The unsubscribe URL, for marketing mail.
    pub list_unsubscribe: Option<String>,
    /// Forget address and body once sent (the confirmation of an erasure).
    pub erase_after_sending: bool,
}

/// Queues a message.
pub fn enqueue(
    conn: &mut DbConn,
    recipient: &str,
    subject: &str,
    body_text: &str,
    body_html: &str,
) -> QueryResult<()> {
    enqueue_with(
        conn,
        recipient,
        subject,
        body_text,
        body_html,
        &Extras::default(),
    )
}

/// Queues a message with `extras`. The message is linked to the account with that address,
/// if any, so the account's export lists it and its erasure removes it.
pub fn enqueue_with(
    conn: &mut DbConn,
    recipient: &str,
    subject: &str,
    body_text: &str,
    body_html: &str,
    extras: &Extras,
) -> QueryResult<()> {
    use crate::db::schema::customers;
    let now = crate::db::now();
    // Looked up inside the INSERT itself (no extra round trip); none for a mail that must
    // forget its recipient.
    let account = customers::table
        .filter(customers::email.eq(recipient.to_lowercase()))
        .filter(diesel::dsl::not(
            extras
                .erase_after_sending
                .into_sql::<diesel::sql_types::Bool>(),
        ))
        .select(customers::id)
        .single_value();
    diesel::insert_into(outbox::table)
        .values((
            outbox::customer_id.eq(account),
            outbox::list_unsubscribe.eq(extras.list_unsubscribe.as_deref()),
            outbox::erase_after_sending.eq(extras.erase_after_sending),
            outbox::recipient.eq(recipient),
            outbox::subject.eq(subject),
            outbox::body_text.eq(body_text),
            outbox::body_html.eq(body_html),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Ids of pending messages that are due and not claimed by a live claim.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::next_attempt_at.le(now))
        .filter(
            outbox::claimed_until
                .is_null()
                .or(outbox::claimed_until.lt(now)),
        )
        .order(outbox::id)
        .limit(limit)
        .select(outbox::id)
        .load(conn)
}

/// Claims a message for `worker` until `until`; `None` when another worker got it first.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    worker: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<OutboxRow>> {
    let won = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq("pending"))
            .filter(
                outbox::claimed_until
                    .is_null()
                    .or(outbox::claimed_until.lt(now)),
            ),
    )
    .set((
        outbox::claimed_by.eq(worker),
        outbox::claimed_until.eq(until),
        outbox::attempts.eq(outbox::attempts + 1),
    ))
    .execute(conn)?;
    if won == 0 {
        return Ok(None);
    }
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a message sent (by the worker that claimed it). A message marked to be erased after
/// sending keeps neither address nor body (P5: the confirmation of an account's erasure).
/// Returns whether the content was forgotten on the spot (an erasure's confirmation).
pub fn mark_sent(conn: &mut DbConn, id: i64, worker: &str, at: NaiveDateTime) -> QueryResult<bool> {
    conn.write_tx(|conn| {
        let mine = outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claimed_by.eq(worker));
        diesel::update(mine)
            .set((
                outbox::status.eq("sent"),
                outbox::sent_at.eq(at),
                outbox::claimed_until.eq(None::<NaiveDateTime>),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
        forget_content(conn, id)
    })
}

/// Of these outbox ids, those whose message is still there with its content.
pub fn holding_content(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<i64>> {
    outbox::table
        .filter(outbox::id.eq_any(ids))
        .filter(outbox::recipient.ne(""))
        .select(outbox::id)
        .load(conn)
}

/// Blanks address and content of a message marked to be erased once it is done with; whether
/// it was so marked.
fn forget_content(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::erase_after_sending.eq(true)),
    )
    .set((
        outbox::recipient.eq(""),
        outbox::subject.eq(""),
        outbox::body_text.eq(""),
        outbox::body_html.eq(""),
        outbox::last_error.eq(None::<String>),
    ))
    .execute(conn)
    .map(|n| n > 0)
}

/// Forgets messages done with before `before` (the data map keeps them 30 days): sent ones by
/// when they were sent, given-up ones by when they were queued. Returns how many went.
pub fn forget_sent_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        outbox::table.filter(
            outbox::status
                .eq("sent")
                .and(outbox::sent_at.lt(before))
                .or(outbox::status
                    .eq("failed")
                    .and(outbox::created_at.lt(before))),
        ),
    )
    .execute(conn)
}

/// Records a failed attempt: retried at `retry_at`, or given up (`failed`) when `None`.
pub fn mark_failed(
    conn: &mut DbConn,
    id: i64,
    worker: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let status = if retry_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    conn.write_tx(|conn| {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq(id))
                .filter(outbox::claimed_by.eq(worker)),
        )
        .set((
            outbox::status.eq(status),
            outbox::next_attempt_at.eq(retry_at.unwrap_or_else(crate::db::now)),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
        // Given up: a message meant to be forgotten once sent is forgotten now too.
        if retry_at.is_none() {
            forget_content(conn, id)?;
        }
        Ok(())
    })
}

/// The outbox at a glance, for readiness and metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Backlog {
    /// Messages still to be sent.
    pub pending: i64,
    /// Messages given up on (kept 30 days).
    pub given_up: i64,
    /// When the oldest pending message was queued.
    pub oldest_queued: Option<NaiveDateTime>,
    /// The earliest time a pending message was due: long past means the sender is behind.
    pub oldest_due: Option<NaiveDateTime>,
    /// When the last message went out (kept 30 days).
    pub last_sent: Option<NaiveDateTime>,
}

/// Counts what waits in the outbox (three aggregate queries on the status index).
pub fn backlog(conn: &mut DbConn) -> QueryResult<Backlog> {
    use diesel::dsl::{count_star, max, min};
    let (pending, oldest_queued, oldest_due) = outbox::table
        .filter(outbox::status.eq("pending"))
        .select((
            count_star(),
            min(outbox::created_at),
            min(outbox::next_attempt_at),
        ))
        .first::<(i64, Option<NaiveDateTime>, Option<NaiveDateTime>)>(conn)?;
    let given_up = outbox::table
        .filter(outbox::status.eq("failed"))
        .count()
        .get_result(conn)?;
    let last_sent = outbox::table
        .filter(outbox::status.eq("sent"))
        .select(max(outbox::sent_at))
        .first::<Option<NaiveDateTime>>(conn)?;
    Ok(Backlog {
        pending,
        given_up,
        oldest_queued,
        oldest_due,
        last_sent,
    })
}
