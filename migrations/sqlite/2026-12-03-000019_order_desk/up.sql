-- The order desk: staff look orders up (each look at a customer's data is audited with who
-- and what: P14), undo a production step with a reason, and cancel and refund orders.
ALTER TABLE audit_log ADD COLUMN staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL;
ALTER TABLE audit_log ADD COLUMN subject TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_subject_idx ON audit_log (subject, created_at);

ALTER TABLE order_events ADD COLUMN note TEXT;

-- A payment is for the order, or for the difference after staff changed it (a dearer zone).
ALTER TABLE payments ADD COLUMN purpose TEXT NOT NULL DEFAULT 'order';

-- Money sent back to a customer through the payment provider. `kind` 'cancel' is what is left
-- of a payment when its order is cancelled: at most one per payment, so a second press cannot
-- pay twice; 'partial' is a difference after a change that made the order cheaper.
-- `status`: pending (recorded, not yet sent), sending (claimed by one request), accepted (the
-- provider took it), failed (the provider refused it; staff may try again).
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    payment_id BIGINT NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('cancel', 'partial')),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    status TEXT NOT NULL,
    provider_refund_id TEXT,
    staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX refunds_order_idx ON refunds (order_id);
CREATE UNIQUE INDEX refunds_one_cancel_idx ON refunds (payment_id) WHERE kind = 'cancel';
