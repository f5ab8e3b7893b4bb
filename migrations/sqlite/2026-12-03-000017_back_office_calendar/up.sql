-- The owner's calendar: a date may keep the usual open/closed decision (`open` NULL) and only
-- change its capacity or its same-day cut-off; `note` is the reason customers are shown.
-- SQLite cannot drop NOT NULL from a column, so the table is rebuilt.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY,
    open BOOLEAN,
    note TEXT NOT NULL DEFAULT '',
    capacity INTEGER,
    cutoff TEXT
);
INSERT INTO calendar_days (day, open, note) SELECT day, open, note FROM calendar_overrides;
DROP TABLE calendar_overrides;
ALTER TABLE calendar_days RENAME TO calendar_overrides;

-- What staff changed in the back office: who (kept when the staff member leaves, as NULL),
-- when, and what, per subject (`calendar:2026-12-24`, `zone:3`, `product:7`).
CREATE TABLE staff_changes (
    id INTEGER PRIMARY KEY,
    staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_changes_subject_idx ON staff_changes (subject, created_at);
