-- Questions and complaints sent with the contact and complaint forms (P7), and the staff's
-- answers, which go to the sender by e-mail. The free text is personal data: kept until the
-- message is handled and a year after, and deleted with the sender's account.
CREATE TABLE contact_messages (
    id INTEGER PRIMARY KEY,
    -- 'question' (/contact) or 'complaint' (/klacht).
    kind TEXT NOT NULL CHECK (kind IN ('question', 'complaint')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- The order a complaint is about, as typed (optional).
    order_number TEXT,
    body TEXT NOT NULL,
    -- The language the answer is written in.
    lang TEXT NOT NULL,
    -- The sender's account, when they were logged in.
    customer_id BIGINT REFERENCES customers (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    -- The last answer, closing or reopening: retention counts from here.
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_messages_status_idx ON contact_messages (status, created_at);
CREATE INDEX contact_messages_customer_idx ON contact_messages (customer_id);

CREATE TABLE contact_replies (
    id INTEGER PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES contact_messages (id) ON DELETE CASCADE,
    -- Who answered (kept as the staff member's id only).
    staff_id BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_replies_message_idx ON contact_replies (message_id);
