import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Registry } from 'prom-client';
import { FaceEngine } from '../../models';
import { createApi, LiveEventBus, TokenRegistry, type ApiDeps } from '../api';
import { ROLES, type Role } from '../config';
import { AuditLog, EventStore, gatewayStores, openDatabase, UserStore, type Db } from '../store';
import { WatchlistStore } from '../watchlist';

export const rigToken = (role: Role) => `rig-${role}-token-0123456789abcdefghij`;

export interface ApiRig {
  base: string;
  dir: string;
  db: Db;
  events: EventStore;
  /** A bearer-token call as `role`; a FormData body goes as multipart, anything else as JSON. */
  call(method: string, path: string, role: Role, body?: unknown): Promise<Response>;
  /** Access-audit rows, oldest first. */
  audit(): Array<{ user: string; action: string; subject: string }>;
  stop(): Promise<void>;
}

/**
 * The gateway API on a loopback port over a SQLite file in a temporary directory, with one configured
 * user per role (`<role>1`) and the real face engine, created on first use like the service does.
 */
export async function startApiRig(overrides: Partial<ApiDeps> = {}): Promise<ApiRig> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-api-rig-'));
  const db = openDatabase(join(dir, 'gateway.sqlite'));
  const events = new EventStore(db);
  const users = new UserStore(db);
  let engine: Promise<FaceEngine> | undefined;
  const app = createApi({
    ...gatewayStores(db),
    events,
    audit: new AuditLog(db),
    tokens: new TokenRegistry(ROLES.map((role) => ({ name: `${role}1`, role, token: rigToken(role) })), (d) => users.byDigest(d)),
    users,
    metrics: new Registry(),
    cameras: () => [],
    bodyLimitBytes: 8 * 2 ** 20,
    liveEvents: new LiveEventBus(),
    watchlist: new WatchlistStore(db),
    faceEngine: () => (engine ??= FaceEngine.create({ session: { intraOpThreads: 2 } })),
    version: 'test',
    log: { error: () => undefined },
    ...overrides,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    dir,
    db,
    events,
    call: (method, path, role, body) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${rigToken(role)}`, ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
        ...(body instanceof FormData ? { body } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    audit: () => db.prepare('SELECT user_name AS user, action, subject FROM audit_log ORDER BY id').all() as Array<{ user: string; action: string; subject: string }>,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await (await engine)?.dispose();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
