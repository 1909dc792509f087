import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PhotoRefused } from '../watchlist';
import { createDashboard } from '../dashboard';
import type { ApiDeps, ApiRuntime } from './deps';
import { ApiError, jsonError } from './errors';
import type { ApiEnv, Handler } from './feature';
import { FEATURES } from './features';
import { AccessChanges } from './live-feed';
import { DEFAULT_LIVE_STREAM_LIMITS, StreamSlots } from './live-stream';
import { LoginThrottle } from './login-throttle';
import { photoRefusalError } from './photo-refusal';
import { allowed, ROUTES, type RouteSpec } from './routes';
import { identifyRequest, sameOrigin, type Authenticator } from './session-auth';

/** The gateway's HTTP API: every route but health needs a bearer token and a role that may use it. */
export function createApi(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = deps.now ?? Date.now;
  const auth: Authenticator = { tokens: deps.tokens, users: deps.users, sessions: deps.sessions, now };
  const accessChanges = deps.accessChanges ?? new AccessChanges();
  const runtime: ApiRuntime = {
    now,
    auth,
    throttle: new LoginThrottle(),
    accessChanges,
    liveFeed: {
      events: deps.liveEvents,
      access: accessChanges,
      slots: new StreamSlots(deps.liveStreams ?? DEFAULT_LIVE_STREAM_LIMITS),
      cameras: deps.cameras,
      intervalMs: deps.liveIntervalMs ?? 1000,
      now,
    },
    routes: ROUTES,
  };

  app.onError((err, c) => {
    const known = err instanceof PhotoRefused ? photoRefusalError(err) : err;
    if (known instanceof ApiError) return jsonError(c, known.status, known.message, known.field);
    deps.log.error({ err, path: c.req.path }, 'api error');
    return jsonError(c, 500, 'internal error');
  });
  app.notFound((c) => jsonError(c, 404, `no route ${c.req.method} ${c.req.path}`));
  app.use('*', bodyLimit({ maxSize: deps.bodyLimitBytes, onError: (c) => jsonError(c, 413, `body larger than ${deps.bodyLimitBytes} bytes`, 'body') }));

  const guard = (route: RouteSpec) => async (c: Context<ApiEnv>, next: () => Promise<void>) => {
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

  const handlers: Record<string, Handler> = {};
  for (const feature of FEATURES) Object.assign(handlers, feature.handlers(deps, runtime));
  for (const route of ROUTES) {
    const handler = handlers[`${route.method} ${route.path}`];
    if (!handler) throw new Error(`route ${route.method} ${route.path} has no handler`);
    app.on(route.method, route.path, guard(route), handler);
  }
  app.route('/', createDashboard({ identify: (c) => identifyRequest(auth, c) }));
  return app;
}
