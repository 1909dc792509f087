import { Hono } from 'hono';
import { authenticate, requireRole } from './http/bearer';
import { SILENT_LOGGER, type CentralLogger, type RouteContext } from './http/context';
import { errorResponse, HttpError } from './http/errors';
import { NONCE_TTL_MS, verifySignedRequest } from './http/signed';
import { adminRoutes } from './routes/admin';
import { adminTokenRoutes } from './routes/admin-tokens';
import { gatewayRoutes } from './routes/gateway';
import { queryRoutes } from './routes/query';
import { digest } from './secrets';
import type { Store } from './store';

export interface CentralAppOptions {
  store: Store;
  /** Bootstrap admin bearer token (CENTRAL_ADMIN_TOKEN); only its digest is kept. */
  adminToken?: string;
  /** Keep data.faceCrop in events and event updates (default false: stripped before storing). */
  acceptFaceCrops?: boolean;
  /** Lifetime of enrolment tokens when the request names none (default 72 h). */
  enrolmentTtlHours?: number;
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
      const user = await authenticate(store, c.req.header('authorization'), adminDigest);
      requireRole(user, roles, what);
      return user;
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
  gatewayRoutes(app, ctx);
  queryRoutes(app, ctx);
  adminRoutes(app, ctx);
  adminTokenRoutes(app, ctx);
  return app;
}
