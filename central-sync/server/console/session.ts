import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { BOOTSTRAP_USER, type ApiUser } from '../http/bearer';
import { digest, digestsEqual } from '../secrets';
import { findConsoleSession, deleteConsoleSession, insertConsoleSession, type NewConsoleSession } from '../store/console-sql';
import type { SqlRunner } from '../store/sql-runner';
import { fingerprint } from './passwords';

/** The cookie's name; its value is a random id whose SHA-256 digest is the console_sessions key. */
export const SESSION_COOKIE = 'central_session';
export const SESSION_TTL_MS = 12 * 3_600_000;

export const sessionIdOf = (c: Context): string | undefined => {
  const v = getCookie(c, SESSION_COOKIE);
  return v && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : undefined;
};

/** 256 random bits, URL-safe (43 characters). */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/**
 * The holder of a session as they are now, or undefined (unknown, expired, or ended by a change):
 * - password: the user still exists, is not disabled and has the password the session was opened
 *   with (fingerprint of the hash); their current role.
 * - token: the API token is not revoked; its role.
 * - bootstrap: the server still runs with the same CENTRAL_ADMIN_TOKEN.
 */
export async function resolveSession(sql: SqlRunner, sessionId: string, now: number, adminDigest: string | undefined): Promise<ApiUser | undefined> {
  const s = await findConsoleSession(sql, digest(sessionId), now);
  if (!s) return undefined;
  if (s.kind === 'password') {
    const u = s.user;
    if (!u || u.disabledAt !== null || !s.fingerprint || !digestsEqual(fingerprint(u.passwordHash), s.fingerprint)) return undefined;
    return { kind: 'user', name: u.name, role: u.role };
  }
  if (s.kind === 'token') {
    const tk = s.token;
    return tk && tk.revokedAt === null ? { kind: 'token', name: tk.name, role: tk.role, tokenId: tk.id } : undefined;
  }
  if (!adminDigest || !s.fingerprint || !digestsEqual(fingerprint(adminDigest), s.fingerprint)) return undefined;
  return { ...BOOTSTRAP_USER };
}

/** Stores a new session (only the id's digest) and answers its id for the cookie. */
export async function openSession(sql: SqlRunner, holder: Omit<NewConsoleSession, 'digest' | 'createdAt' | 'expiresAt'>, now: number): Promise<{ id: string; expiresAt: number }> {
  const id = newSessionId();
  const expiresAt = now + SESSION_TTL_MS;
  await insertConsoleSession(sql, { ...holder, digest: digest(id), createdAt: now, expiresAt });
  return { id, expiresAt };
}

export const closeSession = (sql: SqlRunner, sessionId: string): Promise<void> => deleteConsoleSession(sql, digest(sessionId));

/**
 * Cookies ride along on cross-site requests: a state-changing request (not GET or HEAD)
 * authenticated by the session cookie must come from this origin, by its Origin header, else by
 * Sec-Fetch-Site. A request with neither comes from no browser page, which no other site can make
 * carry the user's cookie. SameSite=Strict is the first line; this is the second. Hosts are
 * compared, not schemes: behind the TLS-terminating proxy the server sees http:// while the
 * browser's Origin says https:// (the proxy must pass the Host header on).
 */
export function sameOriginRequest(c: Context): boolean {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return true;
  const origin = c.req.header('origin');
  if (origin) return hostOf(origin) === new URL(c.req.url).host;
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Whether the browser reached us over https (directly, or through the proxy that says so). */
export const viaHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
