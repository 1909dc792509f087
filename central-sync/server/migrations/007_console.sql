-- The console: named users, browser sessions, the login throttle and the audit trail. Kept in the
-- database (never in server memory) so any number of central instances share them.

-- Console users. Only an scrypt hash of the password is kept; a disabled user cannot log in and
-- their open sessions end on their next request. Users are disabled, never deleted (audit rows
-- keep naming them).
CREATE TABLE console_users (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('security', 'ops', 'admin')),
  password_hash TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  disabled_at {{bigint}}
);

-- Browser sessions. The cookie carries a random id; only its SHA-256 digest is stored. A session
-- records what it was opened with (kind): a user and a fingerprint of their password hash at the
-- time, an API token id, or a fingerprint of the bootstrap admin token. Every request resolves the
-- holder as they are now, so a role change, a disabled user, a new password, a revoked token or a
-- new bootstrap token applies on the next request.
CREATE TABLE console_sessions (
  digest TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('password', 'token', 'bootstrap')),
  user_id {{bigint}},
  token_id {{bigint}},
  fingerprint TEXT,
  created_at {{bigint}} NOT NULL,
  expires_at {{bigint}} NOT NULL
);
-- Purge of expired sessions; ending a user's sessions when an admin disables them or resets their password.
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
CREATE INDEX console_sessions_user ON console_sessions (user_id);

-- Login attempts, per key ('addr:<client address>' or 'name:<user name>'), counted when the attempt
-- arrives (before verifying); a successful login deletes its own rows (gives them back).
CREATE TABLE console_login_attempts (
  id {{id}},
  key TEXT NOT NULL,
  at {{bigint}} NOT NULL
);
CREATE INDEX console_login_attempts_key_at ON console_login_attempts (key, at);
CREATE INDEX console_login_attempts_at ON console_login_attempts (at);

-- Who did what: admin actions, logins, face-crop views. Never a secret (no token, password or
-- session id in any column). Read newest first with an (at, id) cursor.
CREATE TABLE audit_log (
  id {{id}},
  at {{bigint}} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail {{json}}
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at, id);

-- The admin page lists enrolment tokens newest first (GET /v1/admin/enrolments).
CREATE INDEX enrolment_tokens_created ON enrolment_tokens (created_at);
