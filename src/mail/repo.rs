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
}

/// Queues a message.
pub fn enqueue(
    conn: &mut DbConn,
    recipient: &str,
    subject: &str,
    body_text: &str,
    body_html: &str,
) -> QueryResult<()> {
    let now = crate::db::now();
    diesel::insert_into(outbox::table)
        .values((
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

/// Marks a message sent (by the worker that claimed it).
pub fn mark_sent(conn: &mut DbConn, id: i64, worker: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claimed_by.eq(worker)),
    )
    .set((
        outbox::status.eq("sent"),
        outbox::sent_at.eq(at),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
        outbox::last_error.eq(None::<String>),
    ))
    .execute(conn)
    .map(drop)
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
    .execute(conn)
    .map(drop)
}
