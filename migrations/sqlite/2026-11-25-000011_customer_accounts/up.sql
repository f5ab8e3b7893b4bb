-- Consumer accounts (P3: name, e-mail and password; phone optional; a confirmation of being 16
-- or older instead of a birth date, P20), their single-use links (only a hash of each token is
-- kept), their address book, and the account an order belongs to.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    password_hash TEXT NOT NULL,
    lang TEXT NOT NULL,
    age_confirmed_at TIMESTAMP NOT NULL,
    email_verified_at TIMESTAMP,
    -- Raised when the password changes, which ends every other login of the account.
    session_version INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);

CREATE TABLE customer_tokens (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'email')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_tokens_customer_idx ON customer_tokens (customer_id);

CREATE TABLE customer_addresses (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('own', 'recipient')),
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    phone TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id);

ALTER TABLE orders ADD COLUMN customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL;
CREATE INDEX orders_customer_idx ON orders (customer_id);
-- Linking guest orders to an account looks them up by address, however it was typed.
CREATE INDEX orders_guest_email_idx ON orders (lower(sender_email)) WHERE customer_id IS NULL;
