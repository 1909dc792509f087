import type { Dialect } from './types';

/** One statement written with `?` placeholders (the PostgreSQL runner numbers them). */
export interface SqlStatement {
  text: string;
  params?: readonly unknown[];
}

export type SqlRow = Record<string, unknown>;

/**
 * Plain SQL against the store's own connection, for features that keep their queries in their own
 * module (console users and sessions, audit, page queries). Text uses `?` placeholders and column
 * names in snake_case; BIGINT comes back as a number in both dialects, JSON as text on SQLite and
 * parsed on PostgreSQL (use json() from queries.ts).
 */
export interface SqlRunner {
  readonly dialect: Dialect;
  all(text: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  /** The first row, or undefined. */
  get(text: string, params?: readonly unknown[]): Promise<SqlRow | undefined>;
  /** Answers the number of rows changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** All statements in one transaction, in order; answers each one's rows changed. */
  batch(statements: readonly SqlStatement[]): Promise<number[]>;
}
