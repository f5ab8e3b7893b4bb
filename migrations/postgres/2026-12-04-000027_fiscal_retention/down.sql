DROP TRIGGER invoices_kept_seven_years ON invoices;
DROP FUNCTION invoices_kept_seven_years();
DROP TRIGGER invoices_never_change ON invoices;
CREATE TRIGGER invoices_never_change BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoices_never_change();
