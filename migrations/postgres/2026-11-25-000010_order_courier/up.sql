-- The courier whose run a delivery is on: couriers see only their own stops (P10, P14).
ALTER TABLE orders ADD COLUMN courier_id BIGINT REFERENCES staff (id) ON DELETE SET NULL;
