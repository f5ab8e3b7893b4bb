-- Invoices are kept for the Dutch fiscal retention period (P15): seven years after the end of the
-- year they were issued in. Until then a DELETE is refused as before; after it, the retention
-- sweep removes them with the orders of those years.
DROP TRIGGER invoices_never_deleted;
CREATE TRIGGER invoices_kept_seven_years BEFORE DELETE ON invoices
WHEN OLD.issued_on >= date('now', 'start of year', '-7 years')
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice is kept seven years after its year; issue a credit note');
END;
