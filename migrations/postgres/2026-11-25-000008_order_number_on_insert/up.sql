-- The order number is `B-<year>-<id, six digits or more>`. The shop inserts the `B-<year>-`
-- prefix (the year in Europe/Amsterdam) and this trigger completes it from the new id, so
-- placing an order needs no second statement to write its number.
CREATE FUNCTION orders_complete_number() RETURNS trigger AS $$
BEGIN
    NEW.number := NEW.number || lpad(NEW.id::text, greatest(6, length(NEW.id::text)), '0');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_complete_number BEFORE INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_complete_number();
