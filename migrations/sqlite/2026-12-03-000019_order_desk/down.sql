DROP TABLE refunds;
ALTER TABLE payments DROP COLUMN purpose;
ALTER TABLE order_events DROP COLUMN note;
DROP INDEX audit_log_subject_idx;
ALTER TABLE audit_log DROP COLUMN subject;
ALTER TABLE audit_log DROP COLUMN staff_id;
