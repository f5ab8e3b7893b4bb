-- Reminder mails carry a link that stops them without logging in (P11); its token's hash is a
-- customer token like the others. SQLite cannot change a CHECK constraint, so the table is
-- rebuilt (nothing references it).
CREATE TABLE customer_tokens_new (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email', 'stop-reminders')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO customer_tokens_new SELECT id, customer_id, purpose, token_hash, new_email, expires_at, used_at, created_at FROM customer_tokens;
DROP TABLE customer_tokens;
ALTER TABLE customer_tokens_new RENAME TO customer_tokens;
CREATE INDEX customer_tokens_customer_idx ON customer_tokens (customer_id);
