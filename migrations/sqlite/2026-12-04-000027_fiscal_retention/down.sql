DROP TRIGGER invoices_kept_seven_years;
CREATE TRIGGER invoices_never_deleted BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice is never deleted; issue a credit note');
END;
