import type { AuditLog, EventRow } from '../store';
import type { EventDetail } from '../store/events';

/**
 * Face data in events (Decree 13): a watchlist match's data holds who it is (`person`, `personId`)
 * and a base64 face crop. The crop is served only by GET /api/events/:id/face-crop (audited); the
 * event list, which is not audited, carries neither the crop nor who it is; one event's detail
 * carries who it is, and reading it is audited.
 */
export const FACE_CROP_FIELD = 'faceCrop';
const IDENTITY_FIELDS: readonly string[] = ['person', 'personId'];

type Data = Record<string, unknown>;

const without = (data: Data, fields: readonly string[]): Data => Object.fromEntries(Object.entries(data).filter(([key]) => !fields.includes(key)));

/** The stored face crop of an event (the latest one its data holds), if any. */
export function storedFaceCrop(event: EventRow): string | undefined {
  const crop = event.data[FACE_CROP_FIELD];
  return typeof crop === 'string' && crop.length > 0 ? crop : undefined;
}

/** An event as the list shows it: no face crop, nothing that says who a watchlist match is. */
export function listedEvent(event: EventRow): EventRow {
  return { ...event, data: without(event.data, [FACE_CROP_FIELD, ...IDENTITY_FIELDS]) };
}

export type EventDetailView = EventDetail & { faceCropUrl: string | null };

/**
 * One event as its detail page shows it: crops replaced by a link to the audited crop route, the
 * person named, and, when it names one, an audit row for `reader`.
 */
export function readEventDetail(event: EventDetail, reader: string, audit: AuditLog, at: number): EventDetailView {
  const namesPerson = [event.data, ...event.timeline.map((t) => t.data)].some((data) => IDENTITY_FIELDS.some((field) => field in data));
  if (namesPerson) audit.record({ at, user: reader, action: 'view_watchlist_match', subject: `event:${event.id}` });
  return {
    ...event,
    data: without(event.data, [FACE_CROP_FIELD]),
    timeline: event.timeline.map((t) => ({ ...t, data: without(t.data, [FACE_CROP_FIELD]) })),
    faceCropUrl: storedFaceCrop(event) ? `/api/events/${event.id}/face-crop` : null,
  };
}
