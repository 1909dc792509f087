-- A session remembers the credential it was opened with: `token:<SHA-256 of the token, hex>` or
-- `password:<SHA-256 of the stored password hash, hex>`. Every request resolves the session against
-- the user as they are now (role, token, password, still present), so a session ends when that
-- credential changes. Sessions opened before this cannot be checked that way: they end here, and
-- their users log in again.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN credential TEXT NOT NULL DEFAULT '';
