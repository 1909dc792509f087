import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { REVIEW_STATES, SEVERITIES } from '../../store';
import { allowed, type RouteSpec } from '../route-spec';
import type { ApiDeps } from '../deps';
import { ApiError, jsonBody, jsonError, validate } from '../errors';
import { listedEvent, readEventDetail } from '../event-views';
import type { ApiFeature } from '../feature';
import { visibleTo } from '../live-feed';
import { serveLiveFeed } from '../live-stream';
import { identifyRequest } from '../session-auth';
import { noteText } from '../text';

const EventQuery = z
  .object({
    camera: z.string().max(64).optional(),
    type: z.string().max(64).optional(),
    severity: z.enum(SEVERITIES).optional(),
    review: z.enum(REVIEW_STATES).optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();
const IdParam = z.object({ id: z.coerce.number().int().min(1) }).strict();
const ReviewBody = z
  .object({ action: z.enum(['acknowledge', 'false_positive', 'comment', 'reopen']), comment: noteText(z.string().max(2000)).optional() })
  .strict()
  .refine((b) => b.action !== 'comment' || (b.comment?.trim().length ?? 0) > 0, { message: 'a comment needs text', path: ['comment'] });

const LIVE_ROUTE: RouteSpec = {
  method: 'GET',
  path: '/api/live',
  summary: 'Server-sent events: live counts every second and new events the role may see',
  roles: ['supervisor', 'security', 'ops'],
};

/** The live feed and the event log: list, detail, snapshot and review. */
export const eventsFeature: ApiFeature<ApiDeps> = {
  routes: [
    LIVE_ROUTE,
    { method: 'GET', path: '/api/events', summary: 'Events, filtered, newest first, cursor pagination', roles: ['security'] },
    { method: 'GET', path: '/api/events/:id', summary: 'One event with its timeline and reviews', roles: ['security'] },
    {
      method: 'GET',
      path: '/api/events/:id/snapshot',
      summary: 'The event snapshot (JPEG): original for security (audited), faces blurred for supervisors',
      roles: ['security', 'supervisor'],
      image: 'image/jpeg',
    },
    { method: 'POST', path: '/api/events/:id/review', summary: 'Acknowledge, mark false positive, comment or reopen', roles: ['security'] },
  ],
  handlers: (deps, { auth, liveFeed, now }) => ({
    'GET /api/live': (c) =>
      serveLiveFeed(c, liveFeed, () => {
        // The caller as they are now, while they may still use the route (a long-lived request).
        const who = identifyRequest(auth, c);
        return who.via !== 'none' && allowed(LIVE_ROUTE, who.user.role) ? who.user : undefined;
      }),
    'GET /api/events': (c) => {
      const q = validate(EventQuery, c.req.query(), 'query');
      let page;
      try {
        page = deps.events.list({
          ...(q.camera ? { cameraId: q.camera } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.severity ? { severity: q.severity } : {}),
          ...(q.review ? { reviewState: q.review } : {}),
          ...(q.from !== undefined ? { from: q.from } : {}),
          ...(q.to !== undefined ? { to: q.to } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
      } catch (err) {
        if ((err as Error).message === 'cursor is not valid') throw new ApiError(400, 'query cursor: not a cursor from this API', 'cursor');
        throw err;
      }
      return c.json({ ...page, items: page.items.map(listedEvent) });
    },
    'GET /api/events/:id': (c) => {
      const { id } = validate(IdParam, c.req.param(), 'path');
      const event = deps.events.get(id);
      return event ? c.json(readEventDetail(event, c.get('user').name, deps.audit, now())) : jsonError(c, 404, `no event ${id}`, 'id');
    },
    'GET /api/events/:id/snapshot': (c) => {
      const { id } = validate(IdParam, c.req.param(), 'path');
      const user = c.get('user');
      const event = deps.events.get(id);
      if (!event || !visibleTo(user.role, event.type)) return jsonError(c, 404, `no event ${id}`, 'id');
      const row = deps.snapshots.firstOf(id);
      if (!row) return jsonError(c, 404, `event ${id} has no snapshot`, 'id');
      // Lists ask for the blurred copy (?variant=blurred): only a deliberate look at one event reads, and audits, the original.
      const original = (user.role === 'security' || user.role === 'admin') && c.req.query('variant') !== 'blurred';
      const file = original ? row.path : row.blurredPath;
      if (!file || !existsSync(file)) return jsonError(c, 404, `event ${id} has no snapshot`, 'id');
      if (original) deps.audit.record({ at: now(), user: user.name, action: 'view_original_snapshot', subject: `event:${id}` });
      return c.body(readFileSync(file), 200, { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' });
    },
    'POST /api/events/:id/review': async (c) => {
      const { id } = validate(IdParam, c.req.param(), 'path');
      const body = validate(ReviewBody, await jsonBody(c), 'body');
      const ok = deps.events.review(id, c.get('user').name, body.action, body.comment, now());
      const event = ok ? deps.events.get(id) : undefined;
      return event ? c.json(readEventDetail(event, c.get('user').name, deps.audit, now())) : jsonError(c, 404, `no event ${id}`, 'id');
    },
  }),
};
