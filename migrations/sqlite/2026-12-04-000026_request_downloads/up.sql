-- An access or portability request handled from the desk: the requester gets a link to a copy of
-- their data that works for a week; only the link's hash is stored.
ALTER TABLE privacy_requests ADD COLUMN download_token_hash TEXT;
ALTER TABLE privacy_requests ADD COLUMN download_expires_at TIMESTAMP;
