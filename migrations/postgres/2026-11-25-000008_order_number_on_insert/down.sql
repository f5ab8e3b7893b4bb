DROP TRIGGER orders_complete_number ON orders;
DROP FUNCTION orders_complete_number();
