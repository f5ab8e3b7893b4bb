-- PostgreSQL only (a function that places an order in one call); SQLite places orders with
-- local calls, which cost no round trips. Kept so both backends list the same migrations.
SELECT 1;
