DROP INDEX audit_log_customer_idx;
DROP INDEX privacy_requests_customer_idx;
DROP INDEX outbox_recipient_lower_idx;
DROP INDEX contact_messages_email_lower_idx;
DROP INDEX privacy_requests_email_lower_idx;
ALTER TABLE customers DROP COLUMN retention_warned_at;
