-- The audit log is append-only (P14): an entry never changes, except that the person or staff
-- member it names may be unlinked (an erasure, a removed staff account), and it is deleted only
-- by its own retention rule, two years after it was written.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
WHEN NEW.action IS NOT OLD.action OR NEW.subject IS NOT OLD.subject
  OR NEW.created_at IS NOT OLD.created_at
  OR (NEW.customer_id IS NOT NULL AND NEW.customer_id IS NOT OLD.customer_id)
  OR (NEW.staff_id IS NOT NULL AND NEW.staff_id IS NOT OLD.staff_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_kept_two_years BEFORE DELETE ON audit_log
WHEN OLD.created_at > datetime('now', '-730 days')
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE INDEX audit_log_staff_idx ON audit_log (staff_id, created_at);

-- Personal data that went to someone outside the shop's office (P10): a courier's delivery list
-- (which orders' delivery details went to which courier), recorded once per order and courier.
CREATE TABLE disclosures (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- 'courier': the recipient's name, address, phone and instructions, for the delivery.
    kind TEXT NOT NULL CHECK (kind IN ('courier')),
    -- The staff member (courier) it went to.
    recipient_staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX disclosures_once_idx ON disclosures (order_id, kind, recipient_staff_id);
