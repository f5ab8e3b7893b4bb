-- When an account inactive for two years was warned that it will be erased 30 days later
-- unless its owner logs in or orders (P15); cleared again by that activity.
ALTER TABLE customers ADD COLUMN retention_warned_at TIMESTAMP;
-- Finding everything about one address (erasure, download, the sweep) compares lower-cased
-- addresses; without these each erasure read whole tables, so a sweep erasing many accounts
-- took time growing with the square of the shop's size.
CREATE INDEX outbox_recipient_lower_idx ON outbox (lower(recipient));
CREATE INDEX contact_messages_email_lower_idx ON contact_messages (lower(email));
CREATE INDEX privacy_requests_email_lower_idx ON privacy_requests (lower(requester_email));
CREATE INDEX audit_log_customer_idx ON audit_log (customer_id);
CREATE INDEX privacy_requests_customer_idx ON privacy_requests (customer_id);
