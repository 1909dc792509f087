import type { SyncStatus } from '../../sync';
import type { ApiDeps } from '../deps';
import type { ApiFeature } from '../feature';
import { openApiDocument } from '../openapi';

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

/** The gateway's own state: liveness, readiness, the API document, the caller, cameras, sync and metrics. */
export const statusFeature: ApiFeature<ApiDeps> = {
  routes: [
    { method: 'GET', path: '/health', summary: 'Liveness', roles: [], public: true },
    { method: 'GET', path: '/ready', summary: 'Readiness: database and cameras', roles: [], public: true },
    { method: 'GET', path: '/api/openapi.json', summary: 'This API as OpenAPI 3.1', roles: ['supervisor', 'security', 'ops'] },
    { method: 'GET', path: '/api/me', summary: 'The caller and their role', roles: ['supervisor', 'security', 'ops'] },
    { method: 'GET', path: '/api/cameras', summary: 'Cameras with live state and counters', roles: ['supervisor', 'security', 'ops'] },
    { method: 'GET', path: '/api/sync', summary: 'Central sync: connection, backlog, drops, dead letters and clock offset', roles: ['ops'] },
    { method: 'GET', path: '/metrics', summary: 'Prometheus metrics', roles: ['ops'] },
  ],
  handlers: (deps, runtime) => ({
    'GET /health': (c) => c.json({ status: 'ok', version: deps.version }),
    'GET /ready': (c) => {
      const dbOk = deps.databaseAnswers();
      return c.json({ ready: dbOk, database: dbOk, cameras: deps.cameras().length }, dbOk ? 200 : 503);
    },
    'GET /api/openapi.json': (c) => c.json(openApiDocument(deps.version, runtime.routes)),
    'GET /api/me': (c) => c.json(c.get('user')),
    'GET /api/cameras': (c) => c.json({ cameras: deps.cameras() }),
    'GET /api/sync': (c) => c.json(deps.sync?.() ?? SYNC_ABSENT),
    'GET /metrics': async (c) => c.text(await deps.metrics.metrics(), 200, { 'content-type': deps.metrics.contentType }),
  }),
};
