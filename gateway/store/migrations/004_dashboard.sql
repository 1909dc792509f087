-- Dashboard logins: a user an admin creates may also have a password (scrypt), and a login opens a
-- session kept here by the SHA-256 digest of its cookie value (the value itself is never stored).
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE sessions (
  digest TEXT PRIMARY KEY,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
