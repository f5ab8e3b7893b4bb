DROP TRIGGER orders_complete_number;
