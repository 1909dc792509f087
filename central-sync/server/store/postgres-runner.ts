import type pg from 'pg';
import { numbered } from './queries';
import type { SqlRow, SqlRunner } from './sql-runner';

/** `?` placeholders numbered once per text; each call takes a pooled connection. */
export function postgresRunner(pool: pg.Pool, tx: <T>(fn: (c: pg.PoolClient) => Promise<T>) => Promise<T>): SqlRunner {
  const texts = new Map<string, string>();
  const text$ = (text: string): string => {
    let t = texts.get(text);
    if (t === undefined) {
      t = numbered(text);
      texts.set(text, t);
    }
    return t;
  };
  const query = (c: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[] = []) => c.query(text$(text), params as unknown[]);
  return {
    dialect: 'postgres',
    async all(text, params) {
      return (await query(pool, text, params)).rows as SqlRow[];
    },
    async get(text, params) {
      return (await query(pool, text, params)).rows[0] as SqlRow | undefined;
    },
    async run(text, params) {
      return (await query(pool, text, params)).rowCount ?? 0;
    },
    async batch(statements) {
      return tx(async (c) => {
        const out: number[] = [];
        for (const s of statements) out.push((await query(c, s.text, s.params)).rowCount ?? 0);
        return out;
      });
    },
  };
}
