CREATE TABLE customer_tokens_old (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO customer_tokens_old SELECT id, customer_id, purpose, token_hash, new_email, expires_at, used_at, created_at FROM customer_tokens WHERE purpose <> 'stop-reminders';
DROP TABLE customer_tokens;
ALTER TABLE customer_tokens_old RENAME TO customer_tokens;
CREATE INDEX customer_tokens_customer_idx ON customer_tokens (customer_id);
