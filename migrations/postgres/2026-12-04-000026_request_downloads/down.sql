ALTER TABLE privacy_requests DROP COLUMN download_expires_at;
ALTER TABLE privacy_requests DROP COLUMN download_token_hash;
