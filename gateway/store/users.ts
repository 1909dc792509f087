import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';

export interface StoredUser {
  name: string;
  role: string;
  createdAt: number;
  disabled: boolean;
}

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Users an admin creates at run time; only a SHA-256 digest of each token is stored. */
export class UserStore {
  constructor(private readonly db: Db) {}

  /** Creates a user and returns their token, which is shown once and never stored. */
  create(name: string, role: string, at: number): string {
    const token = randomBytes(32).toString('base64url');
    this.db.prepare('INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, tokenDigest(token), at);
    return token;
  }

  exists(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(name) !== undefined;
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0;
  }

  list(): StoredUser[] {
    return (this.db.prepare('SELECT name, role, created_at AS createdAt, disabled FROM users ORDER BY name').all() as Array<Omit<StoredUser, 'disabled'> & { disabled: number }>).map((u) => ({
      ...u,
      disabled: u.disabled === 1,
    }));
  }

  byDigest(digest: string): { name: string; role: string } | undefined {
    return this.db.prepare('SELECT name, role FROM users WHERE token_hash = ? AND disabled = 0').get(digest) as { name: string; role: string } | undefined;
  }
}
