//! Order-desk use cases: looking orders up (each look at a customer's data is written to the
//! audit log in the same transaction, P14), cancelling an order with the refund of what was
//! paid, and putting an order one step back when a step was taken by mistake.

use super::model::{Role, may_move};
use super::orders_repo::{self, Event, Hit, OrderDetail, PaymentLine};
use super::repo;
use crate::db::DbConn;
use crate::delivery::repo as delivery;
use crate::domain::OrderStatus;
use crate::error::AppError;
use crate::mail::messages::MailContext;
use crate::money::Money;
use crate::ordering::mails as messages;
use crate::ordering::refunds::{self, RefundRow};
use crate::ordering::repo::{self as orders, AddonRow, LineRow};
use crate::privacy::audit::{self, Look};

/// The shortest search: fewer characters would list half the shop's customers.
pub const QUERY_MIN: usize = 2;
/// The longest reason for undoing a step.
pub const REASON_MAX: usize = 200;

/// Finds orders and records, per order listed, that this staff member saw it.
pub fn search(conn: &mut DbConn, query: &str, staff_id: i64) -> Result<Vec<Hit>, AppError> {
    conn.write_tx(|conn| {
        let hits = orders_repo::search(conn, query)?;
        let looks: Vec<Look<'_>> = hits
            .iter()
            .map(|hit| Look {
                action: "order_search",
                staff_id: Some(staff_id),
                customer_id: hit.customer_id,
                subject: format!("order:{}", hit.id),
            })
            .collect();
        audit::record(conn, &looks)?;
        Ok(hits)
    })
}

/// Everything the order page shows.
pub struct OrderView {
    /// The order.
    pub order: OrderDetail,
    /// Its status.
    pub status: OrderStatus,
    /// Its lines with their add-ons.
    pub lines: Vec<(LineRow, Vec<AddonRow>)>,
    /// Its history.
    pub events: Vec<Event>,
    /// Its payments.
    pub payments: Vec<PaymentLine>,
    /// Its refunds.
    pub refunds: Vec<RefundRow>,
    /// The status the viewer may put it back to, if any.
    pub undo_to: Option<OrderStatus>,
    /// What a cancellation would refund (`Some(None)`: cancellable, nothing paid online).
    pub cancel: Option<Option<Money>>,
    /// What the customer still owes after a change (zero when settled).
    pub owed: Money,
    /// What is left of the online payments to send back (`None`: nothing).
    pub refundable: Option<Money>,
}

fn status_of(text: &str, id: i64) -> Result<OrderStatus, AppError> {
    OrderStatus::parse(text)
        .ok_or_else(|| AppError::internal(format!("order {id}: unknown status")))
}

/// The step `role` may undo on this order: back to the status before its last step, when that
/// step was a production or delivery step this role may take.
pub fn undoable(
    conn: &mut DbConn,
    order_id: i64,
    status: OrderStatus,
    delivery: bool,
    role: Role,
) -> Result<Option<OrderStatus>, AppError> {
    let Some((from, to)) = orders_repo::last_step(conn, order_id)? else {
        return Ok(None);
    };
    let (Some(from), Some(to)) = (OrderStatus::parse(&from), OrderStatus::parse(&to)) else {
        return Ok(None);
    };
    let forward = from.next_steps(delivery).contains(&to) && to != OrderStatus::Cancelled;
    Ok((to == status && forward && may_move(role, from, to)).then_some(from))
}

/// The order page's contents; records the look.
pub fn view(conn: &mut DbConn, id: i64, staff: (i64, Role)) -> Result<OrderView, AppError> {
    conn.write_tx(|conn| {
        let order = orders_repo::detail(conn, id)?.ok_or(AppError::NotFound)?;
        let status = status_of(&order.status, id)?;
        let delivery = order.fulfilment == "delivery";
        audit::record(
            conn,
            &[Look {
                action: "order_view",
                staff_id: Some(staff.0),
                customer_id: order.customer_id,
                subject: format!("order:{id}"),
            }],
        )?;
        let refundable = refunds::refundable_total(conn, id)?;
        let cancel = (status == OrderStatus::Confirmed).then_some(refundable);
        Ok(OrderView {
            lines: orders::lines_of(conn, id)?,
            events: orders_repo::events(conn, id)?,
            payments: orders_repo::payments_of(conn, id)?,
            refunds: refunds::of_order(conn, id)?,
            undo_to: undoable(conn, id, status, delivery, staff.1)?,
            owed: crate::ordering::change::balance(conn, id)?,
            refundable,
            cancel,
            order,
            status,
        })
    })
}

