DROP TABLE disclosures;
DROP INDEX audit_log_staff_idx;
DROP TRIGGER audit_log_kept_two_years;
DROP TRIGGER audit_log_append_only;
