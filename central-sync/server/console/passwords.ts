import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** scrypt on libuv's thread pool: checking a password never stalls the event loop. */
const scryptAsync = (password: string, salt: Buffer, length: number): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password, salt, length, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))));

/** `scrypt$<salt>$<key>` with a fresh 16-byte salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  return timingSafeEqual(await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length), expected);
}

// Checked for unknown names (and disabled users), so a wrong name costs as long as a wrong password.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(12).toString('hex')));

/** Names a secret's current value without revealing it: a new password (new salt) or a new admin token changes it. */
export const fingerprint = (value: string): string => createHash('sha256').update(`console-session:${value}`).digest('hex');
