import Database from 'better-sqlite3';
import pg from 'pg';
import { numbered } from '../../server/store/queries';

type Row = Record<string, unknown>;

/**
 * Reads a central database behind the server's back (for what the API does not show, such as raw
 * record payloads and watermarks). SQL with `?` placeholders; JSON columns come back parsed.
 */
export async function rawQuery(databaseUrl: string, text: string, params: unknown[] = []): Promise<Row[]> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare(text).all(...params) as Row[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(numbered(text), params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** SQLite hands JSON back as text, PostgreSQL as a value. */
export const parsed = (v: unknown): Record<string, unknown> => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>));
