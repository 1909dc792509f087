import { FEATURE_ROUTES } from './features';
import type { Role } from '../config';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: Method;
  /** Hono path, e.g. /api/events/:id */
  path: string;
  summary: string;
  /** Roles allowed besides admin, who may call everything. */
  roles: readonly Role[];
  /** No token needed. */
  public?: boolean;
  /** Reads of face data are written to the audit log. */
  audited?: boolean;
  /** The 200 answer is this image type instead of JSON. */
  image?: 'image/jpeg';
}

/** One table drives routing permissions, the OpenAPI document and the role-matrix test. */
const CORE_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/health', summary: 'Liveness', roles: [], public: true },
  { method: 'GET', path: '/ready', summary: 'Readiness: database and cameras', roles: [], public: true },
  { method: 'GET', path: '/api/openapi.json', summary: 'This API as OpenAPI 3.1', roles: ['supervisor', 'security', 'ops'] },
  { method: 'GET', path: '/api/me', summary: 'The caller and their role', roles: ['supervisor', 'security', 'ops'] },
  { method: 'GET', path: '/api/cameras', summary: 'Cameras with live state and counters', roles: ['supervisor', 'security', 'ops'] },
  { method: 'GET', path: '/api/live', summary: 'Server-sent events: live counts every second and new events the role may see', roles: ['supervisor', 'security', 'ops'] },
  { method: 'GET', path: '/api/events', summary: 'Events, filtered, newest first, cursor pagination', roles: ['security'] },
  { method: 'GET', path: '/api/events/:id', summary: 'One event with its timeline and reviews', roles: ['security'] },
  {
    method: 'GET',
    path: '/api/events/:id/snapshot',
    summary: 'The event snapshot (JPEG): original for security (audited), faces blurred for supervisors',
    roles: ['security', 'supervisor'],
    image: 'image/jpeg',
  },
  { method: 'POST', path: '/api/events/:id/review', summary: 'Acknowledge, mark false positive, comment or reopen', roles: ['security'] },
  { method: 'GET', path: '/api/queues/stats', summary: 'Per-minute queue statistics as time series', roles: ['supervisor', 'ops'] },
  { method: 'GET', path: '/api/watchlist', summary: 'Watchlist persons', roles: ['security'], audited: true },
  { method: 'POST', path: '/api/watchlist', summary: 'Enrol a person from photos (multipart: name, note, photo...)', roles: ['security'], audited: true },
  { method: 'GET', path: '/api/watchlist/:id', summary: 'One watchlist person', roles: ['security'], audited: true },
  { method: 'DELETE', path: '/api/watchlist/:id', summary: 'Remove a person and their embeddings', roles: ['security'], audited: true },
  { method: 'GET', path: '/api/users', summary: 'Users created at run time (configured users are in the config file)', roles: [] },
  { method: 'POST', path: '/api/users', summary: 'Create a user; the answer carries their token, shown only once', roles: [] },
  { method: 'DELETE', path: '/api/users/:name', summary: 'Remove a user created at run time', roles: [] },
  { method: 'GET', path: '/api/audit', summary: 'Access audit of face data', roles: [] },
  { method: 'GET', path: '/api/sync', summary: 'Central sync: connection, backlog, drops, dead letters and clock offset', roles: ['ops'] },
  { method: 'GET', path: '/metrics', summary: 'Prometheus metrics', roles: ['ops'] },
  { method: 'POST', path: '/api/login', summary: 'Dashboard login with a token or name and password; sets an HttpOnly session cookie', roles: [], public: true },
  { method: 'POST', path: '/api/logout', summary: 'Ends the dashboard session', roles: [], public: true },
];

export const ROUTES: readonly RouteSpec[] = [...CORE_ROUTES, ...FEATURE_ROUTES];

export function allowed(route: RouteSpec, role: Role): boolean {
  return role === 'admin' || route.roles.includes(role);
}

