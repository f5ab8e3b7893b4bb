-- Reminder mails carry a link that stops them without logging in (P11); its token's hash is a
-- customer token like the others.
ALTER TABLE customer_tokens DROP CONSTRAINT customer_tokens_purpose_check;
ALTER TABLE customer_tokens ADD CONSTRAINT customer_tokens_purpose_check
    CHECK (purpose IN ('verify', 'reset', 'email', 'stop-reminders'));
