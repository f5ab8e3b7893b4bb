-- Invoices are kept for the Dutch fiscal retention period (P15): seven years after the end of the
-- year they were issued in. Until then a DELETE is refused as before; after it, the retention
-- sweep removes them with the orders of those years. Changing one stays refused.
DROP TRIGGER invoices_never_change ON invoices;
CREATE TRIGGER invoices_never_change BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_never_change();
CREATE FUNCTION invoices_kept_seven_years() RETURNS trigger AS $$
BEGIN
    IF OLD.issued_on >= (date_trunc('year', now()) - interval '7 years')::date THEN
        RAISE EXCEPTION 'an issued invoice is kept seven years after its year; issue a credit note';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoices_kept_seven_years BEFORE DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_kept_seven_years();
