import { Hono } from 'hono';
import { authenticate, requireRole } from './http/bearer';
import { auditActor, SILENT_LOGGER, type CentralLogger, type RouteContext } from './http/context';
import { errorResponse, HttpError } from './http/errors';
import { NONCE_TTL_MS, verifySignedRequest } from './http/signed';
import { adminRoutes } from './routes/admin';
import { adminTokenRoutes } from './routes/admin-tokens';
import { gatewayRoutes } from './routes/gateway';
import { queryRoutes } from './routes/query';
import { mountConsole } from './console';
import { resolveSession, sameOriginRequest, sessionIdOf } from './console/session';
import { DEFAULT_LOGIN_THROTTLE, sessionRoutes, type LoginThrottleSettings } from './console/session-routes';
import { adminUserRoutes } from './routes/admin-users';
import { adminAuditRoutes } from './routes/admin-audit';
import { digest } from './secrets';
import type { Store } from './store';
import { appendAudit } from './store/audit-sql';

export interface CentralAppOptions {
  store: Store;
  /** Bootstrap admin bearer token (CENTRAL_ADMIN_TOKEN); only its digest is kept. */
  adminToken?: string;
  /** Keep data.faceCrop in events and event updates (default false: stripped before storing). */
  acceptFaceCrops?: boolean;
  /** Lifetime of enrolment tokens when the request names none (default 72 h). */
  enrolmentTtlHours?: number;
  /** Console login throttle per client address and per user name (default 10 attempts in 5 minutes). */
  loginThrottle?: Partial<LoginThrottleSettings>;
  /** Behind a reverse proxy: count console logins per X-Forwarded-For client address (its last entry). Default false. */
  trustProxy?: boolean;
  /** Server clock (tests move it). */
  now?: () => number;
  log?: CentralLogger;
}

const NONCE_PURGE_EVERY_MS = 60_000;

/** The central HTTP API as a Hono app (no listening socket: see startCentralServer). */
export function createCentralApp(options: CentralAppOptions): Hono {
  const { store } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? SILENT_LOGGER;
  const adminDigest = options.adminToken ? digest(options.adminToken) : undefined;
  // Only paces the clean-up; any instance purging is enough, so this is not shared state.
  let lastNoncePurge = 0;
  const purgeNonces = (at: number) => {
    if (at - lastNoncePurge < NONCE_PURGE_EVERY_MS) return;
    lastNoncePurge = at;
    store.purgeNonces(at - NONCE_TTL_MS).catch((err: unknown) => log.error({ err }, 'nonce purge failed'));
  };

  const ctx: RouteContext = {
    store,
    now,
    acceptFaceCrops: options.acceptFaceCrops ?? false,
    enrolmentTtlHours: options.enrolmentTtlHours ?? 72,
    log,
    async user(c, roles, what) {
      const authorization = c.req.header('authorization');
      const sessionId = authorization ? undefined : sessionIdOf(c);
      // A bearer token wins; without one and without a session cookie, the bearer's 401 as before.
      if (!sessionId) {
        const user = await authenticate(store, authorization, adminDigest);
        requireRole(user, roles, what);
        return user;
      }
      const user = await resolveSession(store.sql, sessionId, now(), adminDigest);
      if (!user) throw new HttpError(401, 'console session expired or ended; log in again', 'session');
      if (!sameOriginRequest(c)) throw new HttpError(403, 'cross-origin request refused', 'origin');
      requireRole(user, roles, what);
      return user;
    },
    async audit(user, action, target, detail) {
      await appendAudit(store.sql, { at: now(), actor: auditActor(user), action, ...(target !== undefined ? { target } : {}), ...(detail !== undefined ? { detail } : {}) });
    },
    async gateway(c, path, rawBody, at) {
      const gateway = await verifySignedRequest(store, { method: c.req.method, path, header: (h) => c.req.header(h), rawBody, now: at });
      purgeNonces(at);
      return gateway;
    },
  };

  const app = new Hono();
  app.onError((err, c) => {
    if (err instanceof HttpError) return errorResponse(c, err.status, err.message, now(), err.field, err.record);
    log.error({ err, method: c.req.method, path: c.req.path }, 'request failed');
    return errorResponse(c, 500, 'internal error', now());
  });
  app.notFound((c) => errorResponse(c, 404, `no route ${c.req.method} ${c.req.path}`, now()));

  app.get('/healthz', async (c) => {
    try {
      await store.ping();
      return c.json({ status: 'ok', database: store.dialect, serverTime: now() });
    } catch (err) {
      log.error({ err }, 'health check: database unreachable');
      return c.json({ status: 'error', database: store.dialect, serverTime: now() }, 503);
    }
  });
  // First: the console's middleware sets the security headers of every HTML answer.
  mountConsole(app, {
    async identify(c) {
      const id = sessionIdOf(c);
      const user = id ? await resolveSession(store.sql, id, now(), adminDigest) : undefined;
      return user && { name: user.name, role: user.role };
    },
  });
  sessionRoutes(app, { store, adminDigest, now, log, throttle: { ...DEFAULT_LOGIN_THROTTLE, ...options.loginThrottle }, trustProxy: options.trustProxy ?? false });
  gatewayRoutes(app, ctx);
  queryRoutes(app, ctx);
  adminRoutes(app, ctx);
  adminTokenRoutes(app, ctx);
  adminUserRoutes(app, ctx);
  adminAuditRoutes(app, ctx);
  return app;
}
