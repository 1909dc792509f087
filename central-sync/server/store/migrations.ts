import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dialect } from './types';

const MIGRATIONS_DIR = join(import.meta.dirname, '..', 'migrations');

/**
 * "This row's JSON carries a faceCrop", per dialect: the partial indexes of migration 002 and the
 * retention queries share this text (a partial index is only used when the query repeats its test).
 */
export const FACE_CROP_TEST: Record<Dialect, { event: string; record: string }> = {
  sqlite: { event: "json_type(data, '$.faceCrop') IS NOT NULL", record: "json_type(payload, '$.data.faceCrop') IS NOT NULL" },
  postgres: { event: "data ? 'faceCrop'", record: "(payload -> 'data') ? 'faceCrop'" },
};

const TOKENS: Record<Dialect, Record<string, string>> = {
  sqlite: {
    id: 'INTEGER PRIMARY KEY',
    bigint: 'INTEGER',
    json: 'TEXT',
    float: 'REAL',
    event_face_crop: FACE_CROP_TEST.sqlite.event,
    record_face_crop: FACE_CROP_TEST.sqlite.record,
  },
  postgres: {
    id: 'BIGSERIAL PRIMARY KEY',
    bigint: 'BIGINT',
    json: 'JSONB',
    float: 'DOUBLE PRECISION',
    event_face_crop: FACE_CROP_TEST.postgres.event,
    record_face_crop: FACE_CROP_TEST.postgres.record,
  },
};

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `NNN_name.sql` files in number order, with the dialect's tokens substituted. */
export function loadMigrations(dialect: Dialect, dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: substitute(readFileSync(join(dir, file), 'utf8'), dialect, file),
    }));
}

export function substitute(sql: string, dialect: Dialect, file = 'migration'): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_, token: string) => {
    const value = TOKENS[dialect][token];
    if (value === undefined) throw new Error(`${file}: unknown token {{${token}}}`);
    return value;
  });
}

/** Same text for both dialects: the migrator's own bookkeeping. */
export const SCHEMA_MIGRATIONS_DDL = (dialect: Dialect): string =>
  substitute('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {{bigint}} NOT NULL)', dialect);
