import { toEvent } from './queries';
import type { SqlRunner } from './sql-runner';
import type { CentralEvent, EventQuery } from './types';

const EVENT_COLUMNS = 'id, site_id, gateway_id, uid, camera_id, zone_id, type, severity, started_at, updated_at, ended_at, data';

export type ArrivalsQuery = Omit<EventQuery, 'after' | 'limit'> & { afterId: number; limit: number };

/** The highest event id (the end of the events primary key): where live arrivals start. */
export async function newestEventId(sql: SqlRunner): Promise<number> {
  const row = await sql.get('SELECT MAX(id) AS id FROM events');
  return row?.id == null ? 0 : Number(row.id);
}

/**
 * Events stored after `afterId`, oldest first, with the list's filters. Reads the events primary key
 * range id > afterId: only the rows that arrived since the page's last poll, whatever the filter
 * (a filter then drops some of those few rows), and nothing held in server memory, so any central
 * instance answers any poll. On PostgreSQL two ingest transactions may commit out of id order; an
 * event whose id was taken just before a poll but committed just after it is not offered (the list
 * still shows it on reload).
 * The filter columns are written `(site_id || '')` so that neither database picks a filter's index
 * (events_site_started would read the whole site): SQLite, without statistics, otherwise does.
 */
export async function arrivedEvents(sql: SqlRunner, q: ArrivalsQuery): Promise<CentralEvent[]> {
  const where = ['id > ?'];
  const params: unknown[] = [q.afterId];
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
  const rows = await sql.all(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...params, q.limit]);
  return rows.map(toEvent);
}
