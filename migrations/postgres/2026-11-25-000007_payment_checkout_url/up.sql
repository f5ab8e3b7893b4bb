-- Where the customer pays an open payment, so a retry or the status page can send them back to
-- it instead of starting a second payment.
ALTER TABLE payments ADD COLUMN checkout_url TEXT;
