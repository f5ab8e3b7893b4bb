DROP TABLE staff_changes;
DELETE FROM calendar_overrides WHERE open IS NULL;
ALTER TABLE calendar_overrides DROP COLUMN cutoff;
ALTER TABLE calendar_overrides DROP COLUMN capacity;
ALTER TABLE calendar_overrides ALTER COLUMN note DROP DEFAULT;
ALTER TABLE calendar_overrides ALTER COLUMN open SET NOT NULL;
