-- Every login is a row, so logging out ends it on the server too: a copy of the session cookie
-- is worth nothing after logout. Only a hash of the login's random token is stored; the
-- session cookie holds the token. Rows go at logout, at the next login after they expired, and
-- with the account.
CREATE TABLE customer_logins (
    id INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX customer_logins_customer_idx ON customer_logins (customer_id);

CREATE TABLE staff_logins (
    id INTEGER PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_logins_staff_idx ON staff_logins (staff_id);
