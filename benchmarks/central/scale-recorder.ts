import type pg from 'pg';
import { numbered } from '../../central-sync/server/store/queries';
import type { SqlRow, SqlRunner, SqlStatement } from '../../central-sync/server/store/sql-runner';

export interface RecordedStatement {
  text: string;
  params: unknown[];
}

/**
 * A read-only SqlRunner over the benchmark's pg client that keeps every statement it runs: the
 * console's store modules (fleet-sql, perf-sql, queues, audit...) are called with it, so the
 * benchmark EXPLAINs the very statements an answer runs, not a copy of their text.
 */
export function recordingRunner(client: pg.Client): { runner: SqlRunner; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const query = async (text: string, params: readonly unknown[] = []): Promise<SqlRow[]> => {
    const t = numbered(text);
    statements.push({ text: t, params: [...params] });
    return (await client.query(t, [...params])).rows as SqlRow[];
  };
  const runner: SqlRunner = {
    dialect: 'postgres',
    all: (text, params) => query(text, params),
    get: async (text, params) => (await query(text, params))[0],
    run: () => Promise.reject(new Error('the benchmark recorder only reads')),
    batch: (_: readonly SqlStatement[]) => Promise.reject(new Error('the benchmark recorder only reads')),
  };
  return { runner, statements };
}
