import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createCentralApp, type CentralAppOptions } from './app';
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
}

export interface CentralServer {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

/** Opens the store (migrating it), then listens. */
export async function startCentralServer(options: CentralServerOptions = {}): Promise<CentralServer> {
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
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    store,
    close() {
      closing ??= (async () => {
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
