import { toEvent } from './queries';
import { json } from './queries';
import type { SqlRunner } from './sql-runner';
import type { CentralEvent } from './types';

/** One event with the names of its site and gateway. */
export interface EventWithNames extends CentralEvent {
  siteName: string | null;
  gatewayName: string | null;
}

/** One record of an event's timeline: the event itself (`start`) or an update, as received. */
export interface EventTimelineEntry {
  seq: number;
  phase: 'start' | 'update' | 'end';
  at: number;
  receivedAt: number;
  data: Record<string, unknown>;
}

/** Reads the events primary key, then sites and gateways by theirs. */
const EVENT_BY_ID = `SELECT e.id, e.site_id, e.gateway_id, e.uid, e.camera_id, e.zone_id, e.type, e.severity, e.started_at, e.updated_at, e.ended_at, e.data,
    s.name AS site_name, g.name AS gateway_name
  FROM events e LEFT JOIN sites s ON s.id = e.site_id LEFT JOIN gateways g ON g.id = e.gateway_id WHERE e.id = ?`;

/**
 * Reads records_event_uid (gateway_id, payload ->> 'uid', seq) WHERE kind IN ('event', 'event_update')
 * (migration 008): the expression and the kind test are repeated exactly so both databases use it.
 * Records older than the retention cutoff are gone, so a long-lived event's oldest updates may be too.
 */
const TIMELINE = `SELECT seq, kind, at, received_at, payload FROM records
  WHERE gateway_id = ? AND (payload ->> 'uid') = ? AND kind IN ('event', 'event_update') ORDER BY seq LIMIT ?`;

/** An event's timeline is capped (a gateway updates an event a handful of times). */
export const TIMELINE_LIMIT = 500;

export async function eventById(sql: SqlRunner, id: number): Promise<EventWithNames | undefined> {
  const row = await sql.get(EVENT_BY_ID, [id]);
  if (!row) return undefined;
  return { ...toEvent(row), siteName: row.site_name == null ? null : String(row.site_name), gatewayName: row.gateway_name == null ? null : String(row.gateway_name) };
}

export async function eventTimeline(sql: SqlRunner, gatewayId: string, uid: string): Promise<EventTimelineEntry[]> {
  const rows = await sql.all(TIMELINE, [gatewayId, uid, TIMELINE_LIMIT]);
  return rows.map((r) => {
    const payload = json<{ phase?: unknown; at?: unknown; data?: unknown }>(r.payload);
    const phase = r.kind === 'event' ? 'start' : payload.phase === 'end' ? 'end' : 'update';
    const data = typeof payload.data === 'object' && payload.data !== null ? (payload.data as Record<string, unknown>) : {};
    return { seq: Number(r.seq), phase, at: Number(payload.at ?? r.at), receivedAt: Number(r.received_at), data };
  });
}

/** Only the event's data, for the face-crop route (the events primary key). */
export async function eventData(sql: SqlRunner, id: number): Promise<{ siteId: string; gatewayId: string; uid: string; data: Record<string, unknown> } | undefined> {
  const row = await sql.get('SELECT site_id, gateway_id, uid, data FROM events WHERE id = ?', [id]);
  if (!row) return undefined;
  return { siteId: String(row.site_id), gatewayId: String(row.gateway_id), uid: String(row.uid), data: json<Record<string, unknown>>(row.data) };
}
