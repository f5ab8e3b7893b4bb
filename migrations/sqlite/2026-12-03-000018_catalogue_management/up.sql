-- Catalogue management from the back office: a size says what it is (stems, height) and can be
-- taken off sale without losing its price; a product may have a photo, kept in the database as
-- a few re-encoded widths so every instance serves it and a backup holds it.
ALTER TABLE product_variants ADD COLUMN description_nl TEXT NOT NULL DEFAULT '';
ALTER TABLE product_variants ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE product_variants ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;

-- `photo` is the content hash the photo's URLs carry (NULL: the illustration is shown).
ALTER TABLE products ADD COLUMN photo TEXT;

CREATE TABLE product_photos (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    photo TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (photo, width)
);
CREATE INDEX product_photos_product_idx ON product_photos (product_id);
