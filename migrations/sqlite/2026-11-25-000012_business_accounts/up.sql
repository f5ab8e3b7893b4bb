-- Business clients: a company with its registration and billing details (the IBAN only for
-- direct debit, and then encrypted: the column holds ciphertext, never the IBAN, P3), its
-- users (an account belongs to at most one company), invitations (only a hash of each token),
-- the orders placed on account with their PO number, and the monthly invoices.
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kvk_number TEXT NOT NULL,
    vat_id TEXT NOT NULL,
    billing_street TEXT NOT NULL,
    billing_postcode TEXT NOT NULL,
    billing_city TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_job_title TEXT NOT NULL,
    iban_encrypted TEXT,
    approved_at TIMESTAMP,
    approved_by BIGINT REFERENCES staff (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE company_users (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'orderer')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX company_users_company_idx ON company_users (company_id);

CREATE TABLE company_invitations (
    id INTEGER PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'orderer')),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX company_invitations_company_idx ON company_invitations (company_id);

-- Invoices are issued once and never changed: numbers run without gaps (the next is taken
-- inside the issuing transaction), and the buyer's and seller's details are copied in.
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    sequence BIGINT NOT NULL UNIQUE,
    number TEXT NOT NULL UNIQUE,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    month TEXT NOT NULL,
    issued_on DATE NOT NULL,
    due_on DATE NOT NULL,
    seller_name TEXT NOT NULL,
    seller_address TEXT NOT NULL,
    seller_kvk TEXT NOT NULL,
    seller_vat_id TEXT NOT NULL,
    buyer_name TEXT NOT NULL,
    buyer_address TEXT NOT NULL,
    buyer_kvk TEXT NOT NULL,
    buyer_vat_id TEXT NOT NULL,
    net_reduced_cents BIGINT NOT NULL,
    vat_reduced_cents BIGINT NOT NULL,
    net_standard_cents BIGINT NOT NULL,
    vat_standard_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- Usually one invoice per company per month; an order on account that reaches a month already
-- invoiced gets an invoice of its own, so there is no unique key on (company_id, month).
CREATE INDEX invoices_company_idx ON invoices (company_id, month);

ALTER TABLE orders ADD COLUMN company_id BIGINT REFERENCES companies (id);
ALTER TABLE orders ADD COLUMN on_account BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE orders ADD COLUMN po_number TEXT;
ALTER TABLE orders ADD COLUMN invoice_id BIGINT REFERENCES invoices (id);
CREATE INDEX orders_company_idx ON orders (company_id, delivery_date);

CREATE TRIGGER invoices_never_change BEFORE UPDATE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice is never changed; issue a credit note');
END;
CREATE TRIGGER invoices_never_deleted BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'an issued invoice is never deleted; issue a credit note');
END;
