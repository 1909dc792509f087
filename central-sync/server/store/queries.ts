import type { EventState, EventUpdate } from './derive';
import {
  ROLES,
  type ApiTokenInfo,
  type CameraState,
  type CentralEvent,
  type EventQuery,
  type FleetRow,
  type FootfallQuery,
  type FootfallSlot,
  type GatewayInfo,
  type GatewayRow,
  type QueueStatQuery,
  type QueueStatRow,
  type Role,
} from './types';

/**
 * Read queries written once with `?` placeholders; the PostgreSQL store numbers them. Column names
 * stay snake_case (PostgreSQL folds unquoted aliases) and the mappers below turn rows into objects.
 */
export interface Sql {
  text: string;
  params: unknown[];
}

type Row = Record<string, unknown>;

/** `?` -> `$1`, `$2`, ... (none of these queries has a `?` inside a literal). */
export function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

export const EVENT_COLUMNS = 'id, site_id, gateway_id, uid, camera_id, zone_id, type, severity, started_at, updated_at, ended_at, data';

/** WHERE clauses joined by AND, with their values in placeholder order. */
function conditions() {
  const where: string[] = [];
  const params: unknown[] = [];
  return {
    where,
    params,
    add(clause: string, ...values: unknown[]) {
      where.push(clause);
      params.push(...values);
    },
  };
}

export function eventsQuery(q: EventQuery): Sql {
  const c = conditions();
  if (q.siteId !== undefined) c.add('site_id = ?', q.siteId);
  if (q.cameraId !== undefined) c.add('camera_id = ?', q.cameraId);
  if (q.type !== undefined) c.add('type = ?', q.type);
  if (q.severity !== undefined) c.add('severity = ?', q.severity);
  if (q.from !== undefined) c.add('started_at >= ?', q.from);
  if (q.to !== undefined) c.add('started_at < ?', q.to);
  if (q.after) c.add('(started_at, id) < (?, ?)', q.after.startedAt, q.after.id);
  return {
    text: `SELECT ${EVENT_COLUMNS} FROM events ${c.where.length ? `WHERE ${c.where.join(' AND ')}` : ''} ORDER BY started_at DESC, id DESC LIMIT ?`,
    params: [...c.params, q.limit],
  };
}

export function queueStatsQuery(q: QueueStatQuery): Sql {
  const c = conditions();
  c.add('minute >= ?', q.from);
  c.add('minute < ?', q.to);
  if (q.siteId !== undefined) c.add('site_id = ?', q.siteId);
  if (q.cameraId !== undefined) c.add('camera_id = ?', q.cameraId);
  if (q.zoneId !== undefined) c.add('zone_id = ?', q.zoneId);
  if (q.gatewayId !== undefined) c.add('gateway_id = ?', q.gatewayId);
  return {
    text: `SELECT site_id, gateway_id, camera_id, zone_id, minute, avg_count, max_count, departures, est_wait_s, occupied_ratio, crossings_in, crossings_out
      FROM queue_stats WHERE ${c.where.join(' AND ')} ORDER BY site_id, camera_id, zone_id, minute, gateway_id LIMIT ?`,
    params: [...c.params, q.limit],
  };
}

/**
 * Line-zone crossings per site, camera, zone and quarter hour, read from the rollup queue_slots
 * (migration 008) instead of summing minutes: a slot counts when it starts in [from, to), so from
 * and to are read in whole quarter hours (the defaults, local midnight and now, lose nothing). With
 * a site: a range of queue_slots_site_slot (site_id, slot) (migration 010); without: a range of the
 * partial index queue_slots_lines (slot) WHERE crossing_rows > 0. No ORDER BY: sorting tens of
 * thousands of rows by three text columns took PostgreSQL 370 ms; the route orders them in memory
 * (the LIMIT only detects a range too large to answer).
 */
export function footfallQuery(q: FootfallQuery): Sql {
  const c = conditions();
  c.add('slot >= ?', q.from);
  c.add('slot < ?', q.to);
  if (q.siteId !== undefined) c.add('site_id = ?', q.siteId);
  c.add('crossing_rows > 0');
  return {
    text: `SELECT site_id, camera_id, zone_id, slot, crossings_in, crossings_out
      FROM queue_slots WHERE ${c.where.join(' AND ')} LIMIT ?`,
    params: [...c.params, q.limit],
  };
}

export const FLEET_GATEWAYS_SQL = `SELECT g.id, g.name, g.site_id, s.name AS site_name, g.created_at, g.revoked_at,
    h.at AS hb_at, h.received_at AS hb_received_at, h.backlog, h.oldest_unsent_at, h.dropped,
    gs.highest_seq, gs.last_received_at, gs.records_total
  FROM gateways g JOIN sites s ON s.id = g.site_id
  LEFT JOIN heartbeats h ON h.gateway_id = g.id
  LEFT JOIN gateway_sync gs ON gs.gateway_id = g.id
  ORDER BY g.site_id, g.id`;

