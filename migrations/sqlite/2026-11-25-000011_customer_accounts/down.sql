DROP INDEX orders_guest_email_idx;
DROP INDEX orders_customer_idx;
ALTER TABLE orders DROP COLUMN customer_id;
DROP TABLE customer_addresses;
DROP TABLE customer_tokens;
DROP TABLE customers;
