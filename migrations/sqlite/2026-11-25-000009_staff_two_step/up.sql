-- Two-step login for owner and support: the TOTP secret (base32) once confirmed, the last time
-- step a code was accepted for (so a code works once), and single-use recovery codes (hashed).
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;

CREATE TABLE staff_recovery_codes (
    id INTEGER PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX staff_recovery_codes_staff_idx ON staff_recovery_codes (staff_id);