export const FLEET_CAMERAS_SQL = 'SELECT gateway_id, camera_id, state, reason, at FROM camera_health ORDER BY gateway_id, camera_id';

export const API_TOKENS_SQL = 'SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY id';
/** A second revocation keeps the first time. */
export const REVOKE_API_TOKEN_SQL = 'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING id, name, role, created_at, revoked_at';
export const GATEWAYS_SQL = `SELECT g.id, g.site_id, s.name AS site_name, g.name, g.created_at, g.revoked_at
  FROM gateways g JOIN sites s ON s.id = g.site_id ORDER BY g.site_id, g.id`;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** SQLite hands back JSON as text, PostgreSQL's JSONB as a parsed value. */
export const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export function toEvent(r: Row): CentralEvent {
  return {
    id: num(r.id),
    siteId: str(r.site_id),
    gatewayId: str(r.gateway_id),
    uid: str(r.uid),
    cameraId: str(r.camera_id),
    zoneId: strOrNull(r.zone_id),
    type: str(r.type),
    severity: str(r.severity),
    startedAt: num(r.started_at),
    updatedAt: num(r.updated_at),
    endedAt: numOrNull(r.ended_at),
    data: json<Record<string, unknown>>(r.data),
  };
}

export function toQueueStat(r: Row): QueueStatRow {
  return {
    siteId: str(r.site_id),
    gatewayId: str(r.gateway_id),
    cameraId: str(r.camera_id),
    zoneId: str(r.zone_id),
    minute: num(r.minute),
    avgCount: num(r.avg_count),
    maxCount: num(r.max_count),
    departures: num(r.departures),
    estWaitS: numOrNull(r.est_wait_s),
    occupiedRatio: numOrNull(r.occupied_ratio),
    crossingsIn: numOrNull(r.crossings_in),
    crossingsOut: numOrNull(r.crossings_out),
  };
}

export function toFootfallSlot(r: Row): FootfallSlot {
  return { siteId: str(r.site_id), cameraId: str(r.camera_id), zoneId: str(r.zone_id), at: num(r.slot), crossingsIn: num(r.crossings_in), crossingsOut: num(r.crossings_out) };
}

export function toFleet(gateways: Row[], cameras: Row[]): FleetRow[] {
  const byGateway = new Map<string, CameraState[]>();
  for (const c of cameras) {
    const list = byGateway.get(str(c.gateway_id)) ?? [];
    list.push({ cameraId: str(c.camera_id), state: str(c.state), reason: strOrNull(c.reason), at: num(c.at) });
    byGateway.set(str(c.gateway_id), list);
  }
  return gateways.map((g) => ({
    gatewayId: str(g.id),
    name: str(g.name),
    siteId: str(g.site_id),
    siteName: str(g.site_name),
    createdAt: num(g.created_at),
    revokedAt: numOrNull(g.revoked_at),
    heartbeat:
      g.hb_at === null || g.hb_at === undefined
        ? null
        : { at: num(g.hb_at), receivedAt: num(g.hb_received_at), backlog: num(g.backlog), oldestUnsentAt: numOrNull(g.oldest_unsent_at), dropped: num(g.dropped) },
    sync:
      g.highest_seq === null || g.highest_seq === undefined
        ? null
        : { highestSeq: num(g.highest_seq), lastReceivedAt: num(g.last_received_at), recordsTotal: num(g.records_total) },
    cameras: byGateway.get(str(g.id)) ?? [],
  }));
}

/** The CHECK constraint on api_tokens.role makes anything else a broken database. */
export function toRole(v: unknown): Role {
  const role = ROLES.find((r) => r === v);
  if (!role) throw new Error(`api_tokens.role '${String(v)}' is not a role`);
  return role;
}

export function toApiToken(r: Row): ApiTokenInfo {
  return { id: num(r.id), name: str(r.name), role: toRole(r.role), createdAt: num(r.created_at), revokedAt: numOrNull(r.revoked_at) };
}

export function toGateway(r: Row): GatewayInfo {
  return { id: str(r.id), siteId: str(r.site_id), siteName: str(r.site_name), name: str(r.name), createdAt: num(r.created_at), revokedAt: numOrNull(r.revoked_at) };
}

/** A gateway with its secret, for checking signatures. */
export function toGatewayRow(r: Row): GatewayRow {
  return { id: str(r.id), siteId: str(r.site_id), name: str(r.name), secret: str(r.secret), createdAt: num(r.created_at), revokedAt: numOrNull(r.revoked_at) };
}

/** An event's mutable columns, as applyUpdates takes them. */
export function toEventState(r: Row): EventState {
  return { data: json<Record<string, unknown>>(r.data), updatedAt: num(r.updated_at), endedAt: numOrNull(r.ended_at) };
}

export function toPending(r: Row): EventUpdate & { uid: string } {
  return { uid: str(r.uid), seq: num(r.seq), at: num(r.at), phase: r.phase === 'end' ? 'end' : 'update', data: json<Record<string, unknown>>(r.data) };
}
