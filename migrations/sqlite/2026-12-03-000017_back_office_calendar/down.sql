DROP TABLE staff_changes;
CREATE TABLE calendar_old (
    day DATE PRIMARY KEY,
    open BOOLEAN NOT NULL,
    note TEXT NOT NULL
);
INSERT INTO calendar_old (day, open, note)
    SELECT day, open, note FROM calendar_overrides WHERE open IS NOT NULL;
DROP TABLE calendar_overrides;
ALTER TABLE calendar_old RENAME TO calendar_overrides;
