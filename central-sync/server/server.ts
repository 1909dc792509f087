import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createCentralApp, type CentralAppOptions } from './app';
import { HousekeepingOptionsSchema, startHousekeeping, type HousekeepingJob } from './console/housekeeping';
import { DEFAULT_LOGIN_THROTTLE } from './console/session-routes';
import { SILENT_LOGGER } from './http/context';
import { RetentionOptionsSchema, startRetention, type RetentionJob, type RetentionOptions } from './retention';
import { openStore, type Store } from './store';

export interface CentralServerOptions extends Omit<CentralAppOptions, 'store'> {
  /** `postgres://...` or `sqlite:path` (default sqlite:data/central.sqlite). Ignored when `store` is given. */
  databaseUrl?: string;
  /** An already opened store; the caller keeps ownership (close() leaves it open). */
  store?: Store;
  /** Default 127.0.0.1: TLS and public exposure belong to the reverse proxy in front. */
  host?: string;
  /** 0 picks a free port. Default 8090. */
  port?: number;
  pgPoolMax?: number;
  /** Deletes old data and strips face crops at start and then hourly; off when not given. */
  retention?: RetentionOptions;
  /**
   * With `retention`: console housekeeping runs beside it (expired sessions, old login attempts,
   * audit rows older than this many days; default 365).
   */
  auditRetentionDays?: number;
}

export interface CentralServer {
  url: string;
  port: number;
  store: Store;
  /** Present when the server was started with `retention`. */
  retention?: RetentionJob;
  /** Console housekeeping; present when the server was started with `retention`. */
  housekeeping?: HousekeepingJob;
  close(): Promise<void>;
}

/** Opens the store (migrating it), then listens. */
export async function startCentralServer(options: CentralServerOptions = {}): Promise<CentralServer> {
  // Refuse bad retention settings before opening anything.
  const housekeepingOptions = options.retention
    ? HousekeepingOptionsSchema.parse({
        auditDays: options.auditRetentionDays ?? 365,
        throttleWindowMs: options.loginThrottle?.windowMs ?? DEFAULT_LOGIN_THROTTLE.windowMs,
        ...(options.retention.intervalMs !== undefined ? { intervalMs: options.retention.intervalMs } : {}),
      })
    : undefined;
  if (options.retention) RetentionOptionsSchema.parse(options.retention);
  const ownsStore = !options.store;
  const store = options.store ?? (await openStore(options.databaseUrl, { ...(options.pgPoolMax ? { pgPoolMax: options.pgPoolMax } : {}) }));
  const app = createCentralApp({ ...options, store });
  const host = options.host ?? '127.0.0.1';
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: options.port ?? 8090, hostname: host }, () => resolve(s as Server)) as Server;
      s.once('error', reject);
    });
  } catch (err) {
    if (ownsStore) await store.close();
    throw err;
  }
  const retention = options.retention ? startRetention(store, options.retention, options.now ?? Date.now, options.log ?? SILENT_LOGGER) : undefined;
  const housekeeping = housekeepingOptions ? startHousekeeping(store.sql, housekeepingOptions, options.now ?? Date.now, options.log ?? SILENT_LOGGER) : undefined;
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    store,
    ...(retention ? { retention } : {}),
    ...(housekeeping ? { housekeeping } : {}),
    close() {
      closing ??= (async () => {
        // Before the store closes: waits for the retention batch in progress, if any.
        await retention?.stop();
        await housekeeping?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests in flight get a moment to finish; then whatever is left is cut.
          setTimeout(() => server.closeAllConnections(), 2000).unref();
        });
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}
