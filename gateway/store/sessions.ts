import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import { tokenDigest } from './users';

export interface SessionUser {
  name: string;
  /** The role at login, kept for the record; requests act with the user's role at the time. */
  role: string;
  /** What the session was opened with: `token:<digest hex>` or `password:<id>` (see UserStore.withPassword). */
  credential: string;
}

export type OpenSession = Omit<SessionUser, 'role'>;

/**
 * Dashboard sessions: the cookie carries a random id, the table only its SHA-256 digest, so a copy
 * of the database opens no session. Sessions end at a fixed time after login, or at logout; the
 * API also ends one whose user no longer holds the credential it was opened with.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly ttlMs = 12 * 3_600_000,
  ) {}

  open(user: SessionUser, now: number): { id: string; expiresAt: number } {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = now + this.ttlMs;
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.db
      .prepare('INSERT INTO sessions (digest, user, role, credential, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(tokenDigest(id), user.name, user.role, user.credential, now, expiresAt);
    return { id, expiresAt };
  }

  resolve(id: string, now: number): OpenSession | undefined {
    return this.db.prepare('SELECT user AS name, credential FROM sessions WHERE digest = ? AND expires_at > ?').get(tokenDigest(id), now) as OpenSession | undefined;
  }

  close(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE digest = ?').run(tokenDigest(id));
  }

  /** Ends every session of a user (removed or demoted). */
  closeAllOf(name: string): void {
    this.db.prepare('DELETE FROM sessions WHERE user = ?').run(name);
  }
}
