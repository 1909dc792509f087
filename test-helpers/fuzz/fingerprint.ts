import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';

/** Per table: row count and a hash of every row. Equal fingerprints: nothing was stored or changed. */
export type Fingerprint = Record<string, string>;

export interface Fingerprinter {
  take(): Promise<Fingerprint>;
  close(): Promise<void>;
}

/** The tables whose fingerprint differs (added or removed tables count too). */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((t) => before[t] !== after[t]).sort();
}

const quoted = (table: string) => `"${table.replace(/"/g, '""')}"`;

/** A long text or blob stands for itself by its length and both ends, so hashing stays cheap once the fuzz has stored megabytes. */
const BIG_VALUE = 600;
const sqliteColumn = (c: string) =>
  `CASE WHEN typeof(${c}) IN ('text', 'blob') AND length(${c}) > ${BIG_VALUE} THEN length(${c}) || ':' || hex(substr(${c}, 1, ${BIG_VALUE / 2})) || hex(substr(${c}, -${BIG_VALUE / 2})) ELSE ${c} END`;

/**
 * Reads a SQLite file through its own read-only connection (the server's writes are committed
 * before it answers). `exclude` names tables a refused request may change by design. While no
 * other connection has committed (PRAGMA data_version unchanged) the last fingerprint still holds.
 */
export function sqliteFingerprinter(file: string, exclude: readonly string[] = []): Fingerprinter & { db: Database.Database } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let cached: { version: number; fingerprint: Fingerprint } | undefined;
  const tables = () =>
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>)
      .map((r) => r.name)
      .filter((t) => !exclude.includes(t));
  return {
    db,
    async take() {
      const version = Number(db.pragma('data_version', { simple: true }));
      if (cached?.version === version) return cached.fingerprint;
      const out: Fingerprint = {};
      for (const t of tables()) {
        const columns = (db.prepare(`PRAGMA table_info(${quoted(t)})`).all() as Array<{ name: string }>).map((c) => sqliteColumn(quoted(c.name)));
        const rows = db.prepare(`SELECT ${columns.join(', ')} FROM ${quoted(t)}`).raw().all();
        out[t] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
      }
      cached = { version, fingerprint: out };
      return out;
    },
    async close() {
      db.close();
    },
  };
}

/**
 * The same over PostgreSQL: one query, count and md5 of the rows' text per table of the public
 * schema. While the WAL insert position stands still nothing was written (even with synchronous_commit off), and the last fingerprint holds.
 */
export async function postgresFingerprinter(url: string, exclude: readonly string[] = []): Promise<Fingerprinter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const names = (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")).rows
    .map((r) => r.name)
    .filter((t) => !exclude.includes(t));
  const sql = names
    .map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t, count(*)::text AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h FROM ${quoted(t)} x`)
    .join(' UNION ALL ');
  let cached: { lsn: string; fingerprint: Fingerprint } | undefined;
  return {
    async take() {
      const lsn = (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn;
      if (cached?.lsn === lsn) return cached.fingerprint;
      const out: Fingerprint = {};
      if (sql) for (const r of (await client.query<{ t: string; n: string; h: string }>(sql)).rows) out[r.t] = `${r.n}:${r.h.slice(0, 16)}`;
      cached = { lsn, fingerprint: out };
      return out;
    },
    async close() {
      await client.end();
    },
  };
}
