import { EVENT_COLUMNS, toEvent } from './queries';
import type { SqlRunner } from './sql-runner';
import type { CentralEvent, EventQuery } from './types';


/**
 * Where a page's live view stands: every event id up to `after` has been offered, except `holes`:
 * ids below `after` that were not visible yet when seen ([id, server time first missed]). On
 * PostgreSQL an ingest transaction can take an id and commit after a later one; a hole is asked for
 * again on every poll until it appears or HOLE_TTL_MS passes (an id that never appears belongs to a
 * rolled-back or conflicting insert). SQLite hands out ids in commit order, so it has none.
 */
export interface LiveCursor {
  after: number;
  holes: Array<[id: number, seenAt: number]>;
}

export const HOLE_TTL_MS = 60_000;
export const MAX_HOLES = 32;
/** Ids newer than the cursor looked at per poll (the primary key only). */
const SCAN = 1000;
/** The initial cursor treats missing ids among the newest this many as holes. */
const INITIAL_WINDOW = 64;

export type ArrivalsQuery = Omit<EventQuery, 'after' | 'limit'> & { limit: number };

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Missing numbers between consecutive ids of `sorted` (all > from, up to its last), newest kept. */
function gaps(from: number, sorted: readonly number[], now: number): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  let prev = from;
  for (const id of sorted) {
    // A jump wider than MAX_HOLES keeps only its newest ids (older ones would be dropped anyway).
    for (let g = Math.max(prev + 1, id - MAX_HOLES); g < id; g++) found.push([g, now]);
    prev = id;
  }
  return found.slice(-MAX_HOLES);
}

/** The cursor a list answer hands out: the newest id, and the missing ones just below it as holes. */
export async function initialLiveCursor(sql: SqlRunner, now: number): Promise<LiveCursor> {
  // Reads the end of the events primary key.
  const row = await sql.get('SELECT MAX(id) AS id FROM events');
  const newest = row?.id == null ? 0 : Number(row.id);
  const from = Math.max(0, newest - INITIAL_WINDOW);
  const ids = (await sql.all('SELECT id FROM events WHERE id > ? ORDER BY id', [from])).map((r) => Number(r.id));
  return { after: newest, holes: gaps(from, ids, now) };
}

/**
 * Events that became visible since `cursor`, oldest id first, with the list's filters, at most
 * `limit` (`more` when there are others), and the cursor to ask with next. Reads the events primary
 * key only: the ids after the cursor, the ids of its holes, then those rows (OR of two key ranges); a
 * filter drops some of those few rows. Nothing is held in server memory, so any central instance
 * answers any poll. The filter columns are written `(site_id || '')` so that neither database
 * picks a filter's index (events_site_started would read the whole site).
 */
export async function liveArrivals(sql: SqlRunner, q: ArrivalsQuery, cursor: LiveCursor, now: number): Promise<{ events: CentralEvent[]; cursor: LiveCursor; more: boolean }> {
  const holeIds = cursor.holes.map(([id]) => id);
  // Two primary-key reads (one statement with OR made SQLite scan the whole table).
  const fresh = (await sql.all(`SELECT id FROM events WHERE id > ? ORDER BY id LIMIT ${SCAN}`, [cursor.after])).map((r) => Number(r.id));
  const filled = holeIds.length ? (await sql.all(`SELECT id FROM events WHERE id IN (${placeholders(holeIds.length)}) ORDER BY id`, holeIds)).map((r) => Number(r.id)) : [];
  const visible = [...filled, ...fresh];
  let top = fresh.length > 0 ? fresh[fresh.length - 1]! : cursor.after;
  let events: CentralEvent[] = [];
  let more = fresh.length === SCAN;
  /** Rows come in id order: with more rows than `limit`, everything up to the last one served was offered. */
  let lastServed = Number.POSITIVE_INFINITY;
  if (visible.length > 0) {
    const where = [`((id > ? AND id <= ?)${filled.length ? ` OR id IN (${placeholders(filled.length)})` : ''})`];
    const params: unknown[] = [cursor.after, top, ...filled];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (q.siteId !== undefined) add("(site_id || '') = ?", q.siteId);
    if (q.cameraId !== undefined) add("(camera_id || '') = ?", q.cameraId);
    if (q.type !== undefined) add("(type || '') = ?", q.type);
    if (q.severity !== undefined) add("(severity || '') = ?", q.severity);
    if (q.from !== undefined) add('started_at >= ?', q.from);
    if (q.to !== undefined) add('started_at < ?', q.to);
    const rows = (await sql.all(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, q.limit + 1])).map(toEvent);
    events = rows.slice(0, q.limit);
    if (rows.length > q.limit) {
      more = true;
      lastServed = events[events.length - 1]!.id;
      top = Math.max(cursor.after, Math.min(top, lastServed));
    }
  }
  // A hole that is visible now was served (or does not match the filters), unless it lies past the last row served.
  const resolved = new Set(filled.filter((id) => id <= lastServed));
  const stillMissing = cursor.holes.filter(([id, seenAt]) => !resolved.has(id) && now - seenAt < HOLE_TTL_MS);
  const newHoles = gaps(cursor.after, fresh.filter((id) => id <= top), now);
  return { events, cursor: { after: top, holes: [...stillMissing, ...newHoles].slice(-MAX_HOLES) }, more };
}

/** The same reads for a cursor without holes (the scale benchmark's cases call it this way). */
export async function arrivedEvents(sql: SqlRunner, q: ArrivalsQuery & { afterId: number }): Promise<CentralEvent[]> {
  const { afterId, ...rest } = q;
  return (await liveArrivals(sql, rest, { after: afterId, holes: [] }, Date.now())).events;
}
