import sharp from 'sharp';
import { z } from 'zod';
import type { Face, RgbFrame } from '../../../models';
import { enrolmentFace, PHOTO_CHECKS, PhotoRefused } from '../../watchlist';
import type { ApiDeps } from '../deps';
import { storedFaceCrop } from '../event-views';
import { jsonError, validate } from '../errors';
import { multipartForm, photoFiles } from '../multipart';
import type { ApiFeature } from '../feature';
import { photoRefusalStatus } from '../photo-refusal';

/** Security staff's dashboard reads: an event's face crop and track, the enrolment preview and the watchlist's access trail. */
const IdParam = z.object({ id: z.coerce.number().int().min(1) }).strict();
const AuditQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }).strict();
/** Preview crops are small: enough to recognise the person, not a copy of the photo. */
const CROP_PX = 160;
/** Slack between an event's start and its track's last sighting (clock steps, frame timing). */
const TRACK_SLACK_MS = 5_000;

export type PreviewResult =
  | { photo: number; ok: true; crop: string; box: { x1: number; y1: number; x2: number; y2: number }; score: number; width: number; height: number }
  | { photo: number; ok: false; status: number; error: string; field?: string };

/** The face with a margin around it, as a small JPEG data URL. */
async function faceCropDataUrl(frame: RgbFrame, box: Face['box']): Promise<string> {
  const margin = 0.3 * Math.max(box.x2 - box.x1, box.y2 - box.y1);
  const left = Math.max(0, Math.floor(box.x1 - margin));
  const top = Math.max(0, Math.floor(box.y1 - margin));
  const width = Math.max(1, Math.min(frame.width, Math.ceil(box.x2 + margin)) - left);
  const height = Math.max(1, Math.min(frame.height, Math.ceil(box.y2 + margin)) - top);
  const jpeg = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left, top, width, height })
    .resize(CROP_PX, CROP_PX, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

export const securityFeature: ApiFeature<ApiDeps> = {
  routes: [
    {
      method: 'GET',
      path: '/api/events/:id/face-crop',
      summary: "A watchlist match's face crop (JPEG); each view is written to the audit log (the event list and detail never carry it)",
      roles: ['security'],
      image: 'image/jpeg',
    },
    { method: 'GET', path: '/api/events/:id/track', summary: "The event's track: first and last seen, zone visits, best view and the track's other events", roles: ['security'] },
    {
      method: 'POST',
      path: '/api/watchlist/preview',
      summary: 'Checks enrolment photos (multipart: photo...) without saving: per photo the face crop and box, or why it cannot be used',
      roles: ['security'],
      audited: true,
    },
    { method: 'GET', path: '/api/audit/watchlist', summary: 'Recent access-audit entries that concern the watchlist', roles: ['security'], audited: true },
  ],
  handlers: (deps, { now }) => {
    return {
      'GET /api/events/:id/face-crop': (c) => {
        const { id } = validate(IdParam, c.req.param(), 'path');
        const event = deps.events.get(id);
        const crop = event ? storedFaceCrop(event) : undefined;
        if (!event) return jsonError(c, 404, `no event ${id}`, 'id');
        if (!crop) return jsonError(c, 404, `event ${id} has no face crop`, 'id');
        const user = c.get('user').name;
        deps.audit.record({ at: now(), user, action: 'view_face_crop', subject: `event:${id}` });
        return c.body(new Uint8Array(Buffer.from(crop, 'base64')), 200, { 'content-type': 'image/jpeg', 'cache-control': 'private, no-store' });
      },
      'GET /api/events/:id/track': (c) => {
        const { id } = validate(IdParam, c.req.param(), 'path');
        const event = deps.events.get(id);
        if (!event) return jsonError(c, 404, `no event ${id}`, 'id');
        if (event.trackId === null) return c.json({ track: null });
        // A track is written when it ends; until then (or after retention) there is none.
        const track = deps.tracks.seenAt(event.cameraId, event.trackId, event.startedAt, TRACK_SLACK_MS);
        if (!track) return c.json({ track: null });
        const events = deps.tracks.events(track.cameraId, track.trackId, track.firstSeen, track.lastSeen + TRACK_SLACK_MS);
        return c.json({ track: { ...track, events } });
      },
      'POST /api/watchlist/preview': async (c) => {
        const photos = photoFiles(await multipartForm(c, 'one or more photo files'));
        const engine = await deps.faceEngine();
        const results: PreviewResult[] = [];
        for (const [i, file] of photos.entries()) {
          const field = `photo[${i}]`;
          try {
            const bytes = Buffer.from(await file.arrayBuffer());
            // The slot covers everything done with the decoded photo, its crop included.
            const result = await PHOTO_CHECKS.run(field, async (): Promise<PreviewResult> => {
              const { frame, face } = await enrolmentFace(engine, bytes, field);
              const score = Math.round(face.score * 1000) / 1000;
              const box = { x1: Math.round(face.box.x1), y1: Math.round(face.box.y1), x2: Math.round(face.box.x2), y2: Math.round(face.box.y2) };
              return { photo: i, ok: true, crop: await faceCropDataUrl(frame, face.box), box, score, width: frame.width, height: frame.height };
            });
            results.push(result);
          } catch (err) {
            if (!(err instanceof PhotoRefused)) throw err;
            results.push({ photo: i, ok: false, status: photoRefusalStatus(err.kind), error: err.message, field: err.field });
          }
        }
        return c.json({ photos: results, usable: results.every((r) => r.ok) });
      },
      'GET /api/audit/watchlist': (c) => {
        const q = validate(AuditQuery, c.req.query(), 'query');
        return c.json({ entries: deps.audit.watchlistTrail(q.limit ?? 100) });
      },
    };
  },
};
