import { existsSync, readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { AuditLog, Db, EventStore, UserStore } from '../store';
import { REVIEW_STATES, SessionStore, SEVERITIES } from '../store';
import type { FaceEngine } from '../../models';
import { embedEnrolmentPhoto, type WatchlistStore } from '../watchlist';
import type { SyncStatus } from '../sync';
import type { ApiUser, TokenRegistry } from './auth';
import { AccessChanges, visibleTo, type LiveEventBus } from './live-feed';
import { DEFAULT_LIVE_STREAM_LIMITS, serveLiveFeed, StreamSlots, type LiveFeedDeps, type LiveStreamLimits } from './live-stream';
import { ApiError, jsonBody, jsonError, validate } from './errors';
import { openApiDocument } from './openapi';
import { listedEvent, readEventDetail } from './event-views';
import { nameText, noteText } from './text';
import { multipartForm, photoFiles } from './multipart';
import { allowed, ROUTES, type RouteSpec } from './routes';
import { FEATURES } from './features';
import type { ApiEnv, Handler } from './feature';
import { identifyRequest, login, logout, sameOrigin, type Authenticator } from './session-auth';
import { LoginThrottle } from './login-throttle';
import { createDashboard } from '../dashboard';

export interface ApiDeps {
  db: Db;
  events: EventStore;
  audit: AuditLog;
  tokens: TokenRegistry;
  users: UserStore;
  metrics: Registry;
  /** Live camera health (from streams/), as plain JSON. */
  cameras: () => unknown[];
  bodyLimitBytes: number;
  liveEvents: LiveEventBus;
  /** Interval of live count messages on /api/live (and of re-checking each stream's caller). */
  liveIntervalMs?: number;
  /** Open /api/live streams allowed per user and in total (default 8 and 100). */
  liveStreams?: LiveStreamLimits;
  /** Told of every logout and user removal, so open streams check their caller at once (the gateway's live view listens too). */
  accessChanges?: AccessChanges;
  watchlist: WatchlistStore;
  /** The face engine, created on first use (enrolment is rare). */
  faceEngine: () => Promise<FaceEngine>;
  /** Central sync status; absent where the API runs without a gateway (tests). */
  sync?: () => SyncStatus;
  version: string;
  log: { error: (obj: object, msg: string) => void };
  now?: () => number;
  /** Dashboard sessions; by default kept in `db`. */
  sessions?: SessionStore;
  /** A full-resolution JPEG from a camera, taken now (zone drawing). */
  cameraStill?: (cameraId: string) => Promise<Buffer>;
  /** Live-view relays running now (ops). */
  liveRelays?: () => unknown[];
  /** Inference pool figures: queue depth, batch sizes, latency per model (ops). */
  inference?: () => unknown;
  /** Zones of the configured cameras, applied live to the pipelines (admin zone editor); absent without a gateway. */
  cameraZones?: import('../pipeline/zone-control').CameraZoneControl;
  /** Benchmark reports for the ops page; by default benchmarks/results in the repository. */
  benchmarksDir?: string;
  /** Configured cameras with the zones in effect (zone editor edits included) and their thresholds (queue board). */
  cameraConfigs?: () => ReadonlyArray<import('../config').CameraConfig>;
}

type Env = ApiEnv;

const LIVE_ROUTE = ROUTES.find((r) => r.method === 'GET' && r.path === '/api/live')!;

const EventQuery = z
  .object({
    camera: z.string().max(64).optional(),
    type: z.string().max(64).optional(),
    severity: z.enum(SEVERITIES).optional(),
    review: z.enum(REVIEW_STATES).optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();
const IdParam = z.object({ id: z.coerce.number().int().min(1) }).strict();
const ReviewBody = z
  .object({ action: z.enum(['acknowledge', 'false_positive', 'comment', 'reopen']), comment: noteText(z.string().max(2000)).optional() })
  .strict()
  .refine((b) => b.action !== 'comment' || (b.comment?.trim().length ?? 0) > 0, { message: 'a comment needs text', path: ['comment'] });
const PersonParam = z.object({ id: z.uuid() }).strict();
const EnrolFields = z
  .object({ name: nameText(z.string().trim().min(1).max(120)), note: noteText(z.string().max(1000)).optional() })
  .strict();
const NewUser = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'use 1-64 letters, digits, dot, dash, @ or underscore'),
    role: z.enum(['supervisor', 'security', 'ops', 'admin']),
    /** Optional dashboard password (the token always works too). */
    password: z.string().min(10, 'use at least 10 characters').max(256).optional(),
  })
  .strict();
