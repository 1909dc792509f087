import type { CentralEvent } from '../store';
import type { EventTimelineEntry } from '../store/event-detail-sql';

/** The key a gateway's watchlist match carries its base64 JPEG face crop under. */
export const FACE_CROP_FIELD = 'faceCrop';

type Data = Record<string, unknown>;

/** The stored crop (base64 JPEG), if the data holds one. */
export function storedFaceCrop(data: Data): string | undefined {
  const crop = data[FACE_CROP_FIELD];
  return typeof crop === 'string' && crop.length > 0 ? crop : undefined;
}

/** Data as answers carry it: never the crop itself, only whether there is one. */
export function withoutFaceCrop(data: Data): { data: Data; hasFaceCrop: boolean } {
  const hasFaceCrop = storedFaceCrop(data) !== undefined;
  if (!(FACE_CROP_FIELD in data)) return { data, hasFaceCrop };
  return { data: Object.fromEntries(Object.entries(data).filter(([key]) => key !== FACE_CROP_FIELD)), hasFaceCrop };
}

/**
 * Who a watchlist match is: the gateway sends the person's id and name with the match. As on the
 * gateway, lists never show them (they are not audited); the detail does, audited per viewer.
 */
export const IDENTITY_FIELDS = ['person', 'personId'] as const;

export const carriesIdentity = (data: Data): boolean => IDENTITY_FIELDS.some((key) => key in data && data[key] !== null);

/** Data for a list: without the watchlist identity, with whether it was withheld. */
export function withoutIdentity(data: Data): { data: Data; identityWithheld: boolean } {
  if (!IDENTITY_FIELDS.some((key) => key in data)) return { data, identityWithheld: false };
  return { data: Object.fromEntries(Object.entries(data).filter(([key]) => !(IDENTITY_FIELDS as readonly string[]).includes(key))), identityWithheld: carriesIdentity(data) };
}

export type PublicEvent<E extends CentralEvent = CentralEvent> = E & { hasFaceCrop: boolean };

/** An event for the list and the detail: the crop replaced by hasFaceCrop. */
export function publicEvent<E extends CentralEvent>(event: E): PublicEvent<E> {
  return { ...event, ...withoutFaceCrop(event.data) };
}

/** An event for a list: no crop and no watchlist identity (identityWithheld says one was there). */
export function listedEvent<E extends CentralEvent>(event: E): PublicEvent<E> & { identityWithheld: boolean } {
  const { data, hasFaceCrop } = withoutFaceCrop(event.data);
  return { ...event, hasFaceCrop, ...withoutIdentity(data) };
}

export function publicTimelineEntry(entry: EventTimelineEntry): EventTimelineEntry & { hasFaceCrop: boolean } {
  return { ...entry, ...withoutFaceCrop(entry.data) };
}
