ALTER TABLE orders DROP COLUMN courier_id;
