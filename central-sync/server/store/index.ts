export { openStore, DEFAULT_DATABASE_URL, type OpenStoreOptions } from './open';
export { SqliteStore } from './sqlite';
export { PostgresStore, type PostgresStoreOptions } from './postgres';
export * from './types';
export { type SqlRunner, type SqlRow, type SqlStatement } from './sql-runner';
