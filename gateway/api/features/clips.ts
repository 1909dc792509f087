import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { jsonError, validate } from '../errors';
import type { ApiFeature } from '../feature';

const IdParam = z.object({ id: z.coerce.number().int().min(1) }).strict();
/** One byte range (`bytes=0-`, `bytes=100-199`, `bytes=-500`); a browser's <video> asks for nothing else. */
const RangeHeader = z
  .string()
  .max(100)
  .regex(/^bytes=(\d{0,15})-(\d{0,15})$/, 'one byte range, e.g. bytes=0-')
  .refine((r) => r !== 'bytes=-', 'one byte range, e.g. bytes=0-');
/** Range requests of one playback within this long are one view in the audit log. */
const VIEW_WINDOW_MS = 60_000;

/** Byte range [start, end] of a `size`-byte file, or null when it cannot be satisfied. */
export function byteRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header)!;
  const [first, last] = [m[1]!, m[2]!];
  if (first === '') {
    const suffix = Number(last);
    return suffix > 0 && size > 0 ? { start: Math.max(0, size - suffix), end: size - 1 } : null;
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start < size && start <= end ? { start, end } : null;
}

/** Evidence clips: an event's clip (MP4, Range; security and admin, every view audited), its status, and disk use for ops. */
export const clipsFeature: ApiFeature<ApiDeps> = {
  routes: [
    {
      method: 'GET',
      path: '/api/events/:id/clip',
      summary: "The event's evidence clip (video/mp4, byte ranges); security and admin only (faces are not blurred), each view written to the audit log",
      roles: ['security'],
    },
    { method: 'GET', path: '/api/events/:id/clip/info', summary: "Whether the event has a clip: recording, ready (span, duration, truncated and why) or unavailable (why)", roles: ['security'] },
    { method: 'GET', path: '/api/clips/usage', summary: 'Disk used by clips (and the bound) and each camera\'s clip buffer (segments, bytes, codec, whether it can give clips)', roles: ['ops'] },
  ],
  handlers: (deps, { now }) => {
    const lastView = new Map<string, number>();
    const audit = (user: string, id: number) => {
      const at = now();
      const key = `${user}\u0000${id}`;
      if ((lastView.get(key) ?? -Infinity) > at - VIEW_WINDOW_MS) return;
      for (const [k, t] of lastView) if (t <= at - VIEW_WINDOW_MS) lastView.delete(k);
      lastView.set(key, at);
      deps.audit.record({ at, user, action: 'view_clip', subject: `event:${id}` });
    };
    return {
      'GET /api/events/:id/clip': (c) => {
        const { id } = validate(IdParam, c.req.param(), 'path');
        const rangeHeader = c.req.header('range');
        const range = rangeHeader === undefined ? undefined : validate(z.object({ range: RangeHeader }), { range: rangeHeader }, 'query').range;
        const event = deps.events.get(id);
        if (!event) return jsonError(c, 404, `no event ${id}`, 'id');
        const path = deps.clips?.file(event.uid);
        if (!path) return jsonError(c, 404, `event ${id} has no clip`, 'id');
        let size: number;
        try {
          size = statSync(path).size;
        } catch {
          return jsonError(c, 404, `event ${id} has no clip`, 'id');
        }
        const span = range === undefined ? { start: 0, end: size - 1 } : byteRange(range, size);
        if (!span) return c.json({ error: `range ${range} is outside the clip's ${size} bytes`, field: 'range' }, 416, { 'content-range': `bytes */${size}` });
        audit(c.get('user').name, id);
        const body = Readable.toWeb(createReadStream(path, { start: span.start, end: span.end })) as ReadableStream<Uint8Array>;
        const headers: Record<string, string> = {
          'content-type': 'video/mp4',
          'accept-ranges': 'bytes',
          'content-length': String(span.end - span.start + 1),
          'cache-control': 'private, no-store',
        };
        if (range !== undefined) headers['content-range'] = `bytes ${span.start}-${span.end}/${size}`;
        return c.body(body, range === undefined ? 200 : 206, headers);
      },
      'GET /api/events/:id/clip/info': (c) => {
        const { id } = validate(IdParam, c.req.param(), 'path');
        const event = deps.events.get(id);
        if (!event) return jsonError(c, 404, `no event ${id}`, 'id');
        const view = deps.clips?.ofEvent(event.uid) ?? { state: 'none' as const };
        return c.json({ ...view, ...(view.state === 'ready' ? { url: `/api/events/${id}/clip` } : {}) });
      },
      'GET /api/clips/usage': (c) => {
        if (!deps.clips) return c.json({ enabled: false });
        return c.json({ enabled: true, ...deps.clips.usage() });
      },
    };
  },
};
