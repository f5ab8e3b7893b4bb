DELETE FROM customer_tokens WHERE purpose = 'stop-reminders';
ALTER TABLE customer_tokens DROP CONSTRAINT customer_tokens_purpose_check;
ALTER TABLE customer_tokens ADD CONSTRAINT customer_tokens_purpose_check
    CHECK (purpose IN ('verify', 'reset', 'email'));
