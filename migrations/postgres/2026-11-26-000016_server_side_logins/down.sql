DROP TABLE staff_logins;
DROP TABLE customer_logins;
