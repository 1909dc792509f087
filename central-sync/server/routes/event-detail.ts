import type { Hono } from 'hono';
import { z } from 'zod';
import { auditActor, type RouteContext } from '../http/context';
import { HttpError } from '../http/errors';
import { validate } from '../http/validate';
import { appendAuditThrottled, type AuditEntry } from '../store/audit-sql';
import { eventById, eventData, eventTimeline } from '../store/event-detail-sql';
import { carriesIdentity, publicEvent, publicTimelineEntry, storedFaceCrop } from './event-views';

/** Neither route takes query parameters: any is refused by name. */
const NoQuery = z.object({}).strict();

/** A JPEG starts with FF D8 FF (SOI and the first marker); anything else is not served as one. */
const isJpeg = (b: Buffer): boolean => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

const IdParam = z.object({ id: z.string().regex(/^[1-9]\d{0,14}$/, 'expected an event id (a positive whole number)').transform(Number) });

/** A page that loads the crop (or the detail) again within this long writes no second audit row for the same viewer. */
export const FACE_CROP_AUDIT_THROTTLE_MS = 60_000;

/** One audit row per viewer, action and event a minute. */
const auditView = (ctx: RouteContext, entry: AuditEntry & { target: string }) => appendAuditThrottled(ctx.store.sql, entry, FACE_CROP_AUDIT_THROTTLE_MS, true);

/** One event with its timeline; its face crop, audited, to security and admin only. */
export function eventDetailRoutes(app: Hono, ctx: RouteContext): void {
  app.get('/v1/events/:id', async (c) => {
    const user = await ctx.user(c, ['security'], 'read events');
    const { id } = validate(IdParam, { id: c.req.param('id') }, 'path');
    validate(NoQuery, c.req.query(), 'query');
    const event = await eventById(ctx.store.sql, id);
    if (!event) throw new HttpError(404, `id: no event ${id}`, 'id');
    const timeline = await eventTimeline(ctx.store.sql, event.gatewayId, event.uid);
    // A watchlist match names the person: reading it is audited, as on the gateway (view_watchlist_match).
    if (carriesIdentity(event.data) || timeline.some((entry) => carriesIdentity(entry.data))) {
      await auditView(ctx, { at: ctx.now(), actor: auditActor(user), action: 'view_watchlist_match', target: `event:${id}`, detail: { site: event.siteId, gateway: event.gatewayId, uid: event.uid } });
    }
    return c.json({ event: publicEvent(event), updates: timeline.map(publicTimelineEntry), faceCropsAccepted: ctx.acceptFaceCrops });
  });

  app.get('/v1/events/:id/face-crop', async (c) => {
    const user = await ctx.user(c, ['security'], 'view face crops');
    const { id } = validate(IdParam, { id: c.req.param('id') }, 'path');
    validate(NoQuery, c.req.query(), 'query');
    if (!ctx.acceptFaceCrops) throw new HttpError(404, 'this central does not keep face crops (CENTRAL_ACCEPT_FACE_CROPS is off)');
    const event = await eventData(ctx.store.sql, id);
    if (!event) throw new HttpError(404, `id: no event ${id}`, 'id');
    const crop = storedFaceCrop(event.data);
    if (crop === undefined) throw new HttpError(404, `id: event ${id} has no face crop`, 'id');
    const jpeg = Buffer.from(crop, 'base64');
    if (!isJpeg(jpeg)) throw new HttpError(422, `id: the face crop of event ${id} is not a JPEG`, 'id');
    await auditView(ctx, { at: ctx.now(), actor: auditActor(user), action: 'view_face_crop', target: `event:${id}`, detail: { site: event.siteId, gateway: event.gatewayId, uid: event.uid } });
    return c.body(new Uint8Array(jpeg), 200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store, private', 'x-content-type-options': 'nosniff' });
  });
}
