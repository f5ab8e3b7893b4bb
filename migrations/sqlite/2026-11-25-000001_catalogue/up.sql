-- The catalogue: categories, occasions, products with size variants, and which add-ons a
-- product offers. No personal data lives here (see src/privacy/data_map.rs).
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_en TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE occasions (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_en TEXT NOT NULL,
    vat_rate TEXT NOT NULL CHECK (vat_rate IN ('reduced', 'standard')),
    lead_time_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_days >= 0),
    active BOOLEAN NOT NULL DEFAULT 1,
    is_addon BOOLEAN NOT NULL DEFAULT 0,
    image TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX products_category_idx ON products (category_id);

CREATE TABLE product_variants (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    size TEXT NOT NULL CHECK (size IN ('S', 'M', 'L', 'one')),
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
    UNIQUE (product_id, size)
);

CREATE TABLE product_occasions (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    occasion_id BIGINT NOT NULL REFERENCES occasions (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, occasion_id)
);
CREATE INDEX product_occasions_occasion_idx ON product_occasions (occasion_id);

CREATE TABLE product_addons (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    addon_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, addon_id)
);
