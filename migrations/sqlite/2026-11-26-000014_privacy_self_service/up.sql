-- Privacy self-service: newsletter subscriptions (double opt-in), the consent ledger (P2),
-- saved occasions for reminders, the audit log of exports (P14), the erasure log (P9), the
-- privacy statement version a customer accepted (P19), and what a sent e-mail keeps.
CREATE TABLE newsletter_subscribers (
    id INTEGER PRIMARY KEY,
    -- Lower-cased, one row per address.
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers (id) ON DELETE CASCADE,
    -- Where the sign-up was made (checkout, account, footer, staff).
    source TEXT NOT NULL,
    confirm_token_hash TEXT UNIQUE,
    confirm_expires_at TIMESTAMP,
    confirmed_at TIMESTAMP,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    unsubscribed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX newsletter_subscribers_customer_idx ON newsletter_subscribers (customer_id);

-- Append-only: every grant and withdrawal, with the wording version shown. The current state
-- is the latest event per purpose. Erasure removes only the link to the person.
CREATE TABLE consent_events (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    subscriber_id BIGINT REFERENCES newsletter_subscribers (id) ON DELETE SET NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('newsletter', 'profiling', 'ad_cookies', 'reminders')),
    granted BOOLEAN NOT NULL,
    wording_version INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('checkout', 'account', 'footer', 'banner', 'email', 'staff')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consent_events_customer_idx ON consent_events (customer_id, purpose);
CREATE INDEX consent_events_subscriber_idx ON consent_events (subscriber_id, purpose);
CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
WHEN NEW.purpose IS NOT OLD.purpose OR NEW.granted IS NOT OLD.granted
  OR NEW.wording_version IS NOT OLD.wording_version OR NEW.source IS NOT OLD.source
  OR NEW.created_at IS NOT OLD.created_at
  OR (NEW.customer_id IS NOT NULL AND NEW.customer_id IS NOT OLD.customer_id)
  OR (NEW.subscriber_id IS NOT NULL AND NEW.subscriber_id IS NOT OLD.subscriber_id)
BEGIN
    SELECT RAISE(ABORT, 'the consent ledger is append-only');
END;
CREATE TRIGGER consent_events_never_deleted BEFORE DELETE ON consent_events
BEGIN
    SELECT RAISE(ABORT, 'the consent ledger is append-only');
END;

-- Occasions a customer wants a reminder for: a name as they want to see it, a day and a month.
CREATE TABLE customer_occasions (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    last_reminded_year INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_occasions_customer_idx ON customer_occasions (customer_id);

-- Who looked at or took a copy of personal data (P14); never the content.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

-- That an erasure happened: a keyed hash of the address and the time, nothing else (P9).
CREATE TABLE erasure_log (
    id INTEGER PRIMARY KEY,
    subject_hash TEXT NOT NULL,
    erased_at TIMESTAMP NOT NULL
);

ALTER TABLE customers ADD COLUMN privacy_version TEXT;
ALTER TABLE customers ADD COLUMN privacy_accepted_at TIMESTAMP;

-- No foreign key: erasure deletes the account's messages itself, and SQLite cannot drop a
-- column that has one (the down migration).
ALTER TABLE outbox ADD COLUMN customer_id BIGINT;
ALTER TABLE outbox ADD COLUMN list_unsubscribe TEXT;
ALTER TABLE outbox ADD COLUMN erase_after_sending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX outbox_customer_idx ON outbox (customer_id);
