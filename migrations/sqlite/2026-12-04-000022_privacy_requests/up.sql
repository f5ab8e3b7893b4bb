-- Privacy requests made by post, e-mail, phone or the contact form (P16-P18), recorded by
-- support: what is asked, by whom, when it came in and when it is due (four weeks later, once
-- extended with a reason), how the requester's identity was checked, and the outcome. Of an ID
-- document only that it was seen, its type and its last four characters are kept: never a copy.
CREATE TABLE privacy_requests (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'correction', 'erasure', 'objection', 'restriction', 'portability')),
    channel TEXT NOT NULL CHECK (channel IN ('post', 'email', 'phone', 'form')),
    requester_name TEXT NOT NULL,
    -- Where the notices and the outcome letter go.
    requester_email TEXT NOT NULL,
    -- The account the request is about, when the address is an account's.
    customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    details TEXT,
    received_on DATE NOT NULL,
    due_on DATE NOT NULL,
    extension_reason TEXT,
    -- 'account' (the account's own confirmed address or session), 'link' (a confirmation link to
    -- the address on file was followed) or 'document' (an ID document was seen).
    identity TEXT CHECK (identity IN ('account', 'link', 'document')),
    identity_checked_at TIMESTAMP,
    identity_staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    document_type TEXT CHECK (document_type IN ('passport', 'id_card', 'driving_licence', 'residence_permit')),
    document_last_four TEXT,
    -- The pending confirmation link: a hash of its token and when it stops working.
    confirm_token_hash TEXT,
    confirm_expires_at TIMESTAMP,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused')),
    outcome TEXT,
    closed_at TIMESTAMP,
    staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX privacy_requests_due_idx ON privacy_requests (status, due_on);
CREATE UNIQUE INDEX privacy_requests_token_idx ON privacy_requests (confirm_token_hash);
