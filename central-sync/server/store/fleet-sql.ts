import { toFleet } from './queries';
import type { SqlRunner, SqlStatement } from './sql-runner';
import type { FleetRow } from './types';

/** The fleet page's filters: every gateway, stale ones, ones with a camera not streaming, revoked ones. */
export const FLEET_STATES = ['all', 'stale', 'failing', 'revoked'] as const;
export type FleetState = (typeof FLEET_STATES)[number];

/** Position of the last gateway served, in (site_id, id) order. */
export interface FleetCursor {
  siteId: string;
  gatewayId: string;
}

export interface FleetPageQuery {
  siteId?: string;
  /** Case-insensitive substring of the site's id or name or the gateway's name or id. */
  search?: string;
  state: FleetState;
  /** Heartbeats received before this are stale (see routes/stale.ts). */
  staleBefore: number;
  limit: number;
  after?: FleetCursor;
}

export interface FleetSummary {
  gateways: { total: number; active: number; stale: number; neverSeen: number; revoked: number };
  cameras: { total: number; streaming: number; reconnecting: number; failed: number; other: number };
}

const STALE = '(h.gateway_id IS NULL OR h.received_at < ?)';
const STATE_FILTER: Record<FleetState, string | null> = {
  all: null,
  stale: `g.revoked_at IS NULL AND ${STALE}`,
  // Primary key of camera_health (gateway_id, camera_id): one short range per gateway walked.
  failing: "g.revoked_at IS NULL AND EXISTS (SELECT 1 FROM camera_health c WHERE c.gateway_id = g.id AND c.state <> 'streaming')",
  revoked: 'g.revoked_at IS NOT NULL',
};

/** LIKE pattern for a literal substring (\ escapes % _ and itself). */
export const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of gateways in (site_id, id) order, one row more than the page to tell whether another
 * follows. Reads the index gateways_site_id (migration 009) from the cursor on (with a site, that
 * site's range), filters as it goes and stops after `limit + 1` rows; heartbeats and gateway_sync
 * by primary key per row.
 */
export function fleetPageQuery(q: FleetPageQuery): SqlStatement {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.siteId !== undefined) {
    where.push('g.site_id = ?');
    params.push(q.siteId);
  }
  if (q.after) {
    // A row value, not (site > ? OR (site = ? AND id > ?)): both planners seek gateways_site_id to the
    // cursor and read on from there (the OR form made SQLite scan the index from its start).
    where.push('(g.site_id, g.id) > (?, ?)');
    params.push(q.after.siteId, q.after.gatewayId);
  }
  const state = STATE_FILTER[q.state];
  if (state) {
    where.push(state);
    if (q.state === 'stale') params.push(q.staleBefore);
  }
  if (q.search !== undefined) {
    where.push("(LOWER(g.site_id) LIKE ? ESCAPE '\\' OR LOWER(s.name) LIKE ? ESCAPE '\\' OR LOWER(g.name) LIKE ? ESCAPE '\\' OR LOWER(g.id) LIKE ? ESCAPE '\\')");
    const p = likePattern(q.search);
    params.push(p, p, p, p);
  }
  return {
    text: `SELECT g.id, g.name, g.site_id, s.name AS site_name, g.created_at, g.revoked_at,
    h.at AS hb_at, h.received_at AS hb_received_at, h.backlog, h.oldest_unsent_at, h.dropped,
    gs.highest_seq, gs.last_received_at, gs.records_total
  FROM gateways g JOIN sites s ON s.id = g.site_id
  LEFT JOIN heartbeats h ON h.gateway_id = g.id
  LEFT JOIN gateway_sync gs ON gs.gateway_id = g.id${where.length ? `\n  WHERE ${where.join(' AND ')}` : ''}
  ORDER BY g.site_id, g.id LIMIT ?`,
    params: [...params, q.limit + 1],
  };
}

/** The cameras of the page's gateways: camera_health's primary key (gateway_id, camera_id), one range per gateway. */
export function fleetCamerasQuery(gatewayIds: readonly string[]): SqlStatement {
  return {
    text: `SELECT gateway_id, camera_id, state, reason, at FROM camera_health WHERE gateway_id IN (${gatewayIds.map(() => '?').join(', ')}) ORDER BY gateway_id, camera_id`,
    params: gatewayIds,
  };
}

/**
 * Gateway counts for the summary tiles. A count of the whole fleet reads all of it: gateways
 * (1,000 rows at province scale) with heartbeats by primary key; no event-sized table.
 */
export function fleetGatewayCountsQuery(staleBefore: number): SqlStatement {
  return {
    text: `SELECT COUNT(*) AS total,
    COALESCE(SUM(CASE WHEN g.revoked_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS revoked,
    COALESCE(SUM(CASE WHEN g.revoked_at IS NULL AND h.gateway_id IS NULL THEN 1 ELSE 0 END), 0) AS never_seen,
    COALESCE(SUM(CASE WHEN g.revoked_at IS NULL AND ${STALE} THEN 1 ELSE 0 END), 0) AS stale
  FROM gateways g LEFT JOIN heartbeats h ON h.gateway_id = g.id`,
    params: [staleBefore],
  };
}

/**
 * Cameras of gateways not revoked, by state: camera_health whole (10,000 rows at province scale,
 * read in primary-key order) joined to gateways by primary key.
 */
export const FLEET_CAMERA_COUNTS_SQL = `SELECT c.state, COUNT(*) AS n FROM camera_health c JOIN gateways g ON g.id = c.gateway_id
  WHERE g.revoked_at IS NULL GROUP BY c.state`;

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export async function fleetSummary(sql: SqlRunner, staleBefore: number): Promise<FleetSummary> {
  const counts = fleetGatewayCountsQuery(staleBefore);
  const [g, states] = await Promise.all([sql.get(counts.text, counts.params), sql.all(FLEET_CAMERA_COUNTS_SQL)]);
  const cameras: FleetSummary['cameras'] = { total: 0, streaming: 0, reconnecting: 0, failed: 0, other: 0 };
  for (const r of states) {
    const count = n(r.n);
    cameras.total += count;
    const state = String(r.state);
    if (state === 'streaming' || state === 'reconnecting' || state === 'failed') cameras[state] += count;
    else cameras.other += count;
  }
  const total = n(g?.total);
  const revoked = n(g?.revoked);
  return { gateways: { total, active: total - revoked, stale: n(g?.stale), neverSeen: n(g?.never_seen), revoked }, cameras };
}

/** One page of fleet rows and whether more follow. */
export async function fleetPage(sql: SqlRunner, q: FleetPageQuery): Promise<{ rows: FleetRow[]; more: boolean }> {
  const page = fleetPageQuery(q);
  const gateways = await sql.all(page.text, page.params);
  const more = gateways.length > q.limit;
  const shown = gateways.slice(0, q.limit);
  if (shown.length === 0) return { rows: [], more: false };
  const cams = fleetCamerasQuery(shown.map((r) => String(r.id)));
  return { rows: toFleet(shown, await sql.all(cams.text, cams.params)), more };
}
