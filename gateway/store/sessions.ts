import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import { tokenDigest } from './users';

export interface SessionUser {
  name: string;
  role: string;
}

/**
 * Dashboard sessions: the cookie carries a random id, the table only its SHA-256 digest, so a copy
 * of the database opens no session. Sessions end at a fixed time after login, or at logout.
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
    this.db.prepare('INSERT INTO sessions (digest, user, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(tokenDigest(id), user.name, user.role, now, expiresAt);
    return { id, expiresAt };
  }

  resolve(id: string, now: number): SessionUser | undefined {
    return this.db.prepare('SELECT user AS name, role FROM sessions WHERE digest = ? AND expires_at > ?').get(tokenDigest(id), now) as SessionUser | undefined;
  }

  close(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE digest = ?').run(tokenDigest(id));
  }

  /** Ends every session of a user (removed or demoted). */
  closeAllOf(name: string): void {
    this.db.prepare('DELETE FROM sessions WHERE user = ?').run(name);
  }
}
