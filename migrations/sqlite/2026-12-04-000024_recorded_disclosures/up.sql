-- Disclosures staff record by hand (P10): personal data handed to someone outside the shop on a
-- legal ground, such as a police request — who received it, on what basis, what was sent, when,
-- and about whom (an account or an order).
CREATE TABLE disclosure_records (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    order_id BIGINT REFERENCES orders (id) ON DELETE SET NULL,
    recipient TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    data_sent TEXT NOT NULL,
    disclosed_on DATE NOT NULL,
    staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX disclosure_records_customer_idx ON disclosure_records (customer_id);
CREATE INDEX disclosure_records_order_idx ON disclosure_records (order_id);
