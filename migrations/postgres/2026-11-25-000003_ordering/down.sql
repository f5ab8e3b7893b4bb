DROP TABLE payments;
DROP TABLE order_line_addons;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE delivery_days;
DROP TABLE calendar_overrides;
DROP TABLE delivery_zones;
