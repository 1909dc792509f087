import { json } from './queries';
import type { SqlRunner } from './sql-runner';

/** One audit row: who (a user or token name, never a secret), what, on what, and details without secrets. */
export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

/** Position of the last row served: the next page is everything strictly older in (at, id) order. */
export interface AuditCursor {
  at: number;
  id: number;
}

/** Appends one row to audit_log (migration 007). */
export async function appendAudit(sql: SqlRunner, entry: AuditEntry): Promise<void> {
  await sql.run('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)', [
    entry.at,
    entry.actor,
    entry.action,
    entry.target ?? null,
    entry.detail === undefined ? null : JSON.stringify(entry.detail),
  ]);
}

/**
 * Appends `entry` unless a row of the same actor and action (and, with `sameTarget`, the same
 * target) was written in the last `windowMs` (index audit_log_actor_at): for events that may repeat
 * quickly (failed logins; one viewer reloading one event), one row per window is the record; the
 * logs carry each one. Answers whether a row was written.
 */
export async function appendAuditThrottled(sql: SqlRunner, entry: AuditEntry, windowMs: number, sameTarget = false): Promise<boolean> {
  const recent = sameTarget
    ? await sql.get('SELECT id FROM audit_log WHERE actor = ? AND at > ? AND action = ? AND target = ? LIMIT 1', [entry.actor, entry.at - windowMs, entry.action, entry.target ?? null])
    : await sql.get('SELECT id FROM audit_log WHERE actor = ? AND at > ? AND action = ? LIMIT 1', [entry.actor, entry.at - windowMs, entry.action]);
  if (recent) return false;
  await appendAudit(sql, entry);
  return true;
}

/** Deletes at most `limit` rows older than `before`, oldest first (index audit_log_at); answers how many. */
export async function purgeAudit(sql: SqlRunner, before: number, limit: number): Promise<number> {
  return sql.run('DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)', [before, limit]);
}

export interface AuditQuery {
  limit: number;
  after?: AuditCursor;
  /** Only this actor's rows. */
  actor?: string;
}

/**
 * Newest first. Reads index audit_log_at (at, id) backwards, or audit_log_actor_at (actor, at, id)
 * when filtered by actor; the row-value comparison keeps the cursor on the index in both dialects.
 */
export async function listAudit(sql: SqlRunner, q: AuditQuery): Promise<StoredAuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.actor !== undefined) {
    where.push('actor = ?');
    params.push(q.actor);
  }
  if (q.after) {
    where.push('(at, id) < (?, ?)');
    params.push(q.after.at, q.after.id);
  }
  params.push(q.limit);
  const rows = await sql.all(
    `SELECT id, at, actor, action, target, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    actor: String(r.actor),
    action: String(r.action),
    ...(r.target !== null && r.target !== undefined ? { target: String(r.target) } : {}),
    ...(r.detail !== null && r.detail !== undefined ? { detail: json<Record<string, unknown>>(r.detail) } : {}),
  }));
}
