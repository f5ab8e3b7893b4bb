//! Refunds: money sent back through the payment provider. A refund is first recorded in the
//! transaction that decides it (a cancelled order's whole payment: at most one per order, by a
//! unique index), then sent: one request claims it (`pending` → `sending`), asks the provider
//! with the refund's own idempotency key, and records the answer. A second press, a retry or
//! two instances at once therefore never pay twice. Money paid at the shop's counter is handed
//! back there: its refund is recorded as `counter` and never sent.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{orders, payments, refunds};
use crate::db::{Db, DbConn};
use crate::error::AppError;
use crate::money::Money;
use crate::payment::{PaymentProvider, Provider, ProviderError, RefundRequest};

/// A refund as the order page shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refunds)]
pub struct RefundRow {
    pub id: i64,
    pub amount_cents: i64,
    pub status: String,
    pub provider_refund_id: Option<String>,
    pub created_at: NaiveDateTime,
}

impl RefundRow {
    /// The amount.
    pub fn amount(&self) -> Money {
        Money::from_cents(self.amount_cents)
    }

    /// Catalogue key of its state in staff's words.
    pub fn status_key(&self) -> &'static str {
        match self.status.as_str() {
            "accepted" => "refund-accepted",
            "failed" => "refund-failed",
            AT_COUNTER => "refund-counter",
            _ => "refund-pending",
        }
    }

    /// Whether it is handed back at the counter rather than sent.
    pub fn at_counter(&self) -> bool {
        self.status == AT_COUNTER
    }

    /// Whether staff may send it (again): recorded but never sent, or refused.
    pub fn can_retry(&self) -> bool {
        matches!(self.status.as_str(), "pending" | "failed")
    }
}

/// The status of a refund of money paid at the counter: handed back there, never sent.
pub const AT_COUNTER: &str = "counter";

/// Refunds just recorded: those to send to the provider, and how much goes back which way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The refunds to send to the payment provider.
    pub to_send: Vec<i64>,
    /// The sum of those.
    pub online: Money,
    /// What is handed back at the shop's counter (it was paid there).
    pub at_counter: Money,
}

impl Recorded {
    fn add(&mut self, id: i64, amount: Money, at_counter: bool) {
        if at_counter {
            self.at_counter = Money::from_cents(self.at_counter.cents() + amount.cents());
        } else {
            self.to_send.push(id);
            self.online = Money::from_cents(self.online.cents() + amount.cents());
        }
    }

    /// An order's refunds summed up (every one counts: a refused one is still owed).
    pub fn of(rows: &[RefundRow]) -> Recorded {
        let mut recorded = Recorded::default();
        for row in rows {
            recorded.add(row.id, row.amount(), row.at_counter());
        }
        recorded
    }

    /// Whether anything goes back.
    pub fn is_empty(&self) -> bool {
        self.online.cents() == 0 && self.at_counter.cents() == 0
    }
}

/// A paid payment with money left to refund.
#[derive(Debug, Clone, Copy)]
pub struct Refundable {
    /// The payment's row id.
    pub payment_id: i64,
    /// What is left of it.
    pub left: Money,
    /// Whether it was paid at the shop's counter (and so goes back there).
    pub at_counter: bool,
}

