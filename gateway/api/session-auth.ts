import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { ROLES, type Role } from '../config';
import type { SessionStore, UserStore } from '../store';
import type { ApiUser, TokenRegistry } from './auth';
import { ApiError, jsonBody, validate } from './errors';

export const SESSION_COOKIE = 'gw_session';

export interface Authenticator {
  tokens: TokenRegistry;
  users: UserStore;
  sessions: SessionStore;
  now: () => number;
}

export type Credential = { via: 'bearer' | 'session'; user: ApiUser } | { via: 'none'; reason: string };

const asRole = (role: string): Role | undefined => ((ROLES as readonly string[]).includes(role) ? (role as Role) : undefined);

/** Parses a Cookie header (websocket upgrades have no Hono context). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The caller of a request: a bearer token (API clients) or a dashboard session cookie. */
export function identify(auth: Authenticator, authorization: string | undefined, sessionId: string | undefined): Credential {
  if (authorization) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    const user = token ? auth.tokens.resolve(token) : undefined;
    return user ? { via: 'bearer', user } : { via: 'none', reason: token ? 'unknown token' : 'malformed authorization header' };
  }
  if (sessionId) {
    const s = auth.sessions.resolve(sessionId, auth.now());
    const role = s ? asRole(s.role) : undefined;
    return s && role ? { via: 'session', user: { name: s.name, role } } : { via: 'none', reason: 'session expired' };
  }
  return { via: 'none', reason: 'missing bearer token' };
}

export const identifyRequest = (auth: Authenticator, c: Context): Credential => identify(auth, c.req.header('authorization'), getCookie(c, SESSION_COOKIE));

/**
 * Cookies ride along on cross-site requests; a state-changing request authenticated by the session
 * cookie must come from the dashboard's own origin (SameSite=Strict is the first line, this the second).
 */
export function sameOrigin(c: Context): boolean {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return true;
  const origin = c.req.header('origin');
  if (origin) return origin === new URL(c.req.url).origin;
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

const LoginBody = z.union([
  z.object({ token: z.string().min(8).max(512) }).strict(),
  z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
]);

/** Failed logins per client address; beyond the limit a client waits for the window to pass. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
  ) {}

  blocked(key: string, now: number): boolean {
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent.length >= this.limit;
  }

  fail(key: string, now: number): void {
    if (this.failures.size > 10_000) this.failures.clear();
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }
}

export async function login(auth: Authenticator, throttle: LoginThrottle, c: Context, clientKey: string): Promise<ApiUser> {
  const now = auth.now();
  if (throttle.blocked(clientKey, now)) throw new ApiError(429, 'too many failed logins; wait a minute', 'body');
  const creds = validate(LoginBody, await jsonBody(c), 'body');
  const found = 'token' in creds ? auth.tokens.resolve(creds.token) : auth.users.verifyPassword(creds.name, creds.password);
  const role = found ? asRole(found.role) : undefined;
  if (!found || !role) {
    throw401(throttle, clientKey, now, 'token' in creds ? 'unknown token' : 'wrong name or password', 'token' in creds ? 'token' : 'password');
  }
  const user: ApiUser = { name: found.name, role };
  const session = auth.sessions.open(user, now);
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    expires: new Date(session.expiresAt),
  });
  return user;
}

function throw401(throttle: LoginThrottle, key: string, now: number, message: string, field: string): never {
  throttle.fail(key, now);
  throw new ApiError(401, message, field);
}

export function logout(auth: Authenticator, c: Context): void {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) auth.sessions.close(id);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
