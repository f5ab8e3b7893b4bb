-- Ordering: delivery zones and calendar exceptions (seeded; staff screens come later), the
-- number of orders per delivery date (capacity), orders with their lines and add-ons, and the
-- payments made for them. Personal data lives only in `orders` (see src/privacy/data_map.rs).
CREATE TABLE delivery_zones (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    postcode_from INTEGER NOT NULL CHECK (postcode_from BETWEEN 1000 AND 9999),
    postcode_to INTEGER NOT NULL CHECK (postcode_to BETWEEN 1000 AND 9999),
    fee_cents BIGINT NOT NULL CHECK (fee_cents >= 0),
    position INTEGER NOT NULL DEFAULT 0,
    CHECK (postcode_from <= postcode_to)
);

CREATE TABLE calendar_overrides (
    day DATE PRIMARY KEY,
    open BOOLEAN NOT NULL,
    note TEXT NOT NULL
);

-- One row per delivery date that has orders; `booked` counts the orders holding a place. It is
-- raised with a conditional UPDATE, which is what keeps a date from exceeding its capacity
-- under concurrency on both backends.
CREATE TABLE delivery_days (
    day DATE PRIMARY KEY,
    booked INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    status_token TEXT NOT NULL UNIQUE,
    checkout_token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    lang TEXT NOT NULL,
    fulfilment TEXT NOT NULL CHECK (fulfilment IN ('delivery', 'pickup')),
    delivery_date DATE NOT NULL,
    sender_name TEXT NOT NULL,
    sender_email TEXT NOT NULL,
    sender_phone TEXT,
    recipient_name TEXT,
    recipient_street TEXT,
    recipient_postcode TEXT,
    recipient_city TEXT,
    recipient_phone TEXT,
    card_message TEXT,
    card_anonymous BOOLEAN NOT NULL DEFAULT 0,
    delivery_instructions TEXT,
    not_home TEXT,
    zone_name TEXT,
    goods_cents BIGINT NOT NULL,
    delivery_fee_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    vat_reduced_gross_cents BIGINT NOT NULL,
    vat_reduced_cents BIGINT NOT NULL,
    vat_standard_gross_cents BIGINT NOT NULL,
    vat_standard_cents BIGINT NOT NULL,
    payment_expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_delivery_date_idx ON orders (delivery_date, status);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    product_slug TEXT NOT NULL,
    product_name_nl TEXT NOT NULL,
    product_name_en TEXT NOT NULL,
    size TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT NOT NULL,
    vat_rate TEXT NOT NULL CHECK (vat_rate IN ('reduced', 'standard')),
    line_total_cents BIGINT NOT NULL
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);

CREATE TABLE order_line_addons (
    id INTEGER PRIMARY KEY,
    line_id BIGINT NOT NULL REFERENCES order_lines (id) ON DELETE CASCADE,
    addon_slug TEXT NOT NULL,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    vat_rate TEXT NOT NULL CHECK (vat_rate IN ('reduced', 'standard'))
);
CREATE INDEX order_line_addons_line_idx ON order_line_addons (line_id);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    provider_payment_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_order_idx ON payments (order_id);