/// What is left to refund of each paid payment of an order: `(payment row id, amount)`, the
/// oldest payment first. Every refund recorded counts (a refused one may still be sent again).
pub fn refundable(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<Refundable>> {
    let paid: Vec<(i64, i64, String)> = payments::table
        .filter(payments::order_id.eq(order_id))
        .filter(payments::status.eq("paid"))
        .order(payments::id)
        .select((payments::id, payments::amount_cents, payments::provider))
        .load(conn)?;
    let refunded: Vec<(i64, i64)> = refunds::table
        .filter(refunds::order_id.eq(order_id))
        .select((refunds::payment_id, refunds::amount_cents))
        .load(conn)?;
    Ok(paid
        .into_iter()
        .map(|(id, cents, provider)| {
            let back: i64 = refunded
                .iter()
                .filter(|(p, _)| *p == id)
                .map(|(_, c)| c)
                .sum();
            Refundable {
                payment_id: id,
                left: Money::from_cents(cents - back),
                at_counter: provider == crate::ordering::service::PAID_IN_SHOP,
            }
        })
        .filter(|r| r.left.cents() > 0)
        .collect())
}

/// The sum of what is left to refund of an order's payments (`None`: nothing paid online).
pub fn refundable_total(conn: &mut DbConn, order_id: i64) -> QueryResult<Option<Money>> {
    let cents: i64 = refundable(conn, order_id)?
        .iter()
        .map(|r| r.left.cents())
        .sum();
    Ok((cents > 0).then(|| Money::from_cents(cents)))
}

fn insert(
    conn: &mut DbConn,
    order_id: i64,
    from: &Refundable,
    kind: &str,
    amount: Money,
    staff_id: i64,
    recorded: &mut Recorded,
) -> QueryResult<()> {
    let now = crate::db::now();
    let at_counter = from.at_counter;
    let id = diesel::insert_into(refunds::table)
        .values((
            refunds::order_id.eq(order_id),
            refunds::payment_id.eq(from.payment_id),
            refunds::kind.eq(kind),
            refunds::amount_cents.eq(amount.cents()),
            refunds::status.eq(if at_counter { AT_COUNTER } else { "pending" }),
            refunds::staff_id.eq(Some(staff_id)),
            refunds::created_at.eq(now),
            refunds::updated_at.eq(now),
        ))
        .returning(refunds::id)
        .get_result(conn)?;
    recorded.add(id, amount, at_counter);
    Ok(())
}

/// Records the refund of everything still paid for a cancelled order, one per payment
/// (`None`: nothing was paid, e.g. an order on account). Call inside the cancelling transaction.
pub fn record_cancel(
    conn: &mut DbConn,
    order_id: i64,
    staff_id: i64,
) -> QueryResult<Option<Recorded>> {
    let mut recorded = Recorded::default();
    for from in refundable(conn, order_id)? {
        insert(
            conn,
            order_id,
            &from,
            "cancel",
            from.left,
            staff_id,
            &mut recorded,
        )?;
    }
    if recorded.is_empty() {
        return Ok(None);
    }
    crate::privacy::audit::staff_act(conn, "refund", staff_id, format!("order:{order_id}"))?;
    Ok(Some(recorded))
}

/// Records the refund of part of what was paid (an order made cheaper): from the payments with
/// money left, oldest first. `None` when less is left than `amount` (nothing recorded).
pub fn record_partial(
    conn: &mut DbConn,
    order_id: i64,
    amount: Money,
    staff_id: i64,
) -> QueryResult<Option<Recorded>> {
    let left = refundable(conn, order_id)?;
    if left.iter().map(|r| r.left.cents()).sum::<i64>() < amount.cents() {
        return Ok(None);
    }
    let (mut due, mut recorded) = (amount.cents(), Recorded::default());
    for from in left {
        if due == 0 {
            break;
        }
        let part = due.min(from.left.cents());
        let part_money = Money::from_cents(part);
        insert(
            conn,
            order_id,
            &from,
            "partial",
            part_money,
            staff_id,
            &mut recorded,
        )?;
        due -= part;
    }
    crate::privacy::audit::staff_act(conn, "refund", staff_id, format!("order:{order_id}"))?;
    Ok(Some(recorded))
}

/// An order's refunds, oldest first.
pub fn of_order(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<RefundRow>> {
    refunds::table
        .filter(refunds::order_id.eq(order_id))
        .order(refunds::id)
        .select(RefundRow::as_select())
        .load(conn)
}

/// The refund of an order with this id, if it is that order's.
pub fn find(conn: &mut DbConn, order_id: i64, id: i64) -> QueryResult<Option<RefundRow>> {
    refunds::table
        .filter(refunds::order_id.eq(order_id))
        .filter(refunds::id.eq(id))
        .select(RefundRow::as_select())
        .first(conn)
        .optional()
}

/// How long a refund may stay claimed before it counts as abandoned (its request died between
/// claiming and recording the answer); sending it again is safe under its idempotency key.
const CLAIM_MINUTES: i64 = 5;

/// Takes a pending, refused or abandoned refund for sending; what the provider needs, or
/// `None` when another request has it or it was accepted already.
fn claim(conn: &mut DbConn, id: i64) -> QueryResult<Option<RefundRequest>> {
    let stale = crate::db::now() - chrono::Duration::minutes(CLAIM_MINUTES);
    conn.write_tx(|conn| {
        let claimed = diesel::update(
            refunds::table.filter(refunds::id.eq(id)).filter(
                refunds::status
                    .eq_any(["pending", "failed"])
                    .or(refunds::status
                        .eq("sending")
                        .and(refunds::updated_at.lt(stale))),
            ),
        )
        .set((
            refunds::status.eq("sending"),
            refunds::updated_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
        if claimed == 0 {
            return Ok(None);
        }
        let (payment_id, amount, number): (String, i64, String) = refunds::table
            .inner_join(payments::table)
            .inner_join(orders::table)
            .filter(refunds::id.eq(id))
            .select((
                payments::provider_payment_id,
                refunds::amount_cents,
                orders::number,
            ))
            .first(conn)?;
        Ok(Some(RefundRequest {
            payment_id,
            amount: Money::from_cents(amount),
            description: number,
            idempotency_key: format!("bloei-refund-{id}"),
        }))
    })
}

/// What became of sending a refund, from the best news to the worst (so several sends are
/// summed up by the worst).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sent {
    /// Another request is sending it, or it was accepted before.
    AlreadyHandled,
    /// The provider took it.
    Accepted,
    /// The provider could not be reached; it stays pending, to be sent again.
    TryLater,
    /// The provider refused it (e.g. more than is left of the payment).
    Refused,
}

/// Sends a recorded refund to the provider and records the answer.
pub async fn send(db: &Db, provider: &Provider, id: i64) -> Result<Sent, AppError> {
    let Some(request) = db.run(move |conn| Ok(claim(conn, id)?)).await? else {
        return Ok(Sent::AlreadyHandled);
    };
    let answer = provider.refund(&request).await;
    let (status, provider_id, sent) = match answer {
        Ok(created) => ("accepted", Some(created.id), Sent::Accepted),
        Err(ProviderError::Unreachable(reason)) => {
            tracing::warn!(refund = id, %reason, "refund not sent; it stays pending");
            ("pending", None, Sent::TryLater)
        }
        Err(e) => {
            tracing::error!(refund = id, error = %e, "the payment provider refused a refund");
            ("failed", None, Sent::Refused)
        }
    };
    db.run(move |conn| {
        diesel::update(refunds::table.find(id))
            .set((
                refunds::status.eq(status),
                refunds::provider_refund_id.eq(provider_id),
                refunds::updated_at.eq(crate::db::now()),
            ))
            .execute(conn)?;
        Ok(())
    })
    .await?;
    Ok(sent)
}
