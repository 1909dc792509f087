import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
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

/** scrypt on libuv's thread pool: a login never stalls the event loop (scryptSync took ~50 ms of it per guess). */
const scryptAsync = (password: string, salt: Buffer, length: number): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password, salt, length, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  return timingSafeEqual(await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length), expected);
}

// A fixed hash to check against for unknown names, so a wrong name costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(12).toString('hex')));

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Names the password a user has now without revealing anything of it: changes whenever the password (or its salt) does. */
const passwordId = (hash: string): string => createHash('sha256').update(hash).digest('hex');

export interface PasswordHolder {
  name: string;
  role: string;
  /** Identifies the password the user logged in with (a session ends when it changes). */
  passwordId: string;
}

/** Users an admin creates at run time; only a SHA-256 digest of each token is stored. */
export class UserStore {
  constructor(private readonly db: Db) {}

  /** Creates a user and returns their token, which is shown once and never stored. */
  async create(name: string, role: string, at: number, password?: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = password ? await hashPassword(password) : null;
    this.db.prepare('INSERT INTO users (name, role, token_hash, created_at, password_hash) VALUES (?, ?, ?, ?, ?)').run(name, role, tokenDigest(token), at, hash);
    return token;
  }

  /** The user whose name and password these are, if enabled; verified off the event loop. */
  async verifyPassword(name: string, password: string): Promise<PasswordHolder | undefined> {
    const row = this.withPasswordRow(name);
    const ok = await passwordMatches(password, row?.hash ?? (await dummy()));
    // Read again: the user may have been removed or changed while scrypt ran.
    const now = this.withPasswordRow(name);
    return ok && row?.hash && now?.hash === row.hash ? { name: now.name, role: now.role, passwordId: passwordId(now.hash) } : undefined;
  }

  /** The enabled user with this name, if their password is still the one `id` names. */
  withPassword(name: string, id: string): { name: string; role: string } | undefined {
    const row = this.withPasswordRow(name);
    return row?.hash && passwordId(row.hash) === id ? { name: row.name, role: row.role } : undefined;
  }

  private withPasswordRow(name: string): { name: string; role: string; hash: string | null } | undefined {
    return this.db.prepare('SELECT name, role, password_hash AS hash FROM users WHERE name = ? AND disabled = 0').get(name) as
      | { name: string; role: string; hash: string | null }
      | undefined;
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
