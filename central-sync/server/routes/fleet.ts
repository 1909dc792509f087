import type { Hono } from 'hono';
import type { RouteContext } from '../http/context';
import type { FleetRow } from '../store';

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
  };
}

/** Every gateway with its heartbeat, sync state and cameras (ops). */
export function fleetRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/fleet', async (c) => {
    await ctx.user(c, ['ops'], 'read the fleet');
    const now = ctx.now();
    const rows = await ctx.store.fleet();
    return c.json({ serverTime: now, gateways: rows.map((r) => fleetEntry(r, now)) });
  });
}
