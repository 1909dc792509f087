import type { Role } from './types';
import { toRole } from './queries';
import type { SqlRow, SqlRunner } from './sql-runner';

/** A console user as admins see it: never the password hash. */
export interface ConsoleUserInfo {
  id: number;
  name: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
  disabledAt: number | null;
}

export interface ConsoleUserWithHash extends ConsoleUserInfo {
  passwordHash: string;
}

const USER_COLUMNS = 'id, name, role, created_at, updated_at, disabled_at';

const userOf = (r: SqlRow): ConsoleUserInfo => ({
  id: Number(r.id),
  name: String(r.name),
  role: toRole(r.role),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  disabledAt: r.disabled_at === null || r.disabled_at === undefined ? null : Number(r.disabled_at),
});

/** Answers the new user, or undefined when the name is taken (console_users.name is UNIQUE). */
export async function createConsoleUser(sql: SqlRunner, u: { name: string; role: Role; passwordHash: string; at: number }): Promise<ConsoleUserInfo | undefined> {
  const row = await sql.get(
    `INSERT INTO console_users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [u.name, u.role, u.passwordHash, u.at, u.at],
  );
  return row && userOf(row);
}

/** By name (the UNIQUE index on name). */
export async function findConsoleUser(sql: SqlRunner, name: string): Promise<ConsoleUserWithHash | undefined> {
  const row = await sql.get(`SELECT ${USER_COLUMNS}, password_hash FROM console_users WHERE name = ?`, [name]);
  return row && { ...userOf(row), passwordHash: String(row.password_hash) };
}

/** Every user by name; a province has tens to hundreds of console users, so the list is not paged. */
export async function listConsoleUsers(sql: SqlRunner): Promise<ConsoleUserInfo[]> {
  return (await sql.all(`SELECT ${USER_COLUMNS} FROM console_users ORDER BY name`)).map(userOf);
}

export type UserChange = { role: Role } | { passwordHash: string } | { disabled: boolean };

/**
 * Applies one change and, for a new password or disabling, deletes the user's sessions in the same
 * transaction (they would be refused on their next request anyway; this also frees the rows).
 * Answers the user as now stored, or undefined for an unknown name.
 */
export async function changeConsoleUser(sql: SqlRunner, name: string, change: UserChange, at: number): Promise<ConsoleUserInfo | undefined> {
  const statements =
    'role' in change
      ? [{ text: 'UPDATE console_users SET role = ?, updated_at = ? WHERE name = ?', params: [change.role, at, name] }]
      : 'passwordHash' in change
        ? [{ text: 'UPDATE console_users SET password_hash = ?, updated_at = ? WHERE name = ?', params: [change.passwordHash, at, name] }]
        : [
            {
              text: change.disabled
                ? 'UPDATE console_users SET disabled_at = COALESCE(disabled_at, ?), updated_at = ? WHERE name = ?'
                : 'UPDATE console_users SET disabled_at = NULL, updated_at = ? WHERE name = ?',
              params: change.disabled ? [at, at, name] : [at, name],
            },
          ];
  const endSessions = 'passwordHash' in change || ('disabled' in change && change.disabled);
  const [changed] = await sql.batch([
    ...statements,
    ...(endSessions ? [{ text: 'DELETE FROM console_sessions WHERE user_id = (SELECT id FROM console_users WHERE name = ?)', params: [name] }] : []),
  ]);
  if (!changed) return undefined;
  const row = await sql.get(`SELECT ${USER_COLUMNS} FROM console_users WHERE name = ?`, [name]);
  return row && userOf(row);
}

export type SessionKind = 'password' | 'token' | 'bootstrap';

export interface NewConsoleSession {
  /** SHA-256 of the random session id; the id itself is only in the cookie. */
  digest: string;
  kind: SessionKind;
  userId?: number;
  tokenId?: number;
  /** password: of the user's password hash; bootstrap: of the admin token's digest. */
  fingerprint?: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertConsoleSession(sql: SqlRunner, s: NewConsoleSession): Promise<void> {
  await sql.run('INSERT INTO console_sessions (digest, kind, user_id, token_id, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    s.digest,
    s.kind,
    s.userId ?? null,
    s.tokenId ?? null,
    s.fingerprint ?? null,
    s.createdAt,
    s.expiresAt,
  ]);
}

/** An unexpired session with its holder as they are now (user row or API token row, when there is one). */
export interface SessionHolderRow {
  kind: SessionKind;
  fingerprint: string | null;
  user: { name: string; role: Role; passwordHash: string; disabledAt: number | null } | null;
  token: { id: number; name: string; role: Role; revokedAt: number | null } | null;
}

/** One lookup by primary key (digest) joined to the holder's row by primary key. */
export async function findConsoleSession(sql: SqlRunner, digest: string, now: number): Promise<SessionHolderRow | undefined> {
  const r = await sql.get(
    `SELECT s.kind, s.fingerprint, u.name AS user_name, u.role AS user_role, u.password_hash, u.disabled_at,
            t.id AS token_id, t.name AS token_name, t.role AS token_role, t.revoked_at
       FROM console_sessions s
       LEFT JOIN console_users u ON u.id = s.user_id
       LEFT JOIN api_tokens t ON t.id = s.token_id
      WHERE s.digest = ? AND s.expires_at > ?`,
    [digest, now],
  );
  if (!r) return undefined;
  return {
    kind: r.kind as SessionKind,
    fingerprint: r.fingerprint === null || r.fingerprint === undefined ? null : String(r.fingerprint),
    user:
      r.user_name === null || r.user_name === undefined
        ? null
        : { name: String(r.user_name), role: toRole(r.user_role), passwordHash: String(r.password_hash), disabledAt: r.disabled_at === null ? null : Number(r.disabled_at) },
    token:
      r.token_id === null || r.token_id === undefined
        ? null
        : { id: Number(r.token_id), name: String(r.token_name), role: toRole(r.token_role), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) },
  };
}

export async function deleteConsoleSession(sql: SqlRunner, digest: string): Promise<void> {
  await sql.run('DELETE FROM console_sessions WHERE digest = ?', [digest]);
}

/** Deletes at most `limit` sessions expired by `now` (index console_sessions_expires); answers how many. */
export async function purgeConsoleSessions(sql: SqlRunner, now: number, limit: number): Promise<number> {
  return sql.run('DELETE FROM console_sessions WHERE digest IN (SELECT digest FROM console_sessions WHERE expires_at <= ? LIMIT ?)', [now, limit]);
}

/**
 * Counts one login attempt per key at `at`, before the credentials are verified, then checks each
 * key's attempts in (at - windowMs, at] (index console_login_attempts_key_at). When any key is over
 * `limit`, this attempt's rows are taken back and the answer is undefined (refuse with 429);
 * otherwise the new rows' ids, to give back on success. Parallel guesses each see the others' rows
 * (each insert commits before its count), so they cannot all slip under the limit together.
 */
export async function reserveLoginAttempt(sql: SqlRunner, keys: readonly string[], at: number, windowMs: number, limit: number): Promise<number[] | undefined> {
  const ids: number[] = [];
  for (const key of keys) {
    const row = await sql.get('INSERT INTO console_login_attempts (key, at) VALUES (?, ?) RETURNING id', [key, at]);
    ids.push(Number(row!.id));
  }
  for (const key of keys) {
    const row = await sql.get('SELECT COUNT(*) AS n FROM console_login_attempts WHERE key = ? AND at > ? AND at <= ?', [key, at - windowMs, at]);
    if (Number(row?.n ?? 0) > limit) {
      await releaseLoginAttempt(sql, ids);
      return undefined;
    }
  }
  return ids;
}

/** Gives attempts back (a successful login, or a request that was no guess at all). */
export async function releaseLoginAttempt(sql: SqlRunner, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql.run(`DELETE FROM console_login_attempts WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
}

/** Deletes at most `limit` attempts made by `before` (index console_login_attempts_at); answers how many. */
export async function purgeLoginAttempts(sql: SqlRunner, before: number, limit: number): Promise<number> {
  return sql.run('DELETE FROM console_login_attempts WHERE id IN (SELECT id FROM console_login_attempts WHERE at <= ? LIMIT ?)', [before, limit]);
}
