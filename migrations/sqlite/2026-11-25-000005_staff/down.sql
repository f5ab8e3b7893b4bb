DROP TABLE order_events;
DROP TABLE staff;