/// Cancels a confirmed order (before production): the status with who and when, the place on
/// its date given back, the refund of what was paid recorded, and the mail saying so — in one
/// transaction. A second press finds the order cancelled already: 409, nothing twice. Returns
/// what goes back (`None`: nothing was paid).
pub fn cancel(
    conn: &mut DbConn,
    id: i64,
    staff_id: i64,
    mail: &MailContext,
) -> Result<Option<refunds::Recorded>, AppError> {
    conn.write_tx(|conn| {
        let (current, date, _) = orders::known_state(conn, id)?;
        let from = status_of(&current, id)?;
        if from != OrderStatus::Confirmed {
            return Err(AppError::Conflict);
        }
        let to = OrderStatus::Cancelled;
        if !orders::set_status_if(conn, id, from.as_str(), to.as_str())? {
            return Err(AppError::Conflict);
        }
        crate::ordering::repo::insert_event(conn, id, from.as_str(), to.as_str(), staff_id, None)?;
        delivery::release_place(conn, date)?;
        let refund = refunds::record_cancel(conn, id, staff_id)?;
        messages::cancelled_with_refund(conn, id, refund.as_ref(), mail)?.queue(conn)?;
        Ok(refund)
    })
}

/// Why a refund was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundRefusal {
    /// Not an amount in euros and cents above zero.
    Amount(&'static str),
    /// More than is left of what was paid online.
    MoreThanPaid,
}

/// Records a refund of part of what was paid (a goodwill gesture, a wilted bouquet) and queues
/// the customer's mail saying how much and when, in one transaction; the refunds to send.
pub fn refund_part(
    conn: &mut DbConn,
    id: i64,
    typed: &str,
    staff_id: i64,
    mail: &MailContext,
) -> Result<Result<refunds::Recorded, RefundRefusal>, AppError> {
    let amount = match Money::parse_euros(typed) {
        Ok(amount) if amount.cents() > 0 => amount,
        Ok(_) => return Ok(Err(RefundRefusal::Amount("refund-error-zero"))),
        Err(e) => return Ok(Err(RefundRefusal::Amount(e.message_key()))),
    };
    conn.write_tx(|conn| {
        orders::lock(conn, id)?;
        let Some(recorded) = refunds::record_partial(conn, id, amount, staff_id)? else {
            return Ok(Err(RefundRefusal::MoreThanPaid));
        };
        messages::refunded(conn, id, &recorded, mail)?.queue(conn)?;
        Ok(Ok(recorded))
    })
}

/// Why a step could not be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoRefusal {
    /// No reason given, or one too long.
    Reason,
}

/// Puts an order back to the status before its last step, recording who and why. No mail:
/// the customer heard of the step only if it was good news, and hears of the next one.
pub fn undo_step(
    conn: &mut DbConn,
    id: i64,
    staff: (i64, Role),
    reason: &str,
) -> Result<Result<OrderStatus, UndoRefusal>, AppError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Ok(Err(UndoRefusal::Reason));
    }
    conn.write_tx(|conn| {
        let (current, _, _) = orders::known_state(conn, id)?;
        let status = status_of(&current, id)?;
        let delivery = orders::is_delivery(conn, id)?;
        let back = undoable(conn, id, status, delivery, staff.1)?.ok_or(AppError::Conflict)?;
        if staff.1 == Role::Courier && repo::courier_of(conn, id)? != Some(staff.0) {
            return Err(AppError::Forbidden);
        }
        if !orders::set_status_if(conn, id, status.as_str(), back.as_str())? {
            return Err(AppError::Conflict);
        }
        let (from, to) = (status.as_str(), back.as_str());
        crate::ordering::repo::insert_event(conn, id, from, to, staff.0, Some(reason))?;
        Ok(Ok(back))
    })
}
