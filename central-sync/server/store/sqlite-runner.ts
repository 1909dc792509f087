import type Database from 'better-sqlite3';
import type { SqlRow, SqlRunner, SqlStatement } from './sql-runner';

/** Prepared statements are cached by text (feature modules pass constant SQL). */
export function sqliteRunner(db: Database.Database): SqlRunner {
  const cache = new Map<string, Database.Statement>();
  const prepared = (text: string): Database.Statement => {
    let st = cache.get(text);
    if (!st) {
      st = db.prepare(text);
      cache.set(text, st);
    }
    return st;
  };
  const changes = (s: SqlStatement): number => {
    const st = prepared(s.text);
    return st.reader ? st.all(...(s.params ?? [])).length : st.run(...(s.params ?? [])).changes;
  };
  return {
    dialect: 'sqlite',
    async all(text, params = []) {
      return prepared(text).all(...params) as SqlRow[];
    },
    async get(text, params = []) {
      return prepared(text).get(...params) as SqlRow | undefined;
    },
    async run(text, params = []) {
      return changes({ text, params });
    },
    async batch(statements) {
      return db.transaction(() => statements.map(changes)).immediate();
    },
  };
}
