import type { Context, Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { readJsonBody } from '../http/body';
import type { CentralLogger } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';
import { digest, digestsEqual } from '../secrets';
import type { Store } from '../store';
import { auditActor } from '../http/context';
import { appendAudit, appendAuditThrottled } from '../store/audit-sql';
import { findConsoleUser, releaseLoginAttempt, reserveLoginAttempt } from '../store/console-sql';
import { dummyPasswordHash, fingerprint, passwordMatches } from './passwords';
import { closeSession, openSession, resolveSession, sameOriginRequest, SESSION_COOKIE, sessionIdOf, viaHttps } from './session';
import { BOOTSTRAP_USER, type ApiUser } from '../http/bearer';
import type { NewConsoleSession } from '../store/console-sql';

export interface LoginThrottleSettings {
  /** Attempts per client address, and per user name, in the window (default 10). */
  limit: number;
  /** Default 5 minutes. */
  windowMs: number;
}
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = { limit: 10, windowMs: 5 * 60_000 };

export interface SessionRouteDeps {
  store: Store;
  adminDigest: string | undefined;
  now: () => number;
  log: CentralLogger;
  throttle: LoginThrottleSettings;
  /**
   * Behind the reverse proxy every socket is the proxy's: take the client address from the last
   * X-Forwarded-For entry (the one the proxy appended; earlier ones are the client's to invent).
   */
  trustProxy: boolean;
}

const LOGIN_BODY_MAX_BYTES = 4 * 1024;
/** Failed and throttled logins: at most one audit row per client address and outcome per minute. */
const FAILED_LOGIN_AUDIT_WINDOW_MS = 60_000;
const TokenLogin = z.object({ token: z.string().min(1, 'enter a token').max(512) }).strict();
const PasswordLogin = z.object({ name: z.string().trim().min(1, 'enter a user name').max(64), password: z.string().min(1, 'enter a password').max(256) }).strict();

/** The client's address: the socket's, or with trustProxy the address the proxy saw. */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

type Holder = { user: ApiUser; session: Omit<NewConsoleSession, 'digest' | 'createdAt' | 'expiresAt'> };

/** POST /console/login ({token} or {name, password}) and POST /console/logout. */
export function sessionRoutes(app: Hono, deps: SessionRouteDeps): void {
  const { store, now, log } = deps;
  const sql = store.sql;

  app.post('/console/login', async (c) => {
    // Another site may not sign the browser in (to an account of its choosing) nor out.
    if (!sameOriginRequest(c)) throw new HttpError(403, 'cross-origin request refused', 'origin');
    const at = now();
    const raw = await readJsonBody(c.req.raw, LOGIN_BODY_MAX_BYTES);
    const byToken = typeof raw === 'object' && raw !== null && 'token' in raw;
    const creds = byToken ? validate(TokenLogin, raw, 'body') : validate(PasswordLogin, raw, 'body');
    const address = clientAddress(c, deps.trustProxy);
    const keys = ['addr:' + address, ...('name' in creds ? ['name:' + creds.name.toLowerCase()] : [])];
    // Counted before anything is verified; a success gives it back.
    const reserved = await reserveLoginAttempt(sql, keys, at, deps.throttle.windowMs, deps.throttle.limit);
    const tried = { via: 'name' in creds ? 'password' : 'token', address, ...('name' in creds ? { user: creds.name } : {}) };
    const auditRefusal = (action: string) =>
      appendAuditThrottled(sql, { at, actor: `address:${address}`, action, ...('name' in creds ? { target: `user:${creds.name}` } : {}), detail: tried }, FAILED_LOGIN_AUDIT_WINDOW_MS);
    if (!reserved) {
      log.warn(tried, 'console login throttled');
      await auditRefusal('console.login_throttled');
      throw new HttpError(429, 'too many login attempts; wait a few minutes', 'name' in creds ? 'name' : 'token');
    }
    const holder = 'token' in creds ? await tokenHolder(deps, creds.token) : await passwordHolder(deps, creds.name, creds.password);
    if (!holder) {
      log.warn(tried, 'console login refused');
      await auditRefusal('console.login_failed');
      throw 'token' in creds ? new HttpError(401, 'unknown or revoked token', 'token') : new HttpError(401, 'wrong user name or password', 'password');
    }
    await releaseLoginAttempt(sql, reserved);
    // Always a fresh session id (no fixation); the browser's previous session, if any, ends.
    const previous = sessionIdOf(c);
    if (previous) await closeSession(sql, previous);
    const session = await openSession(sql, holder.session, at);
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', secure: viaHttps(c), path: '/', expires: new Date(session.expiresAt) });
    await appendAudit(sql, { at, actor: auditActor(holder.user), action: 'console.login', detail: { via: holder.session.kind, address } });
    log.info({ user: holder.user.name, role: holder.user.role, via: holder.session.kind }, 'console login');
    return c.json({ name: holder.user.name, role: holder.user.role, expiresAt: session.expiresAt }, 200, { 'cache-control': 'no-store' });
  });

  app.post('/console/logout', async (c) => {
    if (!sameOriginRequest(c)) throw new HttpError(403, 'cross-origin request refused', 'origin');
    const id = sessionIdOf(c);
    if (id) {
      const at = now();
      const holder = await resolveSession(sql, id, at, deps.adminDigest);
      await closeSession(sql, id);
      if (holder) {
        await appendAudit(sql, { at, actor: auditActor(holder), action: 'console.logout' });
        log.info({ user: holder.name, via: holder.kind }, 'console logout');
      }
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: viaHttps(c) });
    return c.json({ ok: true }, 200, { 'cache-control': 'no-store' });
  });
}

async function tokenHolder(deps: SessionRouteDeps, token: string): Promise<Holder | undefined> {
  const d = digest(token);
  if (deps.adminDigest && digestsEqual(d, deps.adminDigest)) {
    return { user: { ...BOOTSTRAP_USER }, session: { kind: 'bootstrap', fingerprint: fingerprint(deps.adminDigest) } };
  }
  const row = await deps.store.findApiToken(d);
  return row && { user: { kind: 'token', name: row.name, role: row.role, tokenId: row.id }, session: { kind: 'token', tokenId: row.id } };
}

/** scrypt runs for unknown names and disabled users too (against a dummy hash): every refusal costs the same. */
async function passwordHolder(deps: SessionRouteDeps, name: string, password: string): Promise<Holder | undefined> {
  const user = await findConsoleUser(deps.store.sql, name);
  const usable = user && user.disabledAt === null;
  const ok = await passwordMatches(password, usable ? user.passwordHash : await dummyPasswordHash());
  if (!ok || !usable) return undefined;
  return { user: { kind: 'user', name: user.name, role: user.role }, session: { kind: 'password', userId: user.id, fingerprint: fingerprint(user.passwordHash) } };
}
