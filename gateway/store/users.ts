import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Db } from './db';

export interface StoredUser {
  name: string;
  role: string;
  createdAt: number;
  disabled: boolean;
  /** Can log in to the dashboard with a password (besides the token). */
  hasPassword: boolean;
}

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, SCRYPT);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  return timingSafeEqual(scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, SCRYPT), expected);
}

// A fixed hash to check against for unknown names, so a wrong name costs as long as a wrong password.
const DUMMY_HASH = hashPassword(randomBytes(12).toString('hex'));

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Users an admin creates at run time; only a SHA-256 digest of each token is stored. */
export class UserStore {
  constructor(private readonly db: Db) {}

  /** Creates a user and returns their token, which is shown once and never stored. */
  create(name: string, role: string, at: number, password?: string): string {
    const token = randomBytes(32).toString('base64url');
    this.db
      .prepare('INSERT INTO users (name, role, token_hash, created_at, password_hash) VALUES (?, ?, ?, ?, ?)')
      .run(name, role, tokenDigest(token), at, password ? hashPassword(password) : null);
    return token;
  }

  /** The user whose name and password these are, if enabled. */
  verifyPassword(name: string, password: string): { name: string; role: string } | undefined {
    const row = this.db.prepare('SELECT name, role, password_hash AS hash FROM users WHERE name = ? AND disabled = 0').get(name) as
      | { name: string; role: string; hash: string | null }
      | undefined;
    const ok = passwordMatches(password, row?.hash ?? DUMMY_HASH);
    return ok && row?.hash ? { name: row.name, role: row.role } : undefined;
  }

  exists(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(name) !== undefined;
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0;
  }

  list(): StoredUser[] {
    type Raw = Omit<StoredUser, 'disabled' | 'hasPassword'> & { disabled: number; hasPassword: number };
    const rows = this.db.prepare('SELECT name, role, created_at AS createdAt, disabled, password_hash IS NOT NULL AS hasPassword FROM users ORDER BY name').all() as Raw[];
    return rows.map((u) => ({ ...u, disabled: u.disabled === 1, hasPassword: u.hasPassword === 1 }));
  }

  byDigest(digest: string): { name: string; role: string } | undefined {
    return this.db.prepare('SELECT name, role FROM users WHERE token_hash = ? AND disabled = 0').get(digest) as { name: string; role: string } | undefined;
  }
}
