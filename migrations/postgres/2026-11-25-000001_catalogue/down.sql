DROP TABLE product_addons;
DROP TABLE product_occasions;
DROP TABLE product_variants;
DROP TABLE products;
DROP TABLE occasions;
DROP TABLE categories;
