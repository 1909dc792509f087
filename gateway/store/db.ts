import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/**
 * Opens (creating) the gateway database: WAL so readers never block the writer, NORMAL sync (a
 * committed transaction survives a crash or kill -9 of the process), foreign keys, and all
 * migrations applied in number order.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Applies `NNN_name.sql` files above the database's user_version, each in its own transaction. */
export function migrate(db: Db): number {
  const current = Number(db.pragma('user_version', { simple: true }));
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();
  let version = current;
  for (const file of files) {
    const n = Number(file.slice(0, 3));
    if (n <= current) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${n}`);
    })();
    version = n;
  }
  return version;
}

export function integrityOk(db: Db): boolean {
  return db.pragma('integrity_check', { simple: true }) === 'ok';
}

/** The database answers a query (the API's readiness check). */
export function databaseAnswers(db: Db): boolean {
  return db.prepare('SELECT 1 AS ok').get() !== undefined;
}