const UserParam = z.object({ name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/) }).strict();

const StatsQuery = z
  .object({ camera: z.string().max(64).optional(), zone: z.string().max(64).optional(), from: z.coerce.number().int().min(0).optional(), to: z.coerce.number().int().min(0).optional() })
  .strict();

const SYNC_ABSENT: SyncStatus = {
  enabled: false,
  state: 'stopped',
  gatewayId: null,
  connected: false,
  backlog: 0,
  oldestUnsentAgeSeconds: null,
  lastError: null,
  lastErrorAt: null,
  lastSuccessAt: null,
  sent: 0,
  dropped: {},
  deadLettered: 0,
  clockOffsetMs: 0,
};

/** The gateway's HTTP API: every route but health needs a bearer token and a role that may use it. */
export function createApi(deps: ApiDeps): Hono<Env> {
  const app = new Hono<Env>();
  const now = deps.now ?? Date.now;
  const auth: Authenticator = { tokens: deps.tokens, users: deps.users, sessions: deps.sessions ?? new SessionStore(deps.db), now };
  const throttle = new LoginThrottle();
  const accessChanges = deps.accessChanges ?? new AccessChanges();
  const liveFeed: LiveFeedDeps = {
    events: deps.liveEvents,
    access: accessChanges,
    slots: new StreamSlots(deps.liveStreams ?? DEFAULT_LIVE_STREAM_LIMITS),
    cameras: deps.cameras,
    intervalMs: deps.liveIntervalMs ?? 1000,
    now,
  };
  /** The caller of a long-lived request as they are now, if they may still use the route. */
  const callerNow = (c: Context<Env>, route: RouteSpec): ApiUser | undefined => {
    const who = identifyRequest(auth, c);
    return who.via !== 'none' && allowed(route, who.user.role) ? who.user : undefined;
  };

  app.onError((err, c) => {
    if (err instanceof ApiError) return jsonError(c, err.status, err.message, err.field);
    deps.log.error({ err, path: c.req.path }, 'api error');
    return jsonError(c, 500, 'internal error');
  });
  app.notFound((c) => jsonError(c, 404, `no route ${c.req.method} ${c.req.path}`));
  app.use('*', bodyLimit({ maxSize: deps.bodyLimitBytes, onError: (c) => jsonError(c, 413, `body larger than ${deps.bodyLimitBytes} bytes`, 'body') }));

  const guard = (route: RouteSpec) => async (c: Context<Env>, next: () => Promise<void>) => {
    if (route.public) return next();
    const who = identifyRequest(auth, c);
    if (who.via === 'none') return jsonError(c, 401, who.reason, 'authorization');
    const user = who.user;
    if (who.via === 'session' && !sameOrigin(c)) return jsonError(c, 403, 'cross-site request refused', 'origin');
    if (!allowed(route, user.role)) return jsonError(c, 403, `role ${user.role} may not ${route.method} ${route.path}`);
    c.set('user', user);
    await next();
    if (route.audited) deps.audit.record({ at: now(), user: user.name, action: `${route.method} ${route.path}`, subject: c.req.path });
  };

  const handlers: Record<string, Handler> = {
    'GET /health': (c) => c.json({ status: 'ok', version: deps.version }),
    'GET /ready': (c) => {
      const dbOk = deps.db.prepare('SELECT 1 AS ok').get() !== undefined;
      return c.json({ ready: dbOk, database: dbOk, cameras: deps.cameras().length }, dbOk ? 200 : 503);
    },
    'GET /api/openapi.json': (c) => c.json(openApiDocument(deps.version)),
    'GET /api/me': (c) => c.json(c.get('user')),
    'GET /api/cameras': (c) => c.json({ cameras: deps.cameras() }),
    'GET /api/live': (c) => serveLiveFeed(c, liveFeed, () => callerNow(c, LIVE_ROUTE)),
    'GET /api/events': (c) => {
      const q = validate(EventQuery, c.req.query(), 'query');
      let page;
      try {
        page = deps.events.list({
          ...(q.camera ? { cameraId: q.camera } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.severity ? { severity: q.severity } : {}),
          ...(q.review ? { reviewState: q.review } : {}),
          ...(q.from !== undefined ? { from: q.from } : {}),
          ...(q.to !== undefined ? { to: q.to } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
      } catch (err) {
        if ((err as Error).message === 'cursor is not valid') throw new ApiError(400, 'query cursor: not a cursor from this API', 'cursor');
        throw err;
      }
      return c.json({ ...page, items: page.items.map(listedEvent) });
    },
    'GET /api/events/:id': (c) => {
      const { id } = validate(IdParam, c.req.param(), 'path');
      const event = deps.events.get(id);
      return event ? c.json(readEventDetail(event, c.get('user').name, deps.audit, now())) : jsonError(c, 404, `no event ${id}`, 'id');
    },
    'GET /api/events/:id/snapshot': (c) => {
      const { id } = validate(IdParam, c.req.param(), 'path');
      const user = c.get('user');
      const event = deps.events.get(id);
      if (!event || !visibleTo(user.role, event.type)) return jsonError(c, 404, `no event ${id}`, 'id');
      const row = deps.db.prepare('SELECT path, blurred_path AS blurredPath FROM snapshots WHERE event_id = ? ORDER BY id LIMIT 1').get(id) as { path: string; blurredPath: string | null } | undefined;
      if (!row) return jsonError(c, 404, `event ${id} has no snapshot`, 'id');
      // Lists ask for the blurred copy (?variant=blurred): only a deliberate look at one event reads, and audits, the original.
      const original = (user.role === 'security' || user.role === 'admin') && c.req.query('variant') !== 'blurred';
      const file = original ? row.path : row.blurredPath;
      if (!file || !existsSync(file)) return jsonError(c, 404, `event ${id} has no snapshot`, 'id');
      if (original) deps.audit.record({ at: now(), user: user.name, action: 'view_original_snapshot', subject: `event:${id}` });
      return c.body(readFileSync(file), 200, { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' });
    },
    'POST /api/events/:id/review': async (c) => {
      const { id } = validate(IdParam, c.req.param(), 'path');
      const body = validate(ReviewBody, await jsonBody(c), 'body');
      const ok = deps.events.review(id, c.get('user').name, body.action, body.comment, now());
      const event = ok ? deps.events.get(id) : undefined;
      return event ? c.json(readEventDetail(event, c.get('user').name, deps.audit, now())) : jsonError(c, 404, `no event ${id}`, 'id');
    },
    'GET /api/queues/stats': (c) => {
      const q = validate(StatsQuery, c.req.query(), 'query');
      const rows = deps.db
        .prepare(
          `SELECT camera_id AS camera, zone_id AS zone, minute, avg_count AS avgCount, max_count AS maxCount, departures, est_wait_s AS estWaitSeconds, occupied_ratio AS occupiedRatio
           FROM queue_stats WHERE (@camera IS NULL OR camera_id = @camera) AND (@zone IS NULL OR zone_id = @zone)
           AND minute >= @from AND minute <= @to ORDER BY camera_id, zone_id, minute LIMIT 10000`,
        )
        .all({ camera: q.camera ?? null, zone: q.zone ?? null, from: Math.floor((q.from ?? now() - 86_400_000) / 60_000), to: Math.floor((q.to ?? now()) / 60_000) });
      return c.json({ series: rows });
    },
    'GET /api/watchlist': (c) => c.json({ persons: deps.watchlist.list() }),
    'GET /api/watchlist/:id': (c) => {
      const { id } = validate(PersonParam, c.req.param(), 'path');
      const person = deps.watchlist.get(id);
      return person ? c.json(person) : jsonError(c, 404, `no watchlist person ${id}`, 'id');
    },
    'DELETE /api/watchlist/:id': (c) => {
      const { id } = validate(PersonParam, c.req.param(), 'path');
      return deps.watchlist.remove(id) ? c.json({ removed: id }) : jsonError(c, 404, `no watchlist person ${id}`, 'id');
    },
    'POST /api/watchlist': async (c) => {
      const form = await multipartForm(c, 'fields name, note and one or more photo files');
      const fields = Object.entries(form).filter(([k]) => k !== 'photo');
      const text = validate(EnrolFields, Object.fromEntries(fields.map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])), 'body');
      const photos = photoFiles(form);
      const engine = await deps.faceEngine();
      const embeddings: Float32Array[] = [];
      for (const [i, file] of photos.entries()) {
        embeddings.push(await embedEnrolmentPhoto(engine, Buffer.from(await file.arrayBuffer()), `photo[${i}]`));
      }
      return c.json(deps.watchlist.enrol(text.name, text.note, embeddings, c.get('user').name, now()), 201);
    },
    'GET /api/users': (c) => c.json({ users: deps.users.list() }),
    'POST /api/users': async (c) => {
      const body = validate(NewUser, await jsonBody(c), 'body');
      if (deps.tokens.configured(body.name) || deps.users.exists(body.name)) throw new ApiError(409, `user '${body.name}' already exists`, 'name');
      const token = await deps.users.create(body.name, body.role, now(), body.password);
      deps.audit.record({ at: now(), user: c.get('user').name, action: 'create_user', subject: `user:${body.name}`, detail: body.role });
      return c.json({ name: body.name, role: body.role, token }, 201);
    },
    'DELETE /api/users/:name': (c) => {
      const { name } = validate(UserParam, c.req.param(), 'path');
      if (!deps.users.remove(name)) return jsonError(c, 404, `no user '${name}' created at run time`, 'name');
      auth.sessions.closeAllOf(name);
      accessChanges.changed();
      deps.audit.record({ at: now(), user: c.get('user').name, action: 'remove_user', subject: `user:${name}` });
      return c.json({ removed: name });
    },
    'GET /api/audit': (c) => c.json({ entries: deps.audit.list(null, 500) }),
    'GET /api/sync': (c) => c.json(deps.sync?.() ?? SYNC_ABSENT),
    'GET /metrics': async (c) => c.text(await deps.metrics.metrics(), 200, { 'content-type': deps.metrics.contentType }),
    'POST /api/login': async (c) => {
      if (!sameOrigin(c)) return jsonError(c, 403, 'cross-site request refused', 'origin');
      return c.json(await login(auth, throttle, c, clientAddress(c)));
    },
    'POST /api/logout': (c) => {
      logout(auth, c);
      accessChanges.changed();
      return c.json({ loggedOut: true });
    },
  };
  for (const feature of FEATURES) Object.assign(handlers, feature.handlers(deps));

  for (const route of ROUTES) {
    const handler = handlers[`${route.method} ${route.path}`];
    if (!handler) throw new Error(`route ${route.method} ${route.path} has no handler`);
    app.on(route.method, route.path, guard(route), handler);
  }
  app.route('/', createDashboard({ identify: (c) => identifyRequest(auth, c) }));
  return app;
}

/** The peer address (node-server puts the socket on env); a constant under app.request in tests. */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'local';
}
