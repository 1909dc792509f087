import { resolve } from 'node:path';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

export const DEFAULT_DATABASE_URL = 'sqlite:data/central.sqlite';

export interface OpenStoreOptions {
  /** PostgreSQL connections per instance. */
  pgPoolMax?: number;
}

/**
 * `postgres://...` or `postgresql://...` opens PostgreSQL; `sqlite:/abs/file.db`, `sqlite:rel/file.db`
 * (relative to the working directory) or `sqlite::memory:` opens SQLite. Migrations run before it returns.
 */
export async function openStore(databaseUrl: string = DEFAULT_DATABASE_URL, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return PostgresStore.open({ connectionString: databaseUrl, ...(options.pgPoolMax ? { poolMax: options.pgPoolMax } : {}) });
  }
  const sqlite = /^sqlite:(?:\/\/)?(.+)$/.exec(databaseUrl);
  if (sqlite) {
    const path = sqlite[1]!;
    return new SqliteStore(path === ':memory:' ? path : resolve(path));
  }
  throw new Error(`DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got '${databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}')`);
}
