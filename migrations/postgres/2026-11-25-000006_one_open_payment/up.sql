-- At most one open payment per order, so two concurrent retries cannot both start one.
CREATE UNIQUE INDEX payments_one_open_per_order ON payments (order_id) WHERE status = 'open';
