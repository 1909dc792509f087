import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import type { SessionStore, UserStore } from '../store';
import type { OpenSession } from '../store/sessions';
import { tokenDigest } from '../store/users';
import { asRole, type ApiUser, type TokenRegistry } from './auth';
import { ApiError, jsonBody, validate } from './errors';
import type { LoginThrottle } from './login-throttle';

export const SESSION_COOKIE = 'gw_session';

export interface Authenticator {
  tokens: TokenRegistry;
  users: UserStore;
  sessions: SessionStore;
  now: () => number;
}

export type Credential = { via: 'bearer' | 'session'; user: ApiUser } | { via: 'none'; reason: string };

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
    if (!s) return { via: 'none', reason: 'session expired' };
    const user = currentHolder(auth, s);
    if (user) return { via: 'session', user };
    auth.sessions.close(sessionId);
    return { via: 'none', reason: 'session ended: the user, their role or their credentials changed' };
  }
  return { via: 'none', reason: 'missing bearer token' };
}

/**
 * The user a session belongs to as they are now: the holder of the token it was opened with, or the
 * user whose password it was opened with, if still the same user; their current role.
 */
function currentHolder(auth: Authenticator, session: OpenSession): ApiUser | undefined {
  const colon = session.credential.indexOf(':');
  const kind = session.credential.slice(0, colon);
  const id = session.credential.slice(colon + 1);
  if (kind === 'token') {
    const holder = auth.tokens.holderOf(id);
    return holder?.name === session.name ? holder : undefined;
  }
  if (kind === 'password') {
    const holder = auth.users.withPassword(session.name, id);
    const role = holder ? asRole(holder.role) : undefined;
    return holder && role ? { name: holder.name, role } : undefined;
  }
  return undefined;
}

export const identifyRequest = (auth: Authenticator, c: Context): Credential => identify(auth, c.req.header('authorization'), getCookie(c, SESSION_COOKIE));

/**
 * Cookies ride along on cross-site requests; a state-changing request authenticated by the session
 * cookie must come from the dashboard's own origin (SameSite=Strict is the first line, this the second).
 */
export function sameOrigin(c: Context): boolean {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return true;
  return fromOwnOrigin(new URL(c.req.url).origin, c.req.header('origin'), c.req.header('sec-fetch-site'));
}

/**
 * Whether a browser sent this request from `ownOrigin`: by its Origin header, else by
 * Sec-Fetch-Site; a request with neither comes from no browser page (curl, a script), which no
 * other site can make carry the user's cookie.
 */
export function fromOwnOrigin(ownOrigin: string, origin: string | undefined, secFetchSite: string | undefined): boolean {
  if (origin) return origin === ownOrigin;
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

const LoginBody = z.union([
  z.object({ token: z.string().min(8).max(512) }).strict(),
  z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
]);

/**
 * Opens a dashboard session. The attempt is counted against the client before anything is read or
 * verified (a success gives it back), and a password is checked off the event loop.
 */
export async function login(auth: Authenticator, throttle: LoginThrottle, c: Context, clientKey: string): Promise<ApiUser> {
  const now = auth.now();
  if (!throttle.reserve(clientKey, now)) throw new ApiError(429, 'too many failed logins; wait a minute', 'body');
  let creds: z.output<typeof LoginBody>;
  try {
    creds = validate(LoginBody, await jsonBody(c), 'body');
  } catch (err) {
    throttle.release(clientKey, now); // not a guess
    throw err;
  }
  const found = 'token' in creds ? tokenHolder(auth, creds.token) : await passwordHolder(auth, creds.name, creds.password);
  if (!found) throw 'token' in creds ? new ApiError(401, 'unknown token', 'token') : new ApiError(401, 'wrong name or password', 'password');
  throttle.release(clientKey, now);
  const session = auth.sessions.open({ name: found.user.name, role: found.user.role, credential: found.credential }, now);
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    expires: new Date(session.expiresAt),
  });
  return found.user;
}

interface Holder {
  user: ApiUser;
  credential: string;
}

function tokenHolder(auth: Authenticator, token: string): Holder | undefined {
  const user = auth.tokens.resolve(token);
  return user && { user, credential: `token:${tokenDigest(token)}` };
}

async function passwordHolder(auth: Authenticator, name: string, password: string): Promise<Holder | undefined> {
  const found = await auth.users.verifyPassword(name, password);
  const role = found ? asRole(found.role) : undefined;
  return found && role ? { user: { name: found.name, role }, credential: `password:${found.passwordId}` } : undefined;
}

export function logout(auth: Authenticator, c: Context): void {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) auth.sessions.close(id);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
