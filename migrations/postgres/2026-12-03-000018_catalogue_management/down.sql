DROP TABLE product_photos;
ALTER TABLE products DROP COLUMN photo;
ALTER TABLE product_variants DROP COLUMN active;
ALTER TABLE product_variants DROP COLUMN description_en;
ALTER TABLE product_variants DROP COLUMN description_nl;
