import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Registry } from 'prom-client';
import { createApi, LiveEventBus, TokenRegistry, type ApiDeps } from '../api';
import type { Role } from '../config';
import { AuditLog, EventStore, gatewayStores, openDatabase, UserStore, type Db } from '../store';
import { WatchlistStore } from '../watchlist';

export interface ConfiguredUser {
  name: string;
  role: Role;
  token: string;
}

export interface AuthApi {
  base: string;
  app: ReturnType<typeof createApi>;
  db: Db;
  users: UserStore;
  liveEvents: LiveEventBus;
  /** Closes the server and the database (a gateway stopping). */
  stop(): Promise<void>;
}

/**
 * The gateway API alone, on a real SQLite file and a real HTTP server on 127.0.0.1, with the
 * configured users given: starting it again over the same file is a gateway restarted with a new
 * configuration.
 */
export async function startAuthApi(dbPath: string, configured: readonly ConfiguredUser[], extra: Partial<ApiDeps> = {}): Promise<AuthApi> {
  const db = openDatabase(dbPath);
  const users = new UserStore(db);
  const liveEvents = extra.liveEvents ?? new LiveEventBus();
  const app = createApi({
    ...gatewayStores(db),
    events: new EventStore(db),
    audit: new AuditLog(db),
    tokens: new TokenRegistry(configured, (digest) => users.byDigest(digest)),
    users,
    metrics: new Registry(),
    cameras: () => [],
    bodyLimitBytes: 2 ** 20,
    liveEvents,
    liveIntervalMs: 100,
    watchlist: new WatchlistStore(db),
    faceEngine: () => Promise.reject(new Error('no face engine in auth tests')),
    version: 'test',
    log: { error: () => undefined },
    ...extra,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    app,
    db,
    users,
    liveEvents,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as import('node:http').Server).closeAllConnections();
      });
      db.close();
    },
  };
}

/** Logs in as the dashboard does (same-origin POST); the session cookie (`gw_session=...`), or the refusal's status. */
export async function loginCookie(base: string, body: { token: string } | { name: string; password: string }): Promise<string> {
  const res = await postLogin(base, body);
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  const cookie = /gw_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error('login set no session cookie');
  return cookie;
}

export const postLogin = (base: string, body: unknown): Promise<Response> =>
  fetch(`${base}/api/login`, { method: 'POST', headers: { origin: base, 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A request made with the session cookie from the dashboard's own origin. */
export const withCookie = (base: string, cookie: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { cookie, origin: base, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
