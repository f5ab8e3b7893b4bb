-- The processor register (P10): every company that handles personal data for the shop, with what
-- for, which data, when the processing agreement was signed and where the data is kept. A row with
-- a role completes a processor the configuration names (courier service, mail, payments, tracking);
-- a row without one is a processor staff added (hosting, bookkeeping, ...).
CREATE TABLE processors (
    id INTEGER PRIMARY KEY,
    role TEXT UNIQUE,
    name TEXT NOT NULL,
    purpose_nl TEXT NOT NULL,
    purpose_en TEXT NOT NULL,
    data_nl TEXT NOT NULL,
    data_en TEXT NOT NULL,
    agreement_on DATE,
    location TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
