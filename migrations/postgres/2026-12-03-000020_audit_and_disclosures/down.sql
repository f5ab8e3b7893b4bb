DROP TABLE disclosures;
DROP INDEX audit_log_staff_idx;
DROP TRIGGER audit_log_append_only ON audit_log;
DROP FUNCTION audit_log_append_only();
