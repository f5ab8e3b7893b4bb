-- The order number is `B-<year>-<id, six digits or more>`. The shop inserts the `B-<year>-`
-- prefix (the year in Europe/Amsterdam) and this trigger completes it from the new id, so
-- placing an order needs no second statement to write its number. (SQLite's writers take
-- turns, so no other order can meet the bare prefix in the unique index meanwhile.)
CREATE TRIGGER orders_complete_number AFTER INSERT ON orders
BEGIN
    UPDATE orders SET number = NEW.number || printf('%06d', NEW.id) WHERE id = NEW.id;
END;
