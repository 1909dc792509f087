import type { Hono } from 'hono';
import { z } from 'zod';
import { safeText } from '../../wire';
import type { RouteContext } from '../http/context';
import { packCursor, unpackCursor } from '../http/cursor';
import { validate } from '../http/validate';
import type { FleetRow } from '../store';
import { FLEET_STATES, fleetPage, fleetSummary, type FleetCursor } from '../store/fleet-sql';
import { isStale, STALE_AFTER_MS, staleBefore } from './stale';

/** Fleet view of one gateway: the stored row plus how far behind it is, as of `now`. */
export function fleetEntry(row: FleetRow, now: number) {
  const hb = row.heartbeat;
  return {
    ...row,
    backlog: hb?.backlog ?? null,
    /** Age of the oldest record the gateway still holds unsent; 0 when it reports none; null before its first heartbeat. */
    syncLagMs: hb === null ? null : hb.oldestUnsentAt !== null ? Math.max(0, now - hb.oldestUnsentAt) : 0,
    sinceLastRecordMs: row.sync ? Math.max(0, now - row.sync.lastReceivedAt) : null,
    sinceHeartbeatMs: hb ? Math.max(0, now - hb.receivedAt) : null,
    /** Not revoked and no heartbeat for STALE_AFTER_MS (or never): routes/stale.ts. */
    stale: row.revokedAt === null && isStale(hb?.receivedAt ?? null, now),
  };
}

export const FLEET_PAGE_DEFAULT = 50;
export const FLEET_PAGE_MAX = 200;

const CursorShape = z.tuple([z.string().min(1).max(128), z.string().min(1).max(128)]);

/** Opaque to clients: the (site_id, id) of the last gateway served. */
export function encodeFleetCursor(c: FleetCursor): string {
  return packCursor([c.siteId, c.gatewayId]);
}

export function decodeFleetCursor(text: string): FleetCursor {
  const [siteId, gatewayId] = unpackCursor(text, CursorShape);
  return { siteId, gatewayId };
}

const FleetPageParams = z
  .object({
    site: safeText(z.string().min(1).max(128)).optional(),
    search: safeText(z.string().trim().min(1).max(64)).optional(),
    state: z.enum(FLEET_STATES).default('all'),
    limit: z.coerce.number().int().min(1).max(FLEET_PAGE_MAX).default(FLEET_PAGE_DEFAULT),
    cursor: z.string().min(1).max(600).optional(),
  })
  .strict();

/**
 * GET /v1/fleet (ops): every gateway with its heartbeat, sync state and cameras, unpaged (existing
 * clients). GET /v1/fleet/summary: the counts of the console's tiles. GET /v1/fleet/gateways: one
 * page in (site, gateway) order with filters, for the console's fleet page.
 */
export function fleetRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/fleet', async (c) => {
    await ctx.user(c, ['ops'], 'read the fleet');
    const now = ctx.now();
    const rows = await ctx.store.fleet();
    return c.json({ serverTime: now, gateways: rows.map((r) => fleetEntry(r, now)) });
  });

  app.get('/v1/fleet/summary', async (c) => {
    await ctx.user(c, ['ops'], 'read the fleet');
    validate(z.object({}).strict(), c.req.query(), 'query');
    const now = ctx.now();
    const summary = await fleetSummary(ctx.store.sql, staleBefore(now));
    return c.json({ serverTime: now, staleAfterMs: STALE_AFTER_MS, ...summary });
  });

  app.get('/v1/fleet/gateways', async (c) => {
    await ctx.user(c, ['ops'], 'read the fleet');
    const q = validate(FleetPageParams, c.req.query(), 'query');
    const after = q.cursor !== undefined ? decodeFleetCursor(q.cursor) : undefined;
    const now = ctx.now();
    const { rows, more } = await fleetPage(ctx.store.sql, {
      ...(q.site !== undefined ? { siteId: q.site } : {}),
      ...(q.search !== undefined ? { search: q.search } : {}),
      ...(after ? { after } : {}),
      state: q.state,
      staleBefore: staleBefore(now),
      limit: q.limit,
    });
    const last = rows.at(-1);
    return c.json({
      serverTime: now,
      staleAfterMs: STALE_AFTER_MS,
      gateways: rows.map((r) => fleetEntry(r, now)),
      nextCursor: more && last ? encodeFleetCursor({ siteId: last.siteId, gatewayId: last.gatewayId }) : null,
    });
  });
}
